"""Pilot waits on what the app is doing, not on the clock.

Textual's Pilot waits after each key (and in `pause()`) until the process's CPU time stops
advancing (`textual._wait.wait_for_idle`). On a loaded machine that costs 0.2 to 0.6 s a key,
most of the suite's time, and it proves little: a busy neighbour or a sleeping thread passes
for idle. In tests it is replaced by `until_quiet`: the key has reached the app, the app's
`KeyQueue` has delivered it (it waits for every message pump to be idle), and the app and the
screen's widgets have handled every message sent to them.

`Pilot._wait_for_screen` (after each `press`) is replaced by the same look at every pump.

`settle` (in tests/functional/helpers.py) adds workers and short one-shot timers (the
debounces that show a detail pane or look up an id) to what it waits for.

Frames are laid out but not painted: the headless driver throws the paint away, and what a
test reads (widgets' state, `render_line`, `export_screenshot`, which renders the whole screen
itself) does not come from it. A paint was about a sixth of the suite's CPU.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from time import monotonic
from typing import Any

import textual.app
import textual.pilot
import textual.screen
from textual._context import active_app
from textual.app import App
from textual.driver import Driver
from textual.message import Message
from textual.message_pump import MessagePump
from textual.pilot import Pilot
from textual.timer import Timer

from tui.keyqueue import quiet_now

POLL = 0.002
"""Seconds between looks at the app while it is busy."""

QUIET_WITHIN = 10.0
"""Seconds after which `until_quiet` stops waiting (as wait_for_idle does after 1 s): the test's
own assertions then tell what was not done."""

FRAME = 1.0
"""Seconds between frames in tests (Textual draws at up to 60 a second). Each frame of a form
over a dimmed screen costs tens of ms of CPU, and a test reads the app's state, not the
frames in between: `until_quiet` draws the frame that is due before it returns."""

SHORT_TIMER = 1.0
"""One-shot timers up to this long are debounces that `settle` waits for."""

_in_flight: set[concurrent.futures.Future[Any]] = set()
"""Messages a driver has sent to the app that have not reached its queue yet."""


def _send_message(self: Driver, message: Message) -> None:
    """Driver.send_message, keeping what is in flight (it crosses threads to get to the app)."""
    future = asyncio.run_coroutine_threadsafe(self._app._post_message(message), loop=self._loop)
    _in_flight.add(future)
    future.add_done_callback(_in_flight.discard)


def pumps(app: App[Any]) -> list[MessagePump]:
    """The app and every widget of every screen on its stack."""
    found: list[MessagePump] = [app]
    for screen in app.screen_stack:
        found.extend(screen.walk_children(with_self=True))
    return found


def _held_keys(app: App[Any]) -> int:
    keys = getattr(app, "keys", None)
    return int(keys.waiting) if keys is not None else 0


async def until_quiet(min_sleep: float = 0.0, max_sleep: float = 1.0) -> None:
    """Stand-in for `textual._wait.wait_for_idle` (same signature; the times are not used)."""
    try:
        app = active_app.get()
    except LookupError:
        await asyncio.sleep(0)
        return
    deadline = monotonic() + QUIET_WITHIN
    while monotonic() < deadline:
        if app._exit or not app.is_running:
            return  # closing: nothing more will be handled
        if _in_flight or app.message_queue_size or _held_keys(app):
            await asyncio.sleep(POLL)
            continue
        if not await _pumps_idle(app, max(deadline - monotonic(), 0.01)):
            return  # an exception in the app, or stalled: the test's assertions will tell
        if _in_flight or _held_keys(app) or any_queued(app):
            continue
        due = _screens_with_update_pending(app)
        if not due:
            return
        # A frame is due (layout, repaint): draw it now rather than wait for the frame timer,
        # as Pilot.pause() does; it may send messages (resizes), so look again. A screen under
        # a dialog is drawn too (its footer, a list that loaded): the dialog shows it.
        for screen in due:
            screen._on_timer_update()


async def _pumps_idle(app: App[Any], timeout: float = 30.0) -> bool:
    """Wait until every message pump of the app is idle (`tui.keyqueue.quiet_now`) at two looks
    a loop turn apart; False on an exception in the app or past `timeout`.

    Stands in for `Pilot._wait_for_screen`, which posts a callback to every widget of the
    screen and waits for them all: a few ms of CPU each time, after every key.
    """
    deadline = monotonic() + timeout
    clean = 0
    while clean < 2:
        if app._exception_event.is_set() or monotonic() > deadline:
            return False
        if app._exit or not app.is_running:
            return True
        clean = clean + 1 if quiet_now(app) else 0
        await asyncio.sleep(0 if clean else POLL)
    return True


def _pilot_wait_for_screen(self: Pilot[Any], timeout: float = 30.0) -> Awaitable[bool]:
    return _pumps_idle(self.app, timeout)


def _compositor_refresh_unpainted(self: textual.screen.Screen[Any]) -> None:
    """Screen._compositor_refresh, less the top screen's paint (its dirty regions are dropped:
    the next paint, or a screenshot, renders the widgets as they are then)."""
    app = self.app
    if self is app.screen and not app.is_inline and not PAINT:
        self._dirty_widgets.clear()
        self._compositor._dirty_regions.clear()
        app._update_mouse_over(self)
        return
    _compositor_refresh(self)


_compositor_refresh = textual.screen.Screen._compositor_refresh

PAINT = False
"""True while a test marked `paints` runs: it counts the lines a widget makes for a paint."""


def _screens_with_update_pending(app: App[Any]) -> list[textual.screen.Screen[Any]]:
    """The screens on view (the top one and those a dialog shows beneath) with a frame due or
    a layout wanted (its timer not resumed yet), the lowest first."""
    due = []
    for screen in [*app._background_screens, app.screen]:
        timer = getattr(screen, "_Screen__update_timer", None)
        wanted = screen._layout_required or screen._scroll_required or screen._recompose_required
        if wanted or (timer is not None and timer._active.is_set()):
            due.append(screen)
    return due


def any_queued(app: App[Any]) -> bool:
    """True while a running pump of the app has messages it has not taken yet."""
    return any(pump.message_queue_size and pump.is_running for pump in pumps(app))


def short_timers(app: App[Any]) -> list[Timer]:
    """The app's pending one-shot timers of up to SHORT_TIMER seconds (debounces)."""
    pending = []
    for pump in pumps(app):
        for timer in list(pump._timers):
            task = getattr(timer, "_task", None)
            if (
                task is not None
                and not task.done()
                and timer._repeat == 0
                and timer._interval <= SHORT_TIMER
                and timer._active.is_set()
            ):
                pending.append(timer)
    return pending


@contextmanager
def pilot_waits_on_conditions() -> Iterator[None]:
    """Swap Textual's CPU-idle wait for `until_quiet`, draw fewer frames and paint none while
    this runs."""
    saved = textual.app.wait_for_idle, textual.pilot.wait_for_idle, Driver.send_message
    wait_for_screen = Pilot._wait_for_screen
    Pilot._wait_for_screen = _pilot_wait_for_screen  # type: ignore[method-assign]
    frame = textual.screen.UPDATE_PERIOD
    textual.screen.UPDATE_PERIOD = FRAME  # type: ignore[misc]
    textual.screen.Screen._compositor_refresh = _compositor_refresh_unpainted  # type: ignore[method-assign]
    textual.app.wait_for_idle = until_quiet  # type: ignore[assignment]
    textual.pilot.wait_for_idle = until_quiet  # type: ignore[assignment]
    Driver.send_message = _send_message  # type: ignore[method-assign]
    try:
        yield
    finally:
        textual.app.wait_for_idle, textual.pilot.wait_for_idle, Driver.send_message = saved
        Pilot._wait_for_screen = wait_for_screen  # type: ignore[method-assign]
        textual.screen.UPDATE_PERIOD = frame  # type: ignore[misc]
        textual.screen.Screen._compositor_refresh = _compositor_refresh  # type: ignore[method-assign]
