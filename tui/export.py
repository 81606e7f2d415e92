"""Export a list: every object that matches it, paged from the server, as CSV or JSON lines.

Used by `stripe-tui export` (for scripts) and by the console's "Export this list". A list is a
`Kind` (customers, prices...) and a `fetch(cursor) -> Page` (the gateway's list, or the one a
screen shows with its filter). CSV has the columns the console shows, with `id` and `created`
(ISO 8601, UTC), amounts in major units beside their currency; JSON lines are Stripe's objects
as its plain list returns them (an expansion the console asked for is folded back to the id).
"""

from __future__ import annotations

import csv
import json
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any, Protocol

from tui.gateway import Gateway, Obj, Page
from tui.money import MoneyError, exponent

FORMATS = ("csv", "jsonl")
PAGE_SIZE = 100  # Stripe's maximum: the fewest requests

Fetch = Callable[[str | None], Page]


# Cells -----------------------------------------------------------------------------------------


def iso_time(timestamp: Any) -> str:
    """A Stripe `created` (unix seconds) as ISO 8601 in UTC: 2024-05-01T12:00:00Z."""
    if not isinstance(timestamp, int) or isinstance(timestamp, bool):
        return ""
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def major_units(amount: Any, currency: Any) -> str:
    """An amount in the smallest unit as major units, without separators: 123456 usd is
    '1234.56', 500 jpy '500', a price's decimal '123456.5' usd '1234.565'. A currency without
    a known exponent keeps the smallest unit."""
    if isinstance(amount, bool) or not isinstance(amount, int | str):
        return ""
    try:
        value = Decimal(amount)
        digits = exponent(str(currency))
    except (InvalidOperation, MoneyError):
        return str(amount)
    major = value.scaleb(-digits)
    exact = isinstance(major.as_tuple().exponent, int) and -int(major.as_tuple().exponent) > digits
    return f"{major:f}" if exact else f"{major:.{digits}f}"  # fractions of a minor unit kept


def plain(value: Any) -> str:
    """A field as a cell: empty for null, true/false, JSON for a structure."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_LIKE = re.compile(r"[+-]?[\d\s().-]*\d[\d\s().-]*")


def safe_cell(value: str) -> str:
    """A cell a spreadsheet will show, not run: text that starts like a formula (`=`, `+`,
    `-`, `@`) gets a leading apostrophe, unless it is only a number or a phone number."""
    if value.startswith(_FORMULA_START) and not _NUMBER_LIKE.fullmatch(value):
        return "'" + value
    return value


def _field(name: str) -> Callable[[Obj], str]:
    return lambda item: plain(item.get(name))


def _id_of(name: str) -> Callable[[Obj], str]:
    """A reference that may be expanded (an object) or not (its id)."""

    def cell(item: Obj) -> str:
        value = item.get(name)
        return plain(value.get("id") if isinstance(value, dict) else value)

    return cell


def _amount(name: str = "amount") -> Callable[[Obj], str]:
    return lambda item: major_units(item.get(name), item.get("currency"))


def _currency(item: Obj) -> str:
    return str(item.get("currency") or "").upper()


def _price_amount(price: Obj) -> str:
    if price.get("unit_amount") is None and price.get("unit_amount_decimal") is not None:
        return major_units(str(price["unit_amount_decimal"]), price.get("currency"))
    return major_units(price.get("unit_amount"), price.get("currency"))


def billing(price: Obj) -> str:
    """'one-time', 'every month' or 'every 3 months', as the Catalog shows it."""
    recurring = price.get("recurring")
    if not isinstance(recurring, dict) or not recurring.get("interval"):
        return "one-time"
    interval = str(recurring["interval"])
    count = recurring.get("interval_count") or 1
    return f"every {interval}" if count == 1 else f"every {count} {interval}s"


def _first_line_item(link: Obj) -> Obj:
    items = link.get("line_items")
    data = items.get("data") if isinstance(items, dict) else None
    first = data[0] if isinstance(data, list) and data else None
    return first if isinstance(first, dict) else {}


def _link_price(link: Obj) -> str:
    price = _first_line_item(link).get("price")
    return plain(price.get("id") if isinstance(price, dict) else price)


def _link_quantity(link: Obj) -> str:
    return plain(_first_line_item(link).get("quantity"))


def _event_object(event: Obj) -> str:
    data = event.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    return plain(obj.get("id")) if isinstance(obj, dict) else ""


# Kinds -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportColumn:
    header: str
    cell: Callable[[Obj], str]


ID = ExportColumn("id", _field("id"))
CREATED = ExportColumn("created", lambda item: iso_time(item.get("created")))


@dataclass(frozen=True)
class Kind:
    """A list that can be exported: its word on the command line, the name of the console's
    list, its CSV columns (after `id` and `created`) and how the gateway lists it."""

    word: str
    listed_as: str
    columns: tuple[ExportColumn, ...]
    list_page: Callable[[Gateway, int, str | None], Page]
    expanded: tuple[str, ...] = ()
    """Fields the console lists expanded, folded back to Stripe's plain list in JSON lines."""

    @property
    def headers(self) -> list[str]:
        return [ID.header, CREATED.header, *(c.header for c in self.columns)]

    def row(self, item: Obj) -> list[str]:
        return [safe_cell(c.cell(item)) for c in (ID, CREATED, *self.columns)]

    def as_listed(self, item: Obj) -> Obj:
        """The object as Stripe's plain list returns it."""
        if not any(isinstance(item.get(name), dict) for name in self.expanded):
            return item
        folded = dict(item)
        for name in self.expanded:
            value = folded.get(name)
            if isinstance(value, dict):
                if value.get("object") == "list":
                    del folded[name]  # an expandable list (line_items) is absent unless asked
                else:
                    folded[name] = value.get("id")
        return folded


KINDS: dict[str, Kind] = {
    kind.word: kind
    for kind in (
        Kind(
            "customers",
            "customers",
            (
                ExportColumn("email", _field("email")),
                ExportColumn("name", _field("name")),
                ExportColumn("phone", _field("phone")),
            ),
            lambda gateway, limit, cursor: gateway.list_customers(limit, cursor),
        ),
        Kind(
            "products",
            "products",
            (
                ExportColumn("name", _field("name")),
                ExportColumn("active", _field("active")),
                ExportColumn("description", _field("description")),
            ),
            lambda gateway, limit, cursor: gateway.list_products(limit, cursor),
        ),
        Kind(
            "prices",
            "prices",
            (
                ExportColumn("amount", _price_amount),
                ExportColumn("currency", _currency),
                ExportColumn("billing", billing),
                ExportColumn("product", _id_of("product")),
                ExportColumn("active", _field("active")),
            ),
            lambda gateway, limit, cursor: gateway.list_prices(limit, cursor),
        ),
        Kind(
            "payment-links",
            "payment links",
            (
                ExportColumn("url", _field("url")),
                ExportColumn("active", _field("active")),
                ExportColumn("price", _link_price),
                ExportColumn("quantity", _link_quantity),
            ),
            lambda gateway, limit, cursor: gateway.list_payment_links(
                limit, cursor, expand_line_items=True
            ),
            expanded=("line_items",),
        ),
        Kind(
            "payment-intents",
            "payment intents",
            (
                ExportColumn("amount", _amount()),
                ExportColumn("currency", _currency),
                ExportColumn("status", _field("status")),
                ExportColumn("description", _field("description")),
                ExportColumn("customer", _id_of("customer")),
            ),
            lambda gateway, limit, cursor: gateway.list_payment_intents(limit, cursor),
            expanded=("latest_charge",),
        ),
        Kind(
            "refunds",
            "refunds",
            (
                ExportColumn("amount", _amount()),
                ExportColumn("currency", _currency),
                ExportColumn("reason", _field("reason")),
                ExportColumn("status", _field("status")),
                ExportColumn("payment_intent", _id_of("payment_intent")),
            ),
            lambda gateway, limit, cursor: gateway.list_refunds(limit, cursor),
        ),
        Kind(
            "events",
            "events",
            (
                ExportColumn("type", _field("type")),
                ExportColumn("object", _event_object),
            ),
            lambda gateway, limit, cursor: gateway.list_events(limit, cursor),
        ),
    )
}


def kind_listed_as(name: str) -> Kind | None:
    """The kind of a console list by its name ("payment intents"); None: not exported."""
    return next((kind for kind in KINDS.values() if kind.listed_as == name), None)


def gateway_fetch(gateway: Gateway, kind: Kind, limit: int | None = None) -> Fetch:
    """Every object of a kind, newest first, in pages of 100 (fewer when `limit` is less)."""
    size = min(PAGE_SIZE, limit) if limit else PAGE_SIZE
    return lambda cursor: kind.list_page(gateway, size, cursor)


# Writing ---------------------------------------------------------------------------------------


class Writer(Protocol):
    def begin(self) -> None: ...

    def write(self, items: Iterable[Obj]) -> None: ...


class CsvWriter:
    """A header, then one row per object (csv quoting; "\\n" between rows)."""

    def __init__(self, out: IO[str], kind: Kind) -> None:
        self.kind = kind
        self.csv = csv.writer(out, lineterminator="\n")

    def begin(self) -> None:
        self.csv.writerow(self.kind.headers)

    def write(self, items: Iterable[Obj]) -> None:
        self.csv.writerows(self.kind.row(item) for item in items)


class JsonLinesWriter:
    """One object per line, as Stripe's list returns it (a decimal as the string it was)."""

    def __init__(self, out: IO[str], kind: Kind) -> None:
        self.out = out
        self.kind = kind

    def begin(self) -> None:
        pass

    def write(self, items: Iterable[Obj]) -> None:
        self.out.writelines(
            json.dumps(self.kind.as_listed(item), ensure_ascii=False, default=str) + "\n"
            for item in items
        )


def writer_for(fmt: str, out: IO[str], kind: Kind) -> Writer:
    if fmt == "csv":
        return CsvWriter(out, kind)
    if fmt == "jsonl":
        return JsonLinesWriter(out, kind)
    raise ValueError(f"unknown format {fmt!r}: csv or jsonl")


@dataclass(frozen=True)
class Outcome:
    """How an export ended: how many objects were written, and whether that is all of them
    (False: stopped before the end; the file is whole up to there)."""

    written: int
    complete: bool


def export(
    fetch: Fetch,
    kind: Kind,
    fmt: str,
    out: IO[str],
    *,
    limit: int | None = None,
    stop: threading.Event | None = None,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Page through `fetch` and write every object to `out`, flushed after each page.

    `limit` stops after that many objects; `stop`, once set, stops after the current page;
    `progress(written)` is called after each page. A failure (a `GatewayError`, an `OSError`
    writing) propagates; what was written before it stays whole.
    """
    writer = writer_for(fmt, out, kind)
    written = 0
    cursor: str | None = None
    while True:
        page = fetch(cursor)
        if cursor is None:
            writer.begin()  # once the list answered: a failure at once writes nothing at all
        items = page.items if limit is None else page.items[: limit - written]
        writer.write(items)
        out.flush()
        written += len(items)
        if progress is not None:
            progress(written)
        if page.next_cursor is None or (limit is not None and written >= limit):
            return Outcome(written, complete=True)
        if stop is not None and stop.is_set():
            return Outcome(written, complete=False)
        cursor = page.next_cursor
