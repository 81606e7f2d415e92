"""The succeeded volume per day over the last 30 days, one sparkline per currency.

"Volume" is what was received: the `amount_received` of each succeeded payment intent, counted
on the UTC day the intent was created (refunds are not taken off). The intents come from Stripe's
search (`status:"succeeded" AND created>=...`), paged in a thread worker; a newer load makes the
answer of an older one stale, and it is dropped. A failure is shown in the chart's place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Sparkline, Static

from tui.gateway import GatewayError, Obj, Page
from tui.money import MoneyError, to_major
from widgets.literal import literal, literal_str

DAYS = 30
PAGE_SIZE = 100
MAX_PAGES = 10
"""At most 1,000 intents are read for a chart: the label says when more were left."""
MAX_CURRENCIES = 3
TITLE = "Received a day, last 30 days (UTC)"


class SearchesIntents(Protocol):
    """What the chart needs of the gateway."""

    def search_payment_intents(
        self, query: str, limit: int = 10, cursor: str | None = None
    ) -> Page: ...


@dataclass(frozen=True)
class Volume:
    """Amounts received per day (oldest first, smallest unit) in one currency."""

    currency: str
    days: tuple[int, ...]
    payments: int

    @property
    def total(self) -> int:
        return sum(self.days)


@dataclass(frozen=True)
class Volumes:
    """The chart's data: by currency, the most payments first."""

    currencies: tuple[Volume, ...]
    complete: bool = True
    """False when more intents matched than were read (MAX_PAGES)."""


def first_day(today: date) -> date:
    return today - timedelta(days=DAYS - 1)


def daily_volumes(intents: Iterable[Obj], today: date, *, complete: bool = True) -> Volumes:
    """Sum `amount_received` of the succeeded intents per currency and UTC day of creation."""
    start = first_day(today)
    sums: dict[str, list[int]] = {}
    counts: dict[str, int] = {}
    for intent in intents:
        created = intent.get("created")
        if intent.get("status") != "succeeded" or not isinstance(created, int):
            continue
        index = (datetime.fromtimestamp(created, UTC).date() - start).days
        if not 0 <= index < DAYS:
            continue
        currency = str(intent.get("currency") or "")
        sums.setdefault(currency, [0] * DAYS)[index] += int(intent.get("amount_received") or 0)
        counts[currency] = counts.get(currency, 0) + 1
    volumes = [Volume(c, tuple(days), counts[c]) for c, days in sums.items()]
    volumes.sort(key=lambda v: (-v.payments, v.currency))
    return Volumes(tuple(volumes), complete)


def read_volumes(gateway: SearchesIntents, today: date) -> Volumes:
    """Page through the succeeded intents created since the first day (at most MAX_PAGES)."""
    since = datetime.combine(first_day(today), datetime.min.time(), UTC)
    query = f'status:"succeeded" AND created>={int(since.timestamp())}'
    intents: list[Obj] = []
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        page = gateway.search_payment_intents(query, PAGE_SIZE, cursor)
        intents += page.items
        cursor = page.next_cursor
        if cursor is None:
            break
    return daily_volumes(intents, today, complete=cursor is None)


def amount_text(amount: int, currency: str) -> str:
    try:
        return to_major(amount, currency)
    except MoneyError:  # not a currency we know: the smallest unit, as Stripe sent it
        return str(amount)


def volume_label(volume: Volume) -> str:
    """`USD 1,234.50, 0.00 to 300.00 a day`: the total, and the sparkline's scale."""
    currency = volume.currency
    low, high = (amount_text(f(volume.days), currency) for f in (min, max))
    return f"{currency.upper()} {amount_text(volume.total, currency)}, {low} to {high} a day"


def utc_now() -> datetime:
    """Now, for the days shown (tests fix it)."""
    return datetime.now(UTC)


class VolumeChart(Vertical):
    """Succeeded volume per day for the last 30 days, a sparkline per currency (the top three)."""

    DEFAULT_CSS = """
    VolumeChart {
        height: auto;
        border-top: round $foreground 30%;
        border-title-color: $text-muted;
        padding: 0 1;
    }
    VolumeChart .volume-row { height: 1; }
    VolumeChart .volume-label { max-width: 60%; }
    VolumeChart Sparkline { width: 1fr; }
    VolumeChart .volume-note { color: $text-muted; }
    VolumeChart.-yielding { display: none; }
    """

    @dataclass
    class Read(Message):
        """A load's answer (`generation` tells a stale one): the volumes, or why there are none."""

        generation: int
        volumes: Volumes | GatewayError

    def __init__(self, *, yield_to: str = "", id: str | None = None) -> None:
        """`yield_to`: a selector of the screen's (a filter bar, say); while the focus is in
        it, the chart is hidden, so that the list keeps its rows."""
        super().__init__(id=id)
        self._yield_to = yield_to
        self.border_title = TITLE
        self._generation = 0
        self.volumes: Volumes | None = None
        """What is shown, once loaded."""

    def compose(self) -> ComposeResult:
        yield Static("loading…", classes="volume-note")

    def on_mount(self) -> None:
        if self._yield_to:
            self.watch(self.screen, "focused", self._focus_moved)

    def _focus_moved(self, focused: Widget | None) -> None:
        places = set(self.screen.query(self._yield_to))
        inside = focused is not None and any(n in places for n in focused.ancestors_with_self)
        self.set_class(inside, "-yielding")

    def load(self, gateway: SearchesIntents) -> None:
        """Read the volumes again; an answer still on its way from before is dropped."""
        self._generation += 1
        self._read(gateway, self._generation, utc_now().astimezone(UTC).date())

    @work(thread=True, exclusive=True, group="volume-chart", exit_on_error=False)
    def _read(self, gateway: SearchesIntents, generation: int, today: date) -> None:
        try:
            volumes: Volumes | GatewayError = read_volumes(gateway, today)
        except GatewayError as exc:
            volumes = exc
        self.post_message(self.Read(generation, volumes))

    async def on_volume_chart_read(self, message: Read) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        volumes = message.volumes
        rows: list[Horizontal | Static]
        if isinstance(volumes, GatewayError):
            self.volumes = None
            why = " · ".join(literal_str(line) for line in volumes.detail.splitlines())
            failed = Text(f"Cannot read the volume: {why}")
            rows = [Static(failed, classes="volume-note")]
        elif not volumes.currencies:
            self.volumes = volumes
            rows = [Static("No succeeded payments in the last 30 days.", classes="volume-note")]
        else:
            self.volumes = volumes
            shown = volumes.currencies[:MAX_CURRENCIES]
            labels = [literal(volume_label(v)) for v in shown]
            width = max(label.cell_len for label in labels) + 1  # the sparklines start together
            rows = [
                Horizontal(
                    Static(label, classes="volume-label").set_styles(f"width: {width};"),
                    Sparkline(v.days),
                    classes="volume-row",
                )
                for label, v in zip(labels, shown, strict=True)
            ]
        notes = []
        if isinstance(volumes, Volumes):
            if (more := len(volumes.currencies) - MAX_CURRENCIES) > 0:
                notes.append(f"{more} more currencies")
            if not volumes.complete:
                notes.append(f"the first {MAX_PAGES * PAGE_SIZE:,} payments")
        self.border_subtitle = ", ".join(notes)
        with self.app.batch_update():
            await self.remove_children()
            await self.mount_all(rows)
