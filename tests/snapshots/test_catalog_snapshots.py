"""Snapshots of the Catalog screen and its forms at 80x24 and 120x36, from fixed fixture data.

The app runs on the fixture gateway of conftest.py (a stand-in for the gateway, not for the
`stripe` SDK), on the products, prices and links below, so ids and times never change.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select

from tests.functional.helpers import settle
from tests.snapshots.conftest import T0, Fixtures, fixture_app
from tui.app import StripeApp
from tui.gateway import ErrorKind, GatewayError, Obj
from widgets.form import FormScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 36), id="120x36")]
SMALL = [pytest.param((80, 18), id="80x18"), pytest.param((60, 20), id="60x20")]
"""Short and narrow terminals: the list keeps three rows, hints are never cut."""
DAY = 86_400


def product(ident: str, name: str, days: int, description: str | None, active: bool = True) -> Obj:
    return {
        "id": ident,
        "object": "product",
        "active": active,
        "created": T0 + days * DAY,
        "default_price": None,
        "description": description,
        "livemode": False,
        "metadata": {},
        "name": name,
    }


def price(
    ident: str,
    product_id: str,
    amount: int,
    currency: str,
    days: int,
    interval: str | None = None,
    count: int = 1,
    active: bool = True,
) -> Obj:
    recurring = None
    if interval:
        recurring = {"interval": interval, "interval_count": count, "usage_type": "licensed"}
    return {
        "id": ident,
        "object": "price",
        "active": active,
        "created": T0 + days * DAY,
        "currency": currency,
        "livemode": False,
        "metadata": {},
        "nickname": None,
        "product": product_id,
        "recurring": recurring,
        "type": "recurring" if recurring else "one_time",
        "unit_amount": amount,
    }


GOLD = {
    **product("prod_NWjs8kKbJWmuuc", "Gold plan", 9, "Everything, billed monthly or yearly"),
    "metadata": {"tier": "gold", "crm_id": "A-1042"},
}
STICKERS = product("prod_NWjsQ7p2dWqDkT", "Sticker pack", 5, "Five vinyl stickers")
LEGACY = product("prod_Legacy0000001", "Legacy plan", 1, None, active=False)
PRODUCTS = [GOLD, STICKERS, LEGACY]

PRICES = [
    price("price_1MoBy5LkdIwHu7ixZhnattbh", GOLD["id"], 1250, "usd", 9, "month"),
    price("price_1MoBy5LkdIwHu7ixKq2Hs8Xa", GOLD["id"], 12000, "usd", 9, "year"),
    price("price_1MoBy5LkdIwHu7ixJp9wQ1Yb", GOLD["id"], 3500, "kwd", 8, "month", 3),
    price("price_1MoBy5LkdIwHu7ixTz5gR4Lc", GOLD["id"], 1500, "jpy", 8, active=False),
    price("price_1MoC1aLkdIwHu7ixSt1ck3r5", STICKERS["id"], 500, "usd", 6),
]

LINKS = [
    {
        "id": "plink_1MoC3ULkdIwHu7ixZjtGpVl2",
        "object": "payment_link",
        "active": True,
        "created": T0 + 10 * DAY,
        "currency": "usd",
        "livemode": False,
        "metadata": {},
        "url": "https://buy.stripe.com/test_cN25nr0iZ7bUa7meUY",
    },
    {
        "id": "plink_1MoC3ULkdIwHu7ixQ0aB2cD4",
        "object": "payment_link",
        "active": False,
        "created": T0 + 7 * DAY,
        "currency": "usd",
        "livemode": False,
        "metadata": {},
        "url": "https://buy.stripe.com/test_8wM3fj6Ho2VE5Rm5kl",
    },
]
LINK_ITEMS = {
    LINKS[0]["id"]: [(PRICES[0], 1)],
    LINKS[1]["id"]: [(PRICES[4], 3)],
}


FIXTURES = Fixtures(
    products=PRODUCTS,
    prices=PRICES,
    links=LINKS,
    link_items=LINK_ITEMS,
    failures={
        "create_price": GatewayError(
            ErrorKind.INVALID_REQUEST,
            "No such product: 'prod_Missing000001'",
            param="product",
            code="resource_missing",
            request_id="req_fixture000001",
            http_status=400,
        ),
        "create_payment_link": GatewayError(
            ErrorKind.INVALID_REQUEST,
            f"The price `{PRICES[3]['id']}` is not active.",
            param="line_items[0][price]",
            request_id="req_fixture000002",
            http_status=400,
        ),
    },
)
"""The catalog's objects; creating a price or a payment link fails as Stripe would."""


def catalog_app() -> StripeApp:
    return fixture_app(
        FIXTURES, key="sk_test_snapshots_fixture_0000", key_source="snapshot fixture"
    )


Steps = Callable[[Pilot[Any]], Awaitable[None]]


async def still_cursors(pilot: Pilot[Any]) -> None:
    """Stop the cursors blinking so that a screenshot never catches one half-way."""
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


def steps(*keys: str, values: dict[str, str] | None = None, submit: bool = False) -> Steps:
    """Open the Catalog, press keys, fill a form, submit it; wait for everything to settle."""

    async def run(pilot: Pilot[Any]) -> None:
        await pilot.press("2")
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        screen = pilot.app.screen
        if values:
            assert isinstance(screen, FormScreen)
            for name, typed in values.items():
                control = screen.control(name)
                if isinstance(control, Select):
                    control.value = typed
                else:
                    assert isinstance(control, Input)
                    control.value = typed
            await pilot.pause()
        if submit:
            await pilot.press("ctrl+s")
            await settle(pilot)
        await still_cursors(pilot)

    return run


@pytest.mark.parametrize("size", SIZES)
class TestCatalogScreen:
    def test_products_focused(self, snap_compare: Any, size: tuple[int, int]) -> None:
        assert snap_compare(catalog_app(), terminal_size=size, run_before=steps())

    def test_prices_focused(self, snap_compare: Any, size: tuple[int, int]) -> None:
        assert snap_compare(catalog_app(), terminal_size=size, run_before=steps("tab", "j"))

    def test_links_focused(self, snap_compare: Any, size: tuple[int, int]) -> None:
        assert snap_compare(catalog_app(), terminal_size=size, run_before=steps("tab", "tab"))


@pytest.mark.parametrize("size", SIZES)
class TestProductForm:
    def test_empty(self, snap_compare: Any, size: tuple[int, int]) -> None:
        assert snap_compare(catalog_app(), terminal_size=size, run_before=steps("n"))

    def test_name_required(self, snap_compare: Any, size: tuple[int, int]) -> None:
        run = steps("n", values={"description": "No name given"}, submit=True)
        assert snap_compare(catalog_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
class TestPriceForm:
    def test_empty(self, snap_compare: Any, size: tuple[int, int]) -> None:
        assert snap_compare(catalog_app(), terminal_size=size, run_before=steps("p"))

    def test_interval_too_long(self, snap_compare: Any, size: tuple[int, int]) -> None:
        values = {"unit_amount": "1.234", "currency": "kwd", "interval": "month"}
        run = steps("p", values={**values, "interval_count": "48"}, submit=True)
        assert snap_compare(catalog_app(), terminal_size=size, run_before=run)

    def test_missing_product_from_stripe(self, snap_compare: Any, size: tuple[int, int]) -> None:
        values = {"product_id": "prod_Missing000001", "unit_amount": "9.99"}
        run = steps("p", values=values, submit=True)
        assert snap_compare(catalog_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
class TestPaymentLinkForm:
    def test_empty(self, snap_compare: Any, size: tuple[int, int]) -> None:
        assert snap_compare(catalog_app(), terminal_size=size, run_before=steps("l"))

    def test_quantity_zero(self, snap_compare: Any, size: tuple[int, int]) -> None:
        run = steps("l", values={"quantity": "0"}, submit=True)
        assert snap_compare(catalog_app(), terminal_size=size, run_before=run)

    def test_inactive_price_from_stripe(self, snap_compare: Any, size: tuple[int, int]) -> None:
        run = steps("l", values={"price_id": PRICES[3]["id"]}, submit=True)
        assert snap_compare(catalog_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
class TestLifecycleForms:
    def test_archived_shown_greyed(self, snap_compare: Any, size: tuple[int, int]) -> None:
        run = steps("a", "tab")
        assert snap_compare(catalog_app(), terminal_size=size, run_before=run)

    def test_update_product(self, snap_compare: Any, size: tuple[int, int]) -> None:
        assert snap_compare(catalog_app(), terminal_size=size, run_before=steps("e"))

    def test_archive_price(self, snap_compare: Any, size: tuple[int, int]) -> None:
        assert snap_compare(catalog_app(), terminal_size=size, run_before=steps("tab", "x"))

    def test_unarchive_price(self, snap_compare: Any, size: tuple[int, int]) -> None:
        # the archived JPY price is the fourth of Gold plan's, shown with `a`
        run = steps("a", "tab", "j", "j", "j", "x")
        assert snap_compare(catalog_app(), terminal_size=size, run_before=run)

    def test_deactivate_link(self, snap_compare: Any, size: tuple[int, int]) -> None:
        run = steps("tab", "tab", "x")
        assert snap_compare(catalog_app(), terminal_size=size, run_before=run)

    def test_activate_link(self, snap_compare: Any, size: tuple[int, int]) -> None:
        run = steps("tab", "tab", "j", "x")
        assert snap_compare(catalog_app(), terminal_size=size, run_before=run)

    def test_search_products(self, snap_compare: Any, size: tuple[int, int]) -> None:
        run = steps("slash", "g", "o")
        assert snap_compare(catalog_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SMALL)
class TestCatalogSmallTerminal:
    def test_products_focused(self, snap_compare: Any, size: tuple[int, int]) -> None:
        assert snap_compare(catalog_app(), terminal_size=size, run_before=steps())

    def test_prices_focused(self, snap_compare: Any, size: tuple[int, int]) -> None:
        assert snap_compare(catalog_app(), terminal_size=size, run_before=steps("tab", "j"))
