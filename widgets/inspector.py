"""A modal that shows one Stripe object as syntax-highlighted JSON, scrollable and copyable."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from widgets.clipboard import OSC52_NOTE
from widgets.literal import literal, literal_str


class JsonInspector(ModalScreen[None]):
    """The raw JSON of an object; `y` copies it, escape or `q` closes."""

    DEFAULT_CSS = """
    JsonInspector {
        align: center middle;
    }
    JsonInspector > #inspector-body {
        width: 100%;
        max-width: 120;
        height: 1fr;
        border: thick $primary;
        border-title-style: bold;
        border-subtitle-color: $text-muted;
        background: $surface;
    }
    JsonInspector #inspector-json {
        width: 100%;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="inspector.close"),
        Binding("y", "copy", "Copy JSON", id="inspector.copy"),
        Binding("j", "scroll('down')", "Down", show=False, id="inspector.down"),
        Binding("k", "scroll('up')", "Up", show=False, id="inspector.up"),
    ]

    def __init__(self, data: Mapping[str, Any], title: str = "") -> None:
        super().__init__()
        self.data = data
        self.title_text = title or str(data.get("id", "")) or "JSON"
        self.text = json.dumps(data, indent=2, sort_keys=False, default=str)
        """The JSON that `y` copies (ASCII: every other character as a JSON escape)."""
        shown = json.dumps(data, indent=2, sort_keys=False, default=str, ensure_ascii=False)
        self.shown_text = literal_str(shown, multiline=True)
        """The JSON as shown: emoji and accents as they are, control characters escaped."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="inspector-body") as body:
            body.border_title = literal(self.title_text)
            body.border_subtitle = "y copy · esc close"
            yield Static("", id="inspector-json")
        yield Footer()

    def on_mount(self) -> None:
        from rich.syntax import Syntax  # and pygments: when a JSON is shown, not at launch

        background = self.app.theme_variables.get("surface")
        syntax = Syntax(
            self.shown_text,
            "json",
            theme="ansi_dark" if self.app.current_theme.dark else "ansi_light",
            line_numbers=True,
            word_wrap=True,
            background_color=background,
        )
        self.query_one("#inspector-json", Static).update(syntax)
        self.query_one("#inspector-body").focus()

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#inspector-body", VerticalScroll)
        if direction == "down":
            body.scroll_down(animate=False)
        else:
            body.scroll_up(animate=False)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text)
        self.notify(OSC52_NOTE, title=f"The JSON of {self.title_text}", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
