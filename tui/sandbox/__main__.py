"""``python -m tui.sandbox [--host H] [--port N] [--db PATH]`` (the app wires its own CLI)."""

from __future__ import annotations

import argparse

from .server import serve


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tui.sandbox")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=12111)
    parser.add_argument("--db", default=None, help="SQLite file (default: in memory)")
    args = parser.parse_args()
    serve(args.host, args.port, args.db)


if __name__ == "__main__":
    main()
