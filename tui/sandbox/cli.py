"""The sandbox's command line, shared by ``stripe-tui sandbox`` and ``python -m tui.sandbox``.

Every refusal (a port in use, a bad host, a ``--db`` that is missing its folder, a directory or
not a database, a key that is not a test key, a ``--forward-to`` that is not a URL, a
``--webhook-secret`` that is not ``whsec_...``) is one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

if TYPE_CHECKING:
    from .webhooks import WebhookConfig

# The console imports this module for its options and the default database before its first
# paint: SQLite and the webhooks' signing (hashlib) are imported where they are used.

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "EXIT_USAGE",
    "build_parser",
    "default_db",
    "port_number",
    "run",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 12111
EXIT_USAGE = 2


def default_db() -> Path:
    """The sandbox's file without ``--db``: in the user data folder (the app's embedded one too)."""
    return platformdirs.user_data_path("stripe-tui") / "sandbox.sqlite3"


class UsageError(Exception):
    """A refusal; str() is the line shown."""


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"invalid port: {text!r} (0 to 65535)")
    return port


def build_parser(prog: str) -> argparse.ArgumentParser:
    """The options."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Serve the Stripe-compatible sandbox alone (Stripe CLI, scripts, tests).",
    )
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to bind (default: {DEFAULT_HOST})"
    )
    parser.add_argument(
        "--port",
        type=port_number,
        default=DEFAULT_PORT,
        help=f"port (default: {DEFAULT_PORT}; 0 picks a free one)",
    )
    parser.add_argument(
        "--key",
        metavar="KEY",
        help="the one sk_test_ key to accept (default: any sk_test_ or rk_test_ key)",
    )
    store = parser.add_mutually_exclusive_group()
    store.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help=f"SQLite file to keep objects in (default: {default_db()})",
    )
    store.add_argument("--memory", action="store_true", help="keep objects in memory only")
    add_webhook_options(parser, "")
    return parser


def add_webhook_options(parser: argparse.ArgumentParser, which: str) -> None:
    """`--forward-to`, `--webhook-secret` and `--events` (also the console's, for its sandbox)."""
    parser.add_argument(
        "--forward-to",
        metavar="URL",
        help=f"POST every event of the{which} sandbox to URL, signed as Stripe signs webhooks "
        "(as `stripe listen --forward-to` does)",
    )
    parser.add_argument(
        "--webhook-secret",
        metavar="WHSEC",
        help="the signing secret for --forward-to (default: a new whsec_... shown at start)",
    )
    parser.add_argument(
        "--events",
        metavar="TYPE,...",
        help="forward only these event types (e.g. customer.created,payment_intent.*)",
    )


def webhook_config(
    forward_to: str | None, secret: str | None, events: str | None
) -> WebhookConfig | None:
    """The webhook options as a config (None without --forward-to); WebhookOptionError if
    one cannot be used, or is given without --forward-to."""
    from .webhooks import (
        WebhookConfig,
        WebhookOptionError,
        check_secret,
        forward_url,
        new_secret,
        parse_events,
    )

    if forward_to is None:
        for option, value in (("--webhook-secret", secret), ("--events", events)):
            if value is not None:
                raise WebhookOptionError(f"{option} needs --forward-to URL")
        return None
    return WebhookConfig(
        url=forward_url(forward_to),
        secret=new_secret() if secret is None else check_secret(secret),
        events=() if events is None else parse_events(events),
    )


def prepare_db(path: Path, *, make_folder: bool) -> None:
    """Refuse a path that cannot be the sandbox's database; make its folder (0700) if asked."""
    from .store import SQLITE_MAGIC

    if path.is_dir():
        raise UsageError(f"--db {path} is a directory, not a database file")
    folder = path.parent
    if not folder.is_dir():
        if not make_folder:
            raise UsageError(f"--db {path}: the folder {folder} does not exist")
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.exists():
        try:
            with path.open("rb") as file:
                head = file.read(len(SQLITE_MAGIC))
        except OSError as exc:
            raise UsageError(f"--db {path} cannot be read: {exc.strerror}") from None
        if head and head != SQLITE_MAGIC:
            raise UsageError(f"--db {path} is not a SQLite database")


def run(argv: Sequence[str], *, prog: str) -> int:
    """Parse ``argv`` and serve until SIGINT or SIGTERM; the exit status."""
    args = build_parser(prog).parse_args(argv)
    import sqlite3

    from .server import serve
    from .webhooks import WebhookOptionError

    try:
        if args.key is not None and not (
            args.key.startswith(("sk_test_", "rk_test_")) and len(args.key) > 8
        ):
            raise UsageError("--key must be a test secret key (sk_test_... or rk_test_...)")
        db: Path | None = None
        if not args.memory:
            db = args.db or default_db()
        webhooks = webhook_config(args.forward_to, args.webhook_secret, args.events)
        if db is not None:
            prepare_db(db, make_folder=args.db is None)
        serve(args.host, args.port, None if db is None else str(db), args.key, webhooks)
    except (UsageError, WebhookOptionError) as exc:
        return _refuse(prog, str(exc))
    except sqlite3.Error as exc:
        return _refuse(prog, f"--db {db}: {exc}")
    except OSError as exc:  # the address: in use, not ours, or no such host
        why = exc.strerror or str(exc)
        return _refuse(prog, f"cannot listen on {args.host} port {args.port}: {why}")
    return 0


def _refuse(prog: str, line: str) -> int:
    print(f"{prog}: {line}", file=sys.stderr)
    return EXIT_USAGE
