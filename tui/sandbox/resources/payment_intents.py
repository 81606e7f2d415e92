"""Payment intents: create, retrieve, list, cancel (confirming is `payment_intent_confirm`)."""

from __future__ import annotations

from ..errors import invalid, missing_param
from ..objects import MAXIMUM, MINIMUMS, format_amount, new_id, now, rand
from ..params import OneOf, Spec, Str
from ..store import Store
from .common import (
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
from .payment_intent_confirm import PI_SHIPPING, confirm_intent, unexpected_state
from .payment_intent_confirm import ROUTES as CONFIRM_ROUTES
from .payment_methods import resolve_payment_method

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
    "shipping": PI_SHIPPING,
    "statement_descriptor": DESCRIPTOR,
    "statement_descriptor_suffix": DESCRIPTOR,
    "use_stripe_sdk": "bool",
}
PI_LIST: Spec = {**LIST, "customer": "str", "customer_account": "str"}
PI_CANCEL: Spec = {
    "cancellation_reason": OneOf("abandoned", "duplicate", "fraudulent", "requested_by_customer"),
    "expand": "strs",
}

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
    if params.get("confirm"):
        confirm: Obj = {
            k: params[k]
            for k in ("return_url", "error_on_requires_action", "receipt_email")
            if k in params
        }
        return confirm_intent(store, pi, confirm)
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


def cancel_payment_intent(store: Store, params: Obj, ident: str) -> Obj:
    pi = get_object(store, "payment_intent", ident, "payment_intent", "intent")
    if pi["status"] not in _CANCELABLE:
        raise unexpected_state(pi, "cancel", "canceled", _CANCELABLE)
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
    *CONFIRM_ROUTES,
    route("POST", r"/v1/payment_intents/([^/]+)/cancel", cancel_payment_intent, PI_CANCEL),
]
