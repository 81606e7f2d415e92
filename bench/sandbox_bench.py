"""Customer creates per second: our sandbox (durable, SQLite file) vs localstripe (in memory).

Both servers run in their own process on loopback and are driven by the same client loop: N
sequential ``POST /v1/customers`` over one keep-alive HTTP connection. Prints figures only.

    python bench/sandbox_bench.py [N]
"""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator

KEY = "sk_test_bench"

OURS = (
    "import sys\nfrom tui.sandbox import serve\nserve('127.0.0.1', int(sys.argv[1]), sys.argv[2])\n"
)
# localstripe pickles its whole store on every write; "persistence off" = no dump, no load,
# and no access log (ours has none either).
LOCALSTRIPE = (
    "import sys\n"
    "import localstripe.resources as r\n"
    "r.Store.dump_to_disk = lambda self: None\n"
    "from aiohttp import web\n"
    "from localstripe.server import app\n"
    "web.run_app(app, host='127.0.0.1', port=int(sys.argv[1]), access_log=None, print=None)\n"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_listening(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("server did not start")


def drive(port: int, n: int) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {
        "Authorization": f"Bearer {KEY}",
        "Content-Type": "application/x-www-form-urlencoded",
    }

    def create(i: int) -> None:
        body = f"email=user{i}%40example.com&name=User+{i}&metadata[n]={i}"
        conn.request("POST", "/v1/customers", body=body, headers=headers)
        resp = conn.getresponse()
        resp.read()
        if resp.status != 200:
            raise RuntimeError(f"HTTP {resp.status}")

    for i in range(min(200, n)):  # warm-up
        create(i)
    started = time.perf_counter()
    for i in range(n):
        create(i)
    elapsed = time.perf_counter() - started
    conn.close()
    return n / elapsed


@contextlib.contextmanager
def server_process(code: str, extra: list[str]) -> Iterator[int]:
    """A server (OURS or LOCALSTRIPE) in its own process on a free port; yields the port."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(port), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_listening(port, proc)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def run(code: str, extra: list[str], n: int) -> float:
    with server_process(code, extra) as port:
        return drive(port, n)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as tmp:
        ours = run(OURS, [os.path.join(tmp, "bench.sqlite")], n)
    print(f"stripe-tui sandbox (SQLite WAL file): {ours:8.0f} creates/s  (N={n})")
    try:
        import localstripe  # noqa: F401
    except ImportError:
        print("localstripe is not installed (pip install localstripe): no comparison")
        return
    theirs = run(LOCALSTRIPE, [], n)
    print(f"localstripe (in memory, no pickle):   {theirs:8.0f} creates/s  (N={n})")
    print(f"ratio ours / localstripe: {ours / theirs:.2f}")


if __name__ == "__main__":
    main()
