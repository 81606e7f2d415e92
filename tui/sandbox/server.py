"""Running the sandbox: in a background thread (:class:`SandboxServer`) or in the foreground."""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import threading
from types import TracebackType

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

from .app import build_app
from .errors import StripeError
from .objects import rand
from .webhooks import WebhookConfig

__all__ = ["SandboxServer", "serve"]


log = logging.getLogger("tui.sandbox")


class _Protocol(RequestHandler):
    """aiohttp's connection handler, answering a request it cannot parse in Stripe's envelope.

    aiohttp's own answer quotes the offending line (a header with a NUL, say, and its value) and
    logs a traceback; this one says only that the request was malformed. A client that gave up
    on its request (the connection is gone) is noted at debug level, without a traceback.
    """

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        if isinstance(exc, ConnectionError):  # the client gave up (e.g. on a delayed request)
            log.debug("the client went away: %s %s", request.method, request.path)
        else:
            log.debug("request refused with %s (%s)", status, type(exc).__name__)
        if request.writer.output_size > 0:
            raise ConnectionError("the response has already started")
        text = (
            "Invalid request: the HTTP request could not be parsed."
            if status < 500
            else "An unknown error occurred in the sandbox."
        )
        err = StripeError(
            status, text, type="invalid_request_error" if status < 500 else "api_error"
        )
        response = web.Response(
            status=status,
            body=json.dumps(err.envelope()).encode(),
            content_type="application/json",
            headers={"Request-Id": "req_" + rand(14)},
        )
        response.force_close()
        return response


class _Server(web.Server):
    def __call__(self) -> RequestHandler:
        return _Protocol(self, loop=self._loop, **self._kwargs)


class _Runner(web.AppRunner):
    async def _make_server(self) -> web.Server:
        server = await super()._make_server()
        server.__class__ = _Server  # the same server, with our connection handler
        return server


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


async def _start(
    host: str,
    port: int,
    db_path: str | None,
    key: str | None = None,
    webhooks: WebhookConfig | None = None,
) -> tuple[web.AppRunner, int]:
    app = build_app(db_path, key, webhooks)
    runner = _Runner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port, reuse_address=True)
        await site.start()
    except BaseException:
        await runner.cleanup()
        raise
    bound = runner.addresses[0][1]
    return runner, int(bound)


class SandboxServer:
    """The sandbox in a background thread with its own asyncio loop (so it never blocks a UI
    loop). ``key``: the one API key it accepts (None: any test key); ``webhooks``: where to
    forward its events, if anywhere."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        db_path: str | None = None,
        key: str | None = None,
        webhooks: WebhookConfig | None = None,
    ):
        self.host = host
        self.port = port
        self.db_path = db_path
        self._key = key
        self.webhooks = webhooks
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._url: str | None = None

    def start(self) -> str:
        """Start serving; block until listening; return the base URL."""
        if self._url is not None:
            return self._url
        ready = threading.Event()
        self._error = None
        thread = threading.Thread(
            target=self._run, args=(ready,), name="stripe-sandbox", daemon=True
        )
        self._thread = thread
        thread.start()
        ready.wait()
        if self._error is not None:
            thread.join()
            self._thread = None
            raise self._error
        assert self._url is not None
        return self._url

    def _run(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            runner, port = loop.run_until_complete(
                _start(self.host, self.port, self.db_path, self._key, self.webhooks)
            )
        except BaseException as exc:  # reported to start()
            self._error = exc
            loop.close()
            ready.set()
            return
        self.port = port
        self._url = _url(self.host, port)
        self._loop = loop
        ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(runner.cleanup())
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("the sandbox is not started")
        return self._url

    def stop(self) -> None:
        """Stop serving and close the database; idempotent."""
        loop, thread = self._loop, self._thread
        self._loop = self._thread = None
        self._url = None
        if loop is not None and thread is not None and thread.is_alive():
            loop.call_soon_threadsafe(loop.stop)
            thread.join()

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def serve(
    host: str,
    port: int,
    db_path: str | None,
    key: str | None = None,
    webhooks: WebhookConfig | None = None,
) -> None:
    """Serve in the foreground until SIGINT or SIGTERM (printing the webhook signing secret)."""

    async def main() -> None:
        runner, bound = await _start(host, port, db_path, key, webhooks)
        print(f"Stripe sandbox listening on {_url(host, bound)}", flush=True)
        if webhooks is not None:
            kinds = ", ".join(webhooks.events) or "every event"
            print(f"Forwarding events to {webhooks.url} ({kinds})", flush=True)
            print(f"webhook signing secret: {webhooks.secret}", flush=True)
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stopping.set)
        try:
            await stopping.wait()
        finally:
            await runner.cleanup()

    asyncio.run(main())
