"""Payment intents, test cards, charges and refunds through the official SDK."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

Client = stripe.StripeClient

NO_REDIRECTS = {"enabled": True, "allow_redirects": "never"}


def intent(client: Client, amount: int = 2000, **extra: Any) -> stripe.PaymentIntent:
    params: dict[str, Any] = {
        "amount": amount,
        "currency": "usd",
        "automatic_payment_methods": NO_REDIRECTS,
        **extra,
    }
    return client.v1.payment_intents.create(params=params)  # type: ignore[arg-type]


def paid(client: Client, amount: int = 2000) -> stripe.PaymentIntent:
    pi = intent(client, amount)
    return client.v1.payment_intents.confirm(pi.id, params={"payment_method": "pm_card_visa"})


def test_create_and_confirm(stripe_client: Client) -> None:
    customer = stripe_client.v1.customers.create(params={"email": "p@example.com"})
    pi = intent(stripe_client, 1999, customer=customer.id, metadata={"order": "7"})
    assert pi.id.startswith("pi_") and pi.status == "requires_payment_method"
    assert pi.client_secret and pi.client_secret.startswith(pi.id + "_secret_")
    assert pi.automatic_payment_methods is not None
    assert pi.automatic_payment_methods.allow_redirects == "never"

    done = stripe_client.v1.payment_intents.confirm(
        pi.id, params={"payment_method": "pm_card_visa"}, options={"idempotency_key": "c-1"}
    )
    assert done.status == "succeeded" and done.amount_received == 1999
    assert isinstance(done.latest_charge, str) and done.latest_charge.startswith("ch_")
    assert isinstance(done.payment_method, str) and done.payment_method.startswith("pm_")

    charge = stripe_client.v1.charges.retrieve(done.latest_charge)
    assert (charge.paid, charge.captured, charge.status) == (True, True, "succeeded")
    assert (charge.amount, charge.amount_refunded, charge.refunded) == (1999, 0, False)
    assert charge.payment_intent == pi.id and charge.customer == customer.id
    assert str(charge.balance_transaction).startswith("txn_")
    card = charge.payment_method_details.card  # type: ignore[union-attr]
    assert (card.brand, card.last4) == ("visa", "4242")  # type: ignore[union-attr]
    assert charge.metadata.to_dict() == {"order": "7"}

    by_intent = stripe_client.v1.charges.list(params={"payment_intent": pi.id})
    assert [c.id for c in by_intent.data] == [charge.id]
    by_customer = stripe_client.v1.payment_intents.list(params={"customer": customer.id})
    assert [p.id for p in by_customer.data] == [pi.id]


@pytest.mark.parametrize(
    ("pm", "brand", "last4"),
    [("pm_card_mastercard", "mastercard", "4444"), ("pm_card_amex", "amex", "8431")],
)
def test_other_brands(stripe_client: Client, pm: str, brand: str, last4: str) -> None:
    pi = intent(stripe_client)
    done = stripe_client.v1.payment_intents.confirm(pi.id, params={"payment_method": pm})
    charge = stripe_client.v1.charges.retrieve(str(done.latest_charge))
    card = charge.payment_method_details.card  # type: ignore[union-attr]
    assert (done.status, card.brand, card.last4) == ("succeeded", brand, last4)  # type: ignore[union-attr]


def test_create_with_confirm(stripe_client: Client) -> None:
    pi = intent(stripe_client, payment_method="pm_card_visa", confirm=True)
    assert pi.status == "succeeded"


def test_redirects_need_a_return_url(stripe_client: Client) -> None:
    pi = stripe_client.v1.payment_intents.create(params={"amount": 1000, "currency": "usd"})
    assert pi.automatic_payment_methods is not None
    assert pi.automatic_payment_methods.allow_redirects == "always"
    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.payment_intents.confirm(pi.id, params={"payment_method": "pm_card_visa"})
    assert "return_url" in str(exc.value.user_message)
    done = stripe_client.v1.payment_intents.confirm(
        pi.id, params={"payment_method": "pm_card_visa", "return_url": "https://example.com/r"}
    )
    assert done.status == "succeeded"


def test_payment_method_types_card_needs_no_return_url(stripe_client: Client) -> None:
    pi = stripe_client.v1.payment_intents.create(
        params={"amount": 1000, "currency": "usd", "payment_method_types": ["card"]}  # type: ignore[typeddict-unknown-key]
    )
    assert pi.automatic_payment_methods is None
    done = stripe_client.v1.payment_intents.confirm(
        pi.id, params={"payment_method": "pm_card_visa"}
    )
    assert done.status == "succeeded"


@pytest.mark.parametrize(
    ("amount", "currency", "code", "message"),
    [
        (49, "usd", "amount_too_small", "Amount must be at least $0.50 usd"),
        (49, "jpy", "amount_too_small", "Amount must be at least ¥50 jpy"),
        (100_000_000, "usd", "amount_too_large", "Amount must be no more than $999,999.99"),
    ],
)
def test_amount_bounds(
    stripe_client: Client, amount: int, currency: str, code: str, message: str
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.payment_intents.create(params={"amount": amount, "currency": currency})
    assert (exc.value.code, exc.value.user_message, exc.value.param) == (code, message, "amount")


@pytest.mark.parametrize(
    ("pm", "code", "decline_code", "message"),
    [
        ("pm_card_chargeDeclined", "card_declined", "generic_decline", "Your card was declined."),
        (
            "pm_card_chargeDeclinedInsufficientFunds",
            "card_declined",
            "insufficient_funds",
            "Your card has insufficient funds.",
        ),
        (
            "pm_card_chargeDeclinedFraudulent",
            "card_declined",
            "fraudulent",
            "Your card was declined.",
        ),
        (
            "pm_card_chargeDeclinedExpiredCard",
            "expired_card",
            "expired_card",
            "Your card has expired.",
        ),
    ],
)
def test_declines(
    stripe_client: Client, pm: str, code: str, decline_code: str, message: str
) -> None:
    pi = intent(stripe_client)
    with pytest.raises(stripe.CardError) as exc:
        stripe_client.v1.payment_intents.confirm(pi.id, params={"payment_method": pm})
    err = exc.value
    assert (err.http_status, err.code, err.user_message) == (402, code, message)
    assert err.error is not None
    assert err.error.type == "card_error" and err.error.decline_code == decline_code
    assert err.error.payment_intent is not None
    assert err.error.payment_intent.id == pi.id
    assert err.error.payment_intent.status == "requires_payment_method"

    after = stripe_client.v1.payment_intents.retrieve(pi.id)
    assert after.status == "requires_payment_method"
    assert after.last_payment_error is not None
    assert after.last_payment_error.decline_code == decline_code
    failed = stripe_client.v1.charges.retrieve(str(after.latest_charge))
    assert (failed.status, failed.paid, failed.failure_code) == ("failed", False, code)

    retried = stripe_client.v1.payment_intents.confirm(
        pi.id, params={"payment_method": "pm_card_visa"}
    )
    assert retried.status == "succeeded" and retried.last_payment_error is None
    assert len(stripe_client.v1.charges.list(params={"payment_intent": pi.id}).data) == 2


@pytest.mark.parametrize("pm", ["pm_card_authenticationRequired", "pm_card_threeDSecure2Required"])
def test_three_d_secure(stripe_client: Client, pm: str) -> None:
    pi = intent(stripe_client)
    pending = stripe_client.v1.payment_intents.confirm(pi.id, params={"payment_method": pm})
    assert pending.status == "requires_action"
    assert pending.next_action is not None and pending.next_action.type == "use_stripe_sdk"
    assert pending.latest_charge is None


def test_unknown_payment_method(stripe_client: Client) -> None:
    pi = intent(stripe_client)
    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.payment_intents.confirm(pi.id, params={"payment_method": "pm_nope"})
    assert (exc.value.code, exc.value.user_message, exc.value.param, exc.value.http_status) == (
        "resource_missing",
        "No such PaymentMethod: 'pm_nope'",
        "payment_method",
        400,
    )


def test_confirm_without_payment_method(stripe_client: Client) -> None:
    pi = intent(stripe_client)
    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.payment_intents.confirm(pi.id)
    assert "missing a payment method" in str(exc.value.user_message)


def test_confirm_succeeded_intent(stripe_client: Client) -> None:
    pi = paid(stripe_client)
    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.payment_intents.confirm(pi.id, params={"payment_method": "pm_card_visa"})
    assert exc.value.code == "payment_intent_unexpected_state"
    assert "status of succeeded" in str(exc.value.user_message)


def test_cancel(stripe_client: Client) -> None:
    pi = intent(stripe_client)
    canceled = stripe_client.v1.payment_intents.cancel(
        pi.id, params={"cancellation_reason": "abandoned"}
    )
    assert canceled.status == "canceled" and canceled.cancellation_reason == "abandoned"


# --- refunds ------------------------------------------------------------------------------


def test_full_refund(stripe_client: Client) -> None:
    pi = paid(stripe_client, 2500)
    refund = stripe_client.v1.refunds.create(
        params={"payment_intent": pi.id, "reason": "requested_by_customer"}
    )
    assert refund.id.startswith("re_") and refund.status == "succeeded"
    assert (refund.amount, refund.charge, refund.payment_intent) == (2500, pi.latest_charge, pi.id)
    charge = stripe_client.v1.charges.retrieve(str(pi.latest_charge))
    assert (charge.amount_refunded, charge.refunded) == (2500, True)
    assert stripe_client.v1.refunds.retrieve(refund.id).amount == 2500

    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.refunds.create(params={"charge": str(pi.latest_charge)})
    assert (exc.value.code, exc.value.user_message) == (
        "charge_already_refunded",
        f"Charge {pi.latest_charge} has already been refunded.",
    )


def test_partial_refunds_and_over_refund(stripe_client: Client) -> None:
    pi = paid(stripe_client, 1000)
    charge_id = str(pi.latest_charge)
    first = stripe_client.v1.refunds.create(params={"payment_intent": pi.id, "amount": 300})
    second = stripe_client.v1.refunds.create(params={"charge": charge_id, "amount": 200})
    charge = stripe_client.v1.charges.retrieve(charge_id)
    assert (charge.amount_refunded, charge.refunded) == (500, False)

    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.refunds.create(params={"payment_intent": pi.id, "amount": 600})
    assert exc.value.param == "amount"
    assert exc.value.user_message == (
        "Refund amount ($6.00) is greater than unrefunded amount on charge ($5.00)"
    )
    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.refunds.create(params={"payment_intent": pi.id, "amount": 5000})
    assert exc.value.user_message == (
        "Refund amount ($50.00) is greater than charge amount ($10.00)"
    )

    rest = stripe_client.v1.refunds.create(params={"payment_intent": pi.id})
    assert rest.amount == 500
    by_intent = stripe_client.v1.refunds.list(params={"payment_intent": pi.id})
    assert [r.id for r in by_intent.data] == [rest.id, second.id, first.id]
    by_charge = stripe_client.v1.refunds.list(params={"charge": charge_id, "limit": 1})
    assert [r.id for r in by_charge.data] == [rest.id] and by_charge.has_more
    assert stripe_client.v1.charges.retrieve(charge_id).refunded is True


def test_refund_errors(stripe_client: Client) -> None:
    pi = intent(stripe_client)
    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.refunds.create(params={"payment_intent": pi.id})
    assert "does not have a successful charge to refund" in str(exc.value.user_message)
    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.refunds.create()
    assert exc.value.code == "parameter_missing"
    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.refunds.create(params={"charge": "ch_missing"})
    assert (exc.value.code, exc.value.param) == ("resource_missing", "charge")
    paid_pi = paid(stripe_client)
    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.refunds.create(
            params={"payment_intent": paid_pi.id, "reason": "bored"}  # type: ignore[typeddict-item]
        )
    assert exc.value.param == "reason"


def test_over_refund_message_in_a_three_decimal_currency(stripe_client: Client) -> None:
    pi = stripe_client.v1.payment_intents.create(
        params={
            "amount": 1500,
            "currency": "kwd",
            "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"},
        }
    )
    pi = stripe_client.v1.payment_intents.confirm(pi.id, params={"payment_method": "pm_card_visa"})
    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.refunds.create(params={"payment_intent": pi.id, "amount": 2000})
    assert exc.value.user_message == (
        "Refund amount (2.000 kwd) is greater than charge amount (1.500 kwd)"
    )
