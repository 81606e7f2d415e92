"""The App: the modes (one per screen), global keys, the command palette, and worker errors."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from functools import partial
from importlib import import_module
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import Hit, Hits, Provider
from textual.notifications import SeverityLevel
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from tui.config import Config, ConfigError, save_theme
from tui.embedded import EmbeddedSandbox
from tui.gateway import Gateway, GatewayError
from tui.keyqueue import KeyQueue
from tui.requestlog import RequestLog
from tui.settings import SecretKey, Settings, SettingsError, StripeProject, key_expiry_warning
from widgets.literal import literal_str

if TYPE_CHECKING:
    from screens.base import ConsoleAction, ConsoleScreen
    from tui.prefetch import FirstPage


SCREEN_CLASSES = {
    "customers": "screens.customers:CustomersScreen",
    "catalog": "screens.catalog:CatalogScreen",
    "payments": "screens.payments:PaymentsScreen",
    "events": "screens.events:EventsScreen",
    "requests": "screens.request_log:RequestLogScreen",
}
"""The modes in the order of their keys 1 to 5: each screen's module is imported when needed."""


def screen_class(mode: str) -> type[ConsoleScreen]:
    module, _, name = SCREEN_CLASSES[mode].partition(":")
    screen: type[ConsoleScreen] = getattr(import_module(module), name)
    return screen


def console_screens() -> dict[str, type[ConsoleScreen]]:
    """Every mode's screen class (for the palette and help, which need them all)."""
    return {mode: screen_class(mode) for mode in SCREEN_CLASSES}


def _import_the_rest() -> None:
    console_screens()
    import_module("screens.help")


def _breakpoint(size: int, breakpoints: list[tuple[int, str]]) -> tuple[str, ...]:
    """The class of the largest breakpoint that `size` reaches (as Textual's screens pick it)."""
    for minimum, name in sorted(breakpoints, reverse=True):
        if size >= minimum:
            return (name,)
    return ()


READ_ONLY_HINT = "Read-only mode: the actions that write are hidden"


async def _nothing() -> None:
    """The read-only hint's callback: it is there to be read."""


class ActionsProvider(Provider):
    """Offers every console action that exists (and, in read-only mode, only those that read)."""

    def _actions(self) -> Iterator[tuple[str, ConsoleAction]]:
        """The current screen's actions first (with those on what it shows, such as "Export this
        list"), then the other screens' in the order of 1 2 3."""
        app = self.app
        assert isinstance(app, StripeApp)
        screens = console_screens()
        current = app.current_mode if app.current_mode in screens else None
        modes = [current] if current else []
        modes += [mode for mode in screens if mode != current]
        for mode in modes:
            shared = screens[mode].SHARED_ACTIONS if mode == current else ()
            for action in (*screens[mode].ACTIONS, *shared):
                if app.allows(action):
                    yield mode, action

    async def discover(self) -> Hits:
        app = self.app
        assert isinstance(app, StripeApp)
        actions = list(self._actions())
        if app.settings.read_only:
            yield Hit(
                1, READ_ONLY_HINT, _nothing, text=READ_ONLY_HINT, help="started with --read-only"
            )
        for rank, (mode, action) in enumerate(actions):
            yield Hit(
                1 - (rank + 1) / (len(actions) + 2),
                action.title,
                partial(app.run_console_action, mode, action),
                text=action.title,
                help=action.help,
            )

    async def search(self, query: str) -> Hits:
        app = self.app
        assert isinstance(app, StripeApp)
        matcher = self.matcher(query)
        for mode, action in self._actions():
            score = matcher.match(action.title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(action.title),
                    partial(app.run_console_action, mode, action),
                    text=action.title,
                    help=action.help,
                )


def _projects_provider() -> type[Provider]:
    """'Switch Stripe project' (imported when the palette opens, not before the first paint)."""
    from screens.projects import ProjectsProvider

    return ProjectsProvider


class StripeApp(App[None]):
    """stripe-tui: a keyboard-driven console for the Stripe API."""

    TITLE = "stripe-tui"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {ActionsProvider, _projects_provider}
    COMMAND_PALETTE_BINDING = "ctrl+p"
    # The app starts in this mode: its screen is the first one built and styled (a switch from
    # Textual's default screen would parse the whole stylesheet three more times).
    DEFAULT_MODE = "customers"
    # Below 110 columns the detail pane goes under the list (see app.tcss).
    HORIZONTAL_BREAKPOINTS = [
        (0, "-narrow"),
        (110, "-wide"),
    ]
    # Below 24 lines the detail panes give way to the lists; below 20 some collapse (app.tcss).
    VERTICAL_BREAKPOINTS = [
        (0, "-shortest"),
        (20, "-short"),
        (24, "-tall"),
    ]
    # 1 to 5 are shown in the screen tabs rather than the footer.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "switch_mode('customers')", "Customers", id="app.customers", show=False),
        Binding("2", "switch_mode('catalog')", "Catalog", id="app.catalog", show=False),
        Binding("3", "switch_mode('payments')", "Payments", id="app.payments", show=False),
        Binding("4", "switch_mode('events')", "Events", id="app.events", show=False),
        Binding("5", "switch_mode('requests')", "Request log", id="app.requests", show=False),
        Binding("question_mark", "help", "Help", key_display="?", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        gateway: Gateway | None = None,
        config: Config | None = None,
        first_page: FirstPage | None = None,
    ) -> None:
        self.settings = settings
        self.config = config or Config()
        """The config file's settings (tui/config.py); a theme chosen here is saved to it."""
        self.embedded: EmbeddedSandbox | None = None
        if gateway is None:
            log = RequestLog(settings.log_file)
            if settings.api_key is None:
                self.embedded = EmbeddedSandbox(settings.sandbox_db, settings.webhooks)
                gateway = Gateway(SecretKey(self.embedded.key), self.embedded.url, request_log=log)
            else:
                gateway = Gateway(
                    settings.api_key, settings.api_base, request_log=log, first_page=first_page
                )
        self.gateway = gateway
        self._collector_held = not gc.isenabled()
        """main() holds the garbage collector while the console starts (see _warm_up)."""
        super().__init__()
        self.keys = KeyQueue(self, self._deliver_input)
        """Keys and pastes go one at a time, each to the focus the ones before it left."""
        # Catalog and Payments are imported on first use, not before the first paint.
        for mode in SCREEN_CLASSES:
            self.add_mode(mode, partial(self._make_screen, mode))

    def _make_screen(self, mode: str) -> ConsoleScreen:
        screen = screen_class(mode)()
        # Born with the breakpoint classes of the current size: set on the first resize
        # instead, they would restyle every widget of the screen once more.
        width, height = self.size
        screen.add_class(
            *_breakpoint(width, self.HORIZONTAL_BREAKPOINTS),
            *_breakpoint(height, self.VERTICAL_BREAKPOINTS),
            update=False,  # not styled yet: it is when it mounts
        )
        if not self._screen_stacks.get(self.DEFAULT_MODE):
            # Textual refreshes the CSS for a mode's new screen: it sets the variables (those
            # the stylesheet was made with, before the first screen), parses every source again
            # in a new stylesheet (a third of the CSS work before the first paint) and restyles
            # the app. For the first screen only the last is needed. Later screens (a theme
            # may have changed since) are left to Textual.
            screen._css_update_count = self._css_update_count
            self.stylesheet.update(self)
        return screen

    def on_mount(self) -> None:
        if self.config.theme:
            self.theme = self.config.theme
        if self.config.keymap:
            self.set_keymap(dict(self.config.keymap))
        # Start the sandbox and import the SDK after the first paint, off the UI thread.
        self.call_after_refresh(self._warm_up)

    def _warm_up(self) -> None:
        if self._collector_held:
            # What was built so far lives as long as the app: it is set aside, never scanned
            # again (a full collection here would take 30-50 ms; the few thousand objects of
            # the start's cyclic garbage are kept instead).
            gc.freeze()
            gc.enable()
        if self.embedded is not None:
            self.embedded.start_in_background()
        if (webhooks := self.settings.webhooks) is not None:
            self.notify(
                f"Forwarding events to {webhooks.url}\nwebhook signing secret: {webhooks.secret}",
                title="Webhooks",
                timeout=60,
            )
        self.run_worker(self.gateway.warm_up, thread=True, group="warm-up", exit_on_error=False)
        # The other screens, the help and the forms, imported now rather than by the first key
        # that needs them (which would wait for them on the UI thread).
        self.run_worker(_import_the_rest, thread=True, group="warm-up", exit_on_error=False)
        self._warn_if_key_expires()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if not self._collector_held or event.worker.group != "warm-up":
            return  # (an app that main() did not start, a test's, freezes nothing)
        if all(worker.is_finished for worker in self.workers if worker.group == "warm-up"):
            # The SDK and the other screens, imported, live as long as the app: set aside
            # like the start's objects, so that a full collection does not scan them each
            # time (10 to 30 ms, every 25 pages or so of a long list).
            gc.freeze()

    def _warn_if_key_expires(self) -> None:
        """A Stripe CLI project's test key that expired or expires within 7 days is named."""
        if self.settings.project is None:
            return
        warning = key_expiry_warning(
            self.settings.project, self.settings.key_expires_at, date.today()
        )
        if warning is not None:
            self.notify(warning, title="Stripe CLI key", severity="warning", timeout=15)

    def watch_theme(self, theme: str) -> None:
        """A theme chosen in the palette is kept in the config file for the next start."""
        config = self.config
        if config.path is None or theme == config.theme or not self._is_mounted:
            return
        try:
            save_theme(config.path, theme)
        except (OSError, ConfigError) as exc:
            self.notify(f"The theme was not saved: {exc}", severity="warning")
            return
        self.config = replace(config, theme=theme)

    async def switch_project(self, project: StripeProject) -> None:
        """Reconnect with a Stripe CLI project's test key: every screen starts again."""
        try:
            settings = self.settings.for_project(project)
        except SettingsError as exc:
            self.notify(str(exc), title="Switch Stripe project", severity="error")
            return
        assert settings.api_key is not None
        self.settings = settings
        self.gateway = self.gateway.for_key(settings.api_key, settings.api_base)
        current = self.current_mode
        others = [mode for mode in SCREEN_CLASSES if mode != current]
        for mode in others:
            await self.remove_mode(mode)
            self.add_mode(mode, partial(self._make_screen, mode))
        if current in SCREEN_CLASSES:
            await self.switch_mode(others[0])
            await self.remove_mode(current)
            self.add_mode(current, partial(self._make_screen, current))
            await self.switch_mode(current)
        self.notify(
            f"Project {project.name}: {settings.masked_key}"
            + (" (read-only)" if settings.read_only else ""),
            title="Switched Stripe project",
        )
        self._warn_if_key_expires()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            await self.keys.receive(event)
        else:
            await super().on_event(event)

    async def _deliver_input(self, event: events.Event) -> None:
        if isinstance(event, events.Paste):
            event = self._checked_paste(event)
        await super().on_event(event)

    def _checked_paste(self, paste: events.Paste) -> events.Paste:
        """A paste is the one way control characters get into an input (keys never insert
        them): they arrive as their visible escapes, so what is shown is what will be sent."""
        safe = literal_str(paste.text, multiline=True)
        # A one-line input keeps the first line of a paste: say so when more was dropped.
        if isinstance(self.focused, Input) and any(safe.splitlines()[1:]):
            self.notify(
                "Only the first line of the paste was kept: this field is one line.",
                severity="warning",
            )
        return paste if safe == paste.text else events.Paste(safe)

    def on_unmount(self) -> None:
        self.keys.stop()
        if self.embedded is not None:
            self.embedded.stop()

    def allows(self, action: ConsoleAction) -> bool:
        """Whether an action is offered: writes are not, in read-only mode."""
        return not (action.writes and self.settings.read_only)

    async def run_console_action(self, mode: str, action: ConsoleAction) -> None:
        """Switch to the action's screen and open its form (the palette's callback)."""
        if self.current_mode != mode:
            await self.switch_mode(mode)
        getattr(self.screen, action.method)()

    async def action_quit(self) -> None:
        from widgets.form import FormScreen  # not before the first paint

        if isinstance(self.screen, FormScreen) and not self.screen.may_discard("ctrl+q"):
            return
        await super().action_quit()

    def action_help(self) -> None:
        from screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    async def open_payment_intent(self, payment_intent_id: str) -> None:
        """Show one intent on the Payments screen (from a customer's detail)."""
        await self.switch_mode("payments")
        show = getattr(self.screen, "show_payment_intent", None)
        if show is not None:
            show(payment_intent_id)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification is text (it names ids, echoes Stripe's messages and so what was
        typed): shown literally, never parsed as markup, whatever `markup` says."""
        super().notify(
            literal_str(message, multiline=True),
            title=literal_str(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def report_error(self, error: BaseException, title: str = "Request failed") -> None:
        """The one place an error becomes a notification: Stripe's message and request id."""
        if isinstance(error, GatewayError):
            self.notify(error.detail, title=f"{title}: {error.kind}", severity="error", timeout=8)
        else:
            self.notify(f"{type(error).__name__}: {error}", title=title, severity="error")

    def on_worker_failed(self, worker: Worker[Any]) -> None:
        """Screens forward their failed workers here (worker messages do not bubble)."""
        if worker.state is WorkerState.ERROR and worker.error is not None:
            self.report_error(worker.error, worker.description or worker.name or "Request failed")
