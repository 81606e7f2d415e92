"""``python -m tui.sandbox``: ``stripe-tui sandbox``, the same options and the same default file."""

from __future__ import annotations

import sys

from .cli import run


def main() -> None:
    sys.exit(run(sys.argv[1:], prog="python -m tui.sandbox"))


if __name__ == "__main__":
    main()
