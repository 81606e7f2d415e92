"""Search (``/v1/<resource>/search``) over payment intents and charges, in Stripe's query syntax.

Fields are read through a flat view of the object (``payment_method_details.card.last4`` is one
key; booleans are ``"true"``/``"false"``), as Stripe's search documents them.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from typing import Any

from ..errors import invalid, missing_param
from ..params import INT64_MAX
from ..search import compile_query
from ..store import Store
from .common import Obj, page_limit

SEARCH: dict[str, Any] = {"expand": "strs", "limit": "any", "page": "str", "query": "str"}


def _view(obj: Obj, fields: Iterable[str]) -> Obj:
    out: Obj = {}
    for name in fields:
        value: Any = obj
        for part in name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, bool):
            value = "true" if value else "false"
        out[name] = value
    return out


def search(store: Store, kind: str, params: Obj, fields: frozenset[str], resource: str) -> Obj:
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
        if not pred(_view(obj, fields)):
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
        "url": f"/v1/{resource}/search",
    }
