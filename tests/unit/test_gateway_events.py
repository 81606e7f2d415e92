"""The gateway's event operations against the real sandbox over HTTP: no mocks."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.unit.test_gateway import _customer, _error, _intent, _pages, gateway
from tui.gateway import ErrorKind, Gateway, new_idempotency_key

__all__ = ["gateway"]  # the fixture, imported to be used here


def _paid(gateway: Gateway) -> dict[str, Any]:
    intent = _intent(gateway)
    return gateway.confirm_payment_intent(
        intent["id"], payment_method="pm_card_visa", idempotency_key=new_idempotency_key()
    )


def test_list_events_newest_first_naming_the_object(gateway: Gateway) -> None:
    customer = _customer(gateway, "ev@example.com")
    paid = _paid(gateway)
    page = gateway.list_events()
    assert [e["type"] for e in page.items] == [
        "payment_intent.succeeded",
        "charge.succeeded",
        "payment_intent.created",
        "customer.created",
    ]
    assert page.next_cursor is None
    assert page.items[0]["data"]["object"]["id"] == paid["id"]
    assert page.items[-1]["data"]["object"] == customer


def test_list_events_pages_through_next_cursor(gateway: Gateway) -> None:
    for i in range(5):
        _customer(gateway, f"p{i}@example.com")
    pages = list(_pages(gateway.list_events, 2))
    assert [len(p.items) for p in pages] == [2, 2, 1]
    emails = [e["data"]["object"]["email"] for p in pages for e in p.items]
    assert emails == [f"p{i}@example.com" for i in reversed(range(5))]


def test_list_events_by_type(gateway: Gateway) -> None:
    _customer(gateway, "t@example.com")
    _paid(gateway)
    assert [e["type"] for e in gateway.list_events(type="payment_intent.*").items] == [
        "payment_intent.succeeded",
        "payment_intent.created",
    ]
    assert [e["type"] for e in gateway.list_events(type="customer.created").items] == [
        "customer.created"
    ]
    both = gateway.list_events(types=["customer.created", "charge.succeeded"])
    assert [e["type"] for e in both.items] == ["charge.succeeded", "customer.created"]
    assert len(gateway.list_events(type="", types=[]).items) == 4  # empty: no filter


def test_list_events_by_type_next_cursor_keeps_the_filter(gateway: Gateway) -> None:
    for i in range(3):
        _customer(gateway, f"f{i}@example.com")
        gateway.create_product({"name": f"P{i}"}, new_idempotency_key())
    fetch = gateway.list_events

    def customers_only(limit: int, cursor: str | None) -> Any:
        return fetch(limit, cursor, type="customer.*")

    pages = list(_pages(customers_only, 2))
    assert [e["type"] for p in pages for e in p.items] == ["customer.created"] * 3


def test_list_events_created(gateway: Gateway) -> None:
    _customer(gateway, "old@example.com")
    time.sleep(1.1)
    _customer(gateway, "new@example.com")
    newest, oldest = gateway.list_events().items
    later = gateway.list_events(created={"gt": oldest["created"]})
    assert later.items == [newest]
    assert gateway.list_events(created=oldest["created"]).items == [oldest]


def test_retrieve_event(gateway: Gateway) -> None:
    _customer(gateway, "r@example.com")
    (event,) = gateway.list_events().items
    assert gateway.retrieve_event(f"  {event['id']} ") == event


@pytest.mark.parametrize("ident", ["", "   "])
def test_retrieve_event_without_an_id_is_refused_not_listed(gateway: Gateway, ident: str) -> None:
    error = _error(gateway.retrieve_event, ident)
    assert error.kind is ErrorKind.INVALID_REQUEST
    assert error.http_status is None  # nothing was sent


def test_event_errors(gateway: Gateway) -> None:
    missing = _error(gateway.retrieve_event, "evt_missing")
    assert missing.kind is ErrorKind.NOT_FOUND
    assert missing.message == "No such event: 'evt_missing'"
    both = _error(gateway.list_events, type="customer.created", types=["price.created"])
    assert both.kind is ErrorKind.INVALID_REQUEST
    assert both.param == "type"
