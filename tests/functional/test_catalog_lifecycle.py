"""Pilot tests of the Catalog's lifecycle against the sandbox: update a product, archive and
unarchive a price, deactivate and activate a link, the archived toggle; refusals included."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, Static

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
)
from tui.app import StripeApp
from tui.gateway import Gateway, Obj
from widgets.form import FormScreen
from widgets.metadata import MetadataEditor, MetadataRow
from widgets.resource_table import ResourceTable

AppFactory = Callable[..., StripeApp]
_keys = iter(range(1_000_000))


def key() -> str:
    return f"test-catalog-life-{next(_keys)}"


def seed_product(gateway: Gateway, name: str, **params: Any) -> Obj:
    return gateway.create_product({"name": name, **params}, key())


def seed_price(gateway: Gateway, product: Obj, amount: int = 1250) -> Obj:
    return gateway.create_price(
        product_id=product["id"], unit_amount=amount, currency="usd", idempotency_key=key()
    )


async def open_catalog(pilot: Pilot[Any]) -> CatalogScreen:
    await pilot.press("2")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CatalogScreen)
    return screen


def form_error(screen: FormScreen) -> str:
    return str(screen.query_one("#form-error", Static).content)


def ids(table: ResourceTable) -> list[str]:
    return [item["id"] for item in table.items]


def is_greyed(table: ResourceTable, row: int) -> bool:
    """Whether every cell of a row is drawn dim."""
    cells = table.get_row_at(row)
    return all(isinstance(c, Text) and "dim" in str(c.style) for c in cells)


async def test_update_product_name_and_metadata(make_app: AppFactory, gateway: Gateway) -> None:
    product = seed_product(gateway, "Gold", description="Old", metadata={"a": "1", "b": "2"})
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_catalog(pilot)
        await pilot.press("e")
        await pilot.pause()
        opened = form(app)
        assert opened.spec.title == "Update a Stripe product"
        name = opened.control("name")
        assert isinstance(name, Input) and name.value == "Gold"
        await fill(pilot, name="Platinum")
        editor = opened.control("metadata")
        assert isinstance(editor, MetadataEditor)
        first = editor.query(MetadataRow).first()
        first.query_one(".metadata-value", Input).value = "changed"
        editor.query(MetadataRow).last().query_one(".metadata-key", Input).focus()
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert screen.products.items[0]["name"] == "Platinum"
    stored = gateway.retrieve_product(product["id"])
    assert (stored["name"], stored["description"]) == ("Platinum", "Old")
    assert stored["metadata"] == {"a": "changed"}


async def test_archive_a_price_then_the_toggle_shows_it_greyed(
    make_app: AppFactory, gateway: Gateway
) -> None:
    product = seed_product(gateway, "Plan")
    kept = seed_price(gateway, product, 500)
    price = seed_price(gateway, product, 900)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_catalog(pilot)
        await pilot.press("tab")  # the prices table, the newest price selected
        await settle(pilot)
        assert ids(screen.prices) == [price["id"], kept["id"]]
        await pilot.press("x")
        await pilot.pause()
        opened = form(app)
        assert opened.spec.title == "Archive a Stripe price"
        await fill(pilot, nickname="old plan")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert "Archived price" in notes(app)
        assert is_greyed(screen.prices, 0)
        assert not is_greyed(screen.prices, 1)
        stored = gateway.retrieve_price(price["id"])
        assert (stored["active"], stored["nickname"]) == (False, "old plan")
        # Listed again: archived prices are hidden until `a` shows them, greyed.
        await pilot.press("r")
        await settle(pilot)
        assert ids(screen.prices) == [kept["id"]]
        await pilot.press("a")
        await settle(pilot)
        assert ids(screen.prices) == [price["id"], kept["id"]]
        assert is_greyed(screen.prices, 0)
        # On the archived price, x unarchives.
        screen.prices.focus()
        screen.prices.move_cursor(row=0)
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert form(app).spec.title == "Unarchive a Stripe price"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not is_greyed(screen.prices, 0)
    assert gateway.retrieve_price(price["id"])["active"] is True


async def test_archive_an_archived_price_is_refused(make_app: AppFactory, gateway: Gateway) -> None:
    product = seed_product(gateway, "Plan")
    price = seed_price(gateway, product)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_catalog(pilot)
        await pilot.press("tab")
        await settle(pilot)
        gateway.update_price(price["id"], {"active": False}, key())  # archived elsewhere
        screen.archive_price()  # as the palette does
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        opened = form(app)
        assert f"The price {price['id']} is already archived." in form_error(opened)
        assert "already archived" in field_message(opened, "price_id")


async def test_archive_with_an_unknown_outcome_says_it_was_done(
    make_app: AppFactory, gateway: Gateway, sandbox: Any
) -> None:
    product = seed_product(gateway, "Plan")
    price = seed_price(gateway, product)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_catalog(pilot)
        await pilot.press("tab")
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        add_fault(
            sandbox,
            TEST_KEY,
            path=f"/v1/prices/{price['id']}",
            method="POST",
            status=500,
            after=True,
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert f"It was done: {price['id']}" in notes(app)
        assert not isinstance(app.screen, FormScreen)
    assert gateway.retrieve_price(price["id"])["active"] is False


async def test_deactivate_and_activate_a_link(make_app: AppFactory, gateway: Gateway) -> None:
    product = seed_product(gateway, "Plan")
    price = seed_price(gateway, product)
    link = gateway.create_payment_link(price_id=price["id"], quantity=1, idempotency_key=key())
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_catalog(pilot)
        await pilot.press("tab", "tab")
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert form(app).spec.title == "Deactivate a Stripe payment link"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert gateway.retrieve_payment_link(link["id"])["active"] is False
        assert is_greyed(screen.links, 0)
        # deactivating it again (from the palette) is refused
        screen.deactivate_link()
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "is already inactive" in form_error(form(app))
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert form(app).spec.title == "Activate a Stripe payment link"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not is_greyed(screen.links, 0)
    assert gateway.retrieve_payment_link(link["id"])["active"] is True


async def test_archived_products_hidden_until_toggled(
    make_app: AppFactory, gateway: Gateway
) -> None:
    old = seed_product(gateway, "Old", active=False)
    new = seed_product(gateway, "New")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_catalog(pilot)
        assert ids(screen.products) == [new["id"]]
        await pilot.press("a")
        await settle(pilot)
        assert ids(screen.products) == [new["id"], old["id"]]
        assert is_greyed(screen.products, 1) and not is_greyed(screen.products, 0)
        await pilot.press("a")
        await settle(pilot)
        assert ids(screen.products) == [new["id"]]


async def test_read_only_offers_no_catalog_changes(make_app: AppFactory, gateway: Gateway) -> None:
    product = seed_product(gateway, "Plan")
    seed_price(gateway, product)
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_catalog(pilot)
        for table_keys in ((), ("tab",), ("tab",)):
            await pilot.press(*table_keys)
            await settle(pilot)
            footer_keys = {b.binding.key for b in screen.active_bindings.values()}
            assert not {"e", "x"} & footer_keys
            assert "a" in footer_keys
            await pilot.press("e", "x")
            await settle(pilot)
            assert app.screen is screen
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Stripe")
        await settle(pilot)
        titles = palette_titles(app)
        assert any("List Stripe customers" in t for t in titles), titles
        for title in ("Update a Stripe product", "Archive a Stripe price", "Activate a Stripe"):
            assert not any(title in t for t in titles), titles
        await pilot.press("escape")
    assert gateway.retrieve_product(product["id"])["active"] is True


async def test_palette_titles_of_the_catalog_actions(
    make_app: AppFactory, gateway: Gateway
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_catalog(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"a Stripe p")
        await settle(pilot)
        titles = palette_titles(app)
        for title in (
            "Update a Stripe product",
            "Archive a Stripe price",
            "Unarchive a Stripe price",
            "Deactivate a Stripe payment link",
            "Activate a Stripe payment link",
        ):
            assert any(t.splitlines()[0] == title for t in titles), (title, titles)
        await pilot.press("escape")


async def test_slash_searches_products_by_name(make_app: AppFactory, gateway: Gateway) -> None:
    gold = seed_product(gateway, "Gold plan")
    seed_product(gateway, "Sticker pack")
    old_gold = seed_product(gateway, "Old gold", active=False)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_catalog(pilot)
        await pilot.press("/")
        await pilot.press(*"go")
        await pilot.pause()
        assert "at least 3 characters" in str(screen.query_one("#filter-hint", Static).content)
        await pilot.press("enter")  # too short: nothing searched
        await settle(pilot)
        assert len(screen.products.items) == 2
        await pilot.press(*"ld", "enter")
        await settle(pilot)
        assert ids(screen.products) == [gold["id"]]
        assert 'named like "gold"' in str(screen.products.border_title)
        await pilot.press("a")  # archived too: the old one, greyed
        await settle(pilot)
        assert ids(screen.products) == [old_gold["id"], gold["id"]]
        assert is_greyed(screen.products, 0)
        await pilot.press("escape")
        await settle(pilot)
        assert len(screen.products.items) == 3
        assert screen.filter_text == ""
