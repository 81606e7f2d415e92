"""What the resource modules share: a route, common parameter specs, reading and listing."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from ..errors import invalid, missing_param, no_such, unknown_param
from ..objects import CURRENCIES, public
from ..params import INT64_MAX, OneOf, Spec, Str, check, integer
from ..search import compile_query
from ..store import Store

__all__ = [
    "ADDRESS",
    "DESCRIPTOR",
    "INTERVAL",
    "LIST",
    "RECURRING_SIMPLE",
    "RETRIEVE",
    "SEARCH",
    "TAX_BEHAVIOR",
    "Handler",
    "Obj",
    "Route",
    "changes",
    "check_currency",
    "created_filter",
    "get_object",
    "list_objects",
    "merge_metadata",
    "page_limit",
    "route",
    "search_objects",
]

Obj = dict[str, Any]
Handler = Callable[..., Obj]
"""``handler(store, params, *path_args)``: the object to answer."""


class Route(NamedTuple):
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    spec: Spec


def route(method: str, pattern: str, handler: Handler, spec: Spec) -> Route:
    """A route; ``pattern`` matches the whole path, its groups are the handler's arguments."""
    return Route(method, re.compile(pattern), handler, spec)


# --- parameter specs (from the stripe SDK's generated params) ----------------------------

ADDRESS: Spec = {k: "str" for k in ("city", "country", "line1", "line2", "postal_code", "state")}
RETRIEVE: Spec = {"expand": "strs"}
SEARCH: Spec = {"expand": "strs", "limit": "any", "page": "str", "query": "str"}
LIST: dict[str, Spec] = {
    "created": "any",
    "ending_before": "str",
    "expand": "strs",
    "limit": "any",
    "starting_after": "str",
}
INTERVAL = OneOf("day", "month", "week", "year")
DESCRIPTOR = Str(22)  # statement descriptors (Stripe's maxLength)
TAX_BEHAVIOR = OneOf("exclusive", "inclusive", "unspecified")
RECURRING_SIMPLE: Spec = {"interval": INTERVAL, "interval_count": "int"}


def check_currency(value: Any, param: str = "currency") -> str:
    cur = value.lower() if isinstance(value, str) else ""
    if cur not in CURRENCIES:
        raise invalid(
            f"Invalid currency: {value}. Stripe currently supports these currencies: "
            + ", ".join(sorted(CURRENCIES)),
            param,
        )
    return cur


def page_limit(value: Any) -> int:
    n = None if value is None else integer(value, "limit")
    if n is None:
        return 10
    if n < 1:
        raise invalid("This value must be greater than or equal to 1.", "limit")
    if n > 100:
        raise invalid("This value must be less than or equal to 100.", "limit")
    return n


def created_filter(value: Any) -> dict[str, int] | None:
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


def merge_metadata(current: dict[str, str], update: dict[str, str] | None) -> dict[str, str]:
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


def get_object(
    store: Store, kind: str, ident: str, label: str, param: str | None, status: int = 404
) -> Obj:
    obj = store.get(kind, ident)
    if obj is None or obj.get("deleted"):
        raise no_such(label, ident, param, status)
    return obj


def list_objects(
    store: Store,
    kind: str,
    url: str,
    params: Obj,
    *,
    where: dict[str, Any] | None = None,
    keep: Callable[[Obj], bool] | None = None,
    label: str | None = None,
) -> Obj:
    limit = page_limit(params.get("limit"))
    created = created_filter(params.get("created"))
    before = after = None
    starting_after = params.get("starting_after")
    ending_before = params.get("ending_before")
    if starting_after is not None:
        before = store.seq_of(kind, starting_after)
        if before is None:
            raise no_such(label or kind, starting_after, "starting_after", 400)
    elif ending_before is not None:
        after = store.seq_of(kind, ending_before)
        if after is None:
            raise no_such(label or kind, ending_before, "ending_before", 400)
    data, more = store.page(
        kind, limit, where=where, before=before, after=after, created=created, keep=keep
    )
    return {
        "object": "list",
        "data": [public(o) for o in data],
        "has_more": more,
        "url": url,
    }


def changes(before: Obj, after: Obj) -> Obj:
    """An update's ``previous_attributes``: the old values of what changed, as Stripe gives
    them (a changed hash shows only its changed keys, a key it gained as null)."""
    out: Obj = {}
    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        if old == new or key.startswith("sandbox_"):
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            out[key] = changes(old, new)
        else:
            out[key] = old
    return out


def search_objects(
    store: Store, kind: str, params: Obj, fields: frozenset[str], resource: str
) -> Obj:
    """One page of ``/v1/<resource>/search``: Stripe's query over ``fields``, newest first."""
    query = params.get("query")
    if query is None:
        raise missing_param("query")
    pred = compile_query(query, fields, resource)
    limit = page_limit(params.get("limit"))
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
    for seq, data in store.scan(kind, before=before):
        obj: Obj = json.loads(data)
        if obj.get("deleted") or not pred(obj):
            continue
        if len(out) == limit:
            more = True
            break
        out.append(public(obj))
        last_seq = seq
    next_page = base64.urlsafe_b64encode(f"seq:{last_seq}".encode()).decode() if more else None
    return {
        "object": "search_result",
        "data": out,
        "has_more": more,
        "next_page": next_page,
        "url": f"/v1/{resource}/search",
    }
