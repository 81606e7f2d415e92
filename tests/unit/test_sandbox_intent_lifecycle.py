"""The life of a payment intent after creation, through the SDK: capture (whole and partial),
cancel releasing a hold, update, search, off-session and 3-D Secure rules, and their events."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import stripe

from tests.conftest import SANDBOX_TEST_KEY
from tui.sandbox import SandboxServer

Client = stripe.StripeClient
NO_REDIRECTS = {"enabled": True, "allow_redirects": "never"}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Client, Path]]:
    """An SDK client on a sandbox over a SQLite file, whose events a test can read."""
    db = tmp_path / "life.sqlite3"
    with SandboxServer(port=0, db_path=str(db)) as server:
        yield Client(SANDBOX_TEST_KEY, base_addresses={"api": server.url}), db


def events(db: Path, *types: str) -> list[dict[str, Any]]:
    """The events the sandbox recorded, oldest first (only of ``types`` when given)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT data FROM objects WHERE type = 'event' ORDER BY seq")
        found = [json.loads(r[0]) for r in rows]
    finally:
        conn.close()
    return [e for e in found if not types or e["type"] in types]


def intent(client: Client, amount: int = 2000, **extra: Any) -> stripe.PaymentIntent:
    params: dict[str, Any] = {
        "amount": amount,
        "currency": "usd",
        "automatic_payment_methods": NO_REDIRECTS,
        **extra,
    }
    return client.v1.payment_intents.create(params=params)  # type: ignore[arg-type]


def held(client: Client, amount: int = 2000, **extra: Any) -> stripe.PaymentIntent:
    """An intent authorized with `capture_method=manual`: a hold awaiting capture."""
    pi = intent(client, amount, capture_method="manual", **extra)
    return client.v1.payment_intents.confirm(pi.id, params={"payment_method": "pm_card_visa"})


def bad_request(fn: Any, *args: Any, **kwargs: Any) -> stripe.InvalidRequestError:
    with pytest.raises(stripe.InvalidRequestError) as info:
        fn(*args, **kwargs)
    return info.value


# --- capture ------------------------------------------------------------------------------


def test_capture_method_defaults_to_automatic_async(stripe_client: Client) -> None:
    pi = intent(stripe_client)
    assert pi.capture_method == "automatic_async"
    done = stripe_client.v1.payment_intents.confirm(
        pi.id, params={"payment_method": "pm_card_visa"}
    )
    charge = stripe_client.v1.charges.retrieve(str(done.latest_charge))
    assert (done.status, charge.captured, charge.amount_captured) == ("succeeded", True, 2000)


def test_manual_capture_whole(served: tuple[Client, Path]) -> None:
    client, db = served
    pi = held(client, 2500)
    assert (pi.status, pi.amount_capturable, pi.amount_received) == ("requires_capture", 2500, 0)
    charge = client.v1.charges.retrieve(str(pi.latest_charge))
    assert (charge.status, charge.paid, charge.captured, charge.amount_captured) == (
        "succeeded",
        True,
        False,
        0,
    )
    assert charge.balance_transaction is None

    done = client.v1.payment_intents.capture(pi.id)
    assert (done.status, done.amount_capturable, done.amount_received) == ("succeeded", 0, 2500)
    charge = client.v1.charges.retrieve(str(pi.latest_charge))
    assert (charge.captured, charge.amount_captured, charge.amount_refunded) == (True, 2500, 0)
    assert str(charge.balance_transaction).startswith("txn_")

    kinds = [e["type"] for e in events(db) if e["data"]["object"].get("id") in (pi.id, charge.id)]
    capturable = kinds.index("payment_intent.amount_capturable_updated")
    assert kinds.index("charge.captured") > capturable
    assert kinds[-1] == "payment_intent.succeeded"
    captured = events(db, "charge.captured")[-1]["data"]["object"]
    assert (captured["id"], captured["captured"], captured["amount_captured"]) == (
        charge.id,
        True,
        2500,
    )


def test_partial_capture_releases_the_rest(stripe_client: Client) -> None:
    pi = held(stripe_client, 5000)
    done = stripe_client.v1.payment_intents.capture(pi.id, params={"amount_to_capture": 1800})
    assert (done.status, done.amount_received, done.amount_capturable) == ("succeeded", 1800, 0)
    charge = stripe_client.v1.charges.retrieve(str(pi.latest_charge))
    assert (charge.amount, charge.amount_captured, charge.amount_refunded) == (5000, 1800, 3200)
    assert charge.refunded is False

    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.refunds.create(params={"payment_intent": pi.id, "amount": 1801})
    assert exc.value.code == "amount_too_large"
    refund = stripe_client.v1.refunds.create(params={"payment_intent": pi.id})
    assert refund.amount == 1800
    assert stripe_client.v1.charges.retrieve(charge.id).refunded is True


def test_capture_refusals(stripe_client: Client) -> None:
    pi = held(stripe_client, 2000)
    over = bad_request(
        stripe_client.v1.payment_intents.capture, pi.id, params={"amount_to_capture": 2001}
    )
    assert (over.code, over.param, over.http_status) == (
        "amount_too_large",
        "amount_to_capture",
        400,
    )
    zero = bad_request(
        stripe_client.v1.payment_intents.capture, pi.id, params={"amount_to_capture": 0}
    )
    assert zero.param == "amount_to_capture"
    assert stripe_client.v1.payment_intents.retrieve(pi.id).status == "requires_capture"

    stripe_client.v1.payment_intents.capture(pi.id)
    again = bad_request(stripe_client.v1.payment_intents.capture, pi.id)
    assert again.code == "payment_intent_unexpected_state"
    assert again.user_message == (
        "You cannot capture this PaymentIntent because it has a status of succeeded. Only a "
        "PaymentIntent with one of the following statuses may be captured: requires_capture."
    )
    assert again.error is not None and again.error.payment_intent is not None
    assert again.error.payment_intent.id == pi.id

    fresh = intent(stripe_client)
    assert bad_request(stripe_client.v1.payment_intents.capture, fresh.id).code == (
        "payment_intent_unexpected_state"
    )
    missing = bad_request(stripe_client.v1.payment_intents.capture, "pi_nope")
    assert (missing.http_status, missing.code) == (404, "resource_missing")


def test_capture_replays_with_its_idempotency_key(stripe_client: Client) -> None:
    pi = held(stripe_client, 3000)
    opts: Any = {"idempotency_key": "capture-1"}
    first = stripe_client.v1.payment_intents.capture(
        pi.id, params={"amount_to_capture": 1000}, options=opts
    )
    replay = stripe_client.v1.payment_intents.capture(
        pi.id, params={"amount_to_capture": 1000}, options=opts
    )
    assert replay.last_response is not None
    assert replay.last_response.headers.get("Idempotent-Replayed") == "true"
    assert first.to_dict() == replay.to_dict()
    assert stripe_client.v1.payment_intents.retrieve(pi.id).amount_received == 1000


def test_capture_survives_a_restart(tmp_path: Path) -> None:
    db = str(tmp_path / "held.sqlite3")
    with SandboxServer(port=0, db_path=db) as first:
        client = Client(SANDBOX_TEST_KEY, base_addresses={"api": first.url})
        pi = held(client, 4000)
        client.v1.payment_intents.capture(pi.id, params={"amount_to_capture": 2500})
    with SandboxServer(port=0, db_path=db) as second:
        client = Client(SANDBOX_TEST_KEY, base_addresses={"api": second.url})
        kept = client.v1.payment_intents.retrieve(pi.id)
        assert (kept.status, kept.amount_received) == ("succeeded", 2500)
        charge = client.v1.charges.retrieve(str(kept.latest_charge))
        assert (charge.amount_captured, charge.captured) == (2500, True)


# --- cancel -------------------------------------------------------------------------------


def test_cancel_releases_an_uncaptured_hold(served: tuple[Client, Path]) -> None:
    client, db = served
    pi = held(client, 2200)
    canceled = client.v1.payment_intents.cancel(
        pi.id, params={"cancellation_reason": "requested_by_customer"}
    )
    assert (canceled.status, canceled.cancellation_reason) == ("canceled", "requested_by_customer")
    assert canceled.amount_capturable == 0 and canceled.canceled_at is not None
    charge = client.v1.charges.retrieve(str(pi.latest_charge))
    assert (charge.captured, charge.refunded, charge.amount_refunded) == (False, True, 2200)

    assert events(db, "payment_intent.canceled")[-1]["data"]["object"]["id"] == pi.id
    released = events(db, "charge.refunded")[-1]["data"]["object"]
    assert (released["id"], released["refunded"]) == (charge.id, True)

    refused = bad_request(client.v1.refunds.create, params={"payment_intent": pi.id})
    assert "does not have a successful charge" in str(refused.user_message)
    again = bad_request(client.v1.payment_intents.cancel, pi.id)
    assert again.user_message == (
        "You cannot cancel this PaymentIntent because it has a status of canceled. Only a "
        "PaymentIntent with one of the following statuses may be canceled: "
        "requires_payment_method, requires_capture, requires_confirmation, requires_action, "
        "processing."
    )
    confirm = bad_request(
        client.v1.payment_intents.confirm, pi.id, params={"payment_method": "pm_card_visa"}
    )
    assert confirm.code == "payment_intent_unexpected_state"


def test_cancel_without_reason_and_refusals(stripe_client: Client) -> None:
    pi = intent(stripe_client)
    assert stripe_client.v1.payment_intents.cancel(pi.id).cancellation_reason is None
    paid = intent(stripe_client)
    paid = stripe_client.v1.payment_intents.confirm(
        paid.id, params={"payment_method": "pm_card_visa"}
    )
    assert bad_request(stripe_client.v1.payment_intents.cancel, paid.id).code == (
        "payment_intent_unexpected_state"
    )
    bogus = bad_request(
        stripe_client.v1.payment_intents.cancel,
        intent(stripe_client).id,
        params={"cancellation_reason": "bored"},
    )
    assert bogus.param == "cancellation_reason"


# --- update -------------------------------------------------------------------------------


def test_update_before_payment(stripe_client: Client) -> None:
    customer = stripe_client.v1.customers.create()
    pi = intent(stripe_client, metadata={"a": "1", "b": "2"})
    updated = stripe_client.v1.payment_intents.update(
        pi.id,
        params={
            "amount": 3100,
            "customer": customer.id,
            "description": "later",
            "metadata": {"a": "", "c": "3"},
            "capture_method": "manual",
        },
    )
    assert (updated.amount, updated.customer, updated.description) == (3100, customer.id, "later")
    assert updated.metadata.to_dict() == {"b": "2", "c": "3"}
    assert updated.capture_method == "manual"

    with_method = stripe_client.v1.payment_intents.update(
        pi.id, params={"payment_method": "pm_card_visa"}
    )
    assert with_method.status == "requires_confirmation"
    done = stripe_client.v1.payment_intents.confirm(pi.id)
    assert (done.status, done.amount_capturable) == ("requires_capture", 3100)

    small = bad_request(stripe_client.v1.payment_intents.update, pi.id, params={"amount": 10})
    assert small.code == "payment_intent_unexpected_state"
    tiny = intent(stripe_client)
    too_small = bad_request(stripe_client.v1.payment_intents.update, tiny.id, params={"amount": 1})
    assert (too_small.code, too_small.param) == ("amount_too_small", "amount")
    nobody = bad_request(
        stripe_client.v1.payment_intents.update, tiny.id, params={"customer": "cus_nope"}
    )
    assert (nobody.code, nobody.param) == ("resource_missing", "customer")
    unknown = bad_request(stripe_client.v1.payment_intents.update, tiny.id, params={"colour": "x"})
    assert unknown.code == "parameter_unknown"


def test_update_after_payment_only_describes(stripe_client: Client) -> None:
    pi = intent(stripe_client, 1500)
    pi = stripe_client.v1.payment_intents.confirm(pi.id, params={"payment_method": "pm_card_visa"})
    updated = stripe_client.v1.payment_intents.update(
        pi.id, params={"metadata": {"u": "v"}, "description": "after"}
    )
    assert updated.metadata.to_dict() == {"u": "v"} and updated.description == "after"
    refused = bad_request(stripe_client.v1.payment_intents.update, pi.id, params={"amount": 9999})
    assert (refused.code, refused.param) == ("payment_intent_unexpected_state", "amount")
    assert refused.user_message == (
        "This PaymentIntent's amount could not be updated because it has a status of "
        "succeeded. You may only update the amount of a PaymentIntent with one of the "
        "following statuses: requires_payment_method, requires_confirmation, requires_action."
    )
    assert stripe_client.v1.payment_intents.retrieve(pi.id).amount == 1500


# --- search -------------------------------------------------------------------------------


def test_search_payment_intents(stripe_client: Client) -> None:
    customer = stripe_client.v1.customers.create()
    paid = intent(stripe_client, 5000, customer=customer.id, metadata={"order": "42"})
    paid = stripe_client.v1.payment_intents.confirm(
        paid.id, params={"payment_method": "pm_card_visa"}
    )
    waiting = intent(stripe_client, 700, metadata={"order": "43"})

    def ids(query: str, **extra: Any) -> list[str]:
        params: Any = {"query": query, **extra}
        found = stripe_client.v1.payment_intents.search(params=params)
        assert found.object == "search_result"
        return [p.id for p in found.data]

    assert ids("status:'succeeded'") == [paid.id]
    assert ids("status:'requires_payment_method'") == [waiting.id]
    assert ids("amount>1000") == [paid.id]
    assert ids("amount<=700 AND currency:'usd'") == [waiting.id]
    assert ids(f'customer:"{customer.id}"') == [paid.id]
    assert ids("metadata['order']:'43'") == [waiting.id]
    assert ids("status:'succeeded' OR status:'requires_payment_method'") == [waiting.id, paid.id]
    first = stripe_client.v1.payment_intents.search(params={"query": "currency:'usd'", "limit": 1})
    assert first.has_more and first.next_page
    rest = stripe_client.v1.payment_intents.search(
        params={"query": "currency:'usd'", "limit": 1, "page": first.next_page}
    )
    assert [p.id for p in rest.data] == [paid.id]

    bad = bad_request(stripe_client.v1.payment_intents.search, params={"query": "email:'x'"})
    assert bad.param == "query" and "unsupported search field" in str(bad.user_message)
    assert bad_request(stripe_client.v1.payment_intents.search, params={}).code == (
        "parameter_missing"
    )


# --- off_session and 3-D Secure -----------------------------------------------------------


def test_off_session_needs_confirm(stripe_client: Client) -> None:
    refused = bad_request(intent, stripe_client, off_session=True, payment_method="pm_card_visa")
    assert refused.param == "off_session"
    refused = bad_request(intent, stripe_client, return_url="https://example.com")
    assert refused.param == "return_url"


def test_off_session_with_a_card_that_needs_authentication_is_declined(
    stripe_client: Client,
) -> None:
    customer = stripe_client.v1.customers.create()
    with pytest.raises(stripe.CardError) as exc:
        intent(
            stripe_client,
            customer=customer.id,
            payment_method="pm_card_threeDSecure2Required",
            confirm=True,
            off_session=True,
        )
    err = exc.value
    assert (err.http_status, err.code, err.user_message) == (
        402,
        "authentication_required",
        "Your card was declined. This transaction requires authentication.",
    )
    assert err.error is not None and err.error.decline_code == "authentication_required"
    assert err.error.payment_intent is not None
    assert err.error.payment_intent.status == "requires_payment_method"


def test_authentication_on_setup_then_off_session(stripe_client: Client) -> None:
    customer = stripe_client.v1.customers.create()
    pm = stripe_client.v1.payment_methods.attach(
        "pm_card_authenticationRequiredOnSetup", params={"customer": customer.id}
    )
    on_session = intent(stripe_client, customer=customer.id, payment_method=pm.id, confirm=True)
    assert on_session.status == "requires_action"
    off = intent(
        stripe_client, customer=customer.id, payment_method=pm.id, confirm=True, off_session=True
    )
    assert off.status == "succeeded"


def test_off_session_refuses_setup_future_usage(stripe_client: Client) -> None:
    customer = stripe_client.v1.customers.create()
    refused = bad_request(
        intent,
        stripe_client,
        customer=customer.id,
        payment_method="pm_card_visa",
        setup_future_usage="off_session",
        confirm=True,
        off_session=True,
    )
    assert refused.param == "off_session" and "setup_future_usage" in str(refused.user_message)


@pytest.mark.parametrize(
    ("pm", "plain", "requested"),
    [
        ("pm_card_threeDSecureOptional", "succeeded", "requires_action"),
        ("pm_card_visa", "succeeded", "requires_action"),
        ("pm_card_amex_threeDSecureNotSupported", "succeeded", "succeeded"),
        ("pm_card_threeDSecureRequired", "requires_action", "requires_action"),
        ("pm_card_authenticationRequired", "requires_action", "requires_action"),
    ],
)
def test_three_d_secure_required_and_optional(
    stripe_client: Client, pm: str, plain: str, requested: str
) -> None:
    without = intent(stripe_client, payment_method=pm, confirm=True)
    assert without.status == plain
    asked = intent(
        stripe_client,
        payment_method=pm,
        confirm=True,
        payment_method_options={"card": {"request_three_d_secure": "any"}},
    )
    assert asked.status == requested
    assert asked.payment_method_options is not None
    assert asked.payment_method_options.card is not None
    assert asked.payment_method_options.card.request_three_d_secure == "any"
    if requested == "requires_action":
        assert asked.next_action is not None and asked.latest_charge is None


def test_request_three_d_secure_is_checked(stripe_client: Client) -> None:
    refused = bad_request(
        intent, stripe_client, payment_method_options={"card": {"request_three_d_secure": "x"}}
    )
    assert refused.param == "payment_method_options[card][request_three_d_secure]"


# --- event payloads -----------------------------------------------------------------------

REFERENCE = next(
    (
        up / "shared" / "reference" / "stripe-object-examples.json"
        for up in Path(__file__).resolve().parents[3:5]
        if (up / "shared" / "reference" / "stripe-object-examples.json").exists()
    ),
    Path("shared/reference/stripe-object-examples.json"),
)


@pytest.mark.skipif(not REFERENCE.exists(), reason="the shared reference shapes are not here")
def test_event_payloads_have_stripes_shapes(served: tuple[Client, Path]) -> None:
    client, db = served
    shapes = json.loads(REFERENCE.read_text())["resources"]
    customer = client.v1.customers.create()
    pm = client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer.id})
    pi = held(client, 3000, customer=customer.id)
    client.v1.payment_intents.capture(pi.id, params={"amount_to_capture": 2000})
    client.v1.charges.update(str(pi.latest_charge), params={"description": "d"})
    refund = client.v1.refunds.create(params={"payment_intent": pi.id, "amount": 500})
    client.v1.refunds.update(refund.id, params={"metadata": {"k": "v"}})
    client.v1.payment_intents.cancel(held(client).id)
    client.v1.payment_methods.detach(pm.id)
    for kind, shape in [
        ("payment_method.attached", "payment_method"),
        ("payment_method.detached", "payment_method"),
        ("payment_intent.amount_capturable_updated", "payment_intent"),
        ("payment_intent.succeeded", "payment_intent"),
        ("payment_intent.canceled", "payment_intent"),
        ("charge.captured", "charge"),
        ("charge.updated", "charge"),
        ("charge.refunded", "charge"),
        ("refund.updated", "refund"),
    ]:
        found = events(db, kind)
        assert found, kind
        for event in found:
            assert set(shapes["event"]) <= set(event), kind
            obj = event["data"]["object"]
            assert set(shapes[shape]) <= set(obj), (kind, set(shapes[shape]) - set(obj))
            assert not [k for k in obj if k.startswith("sandbox_")], kind
