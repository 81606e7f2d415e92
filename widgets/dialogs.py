"""Modal dialogs shared by the screens: a plain explanation of an outcome."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from widgets.literal import literal


class OutcomeScreen(ModalScreen[None]):
    """A plain explanation of a confirmation that did not simply succeed."""

    DEFAULT_CSS = """
    OutcomeScreen {
        align: center middle;
    }
    OutcomeScreen > #outcome-dialog {
        width: 72;
        max-width: 96%;
        height: auto;
        max-height: 90%;
        border: thick $warning;
        border-title-style: bold;
        border-title-color: $warning;
        background: $surface;
        padding: 0 1;
    }
    OutcomeScreen.-declined > #outcome-dialog {
        border: thick $error;
        border-title-color: $error;
    }
    OutcomeScreen #outcome-body {
        height: auto;
        max-height: 1fr;
    }
    OutcomeScreen #outcome-hint {
        color: $text-muted;
        margin-top: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="outcome.close"),
        Binding("enter", "close", "Close", show=False, id="outcome.enter"),
    ]

    def __init__(self, title: str, body: str, *, declined: bool = False) -> None:
        super().__init__(classes="-declined" if declined else "")
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(id="outcome-dialog") as dialog:
            dialog.border_title = self.title_text
            with VerticalScroll(id="outcome-body"):
                yield Static(literal(self.body, multiline=True), id="outcome-text")
            yield Static("enter or escape closes", id="outcome-hint")
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)
