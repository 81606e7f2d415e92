"""Stripe's test cards: the ``pm_card_*`` PaymentMethods and ``tok_*`` tokens of its testing docs.

Each names a :class:`Card`: what a payment with it does (succeeds, is declined by the issuer
with Stripe's ``code``/``decline_code``/message, is blocked by Radar, asks for 3-D Secure), and
whether attaching it to a customer works. ``tok_visa`` is the token of ``pm_card_visa``: the two
spellings share one entry.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from typing import Any

from .objects import address, new_id, now

__all__ = ["TEST_CARDS", "Card", "Decline", "card_of", "payment_method", "template_of_token"]

Decline = tuple[str, str, str]
"""``(code, decline_code, message)`` as Stripe answers a declined card."""

GENERIC: Decline = ("card_declined", "generic_decline", "Your card was declined.")
INSUFFICIENT: Decline = ("card_declined", "insufficient_funds", "Your card has insufficient funds.")
LOST: Decline = ("card_declined", "lost_card", "Your card was declined.")
STOLEN: Decline = ("card_declined", "stolen_card", "Your card was declined.")
FRAUDULENT: Decline = ("card_declined", "fraudulent", "Your card was declined.")
EXPIRED: Decline = ("expired_card", "expired_card", "Your card has expired.")
CVC: Decline = ("incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect.")
PROCESSING: Decline = (
    "processing_error",
    "processing_error",
    "An error occurred while processing your card. Try again in a little bit.",
)
VELOCITY: Decline = (
    "card_declined",
    "card_velocity_exceeded",
    "Your card was declined for making repeated attempts too frequently or exceeding its "
    "amount limit.",
)
AUTHENTICATION: Decline = (
    "authentication_required",
    "authentication_required",
    "Your card was declined. This transaction requires authentication.",
)


@dataclass(frozen=True)
class Card:
    brand: str
    last4: str
    funding: str = "credit"
    decline: Decline | None = None
    """The issuer's answer to a charge (None: approved)."""
    three_d_secure: str = "optional"
    """``required`` (every payment), ``on_setup`` (unless off-session with a saved card),
    ``optional`` (only when the intent asks for it) or ``not_supported``."""
    blocked: bool = False
    """Radar blocks the payment (risk level highest) before it reaches the issuer."""
    risk_level: str = "normal"
    attachable: bool = True
    """False: attaching it to a customer is declined like a charge."""
    checks: dict[str, str] = field(default_factory=dict)
    country: str = "US"


def _declined(last4: str, decline: Decline, **kw: Any) -> Card:
    return Card("visa", last4, decline=decline, attachable=False, **kw)


def _secure(last4: str, mode: str = "required", brand: str = "visa") -> Card:
    return Card(brand, last4, three_d_secure=mode)


_FAIL = "fail"
TEST_CARDS: dict[str, Card] = {
    # Brands (docs.stripe.com/testing#cards)
    "pm_card_visa": Card("visa", "4242"),
    "pm_card_visa_debit": Card("visa", "5556", "debit"),
    "pm_card_mastercard": Card("mastercard", "4444"),
    "pm_card_mastercard_debit": Card("mastercard", "8210", "debit"),
    "pm_card_mastercard_prepaid": Card("mastercard", "5100", "prepaid"),
    "pm_card_amex": Card("amex", "8431"),
    "pm_card_discover": Card("discover", "1117"),
    "pm_card_diners": Card("diners", "0004"),
    "pm_card_jcb": Card("jcb", "0505", country="JP"),
    "pm_card_unionpay": Card("unionpay", "0005", country="CN"),
    "pm_card_bypassPending": Card("visa", "0077"),
    # Declines (docs.stripe.com/testing#declined-payments)
    "pm_card_chargeDeclined": _declined("0002", GENERIC),
    "pm_card_visa_chargeDeclined": _declined("0002", GENERIC),
    "pm_card_chargeDeclinedInsufficientFunds": _declined("9995", INSUFFICIENT),
    "pm_card_visa_chargeDeclinedInsufficientFunds": _declined("9995", INSUFFICIENT),
    "pm_card_chargeDeclinedLostCard": _declined("9987", LOST),
    "pm_card_visa_chargeDeclinedLostCard": _declined("9987", LOST),
    "pm_card_chargeDeclinedStolenCard": _declined("9979", STOLEN),
    "pm_card_visa_chargeDeclinedStolenCard": _declined("9979", STOLEN),
    "pm_card_chargeDeclinedExpiredCard": _declined("0069", EXPIRED),
    "pm_card_chargeDeclinedIncorrectCvc": _declined("0127", CVC),
    "pm_card_chargeDeclinedProcessingError": _declined("0119", PROCESSING),
    "pm_card_visa_chargeDeclinedVelocityLimitExceeded": _declined("6975", VELOCITY),
    "pm_card_chargeDeclinedFraudulent": _declined("0019", FRAUDULENT),
    "pm_card_visa_chargeDeclinedFraudulent": _declined("0019", FRAUDULENT),
    "pm_card_chargeCustomerFail": Card("visa", "0341", decline=GENERIC),
    # Fraud prevention (docs.stripe.com/testing#fraud-prevention)
    "pm_card_radarBlock": Card("visa", "0019", blocked=True, risk_level="highest"),
    "pm_card_riskLevelHighest": Card("visa", "4954", blocked=True, risk_level="highest"),
    "pm_card_riskLevelElevated": Card("visa", "9235", risk_level="elevated"),
    "pm_card_cvcCheckFail": _declined("0101", CVC, checks={"cvc_check": _FAIL}),
    "pm_card_avsZipFail": Card("visa", "0036", checks={"address_postal_code_check": _FAIL}),
    "pm_card_avsLine1Fail": Card("visa", "0028", checks={"address_line1_check": _FAIL}),
    "pm_card_avsFail": Card(
        "visa", "0010", checks={"address_line1_check": _FAIL, "address_postal_code_check": _FAIL}
    ),
    "pm_card_avsUnchecked": Card(
        "visa",
        "0044",
        checks={"address_line1_check": "unavailable", "address_postal_code_check": "unavailable"},
    ),
    # Disputes: the payment succeeds (the dispute that follows is not emulated).
    "pm_card_createDispute": Card("visa", "0259"),
    "pm_card_createDisputeProductNotReceived": Card("visa", "2685"),
    "pm_card_createDisputeInquiry": Card("visa", "1976"),
    # 3-D Secure (docs.stripe.com/testing#regulatory-cards, #three-ds-cards)
    "pm_card_authenticationRequired": _secure("3184"),
    "pm_card_authenticationRequiredOnSetup": _secure("3155", "on_setup"),
    "pm_card_authenticationRequiredChargeDeclinedInsufficientFunds": _secure("3178"),
    "pm_card_threeDSecure2Required": _secure("3220"),
    "pm_card_threeDSecureRequired": _secure("3063"),
    "pm_card_threeDSecureRequiredChargeDeclined": _secure("1629"),
    "pm_card_threeDSecureOptional": _secure("3055", "optional"),
    "pm_card_amex_threeDSecureNotSupported": _secure("0005", "not_supported", "amex"),
}


def template_of_token(token: str) -> str | None:
    """``tok_visa`` -> ``pm_card_visa`` (None for a token Stripe's docs do not list)."""
    if not token.startswith("tok_"):
        return None
    name = "pm_card_" + token[4:]
    return name if name in TEST_CARDS else None


def card_of(pm: dict[str, Any]) -> Card:
    return TEST_CARDS[pm["sandbox_template"]]


def _fingerprint(card: Card) -> str:
    """One card number, one fingerprint (as Stripe's, whatever the PaymentMethod)."""
    return hashlib.sha256(f"{card.brand}{card.last4}".encode()).hexdigest()[:16]


def payment_method(
    template: str, customer: str | None = None, billing_details: dict[str, Any] | None = None
) -> dict[str, Any]:
    card = TEST_CARDS[template]
    billing = billing_details or {}
    checks = {
        "address_line1_check": None,
        "address_postal_code_check": None,
        "cvc_check": "pass",
        **card.checks,
    }
    return {
        "id": new_id("pm"),
        "object": "payment_method",
        "allow_redisplay": "unspecified",
        "billing_details": {
            "address": address(billing.get("address") or {}),
            "email": billing.get("email"),
            "name": billing.get("name"),
            "phone": billing.get("phone"),
            "tax_id": billing.get("tax_id"),
        },
        "card": {
            "brand": card.brand,
            "checks": checks,
            "country": card.country,
            "display_brand": card.brand,
            "exp_month": 12,
            "exp_year": time.gmtime().tm_year + 3,
            "fingerprint": _fingerprint(card),
            "funding": card.funding,
            "generated_from": None,
            "last4": card.last4,
            "networks": {"available": [card.brand], "preferred": None},
            "regulated_status": "unregulated",
            "three_d_secure_usage": {"supported": card.three_d_secure != "not_supported"},
            "wallet": None,
        },
        "created": now(),
        "customer": customer,
        "customer_account": None,
        "livemode": False,
        "metadata": {},
        "type": "card",
        "sandbox_template": template,
    }
