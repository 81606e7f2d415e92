"""Short and narrow terminals: each screen's main list keeps three rows; hints are never cut."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from screens.base import ScreenTabs
from tests.snapshots import test_catalog_snapshots as catalog
from tests.snapshots import test_customers_snapshots as customers
from tests.snapshots import test_payments_snapshots as payments
from tui.app import StripeApp
from widgets.resource_table import ResourceTable

SCREENS: dict[str, tuple[Callable[[], StripeApp], Callable[[Pilot[Any]], Awaitable[Any]], str]] = {
    "customers": (customers.snapshot_app, customers.steps(), "#customers"),
    "catalog": (catalog.catalog_app, catalog.steps(), "#products"),
    "payments": (payments.make_app, payments.open_payments, "#intents"),
}
SIZES = [(80, 18), (80, 19), (60, 18), (60, 20), (80, 24)]


def visible_rows(table: ResourceTable) -> int:
    """Rows of data in view: the content height less the header (and a horizontal scrollbar)."""
    return table.scrollable_content_region.height - table.header_height


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", SCREENS)
async def test_the_list_keeps_three_rows_and_hints_are_whole(
    name: str, size: tuple[int, int]
) -> None:
    make, before, list_id = SCREENS[name]
    app = make()
    async with app.run_test(size=size) as pilot:
        await before(pilot)
        table = app.screen.query_one(list_id, ResourceTable)
        if size != (60, 18):  # the brief's floor is 80x18 and 60x20
            assert visible_rows(table) >= 3, (name, size, table.region)
        width = app.size.width
        for key in app.screen.query(FooterKey):
            assert key.region.right <= width, (key.key_display, key.description, key.region)
        tabs = app.screen.query_one(ScreenTabs)
        shown = str(tabs.render())
        assert len(shown) <= width
        assert "ctrl+p" not in shown or "ctrl+p actions" in shown
