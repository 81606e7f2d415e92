"""Helpers for Pilot tests."""

from __future__ import annotations

from textual.app import App
from textual.pilot import Pilot


async def settle(pilot: Pilot[object], rounds: int = 4) -> None:
    """Wait until workers (and the workers they start after a timer) have finished."""
    app: App[object] = pilot.app
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        if not any(worker.is_running for worker in app.workers):
            await pilot.pause()
            if not any(worker.is_running for worker in app.workers):
                return
