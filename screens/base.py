"""What every console screen shares: the mode banner, the screen tabs, the footer, its actions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from widgets.banner import ModeBanner

if TYPE_CHECKING:
    from tui.app import StripeApp
    from tui.gateway import Gateway
    from tui.settings import Settings

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


class ScreenTabs(Static):
    """The modes and their keys, the current one highlighted."""

    DEFAULT_CSS = """
    ScreenTabs { height: 1; background: $panel; color: $text-muted; }
    """

    def __init__(self, current: str) -> None:
        parts = []
        for key, mode, label in TABS:
            text = f" {key} {label} "
            parts.append(f"[reverse b]{text}[/]" if mode == current else text)
        # Five tabs and the hint fit 80 columns exactly.
        super().__init__(" ".join(parts) + " [dim]? help  ctrl+p actions[/]")


class ConsoleScreen(Screen[None]):
    """A mode of the console. Subclasses give MODE, ACTIONS and compose_body()."""

    MODE: ClassVar[str] = ""
    ACTIONS: ClassVar[tuple[ConsoleAction, ...]] = ()

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
        yield ModeBanner(settings.mode, settings.masked_key, detail, read_only=settings.read_only)
        yield ScreenTabs(self.MODE)
        yield from self.compose_body()
        # Compact, and no ctrl+p (the tabs line says it): every screen's keys fit 80 columns.
        yield Footer(compact=True, show_command_palette=False)

    def compose_body(self) -> ComposeResult:
        yield from ()

    def allows_writes(self) -> bool:
        return not self.settings.read_only

    def refuse_writes(self) -> bool:
        """In read-only mode, say so and return True: the caller then does nothing."""
        if self.allows_writes():
            return False
        self.notify("Read-only mode: no writes.", severity="warning")
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the keys of the actions that write (their palette entries hide too)."""
        writes = {a.method for a in self.ACTIONS if a.writes}
        return self.allows_writes() or action not in writes

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.console.on_worker_failed(event.worker)

    def live_confirmation(self, amount: str, what: str) -> tuple[str, str] | None:
        """In LIVE mode, the prompt and the text to type before money moves; else None."""
        from tui.settings import Mode

        if self.settings.mode is not Mode.LIVE:
            return None
        return (f"LIVE MODE: {what}. Type {amount} to confirm.", amount)
