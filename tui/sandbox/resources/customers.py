"""Customers: create, retrieve, update, delete, list and search."""

from __future__ import annotations

import copy
import re

from ..errors import invalid, no_such
from ..objects import address, new_id, now, rand
from ..params import OneOf, Spec, Str
from ..store import Store
from .common import (
    ADDRESS,
    LIST,
    RETRIEVE,
    SEARCH,
    Obj,
    changes,
    list_objects,
    merge_metadata,
    route,
    search_objects,
)
from .events import record_event
from .payment_methods import attach

_SHIPPING: Spec = {"address": ADDRESS, "name": "str", "phone": "str"}
_CUSTOMER_COMMON: dict[str, Spec] = {
    "address": ADDRESS,
    "balance": "int",
    "business_name": "str",
    "cash_balance": "any",
    "description": "str",
    "email": "str",
    "expand": "strs",
    "individual_name": "str",
    "invoice_prefix": "str",
    "invoice_settings": {
        "custom_fields": "any",
        "default_payment_method": "str",
        "footer": "str",
        "rendering_options": "any",
    },
    "metadata": "map",
    "name": Str(256),
    "next_invoice_sequence": "int",
    "phone": Str(20),
    "preferred_locales": "strs",
    "shipping": _SHIPPING,
    "source": "any",
    "tax": "any",
    "tax_exempt": OneOf("exempt", "none", "reverse"),
    "validate": "bool",
}
CUSTOMER_CREATE: Spec = {
    **_CUSTOMER_COMMON,
    "payment_method": "str",
    "tax_id_data": "any",
    "test_clock": "str",
}
CUSTOMER_UPDATE: Spec = {**_CUSTOMER_COMMON, "default_source": "str"}
CUSTOMER_LIST: Spec = {**LIST, "email": "str", "test_clock": "str"}

CUSTOMER_SEARCH_FIELDS = frozenset({"created", "email", "metadata", "name", "phone"})
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _check_email(params: Obj) -> None:
    email = params.get("email")
    if email is not None and (len(email) > 512 or not _EMAIL.fullmatch(email)):
        raise invalid(f"Invalid email address: {email}", "email", "email_invalid")


def create_customer(store: Store, params: Obj) -> Obj:
    _check_email(params)
    if params.get("test_clock") is not None:
        raise no_such("test_clock", params["test_clock"], "test_clock", 400)
    pm = params.get("payment_method")
    invoice_settings = params.get("invoice_settings") or {}
    c: Obj = {
        "id": new_id("cus"),
        "object": "customer",
        "address": address(params.get("address")),
        "balance": params.get("balance") or 0,
        "business_name": params.get("business_name"),
        "created": now(),
        "currency": None,
        "default_source": None,
        "delinquent": False,
        "description": params.get("description"),
        "discount": None,
        "email": params.get("email"),
        "individual_name": params.get("individual_name"),
        "invoice_prefix": params.get("invoice_prefix") or rand(8, "0123456789ABCDEF"),
        "invoice_settings": {
            "custom_fields": invoice_settings.get("custom_fields"),
            "default_payment_method": invoice_settings.get("default_payment_method"),
            "footer": invoice_settings.get("footer"),
            "rendering_options": invoice_settings.get("rendering_options"),
        },
        "livemode": False,
        "metadata": params.get("metadata") or {},
        "name": params.get("name"),
        "next_invoice_sequence": params.get("next_invoice_sequence") or 1,
        "phone": params.get("phone"),
        "preferred_locales": params.get("preferred_locales") or [],
        "shipping": _shipping(params.get("shipping")),
        "tax_exempt": params.get("tax_exempt") or "none",
        "test_clock": None,
    }
    if pm is not None:
        attach(store, pm, c["id"])
    store.insert(c)
    record_event(store, "customer.created", c)
    return c


def _shipping(src: Obj | None) -> Obj | None:
    if src is None:
        return None
    return {
        "address": address(src.get("address") or {}),
        "name": src.get("name"),
        "phone": src.get("phone"),
    }


def retrieve_customer(store: Store, params: Obj, ident: str) -> Obj:
    obj = store.get("customer", ident)
    if obj is None:
        raise no_such("customer", ident, "id")
    if obj.get("deleted"):
        return {"id": ident, "object": "customer", "deleted": True}
    return obj


def live_customer(store: Store, ident: str, param: str, status: int = 404) -> Obj:
    obj = store.get("customer", ident)
    if obj is None or obj.get("deleted"):
        raise no_such("customer", ident, param, status)
    return obj


def _check_default_payment_method(store: Store, customer: str, params: Obj) -> None:
    """Stripe takes as default only a payment method already attached to this customer."""
    pm_id = (params.get("invoice_settings") or {}).get("default_payment_method")
    if pm_id is None:
        return
    param = "invoice_settings[default_payment_method]"
    pm = store.get("payment_method", pm_id)
    if pm is None:
        raise no_such("PaymentMethod", pm_id, param, 400)
    if pm.get("customer") != customer:
        raise invalid(
            f"The customer does not have a payment method with the ID {pm_id}. The payment "
            "method must be attached to the customer.",
            param,
            "resource_missing",
        )


def update_customer(store: Store, params: Obj, ident: str) -> Obj:
    c = live_customer(store, ident, "id")
    before = copy.deepcopy(c)
    _check_email(params)
    _check_default_payment_method(store, ident, params)
    if params.get("default_source") is not None:
        raise no_such("source", params["default_source"], "default_source", 400)
    for key, value in params.items():
        if key in ("expand", "validate", "tax", "cash_balance", "source"):
            continue
        if key == "metadata":
            c["metadata"] = merge_metadata(c["metadata"], value)
        elif key == "address":
            c["address"] = address(value)
        elif key == "shipping":
            c["shipping"] = _shipping(value)
        elif key == "invoice_settings":
            c["invoice_settings"].update(value or {})
        elif key == "balance":
            c["balance"] = value or 0
        elif key == "preferred_locales":
            c["preferred_locales"] = value or []
        elif key == "tax_exempt":
            c["tax_exempt"] = value or "none"
        else:
            c[key] = value
    store.update(c)
    previous = changes(before, c)
    if previous:
        record_event(store, "customer.updated", c, previous)
    return c


def delete_customer(store: Store, params: Obj, ident: str) -> Obj:
    c = live_customer(store, ident, "id")
    record_event(store, "customer.deleted", c)
    c["deleted"] = True
    store.update(c)
    return {"id": ident, "object": "customer", "deleted": True}


def list_customers(store: Store, params: Obj) -> Obj:
    email = params.get("email")
    return list_objects(
        store,
        "customer",
        "/v1/customers",
        params,
        where={"email": email},
        keep=None if email is not None else (lambda o: not o.get("deleted")),
    )


def search_customers(store: Store, params: Obj) -> Obj:
    return search_objects(store, "customer", params, CUSTOMER_SEARCH_FIELDS, "customers")


ROUTES = [
    route("POST", r"/v1/customers", create_customer, CUSTOMER_CREATE),
    route("GET", r"/v1/customers", list_customers, CUSTOMER_LIST),
    route("GET", r"/v1/customers/search", search_customers, SEARCH),
    route("GET", r"/v1/customers/([^/]+)", retrieve_customer, RETRIEVE),
    route("POST", r"/v1/customers/([^/]+)", update_customer, CUSTOMER_UPDATE),
    route("DELETE", r"/v1/customers/([^/]+)", delete_customer, {}),
]
