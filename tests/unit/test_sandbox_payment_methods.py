"""Payment methods through the SDK: made from test tokens and ids, attached to one customer,
listed, detached; a method attached to one customer cannot pay for another."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import stripe

from tests.unit.test_sandbox_intent_lifecycle import bad_request, events, intent, served

Client = stripe.StripeClient
__all__ = ["served"]


def test_create_from_a_test_token_and_retrieve(stripe_client: Client) -> None:
    pm = stripe_client.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"token": "tok_mastercard"},
            "billing_details": {"name": "Ada", "address": {"postal_code": "10001"}},
            "metadata": {"k": "v"},
        }
    )
    assert pm.id.startswith("pm_") and pm.type == "card" and pm.customer is None
    assert pm.card is not None and (pm.card.brand, pm.card.last4) == ("mastercard", "4444")
    assert pm.billing_details.name == "Ada"
    assert pm.billing_details.address is not None
    assert pm.billing_details.address.postal_code == "10001"
    assert pm.metadata is not None and pm.metadata.to_dict() == {"k": "v"}
    got = stripe_client.v1.payment_methods.retrieve(pm.id)
    assert got.to_dict() == pm.to_dict()
    assert "sandbox_template" not in got.to_dict()

    same_card = stripe_client.v1.payment_methods.retrieve("pm_card_mastercard")
    assert same_card.card is not None and same_card.card.fingerprint == pm.card.fingerprint
    assert same_card.id != pm.id


def test_create_refusals(stripe_client: Client) -> None:
    create = stripe_client.v1.payment_methods.create
    assert bad_request(create, params={"card": {"token": "tok_visa"}}).param == "type"
    assert bad_request(create, params={"type": "card"}).param == "card"
    missing = bad_request(create, params={"type": "card", "card": {"token": "tok_nope"}})
    assert (missing.code, missing.param, missing.user_message) == (
        "resource_missing",
        "card[token]",
        "No such token: 'tok_nope'",
    )
    with pytest.raises(stripe.CardError) as raw:
        create(params={"type": "card", "card": {"number": "4242424242424242"}})
    assert "Sending credit card numbers directly" in str(raw.value.user_message)
    assert bad_request(stripe_client.v1.payment_methods.retrieve, "pm_nope").http_status == 404


def test_attach_list_detach(served: tuple[Client, Path]) -> None:
    client, db = served
    alice = client.v1.customers.create(params={"email": "alice@example.com"})
    bob = client.v1.customers.create(params={"email": "bob@example.com"})
    visa = client.v1.payment_methods.create(params={"type": "card", "card": {"token": "tok_visa"}})
    attached = client.v1.payment_methods.attach(visa.id, params={"customer": alice.id})
    assert attached.customer == alice.id
    again = client.v1.payment_methods.attach(visa.id, params={"customer": alice.id})
    assert again.customer == alice.id
    amex = client.v1.payment_methods.attach("pm_card_amex", params={"customer": alice.id})
    assert amex.id.startswith("pm_") and amex.customer == alice.id

    listed = client.v1.payment_methods.list(params={"customer": alice.id, "type": "card"})
    assert [p.id for p in listed.data] == [amex.id, visa.id]
    assert (
        client.v1.payment_methods.list(params={"customer": alice.id, "type": "sepa_debit"}).data
        == []
    )
    page = client.v1.customers.payment_methods.list(alice.id, params={"limit": 1})
    assert [p.id for p in page.data] == [amex.id] and page.has_more
    assert client.v1.customers.payment_methods.list(bob.id).data == []

    taken = bad_request(client.v1.payment_methods.attach, visa.id, params={"customer": bob.id})
    assert taken.user_message == (
        "The payment method you provided has already been attached to a customer."
    )
    assert bad_request(client.v1.payment_methods.attach, visa.id).param == "customer"
    nobody = bad_request(client.v1.payment_methods.attach, visa.id, params={"customer": "cus_nope"})
    assert (nobody.code, nobody.param) == ("resource_missing", "customer")
    assert bad_request(client.v1.customers.payment_methods.list, "cus_nope").http_status == 404

    detached = client.v1.payment_methods.detach(visa.id)
    assert detached.customer is None
    twice = bad_request(client.v1.payment_methods.detach, visa.id)
    assert "not attached to a customer" in str(twice.user_message)
    reused = bad_request(client.v1.payment_methods.attach, visa.id, params={"customer": bob.id})
    assert "may not be used again" in str(reused.user_message)
    assert [p.id for p in client.v1.customers.payment_methods.list(alice.id).data] == [amex.id]

    attached_events = [e for e in events(db, "payment_method.attached")]
    assert [e["data"]["object"]["id"] for e in attached_events] == [visa.id, amex.id]
    assert attached_events[0]["data"]["object"]["customer"] == alice.id
    (gone,) = events(db, "payment_method.detached")
    assert gone["data"]["object"]["customer"] is None
    assert gone["data"]["previous_attributes"] == {"customer": alice.id}


def test_detach_clears_the_default_payment_method(stripe_client: Client) -> None:
    pm = stripe_client.v1.payment_methods.create(
        params={"type": "card", "card": {"token": "tok_visa"}}
    )
    customer = stripe_client.v1.customers.create(
        params={"payment_method": pm.id, "invoice_settings": {"default_payment_method": pm.id}}
    )
    assert customer.invoice_settings is not None
    assert customer.invoice_settings.default_payment_method == pm.id
    stripe_client.v1.payment_methods.detach(pm.id)
    after = stripe_client.v1.customers.retrieve(customer.id)
    assert after.invoice_settings is not None
    assert after.invoice_settings.default_payment_method is None


def test_attaching_a_declining_card_fails_but_charge_customer_fail_attaches(
    stripe_client: Client,
) -> None:
    customer = stripe_client.v1.customers.create()
    with pytest.raises(stripe.CardError) as exc:
        stripe_client.v1.payment_methods.attach(
            "pm_card_chargeDeclined", params={"customer": customer.id}
        )
    assert (exc.value.code, exc.value.http_status) == ("card_declined", 402)
    assert exc.value.error is not None and exc.value.error.decline_code == "generic_decline"
    assert stripe_client.v1.customers.payment_methods.list(customer.id).data == []

    pm = stripe_client.v1.payment_methods.attach(
        "pm_card_chargeCustomerFail", params={"customer": customer.id}
    )
    assert pm.customer == customer.id and pm.card is not None and pm.card.last4 == "0341"
    with pytest.raises(stripe.CardError) as charged:
        intent(stripe_client, customer=customer.id, payment_method=pm.id, confirm=True)
    assert charged.value.code == "card_declined"
    assert charged.value.error is not None
    assert charged.value.error.decline_code == "generic_decline"


def test_a_method_of_one_customer_cannot_pay_for_another(stripe_client: Client) -> None:
    alice = stripe_client.v1.customers.create()
    bob = stripe_client.v1.customers.create()
    pm = stripe_client.v1.payment_methods.attach("pm_card_visa", params={"customer": alice.id})

    for_bob = intent(stripe_client, customer=bob.id)
    refused = bad_request(
        stripe_client.v1.payment_intents.confirm, for_bob.id, params={"payment_method": pm.id}
    )
    assert refused.param == "payment_method" and "different Customer" in str(refused.user_message)
    assert stripe_client.v1.payment_intents.retrieve(for_bob.id).status == (
        "requires_payment_method"
    )
    at_create = bad_request(intent, stripe_client, customer=bob.id, payment_method=pm.id)
    assert at_create.param == "payment_method"
    no_customer = bad_request(intent, stripe_client, payment_method=pm.id, confirm=True)
    assert no_customer.param == "payment_method"
    update = bad_request(
        stripe_client.v1.payment_intents.update, for_bob.id, params={"payment_method": pm.id}
    )
    assert update.param == "payment_method"

    paid = intent(stripe_client, customer=alice.id, payment_method=pm.id, confirm=True)
    assert paid.status == "succeeded"
    twice = intent(stripe_client, customer=alice.id, payment_method=pm.id, confirm=True)
    assert twice.status == "succeeded"


def test_an_unattached_method_is_used_once(stripe_client: Client) -> None:
    pm = stripe_client.v1.payment_methods.create(
        params={"type": "card", "card": {"token": "tok_visa"}}
    )
    first = intent(stripe_client, payment_method=pm.id, confirm=True)
    assert first.status == "succeeded"
    again = bad_request(intent, stripe_client, payment_method=pm.id, confirm=True)
    assert "may not be used again" in str(again.user_message)
    customer = stripe_client.v1.customers.create()
    attach = bad_request(
        stripe_client.v1.payment_methods.attach, pm.id, params={"customer": customer.id}
    )
    assert "may not be used again" in str(attach.user_message)


def test_setup_future_usage_saves_the_method_to_the_customer(stripe_client: Client) -> None:
    customer = stripe_client.v1.customers.create()
    pm = stripe_client.v1.payment_methods.create(
        params={"type": "card", "card": {"token": "tok_visa"}}
    )
    params: Any = {"setup_future_usage": "off_session"}
    paid = intent(stripe_client, customer=customer.id, payment_method=pm.id, confirm=True, **params)
    assert paid.status == "succeeded"
    assert stripe_client.v1.payment_methods.retrieve(pm.id).customer == customer.id
    later = intent(
        stripe_client, customer=customer.id, payment_method=pm.id, confirm=True, off_session=True
    )
    assert later.status == "succeeded"


def test_attach_replays_and_survives_a_restart(tmp_path: Path) -> None:
    from tests.conftest import SANDBOX_TEST_KEY
    from tui.sandbox import SandboxServer

    db = str(tmp_path / "pm.sqlite3")
    with SandboxServer(port=0, db_path=db) as first:
        client = Client(SANDBOX_TEST_KEY, base_addresses={"api": first.url})
        customer = client.v1.customers.create()
        opts: Any = {"idempotency_key": "attach-1"}
        pm = client.v1.payment_methods.attach(
            "pm_card_visa", params={"customer": customer.id}, options=opts
        )
        replay = client.v1.payment_methods.attach(
            "pm_card_visa", params={"customer": customer.id}, options=opts
        )
        assert replay.id == pm.id
    with SandboxServer(port=0, db_path=db) as second:
        client = Client(SANDBOX_TEST_KEY, base_addresses={"api": second.url})
        listed = client.v1.customers.payment_methods.list(customer.id)
        assert [p.id for p in listed.data] == [pm.id]
