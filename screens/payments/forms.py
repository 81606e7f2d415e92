"""The Payments forms' parts (the intent a form acts on, the amounts, the test cards) and
what a confirmation came to, in words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from screens.common import classify_customer_query, money, text
from screens.payments.columns import captured, customer_label, refundable, refunded
from tui.gateway import Gateway, GatewayError, Obj, customer_search_query
from widgets.form import Field, FormSpec, Lookup

Check = Callable[[dict[str, Any]], dict[str, str]]
"""A form's cross-field check: the problems by field name."""
Says = Callable[[dict[str, Any]], str]
"""What a form's submit button says (how much money moves), or "" for its label."""

TEST_PAYMENT_METHODS: tuple[tuple[str, str], ...] = (
    ("pm_card_visa", "pm_card_visa — Visa: succeeds"),
    ("pm_card_mastercard", "pm_card_mastercard — Mastercard: succeeds"),
    ("pm_card_amex", "pm_card_amex — Amex: succeeds"),
    ("pm_card_chargeDeclined", "pm_card_chargeDeclined — generic decline"),
    (
        "pm_card_chargeDeclinedInsufficientFunds",
        "pm_card_chargeDeclinedInsufficientFunds — Insufficient funds",
    ),
    ("pm_card_chargeDeclinedFraudulent", "pm_card_chargeDeclinedFraudulent — fraud"),
    ("pm_card_chargeDeclinedExpiredCard", "pm_card_chargeDeclinedExpiredCard — expired"),
    ("pm_card_authenticationRequired", "pm_card_authenticationRequired — 3-D Secure"),
    ("pm_card_threeDSecure2Required", "pm_card_threeDSecure2Required — 3-D Secure 2"),
)
"""Stripe's test payment methods, each with what it does (any other pm_ id may be typed)."""

REFUND_REASONS: tuple[tuple[str, str], ...] = (
    ("duplicate", "duplicate"),
    ("fraudulent", "fraudulent"),
    ("requested_by_customer", "requested by customer"),
)

CANCEL_REASONS: tuple[tuple[str, str], ...] = (
    ("abandoned", "abandoned"),
    ("duplicate", "duplicate"),
    ("fraudulent", "fraudulent"),
    ("requested_by_customer", "requested by customer"),
)

CAPTURE_METHODS: tuple[tuple[str, str], ...] = (
    ("automatic", "automatic — charged when confirmed"),
    ("manual", "manual — a hold, captured or canceled later"),
)

REQUIRES_ACTION_TEXT = (
    "The card needs 3-D Secure authentication by the customer (their bank asks them to "
    "approve the payment). The console cannot authenticate on the customer's behalf.\n\n"
    "The intent waits in requires_action. You can: let the customer complete it in your "
    "checkout, where Stripe.js shows the challenge using the intent's client secret; or "
    "confirm it again with another payment method (c)."
)


def customer_suggestions(gateway: Gateway, query: str) -> list[tuple[str, str]]:
    """Customers matching typed text, as (id, label): an email is listed, other text searched."""
    kind = classify_customer_query(query)
    if kind == "email":
        page = gateway.list_customers(10, email=query.strip())
    elif kind == "search":
        page = gateway.search_customers(customer_search_query(query), 10)
    else:
        return []
    return [(c["id"], customer_label(c)) for c in page.items]


def intent_id_field(*params: str, lookup: Callable[[str], Lookup] | None = None) -> Field:
    """The payment intent a form acts on; `params` are the Stripe params that name it."""
    return Field(
        "payment_intent_id",
        "Payment intent",
        kind="id",
        required=True,
        prefix="pi_",
        params=params,
        placeholder="pi_…",
        lookup=lookup,
    )


def intent_note(intent: Obj, charge: Obj | None) -> str:
    """An intent in one line, as a form shows the one it acts on: amount, status, refunds."""
    parts = [money(intent.get("amount"), intent.get("currency")), text(intent.get("status"))]
    if intent.get("status") == "requires_capture":
        parts.append(f"capturable {money(intent.get('amount_capturable'), intent.get('currency'))}")
    if charge is not None and captured(charge):
        currency = charge.get("currency")
        parts.append(f"refunded {money(refunded(charge), currency)}")
        parts.append(f"refundable {money(refundable(charge), currency)}")
    return " · ".join(parts)


def refund_amount_field(intent: Obj | None, charge: Obj | None) -> Field:
    """The refund's amount, limited to what is left on the intent's charge when it is known."""
    currency: str | None = None
    maximum: int | None = None
    help_text = "Empty refunds everything that is left. Select the intent to see the limit."
    if intent is not None:
        currency = str(intent.get("currency") or "usd")
        if charge is not None and charge.get("status") == "succeeded":
            maximum = refundable(charge)
            help_text = f"Refundable: {money(maximum, currency)}. Partial, or empty for all."
            if maximum == 0:
                help_text = "Nothing left to refund: the payment is fully refunded."
        else:
            help_text = f"Not charged yet (status {text(intent.get('status'))})."
    return Field(
        "amount",
        "Amount",
        kind="amount",
        currency=currency,
        maximum=maximum,
        placeholder="empty: everything left",
        help=help_text,
    )


def capture_amount_field(intent: Obj | None) -> Field:
    """The amount to capture, limited to what the hold allows when the intent is known."""
    currency: str | None = None
    maximum: int | None = None
    help_text = "Empty captures the whole hold. Select the intent to see the limit."
    if intent is not None:
        currency = str(intent.get("currency") or "usd")
        if intent.get("status") == "requires_capture":
            maximum = int(intent.get("amount_capturable") or 0)
            help_text = (
                f"Capturable: {money(maximum, currency)}. Less captures part and releases "
                "the rest; empty captures all."
            )
        else:
            help_text = f"Nothing to capture: the intent is {text(intent.get('status'))}."
    return Field(
        "amount_to_capture",
        "Amount",
        kind="amount",
        currency=currency,
        maximum=maximum,
        placeholder="empty: all of the hold",
        help=help_text,
    )


@dataclass(frozen=True)
class ConfirmOutcome:
    """What a confirmation came to: the intent as it is now, its charge, and any card error."""

    intent: Obj
    charge: Obj | None = None
    error: GatewayError | None = None
    payment_method: str = ""

    @property
    def id(self) -> str:
        return str(self.intent.get("id") or "")


def declined_text(outcome: ConfirmOutcome) -> str:
    error = outcome.error
    assert error is not None
    intent = outcome.intent
    amount = money(intent.get("amount"), intent.get("currency"))
    lines = [
        f"Payment intent {intent.get('id')} ({amount})",
        f"Stripe said: {error.message}",
        f"Decline code: {error.decline_code or '—'}    Error code: {error.code or '—'}",
    ]
    if error.request_id:
        lines.append(f"Request: {error.request_id}")
    lines += [
        "",
        f"The intent is back to {text(intent.get('status'))}: no money moved. Confirm it again "
        "with another payment method (c), or ask the customer for another card.",
    ]
    return "\n".join(lines)


def requires_action_text(intent: Obj) -> str:
    head = (
        f"Payment intent {intent.get('id')} ({money(intent.get('amount'), intent.get('currency'))})"
    )
    return f"{head}\n\n{REQUIRES_ACTION_TEXT}"


# Forms ---------------------------------------------------------------------------------------


def check_customer(values: dict[str, Any], *, optional: bool = False) -> dict[str, str]:
    """A customer is a cus_ id picked from the suggestions or typed (text is still a search)."""
    customer = values.get("customer_id") or ""
    if optional and not customer:
        return {}
    if not customer.startswith("cus_") or " " in customer:
        return {"customer_id": "Pick a customer from the list (down) or type a cus_ id."}
    return {}


def create_form(gateway: Gateway, currency: str = "usd") -> FormSpec:
    """ "Create a payment intent": amount, currency (the config's default_currency), an optional
    customer, how it is captured."""

    def suggest(query: str) -> list[tuple[str, str]]:
        return customer_suggestions(gateway, query)

    return FormSpec(
        title="Create a payment intent",
        fields=(
            Field(
                "amount",
                "Amount",
                kind="amount",
                required=True,
                currency_field="currency",
                placeholder="12.50",
                help="In major units: 12.50 USD, 500 JPY.",
            ),
            Field("currency", "Currency", kind="currency", required=True, default=currency),
            Field(
                "customer_id",
                "Customer",
                params=("customer",),
                suggest=suggest,
                placeholder="cus_…, or an email or name to search",
                help="Optional. Type to search; down picks from the list.",
            ),
            Field("description", "Description", placeholder="Order #1234"),
            Field(
                "capture_method",
                "Capture",
                kind="choice",
                required=True,
                choices=CAPTURE_METHODS,
            ),
        ),
        submit_label="Create intent",
        check=lambda values: check_customer(values, optional=True),
    )


def confirm_form(
    lookup: Callable[[str], Lookup] | None = None,
    says: Callable[[dict[str, Any]], str] | None = None,
    saved: tuple[tuple[str, str], ...] = (),
) -> FormSpec:
    """ "Confirm a payment intent"; `saved`: the customer's saved payment methods (id, label),
    offered first."""
    return FormSpec(
        title="Confirm a payment intent",
        fields=(
            intent_id_field("intent", "payment_intent", "id", lookup=lookup),
            Field(
                "payment_method",
                "Payment method" if saved else "Test card",
                kind="choice",
                required=True,
                choices=saved + TEST_PAYMENT_METHODS,
                help="The customer's saved methods first, then Stripe's test cards."
                if saved
                else "",
            ),
            Field(
                "other_payment_method",
                "Or any pm_ id",
                kind="id",
                prefix="pm_",
                placeholder="pm_…",
                replaces="payment_method",
                help="A payment method id; when filled, used instead of the test card.",
            ),
        ),
        submit_label="Confirm",
        says=says,
    )


def attach_form(gateway: Gateway) -> FormSpec:
    """ "Attach a payment method": a test card or any pm_ id, to a customer."""

    def suggest(query: str) -> list[tuple[str, str]]:
        return customer_suggestions(gateway, query)

    return FormSpec(
        title="Attach a payment method",
        fields=(
            Field(
                "customer_id",
                "Customer",
                required=True,
                params=("customer",),
                suggest=suggest,
                placeholder="cus_…, or an email or name to search",
                help="Type to search; down picks from the list.",
            ),
            Field(
                "payment_method",
                "Test card",
                kind="choice",
                required=True,
                choices=TEST_PAYMENT_METHODS,
            ),
            Field(
                "other_payment_method",
                "Or any pm_ id",
                kind="id",
                prefix="pm_",
                placeholder="pm_…",
                replaces="payment_method",
                help="A payment method id; when filled, attached instead of the test card.",
            ),
        ),
        submit_label="Attach",
        check=check_customer,
    )


def refund_form(
    intent: Obj | None,
    charge: Obj | None,
    lookup: Callable[[str], Lookup],
    check: Check,
    says: Says,
) -> FormSpec:
    return FormSpec(
        title="Refund a Stripe payment",
        fields=(
            intent_id_field("payment_intent", "charge", "id", lookup=lookup),
            refund_amount_field(intent, charge),
            Field("reason", "Reason", kind="choice", choices=REFUND_REASONS),
        ),
        submit_label="Refund",
        check=check,
        says=says,
    )


def capture_form(
    intent: Obj | None, lookup: Callable[[str], Lookup], check: Check, says: Says
) -> FormSpec:
    return FormSpec(
        title="Capture a payment intent",
        fields=(
            intent_id_field("intent", "payment_intent", "id", lookup=lookup),
            capture_amount_field(intent),
        ),
        submit_label="Capture",
        check=check,
        says=says,
    )


def cancel_form(lookup: Callable[[str], Lookup], check: Check, says: Says) -> FormSpec:
    return FormSpec(
        title="Cancel a payment intent",
        fields=(
            intent_id_field("intent", "payment_intent", "id", lookup=lookup),
            Field(
                "cancellation_reason",
                "Reason",
                kind="choice",
                choices=CANCEL_REASONS,
                help="Canceling cannot be undone; a hold is released to the customer.",
            ),
        ),
        submit_label="Cancel intent",
        check=check,
        says=says,
    )
