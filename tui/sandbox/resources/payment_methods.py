"""Payment methods: made from test tokens and ``pm_card_*`` ids; retrieve, list, attach, detach.

A method is usable once without a customer; attached, it belongs to that customer alone; used
once unattached, or detached, it cannot be used again (``sandbox_consumed``), as on Stripe.
"""

from __future__ import annotations

from ..cards import TEST_CARDS, card_of, payment_method, template_of_token
from ..errors import StripeError, invalid, missing_param, no_such
from ..objects import public
from ..params import OneOf, Spec
from ..store import Store
from .common import ADDRESS, LIST, RETRIEVE, Obj, get_object, list_objects, route
from .events import record_event

_BILLING: Spec = {
    "address": ADDRESS,
    "email": "str",
    "name": "str",
    "phone": "str",
    "tax_id": "str",
}
PM_CREATE: Spec = {
    **{k: "any" for k in ("customer", "payment_method", "radar_options", "us_bank_account")},
    "allow_redisplay": OneOf("always", "limited", "unspecified"),
    "billing_details": _BILLING,
    "card": {
        "cvc": "str",
        "exp_month": "int",
        "exp_year": "int",
        "networks": {"preferred": "str"},
        "number": "str",
        "token": "str",
    },
    "expand": "strs",
    "metadata": "map",
    "type": "str",
}
PM_LIST: Spec = {**LIST, "allow_redisplay": "str", "customer": "str", "type": "str"}
PM_ATTACH: Spec = {"customer": "str", "customer_account": "str", "expand": "strs"}
PM_DETACH: Spec = {"expand": "strs"}

_CONSUMED = (
    "The provided PaymentMethod was previously used with a PaymentIntent without Customer "
    "attachment, shared with a connected account without Customer attachment, or was detached "
    "from a Customer. It may not be used again. To use a PaymentMethod multiple times, you "
    "must attach it to a Customer first."
)


def card_declined(decline: tuple[str, str, str]) -> StripeError:
    code, decline_code, message = decline
    param = "exp_month" if code == "expired_card" else None
    return StripeError(
        402, message, type="card_error", code=code, decline_code=decline_code, param=param
    )


def resolve_payment_method(store: Store, pm_id: str) -> Obj:
    """The stored method ``pm_id``, or a new one for a test id such as ``pm_card_visa``."""
    if pm_id in TEST_CARDS:
        pm = payment_method(pm_id)
        store.insert(pm)
        return pm
    stored = store.get("payment_method", pm_id)
    if stored is None:
        raise no_such("PaymentMethod", pm_id, "payment_method", 400)
    return stored


def check_usable(pm: Obj, customer: str | None) -> None:
    """Refuse a method that a payment for ``customer`` (or for no customer) may not use."""
    owner = pm["customer"]
    if owner is None and pm.get("sandbox_consumed"):
        raise invalid(_CONSUMED, "payment_method")
    if owner is not None and customer is None:
        raise invalid(
            f"The provided PaymentMethod {pm['id']} is attached to a Customer, so it can "
            "only be used for a payment of that Customer: set `customer` on the PaymentIntent.",
            "payment_method",
        )
    if owner is not None and owner != customer:
        raise invalid(
            f"The provided PaymentMethod {pm['id']} belongs to a different Customer than "
            f"{customer}: a PaymentMethod attached to one Customer cannot be used for another.",
            "payment_method",
        )


def attach(store: Store, pm_id: str, customer: str) -> Obj:
    """Attach ``pm_id`` (a stored method or a test id) to ``customer``; card checks apply."""
    pm = resolve_payment_method(store, pm_id)
    if pm["customer"] == customer:
        return pm
    if pm["customer"] is not None:
        raise invalid(
            "The payment method you provided has already been attached to a customer.",
            "payment_method",
        )
    if pm.get("sandbox_consumed"):
        raise invalid(_CONSUMED, "payment_method")
    card = card_of(pm)
    if not card.attachable and card.decline is not None:
        raise card_declined(card.decline)
    pm["customer"] = customer
    store.update(pm)
    record_event(store, "payment_method.attached", public(pm))
    return pm


def create_payment_method(store: Store, params: Obj) -> Obj:
    kind = params.get("type")
    if kind is None:
        raise missing_param("type")
    if kind != "card":
        raise invalid(f"The sandbox makes PaymentMethods of type card only, not {kind!r}.", "type")
    card = params.get("card")
    if not card:
        raise missing_param("card")
    if card.get("number") is not None:
        raise StripeError(
            402,
            "Sending credit card numbers directly to the Stripe API is generally unsafe. We "
            "suggest you use test tokens that map to the test card you are using, see "
            "https://stripe.com/docs/testing.",
            type="card_error",
            param="card[number]",
        )
    token = card.get("token")
    if token is None:
        raise missing_param("card[token]")
    template = template_of_token(token)
    if template is None:
        raise no_such("token", token, "card[token]", 400)
    pm = payment_method(template, None, params.get("billing_details"))
    pm["metadata"] = params.get("metadata") or {}
    pm["allow_redisplay"] = params.get("allow_redisplay") or "unspecified"
    store.insert(pm)
    return public(pm)


def retrieve_payment_method(store: Store, params: Obj, ident: str) -> Obj:
    if ident in TEST_CARDS:
        return public(payment_method(ident))
    return public(get_object(store, "payment_method", ident, "PaymentMethod", "payment_method"))


def _live_customer(store: Store, ident: str, param: str | None, status: int) -> None:
    found = store.get("customer", ident)
    if found is None or found.get("deleted"):
        raise no_such("customer", ident, param, status)


def list_payment_methods(store: Store, params: Obj) -> Obj:
    customer = params.get("customer")
    if customer is not None:
        _live_customer(store, customer, "customer", 400)
    return _list(store, params, customer, "/v1/payment_methods")


def list_customer_payment_methods(store: Store, params: Obj, customer: str) -> Obj:
    _live_customer(store, customer, "customer", 404)
    return _list(store, params, customer, f"/v1/customers/{customer}/payment_methods")


def _list(store: Store, params: Obj, customer: str | None, url: str) -> Obj:
    kind = params.get("type")
    redisplay = params.get("allow_redisplay")

    def keep(pm: Obj) -> bool:
        if kind is not None and pm["type"] != kind:
            return False
        return redisplay is None or pm["allow_redisplay"] == redisplay

    return list_objects(
        store,
        "payment_method",
        url,
        params,
        where={"customer": customer},
        keep=keep,
        label="PaymentMethod",
    )


def attach_payment_method(store: Store, params: Obj, ident: str) -> Obj:
    customer = params.get("customer")
    if customer is None:
        raise missing_param("customer")
    _live_customer(store, customer, "customer", 400)
    if ident not in TEST_CARDS and store.get("payment_method", ident) is None:
        raise no_such("PaymentMethod", ident, "payment_method", 404)
    return public(attach(store, ident, customer))


def detach_payment_method(store: Store, params: Obj, ident: str) -> Obj:
    pm = get_object(store, "payment_method", ident, "PaymentMethod", "payment_method")
    owner = pm["customer"]
    if owner is None:
        raise invalid(
            "The payment method you provided is not attached to a customer so detachment is "
            "impossible.",
            "payment_method",
        )
    pm["customer"] = None
    pm["sandbox_consumed"] = True
    store.update(pm)
    customer = store.get("customer", owner)
    settings = (customer or {}).get("invoice_settings") or {}
    if customer is not None and settings.get("default_payment_method") == ident:
        previous = {"invoice_settings": dict(settings)}
        settings["default_payment_method"] = None
        store.update(customer)
        record_event(store, "customer.updated", customer, previous)
    record_event(store, "payment_method.detached", public(pm), {"customer": owner})
    return public(pm)


ROUTES = [
    route("POST", r"/v1/payment_methods", create_payment_method, PM_CREATE),
    route("GET", r"/v1/payment_methods", list_payment_methods, PM_LIST),
    route("GET", r"/v1/payment_methods/([^/]+)", retrieve_payment_method, RETRIEVE),
    route("POST", r"/v1/payment_methods/([^/]+)/attach", attach_payment_method, PM_ATTACH),
    route("POST", r"/v1/payment_methods/([^/]+)/detach", detach_payment_method, PM_DETACH),
    route(
        "GET",
        r"/v1/customers/([^/]+)/payment_methods",
        list_customer_payment_methods,
        {**LIST, "allow_redisplay": "str", "type": "str"},
    ),
]
