"""`stripe-tui export KIND`: a whole list to standard output, as CSV or JSON lines, for scripts.

The key comes from the same places as the console's (`--api-key`, `STRIPE_API_KEY`, the Stripe
CLI's config); with none, the console's own sandbox file is read (`--sandbox-db`, else the
default), so that the export lists what the console shows. Any error is one line on stderr and
exit status 2; the key is never shown.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from tui.embedded import EmbeddedSandbox, EmbeddedSandboxError
from tui.export import FORMATS, KINDS, export, gateway_fetch
from tui.gateway import Gateway, GatewayError, redact
from tui.sandbox.cli import default_db
from tui.settings import SecretKey, SettingsError, add_key_options, resolve

PROG = "stripe-tui export"
EXIT_ERROR = 2


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"invalid limit: {text!r} (a whole number from 1)")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Write every object of a list to standard output, newest first: CSV (the console's "
            "columns, with id and created in UTC, amounts in major units) or JSON lines "
            "(Stripe's objects as its list returns them)."
        ),
        epilog=(
            "The key comes from --api-key, else STRIPE_API_KEY, else the Stripe CLI's config "
            "(stripe login), else the console's embedded sandbox file is read. "
            "Errors: a message on stderr and exit status 2."
        ),
    )
    parser.add_argument(
        "kind", metavar="KIND", choices=list(KINDS), help=f"the list: {', '.join(KINDS)}"
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="csv", help="csv (default) or jsonl (JSON lines)"
    )
    parser.add_argument(
        "--limit", type=_positive, metavar="N", help="at most N objects (the newest)"
    )
    add_key_options(parser, live_help="allow a live key (reads only)")
    parser.add_argument(
        "--sandbox-db",
        type=Path,
        metavar="PATH",
        help=f"the embedded sandbox's SQLite file to read (default: {default_db()})",
    )
    return parser


def _refuse(message: str) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return EXIT_ERROR


def run(argv: Sequence[str]) -> int:
    """Parse `argv`, export to standard output; the exit status."""
    args = build_parser().parse_args(argv)
    try:
        settings = resolve(
            api_key=args.api_key,
            api_base=args.api_base,
            project_name=args.project_name,
            live=args.live,
            sandbox_db=args.sandbox_db,
        )
    except SettingsError as exc:
        return _refuse(str(exc))
    embedded: EmbeddedSandbox | None = None
    if settings.api_key is None:
        db = settings.sandbox_db or default_db()
        if not db.is_file():
            return _refuse(
                f"there is no sandbox file {db} (the console makes it on its first start); "
                "give a key (STRIPE_API_KEY) to export from Stripe"
            )
        embedded = EmbeddedSandbox(db)
        gateway = Gateway(SecretKey(embedded.key), embedded.url)
    else:
        gateway = Gateway(settings.api_key, settings.api_base)
    kind = KINDS[args.kind]
    try:
        fetch = gateway_fetch(gateway, kind, args.limit)
        export(fetch, kind, args.format, sys.stdout, limit=args.limit)
    except BrokenPipeError:
        # The reader stopped (`| head`): not an error. Standard output is closed quietly, so
        # that the interpreter's own flush at exit does not complain either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except GatewayError as exc:
        return _refuse(exc.detail.replace("\n", " · "))
    except EmbeddedSandboxError as exc:
        return _refuse(str(exc))
    except OSError as exc:
        return _refuse(f"cannot write: {exc.strerror or exc}")
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # anything else: still one line, never a traceback or the key
        secret = settings.api_key.reveal() if settings.api_key else ""
        return _refuse(redact(f"{type(exc).__name__}: {exc}", secret) if secret else str(exc))
    finally:
        if embedded is not None:
            embedded.stop()
    return 0
