"""The detail panes of a customer and of a payment intent show that object's own events."""

from __future__ import annotations

import io
from collections.abc import Callable

from rich.console import Console
from textual.widgets import Static

from screens.events import timeline
from tests.functional.helpers import settle
from tests.functional.test_console import screen_text
from tests.functional.test_payments import open_payments, seed_paid
from tui.app import StripeApp
from tui.gateway import Gateway, new_idempotency_key
from widgets.detail import DetailPane

AppFactory = Callable[..., StripeApp]


def detail_text(app: StripeApp, pane_id: str) -> str:
    """Every row of a detail pane as drawn at 100 columns, scrolled into view or not."""
    rows = app.screen.query_one(f"#{pane_id}", DetailPane).query_one("#detail-rows", Static)
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(rows.content)
    return console.export_text()


async def test_a_customers_timeline_is_its_own_events_newest_first(
    make_app: AppFactory, gateway: Gateway
) -> None:
    other = gateway.create_customer({"email": "other@example.com"}, new_idempotency_key())
    jo = gateway.create_customer({"email": "jo@example.com", "name": "Jo"}, new_idempotency_key())
    gateway.update_customer(jo["id"], {"name": "Jo Smith"}, new_idempotency_key())
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "timeline" in text
        updated, created = text.index("customer.updated"), text.index("customer.created")
        assert updated < created  # newest first
        assert text.count("customer.created") == 1  # the other customer's is not in it
        await pilot.press("j")  # the other customer: its own timeline replaces Jo's
        await settle(pilot)
        text = screen_text(app)
        assert "customer.updated" not in text and "customer.created" in text
    assert other["id"] != jo["id"]


async def test_an_intents_timeline_stays_when_its_charge_arrives(
    make_app: AppFactory, gateway: Gateway
) -> None:
    paid = seed_paid(gateway)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_payments(pilot)
        await settle(pilot)
        text = detail_text(app, "intent-detail")
        assert "payment_intent.succeeded" in text and "payment_intent.created" in text
        assert text.index("payment_intent.succeeded") < text.index("payment_intent.created")
        assert "refundable" in text  # the charge arrived after the timeline was asked for
    assert paid["status"] == "succeeded"


def test_an_object_without_events_says_how_many_were_read(gateway: Gateway) -> None:
    gateway.create_customer({"email": "a@example.com"}, new_idempotency_key())
    assert timeline(gateway, "cus_nobody", "customer") == (
        "— (none among the newest 1 customer events)"
    )
