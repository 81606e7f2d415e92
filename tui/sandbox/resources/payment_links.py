"""Payment links: create (from prices, or price data), retrieve, update, list, list line items.

`expand[]=line_items` (or `data.line_items` on a list) includes the first page of line items.
"""

from __future__ import annotations

import copy

from ..errors import invalid, missing_param, no_such
from ..objects import new_id, now, public, rand
from ..params import ListOf, Spec
from ..store import Store
from .common import (
    LIST,
    RECURRING_SIMPLE,
    RETRIEVE,
    TAX_BEHAVIOR,
    Obj,
    changes,
    get_object,
    list_objects,
    merge_metadata,
    page_limit,
    route,
)
from .events import record_event
from .prices import new_price
from .products import create_product

_ANY_KEYS = [
    "after_completion",
    "automatic_tax",
    "billing_address_collection",
    "consent_collection",
    "custom_fields",
    "custom_text",
    "customer_creation",
    "inactive_message",
    "invoice_creation",
    "managed_payments",
    "name_collection",
    "on_behalf_of",
    "optional_items",
    "payment_intent_data",
    "payment_method_collection",
    "payment_method_options",
    "payment_method_types",
    "phone_number_collection",
    "restrictions",
    "shipping_address_collection",
    "shipping_options",
    "submit_type",
    "subscription_data",
    "tax_id_collection",
    "transfer_data",
]
PAYMENT_LINK_CREATE: dict[str, Spec] = {
    **{k: "any" for k in _ANY_KEYS},
    "allow_promotion_codes": "bool",
    "application_fee_amount": "int",
    "application_fee_percent": "any",
    "currency": "str",
    "expand": "strs",
    "line_items": ListOf(
        {
            "adjustable_quantity": {"enabled": "bool", "maximum": "int", "minimum": "int"},
            "price": "str",
            "price_data": {
                "currency": "str",
                "product": "str",
                "product_data": {
                    "description": "str",
                    "images": "strs",
                    "metadata": "map",
                    "name": "str",
                    "tax_code": "str",
                    "tax_details": "any",
                    "unit_label": "str",
                },
                "recurring": RECURRING_SIMPLE,
                "tax_behavior": TAX_BEHAVIOR,
                "unit_amount": "int",
                "unit_amount_decimal": "decimal",
            },
            "quantity": "int",
        }
    ),
    "metadata": "map",
}
_UPDATED_AS_GIVEN = (
    "after_completion",
    "allow_promotion_codes",
    "application_fee_amount",
    "application_fee_percent",
    "billing_address_collection",
    "custom_fields",
    "customer_creation",
    "inactive_message",
    "on_behalf_of",
    "payment_method_collection",
    "payment_method_types",
    "shipping_address_collection",
    "submit_type",
)
"""Fields an update stores as sent (the others are accepted and kept as they are)."""
PAYMENT_LINK_UPDATE: Spec = {
    k: v
    for k, v in PAYMENT_LINK_CREATE.items()
    if k not in ("application_fee_amount", "currency", "line_items", "managed_payments")
} | {
    "active": "bool",
    "application_fee_amount": "int",
    "line_items": ListOf(
        {
            "adjustable_quantity": {"enabled": "bool", "maximum": "int", "minimum": "int"},
            "id": "str",
            "quantity": "int",
        }
    ),
}
PAYMENT_LINK_LIST: Spec = {**LIST, "active": "bool"}
PAYMENT_LINK_LINE_ITEMS: Spec = {k: v for k, v in LIST.items() if k != "created"}


def create_payment_link(store: Store, params: Obj) -> Obj:
    items = params.get("line_items")
    if not items:
        raise missing_param("line_items")
    stored: list[Obj] = []
    currency: str | None = None
    for i, item in enumerate(items):
        where = f"line_items[{i}]"
        if item.get("quantity") is None:
            raise missing_param(f"{where}[quantity]")
        if item["quantity"] < 1:
            raise invalid("This value must be greater than or equal to 1.", f"{where}[quantity]")
        if item.get("price") is not None:
            price = get_object(store, "price", item["price"], "price", f"{where}[price]", 400)
            if not price["active"]:
                raise invalid(f"The price `{price['id']}` is not active.", f"{where}[price]")
        elif item.get("price_data") is not None:
            pd = dict(item["price_data"])
            pid = pd.pop("product", None)
            pdata = pd.pop("product_data", None)
            if pid is None and pdata is None:
                raise missing_param(f"{where}[price_data][product]")
            if pid is not None:
                get_object(store, "product", pid, "product", f"{where}[price_data][product]", 400)
            else:
                if pdata.get("name") is None:
                    raise missing_param(f"{where}[price_data][product_data][name]")
                pid = create_product(store, pdata)["id"]
            price = new_price(store, pd, pid, f"{where}[price_data]")
        else:
            raise missing_param(f"{where}[price]")
        if currency is None:
            currency = price["currency"]
        elif price["currency"] != currency:
            raise invalid(
                "All prices on a payment link must have the same currency.", f"{where}[price]"
            )
        stored.append({"price": price["id"], "quantity": item["quantity"]})
    link: Obj = {
        "id": new_id("plink"),
        "object": "payment_link",
        "active": True,
        "after_completion": params.get("after_completion")
        or {"hosted_confirmation": {"custom_message": None}, "type": "hosted_confirmation"},
        "allow_promotion_codes": bool(params.get("allow_promotion_codes")),
        "application": None,
        "application_fee_amount": params.get("application_fee_amount"),
        "application_fee_percent": params.get("application_fee_percent"),
        "automatic_tax": {"enabled": False, "liability": None},
        "billing_address_collection": params.get("billing_address_collection") or "auto",
        "consent_collection": params.get("consent_collection"),
        "currency": currency,
        "custom_fields": params.get("custom_fields") or [],
        "custom_text": {
            "after_submit": None,
            "shipping_address": None,
            "submit": None,
            "terms_of_service_acceptance": None,
        },
        "customer_creation": params.get("customer_creation") or "if_required",
        "inactive_message": params.get("inactive_message"),
        "invoice_creation": None,
        "livemode": False,
        "managed_payments": None,
        "metadata": params.get("metadata") or {},
        "on_behalf_of": params.get("on_behalf_of"),
        "payment_intent_data": None,
        "payment_method_collection": params.get("payment_method_collection") or "always",
        "payment_method_options": None,
        "payment_method_types": params.get("payment_method_types"),
        "phone_number_collection": {"enabled": False},
        "restrictions": None,
        "shipping_address_collection": params.get("shipping_address_collection"),
        "shipping_options": [],
        "submit_type": params.get("submit_type") or "auto",
        "subscription_data": None,
        "tax_id_collection": {"enabled": False, "required": "never"},
        "transfer_data": None,
        "url": f"https://buy.stripe.com/test_{rand(22)}",
        "created": now(),
        "sandbox_line_items": stored,
    }
    store.insert(link)
    record_event(store, "payment_link.created", link)
    return _answer(store, link, params)


def _answer(store: Store, link: Obj, params: Obj, prefix: str = "") -> Obj:
    """The link as answered: its line items included when ``expand`` asks for them."""
    out = public(link)
    if prefix + "line_items" in (params.get("expand") or ()):
        out = dict(out, line_items=list_payment_link_line_items(store, {}, link["id"]))
    return out


def retrieve_payment_link(store: Store, params: Obj, ident: str) -> Obj:
    return _answer(store, get_object(store, "payment_link", ident, "payment link", "id"), params)


def update_payment_link(store: Store, params: Obj, ident: str) -> Obj:
    link = get_object(store, "payment_link", ident, "payment link", "id")
    before = copy.deepcopy(link)
    if "active" in params and params["active"] is None:
        raise invalid(
            "You passed an empty string for 'active'. We assume empty values are an attempt to "
            "unset a parameter; however 'active' cannot be unset. You should remove 'active' "
            "from your request or supply a non-empty value.",
            "active",
        )
    items = {_line_item_id(ident, n): item for n, item in enumerate(link["sandbox_line_items"])}
    for i, update in enumerate(params.get("line_items") or ()):
        where = f"line_items[{i}]"
        if update.get("id") is None:
            raise missing_param(f"{where}[id]")
        item = items.get(update["id"])
        if item is None:
            raise no_such("line item", update["id"], f"{where}[id]", 400)
        quantity = update.get("quantity")
        if quantity is not None:
            if quantity < 1:
                raise invalid(
                    "This value must be greater than or equal to 1.", f"{where}[quantity]"
                )
            item["quantity"] = quantity
        if update.get("adjustable_quantity") is not None:
            item["adjustable_quantity"] = update["adjustable_quantity"]
    if params.get("active") is not None:
        link["active"] = params["active"]
    if "metadata" in params:
        link["metadata"] = merge_metadata(link["metadata"], params["metadata"])
    for key in _UPDATED_AS_GIVEN:
        if key in params:
            link[key] = params[key]
    if link != before:
        store.update(link)
        record_event(store, "payment_link.updated", public(link), changes(before, link))
    return _answer(store, link, params)


def _line_item_id(link: str, n: int) -> str:
    return f"li_{link[6:20]}{n:04d}"


def list_payment_links(store: Store, params: Obj) -> Obj:
    active = params.get("active")
    listing = list_objects(
        store,
        "payment_link",
        "/v1/payment_links",
        params,
        where={"active": active},
        label="payment link",
    )
    listing["data"] = [_answer(store, link, params, "data.") for link in listing["data"]]
    return listing


def list_payment_link_line_items(store: Store, params: Obj, ident: str) -> Obj:
    link = get_object(store, "payment_link", ident, "payment link", "id")
    limit = page_limit(params.get("limit"))
    items: list[Obj] = []
    for n, item in enumerate(link["sandbox_line_items"]):
        price = public(store.get("price", item["price"]) or {})
        product = store.get("product", price.get("product", "")) or {}
        total = (price.get("unit_amount") or 0) * item["quantity"]
        items.append(
            {
                "id": _line_item_id(ident, n),
                "object": "item",
                "amount_discount": 0,
                "amount_subtotal": total,
                "amount_tax": 0,
                "amount_total": total,
                "currency": price.get("currency"),
                "description": product.get("name"),
                "price": price,
                "quantity": item["quantity"],
            }
        )
    start = 0
    if params.get("starting_after") is not None:
        ids = [i["id"] for i in items]
        if params["starting_after"] not in ids:
            raise no_such("line item", params["starting_after"], "starting_after", 400)
        start = ids.index(params["starting_after"]) + 1
    page = items[start : start + limit]
    return {
        "object": "list",
        "data": page,
        "has_more": start + limit < len(items),
        "url": f"/v1/payment_links/{ident}/line_items",
    }


ROUTES = [
    route("POST", r"/v1/payment_links", create_payment_link, PAYMENT_LINK_CREATE),
    route("GET", r"/v1/payment_links", list_payment_links, PAYMENT_LINK_LIST),
    route("GET", r"/v1/payment_links/([^/]+)", retrieve_payment_link, RETRIEVE),
    route("POST", r"/v1/payment_links/([^/]+)", update_payment_link, PAYMENT_LINK_UPDATE),
    route(
        "GET",
        r"/v1/payment_links/([^/]+)/line_items",
        list_payment_link_line_items,
        PAYMENT_LINK_LINE_ITEMS,
    ),
]
