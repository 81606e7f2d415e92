"""One paged table for every Stripe resource, described by data: columns and how to fetch a page.

`ResourceTable(Resource(...))` loads the first page in a thread worker, loads the next page as the
cursor comes near the end, drops answers that a newer `load()` made stale, and offers the same
keys everywhere: j/k/g/G, enter to open, `y` copy the id, `i` inspect the JSON, `r` refresh.

It is a Line API widget (a `ScrollView` with `render_line`): it keeps the loaded items, packed
as JSON text (widgets/packed_items.py), and nothing per row, and draws only the lines on
screen, from cells made when a line is first drawn (a small cache keeps the cells of the rows
drawn last). Appending a page or putting a row at the top costs what it adds, not what is
loaded. It looks and behaves as Textual's `DataTable` with a row cursor and zebra stripes (the
same component classes and styles, so the same pixels).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual._segment_tools import line_crop
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size, Spacing, clamp
from textual.message import Message
from textual.reactive import reactive
from textual.renderables.styled import Styled
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from tui.gateway import GatewayError, Page
from widgets.clipboard import offer_copy
from widgets.inspector import JsonInspector
from widgets.literal import literal, literal_str
from widgets.packed_items import PackedItems

Item = dict[str, Any]
Cell = str | Text

NEAR_END = 5
CELL_PADDING = 1
CACHED_ROWS = 512  # rows whose cells are kept (a few screens' worth)
HEADER = -1  # the header's row index, in the cursor's and the mouse's terms


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


def _cell(value: str | Text, width: int | None = None) -> Cell:
    """A column's value as a cell. A str that is plain printable ASCII with nothing a markup
    parser would read and that fits stays a str (drawn directly); anything else becomes a Text
    of its literal text (never parsed). Text is the column's own. A cut cell ends with an
    ellipsis."""
    if isinstance(value, Text):
        if value.overflow is None:
            value = value.copy()
            value.overflow = "ellipsis"
        return value
    safe = literal_str(value)
    fits = width is None or len(safe) <= width
    if fits and safe.isascii() and "[" not in safe and ":" not in safe:
        return safe
    text = literal(safe)
    text.overflow = "ellipsis"
    return text


def _width(cell: Cell) -> int:
    """The cells a cell needs (what Rich measures for it)."""
    if isinstance(cell, str):
        return cell_len(cell)
    lines = cell.plain.splitlines()
    return max(cell_len(line) for line in lines) if lines else 0


class _RowCursorTable(ScrollView, can_focus=True):
    """The keys of Textual's DataTable with a row cursor (ResourceTable adds its own)."""

    ALLOW_SELECT = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("right", "cursor_right", "Cursor right", show=False),
        Binding("left", "cursor_left", "Cursor left", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("ctrl+home", "scroll_top", "Top", show=False),
        Binding("ctrl+end", "scroll_bottom", "Bottom", show=False),
        Binding("home", "scroll_home", "Home", show=False),
        Binding("end", "scroll_end", "End", show=False),
    ]


class ResourceTable(_RowCursorTable):
    """A paged table whose rows are Stripe objects keyed by their ids."""

    # DataTable's look (its rules for ResourceTable), then the table's own.
    DEFAULT_CSS = """
    ResourceTable {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .datatable--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .datatable--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .datatable--even-row {
            background: $surface-darken-1 40%;
        }
        & > .datatable--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .datatable--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .datatable--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .datatable--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .datatable--header-cursor {
            background: $accent-darken-1;
            color: $foreground;
        }
        & > .datatable--header-hover {
            background: $accent 30%;
        }
        & > .datatable--hover {
            background: $block-hover-background;
        }
    }
    ResourceTable {
        height: 1fr;
        max-height: 100%;
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

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "datatable--cursor",
        "datatable--hover",
        "datatable--header",
        "datatable--header-cursor",
        "datatable--header-hover",
        "datatable--odd-row",
        "datatable--even-row",
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

    show_header: reactive[bool] = reactive(True)
    """Whether the row of column labels is shown."""

    header_height = 1
    zebra_stripes = True
    show_cursor = True
    cursor_type = "row"

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
        super().__init__(name=name, id=id, classes=classes)
        self.resource: Resource | None = None
        self._items = PackedItems()
        self._next_cursor: str | None = None
        self._generation = 0
        self._loaded_once = False
        self._failure: str | None = None
        self._failure_lines: tuple[str, int, list[Strip]] | None = None
        # Columns: their labels and the cells each needs (the widest cell, for a column
        # without a width; cells of an auto column are measured as they are loaded).
        self._labels: list[Text] = []
        self._content: list[int] = []
        self._cursor = 0
        self._hover = 0  # the row under the mouse (HEADER for the header)
        self._show_hover_cursor = False
        self._scroll_pending = False  # rows came or went since the last idle
        # Painting: cells by item key (with the serial of the item they were made from: see
        # PackedItems), drawn lines, and the styles of one paint (nothing can change them
        # while one paint is under way).
        self._cells_cache: LRUCache[str, tuple[int, list[Cell]]] = LRUCache(CACHED_ROWS)
        self._line_cache: LRUCache[tuple[Any, ...], Strip] = LRUCache(CACHED_ROWS)
        self._version = 0  # bumped when rows move or widths change: drawn lines are stale
        self._paint_styles: dict[str, Style] | None = None
        self._cell_styles_cache: dict[tuple[Any, ...], tuple[Style, Style]] = {}
        self._pseudo_class_state: Any = None
        if resource is not None:
            self._set_resource(resource)

    # ----------------------------------------------------------------------------- public

    @property
    def items(self) -> list[dict[str, Any]]:
        """The loaded items, in table order (each parsed from its text: `row_of` and `find`
        are cheaper)."""
        return list(self._items)

    def row_of(self, ident: str) -> int | None:
        """The index of the row with this id, if it is loaded."""
        return self._items.index(ident) if ident in self._items else None

    def find(self, ident: str) -> dict[str, Any] | None:
        """The loaded item with this id, if any."""
        row = self.row_of(ident)
        return None if row is None else self.item_at(row)

    def item_at(self, row: int) -> dict[str, Any]:
        """The item of the row at an index (IndexError if none)."""
        return self._items[row]

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
        if not self._items or not 0 <= self._cursor < len(self._items):
            return None
        return self.item_at(self._cursor)

    @property
    def cursor_row(self) -> int:
        """The index of the row under the cursor."""
        return self._cursor

    @property
    def row_count(self) -> int:
        """How many rows are loaded."""
        return len(self._items)

    @property
    def columns(self) -> tuple[Column, ...]:
        """The columns shown."""
        return self.resource.columns if self.resource is not None else ()

    def get_row_at(self, row_index: int) -> list[Cell]:
        """The cells of the row at an index, as drawn (a str or a literal Text each)."""
        if not 0 <= row_index < len(self._items):
            raise IndexError(f"no row {row_index}")
        return list(self._row_cells(row_index))

    def get_row(self, key: str) -> list[Cell]:
        """The cells of the row with this id."""
        return list(self._row_cells(self.get_row_index(key)))

    def get_row_index(self, key: str) -> int:
        """The index of the row with this id (ValueError if none)."""
        return self._items.index(key)

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
        self._labels = []
        self._clear_rows()
        self.is_loading = False

    def set_columns(self, columns: tuple[Column, ...]) -> None:
        """Show the loaded items with other columns (e.g. after a resize): nothing is fetched,
        and the rows, the cursor and the next page's cursor stay as they were."""
        if self.resource is None:
            return
        self._set_resource(replace(self.resource, columns=columns))
        self._measure(range(len(self._items)))
        self._rows_changed()
        self._scroll_cursor_into_view()

    def prepend(self, item: dict[str, Any]) -> None:
        """Put an item at the top (replacing the row with its id) and move the cursor to it."""
        moved = self._cursor != 0
        self._items.insert_first(item)
        self._measure([0])
        self._rows_changed()
        self.move_cursor(row=0)
        if not moved:  # the cursor did not move, but the row under it is another
            self._highlighted()
        self._update_subtitle()

    def discard(self, ident: str) -> None:
        """Take the row with this id out (e.g. a deleted object); the cursor stays in place."""
        if not self._items.remove(ident):
            return
        self._reset_widths()
        self._measure(range(len(self._items)))
        self._rows_changed()
        self._cursor = clamp(self._cursor, 0, max(len(self._items) - 1, 0))
        self._scroll_cursor_into_view()
        self._highlighted()
        self._update_subtitle()

    def upsert(self, item: dict[str, Any]) -> None:
        """Replace the row with the item's id in place, or prepend it."""
        key = self._items.key_of(item)
        if key is None or key not in self._items:
            self.prepend(item)
            return
        index = self._items.index(key)
        self._items.replace(index, item)
        self._measure([index])
        self._version += 1
        self.refresh()
        if index == self._cursor:
            self.post_message(self.Highlighted(self, item))

    def move_cursor(
        self, *, row: int | None = None, animate: bool = False, scroll: bool = True
    ) -> None:
        """Move the cursor to a row (clamped to the rows there are) and scroll it into view."""
        if row is not None and self._set_cursor(row):
            return  # moved: scrolled into view already
        if scroll:
            self._scroll_cursor_into_view()

    # ----------------------------------------------------------------------------- rows

    def _set_resource(self, resource: Resource) -> None:
        self.resource = resource
        if not self.border_title:
            self.border_title = resource.name.capitalize()
        self._labels = [Text.from_markup(column.label) for column in resource.columns]
        self._reset_widths()
        self._cells_cache.clear()

    def _reset_widths(self) -> None:
        columns = self.resource.columns if self.resource else ()
        self._content = [
            _width(label) if column.width is None else column.width
            for column, label in zip(columns, self._labels, strict=True)
        ]

    def _measure(self, rows: Iterable[int]) -> None:
        """Widen the columns without a width to fit the cells of these rows."""
        assert self.resource is not None
        auto = [i for i, column in enumerate(self.resource.columns) if column.width is None]
        if not auto:
            return  # fixed widths: nothing to render before a row is drawn
        content = self._content
        widths = list(content)
        for row in rows:
            cells = self._row_cells(row)
            for index in auto:
                content[index] = max(content[index], _width(cells[index]))
        if content != widths:
            self._rows_changed()

    def _cells(self, item: Item) -> list[Cell]:
        assert self.resource is not None
        cells: list[Cell] = []
        for column in self.resource.columns:
            try:
                cells.append(_cell(column.render(item), column.width))
            except Exception as exc:  # a missing field must not take the console down
                self.log.error("cannot render", column.label, repr(exc))
                cells.append(Text("?", style="dim"))
        return cells

    def _row_cells(self, index: int) -> list[Cell]:
        """A row's cells, made again only if its item was replaced since they were made."""
        items = self._items
        key, serial = items.key(index), items.serial(index)
        cached = self._cells_cache.get(key)
        if cached is not None and cached[0] == serial:
            return cached[1]
        cells = self._cells(items[index])
        self._cells_cache[key] = (serial, cells)
        return cells

    def _add(self, items: Iterable[Item]) -> None:
        """Append the items not loaded yet (a page can repeat one: it then replaces the item)."""
        old_count = len(self._items)
        added, replaced = self._items.extend(items)
        version = self._version
        if replaced:
            self._version += 1
        self._measure(added)
        self._update_virtual_size()
        if self._version != version:
            self.refresh()
        else:  # rows only came below the others: repaint them if they are in view
            top = self.header_height if self.show_header else 0
            width = max(self.size.width, self.virtual_size.width)
            rows = Region(0, top + old_count, width, len(added))
            if self.window_region.overlaps(rows):
                self.refresh(rows.translate(-self.scroll_offset))

    def _clear_rows(self) -> None:
        self._failure = None
        self._items.clear()
        self._next_cursor = None
        self._loaded_once = False
        self._clear()
        self._update_subtitle()

    def _clear(self) -> None:
        """No rows: the cursor and the scroll offsets back at the top (as DataTable.clear)."""
        self._items.clear()
        self._cells_cache.clear()
        self._reset_widths()
        self._rows_changed()
        self._cursor = 0
        self._hover = 0
        self.scroll_x = self.scroll_y = 0
        self.scroll_target_x = self.scroll_target_y = 0

    def _rows_changed(self) -> None:
        """Rows moved, came, went or were drawn at other widths: redraw what is on screen."""
        self._version += 1
        self._line_cache.clear()
        self._update_virtual_size()
        self.refresh()

    def _update_virtual_size(self) -> None:
        top = self.header_height if self.show_header else 0
        size = Size(sum(self._render_widths()), len(self._items) + top)
        if size != self.virtual_size:
            old = self.virtual_size
            styles = self.styles
            if (
                size.width == old.width
                and size.height > old.height
                and self.show_vertical_scrollbar
                and not (styles.is_auto_height or styles.is_auto_width)
            ):
                # More rows under a scrollbar already shown (the next page): not
                # `self.virtual_size = size`, which lays the whole screen out again and
                # repaints it; the table's outer size stays, only its scrollbar changes.
                self.set_reactive(Widget.virtual_size, size)
                self._scroll_update(size)
            else:
                self.virtual_size = size
            self._scroll_pending = True

    def _render_widths(self) -> list[int]:
        return [2 * CELL_PADDING + width for width in self._content]

    def watch_show_header(self) -> None:
        self._rows_changed()
        self._scroll_cursor_into_view()

    async def _on_idle(self, event: events.Idle) -> None:
        self._scroll_pending = False

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

    # ----------------------------------------------------------------------------- cursor

    def _set_cursor(self, row: int) -> bool:
        """Put the cursor on a row (clamped); if it moved, scroll to it and say so."""
        row = max(0, min(row, len(self._items) - 1))
        old = self._cursor
        if row == old:
            return False
        self._cursor = row
        self._refresh_row(old)
        self._refresh_row(row)
        self._scroll_cursor_into_view()
        self._highlighted()
        return True

    def _highlighted(self) -> None:
        item = self.selected
        if item is not None:
            self.post_message(self.Highlighted(self, item))
        self._maybe_next_page()

    def _row_region(self, row: int) -> Region:
        """The row's region in the table's virtual space (the header is its first line)."""
        if not 0 <= row < len(self._items):
            return Region(0, 0, 0, 0)
        top = self.header_height if self.show_header else 0
        return Region(0, row + top, max(self.size.width, self.virtual_size.width), 1)

    def _refresh_row(self, row: int) -> None:
        region = self._row_region(row)
        if self.window_region.overlaps(region):
            self.refresh(region.translate(-self.scroll_offset))

    def _scroll_cursor_into_view(self, animate: bool = False) -> None:
        self._scroll_to_cursor(animate)
        if self._scroll_pending:  # the rows just changed: again once the layout has them
            self.call_after_refresh(self._scroll_to_cursor, animate)

    def _scroll_to_cursor(self, animate: bool = False) -> None:
        top = self.header_height if self.show_header else 0
        _, y, width, height = self._row_region(self._cursor)
        region = Region(int(self.scroll_x), y, width, height)
        self.scroll_to_region(region, animate=animate, spacing=Spacing(top, 0, 0, 0), force=True)

    # ----------------------------------------------------------------------------- painting

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line_cache.clear()
        self._cell_styles_cache.clear()
        self.refresh()

    def _on_resize(self, _: events.Resize) -> None:
        self._line_cache.clear()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._pseudo_class_state = self.get_pseudo_class_state()
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

    def _component_style(self, name: str) -> Style:
        """A component's style as DataTable takes it for a row (kept for one paint)."""
        styles = self._paint_styles
        if styles is None:
            return self.get_component_styles(name).rich_style
        if name not in styles:
            styles[name] = self.get_component_styles(name).rich_style
        return styles[name]

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base_style = self.rich_style
        if not self.columns:  # nothing to show yet: not even an empty header bar
            return Strip.blank(width, base_style)
        top = self.header_height if self.show_header else 0
        if y < top:
            row = HEADER
        elif self._failure is not None and not self._items:
            # A table with nothing loaded because the load failed says so.
            lines = self._failure_strips(self._failure)
            line = y - top - 1  # under a blank line
            return lines[line] if 0 <= line < len(lines) else Strip.blank(width, base_style)
        else:
            row = y - top + int(self.scroll_y)
            if row >= len(self._items):
                return Strip.blank(width, base_style)
        scroll_x = int(self.scroll_x)
        cursor = row == self._cursor
        hover = row == self._hover and self._show_hover_cursor
        state = self._pseudo_class_state
        key = (row, self._version, scroll_x, width, cursor, hover, base_style, state)
        strip = self._line_cache.get(key)
        if strip is None:
            segments = self._row_segments(row, cursor, hover, width)
            strip = Strip(line_crop(segments, scroll_x, scroll_x + width, width))
            strip = strip.adjust_cell_length(width, base_style).simplify()
            self._line_cache[key] = strip
        return strip

    def _row_segments(self, row: int, cursor: bool, hover: bool, width: int) -> list[Segment]:
        """A row's line (or the header's) as DataTable draws it, cells then the space after."""
        header = row == HEADER
        if header:
            row_style = self._component_style("datatable--header")
            # A label of plain text is drawn as a str cell of that text is.
            cells = [label if label.spans else label.plain for label in self._labels]
        else:
            odd = "datatable--odd-row" if row % 2 else "datatable--even-row"
            row_style = self._component_style(odd) if self.zebra_stripes else self.rich_style
            cells = list(self._row_cells(row))
        component, post = self._cell_styles(header, hover, cursor)
        segments: list[Segment] = []
        widths = self._render_widths()
        # The sums without the cell's meta are the same for every row: Rich caches them.
        pre = row_style + component
        whole = pre + post
        for column, (cell, cell_width) in enumerate(zip(cells, widths, strict=False)):
            meta = Style.from_meta({"row": row, "column": column})
            segments.extend(self._cell_segments(cell, cell_width, pre, post, whole, meta))
        extend, _ = self._cell_styles(header, hover, cursor, extension=True)
        meta = Style.from_meta({"row": row, "column": 0, "out_of_bounds": True})
        segments.append(Segment(" " * max(0, width - sum(widths)), row_style + extend + meta))
        return segments

    def _cell_segments(
        self, cell: Cell, width: int, pre: Style, post: Style, whole: Style, meta: Style
    ) -> list[Segment]:
        """One cell's line, padded to its column (`whole` is `pre + post`; `meta` goes on top).
        Plain text in one style comes out of Rich as its text (cut with an ellipsis) padded in
        one style: it is drawn so directly; anything else goes through Rich."""
        inner = width - 2 * CELL_PADDING
        shown = self._plain_text(cell, inner)
        if shown is not None:
            padding = " " * CELL_PADDING
            return [Segment(f"{padding}{shown.ljust(inner)}{padding}", whole + meta)]
        pre = pre + meta
        console = self.app.console
        options = self.app.console_options.update_dimensions(width, 1).update(no_wrap=True)
        renderable = Text(cell, end="") if isinstance(cell, str) else cell
        styled = Styled(Padding(renderable, (0, CELL_PADDING)), pre_style=pre, post_style=post)
        return console.render_lines(styled, options)[0]

    @staticmethod
    def _plain_text(cell: Cell, width: int) -> str | None:
        """What Rich would draw of a cell of unstyled one-cell-a-character text, cut to a width
        with an ellipsis (see `_cell`); None for anything else."""
        if isinstance(cell, str):
            text = cell
        elif cell.spans or cell.style or cell.overflow != "ellipsis" or not cell.no_wrap:
            return None
        else:
            text = cell.plain
        if not text.isprintable() or cell_len(text) != len(text):
            return None
        if len(text) <= width:
            return text
        if isinstance(cell, str) or width < 1:
            return None
        return f"{text[: width - 1]}…"

    def _clear_caches(self) -> None:
        """Forget every drawn line and style (the next paint draws everything again)."""
        self._line_cache.clear()
        self._cell_styles_cache.clear()
        self._styles_cache.clear()

    def _cell_styles(
        self, header: bool, hover: bool, cursor: bool, *, extension: bool = False
    ) -> tuple[Style, Style]:
        """The cursor's and the hover's styles over a cell, and the style applied after the
        cell's own (the cursor's colour wins over a cell's): DataTable's rules for a row cursor.
        """
        key = (header, hover, cursor, extension, self._show_hover_cursor, self._pseudo_class_state)
        cached = self._cell_styles_cache.get(key)
        if cached is not None:
            return cached
        get = self.get_component_rich_style
        component = Style()
        if hover and self._show_hover_cursor:
            component += get("datatable--hover")
            if header:
                component += get("datatable--header-hover")
        if cursor:
            component += get("datatable--cursor")
            if header:
                component += get("datatable--header-cursor")
        post = Style.from_color(color=component.color) + Style.null()
        if extension:
            post = Style.null()
        self._cell_styles_cache[key] = (component, post)
        return component, post

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

    # ----------------------------------------------------------------------------- mouse

    def _set_hover(self, row: int | None) -> None:
        """Show the hover cursor on a row, or hide it (None)."""
        old, shown = self._hover, self._show_hover_cursor
        self._show_hover_cursor = row is not None
        if row is not None:
            self._hover = row
        if (old, shown) != (self._hover, self._show_hover_cursor):
            for line in {old, self._hover}:
                if line == HEADER:
                    self.refresh(Region(0, 0, self.size.width, self.header_height))
                else:
                    self._refresh_row(line)

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        row = event.style.meta.get("row")
        self._set_hover(row if isinstance(row, int) else None)

    def _on_leave(self, _: events.Leave) -> None:
        self._set_hover(None)

    async def _on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        row = meta.get("row")
        if not isinstance(row, int):
            self._set_hover(None)
            return
        self._set_hover(row)
        if row == HEADER:
            return
        again = row == self._cursor
        self._set_cursor(row)
        if again:
            self.action_open()
        event.stop()

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
            self._clear()
        self._add(page.items)
        self._next_cursor = page.next_cursor
        self._loaded_once = True
        self._update_subtitle()
        self.post_message(self.Loaded(self, len(self._items), self.has_more))
        if answer.first:
            kept = None if keep is None else self._items.key_of(keep)
            if kept is not None and kept in self._items:
                self.move_cursor(row=self._items.index(kept))
            if self._cursor == 0:
                self._highlighted()

    def _maybe_next_page(self) -> None:
        if (
            self._next_cursor is not None
            and not self.is_loading
            and self.resource is not None
            and self._cursor >= len(self._items) - NEAR_END
        ):
            self._start_fetch(self._next_cursor, first=False)

    # ----------------------------------------------------------------------------- actions

    def _page_height(self) -> int:
        return self.scrollable_content_region.height - (
            self.header_height if self.show_header else 0
        )

    def action_cursor_up(self) -> None:
        self._set_hover(None)
        self._set_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self._set_hover(None)
        self._set_cursor(self._cursor + 1)

    def action_page_down(self) -> None:
        self._set_hover(None)
        height = self._page_height()
        rows = min(height + 1, len(self._items) - self._cursor)
        self.scroll_relative(y=height, animate=False, force=True)
        self.move_cursor(row=self._cursor + rows - 1, scroll=False)

    def action_page_up(self) -> None:
        self._set_hover(None)
        height = self._page_height()
        rows = min(height + 1, self._cursor + 1)
        self.scroll_relative(y=-height, animate=False)
        self.move_cursor(row=self._cursor - rows + 1, scroll=False)

    def action_cursor_left(self) -> None:
        self._set_hover(None)
        self.action_scroll_left()

    def action_cursor_right(self) -> None:
        self._set_hover(None)
        self.action_scroll_right()

    def action_scroll_top(self) -> None:
        self._set_hover(None)
        self._set_cursor(0)

    def action_scroll_bottom(self) -> None:
        self._set_hover(None)
        self._set_cursor(len(self._items) - 1)

    def action_scroll_home(self) -> None:
        self._set_hover(None)
        self.scroll_x = 0

    def action_scroll_end(self) -> None:
        self._set_hover(None)
        self.scroll_x = self.max_scroll_x

    def action_select_cursor(self) -> None:
        self.action_open()

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
