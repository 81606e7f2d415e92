"""Keys in the order typed, each to the focus the keys before it left.

Textual hands a key to the widget that has the focus when the app reads the key. When several
keys arrive together (a fast typist, an SSH packet, a terminal that pastes without bracketed
paste), the first may open a form or move the focus, yet the ones behind it have already been
handed to the old focus: they land in the wrong field, or fire the old screen's bindings.

`KeyQueue` delivers one key (or paste) at a time and holds the next until the app is quiet:
every message pump of the app and of the screens on the stack has handled what it was sent, a
pushed screen is mounted and its focus set. A key typed when the app is already quiet is
delivered at once, so typing at a human pace costs nothing.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Any

from textual import events
from textual._queue import Queue
from textual.app import App
from textual.message_pump import MessagePump
from textual.worker import Worker, WorkerState

QUIET_LIMIT = 1.0
"""Seconds to wait for the app to be quiet; past this the next key goes as Textual sends it."""

BUSY_SPINS = 50
"""Looks at the pumps, one each turn of the event loop, before looking less often."""

MOUNT_POLL = 0.005
"""Seconds between looks once the app has been busy for `BUSY_SPINS` looks."""

QUIET_ROUNDS = 2
"""Looks in a row that must find every message pump idle."""

REWAKE = 0.25
"""Seconds after which a wake-up for the next key is sent again if it was lost."""

WORKER_LIMIT = 10.0
"""Seconds to wait for a worker that opens a form (`KeyQueue.hold_for`)."""

Deliver = Callable[[events.Event], Awaitable[None]]


class KeyQueue:
    """Holds input events (keys, pastes) while the app still works on the one before."""

    def __init__(self, app: App[Any], deliver: Deliver) -> None:
        self._app = app
        self._deliver = deliver
        self._held: deque[events.Event] = deque()
        self._busy = False
        self._settling: asyncio.Task[None] | None = None
        self._workers: list[Worker[Any]] = []
        self._workers_before: set[Worker[Any]] = set()

    async def receive(self, event: events.Event) -> None:
        """Deliver an input event now, or hold it behind those the app is still handling."""
        if self._busy:
            self._held.append(event)
            return
        await self._send(event)

    @property
    def waiting(self) -> int:
        """How many input events are held or still being handled."""
        return len(self._held) + self._busy

    def hold_for(self, worker: Worker[Any]) -> None:
        """Hold the keys that follow until `worker` ends: it opens a form that should get them."""
        self._workers.append(worker)

    def stop(self) -> None:
        """Drop the held keys (the app is closing)."""
        self._held.clear()
        if self._settling is not None:
            self._settling.cancel()
            self._settling = None

    async def _send(self, event: events.Event) -> None:
        self._busy = True
        self._workers_before = set(self._app.workers)
        try:
            await self._deliver(event)
        finally:
            self._settling = asyncio.create_task(self._settle())

    async def _settle(self) -> None:
        task = asyncio.current_task()
        try:
            await self._quiet()
        except Exception as error:  # e.g. the app closing: the next key goes as Textual sends it
            self._app.log.warning("KeyQueue could not tell when the app was quiet", repr(error))
        finally:
            self._wake(task)

    def _wake(self, task: asyncio.Task[Any] | None) -> None:
        """Ask the app to send the next key, and ask again until it has: Textual drops a
        callback that arrives while the app has no screen (between two screens)."""
        if task is None or self._settling is not task or not self._busy:
            return
        self._app.call_later(self._next, task)
        asyncio.get_running_loop().call_later(REWAKE, self._wake, task)

    async def _next(self, task: asyncio.Task[Any] | None = None) -> None:
        if task is not None and self._settling is not task:
            return  # an earlier wake-up that got through after all
        self._settling = None
        self._busy = False
        if self._held:
            await self._send(self._held.popleft())

    async def _quiet(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + QUIET_LIMIT
        clean = busy = 0
        while clean < QUIET_ROUNDS:
            if self._workers:
                await self._wait_worker(self._workers.pop(0), WORKER_LIMIT)
                deadline = loop.time() + QUIET_LIMIT
                clean = 0
                continue
            started = self._async_workers_started()
            if started:
                await self._wait_worker(started[0], max(deadline - loop.time(), 0))
                clean = 0
                continue
            if loop.time() >= deadline:
                return
            if await self._round(busy):
                clean += 1
            else:
                clean, busy = 0, busy + 1

    async def _round(self, busy_rounds: int) -> bool:
        """Look at every message pump once; True if all were idle.

        A pump is idle when its queue is empty and its task waits for the next message (so no
        handler, idle handler or `call_next` callback of its is running). One look at all
        pumps, with no await in between, sees no message in flight between them: a handler
        posts its messages before it returns. A look costs microseconds, where a probe
        message sent to every pump cost a few milliseconds of CPU a key.
        """
        idle = quiet_now(self._app)
        # Busy: look again at the loop's next turn, less often once it has taken a while.
        await asyncio.sleep(0 if busy_rounds < BUSY_SPINS else MOUNT_POLL)
        return idle

    def _async_workers_started(self) -> list[Worker[Any]]:
        """Work the last key started in the app's own loop, such as the palette's search.

        Workers in threads (requests to Stripe) are not waited for: keys must stay quick while
        a request is in flight.
        """
        return [
            worker
            for worker in self._app.workers
            if worker not in self._workers_before
            and not worker._thread_worker
            and not worker.is_finished
        ]

    @staticmethod
    async def _wait_worker(worker: Worker[Any], limit: float) -> None:
        async def finished() -> None:
            while worker.state is WorkerState.PENDING:
                await asyncio.sleep(0.005)
            with suppress(Exception):
                await worker.wait()

        with suppress(TimeoutError):
            await asyncio.wait_for(finished(), limit)


def quiet_now(app: App[Any]) -> bool:
    """Whether the app and every widget of every screen on its stack are idle right now."""
    return _idle(app) and all(
        _idle(pump) for screen in app.screen_stack for pump in screen.walk_children(with_self=True)
    )


def _idle(pump: MessagePump) -> bool:
    """Whether a pump runs, has no message queued and its task waits for the next one.

    Reads Textual's private queue (textual._queue.Queue, Textual is pinned): its task waits
    on `ready_event` while the queue is empty.
    """
    if not pump.is_running:  # mounting (or, briefly, being removed)
        return False
    queue: Queue[Any] = pump._message_queue
    waiting = any(not waiter.done() for waiter in queue.ready_event._waiters)
    return not queue.values and waiting
