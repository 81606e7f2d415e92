"""A titled key/value pane that shows the object selected in a table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from tui.gateway import GatewayError
from widgets.literal import literal

LABEL_WIDTH = 24
GAP = 2


class Fields:
    """Label and value rows, laid out for the width they are drawn at: side by side, except a
    value with a word (an id, an email, a url) too long to fit beside the labels, which goes on
    its own line under its label, so that it is never folded in the middle."""

    def __init__(self, rows: Sequence[tuple[Text, Text]]) -> None:
        self.rows = rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        labels = min(max((label.cell_len for label, _ in self.rows), default=0), LABEL_WIDTH)
        room = options.max_width - labels - GAP
        grid: Table | None = None
        for label, value in self.rows:
            longest = max((cell_len(word) for word in value.plain.split()), default=0)
            if longest <= room:
                if grid is None:
                    grid = Table.grid(padding=(0, GAP), expand=True)
                    grid.add_column("label", style="dim", no_wrap=True, width=labels)
                    grid.add_column("value", ratio=1, overflow="fold")
                grid.add_row(label, value)
                continue
            if grid is not None:
                yield grid
                grid = None
            yield Text.assemble(label, style="dim", no_wrap=True, overflow="ellipsis")
            yield Padding(value, (0, 0, 0, GAP))
        if grid is not None:
            yield grid


class DetailPane(VerticalScroll):
    """`show(title, rows)`: dim labels and wrapping values; `clear(message)` empties it;
    `show_later(label, fetch)` adds a row whose value is fetched in a thread (a timeline)."""

    DEFAULT_CSS = """
    DetailPane {
        height: 1fr;
        border: round $primary 60%;
        border-title-style: bold;
        padding: 0 1;
    }
    DetailPane:focus {
        border: round $primary;
    }
    DetailPane > #detail-rows {
        width: 100%;
        height: auto;
    }
    DetailPane > #detail-message {
        color: $text-muted;
        height: auto;
    }
    """

    @dataclass
    class RowLoaded(Message):
        """A `show_later` row's value, for the object that was shown when it was asked for."""

        shown: int
        label: str
        value: str

    def compose(self) -> ComposeResult:
        yield Static("", id="detail-message", markup=False)
        yield Static("", id="detail-rows")

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: list[tuple[str, str | Text]] = []
        self._key: str | None = None
        self._late: set[str] = set()
        self._shown = 0
        """How many objects were shown: a late row for an earlier one is dropped."""

    def show(
        self, title: str, rows: Sequence[tuple[str, str | Text]], *, key: str | None = None
    ) -> None:
        """Show an object: a title and (label, value) rows; a str is shown literally (a Text
        value is the caller's own, made with `literal`). Shown again with the same `key` (the
        object's id), the rows of `show_later` stay and their answers are still taken."""
        late = [row for row in self._rows if row[0] in self._late]
        if key is None or key != self._key:
            self._shown += 1
            self._late = set()
            late = []
        self._key = key
        self._rows = [*rows, *late]
        self.border_title = literal(title)
        message = self.query_one("#detail-message", Static)
        message.update("")
        message.display = False
        self._draw()
        self.scroll_home(animate=False)

    def show_later(self, label: str, fetch: Callable[[], str]) -> None:
        """Add a row that reads "loading…" until `fetch()` (run in a thread) gives its value;
        an answer for an object no longer shown is dropped, a failure is said in the row."""
        self._late.add(label)
        self._set_row(label, "loading…")
        self.run_worker(
            partial(self._fetch_row, self._shown, label, fetch),
            thread=True,
            group=f"detail-{label}",
            exclusive=True,
            exit_on_error=False,
        )

    def _fetch_row(self, shown: int, label: str, fetch: Callable[[], str]) -> None:
        try:
            value = fetch()
        except GatewayError as error:
            value = f"could not load: {error.message}"
        self.post_message(self.RowLoaded(shown, label, value))

    def on_detail_pane_row_loaded(self, message: RowLoaded) -> None:
        message.stop()
        if message.shown == self._shown:  # else the pane shows another object since
            self._set_row(message.label, message.value)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        event.stop()  # a late row that failed says so in the row; the screen is not told
        if event.state is WorkerState.ERROR:
            self.log.error("detail row failed", repr(event.worker.error))

    def _set_row(self, label: str, value: str) -> None:
        rows = [row for row in self._rows if row[0] != label]
        self._rows = [*rows, (label, value)]
        self._draw()

    def _draw(self) -> None:
        fields = Fields(
            [
                (
                    literal(label),
                    value if isinstance(value, Text) else literal(value, multiline=True),
                )
                for label, value in self._rows
            ]
        )
        self.query_one("#detail-rows", Static).update(fields)

    def clear(self, message: str = "") -> None:
        """Empty the pane, optionally with a muted message (e.g. "Select a customer")."""
        self._shown += 1
        self._rows = []
        self._key = None
        self._late = set()
        self.border_title = ""
        note = self.query_one("#detail-message", Static)
        note.update(literal(message, multiline=True))
        note.display = bool(message)
        self.query_one("#detail-rows", Static).update("")
