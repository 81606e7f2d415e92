"""The gateway's payment lifecycle operations against the real sandbox over HTTP: capture,
cancel, update, search, charges and payment methods (no mocks)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.test_gateway import KEY, add_fault
from tui.gateway import ErrorKind, Gateway, GatewayError, new_idempotency_key
from tui.settings import SecretKey


@pytest.fixture
def gateway(sandbox: Any) -> Gateway:
    return Gateway(SecretKey(KEY), sandbox.url, max_network_retries=0)


def _error(fn: Any, *args: Any, **kwargs: Any) -> GatewayError:
    with pytest.raises(GatewayError) as info:
        fn(*args, **kwargs)
    return info.value


def _hold(gateway: Gateway, amount: int = 4000, customer_id: str | None = None) -> dict[str, Any]:
    intent = gateway.create_payment_intent(
        amount=amount,
        currency="usd",
        customer_id=customer_id,
        capture_method="manual",
        idempotency_key=new_idempotency_key(),
    )
    assert intent["capture_method"] == "manual"
    return gateway.confirm_payment_intent(
        intent["id"], payment_method="pm_card_visa", idempotency_key=new_idempotency_key()
    )


def _paid(gateway: Gateway, amount: int = 1000) -> dict[str, Any]:
    intent = gateway.create_payment_intent(
        amount=amount, currency="usd", idempotency_key=new_idempotency_key()
    )
    return gateway.confirm_payment_intent(
        intent["id"], payment_method="pm_card_visa", idempotency_key=new_idempotency_key()
    )


def test_capture_a_payment_intent_in_part(gateway: Gateway) -> None:
    hold = _hold(gateway, 4000)
    assert (hold["status"], hold["amount_capturable"]) == ("requires_capture", 4000)
    captured = gateway.capture_payment_intent(
        hold["id"], amount_to_capture=2500, idempotency_key=new_idempotency_key()
    )
    assert (captured["status"], captured["amount_received"]) == ("succeeded", 2500)
    charge = gateway.retrieve_charge(captured["latest_charge"])
    assert (charge["amount_captured"], charge["amount_refunded"]) == (2500, 1500)


def test_capture_whole_and_refusals(gateway: Gateway) -> None:
    hold = _hold(gateway, 3000)
    over = _error(
        gateway.capture_payment_intent,
        hold["id"],
        amount_to_capture=3001,
        idempotency_key=new_idempotency_key(),
    )
    assert (over.kind, over.param, over.code) == (
        ErrorKind.INVALID_REQUEST,
        "amount_to_capture",
        "amount_too_large",
    )
    whole = gateway.capture_payment_intent(hold["id"], idempotency_key=new_idempotency_key())
    assert whole["amount_received"] == 3000
    again = _error(
        gateway.capture_payment_intent, hold["id"], idempotency_key=new_idempotency_key()
    )
    assert again.code == "payment_intent_unexpected_state"
    assert again.payment_intent is not None and again.payment_intent["status"] == "succeeded"
    blank = _error(gateway.capture_payment_intent, "  ", idempotency_key=new_idempotency_key())
    assert blank.kind is ErrorKind.INVALID_REQUEST


def test_capture_with_an_unknown_outcome_is_resolved_by_its_key(
    gateway: Gateway, sandbox: Any
) -> None:
    hold = _hold(gateway, 2000)
    key = new_idempotency_key()
    add_fault(sandbox, path=f"/v1/payment_intents/{hold['id']}/capture", status=500, after=True)
    lost = _error(
        gateway.capture_payment_intent, hold["id"], amount_to_capture=900, idempotency_key=key
    )
    assert lost.outcome_unknown
    replay = gateway.capture_payment_intent(hold["id"], amount_to_capture=900, idempotency_key=key)
    assert (replay["status"], replay["amount_received"]) == ("succeeded", 900)


def test_cancel_a_payment_intent_releases_its_hold(gateway: Gateway) -> None:
    hold = _hold(gateway, 2000)
    canceled = gateway.cancel_payment_intent(
        hold["id"], cancellation_reason="abandoned", idempotency_key=new_idempotency_key()
    )
    assert (canceled["status"], canceled["cancellation_reason"]) == ("canceled", "abandoned")
    charge = gateway.retrieve_charge(hold["latest_charge"])
    assert (charge["captured"], charge["refunded"]) == (False, True)
    again = _error(gateway.cancel_payment_intent, hold["id"], idempotency_key=new_idempotency_key())
    assert again.code == "payment_intent_unexpected_state"
    bad = _error(
        gateway.cancel_payment_intent,
        _hold(gateway)["id"],
        cancellation_reason="bored",
        idempotency_key=new_idempotency_key(),
    )
    assert bad.param == "cancellation_reason"


def test_update_payment_intent(gateway: Gateway) -> None:
    paid = _paid(gateway)
    updated = gateway.update_payment_intent(
        paid["id"], {"description": "after", "metadata": {"k": "v"}}, new_idempotency_key()
    )
    assert (updated["description"], updated["metadata"]) == ("after", {"k": "v"})
    refused = _error(gateway.update_payment_intent, paid["id"], {"amount": 5000}, "k-upd")
    assert (refused.param, refused.code) == ("amount", "payment_intent_unexpected_state")


def test_search_payment_intents(gateway: Gateway) -> None:
    paid = _paid(gateway, 1200)
    hold = _hold(gateway, 800)
    found = gateway.search_payment_intents("status:'succeeded'")
    assert [p["id"] for p in found.items] == [paid["id"]]
    first = gateway.search_payment_intents("currency:'usd'", limit=1)
    assert [p["id"] for p in first.items] == [hold["id"]] and first.next_cursor
    rest = gateway.search_payment_intents("currency:'usd'", limit=1, cursor=first.next_cursor)
    assert [p["id"] for p in rest.items] == [paid["id"]] and rest.next_cursor is None
    bad = _error(gateway.search_payment_intents, "colour:'red'")
    assert (bad.kind, bad.param) == (ErrorKind.INVALID_REQUEST, "query")


def test_list_payment_intents_with_their_charges(gateway: Gateway) -> None:
    paid = _paid(gateway, 1500)
    gateway.create_refund(payment_intent_id=paid["id"], idempotency_key=new_idempotency_key())
    page = gateway.list_payment_intents(expand_latest_charge=True)
    (intent,) = page.items
    assert intent["latest_charge"]["id"] == paid["latest_charge"]
    assert intent["latest_charge"]["refunded"] is True
    plain = gateway.list_payment_intents()
    assert plain.items[0]["latest_charge"] == paid["latest_charge"]


def test_list_charges(gateway: Gateway) -> None:
    first = _paid(gateway, 1000)
    second = _paid(gateway, 2000)
    page = gateway.list_charges(limit=1)
    assert [c["id"] for c in page.items] == [second["latest_charge"]]
    assert page.next_cursor is not None
    rest = gateway.list_charges(limit=1, cursor=page.next_cursor)
    assert [c["id"] for c in rest.items] == [first["latest_charge"]]
    mine = gateway.list_charges(payment_intent=first["id"])
    assert [c["id"] for c in mine.items] == [first["latest_charge"]]


def test_attach_list_and_detach_payment_methods(gateway: Gateway) -> None:
    customer = gateway.create_customer({"email": "pm@example.com"}, new_idempotency_key())
    other = gateway.create_customer({"email": "other@example.com"}, new_idempotency_key())
    visa = gateway.attach_payment_method(
        "pm_card_visa", customer_id=customer["id"], idempotency_key=new_idempotency_key()
    )
    amex = gateway.attach_payment_method(
        " pm_card_amex ", customer_id=customer["id"], idempotency_key=new_idempotency_key()
    )
    assert visa["customer"] == customer["id"] and visa["card"]["last4"] == "4242"
    listed = gateway.list_customer_payment_methods(customer["id"], type="card")
    assert [p["id"] for p in listed.items] == [amex["id"], visa["id"]]
    page = gateway.list_customer_payment_methods(customer["id"], limit=1)
    assert page.next_cursor == amex["id"]

    taken = _error(
        gateway.attach_payment_method,
        visa["id"],
        customer_id=other["id"],
        idempotency_key=new_idempotency_key(),
    )
    assert taken.kind is ErrorKind.INVALID_REQUEST
    declined = _error(
        gateway.attach_payment_method,
        "pm_card_chargeDeclinedInsufficientFunds",
        customer_id=customer["id"],
        idempotency_key=new_idempotency_key(),
    )
    assert (declined.kind, declined.decline_code) == (ErrorKind.CARD_DECLINED, "insufficient_funds")
    missing = _error(gateway.list_customer_payment_methods, "cus_nope")
    assert missing.kind is ErrorKind.NOT_FOUND

    detached = gateway.detach_payment_method(visa["id"], idempotency_key=new_idempotency_key())
    assert detached["customer"] is None
    remaining = gateway.list_customer_payment_methods(customer["id"])
    assert [p["id"] for p in remaining.items] == [amex["id"]]
