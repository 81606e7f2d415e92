"""Pilot tests of the paged resource table and the JSON inspector."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any
from unittest.mock import patch

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.color import Color
from textual.geometry import Region

from tests.functional import helpers
from tui.gateway import ErrorKind, GatewayError, Page
from widgets.inspector import JsonInspector
from widgets.resource_table import Column, Resource, ResourceTable

COLUMNS = (
    Column("Id", lambda item: item["id"], width=12),
    Column("Email", lambda item: item.get("email") or ""),
)


def customers(n: int, prefix: str = "cus_") -> list[dict[str, Any]]:
    return [{"id": f"{prefix}{i:04d}", "email": f"c{i}@example.com"} for i in range(n)]


class Pager:
    """fetch(cursor) over a list, in pages; records the cursors it was asked for."""

    def __init__(self, items: list[dict[str, Any]], size: int = 100) -> None:
        self.items = items
        self.size = size
        self.cursors: list[str | None] = []
        self.error: GatewayError | None = None

    def __call__(self, cursor: str | None) -> Page:
        self.cursors.append(cursor)
        if self.error is not None:
            raise self.error
        start = 0 if cursor is None else int(cursor)
        end = start + self.size
        return Page(self.items[start:end], str(end) if end < len(self.items) else None)


class TableApp(App[None]):
    def __init__(self, resource: Resource) -> None:
        super().__init__()
        self.resource = resource
        self.events: list[Any] = []

    def compose(self) -> ComposeResult:
        yield ResourceTable(self.resource, id="customers")

    def on_mount(self) -> None:
        self.query_one(ResourceTable).load()

    def on_resource_table_opened(self, event: ResourceTable.Opened) -> None:
        self.events.append(("opened", event.item["id"]))

    def on_resource_table_loaded(self, event: ResourceTable.Loaded) -> None:
        self.events.append(("loaded", event.count, event.has_more))

    def on_resource_table_highlighted(self, event: ResourceTable.Highlighted) -> None:
        self.events.append(("highlighted", event.item["id"]))


def make(pager: Pager) -> TableApp:
    return TableApp(Resource("customers", COLUMNS, pager, empty_text="No customers yet."))


async def settle(app: App[Any], pilot: Any) -> None:
    """Workers done, debounces fired, messages handled (tests/functional/helpers.py)."""
    await helpers.settle(pilot)


def table(app: App[Any]) -> ResourceTable:
    return app.query_one(ResourceTable)


async def test_loads_first_page_and_pages_near_the_end() -> None:
    pager = Pager(customers(250))
    app = make(pager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        t = table(app)
        assert len(t.items) == 100 and t.row_count == 100
        assert t.has_more
        assert t.border_subtitle == "100 loaded, more below"
        assert ("loaded", 100, True) in app.events
        assert pager.cursors == [None]
        t.focus()
        t.move_cursor(row=90)
        await settle(app, pilot)
        assert pager.cursors == [None]  # not yet within 5 rows of the end
        await pilot.press("G")
        await settle(app, pilot)
        assert pager.cursors == [None, "100"]
        assert len(t.items) == 200
        await pilot.press("G")
        await settle(app, pilot)
        assert len(t.items) == 250 and not t.has_more
        assert t.border_subtitle == "250 loaded"
        await pilot.press("G")
        await settle(app, pilot)
        assert pager.cursors == [None, "100", "200"]
        await pilot.press("g")
        await pilot.pause()
        assert t.cursor_row == 0
        await pilot.press("j", "j", "k")
        await pilot.pause()
        assert t.selected is not None and t.selected["id"] == "cus_0001"
        assert ("highlighted", "cus_0001") in app.events


async def test_empty_result_shows_empty_text() -> None:
    app = make(Pager([]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert table(app).border_subtitle == "No customers yet."
        assert table(app).selected is None


async def test_enter_opens_and_y_copies_and_i_inspects() -> None:
    app = make(Pager(customers(3)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table(app).focus()
        await pilot.press("j", "enter")
        await pilot.pause()
        assert ("opened", "cus_0001") in app.events
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == "cus_0001"
        # Whether the terminal took OSC 52 is unknown: the id is shown whole, nothing claims a copy.
        shown = [n for n in app._notifications if n.title == "Id"]
        assert shown and shown[-1].message.splitlines()[0] == "cus_0001"
        assert not any("Copied" in n.message for n in app._notifications)
        await pilot.press("i")
        await pilot.pause()
        inspector = app.screen
        assert isinstance(inspector, JsonInspector)
        assert inspector.title_text == "cus_0001"
        await pilot.press("y")
        await pilot.pause()
        assert json.loads(app.clipboard) == {"id": "cus_0001", "email": "c1@example.com"}
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, JsonInspector)


async def test_prepend_and_upsert() -> None:
    app = make(Pager(customers(3)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        t = table(app)
        t.prepend({"id": "cus_new", "email": "new@example.com"})
        await pilot.pause()
        assert [x["id"] for x in t.items][:2] == ["cus_new", "cus_0000"]
        assert t.cursor_row == 0 and t.selected is not None
        assert t.selected["id"] == "cus_new"
        t.upsert({"id": "cus_0001", "email": "changed@example.com"})
        await pilot.pause()
        assert t.items[2] == {"id": "cus_0001", "email": "changed@example.com"}
        assert t.get_row("cus_0001")[1] == "changed@example.com"
        assert len(t.items) == 4
        t.upsert({"id": "cus_other", "email": "o@example.com"})
        await pilot.pause()
        assert t.items[0]["id"] == "cus_other" and t.row_count == 5
        t.prepend({"id": "cus_0002", "email": "moved@example.com"})
        await pilot.pause()
        assert t.items[0]["email"] == "moved@example.com" and t.row_count == 5
        assert t.border_subtitle == "5 loaded"


async def test_prepend_with_pages_loaded_keeps_every_row_in_place() -> None:
    app = make(Pager(customers(250)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        t = table(app)
        t.focus()
        await pilot.press("G")
        await settle(app, pilot)
        await pilot.press("g")
        await pilot.pause()
        assert len(t.items) == 200
        app.events.clear()
        t.prepend({"id": "cus_new", "email": "new@example.com"})
        await pilot.pause()
        ids = [x["id"] for x in t.items]
        assert ids[:2] == ["cus_new", "cus_0000"] and len(ids) == 201
        assert [str(t.get_row_at(i)[0]) for i in range(t.row_count)] == ids
        assert ("highlighted", "cus_new") in app.events
        assert t.selected is not None and t.selected["id"] == "cus_new"
        assert "cus_new" in t.render_line(1).text and "cus_0000" in t.render_line(2).text
        assert t.border_subtitle == "201 loaded, more below"
        await pilot.press("G")
        await settle(app, pilot)
        assert len(t.items) == 251 and t.items[-1]["id"] == "cus_0249"
        assert [str(t.get_row_at(i)[0]) for i in range(t.row_count)] == [x["id"] for x in t.items]
        assert t.selected is not None and t.selected["id"] == "cus_0199"
        await pilot.press("G")
        await pilot.pause()
        assert t.selected is not None and t.selected["id"] == "cus_0249"
        bottom = t.scrollable_content_region.height - 1
        assert "cus_0249" in t.render_line(bottom).text


async def test_prepend_renders_only_the_new_row() -> None:
    rendered: list[str] = []

    def email(item: dict[str, Any]) -> str:
        rendered.append(item["id"])
        return str(item.get("email") or "")

    columns = (COLUMNS[0], Column("Email", email))
    app = TableApp(Resource("customers", columns, Pager(customers(300))))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        t = table(app)
        t.focus()
        await pilot.press("G")
        await settle(app, pilot)
        assert len(t.items) == 200
        rendered.clear()
        t.prepend({"id": "cus_new", "email": "new@example.com"})
        await pilot.pause()
        assert rendered == ["cus_new"]  # not every loaded row again
        assert t.selected is not None and t.selected["id"] == "cus_new"


async def test_refresh_drops_stale_results() -> None:
    gate = threading.Event()
    calls: list[int] = []

    def fetch(cursor: str | None) -> Page:
        calls.append(1)
        if len(calls) == 2:  # the first refresh answers late, with old data
            gate.wait(5)
            return Page(customers(2, "cus_old"), None)
        return Page(customers(3, "cus_new") if len(calls) > 2 else customers(1), None)

    app = TableApp(Resource("customers", COLUMNS, fetch))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        t = table(app)
        t.focus()
        await pilot.press("r")
        await pilot.pause()
        assert t.is_loading and t.border_subtitle == "loading…"
        warning = Color.parse(app.get_css_variables()["warning"])
        assert t.styles.border_subtitle_color == warning
        assert t.styles.border_subtitle_style.italic
        assert t.row_count == 1  # rows stay visible while it loads
        # The first refresh's fetch must be the one held at the gate: under load its thread
        # could start after the second refresh's, which then became the held (stale) one.
        for _ in range(500):
            if len(calls) == 2:
                break
            await asyncio.sleep(0.01)
        assert len(calls) == 2
        await pilot.press("r")
        await pilot.pause()
        gate.set()
        await settle(app, pilot)
        assert [x["id"] for x in t.items] == ["cus_new0000", "cus_new0001", "cus_new0002"]
        assert not t.is_loading
        assert t.styles.border_subtitle_color != warning
        assert not t.styles.border_subtitle_style.italic


async def test_stale_answer_ignored_by_generation() -> None:
    """Even if an old worker's answer arrives, a newer load wins."""
    pager = Pager(customers(3))
    app = make(pager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        t = table(app)
        from widgets.resource_table import _Answer

        t._answered(_Answer(t._generation - 1, True, page=Page(customers(7, "cus_x"), None)))
        await pilot.pause()
        assert len(t.items) == 3


async def test_fetch_error_notified_and_rows_kept() -> None:
    pager = Pager(customers(5))
    app = make(pager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        pager.error = GatewayError(ErrorKind.API, "Stripe is having a moment", request_id="req_9")
        table(app).load()
        await settle(app, pilot)
        assert len(table(app).items) == 5
        notes = [n for n in app._notifications if n.severity == "error"]
        assert notes and notes[-1].title == "Could not load customers"
        assert "req_9" in notes[-1].message
        assert table(app).border_subtitle == "5 loaded · could not load: r to retry"


async def test_a_failed_load_says_in_the_table_what_failed_until_a_retry_works() -> None:
    pager = Pager(customers(3))
    pager.error = GatewayError(ErrorKind.API, "Stripe is having a moment", request_id="req_9")
    app = make(pager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.clear_notifications()  # the notification fades: the table still says it
        await pilot.pause()
        shown = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "Could not load customers: Stripe is having a moment" in shown
        assert "Request req_9" in shown and "Press r to retry." in shown
        assert table(app).border_subtitle == "could not load: r to retry"
        pager.error = None
        await pilot.press("r")
        await settle(app, pilot)
        shown = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "Could not load" not in shown and "c2@example.com" in shown
        assert table(app).border_subtitle == "3 loaded"


async def test_load_with_new_resource_replaces_rows() -> None:
    app = make(Pager(customers(4)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        t = table(app)
        t.load(Resource("customers", COLUMNS[:1], Pager(customers(2, "cus_f"))))
        await settle(app, pilot)
        assert [x["id"] for x in t.items] == ["cus_f0000", "cus_f0001"]
        assert len(t.columns) == 1


async def test_plain_cells_drawn_as_rich_draws_them() -> None:
    """Cells drawn without Rich (plain strings that fit) look exactly as through Rich."""
    values = ["", "a", "exactly 12 c", "more than twelve", "a:b :smile:", "[b]x[/b]", "é", "t\tab"]
    values += ["  spaced  ", "back\\slash", "x" * 11, "—", "a-rather-long@example.com", "日本語"]
    items = [{"id": f"cus_{i:04d}", "email": value} for i, value in enumerate(values)]
    columns = (
        Column("Id", lambda item: item["id"], width=12),
        Column("Email", lambda item: item["email"], width=12),
        Column("Auto", lambda item: item["email"]),
        Column("Styled", lambda item: Text(item["email"], style="bold")),
    )
    app = TableApp(Resource("customers", columns, Pager(items)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        t = table(app)
        t.focus()
        t.move_cursor(row=2)
        await pilot.pause()
        assert t.get_row_at(2)[1] == "exactly 12 c" and isinstance(t.get_row_at(3)[1], Text)
        region = Region(0, 0, t.outer_size.width, t.outer_size.height)

        def draw() -> list[list[Any]]:
            t._clear_caches()
            return [list(strip) for strip in t.render_lines(region)]

        fast = draw()
        with patch.object(ResourceTable, "_plain_text", return_value=None):
            through_rich = draw()
        assert fast == through_rich


async def test_a_cut_cell_ends_with_an_ellipsis() -> None:
    items = [{"id": "cus_0001", "email": "a-rather-long@example.com"}]
    columns = (
        Column("Id", lambda item: item["id"], width=12),
        Column("Email", lambda item: item["email"], width=12),
        Column("Styled", lambda item: Text(item["email"], style="bold"), width=10),
    )
    app = TableApp(Resource("customers", columns, Pager(items)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        shown = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "a-rather-lo…" in shown and "a-rather-…" in shown


def counting_columns(drawn: list[str]) -> tuple[Column, ...]:
    """COLUMNS, the email's render recording which item it was asked for (fixed widths)."""

    def email(item: dict[str, Any]) -> str:
        drawn.append(item["id"])
        return str(item.get("email") or "")

    return (COLUMNS[0], Column("Email", email, width=20))


@pytest.mark.paints
async def test_only_the_lines_on_screen_are_made_and_a_page_costs_what_it_adds() -> None:
    drawn: list[str] = []
    app = TableApp(Resource("customers", counting_columns(drawn), Pager(customers(3000), 1000)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        t = table(app)
        t.focus()
        assert t.row_count == 1000
        on_screen = t.scrollable_content_region.height - t.header_height
        assert 0 < len(set(drawn)) <= on_screen  # not the 1000 rows loaded
        assert t.virtual_size.height == 1000 + t.header_height  # yet all of them scroll
        drawn.clear()
        await pilot.press("G")  # the last row, and the next page of 1000
        await settle(app, pilot)
        assert t.row_count == 2000 and t.selected is not None
        assert t.selected["id"] == "cus_0999"
        assert set(drawn) <= {f"cus_{i:04d}" for i in range(1000 - on_screen, 1000)}
        bottom = t.scrollable_content_region.height - 1
        assert "cus_0999" in t.render_line(bottom).text
        drawn.clear()
        await pilot.press("j")
        await pilot.pause()
        assert drawn == ["cus_1000"]  # the row scrolled into view, nothing else


@pytest.mark.paints
async def test_prepend_with_thousands_loaded_makes_one_row_and_moves_nothing_else() -> None:
    drawn: list[str] = []
    app = TableApp(Resource("customers", counting_columns(drawn), Pager(customers(10_000), 5000)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        t = table(app)
        t.focus()
        await pilot.press("G")
        await settle(app, pilot)
        assert t.row_count == 10_000
        await pilot.press("g")
        await pilot.pause()
        drawn.clear()
        app.events.clear()
        t.prepend({"id": "cus_new", "email": "new@example.com"})
        await pilot.pause()
        assert drawn == ["cus_new"]
        assert t.row_count == 10_001 and t.cursor_row == 0
        assert ("highlighted", "cus_new") in app.events
        assert [str(t.get_row_at(i)[0]) for i in (0, 1, 10_000)] == [
            "cus_new",
            "cus_0000",
            "cus_9999",
        ]
        assert "cus_new" in t.render_line(1).text and "cus_0000" in t.render_line(2).text


async def test_keys_and_clicks_move_the_cursor_as_datatable_did() -> None:
    app = make(Pager(customers(100)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        t = table(app)
        t.focus()
        page = t.scrollable_content_region.height - t.header_height
        await pilot.press("pagedown")
        await pilot.pause()
        assert t.cursor_row == page and t.scroll_y > 0
        await pilot.press("pageup")
        await pilot.pause()
        assert t.cursor_row == 0 and t.scroll_y == 0
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert t.cursor_row == 99
        await pilot.press("ctrl+home", "down", "down", "up")
        await pilot.pause()
        assert t.cursor_row == 1
        # A click on a row moves the cursor there; a click on the selected row opens it.
        first_row = t.region.y + 1 + t.header_height  # under the border and the header
        await pilot.click(t, offset=(5, first_row - t.region.y + 2))
        await pilot.pause()
        assert t.cursor_row == 2 and ("opened", "cus_0002") not in app.events
        await pilot.click(t, offset=(5, first_row - t.region.y + 2))
        await pilot.pause()
        assert ("opened", "cus_0002") in app.events
        await pilot.click(t, offset=(5, first_row - t.region.y - 1))  # the header
        await pilot.pause()
        assert t.cursor_row == 2
