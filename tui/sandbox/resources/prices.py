"""Prices: create (for a product, or with a new one), retrieve, update, list and search."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

from ..errors import invalid, missing_param, state_error
from ..objects import MAXIMUM, new_id, now
from ..params import OneOf, Spec, Str
from ..store import Store
from . import products
from .common import (
    DESCRIPTOR,
    INTERVAL,
    LIST,
    RETRIEVE,
    SEARCH,
    TAX_BEHAVIOR,
    Obj,
    changes,
    check_currency,
    get_object,
    list_objects,
    merge_metadata,
    route,
    search_objects,
)
from .events import record_event

PRICE_CREATE: Spec = {
    "active": "bool",
    "billing_scheme": OneOf("per_unit", "tiered"),
    "currency": "str",
    "currency_options": "any",
    "custom_unit_amount": "any",
    "expand": "strs",
    "lookup_key": Str(200),
    "metadata": "map",
    "nickname": "str",
    "product": "str",
    "product_data": {
        "active": "bool",
        "id": "str",
        "metadata": "map",
        "name": "str",
        "statement_descriptor": DESCRIPTOR,
        "tax_code": "str",
        "tax_details": "any",
        "unit_label": Str(12),
    },
    "recurring": {
        "interval": INTERVAL,
        "interval_count": "int",
        "meter": "str",
        "trial_period_days": "int",
        "usage_type": OneOf("licensed", "metered"),
    },
    "tax_behavior": TAX_BEHAVIOR,
    "tiers": "any",
    "tiers_mode": OneOf("graduated", "volume"),
    "transfer_lookup_key": "bool",
    "transform_quantity": {"divide_by": "int", "round": OneOf("down", "up")},
    "unit_amount": "int",
    "unit_amount_decimal": "decimal",
}
PRICE_UPDATE: Spec = {
    "active": "bool",
    "currency_options": "any",
    "expand": "strs",
    "lookup_key": Str(200),
    "metadata": "map",
    "nickname": "str",
    "tax_behavior": TAX_BEHAVIOR,
    "transfer_lookup_key": "bool",
}
PRICE_LIST: Spec = {
    **LIST,
    "active": "bool",
    "currency": "str",
    "lookup_keys": "strs",
    "product": "str",
    "recurring": {
        "interval": INTERVAL,
        "meter": "str",
        "usage_type": OneOf("licensed", "metered"),
    },
    "type": OneOf("one_time", "recurring"),
}


def new_price(store: Store, params: Obj, product: str, prefix: str = "") -> Obj:
    def p(name: str) -> str:
        return f"{prefix}[{name}]" if prefix else name

    currency = params.get("currency")
    if currency is None:
        raise missing_param(p("currency"))
    currency = check_currency(currency, p("currency"))
    unit_amount = params.get("unit_amount")
    decimal = params.get("unit_amount_decimal")
    custom = params.get("custom_unit_amount")
    scheme = params.get("billing_scheme") or "per_unit"
    if unit_amount is None and decimal is None and custom is None and scheme == "per_unit":
        raise missing_param(p("unit_amount"))
    if unit_amount is not None and decimal is not None:
        raise invalid(
            "You may only specify one of these parameters: unit_amount, unit_amount_decimal.",
            p("unit_amount"),
        )
    if unit_amount is not None:
        if unit_amount < 0:
            raise invalid("This value must be greater than or equal to 0.", p("unit_amount"))
        if unit_amount > MAXIMUM:
            raise invalid(f"This value must be less than or equal to {MAXIMUM}.", p("unit_amount"))
        decimal = str(unit_amount)
    elif decimal is not None:
        # the spec bounded it (digits, at most 12 places): never a float, never huge
        exact = Decimal(decimal)
        if exact > MAXIMUM:
            raise invalid(
                f"This value must be less than or equal to {MAXIMUM}.",
                p("unit_amount_decimal"),
            )
        if exact == exact.to_integral_value():
            unit_amount = int(exact)
    rec = params.get("recurring")
    recurring = None
    if rec is not None:
        if rec.get("interval") is None:
            raise missing_param(p("recurring[interval]"))
        count = rec.get("interval_count") or 1
        if count < 1:
            raise invalid(
                "This value must be greater than or equal to 1.", p("recurring[interval_count]")
            )
        per_year = {"day": 365, "week": 52, "month": 12, "year": 1}[rec["interval"]]
        if count > 3 * per_year:
            raise invalid(
                "The maximum billing interval is 3 years.", p("recurring[interval_count]")
            )
        recurring = {
            "interval": rec["interval"],
            "interval_count": count,
            "meter": rec.get("meter"),
            "trial_period_days": rec.get("trial_period_days"),
            "usage_type": rec.get("usage_type") or "licensed",
        }
    tq = params.get("transform_quantity")
    price: Obj = {
        "id": new_id("price"),
        "object": "price",
        "active": params.get("active", True) is not False,
        "billing_scheme": scheme,
        "created": now(),
        "currency": currency,
        "custom_unit_amount": custom,
        "livemode": False,
        "lookup_key": params.get("lookup_key"),
        "metadata": params.get("metadata") or {},
        "nickname": params.get("nickname"),
        "product": product,
        "recurring": recurring,
        "tax_behavior": params.get("tax_behavior") or "unspecified",
        "tiers_mode": params.get("tiers_mode"),
        "transform_quantity": (
            {"divide_by": tq.get("divide_by"), "round": tq.get("round")} if tq else None
        ),
        "type": "recurring" if recurring else "one_time",
        "unit_amount": unit_amount,
        "unit_amount_decimal": decimal,
    }
    store.insert(price)
    record_event(store, "price.created", price)
    return price


def create_price(store: Store, params: Obj) -> Obj:
    product = params.get("product")
    pdata = params.get("product_data")
    if params.get("currency") is None:
        raise missing_param("currency")
    if product is None and pdata is None:
        raise missing_param("product")
    if product is not None and pdata is not None:
        raise invalid(
            "You may only specify one of these parameters: product, product_data.", "product"
        )
    if product is not None:
        get_object(store, "product", product, "product", "product", 400)
    elif pdata is not None:
        if pdata.get("name") is None:
            raise missing_param("product_data[name]")
        product = products.create_product(store, dict(pdata))["id"]
    if params.get("lookup_key") is not None and params.get("active") is not False:
        _claim_lookup_key(store, params["lookup_key"], None, params.get("transfer_lookup_key"))
    return new_price(store, params, str(product))


def retrieve_price(store: Store, params: Obj, ident: str) -> Obj:
    return get_object(store, "price", ident, "price", "price")


def list_prices(store: Store, params: Obj) -> Obj:
    active = params.get("active")
    currency = params.get("currency")
    lookup = params.get("lookup_keys")
    rec = params.get("recurring") or {}
    ptype = params.get("type")

    def keep(o: Obj) -> bool:
        r = o["recurring"] or {}
        return (
            (currency is None or o["currency"] == currency.lower())
            and (lookup is None or o["lookup_key"] in lookup)
            and (ptype is None or o["type"] == ptype)
            and all(r.get(k) == v for k, v in rec.items() if v is not None)
            and (not rec or o["recurring"] is not None)
        )

    return list_objects(
        store,
        "price",
        "/v1/prices",
        params,
        where={"product": params.get("product"), "active": active},
        keep=keep,
    )


def _claim_lookup_key(store: Store, key: str, price: str | None, transfer: bool | None) -> None:
    """Lookup keys are unique among active prices: another active price holding ``key`` is
    refused, or with ``transfer_lookup_key`` loses it (and says so in a price.updated)."""
    for _seq, data in store.scan("price", where={"active": True}):
        holder: Obj = json.loads(data)
        if holder["lookup_key"] != key or holder["id"] == price:
            continue
        if not transfer:
            raise state_error(
                f"A price (`{holder['id']}`) already uses that lookup key.", "lookup_key"
            )
        holder["lookup_key"] = None
        store.update(holder)
        record_event(store, "price.updated", holder, {"lookup_key": key})


def update_price(store: Store, params: Obj, ident: str) -> Obj:
    price = get_object(store, "price", ident, "price", "price")
    before = copy.deepcopy(price)
    if "active" in params and params["active"] is None:
        raise invalid(
            "You passed an empty string for 'active'. We assume empty values are an attempt to "
            "unset a parameter; however 'active' cannot be unset. You should remove 'active' "
            "from your request or supply a non-empty value.",
            "active",
        )
    if params.get("active") is False and price["active"]:
        product = store.get("product", price["product"]) or {}
        if product.get("default_price") == ident:
            raise state_error(
                "This price cannot be archived because it is the default price of its product.",
                "active",
            )
    tax = params.get("tax_behavior")
    if tax is not None and price["tax_behavior"] not in ("unspecified", tax):
        raise state_error(
            "The tax_behavior of a price cannot be changed once it is inclusive or exclusive.",
            "tax_behavior",
        )
    for key in ("active", "lookup_key", "nickname", "tax_behavior"):
        if key in params:
            price[key] = params[key]
    price["tax_behavior"] = price["tax_behavior"] or "unspecified"
    if "metadata" in params:
        price["metadata"] = merge_metadata(price["metadata"], params["metadata"])
    claims = price["lookup_key"] != before["lookup_key"] or not before["active"]
    if price["active"] and price["lookup_key"] is not None and claims:
        _claim_lookup_key(store, price["lookup_key"], ident, params.get("transfer_lookup_key"))
    previous = changes(before, price)
    if previous:
        store.update(price)
        record_event(store, "price.updated", price, previous)
    return price


PRICE_SEARCH_FIELDS = frozenset({"active", "currency", "lookup_key", "metadata", "product", "type"})


def search_prices(store: Store, params: Obj) -> Obj:
    return search_objects(store, "price", params, PRICE_SEARCH_FIELDS, "prices")


ROUTES = [
    route("POST", r"/v1/prices", create_price, PRICE_CREATE),
    route("GET", r"/v1/prices", list_prices, PRICE_LIST),
    route("GET", r"/v1/prices/search", search_prices, SEARCH),
    route("GET", r"/v1/prices/([^/]+)", retrieve_price, RETRIEVE),
    route("POST", r"/v1/prices/([^/]+)", update_price, PRICE_UPDATE),
]
