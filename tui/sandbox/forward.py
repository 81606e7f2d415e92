"""Delivering events to a webhook receiver, as `stripe listen --forward-to` does.

The forwarder holds no queue: events are already in the database, in order. After each write
request commits, the sandbox calls `Forwarder.wake`, which only sets a flag, so a slow or dead
receiver never slows a request. One task reads the events recorded since the last it handled
(a page at a time) and delivers the wanted ones in order, one at a time: it POSTs the event as
stored, signed as Stripe signs (`webhooks.sign`). A 2xx answer is a delivery; any other answer (a
redirect too, as on Stripe), a timeout or a refused connection is tried again after each of
`retry_delays`, then given up. Every attempt is recorded in the store for
`GET /_sandbox/events/{id}/deliveries`. Events from before the start are not forwarded; on
shutdown the events still waiting are abandoned.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

import aiohttp

from .store import Store
from .webhooks import WebhookConfig, event_filter, sign

__all__ = ["USER_AGENT", "Forwarder"]

log = logging.getLogger("tui.sandbox")

USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"
"""The User-Agent of Stripe's own deliveries."""
PAGE = 100
"""Events read from the database at once."""


class Forwarder:
    """Forwards events to one URL, in order, from the sandbox's event loop."""

    def __init__(self, config: WebhookConfig, store: Store) -> None:
        self.config = config
        self.store = store
        self._wanted = event_filter(config.events)
        self.done = 0
        """The `seq` of the last event handled (delivered, given up or not wanted)."""
        self._woken = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    def wants(self, event_type: str) -> bool:
        """Whether events of this type are forwarded (`--events`)."""
        return self._wanted is None or self._wanted.fullmatch(event_type) is not None

    def wake(self) -> None:
        """New events may have been committed; returns at once (called inside a request)."""
        self._woken.set()

    def pending(self, seq: int, event_type: str) -> bool:
        """Whether the event stored at `seq` is still to be delivered (or being delivered)."""
        return self._task is not None and seq > self.done and self.wants(event_type)

    async def start(self) -> None:
        """Start delivering (in the running loop) the events recorded from now on."""
        self.done = self.store.last_seq("event")
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self.config.timeout),
            headers={"User-Agent": USER_AGENT},
        )
        self._task = asyncio.create_task(self._run(), name="webhook-forwarder")

    async def stop(self) -> None:
        """Abandon what is waiting and close the connections; idempotent."""
        task, session = self._task, self._session
        self._task = self._session = None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if session is not None:
            await session.close()

    async def _run(self) -> None:
        while True:
            await self._woken.wait()
            self._woken.clear()
            while page := self.store.events_after(self.done, PAGE):
                for seq, event_type, event_id, payload in page:
                    if self.wants(event_type):
                        try:
                            await self.deliver(event_id, payload.encode())
                        except Exception:  # one event's failure must not end the deliveries
                            log.exception("webhook delivery of %s failed", event_id)
                    self.done = seq

    async def deliver(self, event_id: str, body: bytes) -> bool:
        """Deliver one event, retrying as configured; whether the receiver took it."""
        for attempt, delay in enumerate((0.0, *self.config.retry_delays), 1):
            if delay:
                await asyncio.sleep(delay)
            sent = time.time()
            started = time.monotonic()
            status, error = await self._post(body, int(sent))
            duration_ms = round((time.monotonic() - started) * 1000)
            self.store.attempt_put(
                event_id, self.config.url, attempt, status, error, int(sent), duration_ms
            )
            if status is not None and 200 <= status < 300:
                return True
        log.warning("webhook %s not delivered to %s", event_id, self.config.url)
        return False

    async def _post(self, body: bytes, timestamp: int) -> tuple[int | None, str | None]:
        """One POST: the status answered, or None and why there was none."""
        assert self._session is not None
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Stripe-Signature": sign(body, self.config.secret, timestamp),
        }
        try:
            async with self._session.post(
                self.config.url, data=body, headers=headers, allow_redirects=False
            ) as response:
                return response.status, None
        except TimeoutError:
            return None, f"timed out after {self.config.timeout:g} s"
        except aiohttp.ClientConnectorError as exc:
            return None, f"cannot connect: {exc.os_error.strerror or exc.os_error}"
        except (aiohttp.ClientError, OSError) as exc:
            return None, f"{type(exc).__name__}: {exc}"
