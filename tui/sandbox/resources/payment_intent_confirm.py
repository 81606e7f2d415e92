"""Confirming a payment intent: the payment method, the test card's outcome, 3-D Secure."""

from __future__ import annotations

from ..errors import StripeError, state_error
from ..objects import TEST_CARDS, rand
from ..params import OneOf, Spec
from ..store import Store
from .charges import decline, new_charge
from .common import ADDRESS, Obj, get_object, route
from .payment_methods import resolve_payment_method

PI_SHIPPING: Spec = {
    "address": ADDRESS,
    "carrier": "str",
    "name": "str",
    "phone": "str",
    "tracking_number": "str",
}
PI_CONFIRM: Spec = {
    **{
        k: "any"
        for k in [
            "allowed_payment_method_types",
            "amount_details",
            "amount_to_confirm",
            "confirmation_token",
            "excluded_payment_method_types",
            "hooks",
            "mandate",
            "mandate_data",
            "off_session",
            "payment_details",
            "payment_method_data",
            "payment_method_options",
            "radar_options",
        ]
    },
    "capture_method": OneOf("automatic", "automatic_async", "manual"),
    "error_on_requires_action": "bool",
    "expand": "strs",
    "payment_method": "str",
    "receipt_email": "str",
    "return_url": "str",
    "setup_future_usage": OneOf("off_session", "on_session"),
    "shipping": PI_SHIPPING,
    "use_stripe_sdk": "bool",
}
_CONFIRMABLE = ("requires_confirmation", "requires_payment_method", "requires_action")


def confirm_payment_intent(store: Store, params: Obj, ident: str) -> Obj:
    pi = get_object(store, "payment_intent", ident, "payment_intent", "intent")
    return confirm_intent(store, pi, params)


def unexpected_state(pi: Obj, action: str, done: str, allowed: tuple[str, ...]) -> StripeError:
    return StripeError(
        400,
        f"You cannot {action} this PaymentIntent because it has a status of "
        f"{pi['status']}. Only a PaymentIntent with one of the following statuses may be "
        f"{done}: {', '.join(allowed)}.",
        code="payment_intent_unexpected_state",
        saved=True,
        extra={"payment_intent": pi},
    )


def confirm_intent(store: Store, pi: Obj, params: Obj) -> Obj:
    if pi["status"] not in _CONFIRMABLE:
        raise unexpected_state(pi, "confirm", "confirmed", _CONFIRMABLE)
    pm_id = params.get("payment_method")
    pm = resolve_payment_method(store, pm_id) if pm_id is not None else None
    if pm is None and pi["payment_method"] is not None:
        pm = store.get("payment_method", pi["payment_method"])
    if pm is None:
        raise StripeError(
            400,
            "You cannot confirm this PaymentIntent because it's missing a payment method. "
            "To confirm the PaymentIntent with a payment method, either update the "
            "PaymentIntent with a payment method and then confirm it again, or confirm it "
            "again directly with a payment method.",
            code="payment_intent_unexpected_state",
            saved=True,
            extra={"payment_intent": pi},
        )
    apm = pi["automatic_payment_methods"]
    if apm is not None and apm["allow_redirects"] != "never" and params.get("return_url") is None:
        raise state_error(
            "This PaymentIntent is configured to accept payment methods enabled in your "
            "Dashboard. Because some of these payment methods might redirect your customer "
            "off of your page, you must provide a `return_url`. If you don't want to accept "
            "redirect-based payment methods, set `automatic_payment_methods[enabled]` to "
            "`true` and `automatic_payment_methods[allow_redirects]` to `never` when "
            "creating Setup Intents and Payment Intents."
        )
    if params.get("receipt_email") is not None:
        pi["receipt_email"] = params["receipt_email"]
    if params.get("capture_method") is not None:
        pi["capture_method"] = params["capture_method"]
    if params.get("shipping") is not None:
        pi["shipping"] = params["shipping"]
    if params.get("setup_future_usage") is not None:
        pi["setup_future_usage"] = params["setup_future_usage"]
    pi["payment_method"] = pm["id"]
    outcome = TEST_CARDS[pm["sandbox_template"]][3]
    if outcome == "requires_action":
        if params.get("error_on_requires_action"):
            return decline(
                store,
                pi,
                pm,
                (
                    "authentication_required",
                    "authentication_required",
                    "Your card was declined. This transaction requires authentication.",
                ),
            )
        pi["status"] = "requires_action"
        pi["last_payment_error"] = None
        source = f"src_{rand()}"
        pi["next_action"] = {
            "type": "use_stripe_sdk",
            "use_stripe_sdk": {
                "source": source,
                "stripe_js": (
                    f"https://hooks.stripe.com/redirect/authenticate/{source}"
                    f"?client_secret={pi['client_secret']}"
                ),
                "type": "three_d_secure_redirect",
            },
        }
        store.update(pi)
        return pi
    if isinstance(outcome, tuple):
        return decline(store, pi, pm, outcome)
    charge = new_charge(store, pi, pm, None)
    manual = pi["capture_method"] == "manual"
    pi["status"] = "requires_capture" if manual else "succeeded"
    pi["amount_capturable"] = pi["amount"] if manual else 0
    pi["amount_received"] = 0 if manual else pi["amount"]
    pi["latest_charge"] = charge["id"]
    pi["last_payment_error"] = None
    pi["next_action"] = None
    store.update(pi)
    return pi


ROUTES = [
    route("POST", r"/v1/payment_intents/([^/]+)/confirm", confirm_payment_intent, PI_CONFIRM),
]
