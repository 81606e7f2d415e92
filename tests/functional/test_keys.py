"""Keys typed with no pause between them, as a fast typist or one SSH packet sends them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import Input

from tests.functional.helpers import form, settle
from tui.app import StripeApp
from tui.gateway import Gateway
from widgets.form import FormScreen

AppFactory = Callable[..., StripeApp]

NAMED = {
    "tab": "\t",
    "enter": "\r",
    "escape": "\x1b",
    "slash": "/",
    "ctrl+p": "\x10",
    "ctrl+s": "\x13",
}


def key_event(key: str) -> events.Key:
    """The event the terminal driver makes for one key ("a", "@", "tab", "shift+tab")."""
    if len(key) == 1:
        return events.Key(key if key.isalnum() else _character_to_key(key), key)
    return events.Key(key, NAMED.get(key))


async def burst(pilot: Pilot[Any], *keys: str) -> None:
    """Queue every key on the app at once, as one write to the terminal does, then settle.

    `pilot.press` waits for the app to go idle after each key; this does not.
    """
    app = pilot.app
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app.post_message(event)
    await settle(pilot)  # which waits for the keys the app holds back, too


def typed(text: str) -> list[str]:
    return list(text)


def value_of(app: StripeApp, name: str) -> str:
    control = form(app).control(name)
    assert isinstance(control, Input)
    return control.value


async def test_new_customer_burst_fills_the_fields_meant(
    make_app: AppFactory, gateway: Gateway
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await burst(pilot, "n", *typed("zed@example.com"), "tab", *typed("Zed"), "tab")
        assert value_of(app, "email") == "zed@example.com"
        assert value_of(app, "name") == "Zed"
        assert app.focused is form(app).control("description")
        await burst(pilot, "ctrl+s")
        customers = gateway.list_customers(10).items
        assert [(c["email"], c["name"]) for c in customers] == [("zed@example.com", "Zed")]


async def test_enter_and_shift_tab_move_before_the_next_key(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await burst(pilot, "n", *typed("a@b.co"), "enter", *typed("Zed"), "enter", *typed("VIP"))
        assert value_of(app, "email") == "a@b.co"
        assert value_of(app, "name") == "Zed"
        assert value_of(app, "description") == "VIP"
        await burst(pilot, "shift+tab", "shift+tab")
        assert app.focused is not None and app.focused.id == "input-email"
        await burst(pilot, "escape", "escape")  # typed changes: the first escape asks
        assert app.screen.__class__.__name__ == "CustomersScreen"


async def test_palette_action_then_typing(make_app: AppFactory, gateway: Gateway) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await burst(
            pilot, "ctrl+p", *typed("create a stripe customer"), "enter", *typed("pal@example.com")
        )
        assert form(app).spec.title == "Create a Stripe customer"
        assert value_of(app, "email") == "pal@example.com"


async def test_filter_then_typing(make_app: AppFactory, gateway: Gateway) -> None:
    gateway.create_customer({"email": "bob@example.org"}, "keys-bob")
    gateway.create_customer({"email": "ann@example.org"}, "keys-ann")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await burst(pilot, "slash", *typed("bob@example.org"), "enter")
        screen = app.screen
        assert screen.query_one("#filter", Input).value == "bob@example.org"
        table = screen.query_one("#customers")
        assert [c["email"] for c in table.items] == ["bob@example.org"]  # type: ignore[attr-defined]


async def test_pasted_text_goes_where_the_keys_before_it_left_the_focus(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        for event in (
            key_event("n"),
            events.Paste("zed@example.com"),
            key_event("tab"),
            events.Paste("Zed [b]Rosen[/b]"),
        ):
            event.set_sender(app)
            app.post_message(event)
        await settle(pilot)  # which waits for the keys the app holds back, too
        assert value_of(app, "email") == "zed@example.com"
        assert value_of(app, "name") == "Zed [b]Rosen[/b]"


# Catalog and Payments ----------------------------------------------------------------------------


async def open_mode(pilot: Pilot[Any], key: str) -> None:
    await pilot.press(key)
    await settle(pilot)


async def test_catalog_p_and_l(make_app: AppFactory, gateway: Gateway) -> None:
    product = gateway.create_product({"name": "Gold"}, "keys-product")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_mode(pilot, "2")
        await burst(pilot, "p", *typed("12.50"), "ctrl+s")
        prices = gateway.list_prices(10).items
        assert [(p["product"], p["unit_amount"]) for p in prices] == [(product["id"], 1250)]
        await burst(pilot, "l", *typed(prices[0]["id"]), "ctrl+s")
        links = gateway.list_payment_links(10).items
        assert len(links) == 1
        assert form_closed(app)


def form_closed(app: StripeApp) -> bool:
    return not isinstance(app.screen, FormScreen)


async def test_payments_n_c_f(make_app: AppFactory, gateway: Gateway) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_mode(pilot, "3")
        await burst(pilot, "n", *typed("12.50"), "ctrl+s")
        intents = gateway.list_payment_intents(10).items
        assert [(i["amount"], i["currency"]) for i in intents] == [(1250, "usd")]
        # The intent is selected: c opens on the test card; tab goes to "any pm_ id".
        await burst(pilot, "c", "tab", *typed("pm_card_mastercard"), "ctrl+s")
        intent = gateway.retrieve_payment_intent(intents[0]["id"])
        assert intent["status"] == "succeeded"
        charge = gateway.retrieve_charge(intent["latest_charge"])
        assert charge["payment_method_details"]["card"]["brand"] == "mastercard"
        # f loads the payment first; the keys wait for its form.
        await burst(pilot, "f", *typed("4.00"), "ctrl+s")
        refunds = gateway.list_refunds(10).items
        assert [r["amount"] for r in refunds] == [400]
