"""One paged table for every Stripe resource, described by data: columns and how to fetch a page.

`ResourceTable(Resource(...))` loads the first page in a thread worker, loads the next page as the
cursor comes near the end, drops answers that a newer `load()` made stale, and offers the same
keys everywhere: j/k/g/G, enter to open, `y` copy the id, `i` inspect the JSON, `r` refresh.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, ClassVar, Self

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual._two_way_dict import TwoWayDict
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, Row, RowKey
from textual.worker import Worker, WorkerState

from tui.gateway import GatewayError, Page
from widgets.clipboard import offer_copy
from widgets.inspector import JsonInspector
from widgets.literal import literal, literal_str

Item = dict[str, Any]

NEAR_END = 5


@dataclass(frozen=True)
class Column:
    """One column: its header and how to render a cell from an item. A str is shown literally;
    a Text is drawn as it is, so make it with `widgets.literal.literal`."""

    label: str
    render: Callable[[dict[str, Any]], str | Text]
    width: int | None = None


@dataclass(frozen=True)
class Resource:
    """What a table lists: a plural name, its columns and `fetch(cursor) -> Page`."""

    name: str
    columns: tuple[Column, ...]
    fetch: Callable[[str | None], Page]
    empty_text: str = "Nothing here yet."


@dataclass(frozen=True)
class _Answer:
    """What a fetch worker returns: the page or the error, tagged with the load it belongs to."""

    generation: int
    first: bool
    page: Page | None = None
    error: BaseException | None = None


def _cell(value: str | Text, width: int | None = None) -> str | Text:
    """A column's value as a cell: DataTable parses a str cell as markup, so a str that could
    hold markup (or emoji codes) becomes a Text of its literal text. Text is the column's own.
    A cell cut to its column's width ends with an ellipsis."""
    if isinstance(value, Text):
        if value.overflow is None:
            value = value.copy()
            value.overflow = "ellipsis"
        return value
    safe = literal_str(value)
    fits = width is None or len(safe) <= width
    if fits and safe.isascii() and "[" not in safe and ":" not in safe:
        return safe  # nothing to parse: the plain-cell path below can draw it
    text = literal(safe)
    text.overflow = "ellipsis"
    return text


class ResourceTable(DataTable[Any]):
    """A paged DataTable whose rows are Stripe objects keyed by their ids."""

    DEFAULT_CSS = """
    ResourceTable {
        height: 1fr;
        border: round $primary 60%;
        border-title-color: $text;
        border-title-style: bold;
        border-subtitle-color: $text-muted;
    }
    ResourceTable:focus {
        border: round $primary;
    }
    ResourceTable > .resource-table--loading {
        border-subtitle-color: $warning;
        border-subtitle-style: italic;
    }
    ResourceTable > .resource-table--failure {
        color: $error;
    }
    ResourceTable.-failed {
        border-subtitle-color: $error;
    }
    ResourceTable.-empty {
        border-subtitle-color: $text-muted;
        border-subtitle-style: italic;
    }
    ResourceTable.-no-rows {
        overflow: hidden hidden;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = DataTable.COMPONENT_CLASSES | {
        "resource-table--loading",  # the subtitle's look while a page loads
        "resource-table--failure",  # what failed, drawn where the rows would be
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up"),
        Binding("g", "first", "First", show=False, id="table.first"),
        Binding("G", "last", "Last", show=False, id="table.last"),
        Binding("enter", "open", "Open", show=False, id="table.open"),
        Binding("y", "copy", "Copy id", id="table.copy"),
        Binding("i", "inspect", "Inspect", id="table.inspect"),
        Binding("r", "refresh", "Refresh", id="table.refresh"),
    ]

    is_loading: reactive[bool] = reactive(False)
    """True while a page is being fetched."""

    @dataclass
    class Highlighted(Message):
        """The cursor moved to an item."""

        table: ResourceTable
        item: dict[str, Any]

        @property
        def control(self) -> ResourceTable:
            return self.table

    @dataclass
    class Opened(Message):
        """The operator opened an item (enter or a click on the selected row)."""

        table: ResourceTable
        item: dict[str, Any]

        @property
        def control(self) -> ResourceTable:
            return self.table

    @dataclass
    class Loaded(Message):
        """A page arrived; `count` is how many items are loaded in all."""

        table: ResourceTable
        count: int
        has_more: bool

        @property
        def control(self) -> ResourceTable:
            return self.table

    def __init__(
        self,
        resource: Resource | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        # DataTable's row order and line offsets, kept up to date as pages are appended (see
        # "appending" below), for the DataTable state numbered `_order_count`. Set first:
        # DataTable.__init__ already reads them.
        self._order: list[Row] = []
        self._tops: list[int] = []
        self._lines: list[tuple[RowKey, int]] = []
        self._order_count = -1
        self._clearing = False
        self._paint_styles: dict[str, Style] | None = None
        super().__init__(cursor_type="row", zebra_stripes=True, name=name, id=id, classes=classes)
        self.resource: Resource | None = None
        self._items: list[Item] = []
        self._by_id: dict[str, Item] = {}
        self._next_cursor: str | None = None
        self._generation = 0
        self._loaded_once = False
        self._failure: str | None = None
        self._failure_lines: tuple[str, int, list[Strip]] | None = None
        if resource is not None:
            self._set_resource(resource)

    # ----------------------------------------------------------------------------- public

    @property
    def items(self) -> list[dict[str, Any]]:
        """The loaded items, in table order."""
        return list(self._items)

    @property
    def loaded(self) -> bool:
        """Whether the first page since the last `load(resource)` has arrived."""
        return self._loaded_once

    @property
    def has_more(self) -> bool:
        """Whether Stripe has more items after the last loaded page."""
        return self._next_cursor is not None

    @property
    def selected(self) -> dict[str, Any] | None:
        """The item under the cursor, if any."""
        if not self._items or not 0 <= self.cursor_row < len(self._items):
            return None
        return self._items[self.cursor_row]

    def load(self, resource: Resource | None = None) -> None:
        """Fetch the first page again; with a resource, replace it first (e.g. a new filter)."""
        if resource is not None:
            self._set_resource(resource)
            self._clear_rows()
        if self.resource is None:
            return
        self._generation += 1
        self._failure = None
        self._start_fetch(None, first=True)

    def reset(self) -> None:
        """Show nothing: forget the resource and its rows (an answer on its way is dropped)."""
        self._generation += 1
        self.resource = None
        self._clear_rows()
        self.clear(columns=True)
        self.is_loading = False

    def set_columns(self, columns: tuple[Column, ...]) -> None:
        """Show the loaded items with other columns (e.g. after a resize): nothing is fetched,
        and the rows, the cursor and the next page's cursor stay as they were."""
        if self.resource is None:
            return
        row = self.cursor_row
        self._set_resource(replace(self.resource, columns=columns))
        self._rebuild()
        if self._items:
            self.move_cursor(row=min(row, len(self._items) - 1), animate=False)

    def prepend(self, item: dict[str, Any]) -> None:
        """Put an item at the top (replacing the row with its id) and move the cursor to it."""
        key = self._key(item)
        if key in self._by_id or not self._items:
            self._items = [item] + [x for x in self._items if self._key(x) != key]
            self._by_id[key] = item
            self._rebuild()
            self.move_cursor(row=0)
        else:
            was_top = self.cursor_row == 0
            self._items.insert(0, item)
            self._by_id[key] = item
            self._insert_top(key, self._cells(item))
            self.move_cursor(row=0)
            if was_top:  # the cursor did not move, but the row under it is another
                self._highlight_cursor()
        self._update_subtitle()

    def discard(self, ident: str) -> None:
        """Take the row with this id out (e.g. a deleted object); the cursor stays in place."""
        if ident not in self._by_id:
            return
        row = self.cursor_row
        self._items = [x for x in self._items if self._key(x) != ident]
        del self._by_id[ident]
        self._rebuild()
        if self._items:
            self.move_cursor(row=min(row, len(self._items) - 1), animate=False)
        self._update_subtitle()

    def upsert(self, item: dict[str, Any]) -> None:
        """Replace the row with the item's id in place, or prepend it."""
        key = self._key(item)
        if key not in self._by_id:
            self.prepend(item)
            return
        index = next(i for i, x in enumerate(self._items) if self._key(x) == key)
        self._items[index] = item
        self._by_id[key] = item
        for column_index, cell in enumerate(self._cells(item)):
            self.update_cell(key, f"c{column_index}", cell, update_width=True)
        if index == self.cursor_row:
            self.post_message(self.Highlighted(self, item))

    # ----------------------------------------------------------------------------- rows

    @staticmethod
    def _key(item: Item) -> str:
        return str(item.get("id") or f"_row{id(item)}")

    def _set_resource(self, resource: Resource) -> None:
        self.resource = resource
        if not self.border_title:
            self.border_title = resource.name.capitalize()
        self.clear(columns=True)
        for index, column in enumerate(resource.columns):
            self.add_column(column.label, width=column.width, key=f"c{index}")

    def _cells(self, item: Item) -> list[str | Text]:
        assert self.resource is not None
        cells: list[str | Text] = []
        for column in self.resource.columns:
            try:
                cells.append(_cell(column.render(item), column.width))
            except Exception as exc:  # a missing field must not take the console down
                self.log.error("cannot render", column.label, repr(exc))
                cells.append(Text("?", style="dim"))
        return cells

    def _add(self, items: Iterable[Item]) -> None:
        """Append the items not loaded yet (a page can repeat one: it then replaces the item)."""
        rows: list[tuple[str, list[str | Text]]] = []
        for item in items:
            key = self._key(item)
            if key not in self._by_id:
                self._items.append(item)
                rows.append((key, self._cells(item)))
            self._by_id[key] = item
        self._append_rows(rows)

    def _clear_rows(self) -> None:
        self._failure = None
        self._items = []
        self._by_id = {}
        self._next_cursor = None
        self._loaded_once = False
        self.clear()
        self._update_subtitle()

    def _rebuild(self) -> None:
        self.clear()
        self._append_rows([(self._key(item), self._cells(item)) for item in self._items])

    def _update_subtitle(self) -> None:
        self._loading_look(self.is_loading)
        empty = self._loaded_once and not self._items and not self.is_loading
        self.set_class(empty, "-empty")
        self.set_class(not self._items, "-no-rows")  # nothing to scroll to: no scrollbars
        failed = self._failure is not None and not self.is_loading
        self.set_class(failed, "-failed")
        if self.is_loading:
            self.border_subtitle = "loading…"
        elif failed:
            loaded = f"{len(self._items)} loaded · " if self._items else ""
            self.border_subtitle = f"{loaded}could not load: r to retry"
        elif empty:
            self.border_subtitle = literal(self.resource.empty_text if self.resource else "")
        elif self._loaded_once or self._items:
            more = ", more below" if self.has_more else ""
            self.border_subtitle = f"{len(self._items)} loaded{more}"
        else:
            self.border_subtitle = ""

    def _set_failure(self, failure: str | None) -> None:
        self._failure = failure
        self._update_subtitle()
        self.refresh()

    def _loading_look(self, loading: bool) -> None:
        # Set inline, not with a class: a class toggled twice a page restyles the table, and a
        # restyled DataTable drops every rendered cell.
        styles = self.styles
        if not loading:
            styles.border_subtitle_color = None
            styles.border_subtitle_style = None
            return
        look = self.get_component_styles("resource-table--loading")
        styles.border_subtitle_color = look.border_subtitle_color
        styles.border_subtitle_style = look.border_subtitle_style

    def watch_is_loading(self) -> None:
        self._update_subtitle()

    # ----------------------------------------------------------------------------- appending
    # DataTable numbers its states (`_update_count`) and keys its render caches and its row
    # order by that number, so every `add_row` throws away the rendered cells of every row and
    # makes the next paint rebuild the row order and line offsets over the whole table: paging
    # costs more the longer the table. Appending rows changes no row above them, so a page is
    # appended under the same number (the caches stay valid), and the row order and line
    # offsets below are extended instead of rebuilt. Anything else (sort, remove, update_cell,
    # resize, a column that widens) still moves to a new number, and they are rebuilt.

    def _append_rows(self, rows: list[tuple[str, list[str | Text]]]) -> None:
        count = self._update_count
        for key, cells in rows:
            self.add_row(*cells, key=key)
        self._update_count = count

    def _insert_top(self, key: str, cells: list[str | Text]) -> None:
        """Add a row above every other one at the cost of one row: it is appended, then the
        row locations and the row order are shifted by one instead of being rebuilt."""
        if self._order_count == self._update_count:
            self._sync_order()  # the rows appended since the last paint, if any
        in_sync = self._order_count == self._update_count and len(self._order) == self.row_count
        row_key = self.add_row(*cells, key=key)
        by_index = self._row_locations._reverse
        keys = [row_key, *(by_index[index] for index in range(self.row_count - 1))]
        locations: TwoWayDict[RowKey, int] = TwoWayDict({})
        locations._forward = dict(zip(keys, range(len(keys)), strict=True))
        locations._reverse = dict(enumerate(keys))
        self._row_locations = locations
        self._update_count += 1  # every row's index (and so its zebra stripe) moved
        if in_sync:
            row = self.rows[row_key]
            tops = self._tops
            self._order.insert(0, row)
            if row.height == 1 and (not tops or tops[-1] == len(tops) - 1):
                tops.append(len(tops))  # one line a row: the tops are 0, 1, 2...
            else:
                self._tops = [0, *(top + row.height for top in tops)]
            self._lines[0:0] = [(row_key, y) for y in range(row.height)]
            self._order_count = self._update_count
        self.refresh()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        rows = [row for key in new_rows if (row := self.rows.get(key)) is not None]
        auto_height = any(row.auto_height for row in rows)
        fixed = not any(column.auto_width for column in self.columns.values())
        if fixed and not auto_height and not any(row.label for row in rows):
            rows = []  # fixed widths, one line a row: nothing to measure in the new rows
        widths = self._column_widths()
        super()._update_dimensions([row.key for row in rows])
        if self._column_widths() != widths or auto_height:
            self._update_count += 1  # rows above are drawn at other widths (or heights) now
            self.refresh()

    def _column_widths(self) -> list[int]:
        widths = [column.get_render_width(self) for column in self.columns.values()]
        return [*widths, self._row_label_column_width]

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._order_count = -1

    def clear(self, columns: bool = False) -> Self:
        self._clearing = True
        try:
            super().clear(columns)
        finally:
            self._clearing = False
            self._order_count = -1
        return self

    def _sync_order(self) -> None:
        count = self.row_count
        order = self._order
        if (
            self._order_count != self._update_count
            or len(order) > count
            or (order and self._row_locations.get_key(len(order) - 1) != order[-1].key)
        ):
            self._order, self._tops, self._lines = [], [], []
            self._order_count = self._update_count
        order, tops, lines = self._order, self._tops, self._lines
        locations, rows = self._row_locations, self.rows
        for index in range(len(order), count):
            key = locations.get_key(index)
            assert key is not None
            row = rows[key]
            order.append(row)
            tops.append(len(lines))
            lines.extend([(row.key, y) for y in range(row.height)])

    @property
    def ordered_rows(self) -> list[Row]:
        self._sync_order()
        return self._order

    @property
    def _y_offsets(self) -> list[tuple[RowKey, int]]:
        if self._clearing:
            return []
        self._sync_order()
        return self._lines

    def _get_row_region(self, row_index: int) -> Region:
        if not self.is_valid_row_index(row_index):
            return Region(0, 0, 0, 0)
        self._sync_order()
        row = self._order[row_index]
        row_width = (
            sum(column.get_render_width(self) for column in self.columns.values())
            + self._row_label_column_width
        )
        y = self._tops[row_index] + (self.header_height if self.show_header else 0)
        return Region(0, y, max(self.size.width, row_width), row.height)

    # ----------------------------------------------------------------------------- painting
    # DataTable works out its own style and the row's (zebra) style again for every line it
    # paints; nothing can change them while one paint is under way, so a paint keeps them.

    def render_line(self, y: int) -> Strip:
        # A table with nothing loaded because the load failed says so where its rows would be.
        if not self.columns:  # nothing to show yet: not even an empty header bar
            return Strip.blank(self.size.width, self.rich_style)
        failure = self._failure
        top = self.header_height if self.show_header else 0
        if failure is None or self._items or y < top:
            return super().render_line(y)
        lines = self._failure_strips(failure)
        line = y - top - 1  # under a blank line
        if 0 <= line < len(lines):
            return lines[line]
        return Strip.blank(self.size.width, self.rich_style)

    def _failure_strips(self, failure: str) -> list[Strip]:
        width = self.size.width
        cached = self._failure_lines
        if cached is not None and cached[:2] == (failure, width):
            return cached[2]
        style = self.rich_style + self.get_component_rich_style("resource-table--failure")
        console = self.app.console
        text = literal(failure, multiline=True)
        options = console.options.update_width(max(width - 2, 1))
        rendered = console.render_lines(text, options, style=style, pad=False)
        blank = Segment(" ", style)
        strips = [
            Strip([blank, *line]).adjust_cell_length(width, self.rich_style) for line in rendered
        ]
        self._failure_lines = (failure, width, strips)
        return strips

    def render_lines(self, crop: Region) -> list[Strip]:
        self._paint_styles = {}
        try:
            return super().render_lines(crop)
        finally:
            self._paint_styles = None

    @property
    def rich_style(self) -> Style:
        styles = self._paint_styles
        if styles is None:
            return super().rich_style
        if "" not in styles:
            styles[""] = super().rich_style
        return styles[""]

    def _get_row_style(self, row_index: int, base_style: Style) -> Style:
        styles = self._paint_styles
        if styles is None or row_index < self.fixed_rows or not self.zebra_stripes:
            return super()._get_row_style(row_index, base_style)
        name = "datatable--odd-row" if row_index % 2 else "datatable--even-row"
        if name not in styles:
            styles[name] = super()._get_row_style(row_index, base_style)
        return styles[name]

    # ----------------------------------------------------------------------------- cells
    # DataTable draws every cell through Rich (markup, padding, cropping, styling), which is
    # most of the cost of painting rows the table has not shown yet. A cell that is a plain
    # one-line string that fits (ASCII, printable, no markup or emoji codes) comes out of Rich
    # as its text padded to the column's width in one style; it is drawn here directly, with
    # the same styles and cache key. Anything else still goes through Rich.

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        plain = self._plain_cell(row_index, column_index, width)
        if plain is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key, column_key, text = plain
        cache_key = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        lines = self._cell_render_cache.get(cache_key)
        if lines is None:
            component_style, post_style = self._get_styles_to_render_cell(
                False,
                False,
                row_index < self.fixed_rows or column_index < self.fixed_columns,
                hover,
                cursor,
                self.show_cursor,
                self._show_hover_cursor,
                self.cursor_foreground_priority == "css",
                self.cursor_background_priority == "css",
            )
            meta = Style.from_meta({"row": row_index, "column": column_index})
            style = base_style + meta + component_style + post_style
            padding = " " * self.cell_padding
            text = text.ljust(width - 2 * self.cell_padding)
            lines = [[Segment(f"{padding}{text}{padding}", style)]]
            self._cell_render_cache[cache_key] = lines
        return lines

    def _plain_cell(
        self, row_index: int, column_index: int, width: int
    ) -> tuple[RowKey, ColumnKey, str] | None:
        """The cell's keys and text if it can be drawn without Rich, else None."""
        if row_index < 0 or column_index < 0:
            return None
        row_key = self._row_locations.get_key(row_index)
        row = self.rows.get(row_key) if row_key is not None else None
        column_key = self._column_locations.get_key(column_index)
        if row is None or row.height != 1 or row.auto_height or column_key is None:
            return None
        value = self._data[row.key].get(column_key)
        if type(value) is not str:
            return None
        if not (value.isascii() and value.isprintable()) or "[" in value or ":" in value:
            return None
        if len(value) > width - 2 * self.cell_padding:
            return None
        return row.key, column_key, value

    # ----------------------------------------------------------------------------- fetching

    @property
    def _group(self) -> str:
        return f"table-{self.id or id(self)}"

    def _start_fetch(self, cursor: str | None, *, first: bool) -> None:
        assert self.resource is not None
        self.is_loading = True
        self.run_worker(
            partial(self._fetch, self.resource, cursor, self._generation, first),
            thread=True,
            exclusive=True,
            group=self._group,
            exit_on_error=False,
            description=f"load {self.resource.name}",
        )

    @staticmethod
    def _fetch(resource: Resource, cursor: str | None, generation: int, first: bool) -> _Answer:
        try:
            return _Answer(generation, first, page=resource.fetch(cursor))
        except Exception as exc:
            return _Answer(generation, first, error=exc)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != self._group:
            return
        event.stop()
        if event.state == WorkerState.SUCCESS and isinstance(worker.result, _Answer):
            self._answered(worker.result)
        elif event.state == WorkerState.ERROR:
            self.is_loading = False
            self.log.error("table fetch failed", repr(worker.error))

    def _answered(self, answer: _Answer) -> None:
        if answer.generation != self._generation:
            return
        self.is_loading = False
        name = self.resource.name if self.resource else "items"
        if answer.error is not None:
            error = answer.error
            detail = error.detail if isinstance(error, GatewayError) else str(error)
            self.notify(detail, title=f"Could not load {name}", severity="error")
            self._set_failure(f"Could not load {name}: {detail}\nPress r to retry.")
            return
        page = answer.page
        assert page is not None
        self._set_failure(None)
        if answer.first:
            keep = self.selected
            self._items = []
            self._by_id = {}
            self.clear()
            self._add(page.items)
            if keep is not None and self._key(keep) in self._by_id:
                self.move_cursor(row=self.get_row_index(self._key(keep)))
        else:
            self._add(page.items)
        self._next_cursor = page.next_cursor
        self._loaded_once = True
        self._update_subtitle()
        self.post_message(self.Loaded(self, len(self._items), self.has_more))
        if answer.first and self._items and self.cursor_row == 0:
            self.post_message(self.Highlighted(self, self._items[0]))

    def _maybe_next_page(self) -> None:
        if (
            self._next_cursor is not None
            and not self.is_loading
            and self.resource is not None
            and self.cursor_row >= len(self._items) - NEAR_END
        ):
            self._start_fetch(self._next_cursor, first=False)

    # ----------------------------------------------------------------------------- events

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table is not self:
            return
        event.stop()
        item = self._by_id.get(str(event.row_key.value))
        if item is not None:
            self.post_message(self.Highlighted(self, item))
        self._maybe_next_page()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table is not self:
            return
        event.stop()
        item = self._by_id.get(str(event.row_key.value))
        if item is not None:
            self.post_message(self.Opened(self, item))

    # ----------------------------------------------------------------------------- actions

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        if self._items:
            self.move_cursor(row=len(self._items) - 1)

    def action_open(self) -> None:
        item = self.selected
        if item is not None:
            self.post_message(self.Opened(self, item))

    def action_copy(self) -> None:
        item = self.selected
        if item is None or not item.get("id"):
            self.notify("Nothing selected to copy.", severity="warning")
            return
        offer_copy(self, "Id", str(item["id"]))

    def action_inspect(self) -> None:
        item = self.selected
        if item is None:
            self.notify("Nothing selected to inspect.", severity="warning")
            return
        self.app.push_screen(JsonInspector(item, title=str(item.get("id", ""))))

    def action_refresh(self) -> None:
        self.load()
