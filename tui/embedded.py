"""The embedded sandbox, started off the UI thread after the first paint.

`stripe-tui` with no key serves the sandbox inside its own process on a free loopback port. Its
start (importing aiohttp, opening SQLite) is kept out of the first paint: the app calls
`start_in_background()` once mounted, and the gateway's first request waits for `url()`.
"""

from __future__ import annotations

import base64
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.sandbox import SandboxServer
    from tui.sandbox.webhooks import WebhookConfig

START_TIMEOUT_SECONDS = 30.0


class EmbeddedSandboxError(RuntimeError):
    """The embedded sandbox could not start; str() says why."""


class EmbeddedSandbox:
    """One in-process sandbox whose URL is known once it listens.

    It accepts only ``key``, made for this process: other local users can reach its loopback
    port but cannot read or change it. ``webhooks``: where it forwards its events, if anywhere.
    """

    def __init__(self, db_path: Path | None, webhooks: WebhookConfig | None = None) -> None:
        self.db_path = db_path
        self.webhooks = webhooks
        # secrets.token_urlsafe(32), less its import of OpenSSL (hmac) before the first paint
        self.key = "sk_test_" + base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
        self._ready = threading.Event()
        self._started = False
        self._lock = threading.Lock()
        self._server: SandboxServer | None = None
        self._url: str | None = None
        self._error: BaseException | None = None

    def start_in_background(self) -> None:
        """Start the server on a daemon thread; returns at once. Safe to call twice."""
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._run, name="embedded-sandbox", daemon=True).start()

    def _run(self) -> None:
        try:
            from tui.sandbox import SandboxServer

            if self.db_path is not None:
                self.db_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            server = SandboxServer(
                db_path=None if self.db_path is None else str(self.db_path),
                key=self.key,
                webhooks=self.webhooks,
            )
            self._url = server.start()
            self._server = server
        except BaseException as exc:  # reported to whoever waits for the URL
            self._error = exc
        finally:
            self._ready.set()

    def url(self) -> str:
        """The base URL, starting the server if needed and waiting until it listens."""
        self.start_in_background()
        if not self._ready.wait(START_TIMEOUT_SECONDS):
            raise EmbeddedSandboxError("The embedded sandbox did not start within 30 seconds.")
        if self._url is None:
            raise EmbeddedSandboxError(f"The embedded sandbox could not start: {self._error}")
        return self._url

    @property
    def started_url(self) -> str | None:
        """The URL if the server already listens, without waiting."""
        return self._url

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
