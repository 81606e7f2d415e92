"""An embedded Stripe-compatible API server (stdlib + aiohttp only).

``SandboxServer`` runs it in a background thread; ``serve`` runs it in the foreground;
``build_app`` gives the bare aiohttp application. They are imported on first use, so that
``tui.sandbox.cli`` (the default database file, read by the app's settings) costs no aiohttp.

Where things go: ``app.py`` is the HTTP layer (auth, idempotency, faults, transactions);
``router.py`` matches a method and path to a route and applies ``expand``; ``params.py`` checks
parameters against a spec; ``store.py`` keeps objects in SQLite. Each resource is one module of
``resources/`` holding its parameter specs, its handlers (``handler(store, params, *path_args)``,
returning the object to answer) and its ``ROUTES``, which ``router.py`` collects: a new endpoint
is a spec, a handler and a route in its resource's module. A field that lists filter on is
indexed in the one per-type table ``store.INDEXED``. What resources share (common specs,
reading an object, a list page) is ``resources/common.py``; ``objects.py`` builds objects.
Every change of state calls ``resources/events.record_event``; ``forward.py`` sends committed
events to a ``--forward-to`` receiver, signed as ``webhooks.py`` says (the options, with no
aiohttp); ``versions.py`` holds the API version served and the versions Stripe knows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import build_app
    from .server import SandboxServer, serve

__all__ = ["SandboxServer", "build_app", "serve"]


def __getattr__(name: str) -> Any:
    if name == "build_app":
        from .app import build_app

        return build_app
    if name in ("SandboxServer", "serve"):
        from . import server

        return getattr(server, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
