"""Command line: options -> Settings -> the console, `stripe-tui sandbox` to serve it alone, or
`stripe-tui export` to write a list to standard output."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tui.config import config_path, load_config
from tui.sandbox.cli import add_webhook_options, default_db, port_number
from tui.settings import Settings, SettingsError, add_key_options, resolve

if TYPE_CHECKING:
    from tui.prefetch import FirstPage

EXIT_USAGE = 2


CONSOLE_DESCRIPTION = (
    "A keyboard-driven console for the Stripe API. With no key it runs on an embedded "
    "Stripe-compatible sandbox. `stripe-tui sandbox --help` serves the sandbox alone; "
    "`stripe-tui serve --help` serves the console to a browser; `stripe-tui export --help` "
    "writes a list to standard output."
)


def _console_parser(
    prog: str = "stripe-tui", description: str = CONSOLE_DESCRIPTION, *, serve: bool = False
) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description=description,
        epilog=(
            "The key comes from --api-key, else STRIPE_API_KEY, else the Stripe CLI's config "
            "(stripe login), else the embedded sandbox is used. Theme, keys, page size and "
            "default currency: $XDG_CONFIG_HOME/stripe-tui/config.toml (see the README)."
        ),
    )
    add_key_options(parser, live_help="allow a live key (real money)")
    if not serve:  # a served console is read-only unless --allow-writes
        parser.add_argument("--read-only", action="store_true", help="browse only: no writes")
    parser.add_argument(
        "--log-file",
        type=Path,
        metavar="PATH",
        help="also write the request log to PATH as JSON lines (redacted; appended, mode 0600)",
    )
    store = parser.add_mutually_exclusive_group()
    store.add_argument(
        "--sandbox-db",
        type=Path,
        metavar="PATH",
        help=f"the embedded sandbox's SQLite file (default: {default_db()})",
    )
    store.add_argument(
        "--memory", action="store_true", help="keep the embedded sandbox in memory only"
    )
    add_webhook_options(parser, " embedded")
    return parser


def run_sandbox(argv: Sequence[str]) -> int:
    """`stripe-tui sandbox`: the sandbox's own command line (tui/sandbox/cli.py)."""
    from tui.sandbox.cli import run

    return run(argv, prog="stripe-tui sandbox")


def run_serve(argv: Sequence[str]) -> int:
    """`stripe-tui serve`: the console in a browser, each tab its own process (tui/serve.py)."""
    from tui.serve import DEFAULT_HOST, DEFAULT_PORT

    parser = _console_parser(
        "stripe-tui serve",
        "Serve the console to a web browser (textual-serve): each tab runs its own console on "
        "the same sandbox or key. Read-only unless --allow-writes.",
        serve=True,
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to bind (default: {DEFAULT_HOST}; anyone who can reach it can use it)",
    )
    parser.add_argument(
        "--port", type=port_number, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--allow-writes", action="store_true", help="let the tabs write (default: read-only)"
    )
    args = parser.parse_args(argv)
    args.read_only = not args.allow_writes
    try:
        settings = _settings(args)
    except SettingsError as exc:
        print(f"stripe-tui serve: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from tui.serve import serve

    return serve(settings, host=args.host, port=args.port)


def settings_from_args(argv: Sequence[str]) -> Settings:
    return _settings(_console_parser().parse_args(argv))


def _settings(args: argparse.Namespace) -> Settings:
    return resolve(
        api_key=args.api_key,
        api_base=args.api_base,
        project_name=args.project_name,
        live=args.live,
        read_only=args.read_only,
        sandbox_db=args.sandbox_db,
        memory=args.memory,
        forward_to=args.forward_to,
        webhook_secret=args.webhook_secret,
        events=args.events,
        log_file=args.log_file,
    )


def _theme_names() -> frozenset[str]:
    from textual.theme import BUILTIN_THEMES

    return frozenset(BUILTIN_THEMES)


def _binding_ids() -> frozenset[str]:
    from tui.bindings import binding_ids

    return binding_ids()


def main(argv: Sequence[str] | None = None, *, first_page: FirstPage | None = None) -> int:
    """The command line; `first_page`: the helper `stripe-tui` forked (tui/launch.py)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["sandbox"]:
        return run_sandbox(args[1:])
    if args[:1] == ["export"]:
        from tui.export_cli import run as run_export

        return run_export(args[1:])
    if args[:1] == ["serve"]:
        return run_serve(args[1:])
    # Python's cyclic collector would run over and over while the console is built: tens of
    # thousands of objects that live as long as it does. It is held until the first frame is
    # out (StripeApp lets it go), a fifth of the CPU before that frame.
    gc.disable()
    try:
        try:
            settings = settings_from_args(args)
            config = load_config(config_path(), themes=_theme_names, binding_ids=_binding_ids)
        except SettingsError as exc:
            print(f"stripe-tui: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if first_page is not None and settings.api_key is None:
            first_page.discard()  # the embedded sandbox: it starts in this process
            first_page = None
        from tui.app import StripeApp

        app = StripeApp(settings, config=config, first_page=first_page)
        app.run()
        return app.return_code or 0
    finally:
        gc.enable()


if __name__ == "__main__":  # `python -m tui`, as `stripe-tui` (with the first page's helper)
    from tui.launch import main as launch

    sys.exit(launch())
