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
from weakref import WeakSet

from textual import events
from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import Worker, WorkerState

QUIET_LIMIT = 1.0
"""Seconds to wait for the app to be quiet; past this the next key goes as Textual sends it."""

PROBE_POLL = 0.05
"""Seconds between looks for pumps removed before their probe ran."""

QUIET_ROUNDS = 2
"""Probe rounds in a row that must find every message pump idle."""

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
        self._watched: WeakSet[MessagePump] = WeakSet()
        self._handled = 0
        """Messages handled by the screens' pumps (not the app's), counted to tell quiet."""
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
        self._unwatch()
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
        else:
            self._unwatch()

    def _unwatch(self) -> None:
        """Stop counting messages while no key waits: a watched pump's messages cost more."""
        for pump in list(self._watched):
            pump.message_signal.unsubscribe(self._app)
        self._watched.clear()

    async def _quiet(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + QUIET_LIMIT
        clean = 0
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
            clean = clean + 1 if await self._round(deadline) else 0

    async def _round(self, deadline: float) -> bool:
        """Probe every message pump; True if none handled anything else meanwhile.

        A probe is handled after everything its pump was sent before it (a handler in progress
        too). Each pump's handled messages are counted through its `message_signal`; the app,
        whose signal is not published, is probed last, once the others are done.
        """
        app = self._app
        pumps: list[MessagePump] = []
        for screen in app.screen_stack:
            pumps.extend(screen.walk_children(with_self=True))
        loop = asyncio.get_running_loop()
        handled = self._handled
        probes: dict[asyncio.Future[None], MessagePump] = {}
        starting = False
        for pump in pumps:
            if not pump.is_running:
                starting = True  # mounting (or, briefly, being removed)
                continue
            if pump not in self._watched:
                pump.message_signal.subscribe(app, self._seen, immediate=True)
                self._watched.add(pump)
            probe = _Probe(loop.create_future())
            if pump.post_message(probe):
                probes[probe.reached] = pump
        pending = set(probes)
        while pending:
            timeout = min(PROBE_POLL, deadline - loop.time())
            if timeout <= 0:
                return False
            _done, pending = await asyncio.wait(pending, timeout=timeout)
            # A pump removed meanwhile never handles its probe.
            pending = {p for p in pending if probes[p].is_running and probes[p].is_attached}
        reached: asyncio.Future[None] = loop.create_future()
        app.call_later(_resolve, reached)  # wait_for may have cancelled it by then
        try:
            await asyncio.wait_for(reached, max(deadline - loop.time(), 0))
        except TimeoutError:
            return False
        queued = any(pump.message_queue_size for pump in (app, *pumps))
        if starting:
            await asyncio.sleep(PROBE_POLL / 10)
        return self._handled == handled and not queued and not starting

    def _seen(self, message: Message) -> None:
        if isinstance(message, _Probe):
            if not message.reached.done():
                message.reached.set_result(None)
        else:
            self._handled += 1

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


class _Probe(Message, bubble=False, no_dispatch=True):
    """Handled by no one: its pump's message signal tells that the pump got this far."""

    def __init__(self, reached: asyncio.Future[None]) -> None:
        super().__init__()
        self.reached = reached


def _resolve(future: asyncio.Future[None]) -> None:
    """Mark a probe's future reached, unless its wait already gave up on it."""
    if not future.done():
        future.set_result(None)
