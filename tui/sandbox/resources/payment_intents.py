"""Payment intents: create, retrieve, update, list, search.

Confirming is ``payment_intent_confirm``; capturing and canceling, ``payment_intent_holds``.
"""

from __future__ import annotations

from ..errors import StripeError, invalid, missing_param
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
    merge_metadata,
    route,
)
from .customers import live_customer
from .events import record_event
from .payment_intent_confirm import (
    PI_SHIPPING,
    confirm_intent,
    off_session,
    request_three_d_secure,
)
from .payment_intent_confirm import ROUTES as CONFIRM_ROUTES
from .payment_intent_holds import ROUTES as HOLD_ROUTES
from .payment_methods import check_usable, resolve_payment_method
from .payment_search import SEARCH, search

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
PI_CREATE: dict[str, Spec] = {
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
PI_UPDATE: Spec = {
    **{
        k: "any"
        for k in (
            "amount_details",
            "customer_account",
            "excluded_payment_method_types",
            "hooks",
            "payment_details",
            "payment_method_configuration",
            "payment_method_data",
            "payment_method_options",
            "transfer_data",
        )
    },
    **{
        k: PI_CREATE[k]
        for k in (
            "amount",
            "application_fee_amount",
            "capture_method",
            "currency",
            "customer",
            "description",
            "expand",
            "metadata",
            "payment_method",
            "payment_method_types",
            "receipt_email",
            "setup_future_usage",
            "shipping",
            "statement_descriptor",
            "statement_descriptor_suffix",
        )
    },
    "transfer_group": "str",
}
PI_SEARCH_FIELDS = frozenset({"amount", "created", "currency", "customer", "metadata", "status"})

_UPDATABLE = ("requires_payment_method", "requires_confirmation", "requires_action")
_ANY_TIME = frozenset({"description", "expand", "metadata", "receipt_email", "shipping"})
_ONLY_WITH_CONFIRM = ("error_on_requires_action", "off_session", "return_url")


def _check_amount(amount: int, currency: str) -> None:
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


def create_payment_intent(store: Store, params: Obj) -> Obj:
    amount = params.get("amount")
    if amount is None:
        raise missing_param("amount")
    if params.get("currency") is None:
        raise missing_param("currency")
    currency = check_currency(params["currency"])
    _check_amount(amount, currency)
    if not params.get("confirm"):
        for key in _ONLY_WITH_CONFIRM:
            if params.get(key) is not None and (key != "off_session" or off_session(params)):
                raise invalid(f"You may only specify `{key}` when `confirm` is `true`.", key)
    requested = request_three_d_secure(params) or "automatic"
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
                "request_three_d_secure": requested,
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
        method = resolve_payment_method(store, pm)
        check_usable(method, customer)
        pi["payment_method"] = method["id"]
        pi["status"] = "requires_confirmation"
    store.insert(pi)
    record_event(store, "payment_intent.created", pi)
    if params.get("confirm"):
        confirm: Obj = {
            k: params[k]
            for k in ("return_url", "error_on_requires_action", "receipt_email", "off_session")
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


def update_payment_intent(store: Store, params: Obj, ident: str) -> Obj:
    pi = get_object(store, "payment_intent", ident, "payment_intent", "intent")
    status = pi["status"]
    if status not in _UPDATABLE:
        for key in params:
            if key not in _ANY_TIME:
                raise StripeError(
                    400,
                    f"This PaymentIntent's {key} could not be updated because it has a status "
                    f"of {status}. You may only update the {key} of a PaymentIntent with one of "
                    f"the following statuses: {', '.join(_UPDATABLE)}.",
                    code="payment_intent_unexpected_state",
                    param=key,
                    saved=True,
                    extra={"payment_intent": pi},
                )
    currency = pi["currency"]
    if params.get("currency") is not None:
        currency = check_currency(params["currency"])
    if params.get("amount") is not None or currency != pi["currency"]:
        _check_amount(params.get("amount") or pi["amount"], currency)
    customer = pi["customer"]
    if params.get("customer") is not None:
        customer = live_customer(store, params["customer"], "customer", 400)["id"]
    if params.get("payment_method") is not None:
        method = resolve_payment_method(store, params["payment_method"])
        check_usable(method, customer)
        pi["payment_method"] = method["id"]
        pi["status"] = "requires_confirmation"
        pi["next_action"] = None
    requested = request_three_d_secure(params)
    if requested is not None:
        pi["payment_method_options"]["card"]["request_three_d_secure"] = requested
    pi["currency"] = currency
    pi["customer"] = customer
    pi["metadata"] = merge_metadata(pi["metadata"], params.get("metadata"))
    for key in (
        "amount",
        "application_fee_amount",
        "capture_method",
        "payment_method_types",
        "statement_descriptor",
        "statement_descriptor_suffix",
    ):
        if params.get(key) is not None:
            pi[key] = params[key]
    for key in ("description", "receipt_email", "setup_future_usage", "shipping", "transfer_group"):
        if key in params:
            pi[key] = params[key]
    store.update(pi)
    return pi


def search_payment_intents(store: Store, params: Obj) -> Obj:
    return search(store, "payment_intent", params, PI_SEARCH_FIELDS, "payment_intents")


ROUTES = [
    route("POST", r"/v1/payment_intents", create_payment_intent, PI_CREATE),
    route("GET", r"/v1/payment_intents", list_payment_intents, PI_LIST),
    route("GET", r"/v1/payment_intents/search", search_payment_intents, SEARCH),
    route("GET", r"/v1/payment_intents/([^/]+)", retrieve_payment_intent, RETRIEVE),
    route("POST", r"/v1/payment_intents/([^/]+)", update_payment_intent, PI_UPDATE),
    *CONFIRM_ROUTES,
    *HOLD_ROUTES,
]
