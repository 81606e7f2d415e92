"""``python -m tui.sandbox``: the options of ``stripe-tui sandbox``, in memory unless ``--db``."""

from __future__ import annotations

import sys

from .cli import run


def main() -> None:
    sys.exit(run(sys.argv[1:], prog="python -m tui.sandbox", default_db=None))


if __name__ == "__main__":
    main()
