"""An embedded Stripe-compatible API server (stdlib + aiohttp only).

``SandboxServer`` runs it in a background thread; ``serve`` runs it in the foreground;
``build_app`` gives the bare aiohttp application.
"""

from .app import build_app
from .server import SandboxServer, serve

__all__ = ["SandboxServer", "build_app", "serve"]
