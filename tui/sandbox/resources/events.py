"""Events: every change of state is recorded as a Stripe Event (`/v1/events`).

Handlers call `record_event(store, "customer.updated", obj, previous)` after they write; the
event is stored in the same transaction as the change it describes.
"""

from __future__ import annotations

import copy
from typing import Any

from ..objects import new_id, now
from ..store import Store

Obj = dict[str, Any]


def record_event(store: Store, type: str, obj: Obj, previous_attributes: Obj | None = None) -> Obj:
    """Store an event of `type` whose `data.object` is a copy of `obj` as it is now."""
    data: Obj = {"object": copy.deepcopy(obj)}
    if previous_attributes is not None:
        data["previous_attributes"] = previous_attributes
    event: Obj = {
        "id": new_id("evt"),
        "object": "event",
        "api_version": None,
        "created": now(),
        "data": data,
        "livemode": False,
        "pending_webhooks": 0,
        "request": {"id": None, "idempotency_key": None},
        "type": type,
    }
    store.insert(event)
    return event
