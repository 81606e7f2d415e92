"""The Events screen (4) against the sandbox: newest first, paged, filtered, inspected."""

from __future__ import annotations

from collections.abc import Callable

from screens.events import EventFilter, EventsScreen, type_pattern
from tests.functional.conftest import TEST_KEY
from tests.functional.helpers import settle
from tests.functional.test_console import screen_text
from tui.app import StripeApp
from tui.gateway import Gateway
from widgets.inspector import JsonInspector
from widgets.resource_table import ResourceTable

AppFactory = Callable[..., StripeApp]


def seed(gateway: Gateway) -> tuple[str, str]:
    customer = gateway.create_customer({"email": "jenny@example.com", "name": "Jenny"}, "k1")
    gateway.update_customer(customer["id"], {"name": "Jenny Rosen"}, "k2")
    intent = gateway.create_payment_intent(
        amount=500, currency="usd", customer_id=customer["id"], idempotency_key="k3"
    )
    gateway.confirm_payment_intent(
        intent["id"], payment_method="pm_card_visa", idempotency_key="k4"
    )
    return customer["id"], intent["id"]


def events_table(app: StripeApp) -> ResourceTable:
    assert isinstance(app.screen, EventsScreen)
    return app.screen.query_one("#events", ResourceTable)


async def filter_by(pilot: object, text: str) -> None:
    await pilot.press("slash")  # type: ignore[attr-defined]
    await pilot.press(*text, "enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]


def test_filter_words() -> None:
    assert EventFilter.parse("payment_intent.") == EventFilter(type="payment_intent.*")
    assert EventFilter.parse("customer") == EventFilter(type="customer.*")
    assert EventFilter.parse("customer.updated cus_Ab12") == EventFilter(
        type="customer.updated", object_id="cus_Ab12"
    )
    assert EventFilter.parse("evt_123") == EventFilter(event_id="evt_123")
    assert type_pattern("customer.*") == "customer.*"
    assert EventFilter.parse("  ").empty


async def test_events_newest_first_with_detail_and_inspector(
    make_app: AppFactory, gateway: Gateway
) -> None:
    customer_id, intent_id = seed(gateway)
    everything = gateway.list_events(100).items
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        table = events_table(app)
        assert [e["id"] for e in table.items] == [e["id"] for e in everything]
        types = [e["type"] for e in table.items]
        assert types[-2:] == ["customer.updated", "customer.created"]
        assert types[0].startswith(("payment_intent.", "charge."))
        # the update: its detail says what changed; enter shows data.object and
        # previous_attributes
        table.move_cursor(row=types.index("customer.updated"))
        await settle(pilot)
        shown = screen_text(app)
        assert "customer.updated" in shown and customer_id in shown
        assert "changed" in shown and "name" in shown
        await pilot.press("enter")
        await pilot.pause()
        inspector = app.screen
        assert isinstance(inspector, JsonInspector)
        assert inspector.data["object"]["name"] == "Jenny Rosen"
        assert inspector.data["previous_attributes"] == {"name": "Jenny"}
        await pilot.press("escape")
        await pilot.pause()
        assert TEST_KEY not in screen_text(app)
        # request id of the event = the request that made it, as the log recorded it
        assert intent_id


async def test_events_filtered_by_type_prefix_and_by_object(
    make_app: AppFactory, gateway: Gateway
) -> None:
    customer_id, intent_id = seed(gateway)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        table = events_table(app)
        await filter_by(pilot, "customer.")
        assert [e["type"] for e in table.items] == ["customer.updated", "customer.created"]
        sent = app.gateway.request_log.entries()[0]
        assert ["type", "customer.*"] in sent["params"]  # Stripe filters the type
        await pilot.press("escape")
        await settle(pilot)
        await filter_by(pilot, intent_id)
        assert table.items
        assert {e["data"]["object"]["id"] for e in table.items} == {intent_id}
        assert all(e["type"].startswith("payment_intent.") for e in table.items)
        await pilot.press("escape")
        await settle(pilot)
        await filter_by(pilot, f"customer.created {customer_id}")
        assert [e["type"] for e in table.items] == ["customer.created"]
        await pilot.press("escape")
        await settle(pilot)
        await filter_by(pilot, "cus_NoSuchThing1")
        assert table.items == []
        assert "No events of cus_NoSuchThing1" in screen_text(app)


async def test_events_page_as_the_cursor_nears_the_end(
    make_app: AppFactory, gateway: Gateway
) -> None:
    for n in range(110):
        gateway.create_product({"name": f"P{n}"}, f"k{n}")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        table = events_table(app)
        assert len(table.items) == 100 and table.has_more
        await pilot.press("G")
        await settle(pilot)
        assert len(table.items) == 110 and not table.has_more
        assert [e["data"]["object"]["name"] for e in table.items[:2]] == ["P109", "P108"]
