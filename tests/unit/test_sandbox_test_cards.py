"""Every test card of Stripe's testing docs a card payment can hit, and the charges they leave
(retrieve, update, capture, search) and refunds update, through the SDK."""

from __future__ import annotations

from pathlib import Path

import pytest
import stripe

from tests.unit.test_sandbox_intent_lifecycle import bad_request, events, held, intent, served

Client = stripe.StripeClient
__all__ = ["served"]

DECLINED = "Your card was declined."


@pytest.mark.parametrize(
    ("pm", "code", "decline_code", "message"),
    [
        ("pm_card_visa_chargeDeclined", "card_declined", "generic_decline", DECLINED),
        (
            "pm_card_visa_chargeDeclinedInsufficientFunds",
            "card_declined",
            "insufficient_funds",
            "Your card has insufficient funds.",
        ),
        ("pm_card_visa_chargeDeclinedLostCard", "card_declined", "lost_card", DECLINED),
        ("pm_card_chargeDeclinedLostCard", "card_declined", "lost_card", DECLINED),
        ("pm_card_visa_chargeDeclinedStolenCard", "card_declined", "stolen_card", DECLINED),
        (
            "pm_card_chargeDeclinedIncorrectCvc",
            "incorrect_cvc",
            "incorrect_cvc",
            "Your card's security code is incorrect.",
        ),
        (
            "pm_card_chargeDeclinedProcessingError",
            "processing_error",
            "processing_error",
            "An error occurred while processing your card. Try again in a little bit.",
        ),
        (
            "pm_card_visa_chargeDeclinedVelocityLimitExceeded",
            "card_declined",
            "card_velocity_exceeded",
            "Your card was declined for making repeated attempts too frequently or exceeding "
            "its amount limit.",
        ),
        ("pm_card_chargeCustomerFail", "card_declined", "generic_decline", DECLINED),
        (
            "pm_card_cvcCheckFail",
            "incorrect_cvc",
            "incorrect_cvc",
            "Your card's security code is incorrect.",
        ),
    ],
)
def test_issuer_declines(
    stripe_client: Client, pm: str, code: str, decline_code: str, message: str
) -> None:
    pi = intent(stripe_client)
    with pytest.raises(stripe.CardError) as exc:
        stripe_client.v1.payment_intents.confirm(pi.id, params={"payment_method": pm})
    err = exc.value
    assert (err.http_status, err.code, err.user_message) == (402, code, message)
    assert err.error is not None and err.error.decline_code == decline_code
    charge = stripe_client.v1.charges.retrieve(str(err.error.charge))
    assert (charge.status, charge.failure_code, charge.failure_message) == ("failed", code, message)
    assert charge.outcome is not None
    assert (charge.outcome.type, charge.outcome.reason) == ("issuer_declined", decline_code)


@pytest.mark.parametrize("pm", ["pm_card_radarBlock", "pm_card_riskLevelHighest"])
def test_fraud_blocks(stripe_client: Client, pm: str) -> None:
    pi = intent(stripe_client)
    with pytest.raises(stripe.CardError) as exc:
        stripe_client.v1.payment_intents.confirm(pi.id, params={"payment_method": pm})
    err = exc.value
    assert (err.code, err.user_message) == ("card_declined", DECLINED)
    assert err.error is not None and err.error.decline_code == "fraudulent"
    charge = stripe_client.v1.charges.retrieve(str(err.error.charge))
    assert charge.outcome is not None
    assert (charge.outcome.type, charge.outcome.risk_level, charge.outcome.network_status) == (
        "blocked",
        "highest",
        "not_sent_to_network",
    )
    assert charge.outcome.seller_message == "Stripe blocked this payment as too risky."


@pytest.mark.parametrize(
    ("pm", "risk", "checks"),
    [
        ("pm_card_riskLevelElevated", "elevated", {}),
        ("pm_card_avsZipFail", "normal", {"address_postal_code_check": "fail"}),
        ("pm_card_avsLine1Fail", "normal", {"address_line1_check": "fail"}),
        (
            "pm_card_avsFail",
            "normal",
            {"address_line1_check": "fail", "address_postal_code_check": "fail"},
        ),
        (
            "pm_card_avsUnchecked",
            "normal",
            {"address_line1_check": "unavailable", "address_postal_code_check": "unavailable"},
        ),
        ("pm_card_createDispute", "normal", {}),
        ("pm_card_bypassPending", "normal", {}),
    ],
)
def test_risky_but_paid(stripe_client: Client, pm: str, risk: str, checks: dict[str, str]) -> None:
    pi = intent(stripe_client)
    done = stripe_client.v1.payment_intents.confirm(pi.id, params={"payment_method": pm})
    assert done.status == "succeeded"
    charge = stripe_client.v1.charges.retrieve(str(done.latest_charge))
    assert charge.outcome is not None and charge.outcome.risk_level == risk
    card = charge.payment_method_details.card  # type: ignore[union-attr]
    got = card.checks.to_dict()  # type: ignore[union-attr]
    assert {k: got[k] for k in checks} == checks


@pytest.mark.parametrize(
    ("token", "brand", "last4", "funding"),
    [
        ("tok_visa", "visa", "4242", "credit"),
        ("tok_visa_debit", "visa", "5556", "debit"),
        ("tok_mastercard_debit", "mastercard", "8210", "debit"),
        ("tok_mastercard_prepaid", "mastercard", "5100", "prepaid"),
        ("tok_discover", "discover", "1117", "credit"),
        ("tok_diners", "diners", "0004", "credit"),
        ("tok_jcb", "jcb", "0505", "credit"),
        ("tok_unionpay", "unionpay", "0005", "credit"),
    ],
)
def test_brands_from_tokens(
    stripe_client: Client, token: str, brand: str, last4: str, funding: str
) -> None:
    pm = stripe_client.v1.payment_methods.create(params={"type": "card", "card": {"token": token}})
    assert pm.card is not None
    assert (pm.card.brand, pm.card.last4, pm.card.funding) == (brand, last4, funding)
    done = intent(stripe_client, payment_method=pm.id, confirm=True)
    assert done.status == "succeeded"


def test_a_declining_token_declines(stripe_client: Client) -> None:
    pm = stripe_client.v1.payment_methods.create(
        params={"type": "card", "card": {"token": "tok_chargeDeclinedExpiredCard"}}
    )
    with pytest.raises(stripe.CardError) as exc:
        intent(stripe_client, payment_method=pm.id, confirm=True)
    assert (exc.value.code, exc.value.param) == ("expired_card", "exp_month")


# --- charges ------------------------------------------------------------------------------


def test_charge_update(served: tuple[Client, Path]) -> None:
    client, db = served
    customer = client.v1.customers.create()
    pi = intent(client, metadata={"a": "1"})
    pi = client.v1.payment_intents.confirm(pi.id, params={"payment_method": "pm_card_visa"})
    charge_id = str(pi.latest_charge)
    updated = client.v1.charges.update(
        charge_id,
        params={
            "description": "charge updated",
            "metadata": {"a": "", "c": "d"},
            "customer": customer.id,
            "fraud_details": {"user_report": "safe"},
        },
    )
    assert (updated.description, updated.customer) == ("charge updated", customer.id)
    assert updated.metadata.to_dict() == {"c": "d"}
    assert updated.fraud_details is not None
    assert updated.fraud_details.to_dict() == {"user_report": "safe"}
    (event,) = events(db, "charge.updated")
    assert event["data"]["object"]["id"] == charge_id
    assert event["data"]["previous_attributes"] == {
        "customer": None,
        "description": None,
        "fraud_details": {},
        "metadata": {"a": "1"},
    }
    client.v1.charges.update(charge_id, params={"description": "charge updated"})
    assert len(events(db, "charge.updated")) == 1

    group = bad_request(client.v1.charges.update, charge_id, params={"transfer_group": "g"})
    assert group.param == "transfer_group" and pi.id in str(group.user_message)
    other = client.v1.customers.create()
    assert (
        bad_request(client.v1.charges.update, charge_id, params={"customer": other.id}).param
        == "customer"
    )
    missing = bad_request(client.v1.charges.update, "ch_nope", params={"description": "x"})
    assert (missing.http_status, missing.code) == (404, "resource_missing")


def test_charge_capture_refusals(stripe_client: Client) -> None:
    hold = held(stripe_client)
    direct = bad_request(stripe_client.v1.charges.capture, str(hold.latest_charge))
    assert direct.user_message == (
        f"This uncaptured Charge was created by a PaymentIntent ({hold.id}). You must capture "
        "the PaymentIntent instead. For more information, see "
        "https://stripe.com/docs/payments/place-a-hold-on-a-payment-method"
    )
    stripe_client.v1.payment_intents.capture(hold.id)
    done = bad_request(stripe_client.v1.charges.capture, str(hold.latest_charge))
    assert done.code == "charge_already_captured"


def test_charge_search_and_list(stripe_client: Client) -> None:
    customer = stripe_client.v1.customers.create()
    big = intent(stripe_client, 9000, customer=customer.id, metadata={"tier": "gold"})
    big = stripe_client.v1.payment_intents.confirm(
        big.id, params={"payment_method": "pm_card_mastercard"}
    )
    small = intent(stripe_client, 600)
    small = stripe_client.v1.payment_intents.confirm(
        small.id, params={"payment_method": "pm_card_visa"}
    )
    stripe_client.v1.refunds.create(params={"payment_intent": small.id})
    failed = intent(stripe_client, 700)
    with pytest.raises(stripe.CardError):
        stripe_client.v1.payment_intents.confirm(
            failed.id, params={"payment_method": "pm_card_chargeDeclined"}
        )

    def ids(query: str) -> list[str]:
        return [c.id for c in stripe_client.v1.charges.search(params={"query": query}).data]

    assert ids("amount>=9000") == [big.latest_charge]
    assert ids("refunded:'true'") == [small.latest_charge]
    assert ids("payment_method_details.card.last4:'4444'") == [big.latest_charge]
    assert ids("payment_method_details.card.brand:'visa' AND status:'succeeded'") == [
        small.latest_charge
    ]
    assert ids(f"customer:'{customer.id}' AND metadata['tier']:'gold'") == [big.latest_charge]
    assert len(ids("status:'failed'")) == 1
    assert "unsupported search field" in str(
        bad_request(stripe_client.v1.charges.search, params={"query": "name:'x'"}).user_message
    )

    listed = stripe_client.v1.charges.list(params={"customer": customer.id})
    assert [c.id for c in listed.data] == [big.latest_charge]
    assert len(stripe_client.v1.charges.list(params={"limit": 100}).data) == 3


# --- refunds ------------------------------------------------------------------------------


def test_refund_update_takes_metadata_only(served: tuple[Client, Path]) -> None:
    client, db = served
    pi = intent(client)
    pi = client.v1.payment_intents.confirm(pi.id, params={"payment_method": "pm_card_visa"})
    refund = client.v1.refunds.create(params={"payment_intent": pi.id, "metadata": {"a": "1"}})
    updated = client.v1.refunds.update(refund.id, params={"metadata": {"a": "", "why": "late"}})
    assert updated.metadata is not None and updated.metadata.to_dict() == {"why": "late"}
    (event,) = events(db, "refund.updated")
    assert event["data"]["previous_attributes"] == {"metadata": {"a": "1"}}
    assert event["data"]["object"]["metadata"] == {"why": "late"}
    refused = bad_request(client.v1.refunds.update, refund.id, params={"amount": 5})
    assert refused.code == "parameter_unknown"
    missing = bad_request(client.v1.refunds.update, "re_nope", params={"metadata": {"a": "b"}})
    assert (missing.http_status, missing.code) == (404, "resource_missing")
