"""The route table: every resource's ROUTES, matched by method and path; expansion of answers."""

from __future__ import annotations

from typing import Any

from .errors import StripeError, invalid
from .objects import public
from .params import Spec, check
from .resources import (
    charges,
    customers,
    events,
    payment_intents,
    payment_links,
    payment_methods,
    prices,
    products,
    refunds,
)
from .resources.common import Handler, Obj, Route
from .store import Store

__all__ = ["ROUTES", "Router"]

ROUTES: list[Route] = [
    *customers.ROUTES,
    *products.ROUTES,
    *prices.ROUTES,
    *payment_links.ROUTES,
    *payment_intents.ROUTES,
    *payment_methods.ROUTES,
    *charges.ROUTES,
    *refunds.ROUTES,
    *events.ROUTES,
]


class Router:
    """Runs requests over a :class:`Store`: the handler of the route, then ``expand``."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._by_method: dict[str, list[Route]] = {}
        for r in ROUTES:
            self._by_method.setdefault(r.method, []).append(r)

    def match(self, method: str, path: str) -> tuple[Handler, Spec, tuple[str, ...]] | None:
        """The route of a request; ``search`` is never an id (it is a route, or unrecognized)."""
        for r in self._by_method.get(method, ()):
            m = r.pattern.fullmatch(path)
            if m is not None and "search" not in m.groups():
                return r.handler, r.spec, m.groups()
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
        result = handler(self.store, params, *args)
        expand = params.get("expand")
        if expand:
            self._expand(result, expand)
        return result

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
        if obj.get("object") in ("list", "search_result") and head == "data":
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
