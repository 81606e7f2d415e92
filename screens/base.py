"""What every console screen shares: the mode banner, the screen tabs, the footer, its actions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import events
from textual.actions import parse
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from widgets.banner import ModeBanner
from widgets.footer import FittedFooter
from widgets.resource_table import Column, ResourceTable

if TYPE_CHECKING:
    from tui.app import StripeApp
    from tui.gateway import Gateway
    from tui.settings import Settings

READ_ONLY = "Read-only: started with --read-only, so nothing can be created or changed."

TABS = (
    ("1", "customers", "Customers"),
    ("2", "catalog", "Catalog"),
    ("3", "payments", "Payments"),
    ("4", "events", "Events"),
    ("5", "requests", "Log"),
)


@dataclass(frozen=True)
class ConsoleAction:
    """One action of the palette: its exact title, and the screen method that opens its form."""

    title: str
    help: str
    method: str
    writes: bool = True


EXPORT = ConsoleAction(
    "Export this list",
    "every object of the list shown (its filter too), as CSV or JSON lines, to a file",
    "export_list",
    writes=False,
)
GO_TO = ConsoleAction(
    "Go to an id",
    "any id (cus_, pi_, evt_...) or a Dashboard URL: open it on its screen",
    "go_to_id",
    writes=False,
)


class ScreenTabs(Widget):
    """The modes and their keys, the current one highlighted, then the hints that fit whole."""

    DEFAULT_CSS = """
    ScreenTabs { height: 1; background: $panel; color: $text-muted; }
    """
    HINTS = ("? help", "  ctrl+p actions")
    """Shown after the tabs, each whole or not at all."""

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def render(self) -> Text:
        line = Text()
        for index, (key, mode, label) in enumerate(TABS):
            if index:
                line.append(" ")
            line.append(f" {key} {label} ", "reverse bold" if mode == self.current else "")
        room = self.size.width - line.cell_len - 3
        hints = ""
        for hint in self.HINTS:
            if len(hints) + len(hint) > room:
                break
            hints += hint
        if hints:
            line.append("   ")
            line.append(hints, "dim")
        return line


class ConsoleScreen(Screen[None]):
    """A mode of the console. Subclasses give MODE, ACTIONS and compose_body()."""

    MODE: ClassVar[str] = ""
    ACTIONS: ClassVar[tuple[ConsoleAction, ...]] = ()
    SHARED_ACTIONS: ClassVar[tuple[ConsoleAction, ...]] = (EXPORT, GO_TO)
    """Actions on whatever the screen shows: the palette offers them for the current screen."""
    # Inherited by every screen (Textual merges BINDINGS); the help screen lists them too. `s` is
    # free on the lists; the request log's table copies a stripe command with it (it exports
    # nothing).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "export_list", "Export this list", show=False, id="console.export"),
        Binding(
            "o", "copy_dashboard_url", "Copy Dashboard URL", show=False, id="console.dashboard_url"
        ),
    ]

    @property
    def console(self) -> StripeApp:
        return cast("StripeApp", self.app)

    @property
    def gateway(self) -> Gateway:
        return self.console.gateway

    @property
    def settings(self) -> Settings:
        return self.console.settings

    def compose(self) -> ComposeResult:
        settings = self.settings
        detail = settings.api_base or ""
        if settings.api_key is None:
            detail = "embedded sandbox" + (
                f" ({settings.sandbox_db})" if settings.sandbox_db else " (in memory)"
            )
            if settings.webhooks is not None:
                detail += f", events to {settings.webhooks.url}"
        if settings.project is not None:
            detail = f"project {settings.project}" + (f"  {detail}" if detail else "")
        yield ModeBanner(settings.mode, settings.masked_key, detail, read_only=settings.read_only)
        yield ScreenTabs(self.MODE)
        yield from self.compose_body()
        # Compact, and no ctrl+p (the tabs line says it): every screen's keys fit 80 columns.
        yield FittedFooter(compact=True, show_command_palette=False)

    def compose_body(self) -> ComposeResult:
        yield from ()

    def page_size(self, default: int) -> int:
        """How many items a list asks for at a time: the config file's page_size, or `default`."""
        return self.console.config.page_size or default

    @property
    def default_currency(self) -> str:
        """The currency new prices and payment intents start with (config: default_currency)."""
        return self.console.config.default_currency or "usd"

    def allows_writes(self) -> bool:
        return not self.settings.read_only

    def refuse_writes(self) -> bool:
        """In read-only mode, say so and return True: the caller then does nothing."""
        if self.allows_writes():
            return False
        self.notify(READ_ONLY, severity="warning")
        return True

    def writes(self, action: str) -> bool:
        """Whether an action (a binding's action name) creates or changes something."""
        return action in {a.method for a in self.ACTIONS if a.writes} | {"new"}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the keys of the actions that write (their palette entries hide too)."""
        if action == EXPORT.method and EXPORT not in self.SHARED_ACTIONS:
            return False
        if action == "copy_dashboard_url":
            return self.MODE != "requests"  # a request log entry has no Dashboard page here
        return self.allows_writes() or not self.writes(action)

    def offered(self, binding: Binding) -> bool:
        """Whether a binding's action can be done here now (for the help screen)."""
        _, name, arguments = parse(binding.action)
        return bool(self.check_action(name, arguments))

    def on_key(self, event: events.Key) -> None:
        # A hidden write key still answers, once, in read-only mode (instead of nothing).
        if self.allows_writes():
            return
        for binding in self.BINDINGS:
            if not isinstance(binding, Binding):
                continue
            if event.key in binding.key.split(",") and self.writes(parse(binding.action)[1]):
                event.stop()
                self.refuse_writes()
                return

    def go_to_id(self) -> None:
        """Open "Go to an id"."""
        from screens.goto import go_to_id

        go_to_id(self)

    def action_copy_dashboard_url(self) -> None:
        from screens.goto import copy_dashboard_url

        copy_dashboard_url(self)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.console.on_worker_failed(event.worker)

    def action_export_list(self) -> None:
        self.export_list()

    def export_list(self) -> None:
        """Open "Export this list" for the list shown (screens/export.py)."""
        from screens.export import export_list

        export_list(self)

    def live_confirmation(self, amount: str, what: str) -> tuple[str, str] | None:
        """In LIVE mode, the prompt and the text to type before money moves; else None."""
        from tui.settings import Mode

        if self.settings.mode is not Mode.LIVE:
            return None
        return (f"LIVE MODE: {what}. Type {amount} to confirm.", amount)


class FittedListScreen(ConsoleScreen):
    """A screen whose main list fits its columns to its width (Customers, Events, the log).

    Subclasses give `table`, `list_columns(width)` and LIST_SHARE, and make their list's columns
    with `fitted_columns()`; a resize refits them without fetching the loaded pages again."""

    LIST_SHARE: ClassVar[tuple[int, int]] = (1, 1)
    """The list's share of the screen's width from 110 columns, beside the detail (app.tcss)."""

    _columns_width: int | None = None
    _resize_timer: Timer | None = None

    @property
    def table(self) -> ResourceTable:
        raise NotImplementedError

    def list_columns(self, width: int) -> tuple[Column, ...]:
        raise NotImplementedError

    def fitted_columns(self) -> tuple[Column, ...]:
        """The list's columns for its width now (remembered, to tell when a resize changes it)."""
        self._columns_width = self._table_width()
        return self.list_columns(self._columns_width)

    def _table_width(self) -> int:
        """The width inside the list's border; before the first layout, what it will be."""
        if self._columns_width is not None and self.table.size.width > 0:
            return self.table.size.width
        screen = self.size.width or 80
        share, whole = self.LIST_SHARE
        return (screen * share // whole if screen >= 110 else screen) - 2

    def on_resize(self) -> None:
        # The columns follow the list's width; wait for the layout to settle first. Before the
        # columns are made, or at the width they were made for (the first layouts), nothing to do.
        if self._columns_width in (None, self.table.size.width):
            return
        if self._resize_timer is not None:
            self._resize_timer.stop()
        self._resize_timer = self.set_timer(0.2, self._fit_columns)

    def _fit_columns(self) -> None:
        if self._columns_width is None:
            return
        old = self.list_columns(self._columns_width)
        new = self.fitted_columns()
        if [(c.label, c.width) for c in old] != [(c.label, c.width) for c in new]:
            self.table.set_columns(new)  # the loaded pages stay: no fetch from page 1
