"""Delivering events to a webhook receiver, as `stripe listen --forward-to` does.

The sandbox hands each request's events to `Forwarder.submit` once they are committed. That only
puts their ids on a bounded queue, so a slow or dead receiver never slows a request. One task
delivers them in order, one at a time: it POSTs the event as stored, signed as Stripe signs
(`webhooks.sign`). A 2xx answer is a delivery; any other answer (a redirect too, as on Stripe), a
timeout or a refused connection is tried again after each of `retry_delays`, then given up.
Every attempt is recorded in the store for `GET /_sandbox/events/{id}/deliveries`. On shutdown
the deliveries still waiting are abandoned.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

import aiohttp

from .store import Store
from .webhooks import WebhookConfig, event_filter, sign

__all__ = ["USER_AGENT", "Forwarder"]

log = logging.getLogger("tui.sandbox")

USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"
"""The User-Agent of Stripe's own deliveries."""
QUEUE_FULL = "not sent: too many events were waiting for delivery"


class Forwarder:
    """Forwards events to one URL, in order, from the sandbox's event loop."""

    def __init__(self, config: WebhookConfig, store: Store) -> None:
        self.config = config
        self.store = store
        self._wanted = event_filter(config.events)
        self._queue: asyncio.Queue[str] | None = None
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    def wants(self, event_type: str) -> bool:
        """Whether events of this type are forwarded (`--events`)."""
        return self._wanted is None or self._wanted.fullmatch(event_type) is not None

    def submit(self, events: list[dict[str, Any]]) -> None:
        """Queue committed events for delivery; returns at once (called inside a request)."""
        queue = self._queue
        if queue is None:  # not started, or stopping
            return
        for event in events:
            if not self.wants(event["type"]):
                continue
            try:
                queue.put_nowait(event["id"])
            except asyncio.QueueFull:
                log.warning("webhook queue full: %s is not forwarded", event["id"])
                self.store.attempt_put(
                    event["id"], self.config.url, 0, None, QUEUE_FULL, int(time.time()), 0
                )

    async def start(self) -> None:
        """Start delivering (in the running loop)."""
        self._queue = asyncio.Queue(self.config.queue_size)
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self.config.timeout),
            headers={"User-Agent": USER_AGENT},
        )
        self._task = asyncio.create_task(self._run(self._queue), name="webhook-forwarder")

    async def stop(self) -> None:
        """Abandon what is waiting and close the connections; idempotent."""
        task, session = self._task, self._session
        self._task = self._session = self._queue = None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if session is not None:
            await session.close()

    async def _run(self, queue: asyncio.Queue[str]) -> None:
        while True:
            event_id = await queue.get()
            try:
                await self.deliver(event_id)
            except Exception:  # one event's failure must not end the deliveries
                log.exception("webhook delivery of %s failed", event_id)

    async def deliver(self, event_id: str) -> bool:
        """Deliver one event, retrying as configured; whether the receiver took it."""
        payload = self.store.stored_json(event_id)
        if payload is None:
            return False
        body = payload.encode()
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
