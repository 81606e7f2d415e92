"""The help screen: every key, read from the same binding tables the footer shows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from screens.base import READ_ONLY, ConsoleScreen
from widgets.form import FormScreen
from widgets.inspector import JsonInspector
from widgets.literal import literal, literal_str
from widgets.resource_table import ResourceTable

WRITES_HIDDEN = "The keys and palette actions that write are hidden; what is listed works."


def _rows(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for binding in bindings:
        if not isinstance(binding, Binding) or not binding.description:
            continue
        keys = binding.key_display or binding.key
        rows.append((keys.replace("question_mark", "?"), binding.description))
    return rows


class HelpScreen(ModalScreen[None]):
    """Lists the keys of the console, of the screen below, of tables and of forms."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 76; max-width: 95%; height: 90%; border: thick $accent; background: $surface;
        padding: 0 1;
        border-title-style: bold;
        border-subtitle-color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", key_display="esc", id="help.close"),
    ]

    def __init__(self, below: Screen[object] | None = None) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        sections: list[tuple[str, list[tuple[str, str]]]] = [
            (
                "Everywhere",
                [("ctrl+p", "Command palette: every action by name"), *_rows(self.app.BINDINGS)],
            ),
        ]
        below = self.below
        if isinstance(below, ConsoleScreen):
            if not below.allows_writes():
                sections.insert(0, ("Read-only", [("", READ_ONLY), ("", WRITES_HIDDEN)]))
            every = [*below.BINDINGS, *ConsoleScreen.BINDINGS]  # the screen's, then shared ones
            bindings = [b for b in every if isinstance(b, Binding) and below.offered(b)]
            sections.append((f"{below.MODE.title()} screen", _rows(bindings)))
            offered = [*below.ACTIONS, *below.SHARED_ACTIONS]
            allowed = [a for a in offered if below.allows_writes() or not a.writes]
            actions = [("palette", action.title) for action in allowed]
            if actions:
                sections.append(("Actions on this screen", actions))
        sections += [
            ("Tables", _rows(ResourceTable.BINDINGS)),
            ("Forms", [("tab", "Next field"), *_rows(FormScreen.BINDINGS)]),
            ("JSON inspector", _rows(JsonInspector.BINDINGS)),
        ]
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for title, rows in sections:
            table.add_row(Text.assemble((literal_str(title), "b u")), "")
            for key, description in rows:
                table.add_row(literal(key), literal(description, multiline=True))
            table.add_row("", "")
        with VerticalScroll() as body:
            body.border_title = "Keys"
            body.border_subtitle = "↑↓ scroll · esc close"
            yield Static(table)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
