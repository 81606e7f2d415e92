"""Payment intents: create, retrieve, list, confirm (a charge, a decline, 3-D Secure), cancel."""

from __future__ import annotations

from ..errors import StripeError, invalid, missing_param, state_error
from ..objects import MAXIMUM, MINIMUMS, TEST_CARDS, format_amount, new_id, now, rand
from ..params import OneOf, Spec, Str
from ..store import Store
from .charges import decline, new_charge
from .common import (
    ADDRESS,
    DESCRIPTOR,
    LIST,
    RETRIEVE,
    Obj,
    check_currency,
    get_object,
    list_objects,
    route,
)
from .customers import live_customer
from .events import record_event
from .payment_methods import resolve_payment_method

_PI_SHIPPING: Spec = {
    "address": ADDRESS,
    "carrier": "str",
    "name": "str",
    "phone": "str",
    "tracking_number": "str",
}
_PI_ANY = [
    "allowed_payment_method_types",
    "amount_details",
    "confirmation_token",
    "customer_account",
    "excluded_payment_method_types",
    "hooks",
    "mandate",
    "mandate_data",
    "off_session",
    "on_behalf_of",
    "payment_details",
    "payment_method_configuration",
    "payment_method_data",
    "payment_method_options",
    "radar_options",
    "transfer_data",
    "transfer_group",
]
PI_CREATE: Spec = {
    **{k: "any" for k in _PI_ANY},
    "amount": "int",
    "application_fee_amount": "int",
    "automatic_payment_methods": {
        "allow_redirects": OneOf("always", "never"),
        "enabled": "bool",
    },
    "capture_method": OneOf("automatic", "automatic_async", "manual"),
    "confirm": "bool",
    "confirmation_method": OneOf("automatic", "manual"),
    "currency": "str",
    "customer": "str",
    "description": Str(1000),
    "error_on_requires_action": "bool",
    "expand": "strs",
    "metadata": "map",
    "payment_method": "str",
    "payment_method_types": "strs",
    "receipt_email": "str",
    "return_url": "str",
    "setup_future_usage": OneOf("off_session", "on_session"),
    "shipping": _PI_SHIPPING,
    "statement_descriptor": DESCRIPTOR,
    "statement_descriptor_suffix": DESCRIPTOR,
    "use_stripe_sdk": "bool",
}
PI_LIST: Spec = {**LIST, "customer": "str", "customer_account": "str"}
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
    "shipping": _PI_SHIPPING,
    "use_stripe_sdk": "bool",
}
PI_CANCEL: Spec = {
    "cancellation_reason": OneOf("abandoned", "duplicate", "fraudulent", "requested_by_customer"),
    "expand": "strs",
}

_CONFIRMABLE = ("requires_confirmation", "requires_payment_method", "requires_action")
_CANCELABLE = (
    "requires_payment_method",
    "requires_capture",
    "requires_confirmation",
    "requires_action",
    "processing",
)


def create_payment_intent(store: Store, params: Obj) -> Obj:
    amount = params.get("amount")
    if amount is None:
        raise missing_param("amount")
    if params.get("currency") is None:
        raise missing_param("currency")
    currency = check_currency(params["currency"])
    minimum = MINIMUMS.get(currency, 50)
    if amount < minimum:
        raise invalid(
            f"Amount must be at least {format_amount(minimum, currency, suffix=True)}",
            "amount",
            "amount_too_small",
        )
    if amount > MAXIMUM:
        raise invalid(
            f"Amount must be no more than {format_amount(MAXIMUM, currency)}",
            "amount",
            "amount_too_large",
        )
    customer = params.get("customer")
    if customer is not None:
        live_customer(store, customer, "customer", 400)
    types = params.get("payment_method_types")
    apm = params.get("automatic_payment_methods")
    if types and apm is not None and apm.get("enabled"):
        raise invalid(
            "You may only specify one of these parameters: automatic_payment_methods, "
            "payment_method_types.",
            "automatic_payment_methods",
        )
    automatic: Obj | None
    if types:
        automatic = None
    else:
        enabled = True if apm is None or apm.get("enabled") is None else apm["enabled"]
        if apm is not None and apm.get("allow_redirects") and not enabled:
            raise invalid(
                "automatic_payment_methods[allow_redirects] can only be set when "
                "automatic_payment_methods[enabled] is true.",
                "automatic_payment_methods[allow_redirects]",
            )
        automatic = (
            {
                "allow_redirects": (apm or {}).get("allow_redirects") or "always",
                "enabled": True,
            }
            if enabled
            else None
        )
        types = ["card"] if automatic is None else ["card", "link"]
    ident = new_id("pi")
    pi: Obj = {
        "id": ident,
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": 0,
        "amount_details": {"tip": {}},
        "amount_received": 0,
        "application": None,
        "application_fee_amount": params.get("application_fee_amount"),
        "automatic_payment_methods": automatic,
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": params.get("capture_method") or "automatic_async",
        "client_secret": f"{ident}_secret_{rand(25)}",
        "confirmation_method": params.get("confirmation_method") or "automatic",
        "created": now(),
        "currency": currency,
        "customer": customer,
        "customer_account": None,
        "description": params.get("description"),
        "excluded_payment_method_types": None,
        "last_payment_error": None,
        "latest_charge": None,
        "livemode": False,
        "managed_payments": None,
        "metadata": params.get("metadata") or {},
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": None,
        "payment_method_configuration_details": None,
        "payment_method_options": {
            "card": {
                "installments": None,
                "mandate_options": None,
                "network": None,
                "request_three_d_secure": "automatic",
            }
        },
        "payment_method_types": types,
        "processing": None,
        "receipt_email": params.get("receipt_email"),
        "review": None,
        "setup_future_usage": params.get("setup_future_usage"),
        "shipping": params.get("shipping"),
        "source": None,
        "statement_descriptor": params.get("statement_descriptor"),
        "statement_descriptor_suffix": params.get("statement_descriptor_suffix"),
        "status": "requires_payment_method",
        "transfer_data": None,
        "transfer_group": params.get("transfer_group"),
    }
    pm = params.get("payment_method")
    if pm is not None:
        pi["payment_method"] = resolve_payment_method(store, pm)["id"]
        pi["status"] = "requires_confirmation"
    store.insert(pi)
    record_event(store, "payment_intent.created", pi)
    if params.get("confirm"):
        confirm: Obj = {
            k: params[k]
            for k in ("return_url", "error_on_requires_action", "receipt_email")
            if k in params
        }
        return _confirm(store, pi, confirm)
    return pi


def retrieve_payment_intent(store: Store, params: Obj, ident: str) -> Obj:
    return get_object(store, "payment_intent", ident, "payment_intent", "intent")


def list_payment_intents(store: Store, params: Obj) -> Obj:
    return list_objects(
        store,
        "payment_intent",
        "/v1/payment_intents",
        params,
        where={"customer": params.get("customer")},
    )


def confirm_payment_intent(store: Store, params: Obj, ident: str) -> Obj:
    pi = get_object(store, "payment_intent", ident, "payment_intent", "intent")
    return _confirm(store, pi, params)


def _unexpected_state(pi: Obj, action: str, done: str, allowed: tuple[str, ...]) -> StripeError:
    return StripeError(
        400,
        f"You cannot {action} this PaymentIntent because it has a status of "
        f"{pi['status']}. Only a PaymentIntent with one of the following statuses may be "
        f"{done}: {', '.join(allowed)}.",
        code="payment_intent_unexpected_state",
        saved=True,
        extra={"payment_intent": pi},
    )


def _confirm(store: Store, pi: Obj, params: Obj) -> Obj:
    if pi["status"] not in _CONFIRMABLE:
        raise _unexpected_state(pi, "confirm", "confirmed", _CONFIRMABLE)
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
        record_event(store, "payment_intent.requires_action", pi)
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
    if pi["status"] == "succeeded":
        record_event(store, "payment_intent.succeeded", pi)
    return pi


def cancel_payment_intent(store: Store, params: Obj, ident: str) -> Obj:
    pi = get_object(store, "payment_intent", ident, "payment_intent", "intent")
    if pi["status"] not in _CANCELABLE:
        raise _unexpected_state(pi, "cancel", "canceled", _CANCELABLE)
    pi["status"] = "canceled"
    pi["canceled_at"] = now()
    pi["cancellation_reason"] = params.get("cancellation_reason")
    pi["next_action"] = None
    store.update(pi)
    return pi


ROUTES = [
    route("POST", r"/v1/payment_intents", create_payment_intent, PI_CREATE),
    route("GET", r"/v1/payment_intents", list_payment_intents, PI_LIST),
    route("GET", r"/v1/payment_intents/([^/]+)", retrieve_payment_intent, RETRIEVE),
    route("POST", r"/v1/payment_intents/([^/]+)/confirm", confirm_payment_intent, PI_CONFIRM),
    route("POST", r"/v1/payment_intents/([^/]+)/cancel", cancel_payment_intent, PI_CANCEL),
]
