"""Customer creates per second while the sandbox forwards its events (`--forward-to`).

The sandbox (SQLite file, default retry schedule 0.5 s, 1 s, 2 s and 10 s timeout) runs in its own
process, forwarding to: nothing; a dead receiver (a closed loopback port: every event is tried
four times); a slow receiver (answers 200 after 1 s, so deliveries queue up); a live receiver
(answers 200 at once, for information: the work of delivering shares the sandbox's loop).
Receivers run in their own process. The client is `sandbox_bench.drive`: N sequential
`POST /v1/customers` over one keep-alive connection. Configurations are interleaved over rounds
and the best round of each is kept.

    python bench/webhook_bench.py [N] [ROUNDS]

Budget: a dead or slow receiver does not slow creates: creates/s >= 0.8 x with no receiver.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator

from sandbox_bench import drive, free_port, wait_listening

SERVER = (
    "import sys\n"
    "from tui.sandbox import serve\n"
    "from tui.sandbox.webhooks import WebhookConfig\n"
    "url = sys.argv[3] if len(sys.argv) > 3 else None\n"
    "hooks = WebhookConfig(url=url, secret='whsec_bench') if url else None\n"
    "serve('127.0.0.1', int(sys.argv[1]), sys.argv[2], None, hooks)\n"
)
RECEIVER = (
    "import sys, time\n"
    "from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer\n"
    "delay = float(sys.argv[2])\n"
    "class H(BaseHTTPRequestHandler):\n"
    "    def do_POST(self):\n"
    "        self.rfile.read(int(self.headers['Content-Length']))\n"
    "        time.sleep(delay)\n"
    "        self.send_response(200)\n"
    "        self.send_header('Content-Length', '0')\n"
    "        self.end_headers()\n"
    "    def log_message(self, *args):\n"
    "        pass\n"
    "s = ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H)\n"
    "s.daemon_threads = True\n"
    "s.serve_forever()\n"
)
BUDGET = 0.8


@contextlib.contextmanager
def process(code: str, *args: str) -> Iterator[int]:
    """`code` in its own process listening on a free port; yields the port."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(port), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_listening(port, proc)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextlib.contextmanager
def receiver(kind: str) -> Iterator[str | None]:
    """The `--forward-to` URL for a kind of receiver (None: no forwarding)."""
    if kind == "none":
        yield None
    elif kind == "dead":
        yield f"http://127.0.0.1:{free_port()}/webhook"
    else:
        with process(RECEIVER, "1.0" if kind == "slow" else "0") as port:
            yield f"http://127.0.0.1:{port}/webhook"


def creates_per_second(kind: str, n: int, folder: str) -> float:
    db = os.path.join(folder, f"{kind}-{free_port()}.sqlite3")
    with receiver(kind) as url, process(SERVER, db, *([url] if url else [])) as port:
        return drive(port, n)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    kinds = ("none", "dead", "slow", "live")
    best = dict.fromkeys(kinds, 0.0)
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(rounds):
            for kind in kinds:
                best[kind] = max(best[kind], creates_per_second(kind, n, folder))
    base = best["none"]
    for kind in kinds:
        label = {
            "none": "no --forward-to",
            "dead": "dead receiver (refused)",
            "slow": "slow receiver (1 s)",
            "live": "live receiver (at once)",
        }[kind]
        print(f"{label:26} {best[kind]:8.0f} creates/s  x{best[kind] / base:.2f}")
    print(f"(N={n}, best of {rounds} rounds)")
    for kind in ("dead", "slow"):
        ratio = best[kind] / base
        verdict = "PASS" if ratio >= BUDGET else "OVER"
        print(f"{verdict} {kind} receiver: x{ratio:.2f} of no receiver (budget >= x{BUDGET})")


if __name__ == "__main__":
    main()
