"""The first page of customers, listed by a forked helper while the console starts.

Each case runs in its own Python process, as `stripe-tui` does: the helper is forked only from
a process with one thread, which a test worker is not. The sandbox is this test's, over HTTP.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from tests.functional.conftest import TEST_KEY
from tests.functional.helpers import add_fault
from tui.gateway import Gateway

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the helper is forked on Linux")

# argv: the API base, the helper's page size, then what the console asks first: `list N` or
# `search TEXT` (then `list N`). Prints what the console got and what its request log shows.
CONSOLE = r"""
import json, os, sys
from tui.__main__ import settings_from_args
from tui.gateway import Gateway, GatewayError
from tui.prefetch import FirstPage

settings = settings_from_args(["--api-base", sys.argv[1]])
first = FirstPage.start(lambda: (settings, int(sys.argv[2])))
gateway = Gateway(settings.api_key, settings.api_base, first_page=first, max_network_retries=0)
out = {"helper": first is not None, "pending": gateway.first_page_pending}
try:
    if sys.argv[3] == "search":
        gateway.search_customers(sys.argv[4])
        limit = int(sys.argv[5])
    else:
        limit = int(sys.argv[4])
    page = gateway.list_customers(limit)
    out["ids"] = [item["id"] for item in page.items]
    out["next"] = page.next_cursor
except GatewayError as error:
    out["error"] = [error.kind.value, error.http_status, str(error)]
out["pending after"] = gateway.first_page_pending
out["log"] = [
    [entry["method"], entry["path"], dict(entry["params"]), entry["status"]]
    for entry in reversed(gateway.request_log.entries())
]
try:
    os.waitpid(-1, os.WNOHANG)
    out["child left"] = True
except ChildProcessError:
    out["child left"] = False
print(json.dumps(out))
"""


def python(script: str, *argv: str, key: str | None = None) -> subprocess.CompletedProcess[str]:
    """`python -c script argv...` in a process of its own, with `key` in STRIPE_API_KEY and
    no config file (the console's or the Stripe CLI's) but what the test writes."""
    env = {**os.environ, "XDG_CONFIG_HOME": "/nonexistent"}
    env.pop("STRIPE_API_KEY", None)
    if key is not None:
        env["STRIPE_API_KEY"] = key
    return subprocess.run(
        [sys.executable, "-c", script, *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def console(api_base: str, key: str, *argv: str) -> dict[str, Any]:
    done = python(CONSOLE, api_base, *argv, key=key)
    assert done.returncode == 0, done.stderr
    assert key not in done.stdout + done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def seed(gateway: Gateway, n: int) -> list[str]:
    """`n` customers; their ids newest first, as Stripe lists them."""
    for i in range(n):
        gateway.create_customer({"name": f"Customer {i}"}, f"seed-{i}")
    return [item["id"] for item in gateway.list_customers(100).items]


def test_the_first_page_comes_from_the_helper_and_its_request_is_logged(
    sandbox: Any, gateway: Gateway
) -> None:
    ids = seed(gateway, 5)
    out = console(sandbox.url, TEST_KEY, "3", "list", "3")
    assert out["helper"] and out["pending"]
    assert out["ids"] == ids[:3]
    assert out["next"] == ids[2]
    # One request, the helper's: the console did not ask again.
    assert out["log"] == [["GET", "/v1/customers", {"limit": "3"}, 200]]
    assert not out["pending after"]
    assert not out["child left"]


def test_stripes_error_for_the_first_page_is_the_consoles_and_is_not_asked_twice(
    sandbox: Any, gateway: Gateway
) -> None:
    seed(gateway, 2)
    # Once only: were the console to ask again, it would get the page.
    add_fault(sandbox, TEST_KEY, path="/v1/customers", method="GET", status=400, count=1)
    out = console(sandbox.url, TEST_KEY, "3", "list", "3")
    assert "ids" not in out
    assert out["error"][:2] == ["invalid request", 400]
    assert out["log"] == [["GET", "/v1/customers", {"limit": "3"}, 400]]
    assert not out["child left"]


def test_a_first_question_for_another_page_is_asked_by_the_console(
    sandbox: Any, gateway: Gateway
) -> None:
    """A page of another size (a config file changed between the two readings of it): the
    console lists its own, and the log shows both requests, as both were sent."""
    ids = seed(gateway, 5)
    out = console(sandbox.url, TEST_KEY, "3", "list", "4")
    assert out["ids"] == ids[:4]
    assert out["log"] == [
        ["GET", "/v1/customers", {"limit": "3"}, 200],
        ["GET", "/v1/customers", {"limit": "4"}, 200],
    ]
    assert not out["child left"]


def test_a_search_first_drops_the_helpers_page(sandbox: Any, gateway: Gateway) -> None:
    """A filter typed before the first fetch: the page listed at the start is not shown later."""
    ids = seed(gateway, 4)
    out = console(sandbox.url, TEST_KEY, "3", "search", 'name~"Customer"', "3")
    assert out["ids"] == ids[:3]
    assert [entry[:2] for entry in out["log"]] == [
        ["GET", "/v1/customers/search"],
        ["GET", "/v1/customers"],
    ]
    assert not out["child left"]


def test_a_helper_with_nothing_to_list_answers_nothing() -> None:
    """No key (the embedded sandbox): the helper lists nothing and the console asks itself."""
    script = (
        "import os, sys\n"
        "from tui.prefetch import FirstPage\n"
        "first = FirstPage.start(lambda: None)\n"
        "assert first.take(100) == (None, []), 'an answer'\n"
        "try:\n"
        "    os.waitpid(-1, os.WNOHANG)\n"
        "    sys.exit('a child is left')\n"
        "except ChildProcessError:\n"
        "    pass\n"
    )
    done = python(script)
    assert done.returncode == 0, done.stderr


def test_no_helper_is_forked_from_a_process_with_threads(
    sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test's process has the sandbox's thread: forking it would copy held locks."""
    from tui.__main__ import settings_from_args
    from tui.prefetch import FirstPage

    monkeypatch.setenv("STRIPE_API_KEY", TEST_KEY)
    settings = settings_from_args(["--api-base", sandbox.url])
    assert FirstPage.start(lambda: (settings, 100)) is None


# The console as `stripe-tui --api-base URL` starts it (tui.launch), headless: what the
# Customers list shows first and what the request log holds by then.
STRIPE_TUI = r"""
import asyncio, gc, json, sys
import tui.launch
from tui.app import StripeApp

seen = {}

async def look(pilot):
    app = pilot.app
    for _ in range(500):
        if app.screen.table.row_count:
            break
        await asyncio.sleep(0.01)
    seen["ids"] = [item["id"] for item in app.screen.table.items]
    seen["pending after"] = app.gateway.first_page_pending
    for _ in range(500):  # let go after the first frame, at the app's first idle moment
        if gc.isenabled():
            break
        await asyncio.sleep(0.01)
    seen["collector after"] = gc.isenabled()
    log = app.gateway.request_log.entries()
    seen["log"] = [[entry["method"], entry["path"], dict(entry["params"])] for entry in log]
    app.exit()

built, run = StripeApp.__init__, StripeApp.run

def init(self, *args, **kwargs):
    built(self, *args, **kwargs)
    seen["pending"] = self.gateway.first_page_pending
    seen["collector at start"] = gc.isenabled()

StripeApp.__init__ = init
StripeApp.run = lambda self, **kw: run(self, headless=True, size=(120, 36), auto_pilot=look)
status = tui.launch.main(["--api-base", sys.argv[1]])
print(json.dumps(seen))
sys.exit(status)
"""


def test_the_console_shows_the_helpers_page_first_and_runs_the_collector_after(
    sandbox: Any, gateway: Gateway
) -> None:
    ids = seed(gateway, 3)
    done = python(STRIPE_TUI, sandbox.url, key=TEST_KEY)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["pending"]  # a helper was listing them
    assert out["ids"] == ids
    assert not out["pending after"]
    # Its one request is in the console's log; the console did not ask again.
    listed = [entry for entry in out["log"] if entry[1] == "/v1/customers"]
    assert listed == [["GET", "/v1/customers", {"limit": "100"}]]
    # The garbage collector is held while the console starts, and let go once it has painted.
    assert not out["collector at start"]
    assert out["collector after"]


def test_a_usage_error_stops_the_helper(sandbox: Any) -> None:
    """`stripe-tui` ends at once on a usage error, its helper with it: no process is left."""
    script = (
        "import os, sys\n"
        "import tui.launch\n"
        "status = tui.launch.main(['--api-base', sys.argv[1], '--memory'])\n"
        "try:\n"
        "    os.waitpid(-1, os.WNOHANG)\n"
        "    sys.exit('a child is left')\n"
        "except ChildProcessError:\n"
        "    sys.exit(status)\n"
    )
    done = python(script, sandbox.url, key=TEST_KEY)
    assert done.returncode == 2, done.stderr
    assert "--memory is for the embedded sandbox" in done.stderr
    assert TEST_KEY not in done.stderr
