"""The Events screen: Stripe's events (`/v1/events`), newest first, filtered by type or object.

Stripe filters events by `type` (with `*` wildcards) but not by object, so a type prefix is sent
to Stripe and an object id is matched here, over the events each load scans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, Static

from screens.base import ConsoleAction, FittedListScreen
from screens.common import text
from tui.gateway import Gateway, Obj, Page
from widgets.detail import DetailPane
from widgets.inspector import JsonInspector
from widgets.literal import literal
from widgets.resource_table import Column, Resource, ResourceTable

PAGE_SIZE = 100
MAX_SCAN = 1_000
"""Events one load reads at most while looking for an object's events."""
MIN_MATCHES = 20
"""With an object filter, a load stops scanning once it has found this many."""

TIME_WIDTH = 14  # "01-31 23:59:59"
TYPE_MIN = 24
"""Wide enough for `payment_intent.succeeded`; longer types are cut (the detail has them)."""
OBJECT_WIDTH = 28  # the sandbox's ids (cus_ + 24)
ID_WIDTH = 28
SCROLLBAR = 2

_OBJECT_ID = re.compile(r"^[a-z]+_[A-Za-z0-9_]+$")


def _time(timestamp: Any) -> str:
    if not isinstance(timestamp, int):
        return "—"
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%m-%d %H:%M:%S")


def _full_time(timestamp: Any) -> str:
    if not isinstance(timestamp, int):
        return "—"
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def event_object(event: Obj) -> Obj:
    """The event's `data.object` (an empty dict when it has none)."""
    data = event.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    return obj if isinstance(obj, dict) else {}


def event_columns(width: int) -> tuple[Column, ...]:
    """Time, type and object always; the event's id too when it fits (the detail shows it)."""
    room = max(width, 0) - SCROLLBAR
    used = TIME_WIDTH + OBJECT_WIDTH + 3 * 2
    with_id = room - used - ID_WIDTH - 2 >= TYPE_MIN
    if with_id:
        used += ID_WIDTH + 2
    columns = [
        Column("Time (UTC)", lambda e: _time(e.get("created")), width=TIME_WIDTH),
        Column("Type", lambda e: text(e.get("type")), width=max(room - used, 12)),
        Column("Object", lambda e: text(event_object(e).get("id")), width=OBJECT_WIDTH),
    ]
    if with_id:
        columns.append(Column("Id", lambda e: e["id"], width=ID_WIDTH))
    return tuple(columns)


@dataclass(frozen=True)
class EventFilter:
    """What `/` typed: a type (or prefix) for Stripe, an object id to match, an event id."""

    type: str | None = None
    object_id: str | None = None
    event_id: str | None = None

    @classmethod
    def parse(cls, query: str) -> EventFilter:
        """Words of the filter: `evt_...` is one event; another id (`cus_...`, `pi_...`) the
        object; anything else an event type or a prefix of one (`payment_intent.`)."""
        kind: str | None = None
        object_id: str | None = None
        event_id: str | None = None
        for word in query.split():
            if word.startswith("evt_"):
                event_id = word
            elif _OBJECT_ID.match(word) and any(c.isdigit() or c.isupper() for c in word):
                object_id = word
            else:
                kind = word
        return cls(type_pattern(kind) if kind else None, object_id, event_id)

    @property
    def empty(self) -> bool:
        return not (self.type or self.object_id or self.event_id)

    def describe(self) -> str:
        parts = []
        if self.event_id:
            parts.append(self.event_id)
        if self.type:
            parts.append(f"type {self.type}")
        if self.object_id:
            parts.append(f"object {self.object_id}")
        return ", ".join(parts)


def type_pattern(word: str) -> str:
    """A type as Stripe's `type` takes it: `payment_intent.` and `payment_intent` become
    `payment_intent.*`; a full name (`customer.created`) or a pattern with `*` is kept."""
    if "*" in word:
        return word
    if word.endswith("."):
        return f"{word}*"
    if "." not in word:
        return f"{word}.*"
    return word


def event_fetcher(gateway: Gateway, wanted: EventFilter, page_size: int = PAGE_SIZE) -> Any:
    """`fetch(cursor) -> Page` for the filter (Stripe filters the type, this the object; an
    object's events are scanned PAGE_SIZE at a time whatever `page_size` says)."""

    def fetch(cursor: str | None) -> Page:
        if wanted.event_id:
            return Page([gateway.retrieve_event(wanted.event_id)], None)
        if not wanted.object_id:
            return gateway.list_events(page_size, cursor, type=wanted.type)
        found: list[Obj] = []
        scanned = 0
        while scanned < MAX_SCAN and len(found) < MIN_MATCHES:
            page = gateway.list_events(PAGE_SIZE, cursor, type=wanted.type)
            scanned += len(page.items)
            found += [e for e in page.items if event_object(e).get("id") == wanted.object_id]
            cursor = page.next_cursor
            if cursor is None:
                break
        return Page(found, cursor)

    return fetch


TIMELINE_LENGTH = 10


def timeline(gateway: Gateway, object_id: str, kind: str) -> str:
    """An object's own events, newest first, one line each ("01-01 00:02:02  customer.updated",
    UTC, as in the Events list), from the newest events of its kind (`customer`, `payment_intent`).
    Stripe's list has no object filter: the newest `MAX_SCAN` events of that kind are read."""
    found: list[Obj] = []
    scanned = 0
    cursor: str | None = None
    while scanned < MAX_SCAN and len(found) < TIMELINE_LENGTH:
        page = gateway.list_events(PAGE_SIZE, cursor, type=f"{kind}.*")
        scanned += len(page.items)
        found += [e for e in page.items if event_object(e).get("id") == object_id]
        cursor = page.next_cursor
        if cursor is None:
            break
    lines = [f"{_time(e.get('created'))}  {e.get('type')}" for e in found]
    if not lines:
        return f"— (none among the newest {scanned:,} {kind} events)"
    return "\n".join(lines[:TIMELINE_LENGTH]) + ("\n…" if len(lines) > TIMELINE_LENGTH else "")


def deliveries(gateway: Gateway, event_id: str) -> str:
    """The sandbox's attempts to forward an event (`--forward-to`), one line each."""
    answer = gateway.event_deliveries(event_id)
    lines = []
    for attempt in answer.get("data") or []:
        outcome = attempt.get("status") or attempt.get("error") or "no answer"
        when_ = _time(attempt.get("created"))
        lines.append(
            f"{when_}  #{attempt.get('attempt')} {outcome} ({attempt.get('duration_ms')} ms)"
        )
    if answer.get("pending"):
        lines.append("pending")
    return "\n".join(lines) or "—"


def event_rows(event: Obj) -> list[tuple[str, str]]:
    """The detail pane's rows for an event."""
    obj = event_object(event)
    data = event.get("data") if isinstance(event.get("data"), dict) else {}
    previous = data.get("previous_attributes") if isinstance(data, dict) else None
    request = event.get("request") if isinstance(event.get("request"), dict) else {}
    assert isinstance(request, dict)
    # Labels of at most 8 characters: an id (28 characters) fits beside them at 120 columns.
    return [
        ("event", text(event.get("id"))),
        ("type", text(event.get("type"))),
        ("created", _full_time(event.get("created"))),
        ("object", text(obj.get("object"))),
        ("id", text(obj.get("id"))),
        ("changed", ", ".join(previous) if isinstance(previous, dict) and previous else "—"),
        ("request", text(request.get("id"))),
        ("idem key", text(request.get("idempotency_key"))),
        ("version", text(event.get("api_version"))),
        ("livemode", text(event.get("livemode"))),
    ]


class EventsScreen(FittedListScreen):
    """Stripe's events, newest first, with the selected event's detail."""

    MODE = "events"
    ACTIONS: ClassVar[tuple[ConsoleAction, ...]] = (
        ConsoleAction(
            "List Stripe events",
            "what happened, newest first; filter by type or object",
            "list_events",
            writes=False,
        ),
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", key_display="/", id="events.filter"),
        Binding("escape", "clear_filter", "Clear", show=False, id="events.clear"),
    ]

    LIST_SHARE = (9, 14)

    def __init__(self) -> None:
        super().__init__()
        self.filter = EventFilter()
        self._detail_timer: Timer | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="body"):
            with Vertical(classes="list-pane"):
                with Vertical(classes="filter-bar", id="events-filter-bar"):
                    yield Input(
                        placeholder="a type or prefix (payment_intent.), an object id, evt_...",
                        id="events-filter",
                    )
                    yield Static(
                        f"Stripe filters the type; an object id is matched over {MAX_SCAN:,} "
                        "events a load.",
                        classes="filter-hint",
                    )
                table = ResourceTable(id="events")
                table.border_title = "Events"
                yield table
            with Vertical(classes="detail-pane"):
                yield DetailPane(id="event-detail")

    def on_mount(self) -> None:
        self.query_one("#event-detail", DetailPane).clear("Select an event.")
        self.table.focus()
        self.call_after_refresh(self._reload)

    @property
    def table(self) -> ResourceTable:
        return self.query_one("#events", ResourceTable)

    def list_columns(self, width: int) -> tuple[Column, ...]:
        return event_columns(width)

    def _reload(self) -> None:
        wanted = self.filter
        empty = "No events yet: every change of state makes one."
        title = "Events"
        if not wanted.empty:
            title = f"Events: {wanted.describe()}"
            empty = f"No events match {wanted.describe()}. Escape clears the filter."
            if wanted.object_id and not wanted.event_id:
                empty = (
                    f"No events of {wanted.object_id} among the newest {MAX_SCAN:,} scanned. "
                    "A type narrows the scan; escape clears the filter."
                )
        table = self.table
        table.border_title = literal(title)
        fetch = event_fetcher(self.gateway, wanted, self.page_size(PAGE_SIZE))
        table.load(Resource("events", self.fitted_columns(), fetch, empty_text=empty))

    # Filter ----------------------------------------------------------------------------------

    def action_filter(self) -> None:
        self.query_one("#events-filter-bar").add_class("-shown")
        self.query_one("#events-filter", Input).focus()

    @on(Input.Submitted, "#events-filter")
    def _apply_filter(self, event: Input.Submitted) -> None:
        self.filter = EventFilter.parse(event.value)
        if self.filter.empty:
            self.query_one("#events-filter-bar").remove_class("-shown")
        self._reload()
        self.table.focus()

    def action_clear_filter(self) -> None:
        had = not self.filter.empty
        self.query_one("#events-filter", Input).value = ""
        self.query_one("#events-filter-bar").remove_class("-shown")
        self.filter = EventFilter()
        if had:
            self._reload()
        self.table.focus()

    def show_object(self, event: Obj, _related: Obj | None = None) -> None:
        """Show an event fetched by id ("Go to an id"): the list filtered to it, as `/` with
        its id does (escape clears)."""
        self.query_one("#events-filter", Input).value = event["id"]
        self.query_one("#events-filter-bar").add_class("-shown")
        self.filter = EventFilter.parse(event["id"])
        self._reload()
        self.table.focus()
        self.show_event(event)

    # Detail ----------------------------------------------------------------------------------

    @on(ResourceTable.Highlighted, "#events")
    def _highlighted(self, event: ResourceTable.Highlighted) -> None:
        if self._detail_timer is not None:
            self._detail_timer.stop()
        item = event.item
        self._detail_timer = self.set_timer(0.15, lambda: self.show_event(item))

    def show_event(self, event: Obj) -> None:
        pane = self.query_one("#event-detail", DetailPane)
        pane.show(text(event.get("type")), event_rows(event), key=event.get("id"))
        if self.settings.webhooks is not None:  # the embedded sandbox forwards its events
            gateway, event_id = self.gateway, str(event.get("id"))
            pane.show_later("deliveries", lambda: deliveries(gateway, event_id))

    @on(ResourceTable.Opened, "#events")
    def _open_event(self, event: ResourceTable.Opened) -> None:
        """The event's `data`: the object as it was then, and `previous_attributes`."""
        item = event.item
        data = item.get("data") if isinstance(item.get("data"), dict) else {}
        assert isinstance(data, dict)
        title = f"{item.get('id', '')} {text(item.get('type'))}: data"
        self.app.push_screen(JsonInspector(data, title=title))

    # Palette ---------------------------------------------------------------------------------

    def list_events(self) -> None:
        """The palette's "List Stripe events": the newest events again, the filter kept."""
        self.table.focus()
        self._reload()
