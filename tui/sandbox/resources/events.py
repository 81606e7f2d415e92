"""Events: every change of state is recorded as a Stripe Event (`/v1/events`).

Handlers call `record_event(store, "customer.updated", obj, previous)` after they write; the
event is stored in the same transaction as the change it describes. `common.changes(old, new)`
gives what an `*.updated` event carries. The request that caused an event (its id and
Idempotency-Key) is set by the HTTP layer around each request with `caused_by`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from ..errors import invalid
from ..objects import new_id, now, public
from ..params import Spec
from ..store import Store
from ..versions import API_VERSION
from .common import LIST, RETRIEVE, Obj, get_object, list_objects, route

__all__ = ["ROUTES", "caused_by", "record_event"]

_REQUEST: ContextVar[tuple[str | None, str | None]] = ContextVar(
    "sandbox_request", default=(None, None)
)

MAX_TYPES = 20
"""Stripe's bound on `types[]`."""

EVENT_LIST: Spec = {**LIST, "delivery_success": "bool", "type": "str", "types": "strs"}


@contextmanager
def caused_by(request_id: str, idempotency_key: str | None) -> Iterator[None]:
    """Events recorded inside name this request as their `request`."""
    token = _REQUEST.set((request_id, idempotency_key))
    try:
        yield
    finally:
        _REQUEST.reset(token)


def record_event(store: Store, type: str, obj: Obj, previous_attributes: Obj | None = None) -> Obj:
    """Store an event of `type` whose `data.object` is `obj` as it is now (stored at once, so
    later changes to `obj` are not the event's)."""
    data: Obj = {"object": public(obj)}
    if previous_attributes is not None:
        data["previous_attributes"] = previous_attributes
    request_id, idempotency_key = _REQUEST.get()
    event: Obj = {
        "id": new_id("evt"),
        "object": "event",
        "api_version": API_VERSION,
        "created": now(),
        "data": data,
        "livemode": False,
        "pending_webhooks": 0,
        "request": {"id": request_id, "idempotency_key": idempotency_key},
        "type": type,
    }
    store.insert(event)
    return event


def _type_pattern(pattern: str) -> re.Pattern[str]:
    """`payment_intent.*` -> a regex: `*` stands for any characters, the rest is literal."""
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")))


def list_events(store: Store, params: Obj) -> Obj:
    single = params.get("type")
    types = params.get("types") or None
    if single is not None and types is not None:
        raise invalid("You may only specify one of these parameters: type, types.", "type")
    if types is not None and len(types) > MAX_TYPES:
        raise invalid(
            f"You may pass at most {MAX_TYPES} event types in `types`; you passed {len(types)}.",
            "types",
        )
    where: dict[str, Any] | None = None
    keep: Callable[[Obj], bool] | None = None
    if single is not None and "*" not in single:
        where = {"type": single}
    elif single is not None:
        pattern = _type_pattern(single)
        keep = lambda e: pattern.fullmatch(e["type"]) is not None  # noqa: E731
    elif types is not None:
        wanted = frozenset(types)
        keep = lambda e: e["type"] in wanted  # noqa: E731
    # No webhook endpoint is ever pending or failing here: every event counts as delivered.
    if params.get("delivery_success") is False:
        keep = lambda e: False  # noqa: E731
    return list_objects(store, "event", "/v1/events", params, where=where, keep=keep)


def retrieve_event(store: Store, params: Obj, ident: str) -> Obj:
    return get_object(store, "event", ident, "event", "id")


ROUTES = [
    route("GET", r"/v1/events", list_events, EVENT_LIST),
    route("GET", r"/v1/events/([^/]+)", retrieve_event, RETRIEVE),
]
