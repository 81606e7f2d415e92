"""Products: create (with a default price), retrieve and list."""

from __future__ import annotations

from ..errors import invalid, missing_param
from ..objects import new_id, now
from ..params import ListOf, OneOf, Spec, Str
from ..store import Store
from . import prices
from .common import (
    DESCRIPTOR,
    LIST,
    RECURRING_SIMPLE,
    RETRIEVE,
    TAX_BEHAVIOR,
    Obj,
    get_object,
    list_objects,
    route,
)
from .events import record_event

PRODUCT_CREATE: Spec = {
    "active": "bool",
    "default_price_data": {
        "currency": "str",
        "currency_options": "any",
        "custom_unit_amount": "any",
        "metadata": "map",
        "recurring": RECURRING_SIMPLE,
        "tax_behavior": TAX_BEHAVIOR,
        "unit_amount": "int",
        "unit_amount_decimal": "decimal",
    },
    "description": "str",
    "expand": "strs",
    "id": "str",
    "images": "strs",
    "marketing_features": ListOf({"name": "str"}),
    "metadata": "map",
    "name": "str",
    "package_dimensions": {k: "float" for k in ("height", "length", "weight", "width")},
    "shippable": "bool",
    "statement_descriptor": DESCRIPTOR,
    "tax_code": "str",
    "tax_details": "any",
    "type": OneOf("good", "service"),
    "unit_label": Str(12),
    "url": "str",
}
PRODUCT_LIST: Spec = {
    **LIST,
    "active": "bool",
    "ids": "strs",
    "shippable": "bool",
    "type": OneOf("good", "service"),
    "url": "str",
}


def create_product(store: Store, params: Obj) -> Obj:
    name = params.get("name")
    if name is None:
        raise missing_param("name")
    ident = params.get("id") or new_id("prod")
    if params.get("id") is not None and store.exists(ident):
        raise invalid("Product already exists.", "id", "resource_already_exists")
    ts = now()
    dims = params.get("package_dimensions")
    p: Obj = {
        "id": ident,
        "object": "product",
        "active": params.get("active", True) is not False,
        "created": ts,
        "default_price": None,
        "description": params.get("description"),
        "images": params.get("images") or [],
        "livemode": False,
        "marketing_features": params.get("marketing_features") or [],
        "metadata": params.get("metadata") or {},
        "name": name,
        "package_dimensions": (
            {k: float(v) for k, v in dims.items() if v is not None} if dims else None
        ),
        "shippable": params.get("shippable"),
        "statement_descriptor": params.get("statement_descriptor"),
        "tax_code": params.get("tax_code"),
        "type": params.get("type") or "service",
        "unit_label": params.get("unit_label"),
        "updated": ts,
        "url": params.get("url"),
    }
    dpd = params.get("default_price_data")
    store.insert(p)
    if dpd is not None:
        price = prices.new_price(store, dpd, ident, "default_price_data")
        p["default_price"] = price["id"]
        store.update(p)
    record_event(store, "product.created", p)
    return p


def retrieve_product(store: Store, params: Obj, ident: str) -> Obj:
    return get_object(store, "product", ident, "product", "id")


def list_products(store: Store, params: Obj) -> Obj:
    active = params.get("active")
    ids = params.get("ids")
    shippable = params.get("shippable")
    ptype = params.get("type")
    url = params.get("url")

    def keep(o: Obj) -> bool:
        return (
            (ids is None or o["id"] in ids)
            and (shippable is None or o["shippable"] == shippable)
            and (ptype is None or o["type"] == ptype)
            and (url is None or o["url"] == url)
        )

    return list_objects(
        store,
        "product",
        "/v1/products",
        params,
        where={"active": active},
        keep=keep,
    )


ROUTES = [
    route("POST", r"/v1/products", create_product, PRODUCT_CREATE),
    route("GET", r"/v1/products", list_products, PRODUCT_LIST),
    route("GET", r"/v1/products/([^/]+)", retrieve_product, RETRIEVE),
]
