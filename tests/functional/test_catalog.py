"""Pilot tests of the Catalog screen against the sandbox: products, prices, payment links."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import stripe
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, Static

from screens.catalog import CatalogScreen
from tests.functional.conftest import TEST_KEY
from tests.functional.helpers import (
    add_fault,
    field_message,
    fill,
    form,
    notes,
    palette_titles,
    settle,
    submit,
)
from tui.app import StripeApp
from tui.gateway import Gateway, Obj
from widgets.detail import DetailPane
from widgets.form import FormScreen

AppFactory = Callable[..., StripeApp]
_keys = iter(range(1_000_000))


def key() -> str:
    return f"test-catalog-{next(_keys)}"


def seed_product(gateway: Gateway, name: str, description: str | None = None) -> Obj:
    params = {"name": name, "description": description}
    return gateway.create_product(params, key())


def seed_price(gateway: Gateway, product: Obj, amount: int = 1250, **kw: Any) -> Obj:
    kw.setdefault("currency", "usd")
    return gateway.create_price(
        product_id=product["id"], unit_amount=amount, idempotency_key=key(), **kw
    )


async def open_catalog(pilot: Pilot[Any]) -> CatalogScreen:
    await pilot.press("2")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CatalogScreen)
    return screen


def value(screen: FormScreen, name: str) -> str:
    control = screen.control(name)
    if isinstance(control, Select):
        return str(control.value)
    assert isinstance(control, Input)
    return control.value


def form_error(screen: FormScreen) -> str:
    return str(screen.query_one("#form-error", Static).content)


def detail_title(screen: CatalogScreen) -> str:
    return str(screen.query_one(DetailPane).border_title)


def ids(items: list[Obj]) -> list[str]:
    return [item["id"] for item in items]


def all_prices(gateway: Gateway) -> list[Obj]:
    return gateway.list_prices(100).items


# Create a product, its prices, a link for each ---------------------------------------------------


async def test_product_prices_and_links(make_app: AppFactory, gateway: Gateway) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_catalog(pilot)
        assert screen.products.has_focus

        # n on the products table: a product, typed with the keyboard
        await pilot.press("n")
        await pilot.pause()
        assert form(app).spec.title == "Create a Stripe product"
        await pilot.press(*"Gold plan")
        await fill(pilot, description="Monthly gold")
        await submit(pilot)
        assert app.screen is screen
        [product] = gateway.list_products(100).items
        assert product["name"] == "Gold plan"
        assert product["description"] == "Monthly gold"
        assert screen.products.selected == product
        assert f"Created product {product['id']}" in notes(app)
        assert screen.prices.border_title == "Prices of Gold plan"

        # p: a one-time price, the product prefilled from the selection
        await pilot.press("p")
        await pilot.pause()
        price_form = form(app)
        assert price_form.spec.title == "Create a Stripe price"
        assert value(price_form, "product_id") == product["id"]
        assert value(price_form, "currency") == "usd"
        # an interval count of 1 (the placeholder) with no interval is a one-time price
        await fill(pilot, unit_amount="12.50", interval_count="1")
        assert "1250" in field_message(price_form, "unit_amount")
        await submit(pilot)
        assert app.screen is screen
        [one_time] = all_prices(gateway)
        assert one_time["unit_amount"] == 1250
        assert one_time["recurring"] is None
        assert screen.prices.selected is not None
        assert screen.prices.selected["id"] == one_time["id"]
        assert screen.prices.has_focus
        assert detail_title(screen) == "Price 12.50 USD one-time"

        # n on the prices table: a price every 3 months
        await pilot.press("n")
        await pilot.pause()
        assert form(app).spec.title == "Create a Stripe price"
        await fill(pilot, unit_amount="30", interval="month", interval_count="3")
        await submit(pilot)
        prices = all_prices(gateway)
        assert len(prices) == 2
        recurring = prices[0]
        assert recurring["product"] == product["id"]
        assert recurring["unit_amount"] == 3000
        assert recurring["recurring"]["interval"] == "month"
        assert recurring["recurring"]["interval_count"] == 3
        assert ids(screen.prices.items) == [recurring["id"], one_time["id"]]
        assert screen.prices.selected is not None
        assert screen.prices.selected["id"] == recurring["id"]
        cells = screen.prices.get_row_at(0)
        assert "30.00 USD" in cells and "every 3 months" in cells

        # l: a payment link for the selected (recurring) price
        await pilot.press("l")
        await pilot.pause()
        link_form = form(app)
        assert link_form.spec.title == "Create a Stripe payment link"
        assert value(link_form, "price_id") == recurring["id"]
        assert value(link_form, "quantity") == "1"
        await submit(pilot)
        assert app.screen is screen
        [first_link] = gateway.list_payment_links(100).items
        assert first_link["url"] in notes(app)
        assert screen.links.has_focus
        assert screen.links.selected is not None
        assert screen.links.selected["id"] == first_link["id"]
        items = gateway.list_payment_link_items(first_link["id"]).items
        assert items[0]["price"]["id"] == recurring["id"]

        # y on the links table copies the url
        await pilot.press("y")
        assert app.clipboard == first_link["url"]

        # back to the prices table, pick the one-time price, n makes a link for it
        await pilot.press("shift+tab")
        await pilot.pause()
        assert screen.prices.has_focus
        await pilot.press("j")
        await settle(pilot)
        assert screen.prices.selected is not None
        assert screen.prices.selected["id"] == one_time["id"]
        await pilot.press("l")
        await pilot.pause()
        assert value(form(app), "price_id") == one_time["id"]
        await fill(pilot, quantity="2")
        await submit(pilot)
        links = gateway.list_payment_links(100).items
        assert len(links) == 2
        second = links[0]
        [item] = gateway.list_payment_link_items(second["id"]).items
        assert item["price"]["id"] == one_time["id"]
        assert item["quantity"] == 2
        assert ids(screen.links.items) == [second["id"], first_link["id"]]
        row = screen.links.get_row_at(0)
        assert one_time["id"] in row
        assert any("2 \u00d7 12.50 USD one-time" in str(cell) for cell in row)
        # u copies the selected link's url from anywhere on the screen
        screen.products.focus()
        await pilot.pause()
        await pilot.press("u")
        assert app.clipboard == second["url"]


async def test_prices_listed_under_their_product(make_app: AppFactory, gateway: Gateway) -> None:
    tea = seed_product(gateway, "Tea")
    coffee = seed_product(gateway, "Coffee")
    tea_prices = [seed_price(gateway, tea, 300), seed_price(gateway, tea, 500)]
    coffee_price = seed_price(gateway, coffee, 450, interval="week", interval_count=2)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_catalog(pilot)
        assert ids(screen.products.items) == [coffee["id"], tea["id"]]
        assert ids(screen.prices.items) == [coffee_price["id"]]
        assert screen.prices.border_title == "Prices of Coffee"
        assert "every 2 weeks" in screen.prices.get_row_at(0)

        await pilot.press("j")
        await settle(pilot)
        assert screen.products.selected == tea
        assert ids(screen.prices.items) == ids(list(reversed(tea_prices)))
        assert {p["product"] for p in screen.prices.items} == {tea["id"]}
        assert screen.prices.border_title == "Prices of Tea"

        await pilot.press("k")
        await settle(pilot)
        assert ids(screen.prices.items) == [coffee_price["id"]]

        # a price typed for the other product shows under that product, selected
        await pilot.press("p")
        await pilot.pause()
        await fill(pilot, product_id=tea["id"], unit_amount="7")
        await submit(pilot)
        newest = all_prices(gateway)[0]
        assert newest["product"] == tea["id"]
        assert screen.products.selected == tea
        assert screen.prices.items[0]["id"] == newest["id"]
        assert screen.prices.selected is not None
        assert screen.prices.selected["id"] == newest["id"]
        assert {p["product"] for p in screen.prices.items} == {tea["id"]}


async def test_tab_cycles_tables_and_n_follows(make_app: AppFactory, gateway: Gateway) -> None:
    seed_product(gateway, "Tea")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_catalog(pilot)
        expected = [("prices", "New price"), ("links", "New link"), ("products", "New product")]
        for table, description in expected:
            await pilot.press("tab")
            await pilot.pause()
            assert app.focused is screen.table(table)
            assert screen.active_bindings["n"].binding.description == description
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.focused is screen.links
        await pilot.press("n")
        await pilot.pause()
        assert form(app).spec.title == "Create a Stripe payment link"


# Currencies --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "typed", "stored", "shown"),
    [
        ("jpy", "500", 500, "500 JPY"),
        ("kwd", "1.234", 1234, "1.234 KWD"),
        ("usd", "0", 0, "0.00 USD"),  # a free price is valid on Stripe
    ],
)
async def test_currency_exponents(
    make_app: AppFactory,
    gateway: Gateway,
    currency: str,
    typed: str,
    stored: int,
    shown: str,
) -> None:
    product = seed_product(gateway, "Ramen")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_catalog(pilot)
        await pilot.press("p")
        await pilot.pause()
        await fill(pilot, currency=currency)
        screen_form = form(app)
        screen_form.control("unit_amount").focus()
        await pilot.press(*typed)
        await pilot.pause()
        assert str(stored) in field_message(screen_form, "unit_amount")
        await submit(pilot)
        [price] = gateway.list_prices(10, product=product["id"]).items
        assert price["unit_amount"] == stored
        assert price["currency"] == currency
        assert shown in screen.prices.get_row_at(0)


# Refused before sending --------------------------------------------------------------------------


async def test_product_without_name_is_refused(make_app: AppFactory, gateway: Gateway) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_catalog(pilot)
        await pilot.press("n")
        await pilot.pause()
        await fill(pilot, description="no name")
        await submit(pilot)
        screen_form = form(app)
        assert field_message(screen_form, "name") == "Required."
        assert value(screen_form, "description") == "no name"
        assert gateway.list_products(100).items == []


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"unit_amount": "12.345"}, "unit_amount", "USD has 2 decimals at most."),
        ({"unit_amount": "12,5"}, "unit_amount", "misplaced thousands separator"),
        ({"unit_amount": "abc"}, "unit_amount", "is not an amount"),
        ({"unit_amount": "5", "currency": "xyz"}, "currency", "not a currency Stripe supports"),
        ({"unit_amount": "5", "currency": "dollars"}, "currency", "three-letter ISO"),
        ({"unit_amount": "500.5", "currency": "jpy"}, "unit_amount", "JPY has no decimals"),
        ({"unit_amount": "5", "interval_count": "2"}, "interval_count", "Only with an interval"),
        (
            {"unit_amount": "5", "interval": "month", "interval_count": "37"},
            "interval_count",
            "At most 36 months",
        ),
        (
            {"unit_amount": "5", "interval": "week", "interval_count": "157"},
            "interval_count",
            "At most 156 weeks",
        ),
        (
            {"unit_amount": "5", "interval": "day", "interval_count": "1096"},
            "interval_count",
            "At most 1095 days",
        ),
        (
            {"unit_amount": "5", "interval": "year", "interval_count": "4"},
            "interval_count",
            "At most 3 years",
        ),
        ({"unit_amount": "5", "interval": "month", "interval_count": "0"}, "interval_count", "1"),
        ({"unit_amount": "5", "product_id": "tea"}, "product_id", "Must start with prod_"),
        ({"unit_amount": "5", "product_id": ""}, "product_id", "Required."),
    ],
)
async def test_refused_price_inputs_never_reach_the_server(
    make_app: AppFactory,
    gateway: Gateway,
    values: dict[str, str],
    field: str,
    message: str,
) -> None:
    seed_product(gateway, "Tea")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_catalog(pilot)
        await pilot.press("p")
        await pilot.pause()
        await fill(pilot, **values)
        await submit(pilot)
        screen_form = form(app)
        assert message in field_message(screen_form, field)
        assert screen_form.query_one(f"#field-{field}").has_class("-error")
        for name, typed in values.items():
            assert value(screen_form, name) == typed
        assert all_prices(gateway) == []


async def test_the_longest_intervals_are_accepted(make_app: AppFactory, gateway: Gateway) -> None:
    seed_product(gateway, "Tea")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_catalog(pilot)
        for interval, count in (("day", "1095"), ("week", "156"), ("month", "36"), ("year", "3")):
            await pilot.press("p")
            await pilot.pause()
            await fill(pilot, unit_amount="5", interval=interval, interval_count=count)
            await submit(pilot)
            assert isinstance(app.screen, CatalogScreen), form_error(form(app))
    stored = {
        (p["recurring"]["interval"], p["recurring"]["interval_count"]) for p in all_prices(gateway)
    }
    assert stored == {("day", 1095), ("week", 156), ("month", 36), ("year", 3)}


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"quantity": "0"}, "quantity", "At least 1."),
        ({"quantity": "two"}, "quantity", "whole number"),
        ({"price_id": "prod_123"}, "price_id", "Must start with price_"),
        ({"price_id": ""}, "price_id", "Required."),
    ],
)
async def test_refused_link_inputs_never_reach_the_server(
    make_app: AppFactory,
    gateway: Gateway,
    values: dict[str, str],
    field: str,
    message: str,
) -> None:
    seed_price(gateway, seed_product(gateway, "Tea"))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_catalog(pilot)
        assert screen.prices.row_count == 1
        await pilot.press("l")
        await pilot.pause()
        await fill(pilot, **values)
        await submit(pilot)
        screen_form = form(app)
        assert message in field_message(screen_form, field)
        assert gateway.list_payment_links(100).items == []


# Errors from the server --------------------------------------------------------------------------


async def test_missing_product_is_marked(make_app: AppFactory, gateway: Gateway) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_catalog(pilot)
        await pilot.press("p")
        await pilot.pause()
        await fill(pilot, product_id="prod_doesnotexist", unit_amount="9.99", interval="year")
        await submit(pilot)
        screen_form = form(app)
        assert "No such product: 'prod_doesnotexist'" in form_error(screen_form)
        assert "No such product" in field_message(screen_form, "product_id")
        assert screen_form.query_one("#field-product_id").has_class("-error")
        assert value(screen_form, "unit_amount") == "9.99"
        assert value(screen_form, "interval") == "year"
        assert all_prices(gateway) == []


async def test_missing_and_inactive_prices_are_marked(
    make_app: AppFactory, gateway: Gateway, stripe_client: stripe.StripeClient
) -> None:
    product = seed_product(gateway, "Tea")
    inactive = stripe_client.v1.prices.create(
        params={"product": product["id"], "unit_amount": 100, "currency": "usd", "active": False}
    )
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_catalog(pilot)
        await pilot.press("a")  # archived prices are listed on request
        await settle(pilot)
        assert screen.prices.items[0]["id"] == inactive.id
        await pilot.press("l")
        await pilot.pause()
        screen_form = form(app)
        assert value(screen_form, "price_id") == inactive.id
        await fill(pilot, quantity="3")
        await submit(pilot)
        assert form(app) is screen_form
        assert f"The price `{inactive.id}` is not active." in form_error(screen_form)
        assert "not active" in field_message(screen_form, "price_id")
        assert value(screen_form, "quantity") == "3"

        await fill(pilot, price_id="price_missing")
        await submit(pilot)
        assert "No such price: 'price_missing'" in form_error(screen_form)
        assert "No such price" in field_message(screen_form, "price_id")
        assert screen_form.query_one("#field-price_id").has_class("-error")
        assert value(screen_form, "quantity") == "3"
        assert gateway.list_payment_links(100).items == []

        # fixed: a good price goes through from the same form
        good = seed_price(gateway, product, 250)
        await fill(pilot, price_id=good["id"])
        await submit(pilot)
        assert app.screen is screen
        [link] = gateway.list_payment_links(100).items
        assert screen.links.selected is not None
        assert screen.links.selected["id"] == link["id"]


# Picking ids -------------------------------------------------------------------------------------


async def test_product_picked_by_name(make_app: AppFactory, gateway: Gateway) -> None:
    tea = seed_product(gateway, "Green tea")
    seed_product(gateway, "Coffee")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_catalog(pilot)
        await pilot.press("p")
        await pilot.pause()
        await fill(pilot, product_id="")
        form(app).control("product_id").focus()  # the form starts after the prefilled id
        await pilot.pause()
        await pilot.press(*"gree")
        await settle(pilot)
        screen_form = form(app)
        options = screen_form.query_one("#suggest-product_id", OptionList)
        assert options.option_count == 1
        await pilot.press("down", "enter")
        await pilot.pause()
        assert value(screen_form, "product_id") == tea["id"]


async def test_price_picked_by_amount(make_app: AppFactory, gateway: Gateway) -> None:
    tea = seed_product(gateway, "Tea")
    wanted = seed_price(gateway, tea, 1999)
    seed_price(gateway, tea, 500)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_catalog(pilot)
        await pilot.press("l")
        await pilot.pause()
        await fill(pilot, price_id="")
        form(app).control("price_id").focus()  # the form starts after the prefilled id
        await pilot.pause()
        await pilot.press(*"19.99")
        await settle(pilot)
        screen_form = form(app)
        options = screen_form.query_one("#suggest-price_id", OptionList)
        assert options.option_count == 1
        assert "19.99 USD one-time" in str(options.get_option_at_index(0).prompt)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert value(screen_form, "price_id") == wanted["id"]


# Palette and read-only ---------------------------------------------------------------------------


TITLES = ("Create a Stripe product", "Create a Stripe price", "Create a Stripe payment link")


async def search_palette(pilot: Pilot[Any], query: str) -> list[str]:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*query)
    await settle(pilot)
    return palette_titles(pilot.app)


async def test_palette_offers_the_three_actions(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        titles = await search_palette(pilot, "Create a Stripe")
        for title in TITLES:
            assert any(title in t for t in titles), titles
        await pilot.press("escape")
        await pilot.pause()
        # picking one from another screen switches to the Catalog and opens the form
        await pilot.press("ctrl+p")
        await pilot.press(*"Create a Stripe payment link")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "catalog"
        assert form(app).spec.title == "Create a Stripe payment link"


async def test_read_only_hides_writes(make_app: AppFactory, gateway: Gateway) -> None:
    seed_price(gateway, seed_product(gateway, "Tea"))
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_catalog(pilot)
        assert not {"n", "p", "l"} & set(screen.active_bindings)
        for pressed in ("n", "p", "l"):
            await pilot.press(pressed)
            await pilot.pause()
            assert app.screen is screen
        screen.new_price()
        await pilot.pause()
        assert app.screen is screen
        titles = await search_palette(pilot, "Create a Stripe")
        assert not any(title in t for t in titles for title in TITLES), titles


async def test_links_show_what_they_sell_from_one_request_per_page(
    make_app: AppFactory, gateway: Gateway, sandbox: Any
) -> None:
    # A link's own line-items endpoint fails: what the table shows comes from the page's
    # `expand[]=data.line_items` alone.
    tea = seed_product(gateway, "Tea")
    price = seed_price(gateway, tea, 300)
    link = gateway.create_payment_link(price_id=price["id"], quantity=3, idempotency_key=key())
    items_path = f"/v1/payment_links/{link['id']}/line_items"
    add_fault(sandbox, TEST_KEY, path=items_path, status=500, count=100)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_catalog(pilot)
        assert ids(screen.links.items) == [link["id"]]
        row = screen.links.get_row_at(0)
        assert any("3 \u00d7 3.00 USD one-time" in str(cell) for cell in row), row
