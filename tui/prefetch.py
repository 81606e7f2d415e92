"""The first page of customers, fetched by a helper process while the console starts.

With a key, the console's first request would wait for Textual to import and paint, then for
`stripe` to import, all on one core. `stripe-tui` (tui/launch.py) forks a helper before it
imports anything else. The helper works out what the console will ask for first (the key, the
API base and the page size, from the same arguments, environment and config file), imports
`stripe`, lists that page and hands back the page and the request log's entries for it through
a pipe, on the other core. The Customers screen's first fetch takes it
(`Gateway.list_customers`); the entries go into the console's request log as if the console
had sent the request itself.

Stripe's error for it is the console's error, as if it had asked (asking again would wait out
the retries twice when Stripe cannot be reached). Anything else is asked again by the console:
a first question that is not this page (a filter typed before it), a page of another size, a
helper that died, a system with no fork. The helper is forked while the process is still one
thread, writes nothing to the terminal, and ends with `os._exit` (nothing of the console's runs
twice); the console stops it if it ends first (a usage error, no key).

This module imports little: it is imported before the fork, ahead of everything else.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: after the fork
    from tui.gateway import GatewayError, Page
    from tui.requestlog import Entry
    from tui.settings import Settings

CUSTOMERS_PAGE_SIZE = 100
"""Customers a list asks for at a time unless the config file says: Stripe's maximum (half the
requests of 50, and browsing 10,000 measured about 25% faster)."""

FirstQuestion = Callable[[], "tuple[Settings, int] | None"]
"""In the helper: the settings and the page size the console will list with, or None when it
will not list customers from Stripe (no key: the embedded sandbox)."""


class FirstPage:
    """A helper process listing the first `limit` customers; `take` waits for its answer."""

    def __init__(self, pid: int, answers: int) -> None:
        self._pid = pid
        self._answers = answers
        self._lock = threading.Lock()
        self._used = False

    @classmethod
    def start(cls, first_question: FirstQuestion) -> FirstPage | None:
        """The helper, forked: it lists what `first_question()` says. None where processes are
        not forked (not Linux, or threads: their locks would be copied)."""
        if sys.platform != "linux" or threading.active_count() > 1:
            return None
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no more processes allowed: the console asks for itself
            os.close(read_end)
            os.close(write_end)
            return None
        if pid == 0:  # the helper
            os.close(read_end)
            _helper(first_question, write_end)
        os.close(write_end)
        return cls(pid, read_end)

    def take(self, limit: int) -> tuple[Page | GatewayError | None, list[Entry]]:
        """The page of `limit` customers, or Stripe's error for it, and the log's entries for
        what the helper sent; None if it listed another size or nothing, or failed otherwise.
        Waits for the helper; a second call gets nothing."""
        with self._lock:
            used, self._used = self._used, True
        if used:
            return None, []
        with os.fdopen(self._answers, "rb") as answers:
            text = answers.read()
        os.waitpid(self._pid, 0)
        import json

        from tui.gateway import ErrorKind, GatewayError, Page

        try:
            answer = json.loads(text)
            entries: list[Entry] = answer["entries"]
            if answer.get("limit") != limit:
                return None, entries
            if (listed := answer.get("page")) is not None:
                return Page(listed["items"], listed["next_cursor"]), entries
            if (error := answer.get("error")) is not None:
                return GatewayError(**{**error, "kind": ErrorKind(error["kind"])}), entries
        except (ValueError, KeyError, TypeError):  # the helper died before it answered
            return None, []
        return None, entries

    def discard(self) -> None:
        """Stop the helper if it still runs: the console asks for itself."""
        with self._lock:
            used, self._used = self._used, True
        if used:
            return
        os.close(self._answers)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)


def _helper(first_question: FirstQuestion, pipe: int) -> None:
    """The forked process: list, answer, and end without running anything of the console's.
    It imports what it needs itself: the console goes on meanwhile."""
    status = 1
    try:
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # the terminal is the console's (argparse's --help writes too)
            os.dup2(devnull, fd)
        import json
        from dataclasses import fields

        from tui.gateway import Gateway, GatewayError
        from tui.requestlog import RequestLog

        class Entries(RequestLog):
            """The helper's log: the entries as the gateway made them, sent back whole."""

            def __init__(self) -> None:
                super().__init__()
                self.made: list[Entry] = []

            def record(self, entry: Entry) -> Entry:
                self.made.append(entry)
                return entry

        answer: dict[str, object] = {}
        log = Entries()
        settings, limit = first_question() or (None, 0)
        if settings is not None and settings.api_key is not None:
            answer["limit"] = limit
            gateway = Gateway(settings.api_key, settings.api_base, request_log=log)
            try:
                listed = gateway.list_customers(limit)
                answer["page"] = {"items": listed.items, "next_cursor": listed.next_cursor}
            except GatewayError as error:  # Stripe's answer (or none): the console shows it
                answer["error"] = {f.name: getattr(error, f.name) for f in fields(error)}
            except Exception:  # anything else: the console asks again
                pass
        answer["entries"] = log.made
        text = json.dumps(answer, default=str)
        with os.fdopen(pipe, "wb") as out:
            out.write(text.encode())
        status = 0
    finally:
        os._exit(status)
