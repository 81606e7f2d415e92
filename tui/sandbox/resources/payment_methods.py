"""Payment methods: the test cards (``pm_card_visa``...) made real, attached, retrieved."""

from __future__ import annotations

from ..errors import no_such
from ..objects import TEST_CARDS, payment_method, public
from ..store import Store
from .common import RETRIEVE, Obj, get_object, route


def attach(store: Store, pm_id: str, customer: str) -> None:
    if pm_id in TEST_CARDS:
        pm = payment_method(pm_id, customer)
        store.insert(pm)
        return
    found = store.get("payment_method", pm_id)
    if found is None:
        raise no_such("PaymentMethod", pm_id, "payment_method", 400)
    found["customer"] = customer
    store.update(found)


def resolve_payment_method(store: Store, pm_id: str) -> Obj:
    if pm_id in TEST_CARDS:
        pm = payment_method(pm_id)
        store.insert(pm)
        return pm
    stored = store.get("payment_method", pm_id)
    if stored is None:
        raise no_such("PaymentMethod", pm_id, "payment_method", 400)
    return stored


def retrieve_payment_method(store: Store, params: Obj, ident: str) -> Obj:
    return public(get_object(store, "payment_method", ident, "PaymentMethod", "payment_method"))


ROUTES = [
    route("GET", r"/v1/payment_methods/([^/]+)", retrieve_payment_method, RETRIEVE),
]
