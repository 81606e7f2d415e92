"""Confirming a payment intent: the payment method, the test card's outcome, 3-D Secure."""

from __future__ import annotations

from typing import Any

from ..cards import AUTHENTICATION, card_of
from ..errors import StripeError, invalid, state_error
from ..objects import rand
from ..params import OneOf, Spec
from ..store import Store
from .charges import decline, new_charge
from .common import ADDRESS, Obj, get_object, route
from .events import record_event
from .payment_methods import attach, check_usable, resolve_payment_method

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
_THREE_D_SECURE = OneOf("any", "automatic", "challenge")


def off_session(params: Obj) -> bool:
    """``off_session``: a boolean, or ``one_off`` / ``recurring`` (both mean true)."""
    value: Any = params.get("off_session")
    if value in (None, "", "false"):
        return False
    if value in ("true", "one_off", "recurring"):
        return True
    raise invalid(f"Invalid off_session: {str(value)[:100]}", "off_session")


def request_three_d_secure(params: Obj) -> str | None:
    """``payment_method_options[card][request_three_d_secure]``, checked (None if not given)."""
    options: Any = params.get("payment_method_options")
    card: Any = options.get("card") if isinstance(options, dict) else None
    value: Any = card.get("request_three_d_secure") if isinstance(card, dict) else None
    if value is None or value == "":
        return None
    path = "payment_method_options[card][request_three_d_secure]"
    if not isinstance(value, str) or value not in _THREE_D_SECURE.values:
        raise invalid(_THREE_D_SECURE.message(path), path)
    return value


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
    unattended = off_session(params)
    requested = request_three_d_secure(params)
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
    check_usable(pm, pi["customer"])
    if unattended and (params.get("setup_future_usage") or pi["setup_future_usage"]):
        raise invalid(
            "You cannot confirm with the `off_session` parameter when `setup_future_usage` is "
            "also set on the PaymentIntent because you cannot set up future usages when "
            "processing payments off-session.",
            "off_session",
        )
    if requested is not None:
        pi["payment_method_options"]["card"]["request_three_d_secure"] = requested
    if params.get("receipt_email") is not None:
        pi["receipt_email"] = params["receipt_email"]
    if params.get("capture_method") is not None:
        pi["capture_method"] = params["capture_method"]
    if params.get("shipping") is not None:
        pi["shipping"] = params["shipping"]
    if params.get("setup_future_usage") is not None:
        pi["setup_future_usage"] = params["setup_future_usage"]
    pi["payment_method"] = pm["id"]
    card = card_of(pm)
    if _needs_authentication(pi, pm, unattended):
        if unattended or params.get("error_on_requires_action"):
            return decline(store, pi, pm, AUTHENTICATION)
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
        record_event(store, "payment_intent.requires_action", pi)
        return pi
    if card.blocked:
        return decline(
            store, pi, pm, ("card_declined", "fraudulent", "Your card was declined."), True
        )
    if card.decline is not None:
        return decline(store, pi, pm, card.decline)
    charge = new_charge(store, pi, pm, None)
    if pm["customer"] is None:
        if pi["setup_future_usage"] and pi["customer"] is not None:
            attach(store, pm["id"], pi["customer"])
        else:
            pm["sandbox_consumed"] = True
            store.update(pm)
    manual = pi["capture_method"] == "manual"
    pi["status"] = "requires_capture" if manual else "succeeded"
    pi["amount_capturable"] = pi["amount"] if manual else 0
    pi["amount_received"] = 0 if manual else pi["amount"]
    pi["latest_charge"] = charge["id"]
    pi["last_payment_error"] = None
    pi["next_action"] = None
    store.update(pi)
    record_event(
        store,
        "payment_intent.amount_capturable_updated" if manual else "payment_intent.succeeded",
        pi,
    )
    return pi


def _needs_authentication(pi: Obj, pm: Obj, unattended: bool) -> bool:
    mode = card_of(pm).three_d_secure
    requested = pi["payment_method_options"]["card"]["request_three_d_secure"]
    if mode == "required":
        return True
    if mode == "on_setup":
        return not (unattended and pm["customer"] is not None)
    return mode == "optional" and requested in ("any", "challenge")


ROUTES = [
    route("POST", r"/v1/payment_intents/([^/]+)/confirm", confirm_payment_intent, PI_CONFIRM),
]
