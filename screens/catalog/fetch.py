"""What the Catalog fetches in worker threads: links with their items, suggestions."""

from __future__ import annotations

from screens.catalog.columns import (
    link_items,
    price_summary,
)
from tui.gateway import Gateway, GatewayError, Obj, Page

PAGE_SIZE = 50
LINK_PAGE_SIZE = 20
SUGGEST_PAGES = 3
SUGGEST_LIMIT = 20


# Fetching (in worker threads) ----------------------------------------------------------------


def with_line_items(gateway: Gateway, link: Obj) -> Obj:
    """The link with its `line_items` list attached, as Stripe's `expand[]=line_items` gives."""
    if link_items(link) is not None:
        return link
    try:
        page = gateway.list_payment_link_items(link["id"])
    except GatewayError:
        return link
    return {**link, "line_items": {"object": "list", "data": page.items}}


def fetch_links(gateway: Gateway, cursor: str | None, limit: int = LINK_PAGE_SIZE) -> Page:
    """A page of links with what each sells, in one request (`expand[]=data.line_items`)."""
    return gateway.list_payment_links(limit, cursor, expand_line_items=True)


def search_products(gateway: Gateway, needle: str) -> list[tuple[str, str]]:
    """Products whose name or id contains the text, newest first."""
    whole = needle.strip()
    needle = whole.lower()
    found: list[tuple[str, str]] = []
    cursor: str | None = None
    for _ in range(SUGGEST_PAGES):
        page = gateway.list_products(100, cursor)
        for product in page.items:
            if product["id"] == whole:
                return []  # already a whole id (e.g. prefilled): nothing to pick
            name = str(product.get("name") or "")
            if needle in product["id"].lower() or needle in name.lower():
                found.append((product["id"], name))
        cursor = page.next_cursor
        if len(found) >= SUGGEST_LIMIT or cursor is None:
            break
    return found[:SUGGEST_LIMIT]


def search_prices(gateway: Gateway, needle: str, names: dict[str, str]) -> list[tuple[str, str]]:
    """Active prices whose id, product or amount contains the text, newest first."""
    whole = needle.strip()
    needle = whole.lower()
    found: list[tuple[str, str]] = []
    cursor: str | None = None
    for _ in range(SUGGEST_PAGES):
        page = gateway.list_prices(100, cursor)
        for price in page.items:
            if price["id"] == whole:
                return []  # already a whole id (e.g. prefilled): nothing to pick
            product = str(price.get("product") or "")
            label = f"{price_summary(price)} · {names.get(product, product)}"
            if not price.get("active", True):
                continue
            if any(needle in hay.lower() for hay in (price["id"], label, product)):
                found.append((price["id"], label))
        cursor = page.next_cursor
        if len(found) >= SUGGEST_LIMIT or cursor is None:
            break
    return found[:SUGGEST_LIMIT]
