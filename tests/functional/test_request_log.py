"""The request log: what the gateway records, the commands it copies, and screen 5.

Everything runs against the sandbox over HTTP; request ids are compared with what the sandbox
returned (the error's id, or the `request.id` of the event a write made).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from screens import request_log
from screens.request_log import RequestLogScreen, RequestLogTable
from tests.functional.conftest import TEST_KEY
from tests.functional.helpers import add_fault, fill, settle, submit
from tests.functional.test_console import open_palette, screen_text
from tui.__main__ import settings_from_args
from tui.app import StripeApp
from tui.gateway import Gateway, GatewayError
from tui.requestlog import (
    RequestLog,
    curl_command,
    failed,
    matches,
    response_body,
    stripe_command,
)
from tui.settings import SettingsError
from widgets.inspector import JsonInspector

AppFactory = Callable[..., StripeApp]

FAST_POLL = 0.05
"""Seconds between the log screen's looks for new requests in the tests that wait for one."""


@pytest.fixture
def fast_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(request_log, "POLL_SECONDS", FAST_POLL)


def newest_shown(app: StripeApp) -> bool:
    """Whether the log screen shows the newest request of the log."""
    screen = app.screen
    if not isinstance(screen, RequestLogScreen) or not screen.table.items:
        return False
    return bool(screen.table.items[0]["seq"] == app.gateway.request_log.last_seq)


async def until_polled(pilot: Any, shown: Callable[[], bool], within: float = 10.0) -> None:
    """Wait for the log screen's poll to show what `shown` looks for (or `within` to pass)."""
    deadline = time.monotonic() + within
    while not shown() and time.monotonic() < deadline:
        await pilot.pause(FAST_POLL)
    await settle(pilot)


def logged(gateway: Gateway) -> list[dict[str, Any]]:
    return gateway.request_log.entries()


def event_request_ids(gateway: Gateway) -> dict[str, str]:
    """Each event's type -> the id of the request that caused it (newest wins)."""
    events = gateway.list_events(100).items
    return {e["type"]: e["request"]["id"] for e in reversed(events)}


# What the gateway records ----------------------------------------------------------------------


def test_every_operation_is_logged_with_the_request_id_stripe_returned(gateway: Gateway) -> None:
    customer = gateway.create_customer({"email": "jenny@example.com", "name": "Jenny"}, "k-cus")
    product = gateway.create_product({"name": "Shirt"}, "k-prod")
    price = gateway.create_price(
        product_id=product["id"], unit_amount=1500, currency="usd", idempotency_key="k-price"
    )
    gateway.create_payment_link(price_id=price["id"], quantity=1, idempotency_key="k-link")
    intent = gateway.create_payment_intent(
        amount=2000, currency="usd", customer_id=customer["id"], idempotency_key="k-pi"
    )
    gateway.confirm_payment_intent(
        intent["id"], payment_method="pm_card_visa", idempotency_key="k-confirm"
    )
    gateway.create_refund(payment_intent_id=intent["id"], amount=500, idempotency_key="k-refund")
    gateway.list_customers(5)
    gateway.retrieve_customer(customer["id"])
    with pytest.raises(GatewayError) as missing:
        gateway.retrieve_customer("cus_missing")

    entries = logged(gateway)
    summary = [(e["method"], e["path"], e["status"]) for e in entries]
    assert summary == [
        ("GET", "/v1/customers/cus_missing", 404),
        ("GET", f"/v1/customers/{customer['id']}", 200),
        ("GET", "/v1/customers", 200),
        ("POST", "/v1/refunds", 200),
        ("POST", f"/v1/payment_intents/{intent['id']}/confirm", 200),
        ("POST", "/v1/payment_intents", 200),
        ("POST", "/v1/payment_links", 200),
        ("POST", "/v1/prices", 200),
        ("POST", "/v1/products", 200),
        ("POST", "/v1/customers", 200),
    ]
    assert [e["seq"] for e in entries] == list(range(10, 0, -1))  # newest first
    # each write's id is the one its event names; the failure's is the error's
    by_key = {e["idempotency_key"]: e for e in entries if e["idempotency_key"]}
    caused = event_request_ids(gateway)
    assert by_key["k-cus"]["request_id"] == caused["customer.created"]
    assert by_key["k-prod"]["request_id"] == caused["product.created"]
    assert by_key["k-price"]["request_id"] == caused["price.created"]
    assert by_key["k-link"]["request_id"] == caused["payment_link.created"]
    assert by_key["k-pi"]["request_id"] == caused["payment_intent.created"]
    assert by_key["k-confirm"]["request_id"] == caused["payment_intent.succeeded"]
    assert by_key["k-refund"]["request_id"] == caused["charge.refunded"]
    assert entries[0]["request_id"] == missing.value.request_id
    assert len({e["request_id"] for e in entries}) == 10
    assert all(e["request_id"].startswith("req_") for e in entries)
    # what was sent and what came back
    assert by_key["k-cus"]["params"] == [["email", "jenny@example.com"], ["name", "Jenny"]]
    assert entries[2]["params"] == [["limit", "5"]]
    assert response_body(by_key["k-cus"]) == customer
    assert entries[0]["error"] == {
        "type": "invalid_request_error",
        "code": "resource_missing",
        "param": "id",
        "message": "No such customer: 'cus_missing'",
    }
    assert failed(entries[0]) and not failed(entries[1])
    assert all(isinstance(e["latency_ms"], int) and e["retries"] == 0 for e in entries)
    assert all(e["stripe_version"] and e["api_base"] for e in entries)


def test_retries_and_a_connection_failure_are_logged(sandbox: Any, settings: Any) -> None:
    gateway = Gateway(settings.api_key, settings.api_base, max_network_retries=1)
    add_fault(sandbox, TEST_KEY, path="/v1/customers", method="POST", status=500, count=1)
    gateway.create_customer({"email": "retry@example.com"}, "k-retry")
    add_fault(sandbox, TEST_KEY, path="/v1/products", method="POST", drop=True, count=2)
    with pytest.raises(GatewayError):
        gateway.create_product({"name": "Lost"}, "k-lost")
    lost, retried = logged(gateway)
    assert (retried["status"], retried["retries"], retried["idempotency_key"]) == (
        200,
        1,
        "k-retry",
    )
    assert retried["request_id"].startswith("req_")
    assert lost["status"] is None and lost["request_id"] is None and lost["retries"] == 1
    assert lost["error"]["type"] == "api_connection_error"
    assert lost["error"]["message"].startswith("Could not reach Stripe")
    assert failed(lost)


def test_the_log_keeps_the_newest_entries() -> None:
    log = RequestLog(max_entries=3)
    for n in range(5):
        log.record({"path": f"/v1/x/{n}", "status": 200})
    assert [e["path"] for e in log.entries()] == ["/v1/x/4", "/v1/x/3", "/v1/x/2"]
    assert log.last_seq == 5


def test_the_log_is_shared_safely_between_threads() -> None:
    import threading

    log = RequestLog(max_entries=1_000)

    def record() -> None:
        for _ in range(500):
            log.record({"status": 200})

    threads = [threading.Thread(target=record) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seqs = [e["seq"] for e in log.entries()]
    assert log.last_seq == 2_000 and seqs == list(range(2_000, 1_000, -1))


def test_filters() -> None:
    entry = {"method": "GET", "path": "/v1/customers/cus_1", "status": 404, "request_id": "req_ab"}
    assert matches(entry, "customers") and matches(entry, "404") and matches(entry, "4xx")
    assert matches(entry, "REQ_AB") and matches(entry, "")
    assert not matches(entry, "5xx") and not matches(entry, "products")


# The key is nowhere -----------------------------------------------------------------------------


def test_the_key_and_secrets_are_in_neither_the_log_nor_its_file(
    settings: Any, tmp_path: Path
) -> None:
    path = tmp_path / "requests.jsonl"
    gateway = Gateway(
        settings.api_key, settings.api_base, max_network_retries=0, request_log=RequestLog(path)
    )
    gateway.create_customer(
        {"email": "k@example.com", "description": f"pasted {TEST_KEY} by mistake"}, "k-key"
    )
    intent = gateway.create_payment_intent(amount=500, currency="usd", idempotency_key="k-sec")
    assert intent["client_secret"]
    with pytest.raises(GatewayError):
        gateway.retrieve_customer(TEST_KEY)  # the key where an id goes: in the path
    lines = path.read_text().splitlines()
    assert len(lines) == 3
    assert [json.loads(line)["seq"] for line in lines] == [1, 2, 3]
    everything = path.read_text() + json.dumps(logged(gateway))
    for entry in logged(gateway):
        everything += curl_command(entry) + stripe_command(entry)
    assert TEST_KEY not in everything
    assert intent["client_secret"] not in everything
    assert '"client_secret": "[redacted]"' in everything
    assert "pasted [redacted] by mistake" in everything
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_log_file_option(tmp_path: Path) -> None:
    settings = settings_from_args(["--memory", "--log-file", str(tmp_path / "log.jsonl")])
    assert settings.log_file == tmp_path / "log.jsonl"
    with pytest.raises(SettingsError, match="is a directory"):
        settings_from_args(["--memory", "--log-file", str(tmp_path)])
    with pytest.raises(SettingsError, match="does not exist"):
        settings_from_args(["--memory", "--log-file", str(tmp_path / "no" / "log.jsonl")])


# Replaying a copied command ----------------------------------------------------------------------


def _run(command: str) -> Any:
    env = {**os.environ, "STRIPE_API_KEY": TEST_KEY}
    done = subprocess.run(
        ["bash", "-c", command], env=env, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
def test_a_copied_curl_command_gets_the_same_object(gateway: Gateway) -> None:
    customer = gateway.create_customer(
        {"email": "o'brien@example.com", "name": 'Zoë & "Co" = 100% $HOME\n`x`'}, "k-curl"
    )
    gateway.retrieve_customer(customer["id"])
    get, post = logged(gateway)
    assert TEST_KEY not in curl_command(get) + curl_command(post)
    assert "$STRIPE_API_KEY" in curl_command(get)
    assert _run(curl_command(get)) == customer
    # the POST with its idempotency key: replayed, not made again
    assert _run(curl_command(post)) == customer
    assert len(gateway.list_customers(10).items) == 1


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
def test_a_copied_curl_command_replays_a_list_with_its_parameters(gateway: Gateway) -> None:
    for n in range(3):
        gateway.create_customer({"email": f"c{n}@example.com"}, f"k-{n}")
    page = gateway.list_customers(2, email="c1@example.com")
    replayed = _run(curl_command(logged(gateway)[0]))
    assert [c["id"] for c in replayed["data"]] == [c["id"] for c in page.items]


def test_stripe_cli_command(gateway: Gateway, settings: Any) -> None:
    gateway.create_customer({"email": "cli@example.com", "name": "A B"}, "k-cli")
    command = stripe_command(logged(gateway)[0])
    assert command.split("\\\n") == [
        "stripe post /v1/customers ",
        '  --api-key "$STRIPE_API_KEY" ',
        f"  --api-base {settings.api_base} ",
        f"  --stripe-version {logged(gateway)[0]['stripe_version']} ",
        "  --idempotency k-cli ",
        "  -d email=cli@example.com ",
        "  -d 'name=A B'",
    ]


# The screen --------------------------------------------------------------------------------------


async def test_console_actions_appear_on_the_log_screen(
    make_app: AppFactory, fast_poll: None
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)  # the customers list loaded
        await pilot.press("n")
        await fill(pilot, email="jenny@example.com", name="Jenny Rosen")
        await submit(pilot)
        created = [e for e in logged(app.gateway) if e["method"] == "POST"]
        assert len(created) == 1
        # asked before the log opens: a request made later reloads the list at the next poll
        events_by_type = event_request_ids(app.gateway)
        await pilot.press("5")
        await settle(pilot)
        # a request still in flight is shown at the next poll
        await until_polled(pilot, lambda: newest_shown(app))
        screen = app.screen
        assert isinstance(screen, RequestLogScreen)
        table = screen.table
        rows = table.items
        assert [r["seq"] for r in rows] == sorted((r["seq"] for r in rows), reverse=True)
        sent = [(r["method"], r["path"]) for r in rows]
        # the first list, the create, then the new customer's payment intents
        assert sent[-1] == ("GET", "/v1/customers") and ("POST", "/v1/customers") in sent
        assert len(rows) == len(logged(app.gateway))
        table.move_cursor(row=sent.index(("POST", "/v1/customers")))
        await settle(pilot)
        request_id = created[0]["request_id"]
        assert request_id == events_by_type["customer.created"]
        shown = screen_text(app)
        assert "/v1/customers" in shown and request_id in shown
        # y copies the request id, c a curl command, s a stripe CLI command
        await pilot.press("y")
        assert app.clipboard == request_id
        await pilot.press("c")
        assert app.clipboard.startswith("curl -sS ") and "$STRIPE_API_KEY" in app.clipboard
        assert "Idempotency-Key: " in app.clipboard
        await pilot.press("s")
        assert app.clipboard.startswith("stripe post /v1/customers")
        # enter: the parameters sent and the response
        await pilot.press("enter")
        await pilot.pause()
        inspector = app.screen
        assert isinstance(inspector, JsonInspector)
        assert inspector.data["request"]["params"] == {
            "email": "jenny@example.com",
            "name": "Jenny Rosen",
        }
        assert inspector.data["response"]["body"]["email"] == "jenny@example.com"
        assert inspector.data["response"]["request_id"] == request_id
        assert TEST_KEY not in inspector.text
        await pilot.press("escape")
        await pilot.pause()
        assert TEST_KEY not in screen_text(app)


async def test_log_screen_shows_failures_and_filters(make_app: AppFactory, fast_poll: None) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"retrieve a stripe customer")
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await fill(pilot, customer_id="cus_doesnotexist")
        await submit(pilot)
        await pilot.press("escape", "escape")  # typed changes: the first escape asks
        await pilot.pause()
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestLogScreen)
        table = screen.query_one(RequestLogTable)
        assert {r["status"] for r in table.items} == {200, 404}
        await pilot.press("f")
        await settle(pilot)
        assert [(r["path"], r["status"]) for r in table.items] == [
            ("/v1/customers/cus_doesnotexist", 404)
        ]
        await settle(pilot)
        shown = screen_text(app)
        assert "No such customer" in shown and "resource_missing" in shown
        await pilot.press("f")
        await pilot.press("slash")
        await pilot.press(*"2xx", "enter")
        await settle(pilot)
        assert {r["status"] for r in table.items} == {200}
        await pilot.press("escape")
        await settle(pilot)
        assert {r["status"] for r in table.items} == {200, 404}
        # new requests show up while the log is open
        before = len(table.items)
        app.gateway.list_customers(3)
        await until_polled(pilot, lambda: len(table.items) > before)
        assert len(table.items) == before + 1


async def test_palette_opens_the_log_and_events_in_read_only(make_app: AppFactory) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        titles = await open_palette(pilot)
        assert "Show the request log" in titles and "List Stripe events" in titles
        await pilot.press(*"request log", "enter")
        await settle(pilot)
        assert app.current_mode == "requests"
        await pilot.press("4")
        await settle(pilot)
        assert app.current_mode == "events"


def test_an_app_made_from_settings_writes_its_log_file(settings: Any, tmp_path: Path) -> None:
    from dataclasses import replace

    path = tmp_path / "log.jsonl"
    app = StripeApp(replace(settings, log_file=path))
    app.gateway.list_customers(1)
    assert json.loads(path.read_text())["path"] == "/v1/customers"
    assert isinstance(app.gateway.request_log, RequestLog)


async def test_request_data_is_shown_as_text(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.gateway.create_customer(
            {"email": "x@example.com", "name": "\x1b[31m[b]Bold[/b]\nline"}, "k-hostile"
        )
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestLogScreen)
        sent = [r["method"] for r in screen.table.items]
        screen.table.move_cursor(row=sent.index("POST"))
        await settle(pilot)
        shown = screen_text(app)
        assert "name=\\x1b[31m" in shown and "[b]Bold[/b]\\nl" in shown  # then it wraps
        assert "\x1b" not in shown
