"""Payment links show what they sell from one request per page, counted in the request log."""

from __future__ import annotations

from typing import Any

from tests.functional.helpers import settle
from tests.functional.test_catalog import key, open_catalog, seed_price, seed_product
from tui.gateway import Gateway
from tui.requestlog import Entry, sent_params

LINKS = 25  # more than a page of links (screens.catalog.fetch.LINK_PAGE_SIZE is 20)


def link_requests(entries: list[Entry]) -> tuple[list[Entry], list[Entry]]:
    """The list requests for payment links, and any request for one link's line items."""
    gets = [
        e for e in entries if e["method"] == "GET" and e["path"].startswith("/v1/payment_links")
    ]
    lists = [e for e in gets if e["path"] == "/v1/payment_links"]
    return lists, [e for e in gets if e["path"].endswith("/line_items")]


async def test_each_page_of_links_is_one_request_with_its_line_items(
    make_app: Any, gateway: Gateway
) -> None:
    tea = seed_product(gateway, "Tea")
    price = seed_price(gateway, tea, 300)
    for n in range(LINKS):
        gateway.create_payment_link(price_id=price["id"], quantity=n + 1, idempotency_key=key())
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_catalog(pilot)
        links = screen.links
        lists, per_link = link_requests(app.gateway.request_log.entries())
        assert len(links.items) < LINKS and links.has_more
        assert len(lists) == 1, [e["path"] for e in lists]
        assert sent_params(lists[0]) == {"limit": "20", "expand[0]": "data.line_items"}
        assert per_link == []

        links.focus()
        await pilot.press("G")  # the last row: its highlight fetches the next page
        await settle(pilot)
        assert len(links.items) == LINKS and not links.has_more
        lists, per_link = link_requests(app.gateway.request_log.entries())
        assert len(lists) == 2 and per_link == []
        # what each link sells is on its row: quantities 25 (newest) down to 1
        for row, quantity in zip(range(LINKS), range(LINKS, 0, -1), strict=True):
            cells = [str(cell) for cell in links.get_row_at(row)]
            assert any(f"{quantity} \u00d7 3.00 USD one-time" in c for c in cells), cells
