"""A titled key/value pane that shows the object selected in a table."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from widgets.literal import literal


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
        table = Table.grid(padding=(0, 2), expand=True)
        table.add_column("label", style="dim", no_wrap=True, max_width=24)
        table.add_column("value", ratio=1, overflow="fold")
        for label, value in rows:
            shown = value if isinstance(value, Text) else literal(value, multiline=True)
            table.add_row(literal(label), shown)
        message = self.query_one("#detail-message", Static)
        message.update("")
        message.display = False
        self.query_one("#detail-rows", Static).update(table)
        self.scroll_home(animate=False)

    def clear(self, message: str = "") -> None:
        """Empty the pane, optionally with a muted message (e.g. "Select a customer")."""
        self.border_title = ""
        note = self.query_one("#detail-message", Static)
        note.update(literal(message, multiline=True))
        note.display = bool(message)
        self.query_one("#detail-rows", Static).update("")
