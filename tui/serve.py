"""`stripe-tui serve`: the console in a browser, through textual-serve.

Each browser tab runs its own console process (`python -m tui ...`), all on one sandbox or one
key. With no key, one sandbox is started here, in the serving process, and every tab is pointed
at it with `--api-base`; its key (made for this run) or the operator's key reaches the tabs
through their environment, never on a command line (`ps` shows those) and never in the page.
Tabs are read-only unless the operator asked for writes.

A console that moves money must not be driven by another web site: a websocket is accepted only
from a page this server served (its `Origin` is the address the browser asked for), and on a
loopback address only loopback names are answered, so that a site whose name is made to point
at 127.0.0.1 (DNS rebinding) cannot reach it either.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import shlex
import socket
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from textual_serve.server import Server

from tui.embedded import EmbeddedSandbox, EmbeddedSandboxError
from tui.settings import Mode, Settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
EXIT_USAGE = 2
KEY_VARIABLE = "STRIPE_API_KEY"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_loopback(host: str) -> bool:
    """Whether `host` (an address or a name) stays on this machine."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, *, read_only: bool) -> str | None:
    """What to tell the operator who serves on an address other machines may reach."""
    if is_loopback(host):
        return None
    return (
        f"Warning: {host} is not a loopback address: anyone who can reach it can use this "
        "console" + (" (read-only)." if read_only else " and, with --allow-writes, move money.")
    )


def tab_command(settings: Settings, api_base: str | None) -> str:
    """The shell command each tab runs: this console, on `api_base`, with no key in it."""
    parts = [sys.executable, "-m", "tui"]
    if api_base is not None:
        parts += ["--api-base", api_base]
    if settings.mode is Mode.LIVE:
        parts.append("--live")
    if settings.read_only:
        parts.append("--read-only")
    if settings.log_file is not None:
        parts += ["--log-file", str(settings.log_file)]
    # exec: the console is the tab's process itself, not a child of a shell.
    return "exec " + shlex.join(parts)


class ConsoleServer(Server):
    """textual-serve's server, answering only pages and websockets that are its own."""

    def __init__(self, command: str, host: str, port: int) -> None:
        super().__init__(command, host=host, port=port, title="stripe-tui")
        self.loopback_only = is_loopback(host)
        self._tabs: set[asyncio.Task[Any]] = set()

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab: its console runs while its websocket is open."""
        task = asyncio.current_task()
        assert task is not None
        self._tabs.add(task)
        try:
            return await super().handle_websocket(request)
        finally:
            self._tabs.discard(task)

    async def on_shutdown(self, app: web.Application) -> None:
        # Without this, a stop waits for every open tab to be closed by its browser.
        for task in list(self._tabs):
            task.cancel()

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if self.loopback_only and not is_loopback(request.url.host or ""):
            raise web.HTTPForbidden(text="stripe-tui serve answers loopback addresses only.\n")
        if request.path == "/ws" and request.headers.get("Origin") != self._origin(request):
            raise web.HTTPForbidden(text="This console answers its own pages only.\n")
        return await handler(request)

    @staticmethod
    def _origin(request: web.Request) -> str:
        return f"{request.scheme}://{request.host}"

    async def handle_index(self, request: web.Request) -> Any:
        # The page's links and websocket follow the address the browser used (localhost or
        # 127.0.0.1, or this host's name), so that its websocket's Origin matches.
        self.public_url = self._origin(request)
        return await super().handle_index(request)


def serve(settings: Settings, *, host: str, port: int) -> int:
    """Serve the console until SIGINT or SIGTERM; the exit status."""
    try:  # refused before anything starts; textual-serve would say it after its banner
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        socket.create_server((host, port), family=family).close()
    except OSError as exc:  # in use, not ours, or no such host
        return _refuse(f"cannot listen on {host} port {port}: {exc.strerror or exc}")
    sandbox: EmbeddedSandbox | None = None
    api_base = settings.api_base
    if settings.api_key is None:
        sandbox = EmbeddedSandbox(settings.sandbox_db, settings.webhooks)
        try:
            api_base = sandbox.url()
        except EmbeddedSandboxError as exc:
            return _refuse(str(exc))
        os.environ[KEY_VARIABLE] = sandbox.key
    else:
        os.environ[KEY_VARIABLE] = settings.api_key.reveal()
    try:
        where = "sandbox " + (str(settings.sandbox_db) if settings.sandbox_db else "in memory")
        if settings.api_key is not None:
            where = f"{settings.mode.value} key {settings.masked_key}"
        print(f"stripe-tui serve: http://{_netloc(host, port)} ({where})", flush=True)
        if not settings.read_only:
            print("Writes are allowed (--allow-writes).", flush=True)
        if (warning := exposure_warning(host, read_only=settings.read_only)) is not None:
            print(warning, file=sys.stderr, flush=True)
        if sandbox is not None and (webhooks := settings.webhooks) is not None:
            print(f"Forwarding events to {webhooks.url}", flush=True)
            print(f"webhook signing secret: {webhooks.secret}", flush=True)
        server = ConsoleServer(tab_command(settings, api_base), host, port)
        try:
            server.serve()
        except OSError as exc:  # the address: in use, not ours, or no such host
            return _refuse(f"cannot listen on {host} port {port}: {exc.strerror or exc}")
    finally:
        if sandbox is not None:
            sandbox.stop()
    return 0


def _netloc(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _refuse(line: str) -> int:
    print(f"stripe-tui serve: {line}", file=sys.stderr)
    return EXIT_USAGE
