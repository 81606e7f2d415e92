"""Go to anything: "Go to an id" opens every kind of object, by id or by Dashboard URL, on its
screen; what is not there changes nothing; hostile input is refused as typed; `o` copies the
Dashboard URL of the selected object for the console's mode."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import stripe
from rich.console import Console
from textual import events
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Static

from screens.base import ConsoleScreen
from screens.catalog import CatalogScreen
from screens.customers import CustomersScreen
from screens.events import EventsScreen
from screens.payments import PaymentsScreen
from tests.functional.helpers import field_message, fill, form, notes, settle, submit
from tests.functional.test_console import help_text
from tui.app import StripeApp
from tui.settings import Mode
from widgets.detail import DetailPane
from widgets.inspector import JsonInspector

AppFactory = Callable[..., StripeApp]


@dataclass
class Seeded:
    """One object of every kind, made through the SDK, as a script or the Dashboard would."""

    customer: str
    other_customer: str
    product: str
    price: str
    link: str
    intent: str
    charge: str
    refund: str
    method: str
    event: str
    orphan_charge: str | None = None


@pytest.fixture
def seeded(stripe_client: stripe.StripeClient) -> Seeded:
    client = stripe_client.v1
    customer = client.customers.create(params={"email": "ada@example.com", "name": "Ada"})
    other = client.customers.create(params={"email": "bob@example.com", "name": "Bob"})
    product = client.products.create(params={"name": "Tea"})
    # archived: not in the Catalog's lists until it is opened by id
    price = client.prices.create(
        params={"product": product.id, "unit_amount": 450, "currency": "usd", "active": False}
    )
    listed = client.prices.create(
        params={"product": product.id, "unit_amount": 500, "currency": "usd"}
    )
    # newer: listed first, so the Catalog opens on Coffee before the goto moves to Tea
    coffee = client.products.create(params={"name": "Coffee"})
    client.prices.create(params={"product": coffee.id, "unit_amount": 300, "currency": "usd"})
    link = client.payment_links.create(params={"line_items": [{"price": listed.id, "quantity": 1}]})
    intent = client.payment_intents.create(
        params={
            "amount": 2000,
            "currency": "usd",
            "customer": customer.id,
            "payment_method": "pm_card_visa",
            "confirm": True,
            "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"},
        }
    )
    refund = client.refunds.create(params={"payment_intent": intent.id, "amount": 500})
    method = client.payment_methods.create(params={"type": "card", "card": {"token": "tok_visa"}})
    event = client.events.list(params={"type": "customer.created", "limit": 1}).data[0]
    charge = intent.latest_charge
    assert isinstance(charge, str)
    return Seeded(
        customer=customer.id,
        other_customer=other.id,
        product=product.id,
        price=price.id,
        link=link.id,
        intent=intent.id,
        charge=charge,
        refund=refund.id,
        method=method.id,
        event=event.id,
    )


def detail_text(app: StripeApp) -> str:
    """The current screen's (first) detail pane, as drawn."""
    rows = app.screen.query_one(DetailPane).query_one("#detail-rows", Static)
    console = Console(width=200, file=io.StringIO())
    console.print(rows.content)
    output = console.file
    assert isinstance(output, io.StringIO)
    return output.getvalue()


async def go_to(pilot: Pilot[Any], text: str, *, palette: bool = False) -> None:
    """Open "Go to an id" (from the palette, or as its entry does), type `text`, submit."""
    app = pilot.app
    if palette:
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"go to an id")
        await settle(pilot)
        await pilot.press("enter")
    else:
        screen = app.screen
        assert isinstance(screen, ConsoleScreen)
        screen.go_to_id()
    await settle(pilot)
    assert form(app).spec.title == "Go to an id"
    await fill(pilot, target=text)
    await submit(pilot)
    await settle(pilot)


async def check_opened(app: StripeApp, pilot: Pilot[Any], data: Seeded, ident: str) -> None:
    """`ident` (or the intent it belongs to) is shown on its screen."""
    screen = app.screen
    if ident in (data.customer, data.other_customer):
        assert isinstance(screen, CustomersScreen) and app.current_mode == "customers"
        assert screen.table.selected is not None and screen.table.selected["id"] == ident
        assert ident in detail_text(app)
    elif ident in (data.product, data.price, data.link):
        assert isinstance(screen, CatalogScreen) and app.current_mode == "catalog"
        tables = {data.product: screen.products, data.price: screen.prices, data.link: screen.links}
        selected = tables[ident].selected
        assert tables[ident].has_focus
        assert selected is not None and selected["id"] == ident
        assert ident in detail_text(app)
        if ident == data.price:  # under its product
            assert screen.products.selected is not None
            assert screen.products.selected["id"] == data.product
    elif ident in (data.intent, data.charge, data.refund):
        assert isinstance(screen, PaymentsScreen) and app.current_mode == "payments"
        assert screen.shown is not None and screen.shown["id"] == data.intent
        assert screen.table.selected is not None and screen.table.selected["id"] == data.intent
        assert data.intent in detail_text(app)
        if ident != data.intent:
            assert f"{ident} belongs to {data.intent}" in notes(app)
    elif ident == data.method:
        assert isinstance(screen, JsonInspector) and screen.title_text == ident
        assert f'"id": "{ident}"' in screen.text
        await pilot.press("escape")
        await pilot.pause()
    else:
        assert isinstance(screen, EventsScreen) and app.current_mode == "events"
        assert [event["id"] for event in screen.table.items] == [ident]
        assert ident in detail_text(app)


def every_id(data: Seeded) -> list[str]:
    return [
        data.customer,
        data.price,
        data.intent,
        data.product,
        data.method,
        data.charge,
        data.link,
        data.refund,
        data.event,
    ]


PATHS = {
    "cus_": "customers",
    "prod_": "products",
    "price_": "prices",
    "plink_": "payment-links",
    "pi_": "payments",
    "ch_": "payments",
    "re_": "refunds",
    "pm_": "payment_methods",
    "evt_": "events",
}


def dashboard_test_url(ident: str, *, account: bool = False) -> str:
    path = PATHS[ident[: ident.index("_") + 1]]
    prefix = "/acct_1Nv0FGQ9RKHgCVdK" if account else ""
    return f"https://dashboard.stripe.com{prefix}/test/{path}/{ident}?tab=x#frag"


# Opening every kind ----------------------------------------------------------------------------


async def test_every_kind_by_id_opens_the_right_object(
    make_app: AppFactory, seeded: Seeded
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        for number, ident in enumerate(every_id(seeded)):
            app.clear_notifications()
            await go_to(pilot, ident, palette=number == 0)
            await check_opened(app, pilot, seeded, ident)


async def test_every_kind_by_dashboard_url_opens_the_right_object(
    make_app: AppFactory, seeded: Seeded
) -> None:
    app = make_app(read_only=True)  # going somewhere only reads
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        for number, ident in enumerate(every_id(seeded)):
            app.clear_notifications()
            url = dashboard_test_url(ident, account=number % 2 == 1)
            await go_to(pilot, url, palette=number == 0)
            await check_opened(app, pilot, seeded, ident)


async def test_a_customer_outside_the_list_is_shown_with_the_list_filtered_to_it(
    make_app: AppFactory, seeded: Seeded
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CustomersScreen)
        # the list shows Bob alone (an email filter): Ada is not in it
        await pilot.press("slash")
        await pilot.press(*"bob@example.com", "enter")
        await settle(pilot)
        assert [c["id"] for c in screen.table.items] == [seeded.other_customer]
        await go_to(pilot, seeded.customer)
        assert [c["id"] for c in screen.table.items] == [seeded.customer]
        await check_opened(app, pilot, seeded, seeded.customer)
        await pilot.press("escape")  # clears the filter, as for a typed one
        await settle(pilot)
        assert len(screen.table.items) == 2


# Not found, hostile input ----------------------------------------------------------------------


async def test_an_object_that_is_not_there_changes_nothing(
    make_app: AppFactory, seeded: Seeded
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        catalog = app.screen
        assert isinstance(catalog, CatalogScreen)
        products = catalog.products
        before = products.selected
        for typed, says in [
            ("cus_doesnotexist", "No such customer: cus_doesnotexist"),
            (
                "https://dashboard.stripe.com/test/payments/pi_nope",
                "No such payment intent: pi_nope",
            ),
            ("evt_nope", "No such event: evt_nope"),
            ("https://dashboard.stripe.com/refunds/re_nope", "No such refund: re_nope"),
        ]:
            app.clear_notifications()
            await go_to(pilot, typed)
            assert says in notes(app)
            # the form stays open with what was typed and Stripe's word on it
            screen = form(app)
            assert screen.raw_value(screen.spec.fields[0]) == typed
            await pilot.press("escape", "escape")  # typed: the first escape asks
            await settle(pilot)
            assert app.current_mode == "catalog" and app.screen is catalog
            assert products.selected == before
        # a live-mode URL in a test console: the note says why it may be missing
        assert "live-mode URL" in not_found_note(seeded)


def not_found_note(data: Seeded) -> str:
    from screens.goto import not_found
    from tui.dashboard import parse

    return not_found(parse(f"https://dashboard.stripe.com/customers/{data.customer}"), Mode.TEST)


HOSTILE = [
    ("[b]cus_1[/b]", "'[b]cus_1[/b]'"),
    ("[red]Bold", "'[red]Bold'"),
    ("javascript:alert(document.cookie)", "'javascript:alert(document.cookie)'"),
    ("cus_1\\x1b[31m", "'cus_1\\\\x1b[31m'"),
    ("https://dashboard.stripe.com.evil.example/test/customers/cus_1", "Not a Stripe Dashboard"),
    ("x" * 100_000, "Too long (100,000 characters)"),
    ("in_1MtHbELkdIwHu7ixl4OzzPMv", "not in_"),
]


async def test_hostile_input_is_refused_as_typed_and_nothing_is_sent(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        sent = len(app.gateway.request_log.entries())
        await go_to(pilot, "")
        for typed, shown in HOSTILE:
            await fill(pilot, target=typed)
            await submit(pilot)
            assert shown in field_message(form(app), "target"), typed[:80]
        assert len(app.gateway.request_log.entries()) == sent
        assert app.current_mode == "customers"


async def test_a_pasted_escape_sequence_is_refused_shown_escaped(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CustomersScreen)
        screen.go_to_id()
        await settle(pilot)
        app.post_message(events.Paste("cus_1\x1b[2J"))
        await pilot.pause()
        await submit(pilot)
        message = field_message(form(app), "target")
        assert "\\x1b[2J" in message and "\x1b" not in message, message


# o: the Dashboard URL of the selected object ---------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "base", "sandbox_note"),
    [
        (Mode.SANDBOX, "https://dashboard.stripe.com/test", True),
        (Mode.TEST, "https://dashboard.stripe.com/test", False),
        (Mode.LIVE, "https://dashboard.stripe.com", False),
    ],
)
async def test_o_copies_the_dashboard_url_for_the_mode(
    make_app: AppFactory, seeded: Seeded, mode: Mode, base: str, sandbox_note: bool
) -> None:
    app = make_app(mode=mode, read_only=mode is Mode.LIVE)  # o only reads
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        customers = app.screen
        assert isinstance(customers, CustomersScreen)
        selected = customers.table.selected
        assert selected is not None
        await pilot.press("o")
        assert app.clipboard == f"{base}/customers/{selected['id']}"
        assert app.clipboard in notes(app)
        assert ("not on Stripe" in notes(app)) is sandbox_note
        # Catalog: the focused table's selection
        await pilot.press("2")
        await settle(pilot)
        catalog = app.screen
        assert isinstance(catalog, CatalogScreen)
        product = catalog.products.selected
        assert product is not None and product["name"] == "Coffee"
        await pilot.press("o")
        assert app.clipboard == f"{base}/products/{product['id']}"
        catalog.links.focus()
        await settle(pilot)
        await pilot.press("o")
        assert app.clipboard == f"{base}/payment-links/{seeded.link}"
        # Payments: the intent, then its refund
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("o")
        assert app.clipboard == f"{base}/payments/{seeded.intent}"
        payments = app.screen
        assert isinstance(payments, PaymentsScreen)
        payments.refunds.focus()
        await settle(pilot)
        await pilot.press("o")
        assert app.clipboard == f"{base}/refunds/{seeded.refund}"
        # Events
        await pilot.press("4")
        await settle(pilot)
        events = app.screen
        assert isinstance(events, EventsScreen) and events.table.selected is not None
        await pilot.press("o")
        assert app.clipboard == f"{base}/events/{events.table.selected['id']}"


async def test_o_is_listed_in_help_and_not_on_the_request_log(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        shown = help_text(app)
        assert "Copy Dashboard URL" in shown and "Go to an id" in shown
        await pilot.press("escape", "5")
        await settle(pilot)
        app.clear_notifications()
        await pilot.press("o")
        await settle(pilot)
        assert app.clipboard == ""
        assert not app._notifications
