"""Helpers for Pilot tests."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from contextlib import suppress
from typing import Any

from textual.app import App
from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static
from textual.worker import WorkerCancelled, WorkerFailed

from tests.waiting import POLL, any_queued, short_timers
from widgets.form import FormScreen

KEYS_DELIVERED_WITHIN = 30.0  # seconds: a wait that never ends fails instead of hanging
SETTLED_WITHIN = 30.0


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until the app is done: keys delivered, workers finished, no debounce timer pending
    (a detail pane or a lookup that starts a worker after a timer), every message handled."""
    app: App[Any] = pilot.app
    await keys_delivered(pilot)
    deadline = time.monotonic() + SETTLED_WITHIN
    while True:
        with suppress(WorkerFailed, WorkerCancelled):  # the app's to report, not the wait's
            await app.workers.wait_for_complete()
        await pilot.pause()
        busy = [w for w in app.workers if w.is_running]
        timers = short_timers(app)
        if not busy and not timers and not any_queued(app):
            return
        assert time.monotonic() < deadline, (
            f"not settled within {SETTLED_WITHIN} s: workers {busy}, timers {timers}"
        )
        await asyncio.sleep(POLL)


async def keys_delivered(pilot: Pilot[Any]) -> None:
    """Wait until the app has delivered every key it holds back (see tui.keyqueue)."""
    app = pilot.app
    keys = getattr(app, "keys", None)
    deadline = time.monotonic() + KEYS_DELIVERED_WITHIN
    while app.message_queue_size or (keys is not None and keys.waiting):
        assert time.monotonic() < deadline, (
            f"keys not delivered within {KEYS_DELIVERED_WITHIN} s: "
            f"{app.message_queue_size} messages queued, keys waiting: {keys and keys.waiting}"
        )
        await asyncio.sleep(POLL)


def form(app: App[Any]) -> FormScreen:
    """The open form (fails the test when another screen is on top)."""
    assert isinstance(app.screen, FormScreen), app.screen
    return app.screen


async def fill(pilot: Pilot[Any], **values: str) -> None:
    """Set the form's inputs and choices as if typed or picked."""
    screen = form(pilot.app)
    for name, value in values.items():
        control = screen.control(name)
        if isinstance(control, Select):
            control.value = value
        else:
            assert isinstance(control, Input)
            control.value = value
    await pilot.pause()


async def submit(pilot: Pilot[Any]) -> None:
    """ctrl+s, and wait for the request."""
    await pilot.press("ctrl+s")
    await settle(pilot)


def field_message(screen: FormScreen, name: str) -> str:
    """The message under a form's field (an error, or the amount's live hint)."""
    return str(screen.query_one(f"#message-{name}", Static).content)


def notes(app: App[Any]) -> str:
    """Every notification so far, as 'title: message' lines."""
    return "\n".join(f"{n.title}: {n.message}" for n in app._notifications)


def palette_titles(app: App[Any]) -> list[str]:
    """The options the open command palette lists."""
    options = app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def add_fault(sandbox: Any, key: str, **fault: Any) -> None:
    """Arm the sandbox's fault switch (the next matching requests fail or wait)."""
    request = urllib.request.Request(
        f"{sandbox.url}/_sandbox/faults",
        data=json.dumps(fault).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status in (200, 201)


async def clear_faults(sandbox: Any, key: str) -> None:
    """Disarm the fault switch: requests still delayed by it go on at once."""
    request = urllib.request.Request(
        f"{sandbox.url}/_sandbox/faults",
        method="DELETE",
        headers={"Authorization": f"Bearer {key}"},
    )

    def send() -> None:
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200

    await asyncio.to_thread(send)
