"""How the Catalog shows products, prices and payment links: cells, columns, greying."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text

from screens.common import money, text, when
from tui.gateway import Obj
from widgets.literal import literal
from widgets.resource_table import Column

TIMES = " \u00d7 "


# Rendering -----------------------------------------------------------------------------------


def billing(price: Obj) -> str:
    """'one-time', 'every month' or 'every 3 months'."""
    recurring = price.get("recurring")
    if not isinstance(recurring, dict) or not recurring.get("interval"):
        return "one-time"
    interval = str(recurring["interval"])
    count = recurring.get("interval_count") or 1
    if count == 1:
        return f"every {interval}"
    return f"every {count} {interval}s"


def price_amount(price: Obj) -> str:
    if price.get("unit_amount") is None and price.get("unit_amount_decimal") is not None:
        return f"{price['unit_amount_decimal']} {str(price.get('currency', '')).upper()} (minor)"
    return money(price.get("unit_amount"), price.get("currency"))


def price_summary(price: Obj) -> str:
    """'12.00 USD every month'."""
    return f"{price_amount(price)} {billing(price)}"


def link_items(link: Obj) -> list[Obj] | None:
    """The line items attached to a link (Stripe's expandable `line_items`), if known."""
    items = link.get("line_items")
    data = items.get("data") if isinstance(items, dict) else None
    return data if isinstance(data, list) else None


def link_price(link: Obj) -> Obj | None:
    """The price the link sells (its first line item's), if known."""
    items = link_items(link)
    if not items:
        return None
    price = items[0].get("price")
    return price if isinstance(price, dict) else None


def link_price_id(link: Obj) -> str:
    price = link_price(link)
    if price is not None:
        return str(price.get("id", "—"))
    return "—" if link_items(link) is not None else "…"


def link_sells(link: Obj) -> str:
    items = link_items(link)
    if items is None:
        return "…"
    if not items:
        return "—"
    first = items[0]
    price = first.get("price") if isinstance(first.get("price"), dict) else {}
    more = f" +{len(items) - 1}" if len(items) > 1 else ""
    return f"{first.get('quantity', 1)}{TIMES}{price_summary(price or {})}{more}"


def archived(item: Obj) -> bool:
    """An archived product or price, or a deactivated payment link."""
    return item.get("active") is False


def greyed(columns: tuple[Column, ...]) -> tuple[Column, ...]:
    """The same columns, drawn dim for an archived (inactive) item."""

    def dim(render: Callable[[Obj], str | Text]) -> Callable[[Obj], str | Text]:
        def cell(item: Obj) -> str | Text:
            value = render(item)
            if not archived(item):
                return value
            if isinstance(value, Text):
                value = value.copy()
                value.stylize("dim")
                return value
            return literal(value, style="dim")

        return cell

    return tuple(Column(c.label, dim(c.render), c.width) for c in columns)


PRODUCT_COLUMNS = greyed(
    (
        Column("Name", lambda p: text(p.get("name")), width=18),
        Column("Id", lambda p: p["id"]),
        Column("Active", lambda p: text(p.get("active")), width=6),
        Column("Created", lambda p: when(p.get("created")), width=16),
        Column("Description", lambda p: text(p.get("description")), width=30),
    )
)

PRICE_COLUMNS = greyed(
    (
        Column("Amount", price_amount, width=12),
        Column("Cur", lambda p: str(p.get("currency", "—")).upper(), width=3),
        Column("Billing", billing, width=15),
        Column("Id", lambda p: p["id"], width=30),
        Column("Active", lambda p: text(p.get("active")), width=6),
    )
)

LINK_COLUMNS = greyed(
    (
        Column("Id", lambda link: link["id"], width=30),
        Column("Url", lambda link: text(link.get("url")).removeprefix("https://"), width=42),
        Column("Active", lambda link: text(link.get("active")), width=6),
        Column("Price", link_price_id, width=30),
        Column("Sells", link_sells, width=28),
    )
)
