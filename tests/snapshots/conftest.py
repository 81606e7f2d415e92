"""The snapshot tests' one fixture gateway: fixed Stripe-shaped objects, so that ids and times
never change between runs.

`FixtureGateway` is a `Gateway` (nothing of the `stripe` SDK is mocked: it is just another
gateway object) whose operations answer from a `Fixtures` set instead of the network. Each test
module gives the set its screen shows; `fixture_app` makes the app on it (a plain function, so
that tests elsewhere, such as test_small_terminals, make the same apps).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from tests.functional.helpers import settle
from tui.app import StripeApp
from tui.gateway import ErrorKind, Gateway, GatewayError, Obj, Page
from tui.requestlog import RequestLog
from tui.settings import Mode, SecretKey, Settings

T0 = 1_767_225_600
"""2026-01-01 00:00 UTC: every fixture's times count from it."""


@dataclass
class Fixtures:
    """The objects a fixture gateway answers with; writes named in `failures` fail so."""

    customers: list[Obj] = field(default_factory=list)
    intents: list[Obj] = field(default_factory=list)
    charges: dict[str, Obj] = field(default_factory=dict)
    refunds: dict[str, list[Obj]] = field(default_factory=dict)
    """By payment intent id."""
    saved_methods: dict[str, list[Obj]] = field(default_factory=dict)
    """By customer id."""
    products: list[Obj] = field(default_factory=list)
    prices: list[Obj] = field(default_factory=list)
    links: list[Obj] = field(default_factory=list)
    link_items: dict[str, list[tuple[Obj, int]]] = field(default_factory=dict)
    """By payment link id: (price, quantity)."""
    events: list[Obj] = field(default_factory=list)
    """Newest first, as Stripe lists them."""
    requests: Callable[[], RequestLog] | None = None
    """Makes what the request log screen shows, a new log for each app (None: an empty log)."""
    failures: dict[str, GatewayError] = field(default_factory=dict)
    """By operation name: the error it raises, as Stripe would answer."""


class FixtureGateway(Gateway):
    """The operations the screens use, answered from fixed data."""

    def __init__(self, fixtures: Fixtures, key: str = "sk_test_snapshots_0000") -> None:
        log = fixtures.requests() if fixtures.requests is not None else None
        super().__init__(SecretKey(key), "http://fixture.invalid", request_log=log)
        self.fixtures = fixtures

    def warm_up(self) -> None:
        pass

    def _fail(self, operation: str) -> None:
        if operation in self.fixtures.failures:
            raise self.fixtures.failures[operation]

    # Customers -----------------------------------------------------------------------------

    def list_customers(
        self, limit: int = 10, cursor: str | None = None, *, email: str | None = None, **_: Any
    ) -> Page:
        items = [c for c in self.fixtures.customers if email is None or c["email"] == email]
        return Page(items[:limit], None)

    def search_customers(self, query: str, limit: int = 10, cursor: str | None = None) -> Page:
        text = query.split('"')[1].lower() if '"' in query else query.lower()
        items = [
            c
            for c in self.fixtures.customers
            if text in (c["name"] or "").lower() or text in c["email"].lower()
        ]
        return Page(items[:limit], None)

    def retrieve_customer(self, customer_id: str) -> Obj:
        for customer in self.fixtures.customers:
            if customer["id"] == customer_id:
                return customer
        raise GatewayError(
            ErrorKind.NOT_FOUND,
            f"No such customer: '{customer_id}'",
            param="id",
            code="resource_missing",
            request_id="req_Snap0001",
            http_status=404,
        )

    def list_customer_payment_methods(
        self, customer_id: str, limit: int = 10, cursor: str | None = None, **_: Any
    ) -> Page:
        return Page(copy.deepcopy(self.fixtures.saved_methods.get(customer_id, [])), None)

    # Payments ------------------------------------------------------------------------------

    def list_payment_intents(
        self,
        limit: int = 10,
        cursor: str | None = None,
        *,
        customer: str | None = None,
        expand_latest_charge: bool = False,
    ) -> Page:
        intents = [i for i in self.fixtures.intents if customer in (None, i.get("customer"))]
        items = copy.deepcopy(intents[:limit])
        for item in items:
            if expand_latest_charge and item.get("latest_charge") in self.fixtures.charges:
                item["latest_charge"] = copy.deepcopy(self.fixtures.charges[item["latest_charge"]])
        return Page(items, None)

    def retrieve_payment_intent(self, payment_intent_id: str) -> Obj:
        return copy.deepcopy(next(i for i in self.fixtures.intents if i["id"] == payment_intent_id))

    def search_payment_intents(
        self,
        query: str,
        limit: int = 10,
        cursor: str | None = None,
        *,
        expand_latest_charge: bool = False,
    ) -> Page:
        """The volume chart's search (status:"succeeded"); the fixtures' days are long past."""
        items = [i for i in self.fixtures.intents if f'status:"{i["status"]}"' in query]
        return Page(copy.deepcopy(items[:limit]), None)

    def retrieve_charge(self, charge_id: str) -> Obj:
        return copy.deepcopy(self.fixtures.charges[charge_id])

    def list_refunds(
        self, limit: int = 10, cursor: str | None = None, *, payment_intent: str | None = None
    ) -> Page:
        return Page(copy.deepcopy(self.fixtures.refunds.get(payment_intent or "", [])), None)

    # Catalog -------------------------------------------------------------------------------

    def list_products(
        self, limit: int = 10, cursor: str | None = None, *, active: bool | None = None
    ) -> Page:
        items = [p for p in self.fixtures.products if active is None or p["active"] is active]
        return Page(items[:limit], None)

    def list_prices(
        self,
        limit: int = 10,
        cursor: str | None = None,
        *,
        product: str | None = None,
        active: bool | None = None,
    ) -> Page:
        items = [
            p
            for p in self.fixtures.prices
            if (product is None or p["product"] == product)
            and (active is None or p["active"] is active)
        ]
        return Page(items[:limit], None)

    def list_payment_links(
        self, limit: int = 10, cursor: str | None = None, *, expand_line_items: bool = False
    ) -> Page:
        links = self.fixtures.links[:limit]
        if expand_line_items:
            links = [
                {**link, "line_items": {"object": "list", "data": self._items(link["id"])}}
                for link in links
            ]
        return Page(links, None)

    def list_payment_link_items(self, payment_link_id: str, **_: Any) -> Page:
        return Page(self._items(payment_link_id), None)

    def _items(self, payment_link_id: str) -> list[Obj]:
        return [
            {
                "id": f"li_{n}",
                "object": "item",
                "amount_total": (p["unit_amount"] or 0) * quantity,
                "currency": p["currency"],
                "price": p,
                "quantity": quantity,
            }
            for n, (p, quantity) in enumerate(self.fixtures.link_items.get(payment_link_id, []))
        ]

    # Events --------------------------------------------------------------------------------

    def list_events(
        self, limit: int = 10, cursor: str | None = None, *, type: str | None = None, **_: Any
    ) -> Page:
        prefix = (type or "").rstrip("*")
        items = [e for e in self.fixtures.events if e["type"].startswith(prefix)]
        return Page(items[:limit], None)

    def retrieve_event(self, event_id: str) -> Obj:
        return next(e for e in self.fixtures.events if e["id"] == event_id)

    # Writes: only the failures a snapshot shows --------------------------------------------

    def create_price(self, **_: Any) -> Obj:  # type: ignore[override]
        self._fail("create_price")
        raise NotImplementedError("create_price")

    def create_payment_link(self, **_: Any) -> Obj:  # type: ignore[override]
        self._fail("create_payment_link")
        raise NotImplementedError("create_payment_link")


def fixture_app(
    fixtures: Fixtures,
    *,
    mode: Mode = Mode.SANDBOX,
    key: str = "sk_test_snapshots_0000",
    api_base: str | None = None,
    key_source: str = "tests",
    gateway: Callable[[Fixtures, str], Gateway] = FixtureGateway,
) -> StripeApp:
    """The app on a fixture gateway; the banner shows `mode`, `key` and `api_base`."""
    settings = Settings(api_key=SecretKey(key), mode=mode, api_base=api_base, key_source=key_source)
    return StripeApp(settings, gateway=gateway(fixtures, key))


async def steady(pilot: Pilot[Any]) -> None:
    """Wait until the app is done (workers, debounces, messages) and stop every cursor
    blinking, so the picture is stable."""
    await settle(pilot)
    for screen in pilot.app.screen_stack:
        for widget in screen.query(Input):
            widget.cursor_blink = False
    await pilot.pause()
