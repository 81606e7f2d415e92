"""Prices: create (for a product, or with a new one), retrieve and list."""

from __future__ import annotations

from decimal import Decimal

from ..errors import invalid, missing_param
from ..objects import MAXIMUM, new_id, now
from ..params import OneOf, Spec, Str
from ..store import Store
from . import products
from .common import (
    DESCRIPTOR,
    INTERVAL,
    LIST,
    RETRIEVE,
    TAX_BEHAVIOR,
    Obj,
    check_currency,
    get_object,
    list_objects,
    route,
)
from .events import record_event

PRICE_CREATE: Spec = {
    "active": "bool",
    "billing_scheme": OneOf("per_unit", "tiered"),
    "currency": "str",
    "currency_options": "any",
    "custom_unit_amount": "any",
    "expand": "strs",
    "lookup_key": "str",
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


ROUTES = [
    route("POST", r"/v1/prices", create_price, PRICE_CREATE),
    route("GET", r"/v1/prices", list_prices, PRICE_LIST),
    route("GET", r"/v1/prices/([^/]+)", retrieve_price, RETRIEVE),
]
