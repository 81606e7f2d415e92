"""Products: create (with a default price), retrieve, update, delete, list and search."""

from __future__ import annotations

import copy

from ..errors import invalid, missing_param, state_error
from ..objects import new_id, now
from ..params import ListOf, OneOf, Spec, Str
from ..store import Store
from . import prices
from .common import (
    DESCRIPTOR,
    LIST,
    RECURRING_SIMPLE,
    RETRIEVE,
    SEARCH,
    TAX_BEHAVIOR,
    Obj,
    changes,
    get_object,
    list_objects,
    merge_metadata,
    route,
    search_objects,
)
from .events import record_event

PRODUCT_CREATE: dict[str, Spec] = {
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
PRODUCT_UPDATE: Spec = {
    k: v for k, v in PRODUCT_CREATE.items() if k not in ("default_price_data", "id", "type")
} | {"default_price": "str"}
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
        "package_dimensions": _dimensions(dims),
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


def _dimensions(dims: Obj | None) -> Obj | None:
    return {k: float(v) for k, v in dims.items() if v is not None} if dims else None


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
            not o.get("deleted")
            and (ids is None or o["id"] in ids)
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


_REQUIRED = ("active", "name", "shippable")
"""Fields an update cannot unset (an empty string is Stripe's way to unset)."""
_LISTS = ("images", "marketing_features")


def _check_default_price(store: Store, product: str, price_id: str) -> None:
    price = get_object(store, "price", price_id, "price", "default_price", 400)
    if price["product"] != product:
        raise invalid(
            f"The price `{price_id}` does not belong to the product `{product}`.",
            "default_price",
        )
    if not price["active"]:
        raise invalid(
            "The price specified is inactive. This field only accepts active prices.",
            "default_price",
        )


def update_product(store: Store, params: Obj, ident: str) -> Obj:
    p = get_object(store, "product", ident, "product", "id")
    before = copy.deepcopy(p)
    for key in _REQUIRED:
        if key in params and params[key] is None:
            raise invalid(
                f"You passed an empty string for '{key}'. We assume empty values are an attempt "
                f"to unset a parameter; however '{key}' cannot be unset. You should remove "
                f"'{key}' from your request or supply a non-empty value.",
                key,
            )
    if params.get("default_price") is not None:
        _check_default_price(store, ident, params["default_price"])
    for key, value in params.items():
        if key in ("expand", "tax_details"):
            continue
        if key == "metadata":
            p["metadata"] = merge_metadata(p["metadata"], value)
        elif key in _LISTS:
            p[key] = value or []
        elif key == "package_dimensions":
            p[key] = _dimensions(value)
        else:
            p[key] = value
    previous = changes(before, p)
    if previous:
        p["updated"] = now()
        previous["updated"] = before["updated"]
        store.update(p)
        record_event(store, "product.updated", p, previous)
    return p


def delete_product(store: Store, params: Obj, ident: str) -> Obj:
    p = get_object(store, "product", ident, "product", "id")
    has_prices, _ = store.page("price", 1, where={"product": ident})
    if has_prices:
        raise state_error(
            "This product cannot be deleted because it has one or more user-created prices."
        )
    p["deleted"] = True
    store.update(p)
    del p["deleted"]
    record_event(store, "product.deleted", p)
    return {"id": ident, "object": "product", "deleted": True}


PRODUCT_SEARCH_FIELDS = frozenset({"active", "description", "metadata", "name", "shippable", "url"})


def search_products(store: Store, params: Obj) -> Obj:
    return search_objects(store, "product", params, PRODUCT_SEARCH_FIELDS, "products")


ROUTES = [
    route("POST", r"/v1/products", create_product, PRODUCT_CREATE),
    route("GET", r"/v1/products", list_products, PRODUCT_LIST),
    route("GET", r"/v1/products/search", search_products, SEARCH),
    route("GET", r"/v1/products/([^/]+)", retrieve_product, RETRIEVE),
    route("POST", r"/v1/products/([^/]+)", update_product, PRODUCT_UPDATE),
    route("DELETE", r"/v1/products/([^/]+)", delete_product, {}),
]
