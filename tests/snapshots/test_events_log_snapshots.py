"""Snapshots of the Events screen (4) and the request log (5), on fixed data, at 80x24 and 120x36.

The events and the log's entries are fixed (ids, times, latencies), so every run draws the same.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.snapshots.conftest import Fixtures, fixture_app
from tests.snapshots.test_customers_snapshots import CREATED, SIZES, steps
from tui.app import StripeApp
from tui.gateway import Obj
from tui.requestlog import RequestLog

BASE = "http://127.0.0.1:12111"
VERSION = "2026-10-28.endive"


def _event(n: int, type: str, obj: Obj, previous: Obj | None = None) -> Obj:
    data: Obj = {"object": obj}
    if previous is not None:
        data["previous_attributes"] = previous
    return {
        "id": f"evt_Snap{n:020d}",
        "object": "event",
        "api_version": VERSION,
        "created": CREATED + n * 61,
        "data": data,
        "livemode": False,
        "pending_webhooks": 0,
        "request": {"id": f"req_Snap{n:010d}", "idempotency_key": f"stripe-tui-snap-{n}"},
        "type": type,
    }


CUSTOMER = {"id": "cus_Snap00000000000000000001", "object": "customer", "name": "Jenny Rosen"}
INTENT = {
    "id": "pi_Snap00000000000000000001",
    "object": "payment_intent",
    "amount": 2000,
    "currency": "usd",
    "status": "succeeded",
}
EVENTS: list[Obj] = [
    _event(6, "charge.refunded", {"id": "ch_Snap00000000000000000001", "object": "charge"}),
    _event(5, "payment_intent.succeeded", INTENT),
    _event(4, "charge.succeeded", {"id": "ch_Snap00000000000000000001", "object": "charge"}),
    _event(3, "payment_intent.created", {**INTENT, "status": "requires_payment_method"}),
    _event(2, "customer.updated", CUSTOMER, {"name": "Jenny"}),
    _event(1, "customer.created", {**CUSTOMER, "name": "Jenny"}),
]


def _entry(
    at: int,
    method: str,
    path: str,
    status: int | None,
    params: list[list[str]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "time": CREATED + at,
        "method": method,
        "path": path,
        "api_base": BASE,
        "params": params or [],
        "idempotency_key": extra.pop("idempotency_key", None),
        "stripe_version": VERSION,
        "status": status,
        "request_id": extra.pop("request_id", f"req_Snap{at:010d}" if status else None),
        "latency_ms": extra.pop("latency_ms", 42),
        "retries": extra.pop("retries", 0),
        "error": extra.pop("error", None),
        "response": extra.pop("response", '{"object": "list", "data": [], "has_more": false}'),
        **extra,
    }


def request_log() -> RequestLog:
    log = RequestLog()
    entries = [
        _entry(0, "GET", "/v1/customers", 200, [["limit", "100"]], latency_ms=31),
        _entry(
            60,
            "POST",
            "/v1/customers",
            200,
            [["email", "jenny@example.com"], ["name", "Jenny"]],
            idempotency_key="stripe-tui-00000000-0000-4000-8000-000000000001",
            latency_ms=88,
            response=json.dumps({**CUSTOMER, "name": "Jenny", "email": "jenny@example.com"}),
        ),
        _entry(
            120,
            "GET",
            "/v1/customers/cus_Missing",
            404,
            error={
                "type": "invalid_request_error",
                "code": "resource_missing",
                "param": "id",
                "message": "No such customer: 'cus_Missing'",
            },
        ),
        _entry(
            180,
            "POST",
            "/v1/payment_intents/pi_Snap00000000000000000001/confirm",
            402,
            [["payment_method", "pm_card_chargeDeclined"]],
            idempotency_key="stripe-tui-00000000-0000-4000-8000-000000000002",
            error={
                "type": "card_error",
                "code": "card_declined",
                "decline_code": "generic_decline",
                "message": "Your card was declined.",
            },
            latency_ms=230,
        ),
        _entry(
            240,
            "POST",
            "/v1/products",
            None,
            [["name", "Shirt"]],
            idempotency_key="stripe-tui-00000000-0000-4000-8000-000000000003",
            retries=2,
            latency_ms=30_012,
            response=None,
            error={"type": "api_connection_error", "message": "Could not reach Stripe: timed out"},
        ),
        _entry(300, "GET", "/v1/events", 200, [["limit", "100"]], retries=1, latency_ms=1_204),
    ]
    for entry in entries:
        log.record(entry)
    return log


FIXTURES = Fixtures(events=EVENTS, requests=request_log)


def snapshot_app() -> StripeApp:
    return fixture_app(FIXTURES, key="sk_test_snapshotsnapshot0042", api_base=BASE)


@pytest.mark.parametrize("size", SIZES)
class TestEventsScreen:
    def test_list_with_detail(self, snap_compare: Any, size: tuple[int, int]) -> None:
        # the customer update: what changed, the request that made it
        keys = ("4", "j", "j", "j", "j")
        assert snap_compare(snapshot_app(), terminal_size=size, run_before=steps(*keys))

    def test_filtered_by_type_prefix(self, snap_compare: Any, size: tuple[int, int]) -> None:
        keys = ("4", "/", "payment_intent.", "enter")
        assert snap_compare(snapshot_app(), terminal_size=size, run_before=steps(*keys))

    def test_event_data_in_the_inspector(self, snap_compare: Any, size: tuple[int, int]) -> None:
        keys = ("4", "j", "j", "j", "j", "enter")
        assert snap_compare(snapshot_app(), terminal_size=size, run_before=steps(*keys))


@pytest.mark.parametrize("size", SIZES)
class TestRequestLogScreen:
    def test_list(self, snap_compare: Any, size: tuple[int, int]) -> None:
        assert snap_compare(snapshot_app(), terminal_size=size, run_before=steps("5"))

    def test_failures_only(self, snap_compare: Any, size: tuple[int, int]) -> None:
        # the card decline selected: its error type, message and codes
        keys = ("5", "f", "j")
        assert snap_compare(snapshot_app(), terminal_size=size, run_before=steps(*keys))

    def test_request_in_the_inspector(self, snap_compare: Any, size: tuple[int, int]) -> None:
        keys = ("5", "j", "j", "j", "j", "enter")
        assert snap_compare(snapshot_app(), terminal_size=size, run_before=steps(*keys))
