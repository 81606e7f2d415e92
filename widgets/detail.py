"""A titled key/value pane that shows the object selected in a table."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

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
    """`show(title, rows)`: dim labels and wrapping values; `clear(message)` empties it."""

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

    def compose(self) -> ComposeResult:
        yield Static("", id="detail-message", markup=False)
        yield Static("", id="detail-rows")

    def show(self, title: str, rows: Sequence[tuple[str, str | Text]]) -> None:
        """Show an object: a title and (label, value) rows; a str is shown literally (a Text
        value is the caller's own, made with `literal`)."""
        self.border_title = literal(title)
        fields = Fields(
            [
                (
                    literal(label),
                    value if isinstance(value, Text) else literal(value, multiline=True),
                )
                for label, value in rows
            ]
        )
        message = self.query_one("#detail-message", Static)
        message.update("")
        message.display = False
        self.query_one("#detail-rows", Static).update(fields)
        self.scroll_home(animate=False)

    def clear(self, message: str = "") -> None:
        """Empty the pane, optionally with a muted message (e.g. "Select a customer")."""
        self.border_title = ""
        note = self.query_one("#detail-message", Static)
        note.update(literal(message, multiline=True))
        note.display = bool(message)
        self.query_one("#detail-rows", Static).update("")
