"""The Stripe resources the sandbox emulates: routes, parameters and behaviour."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .errors import StripeError, invalid, missing_param, no_such, state_error, unknown_param
from .objects import (
    CURRENCIES,
    MAXIMUM,
    MINIMUMS,
    TEST_CARDS,
    address,
    format_amount,
    new_id,
    now,
    payment_method,
    public,
    rand,
)
from .params import INT64_MAX, ListOf, OneOf, Spec, Str, check, integer
from .search import compile_query
from .store import Store

__all__ = ["Api"]

Obj = dict[str, Any]
Handler = Callable[..., Obj]

# --- parameter specs (from the stripe SDK's generated params) ----------------------------

_ADDRESS: Spec = {k: "str" for k in ("city", "country", "line1", "line2", "postal_code", "state")}
_SHIPPING: Spec = {"address": _ADDRESS, "name": "str", "phone": "str"}
_RETRIEVE: Spec = {"expand": "strs"}
_LIST: dict[str, Spec] = {
    "created": "any",
    "ending_before": "str",
    "expand": "strs",
    "limit": "any",
    "starting_after": "str",
}
_INTERVAL = OneOf("day", "month", "week", "year")
_DESCRIPTOR = Str(22)  # statement descriptors (Stripe's maxLength)
_TAX_BEHAVIOR = OneOf("exclusive", "inclusive", "unspecified")

_CUSTOMER_COMMON: dict[str, Spec] = {
    "address": _ADDRESS,
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
CUSTOMER_LIST: Spec = {**_LIST, "email": "str", "test_clock": "str"}
CUSTOMER_SEARCH: Spec = {"expand": "strs", "limit": "any", "page": "str", "query": "str"}

_RECURRING_SIMPLE: Spec = {"interval": _INTERVAL, "interval_count": "int"}
PRODUCT_CREATE: Spec = {
    "active": "bool",
    "default_price_data": {
        "currency": "str",
        "currency_options": "any",
        "custom_unit_amount": "any",
        "metadata": "map",
        "recurring": _RECURRING_SIMPLE,
        "tax_behavior": _TAX_BEHAVIOR,
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
    "statement_descriptor": _DESCRIPTOR,
    "tax_code": "str",
    "tax_details": "any",
    "type": OneOf("good", "service"),
    "unit_label": Str(12),
    "url": "str",
}
PRODUCT_LIST: Spec = {
    **_LIST,
    "active": "bool",
    "ids": "strs",
    "shippable": "bool",
    "type": OneOf("good", "service"),
    "url": "str",
}
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
        "statement_descriptor": _DESCRIPTOR,
        "tax_code": "str",
        "tax_details": "any",
        "unit_label": Str(12),
    },
    "recurring": {
        "interval": _INTERVAL,
        "interval_count": "int",
        "meter": "str",
        "trial_period_days": "int",
        "usage_type": OneOf("licensed", "metered"),
    },
    "tax_behavior": _TAX_BEHAVIOR,
    "tiers": "any",
    "tiers_mode": OneOf("graduated", "volume"),
    "transfer_lookup_key": "bool",
    "transform_quantity": {"divide_by": "int", "round": OneOf("down", "up")},
    "unit_amount": "int",
    "unit_amount_decimal": "decimal",
}
PRICE_LIST: Spec = {
    **_LIST,
    "active": "bool",
    "currency": "str",
    "lookup_keys": "strs",
    "product": "str",
    "recurring": {
        "interval": _INTERVAL,
        "meter": "str",
        "usage_type": OneOf("licensed", "metered"),
    },
    "type": OneOf("one_time", "recurring"),
}
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
PAYMENT_LINK_CREATE: Spec = {
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
                "recurring": _RECURRING_SIMPLE,
                "tax_behavior": _TAX_BEHAVIOR,
                "unit_amount": "int",
                "unit_amount_decimal": "decimal",
            },
            "quantity": "int",
        }
    ),
    "metadata": "map",
}
PAYMENT_LINK_LIST: Spec = {**_LIST, "active": "bool"}
PAYMENT_LINK_LINE_ITEMS: Spec = {k: v for k, v in _LIST.items() if k != "created"}

_PI_SHIPPING: Spec = {
    "address": _ADDRESS,
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
    "statement_descriptor": _DESCRIPTOR,
    "statement_descriptor_suffix": _DESCRIPTOR,
    "use_stripe_sdk": "bool",
}
PI_LIST: Spec = {**_LIST, "customer": "str", "customer_account": "str"}
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
CHARGE_LIST: Spec = {**_LIST, "customer": "str", "payment_intent": "str", "transfer_group": "str"}
REFUND_CREATE: Spec = {
    "amount": "int",
    "charge": "str",
    "currency": "str",
    "customer": "str",
    "expand": "strs",
    "instructions_email": "str",
    "metadata": "map",
    "origin": OneOf("customer_balance"),
    "payment_intent": "str",
    "reason": OneOf("duplicate", "fraudulent", "requested_by_customer"),
    "refund_application_fee": "bool",
    "reverse_transfer": "bool",
}
REFUND_LIST: Spec = {**_LIST, "charge": "str", "payment_intent": "str"}

CUSTOMER_SEARCH_FIELDS = frozenset({"created", "email", "metadata", "name", "phone"})
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_CONFIRMABLE = ("requires_confirmation", "requires_payment_method", "requires_action")
_CANCELABLE = (
    "requires_payment_method",
    "requires_capture",
    "requires_confirmation",
    "requires_action",
    "processing",
)


def _b(value: bool) -> str:
    return "1" if value else "0"


def _currency(value: Any, param: str = "currency") -> str:
    cur = value.lower() if isinstance(value, str) else ""
    if cur not in CURRENCIES:
        raise invalid(
            f"Invalid currency: {value}. Stripe currently supports these currencies: "
            + ", ".join(sorted(CURRENCIES)),
            param,
        )
    return cur


def _limit(value: Any) -> int:
    n = None if value is None else integer(value, "limit")
    if n is None:
        return 10
    if n < 1:
        raise invalid("This value must be greater than or equal to 1.", "limit")
    if n > 100:
        raise invalid("This value must be less than or equal to 100.", "limit")
    return n


def _created_filter(value: Any) -> dict[str, int] | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        when = integer(value, "created")
        return None if when is None else {"gte": when, "lte": when}
    if not isinstance(value, dict):
        raise invalid("Invalid object", "created")
    out: dict[str, int] = {}
    for op, v in value.items():
        if op not in ("gt", "gte", "lt", "lte"):
            raise unknown_param(f"created[{op}]")
        parsed = check("int", v, f"created[{op}]")
        if parsed is not None:
            out[op] = parsed
    return out


def _merge_metadata(current: dict[str, str], update: dict[str, str] | None) -> dict[str, str]:
    if update is None:
        return current
    if update == {}:
        return {}
    merged = dict(current)
    for k, v in update.items():
        if v == "":
            merged.pop(k, None)
        else:
            merged[k] = v
    return merged


class Api:
    """Resource logic over a :class:`Store`. Every handler returns the object to answer."""

    def __init__(self, store: Store) -> None:
        self.store = store
        r = self._route
        self.routes: list[tuple[str, re.Pattern[str], Handler, Spec]] = []
        r("POST", r"/v1/customers", self.create_customer, CUSTOMER_CREATE)
        r("GET", r"/v1/customers", self.list_customers, CUSTOMER_LIST)
        r("GET", r"/v1/customers/search", self.search_customers, CUSTOMER_SEARCH)
        r("GET", r"/v1/customers/([^/]+)", self.retrieve_customer, _RETRIEVE)
        r("POST", r"/v1/customers/([^/]+)", self.update_customer, CUSTOMER_UPDATE)
        r("DELETE", r"/v1/customers/([^/]+)", self.delete_customer, {})
        r("POST", r"/v1/products", self.create_product, PRODUCT_CREATE)
        r("GET", r"/v1/products", self.list_products, PRODUCT_LIST)
        r("GET", r"/v1/products/([^/]+)", self.retrieve_product, _RETRIEVE)
        r("POST", r"/v1/prices", self.create_price, PRICE_CREATE)
        r("GET", r"/v1/prices", self.list_prices, PRICE_LIST)
        r("GET", r"/v1/prices/([^/]+)", self.retrieve_price, _RETRIEVE)
        r("POST", r"/v1/payment_links", self.create_payment_link, PAYMENT_LINK_CREATE)
        r("GET", r"/v1/payment_links", self.list_payment_links, PAYMENT_LINK_LIST)
        r("GET", r"/v1/payment_links/([^/]+)", self.retrieve_payment_link, _RETRIEVE)
        r(
            "GET",
            r"/v1/payment_links/([^/]+)/line_items",
            self.list_payment_link_line_items,
            PAYMENT_LINK_LINE_ITEMS,
        )
        r("POST", r"/v1/payment_intents", self.create_payment_intent, PI_CREATE)
        r("GET", r"/v1/payment_intents", self.list_payment_intents, PI_LIST)
        r("GET", r"/v1/payment_intents/([^/]+)", self.retrieve_payment_intent, _RETRIEVE)
        r(
            "POST",
            r"/v1/payment_intents/([^/]+)/confirm",
            self.confirm_payment_intent,
            PI_CONFIRM,
        )
        r("POST", r"/v1/payment_intents/([^/]+)/cancel", self.cancel_payment_intent, PI_CANCEL)
        r("GET", r"/v1/payment_methods/([^/]+)", self.retrieve_payment_method, _RETRIEVE)
        r("GET", r"/v1/charges", self.list_charges, CHARGE_LIST)
        r("GET", r"/v1/charges/([^/]+)", self.retrieve_charge, _RETRIEVE)
        r("POST", r"/v1/refunds", self.create_refund, REFUND_CREATE)
        r("GET", r"/v1/refunds", self.list_refunds, REFUND_LIST)
        r("GET", r"/v1/refunds/([^/]+)", self.retrieve_refund, _RETRIEVE)
        self._by_method: dict[str, list[tuple[re.Pattern[str], Handler, Spec]]] = {}
        for method, pattern, handler, spec in self.routes:
            self._by_method.setdefault(method, []).append((pattern, handler, spec))

    def _route(self, method: str, pattern: str, handler: Handler, spec: Spec) -> None:
        self.routes.append((method, re.compile(pattern), handler, spec))

    def match(self, method: str, path: str) -> tuple[Handler, Spec, tuple[str, ...]] | None:
        for pattern, handler, spec in self._by_method.get(method, ()):
            m = pattern.fullmatch(path)
            if m is not None:
                return handler, spec, m.groups()
        return None

    def call(self, method: str, path: str, raw: dict[str, Any]) -> Obj:
        """Run one request (inside the caller's transaction)."""
        found = self.match(method, path)
        if found is None:
            raise StripeError(
                404,
                f"Unrecognized request URL ({method}: {path}). Please see "
                "https://stripe.com/docs or we can help at https://support.stripe.com/.",
            )
        handler, spec, args = found
        params = check(spec, raw)
        result = handler(params, *args)
        expand = params.get("expand")
        if expand:
            self._expand(result, expand)
        return result

    # --- helpers -------------------------------------------------------------------------
    def _get(self, kind: str, ident: str, label: str, param: str | None, status: int = 404) -> Obj:
        obj = self.store.get(kind, ident)
        if obj is None:
            raise no_such(label, ident, param, status)
        return obj

    def _list(
        self,
        kind: str,
        url: str,
        params: Obj,
        *,
        fk1: str | None = None,
        fk2: str | None = None,
        keep: Callable[[Obj], bool] | None = None,
        label: str | None = None,
    ) -> Obj:
        limit = _limit(params.get("limit"))
        created = _created_filter(params.get("created"))
        before = after = None
        starting_after = params.get("starting_after")
        ending_before = params.get("ending_before")
        if starting_after is not None:
            before = self.store.seq_of(kind, starting_after)
            if before is None:
                raise no_such(label or kind, starting_after, "starting_after", 400)
        elif ending_before is not None:
            after = self.store.seq_of(kind, ending_before)
            if after is None:
                raise no_such(label or kind, ending_before, "ending_before", 400)
        data, more = self.store.page(
            kind, limit, fk1=fk1, fk2=fk2, before=before, after=after, created=created, keep=keep
        )
        return {
            "object": "list",
            "data": [public(o) for o in data],
            "has_more": more,
            "url": url,
        }

    def _expand(self, obj: Obj, paths: list[str]) -> None:
        for path in paths:
            parts = path.split(".")
            if len(parts) > 4:
                raise invalid(
                    f"You cannot expand more than 4 levels of a property. Property: {path}",
                    "expand",
                )
            self._expand_one(obj, parts, path)

    def _expand_one(self, obj: Obj, parts: list[str], path: str) -> None:
        head, rest = parts[0], parts[1:]
        if obj.get("object") == "list" and head == "data":
            for item in obj["data"]:
                if rest:
                    self._expand_one(item, rest, path)
            return
        if head not in obj:
            raise invalid(f"This property cannot be expanded ({head}).", "expand")
        value = obj[head]
        if isinstance(value, str):
            target = self.store.get_any(value)
            if target is None:
                return
            value = obj[head] = public(target)
        if rest and isinstance(value, dict):
            self._expand_one(value, rest, path)

    # --- customers -----------------------------------------------------------------------
    @staticmethod
    def _check_email(params: Obj) -> None:
        email = params.get("email")
        if email is not None and (len(email) > 512 or not _EMAIL.fullmatch(email)):
            raise invalid(f"Invalid email address: {email}", "email", "email_invalid")

    def create_customer(self, params: Obj) -> Obj:
        self._check_email(params)
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
            "shipping": self._shipping(params.get("shipping")),
            "tax_exempt": params.get("tax_exempt") or "none",
            "test_clock": None,
        }
        if pm is not None:
            self._attach(pm, c["id"])
        self.store.insert(c, fk1=c["email"])
        return c

    def _attach(self, pm_id: str, customer: str) -> None:
        if pm_id in TEST_CARDS:
            pm = payment_method(pm_id, customer)
            self.store.insert(pm, fk1=customer)
            return
        found = self.store.get("payment_method", pm_id)
        if found is None:
            raise no_such("PaymentMethod", pm_id, "payment_method", 400)
        found["customer"] = customer
        self.store.update(found, fk1=customer)

    @staticmethod
    def _shipping(src: Obj | None) -> Obj | None:
        if src is None:
            return None
        return {
            "address": address(src.get("address") or {}),
            "name": src.get("name"),
            "phone": src.get("phone"),
        }

    def retrieve_customer(self, params: Obj, ident: str) -> Obj:
        obj = self.store.get("customer", ident)
        if obj is None:
            raise no_such("customer", ident, "id")
        if obj.get("deleted"):
            return {"id": ident, "object": "customer", "deleted": True}
        return obj

    def _live_customer(self, ident: str, param: str, status: int = 404) -> Obj:
        obj = self.store.get("customer", ident)
        if obj is None or obj.get("deleted"):
            raise no_such("customer", ident, param, status)
        return obj

    def update_customer(self, params: Obj, ident: str) -> Obj:
        c = self._live_customer(ident, "id")
        self._check_email(params)
        for key, value in params.items():
            if key in ("expand", "validate", "tax", "cash_balance", "source"):
                continue
            if key == "metadata":
                c["metadata"] = _merge_metadata(c["metadata"], value)
            elif key == "address":
                c["address"] = address(value)
            elif key == "shipping":
                c["shipping"] = self._shipping(value)
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
        self.store.update(c, fk1=c["email"])
        return c

    def delete_customer(self, params: Obj, ident: str) -> Obj:
        c = self._live_customer(ident, "id")
        c["deleted"] = True
        self.store.update(c, fk1=None)
        return {"id": ident, "object": "customer", "deleted": True}

    def list_customers(self, params: Obj) -> Obj:
        email = params.get("email")
        return self._list(
            "customer",
            "/v1/customers",
            params,
            fk1=email,
            keep=None if email is not None else (lambda o: not o.get("deleted")),
        )

    def search_customers(self, params: Obj) -> Obj:
        query = params.get("query")
        if query is None:
            raise missing_param("query")
        pred = compile_query(query, CUSTOMER_SEARCH_FIELDS, "customers")
        limit = _limit(params.get("limit"))
        before: int | None = None
        page = params.get("page")
        if page is not None:
            try:
                before = int(base64.urlsafe_b64decode(page.encode()).decode().split(":", 1)[1])
                if not 0 <= before <= INT64_MAX:
                    raise ValueError(page)
            except (ValueError, IndexError, UnicodeDecodeError):
                raise invalid(f"Invalid page: {page[:100]}", "page") from None
        out: list[Obj] = []
        more = False
        last_seq = 0
        for seq, data in self.store.scan("customer", before=before):
            obj: Obj = json.loads(data)
            if obj.get("deleted") or not pred(obj):
                continue
            if len(out) == limit:
                more = True
                break
            out.append(obj)
            last_seq = seq
        next_page = base64.urlsafe_b64encode(f"seq:{last_seq}".encode()).decode() if more else None
        return {
            "object": "search_result",
            "data": out,
            "has_more": more,
            "next_page": next_page,
            "url": "/v1/customers/search",
        }

    # --- products ------------------------------------------------------------------------
    def create_product(self, params: Obj) -> Obj:
        name = params.get("name")
        if name is None:
            raise missing_param("name")
        ident = params.get("id") or new_id("prod")
        if params.get("id") is not None and self.store.exists(ident):
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
        self.store.insert(p, fk1=_b(p["active"]))
        if dpd is not None:
            price = self._new_price(dpd, ident, "default_price_data")
            p["default_price"] = price["id"]
            self.store.update(p, fk1=_b(p["active"]))
        return p

    def retrieve_product(self, params: Obj, ident: str) -> Obj:
        return self._get("product", ident, "product", "id")

    def list_products(self, params: Obj) -> Obj:
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

        return self._list(
            "product",
            "/v1/products",
            params,
            fk1=None if active is None else _b(active),
            keep=keep,
        )

    # --- prices --------------------------------------------------------------------------
    def _new_price(self, params: Obj, product: str, prefix: str = "") -> Obj:
        def p(name: str) -> str:
            return f"{prefix}[{name}]" if prefix else name

        currency = params.get("currency")
        if currency is None:
            raise missing_param(p("currency"))
        currency = _currency(currency, p("currency"))
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
                raise invalid(
                    f"This value must be less than or equal to {MAXIMUM}.", p("unit_amount")
                )
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
        self.store.insert(price, fk1=product, fk2=_b(price["active"]))
        return price

    def create_price(self, params: Obj) -> Obj:
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
            self._get("product", product, "product", "product", 400)
        elif pdata is not None:
            if pdata.get("name") is None:
                raise missing_param("product_data[name]")
            product = self.create_product(dict(pdata))["id"]
        return self._new_price(params, str(product))

    def retrieve_price(self, params: Obj, ident: str) -> Obj:
        return self._get("price", ident, "price", "price")

    def list_prices(self, params: Obj) -> Obj:
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

        return self._list(
            "price",
            "/v1/prices",
            params,
            fk1=params.get("product"),
            fk2=None if active is None else _b(active),
            keep=keep,
        )

    # --- payment links -------------------------------------------------------------------
    def create_payment_link(self, params: Obj) -> Obj:
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
                raise invalid(
                    "This value must be greater than or equal to 1.", f"{where}[quantity]"
                )
            if item.get("price") is not None:
                price = self._get("price", item["price"], "price", f"{where}[price]", 400)
                if not price["active"]:
                    raise invalid(f"The price `{price['id']}` is not active.", f"{where}[price]")
            elif item.get("price_data") is not None:
                pd = dict(item["price_data"])
                pid = pd.pop("product", None)
                pdata = pd.pop("product_data", None)
                if pid is None and pdata is None:
                    raise missing_param(f"{where}[price_data][product]")
                if pid is not None:
                    self._get("product", pid, "product", f"{where}[price_data][product]", 400)
                else:
                    if pdata.get("name") is None:
                        raise missing_param(f"{where}[price_data][product_data][name]")
                    pid = self.create_product(pdata)["id"]
                price = self._new_price(pd, pid, f"{where}[price_data]")
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
        self.store.insert(link, fk1="1")
        return public(link)

    def retrieve_payment_link(self, params: Obj, ident: str) -> Obj:
        return public(self._get("payment_link", ident, "payment link", "id"))

    def list_payment_links(self, params: Obj) -> Obj:
        active = params.get("active")
        return self._list(
            "payment_link",
            "/v1/payment_links",
            params,
            fk1=None if active is None else _b(active),
            label="payment link",
        )

    def list_payment_link_line_items(self, params: Obj, ident: str) -> Obj:
        link = self._get("payment_link", ident, "payment link", "id")
        limit = _limit(params.get("limit"))
        items: list[Obj] = []
        for n, item in enumerate(link["sandbox_line_items"]):
            price = public(self.store.get("price", item["price"]) or {})
            product = self.store.get("product", price.get("product", "")) or {}
            total = (price.get("unit_amount") or 0) * item["quantity"]
            items.append(
                {
                    "id": f"li_{ident[6:20]}{n:04d}",
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

    # --- payment intents -----------------------------------------------------------------
    def create_payment_intent(self, params: Obj) -> Obj:
        amount = params.get("amount")
        if amount is None:
            raise missing_param("amount")
        if params.get("currency") is None:
            raise missing_param("currency")
        currency = _currency(params["currency"])
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
            self._live_customer(customer, "customer", 400)
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
            pi["payment_method"] = self._resolve_pm(pm)["id"]
            pi["status"] = "requires_confirmation"
        self.store.insert(pi, fk1=customer)
        if params.get("confirm"):
            confirm: Obj = {
                k: params[k]
                for k in ("return_url", "error_on_requires_action", "receipt_email")
                if k in params
            }
            return self._confirm(pi, confirm)
        return pi

    def _resolve_pm(self, pm_id: str) -> Obj:
        if pm_id in TEST_CARDS:
            pm = payment_method(pm_id)
            self.store.insert(pm)
            return pm
        stored = self.store.get("payment_method", pm_id)
        if stored is None:
            raise no_such("PaymentMethod", pm_id, "payment_method", 400)
        return stored

    def retrieve_payment_intent(self, params: Obj, ident: str) -> Obj:
        return self._get("payment_intent", ident, "payment_intent", "intent")

    def list_payment_intents(self, params: Obj) -> Obj:
        return self._list(
            "payment_intent",
            "/v1/payment_intents",
            params,
            fk1=params.get("customer"),
        )

    def retrieve_payment_method(self, params: Obj, ident: str) -> Obj:
        return public(self._get("payment_method", ident, "PaymentMethod", "payment_method"))

    def confirm_payment_intent(self, params: Obj, ident: str) -> Obj:
        pi = self._get("payment_intent", ident, "payment_intent", "intent")
        return self._confirm(pi, params)

    def _unexpected_state(
        self, pi: Obj, action: str, done: str, allowed: tuple[str, ...]
    ) -> StripeError:
        return StripeError(
            400,
            f"You cannot {action} this PaymentIntent because it has a status of "
            f"{pi['status']}. Only a PaymentIntent with one of the following statuses may be "
            f"{done}: {', '.join(allowed)}.",
            code="payment_intent_unexpected_state",
            saved=True,
            extra={"payment_intent": pi},
        )

    def _confirm(self, pi: Obj, params: Obj) -> Obj:
        if pi["status"] not in _CONFIRMABLE:
            raise self._unexpected_state(pi, "confirm", "confirmed", _CONFIRMABLE)
        pm_id = params.get("payment_method")
        pm = self._resolve_pm(pm_id) if pm_id is not None else None
        if pm is None and pi["payment_method"] is not None:
            pm = self.store.get("payment_method", pi["payment_method"])
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
        if (
            apm is not None
            and apm["allow_redirects"] != "never"
            and params.get("return_url") is None
        ):
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
                return self._decline(
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
            self.store.update(pi, fk1=pi["customer"])
            return pi
        if isinstance(outcome, tuple):
            return self._decline(pi, pm, outcome)
        charge = self._charge(pi, pm, None)
        manual = pi["capture_method"] == "manual"
        pi["status"] = "requires_capture" if manual else "succeeded"
        pi["amount_capturable"] = pi["amount"] if manual else 0
        pi["amount_received"] = 0 if manual else pi["amount"]
        pi["latest_charge"] = charge["id"]
        pi["last_payment_error"] = None
        pi["next_action"] = None
        self.store.update(pi, fk1=pi["customer"])
        return pi

    def _decline(self, pi: Obj, pm: Obj, outcome: tuple[str, str, str]) -> Obj:
        code, decline_code, message = outcome
        charge = self._charge(pi, pm, outcome)
        err = StripeError(
            402,
            message,
            type="card_error",
            code=code,
            decline_code=decline_code,
            param="exp_month" if code == "expired_card" else None,
            commit=True,
        )
        pm_public = public(pm)
        last_error = err.envelope()["error"]
        last_error["charge"] = charge["id"]
        last_error["payment_method"] = pm_public
        pi["status"] = "requires_payment_method"
        pi["payment_method"] = None
        pi["next_action"] = None
        pi["latest_charge"] = charge["id"]
        pi["last_payment_error"] = dict(sorted(last_error.items()))
        self.store.update(pi, fk1=pi["customer"])
        err.extra = {"charge": charge["id"], "payment_intent": pi, "payment_method": pm_public}
        raise err

    def _charge(self, pi: Obj, pm: Obj, failure: tuple[str, str, str] | None) -> Obj:
        ident = new_id("ch")
        card = pm["card"]
        ok = failure is None
        code, decline_code, message = failure or (None, None, None)
        captured = ok and pi["capture_method"] != "manual"
        charge: Obj = {
            "id": ident,
            "object": "charge",
            "amount": pi["amount"],
            "amount_captured": pi["amount"] if captured else 0,
            "amount_refunded": 0,
            "application": None,
            "application_fee": None,
            "application_fee_amount": None,
            "balance_transaction": new_id("txn") if captured else None,
            "billing_details": pm["billing_details"],
            "calculated_statement_descriptor": "SANDBOX",
            "captured": captured,
            "created": now(),
            "currency": pi["currency"],
            "customer": pi["customer"],
            "description": pi["description"],
            "disputed": False,
            "failure_balance_transaction": None,
            "failure_code": code,
            "failure_message": message,
            "fraud_details": {},
            "livemode": False,
            "metadata": dict(pi["metadata"]),
            "on_behalf_of": None,
            "outcome": {
                "advice_code": None,
                "network_advice_code": None,
                "network_decline_code": None,
                "network_status": "approved_by_network" if ok else "declined_by_network",
                "reason": decline_code,
                "risk_level": "normal",
                "risk_score": 20,
                "seller_message": "Payment complete."
                if ok
                else "The bank did not return any further details with this decline.",
                "type": "authorized" if ok else "issuer_declined",
            },
            "paid": ok,
            "payment_intent": pi["id"],
            "payment_method": pm["id"],
            "payment_method_details": {
                "card": {
                    "amount_authorized": pi["amount"] if ok else None,
                    "authorization_code": None,
                    "brand": card["brand"],
                    "checks": card["checks"],
                    "country": card["country"],
                    "exp_month": card["exp_month"],
                    "exp_year": card["exp_year"],
                    "extended_authorization": {"status": "disabled"},
                    "fingerprint": card["fingerprint"],
                    "funding": card["funding"],
                    "incremental_authorization": {"status": "unavailable"},
                    "installments": None,
                    "last4": card["last4"],
                    "mandate": None,
                    "multicapture": {"status": "unavailable"},
                    "network": card["brand"],
                    "network_token": {"used": False},
                    "network_transaction_id": rand(15, "0123456789") if ok else None,
                    "overcapture": {
                        "maximum_amount_capturable": pi["amount"],
                        "status": "unavailable",
                    },
                    "regulated_status": "unregulated",
                    "three_d_secure": None,
                    "wallet": None,
                },
                "type": "card",
            },
            "receipt_email": pi["receipt_email"],
            "receipt_number": None,
            "receipt_url": f"https://pay.stripe.com/receipts/payment/{rand(60)}",
            "refunded": False,
            "refunds": {
                "object": "list",
                "data": [],
                "has_more": False,
                "total_count": 0,
                "url": f"/v1/charges/{ident}/refunds",
            },
            "review": None,
            "shipping": pi["shipping"],
            "source": None,
            "source_transfer": None,
            "statement_descriptor": pi["statement_descriptor"],
            "statement_descriptor_suffix": pi["statement_descriptor_suffix"],
            "status": "succeeded" if ok else "failed",
            "transfer_data": None,
            "transfer_group": pi["transfer_group"],
        }
        self.store.insert(charge, fk1=pi["id"], fk2=pi["customer"])
        return charge

    def cancel_payment_intent(self, params: Obj, ident: str) -> Obj:
        pi = self._get("payment_intent", ident, "payment_intent", "intent")
        if pi["status"] not in _CANCELABLE:
            raise self._unexpected_state(pi, "cancel", "canceled", _CANCELABLE)
        pi["status"] = "canceled"
        pi["canceled_at"] = now()
        pi["cancellation_reason"] = params.get("cancellation_reason")
        pi["next_action"] = None
        self.store.update(pi, fk1=pi["customer"])
        return pi

    # --- charges -------------------------------------------------------------------------
    def retrieve_charge(self, params: Obj, ident: str) -> Obj:
        return self._get("charge", ident, "charge", "id")

    def list_charges(self, params: Obj) -> Obj:
        pi = params.get("payment_intent")
        customer = params.get("customer")
        group = params.get("transfer_group")
        return self._list(
            "charge",
            "/v1/charges",
            params,
            fk1=pi,
            fk2=customer,
            keep=None if group is None else (lambda o: o["transfer_group"] == group),
        )

    # --- refunds -------------------------------------------------------------------------
    def create_refund(self, params: Obj) -> Obj:
        charge_id = params.get("charge")
        pi_id = params.get("payment_intent")
        if charge_id is None and pi_id is None:
            raise StripeError(
                400,
                "One of the following params should be provided for this request: "
                "payment_intent or charge.",
                code="parameter_missing",
            )
        charge: Obj | None = None
        if pi_id is not None:
            pi = self._get("payment_intent", pi_id, "payment_intent", "payment_intent", 400)
            if pi["status"] != "succeeded" or pi["latest_charge"] is None:
                raise state_error(
                    f"This PaymentIntent ({pi_id}) does not have a successful charge to refund.",
                    "payment_intent",
                )
            charge = self._get("charge", pi["latest_charge"], "charge", "payment_intent", 400)
            if charge_id is not None and charge_id != charge["id"]:
                raise invalid(
                    f"The charge {charge_id} does not belong to PaymentIntent {pi_id}.", "charge"
                )
        else:
            assert charge_id is not None
            charge = self._get("charge", charge_id, "charge", "charge", 400)
            if charge["status"] != "succeeded":
                raise state_error(
                    f"Charge {charge_id} has failed and cannot be refunded.", "charge"
                )
        assert charge is not None
        if charge["refunded"]:
            raise state_error(
                f"Charge {charge['id']} has already been refunded.",
                "charge",
                "charge_already_refunded",
            )
        remaining = charge["amount"] - charge["amount_refunded"]
        amount = params.get("amount")
        if amount is None:
            amount = remaining
        if amount < 1:
            raise StripeError(
                400,
                f"Invalid positive integer: {amount}",
                code="parameter_invalid_integer",
                param="amount",
            )
        cur = charge["currency"]
        if amount > remaining:
            if amount > charge["amount"]:
                msg = (
                    f"Refund amount ({format_amount(amount, cur)}) is greater than charge "
                    f"amount ({format_amount(charge['amount'], cur)})"
                )
            else:
                msg = (
                    f"Refund amount ({format_amount(amount, cur)}) is greater than unrefunded "
                    f"amount on charge ({format_amount(remaining, cur)})"
                )
            raise state_error(msg, "amount", "amount_too_large")
        if params.get("currency") is not None and params["currency"].lower() != cur:
            raise invalid(
                f"The currency of the refund ({params['currency']}) must match the currency of "
                f"the charge ({cur}).",
                "currency",
            )
        refund: Obj = {
            "id": new_id("re"),
            "object": "refund",
            "amount": amount,
            "balance_transaction": new_id("txn"),
            "charge": charge["id"],
            "created": now(),
            "currency": cur,
            "customer": charge["customer"],
            "customer_account": None,
            "destination_details": {
                "card": {
                    "reference": None,
                    "reference_status": "pending",
                    "reference_type": "acquirer_reference_number",
                    "type": "refund",
                },
                "type": "card",
            },
            "instructions_email": params.get("instructions_email"),
            "metadata": params.get("metadata") or {},
            "payment_intent": charge["payment_intent"],
            "payment_method": charge["payment_method"],
            "reason": params.get("reason"),
            "receipt_number": None,
            "source_transfer_reversal": None,
            "status": "succeeded",
            "transfer_reversal": None,
        }
        self.store.insert(refund, fk1=charge["payment_intent"], fk2=charge["id"])
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
        refunds = charge["refunds"]
        refunds["data"].insert(0, refund)
        refunds["total_count"] = refunds.get("total_count", 0) + 1
        if len(refunds["data"]) > 10:
            refunds["data"] = refunds["data"][:10]
            refunds["has_more"] = True
        self.store.update(charge, fk1=charge["payment_intent"], fk2=charge["customer"])
        return refund

    def retrieve_refund(self, params: Obj, ident: str) -> Obj:
        return self._get("refund", ident, "refund", "id")

    def list_refunds(self, params: Obj) -> Obj:
        return self._list(
            "refund",
            "/v1/refunds",
            params,
            fk1=params.get("payment_intent"),
            fk2=params.get("charge"),
        )
