"""`stripe-tui serve`: the console in a real headless Chromium, one process per tab.

The browser is Debian's `chromium` driven by its `chromedriver` (CI's `.ci/run` installs both);
nothing is downloaded at run time. Without them the browser tests are skipped here, and fail
under CI, where they must run.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import stripe

from tui.__main__ import main
from tui.sandbox import SandboxServer
from tui.serve import exposure_warning, is_loopback

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SEEDED_EMAIL = "ada@example.com"
SEEDED_NAME = "Ada Lovelace"

# textual-serve keeps its xterm.js terminal to itself: this catches it as it is made, so that the
# test reads the screen as text (the terminal draws on a canvas).
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {configurable: true, set(value) {
  Object.defineProperty(this, "terminal", {value, writable: true, configurable: true});
  (window.__terminals = window.__terminals || []).push(value);
}});
"""
READ_SCREEN = """
const term = (window.__terminals || [])[0];
if (!term) return "";
const rows = [];
for (let y = 0; y < term.rows; y++) {
  const line = term.buffer.active.getLine(y);
  rows.push(line ? line.translateToString(true) : "");
}
return rows.join("\\n");
"""


UPGRADE = {
    "Connection": "Upgrade",
    "Upgrade": "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(port: int, path: str, headers: dict[str, str] | None = None) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path, headers=headers or {})
        return conn.getresponse().status
    finally:
        conn.close()


@dataclass
class Served:
    process: subprocess.Popen[str]
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def tabs(self) -> dict[int, list[str]]:
        """The command line of each console process this server started (one per tab), by pid.
        A child that still has the server's own command line is a fork not yet turned into the
        tab's command (exec): it is not a tab yet."""
        try:
            own = Path(f"/proc/{self.process.pid}/cmdline").read_bytes()
        except OSError:  # the server has ended: its tabs have been reparented
            return {}
        found = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
                if parent == self.process.pid:
                    cmdline = (stat.parent / "cmdline").read_bytes()
                    if cmdline != own:
                        found[int(stat.parent.name)] = [
                            part.decode() for part in cmdline.split(b"\0")[:-1]
                        ]
            except (OSError, IndexError, ValueError):
                continue  # gone meanwhile
        return found


@pytest.fixture
def seeded_db(tmp_path: Path) -> Path:
    """A sandbox database file holding one customer."""
    db = tmp_path / "sandbox.sqlite3"
    with SandboxServer(db_path=str(db)) as server:
        client = stripe.StripeClient(
            "sk_test_seed", base_addresses={"api": server.url}, max_network_retries=0
        )
        client.v1.customers.create({"email": SEEDED_EMAIL, "name": SEEDED_NAME})
    return db


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Served]]:
    """Start `stripe-tui serve` with the given options on a free port; stopped afterwards."""
    started: list[subprocess.Popen[str]] = []
    env = {k: v for k, v in os.environ.items() if k != "STRIPE_API_KEY"}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")  # no Stripe CLI key is found

    def start(*options: str, key: str | None = None) -> Served:
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "tui", "serve", "--port", str(port), *options],
            env=env if key is None else {**env, "STRIPE_API_KEY": key},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started.append(process)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if get(port, "/") == 200:
                    return Served(process, port)
            except OSError:
                time.sleep(0.1)
            assert process.poll() is None, process.communicate()[0]
        raise AssertionError("stripe-tui serve did not answer within 20 s")

    yield start
    for process in started:
        process.terminate()
        process.communicate(timeout=15)


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Headless Chromium through Debian's chromedriver (no download: selenium-manager is off)."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        why = f"needs {CHROMIUM} and {CHROMEDRIVER} (apt-get install chromium chromium-driver)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI runs the browser tests: {why}; .ci/run installs them")
        pytest.skip(why)
    monkeypatch.setenv("SE_OFFLINE", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_argument("--window-size=1200,800")
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


def visit(driver: object, url: str) -> None:
    """Load `url` in the current tab, catching its terminal (each tab needs the script)."""
    driver.execute_cdp_cmd(  # type: ignore[attr-defined]
        "Page.addScriptToEvaluateOnNewDocument", {"source": CATCH_TERMINAL}
    )
    driver.get(url)  # type: ignore[attr-defined]


def screen_text(driver: object, *needles: str, timeout: float = 15) -> str:
    """The terminal's text once it shows every one of `needles` (the last text if it never does)."""
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = str(driver.execute_script(READ_SCREEN))  # type: ignore[attr-defined]
        if all(needle in text for needle in needles):
            return text
        time.sleep(0.2)
    raise AssertionError(f"the page never showed {needles!r}; it showed:\n{text}")


def press(driver: object, keys: str) -> None:
    from selenium.webdriver.common.by import By

    textarea = driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")  # type: ignore[attr-defined]
    textarea.send_keys(keys)


def test_each_tab_is_its_own_read_only_console_on_one_sandbox(
    serve: Callable[..., Served], browser: object, seeded_db: Path, tmp_path: Path
) -> None:
    served = serve("--sandbox-db", str(seeded_db))
    visit(browser, served.url)
    first = screen_text(browser, "Customers", SEEDED_EMAIL, SEEDED_NAME, "READ-ONLY")
    assert "1 Customers" in first
    browser.save_screenshot(str(os.environ.get("SERVE_SCREENSHOT", tmp_path / "serve.png")))  # type: ignore[attr-defined]

    browser.switch_to.new_window("tab")  # type: ignore[attr-defined]
    visit(browser, served.url)
    screen_text(browser, SEEDED_EMAIL, "READ-ONLY")
    press(browser, "n")
    assert "Read-only" in screen_text(browser, "Read-only")

    tabs = served.tabs()
    assert len(tabs) == 2, tabs
    # One sandbox for both (started by the server), and no key on any command line.
    bases = {cmd[cmd.index("--api-base") + 1] for cmd in tabs.values()}
    assert len(bases) == 1 and bases.pop().startswith("http://127.0.0.1:")
    for cmd in tabs.values():
        assert "--read-only" in cmd
        assert not any("sk_test" in part for part in cmd)

    served.process.terminate()
    served.process.communicate(timeout=15)
    assert served.tabs() == {}  # the tabs' consoles stop with the server


def test_allow_writes_lets_a_tab_create_a_customer(
    serve: Callable[..., Served], browser: object
) -> None:
    served = serve("--memory", "--allow-writes")
    visit(browser, served.url)
    text = screen_text(browser, "No customers yet")
    assert "READ-ONLY" not in text
    press(browser, "n")
    screen_text(browser, "Create a Stripe customer")
    press(browser, "grace@example.com")
    from selenium.webdriver.common.keys import Keys

    press(browser, Keys.CONTROL + "s")
    screen_text(browser, "grace@example.com", "cus_")


def test_a_websocket_from_another_site_or_name_is_refused(serve: Callable[..., Served]) -> None:
    served = serve("--memory")
    upgrade = UPGRADE
    own = f"http://127.0.0.1:{served.port}"
    assert get(served.port, "/ws", {**upgrade, "Origin": "https://evil.example"}) == 403
    assert get(served.port, "/ws", upgrade) == 403  # no Origin: not a page of ours
    # DNS rebinding: a foreign name pointed at 127.0.0.1 is not answered at all.
    rebound = {"Host": f"evil.example:{served.port}"}
    assert get(served.port, "/", rebound) == 403
    assert get(served.port, "/ws", {**upgrade, **rebound, "Origin": "http://evil.example"}) == 403
    assert get(served.port, "/ws", {**upgrade, "Origin": own}) == 101


def test_with_a_key_each_tab_gets_it_in_its_environment_only(
    serve: Callable[..., Served], sandbox: SandboxServer
) -> None:
    key = "sk_test_ServeKey0123456789abcdef"
    served = serve("--api-base", sandbox.url, key=key)
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=5)
    conn.request("GET", "/ws", headers={**UPGRADE, "Origin": f"http://127.0.0.1:{served.port}"})
    assert conn.getresponse().status == 101
    try:
        deadline = time.monotonic() + 10
        while not (tabs := served.tabs()) and time.monotonic() < deadline:
            time.sleep(0.1)
        [(pid, cmd)] = tabs.items()
        assert cmd[cmd.index("--api-base") + 1] == sandbox.url and "--read-only" in cmd
        assert not any(key in part for part in cmd)
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        assert f"STRIPE_API_KEY={key}".encode() in environ
    finally:
        conn.close()
    page = urllib.request.urlopen(served.url, timeout=5).read().decode()
    assert key not in page


def test_a_port_in_use_exits_2_before_starting_anything(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--memory", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"stripe-tui serve: cannot listen on 127.0.0.1 port {port}" in err


def test_serve_refuses_read_only_and_warns_off_loopback() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.7")
    assert exposure_warning("127.0.0.1", read_only=False) is None
    warning = exposure_warning("0.0.0.0", read_only=False)
    assert warning is not None and "anyone who can reach it" in warning and "money" in warning
    with pytest.raises(SystemExit):  # read-only is the default: there is no such option
        main(["serve", "--read-only"])
