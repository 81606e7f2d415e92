"""Events over HTTP through the SDK: what each change of state records, `/v1/events` filters
and cursors, the request that caused an event, and that events share their change's fate."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import stripe

from tests.unit.test_sandbox_http import KEY, call, error_of
from tui.sandbox import SandboxServer

Client = stripe.StripeClient

# The top-level keys of Stripe's example Event (stripe/openapi fixtures3.json, MIT License).
EVENT_KEYS = {
    "api_version",
    "created",
    "data",
    "id",
    "livemode",
    "object",
    "pending_webhooks",
    "request",
    "type",
}
NO_REDIRECTS = {"enabled": True, "allow_redirects": "never"}


def events(client: Client, **params: Any) -> list[dict[str, Any]]:
    """Every event matching `params`, newest first, as plain dicts."""
    listing = client.v1.events.list(params={"limit": 100, **params})
    return [e.to_dict() for e in listing.data]


def types_of(client: Client, **params: Any) -> list[str]:
    return [e["type"] for e in events(client, **params)]


def for_object(client: Client, ident: str) -> list[str]:
    """The types of the events about one object, oldest first."""
    return [e["type"] for e in reversed(events(client)) if e["data"]["object"]["id"] == ident]


def intent(client: Client, **extra: Any) -> stripe.PaymentIntent:
    params = {"amount": 2000, "currency": "usd", "automatic_payment_methods": NO_REDIRECTS}
    return client.v1.payment_intents.create(params={**params, **extra})


# --- what each change records ----------------------------------------------------------------


def test_a_create_records_its_event_with_the_request_that_caused_it(
    stripe_client: Client,
) -> None:
    customer = stripe_client.v1.customers.create(
        params={"email": "ev@example.com"}, options={"idempotency_key": "key-ev-1"}
    )
    assert customer.last_response is not None
    (event,) = events(stripe_client)
    assert set(event) == EVENT_KEYS
    assert event["object"] == "event"
    assert event["id"].startswith("evt_")
    assert event["type"] == "customer.created"
    assert event["api_version"] == stripe.api_version
    assert event["livemode"] is False
    assert event["request"] == {
        "id": customer.last_response.request_id,
        "idempotency_key": "key-ev-1",
    }
    assert event["data"] == {"object": customer.to_dict()}
    assert stripe_client.v1.events.retrieve(event["id"]).to_dict() == event


def test_catalog_creates(stripe_client: Client) -> None:
    product = stripe_client.v1.products.create(
        params={"name": "Mug", "default_price_data": {"currency": "usd", "unit_amount": 900}}
    )
    assert product.default_price is not None
    price = stripe_client.v1.prices.retrieve(str(product.default_price))
    link = stripe_client.v1.payment_links.create(
        params={"line_items": [{"price": price.id, "quantity": 2}]}
    )
    by_type = {e["type"]: e["data"]["object"] for e in events(stripe_client)}
    assert sorted(by_type) == ["payment_link.created", "price.created", "product.created"]
    assert by_type["product.created"] == product.to_dict()
    assert by_type["product.created"]["default_price"] == price.id
    assert by_type["price.created"] == price.to_dict()
    assert by_type["payment_link.created"] == link.to_dict()
    assert not any(k.startswith("sandbox_") for k in by_type["payment_link.created"])


def test_a_price_with_product_data_records_both(stripe_client: Client) -> None:
    price = stripe_client.v1.prices.create(
        params={"currency": "usd", "unit_amount": 500, "product_data": {"name": "Pen"}}
    )
    assert types_of(stripe_client) == ["price.created", "product.created"]
    assert events(stripe_client, type="product.created")[0]["data"]["object"]["id"] == (
        price.product
    )


def test_a_successful_confirmation(stripe_client: Client) -> None:
    pi = intent(stripe_client)
    done = stripe_client.v1.payment_intents.confirm(
        pi.id, params={"payment_method": "pm_card_visa"}
    )
    assert for_object(stripe_client, pi.id) == [
        "payment_intent.created",
        "payment_intent.succeeded",
    ]
    assert done.latest_charge is not None
    assert for_object(stripe_client, str(done.latest_charge)) == ["charge.succeeded"]
    (succeeded,) = events(stripe_client, type="payment_intent.succeeded")
    assert succeeded["data"]["object"] == done.to_dict()
    (charge_event,) = events(stripe_client, type="charge.succeeded")
    charge = stripe_client.v1.charges.retrieve(str(done.latest_charge))
    assert charge_event["data"]["object"] == charge.to_dict()
    assert charge_event["request"] == succeeded["request"]
    assert types_of(stripe_client)[:2] == ["payment_intent.succeeded", "charge.succeeded"]


def test_a_decline_records_the_failed_charge_and_the_failed_payment(
    stripe_client: Client,
) -> None:
    pi = intent(stripe_client)
    with pytest.raises(stripe.CardError) as info:
        stripe_client.v1.payment_intents.confirm(
            pi.id,
            params={"payment_method": "pm_card_chargeDeclinedInsufficientFunds"},
            options={"idempotency_key": "decline-1"},
        )
    assert types_of(stripe_client) == [
        "payment_intent.payment_failed",
        "charge.failed",
        "payment_intent.created",
    ]
    (failed,) = events(stripe_client, type="payment_intent.payment_failed")
    obj = failed["data"]["object"]
    assert obj["status"] == "requires_payment_method"
    assert obj["last_payment_error"]["decline_code"] == "insufficient_funds"
    (charge,) = events(stripe_client, type="charge.failed")
    assert charge["data"]["object"]["status"] == "failed"
    assert charge["data"]["object"]["failure_code"] == "card_declined"
    assert failed["request"] == {"id": info.value.request_id, "idempotency_key": "decline-1"}
    # The replay of the decline answers again but records nothing more.
    with pytest.raises(stripe.CardError):
        stripe_client.v1.payment_intents.confirm(
            pi.id,
            params={"payment_method": "pm_card_chargeDeclinedInsufficientFunds"},
            options={"idempotency_key": "decline-1"},
        )
    assert len(events(stripe_client)) == 3


def test_three_d_secure_records_requires_action(stripe_client: Client) -> None:
    pi = intent(stripe_client, confirm=True, payment_method="pm_card_threeDSecure2Required")
    assert pi.status == "requires_action"
    assert for_object(stripe_client, pi.id) == [
        "payment_intent.created",
        "payment_intent.requires_action",
    ]
    assert types_of(stripe_client, type="charge.*") == []


def test_a_refund_records_the_refund_and_the_refunded_charge(stripe_client: Client) -> None:
    pi = intent(stripe_client, confirm=True, payment_method="pm_card_visa")
    refund = stripe_client.v1.refunds.create(params={"payment_intent": pi.id, "amount": 500})
    (created,) = events(stripe_client, type="refund.created")
    assert created["data"]["object"] == refund.to_dict()
    (refunded,) = events(stripe_client, type="charge.refunded")
    charge = stripe_client.v1.charges.retrieve(str(pi.latest_charge))
    assert refunded["data"]["object"] == charge.to_dict()
    previous = refunded["data"]["previous_attributes"]
    assert previous["amount_refunded"] == 0
    assert previous["refunds"]["data"] == []
    assert "refunded" not in previous  # a partial refund leaves `refunded` false
    assert "amount" not in previous
    stripe_client.v1.refunds.create(params={"payment_intent": pi.id})
    latest = events(stripe_client, type="charge.refunded")[0]["data"]
    assert latest["object"]["refunded"] is True
    assert latest["previous_attributes"]["refunded"] is False
    assert latest["previous_attributes"]["amount_refunded"] == 500


def test_deleting_a_customer_records_it_as_it_was(stripe_client: Client) -> None:
    customer = stripe_client.v1.customers.create(params={"email": "gone@example.com"})
    stripe_client.v1.customers.delete(customer.id)
    (deleted,) = events(stripe_client, type="customer.deleted")
    assert deleted["data"]["object"] == customer.to_dict()
    assert deleted["request"]["idempotency_key"] is None  # DELETE takes no idempotency key
    assert deleted["request"]["id"].startswith("req_")


def test_a_refused_request_records_nothing(stripe_client: Client) -> None:
    pi = intent(stripe_client, confirm=True, payment_method="pm_card_visa")
    before = events(stripe_client)
    with pytest.raises(stripe.InvalidRequestError):
        stripe_client.v1.refunds.create(params={"payment_intent": pi.id, "amount": 99999})
    with pytest.raises(stripe.InvalidRequestError):
        stripe_client.v1.customers.create(params={"email": "not an email"})
    with pytest.raises(stripe.InvalidRequestError):
        stripe_client.v1.customers.delete("cus_missing")
    assert events(stripe_client) == before


# --- /v1/events --------------------------------------------------------------------------


def make_history(client: Client) -> None:
    """customer.created, product.created, price.created, payment_intent.created + succeeded,
    charge.succeeded (oldest first)."""
    client.v1.customers.create(params={"email": "h@example.com"})
    product = client.v1.products.create(params={"name": "H"})
    client.v1.prices.create(params={"product": product.id, "currency": "usd", "unit_amount": 50})
    intent(client, confirm=True, payment_method="pm_card_visa")


def test_type_filters(stripe_client: Client) -> None:
    make_history(stripe_client)
    assert types_of(stripe_client, type="price.created") == ["price.created"]
    assert types_of(stripe_client, type="payment_intent.*") == [
        "payment_intent.succeeded",
        "payment_intent.created",
    ]
    assert types_of(stripe_client, type="*.created") == [
        "payment_intent.created",
        "price.created",
        "product.created",
        "customer.created",
    ]
    assert types_of(stripe_client, type="charge.refunded") == []
    assert types_of(stripe_client, types=["customer.created", "charge.succeeded"]) == [
        "charge.succeeded",
        "customer.created",
    ]
    assert types_of(stripe_client, types=["payment_intent.*"]) == []  # types[] are exact names
    assert len(events(stripe_client, delivery_success=True)) == 6
    assert events(stripe_client, delivery_success=False) == []


def test_type_filter_errors(stripe_client: Client) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        events(stripe_client, type="customer.created", types=["price.created"])
    assert info.value.http_status == 400
    assert "type, types" in str(info.value.user_message)
    with pytest.raises(stripe.InvalidRequestError) as info:
        events(stripe_client, types=[f"t{i}" for i in range(21)])
    assert info.value.param == "types"
    with pytest.raises(stripe.InvalidRequestError) as info:
        events(stripe_client, object_id="cus_x")
    assert info.value.param == "object_id"


def test_created_filter(stripe_client: Client) -> None:
    stripe_client.v1.customers.create(params={"email": "old@example.com"})
    (old,) = events(stripe_client)
    time.sleep(1.1)
    stripe_client.v1.customers.create(params={"email": "new@example.com"})
    newest = events(stripe_client)[0]
    assert newest["created"] > old["created"]
    assert events(stripe_client, created={"gt": old["created"]}) == [newest]
    assert events(stripe_client, created={"lte": old["created"]}) == [old]
    assert events(stripe_client, created=old["created"]) == [old]
    later = {"gte": newest["created"] + 1}
    assert events(stripe_client, created=later) == []


def test_cursors(stripe_client: Client) -> None:
    make_history(stripe_client)
    everything = [e["id"] for e in events(stripe_client)]
    first = stripe_client.v1.events.list(params={"limit": 4})
    assert [e.id for e in first.data] == everything[:4]
    assert first.has_more is True
    second = stripe_client.v1.events.list(params={"limit": 4, "starting_after": first.data[-1].id})
    assert [e.id for e in second.data] == everything[4:]
    assert second.has_more is False
    back = stripe_client.v1.events.list(params={"limit": 2, "ending_before": everything[4]})
    assert [e.id for e in back.data] == everything[2:4]
    paged = [e.id for e in stripe_client.v1.events.list(params={"limit": 1}).auto_paging_iter()]
    assert paged == everything
    filtered = stripe_client.v1.events.list(
        params={"limit": 1, "type": "*.created", "starting_after": everything[0]}
    )
    assert [e.type for e in filtered.data] == ["payment_intent.created"]


def test_event_errors(stripe_client: Client) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        stripe_client.v1.events.retrieve("evt_missing")
    assert info.value.http_status == 404
    assert info.value.user_message == "No such event: 'evt_missing'"
    assert info.value.code == "resource_missing"
    with pytest.raises(stripe.InvalidRequestError) as info:
        stripe_client.v1.events.list(params={"starting_after": "evt_missing"})
    assert info.value.http_status == 400
    assert info.value.param == "starting_after"


def test_events_cannot_be_written(sandbox: SandboxServer) -> None:
    for method in ("POST", "DELETE"):
        status, _, body = call(sandbox.url, method, "/v1/events", "type=x")
        assert status == 404
        assert error_of(body)["message"].startswith("Unrecognized request URL")


# --- durability ---------------------------------------------------------------------------


def test_events_are_durable_with_their_change(tmp_path: Path) -> None:
    db = str(tmp_path / "events.sqlite3")
    with SandboxServer(port=0, db_path=db, key=KEY) as server:
        client = Client(KEY, base_addresses={"api": server.url}, max_network_retries=0)
        pi = intent(client)
        with pytest.raises(stripe.CardError):
            client.v1.payment_intents.confirm(
                pi.id, params={"payment_method": "pm_card_chargeDeclined"}
            )
        written = events(client)
    with SandboxServer(port=0, db_path=db, key=KEY) as server:
        client = Client(KEY, base_addresses={"api": server.url}, max_network_retries=0)
        assert events(client) == written
        assert [e["type"] for e in written] == [
            "payment_intent.payment_failed",
            "charge.failed",
            "payment_intent.created",
        ]
        charge_id = written[1]["data"]["object"]["id"]
        assert client.v1.charges.retrieve(charge_id).status == "failed"
