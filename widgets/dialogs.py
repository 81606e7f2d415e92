"""Modal dialogs shared by the screens: a plain explanation of an outcome, and the typed
confirmation that LIVE mode asks for before money moves.

`TypedConfirm(prompt, expected)` dismisses with True only when the typed text matches `expected`
exactly (surrounding spaces ignored); escape dismisses with False.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from widgets.literal import literal, literal_str


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


class TypedConfirm(ModalScreen[bool]):
    """Type `expected` to confirm; anything else keeps the dialog open and sends nothing."""

    DEFAULT_CSS = """
    TypedConfirm {
        align: center middle;
    }
    TypedConfirm > #confirm-dialog {
        width: 72;
        max-width: 90%;
        height: auto;
        max-height: 90%;
        padding: 1 2;
        border: thick $error;
        border-title-color: $error;
        border-title-style: bold;
        background: $surface;
    }
    TypedConfirm #confirm-prompt {
        margin-bottom: 1;
        text-style: bold;
    }
    TypedConfirm #confirm-error {
        color: $text-error;
        height: auto;
        display: none;
    }
    TypedConfirm #confirm-error.-shown {
        display: block;
    }
    TypedConfirm #confirm-hint {
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="confirm.cancel"),
    ]

    def __init__(self, prompt: str, expected: str) -> None:
        super().__init__()
        self.prompt = prompt
        self.expected = expected

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog") as dialog:
            dialog.border_title = "Confirm"
            yield Static(literal(self.prompt, multiline=True), id="confirm-prompt")
            yield Input(placeholder=literal_str(self.expected), id="confirm-input")
            yield Static("", id="confirm-error")
            yield Static("enter confirms, escape cancels", id="confirm-hint")

    def on_mount(self) -> None:
        self.query_one("#confirm-input", Input).focus()

    @on(Input.Submitted, "#confirm-input")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip() == self.expected.strip():
            self.dismiss(True)
            return
        error = self.query_one("#confirm-error", Static)
        error.update("That does not match; nothing was sent.")
        error.add_class("-shown")

    def action_cancel(self) -> None:
        self.dismiss(False)
