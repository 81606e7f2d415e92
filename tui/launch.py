"""`stripe-tui`, the command: the console (tui/__main__.py), with the helper that lists the
first page of customers (tui/prefetch.py) forked before anything else is imported.

Forked here, ahead of the console's own modules (argparse, the settings, the config: about 30
ms of a start of 250), the helper starts that much sooner. It reads the same arguments,
environment and config file as the console to know what the console will ask for first.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tui.prefetch import FirstPage
from tui.stripe_cli import config_file

if TYPE_CHECKING:
    from tui.settings import Settings

SUBCOMMANDS = ("sandbox", "export", "serve")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    first_page = None
    if (not args or args[0] not in SUBCOMMANDS) and _may_have_a_key(args):
        first_page = FirstPage.start(lambda: _first_question(args))
    from tui.__main__ import main as command

    try:
        return command(args, first_page=first_page)
    finally:
        if first_page is not None:
            first_page.discard()  # if the console ended before it asked (a usage error)


def _may_have_a_key(args: list[str]) -> bool:
    """Whether a key may come from anywhere `resolve` (tui/settings.py) reads one: an option
    that gives it or names a Stripe CLI project (argparse takes `--api-k` for `--api-key`),
    STRIPE_API_KEY, the Stripe CLI's config file. Without one the console runs on the embedded
    sandbox, and a helper would only cost the start a fork (about 13 ms)."""
    return (
        any(arg.startswith(("--api-k", "--p")) for arg in args)
        or bool(os.environ.get("STRIPE_API_KEY"))
        or os.path.exists(config_file(os.environ))
    )


def _first_question(args: list[str]) -> tuple[Settings, int] | None:
    """In the helper: the settings and the page size the console resolves from `args`."""
    from tui.__main__ import settings_from_args
    from tui.config import config_path, load_config
    from tui.prefetch import CUSTOMERS_PAGE_SIZE

    settings = settings_from_args(args)
    if settings.api_key is None:
        return None
    return settings, load_config(config_path()).page_size or CUSTOMERS_PAGE_SIZE
