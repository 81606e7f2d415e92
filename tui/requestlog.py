"""The request log: every request the console sent to Stripe this session, newest first.

The gateway records one `Entry` (a JSON-ready dict, already redacted) for each API request, once
the SDK has finished with it (its retries included). The log keeps the newest `MAX_ENTRIES` in
memory and, with a file, appends each entry to it as one line of JSON. In memory a long response
is kept zlib-compressed (bytes: a page of 100 customers, 60 KB of JSON, takes about 6 KB);
`response_body` reads it either way. It is shared between the
worker threads that send requests and the screen that reads it, so every access is locked.

`curl_command` and `stripe_command` turn an entry back into a shell command that sends the same
request, with the key written as `$STRIPE_API_KEY`.
"""

from __future__ import annotations

import json
import os
import shlex
import threading
import zlib
from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, urlsplit

Entry = dict[str, Any]

MAX_ENTRIES = 1_000
COMPRESS_FROM = 2_048
"""Characters of a response from which the log keeps it compressed in memory."""
STRIPE_API_BASE = "https://api.stripe.com"
KEY_VARIABLE = "$STRIPE_API_KEY"


def failed(entry: Entry) -> bool:
    """No answer at all, or an HTTP error status."""
    status = entry.get("status")
    return not isinstance(status, int) or status >= 400


def response_body(entry: Entry) -> Any:
    """The response as JSON (the log keeps its text), or its text when it is not JSON."""
    text = entry.get("response")
    if isinstance(text, bytes):
        text = zlib.decompress(text).decode()
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def sent_params(entry: Entry) -> dict[str, Any]:
    """The parameters as sent (`metadata[k]`, `expand[]`...), a repeated name as a list."""
    params: dict[str, Any] = {}
    for key, value in entry.get("params") or []:
        if key in params:
            old = params[key]
            params[key] = [*old, value] if isinstance(old, list) else [old, value]
        else:
            params[key] = value
    return params


def matches(entry: Entry, text: str) -> bool:
    """Whether the filter text names the entry: part of its path, method or request id, its
    status (`404`), or its status class (`4xx`)."""
    query = text.strip().lower()
    if not query:
        return True
    status = entry.get("status")
    if len(query) == 3 and query.endswith("xx") and query[0].isdigit():
        return isinstance(status, int) and status // 100 == int(query[0])
    fields = (entry.get("path"), entry.get("method"), entry.get("request_id"), status)
    return any(query in str(value).lower() for value in fields if value is not None)


class RequestLog:
    """The newest `MAX_ENTRIES` entries in memory; with `path`, every entry as a JSON line."""

    def __init__(self, path: Path | None = None, *, max_entries: int = MAX_ENTRIES) -> None:
        self.path = path
        self._entries: deque[Entry] = deque(maxlen=max_entries)
        self._lock = threading.Lock()
        self._seq = 0
        self.file_error: str | None = None
        """Why the log file could not be written (it is then no longer tried)."""

    @property
    def last_seq(self) -> int:
        """The number of the newest entry (0 before the first): it changes with each request."""
        return self._seq

    def record(self, entry: Entry) -> Entry:
        """Keep an entry (given its number `seq`) and append it to the file, if any."""
        response = entry.get("response")
        kept = entry
        if isinstance(response, str) and len(response) >= COMPRESS_FROM:
            kept = {**entry, "response": zlib.compress(response.encode(), 1)}
        with self._lock:
            self._seq += 1
            entry = {"seq": self._seq, **entry}
            self._entries.append({"seq": self._seq, **kept})
            self._write(entry)
        return entry

    def entries(self) -> list[Entry]:
        """Every entry kept, newest first."""
        with self._lock:
            return list(reversed(self._entries))

    def _write(self, entry: Entry) -> None:
        if self.path is None or self.file_error is not None:
            return
        line = {**entry, "response": response_body(entry)}
        try:
            # Opened for each entry: nothing to close, and a log rotated away is started again.
            # Request parameters name customers: the file is readable by its owner alone.
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as file:
                file.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
        except OSError as exc:
            self.file_error = f"Cannot write the request log {self.path}: {exc.strerror or exc}"


# Commands --------------------------------------------------------------------------------------

_FORM_UNSAFE = frozenset("&=+%#")


def _plain(text: str) -> bool:
    """Whether `text` reads the same in a form body unencoded."""
    return (
        text.isascii() and text.isprintable() and " " not in text and not _FORM_UNSAFE & set(text)
    )


def _curl_data(key: str, value: str) -> str:
    pair = f"{key}={value}"
    if _plain(key) and _plain(value):
        return f"-d {shlex.quote(pair)}"
    if _plain(key):
        return f"--data-urlencode {shlex.quote(pair)}"
    encoded = f"{quote_plus(key, safe='[]')}={quote_plus(value)}"
    return f"-d {shlex.quote(encoded)}"


def _params(entry: Entry) -> list[tuple[str, str]]:
    return [(str(k), str(v)) for k, v in entry.get("params") or []]


def curl_command(entry: Entry) -> str:
    """The request as a `curl` command line (lines joined by backslashes)."""
    method = str(entry["method"]).upper()
    base = str(entry.get("api_base") or STRIPE_API_BASE)
    params = _params(entry)
    parts = ["curl -sS"]
    if method == "GET":
        if params:
            parts[0] += " -G"
    elif method != "POST" or not params:
        parts[0] += f" -X {method}"
    parts[0] += f" {shlex.quote(base + str(entry['path']))}"
    parts.append(f'-u "{KEY_VARIABLE}:"')
    if entry.get("stripe_version"):
        parts.append(f"-H {shlex.quote('Stripe-Version: ' + str(entry['stripe_version']))}")
    if entry.get("idempotency_key"):
        parts.append(f"-H {shlex.quote('Idempotency-Key: ' + str(entry['idempotency_key']))}")
    parts += [_curl_data(key, value) for key, value in params]
    return " \\\n  ".join(parts)


def stripe_command(entry: Entry) -> str:
    """The request as a Stripe CLI command (`stripe get|post|delete PATH ...`)."""
    method = str(entry["method"]).lower()
    base = str(entry.get("api_base") or STRIPE_API_BASE)
    parts = [f"stripe {method} {shlex.quote(str(entry['path']))}"]
    parts.append(f'--api-key "{KEY_VARIABLE}"')
    if base.rstrip("/") != STRIPE_API_BASE:
        parts.append(f"--api-base {shlex.quote(base)}")
    if entry.get("stripe_version"):
        parts.append(f"--stripe-version {shlex.quote(str(entry['stripe_version']))}")
    if entry.get("idempotency_key") and method == "post":
        parts.append(f"--idempotency {shlex.quote(str(entry['idempotency_key']))}")
    if method == "delete":
        parts.append("--confirm")
    parts += [f"-d {shlex.quote(f'{key}={value}')}" for key, value in _params(entry)]
    return " \\\n  ".join(parts)


def api_base_of(url: str) -> str:
    """`scheme://host[:port]` of a request URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
