"""The aiohttp application: auth, request ids, idempotency, faults, one transaction a request,
and the webhook forwarder (if any) woken once a write has committed."""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import json
import logging
import re
from contextlib import suppress
from dataclasses import asdict, dataclass
from typing import Any

from aiohttp import web

from .errors import StripeError, no_such
from .form import FormError, decode_form
from .forward import Forwarder
from .objects import now, rand
from .resources.events import caused_by
from .router import Router
from .store import Store
from .versions import API_VERSION, KNOWN
from .webhooks import WebhookConfig

__all__ = ["Fault", "Sandbox", "build_app"]

log = logging.getLogger("tui.sandbox")

_NO_KEY = (
    "You did not provide an API key. You need to provide your API key in the Authorization "
    "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
    "https://stripe.com/docs/api#authentication for details, or we can help at "
    "https://support.stripe.com/."
)
_JSON = "application/json"
MAX_BODY = 1024 * 1024
"""Bytes a request body may have; a bigger one is a 413 in Stripe's envelope."""
_DELIVERIES = re.compile(r"/_sandbox/events/([^/]+)/deliveries")


def mask_key(key: str) -> str:
    """``sk_live_abcdef1234`` -> ``sk_live_******1234``: never echo a whole key."""
    prefix = ""
    parts = key.split("_", 2)
    if len(parts) == 3 and len(parts[0]) <= 3 and len(parts[1]) <= 5:
        prefix = f"{parts[0]}_{parts[1]}_"
    rest = key[len(prefix) :]
    if len(rest) <= 4:
        return prefix + "*" * len(rest)
    return prefix + "*" * (len(rest) - 4) + rest[-4:]


def _key_from(
    header: str | None, required: str | None = None
) -> tuple[str | None, StripeError | None]:
    """The key of an Authorization header: ``required`` alone if given, else any test key."""
    if not header or not header.strip():
        return None, StripeError(401, _NO_KEY)
    scheme, _, value = header.strip().partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer":
        key = value
    elif scheme.lower() == "basic":
        try:
            key = base64.b64decode(value, validate=True).decode().split(":", 1)[0]
        except (binascii.Error, UnicodeDecodeError):
            key = value
    else:
        key = header.strip()
    if not key:
        return None, StripeError(401, _NO_KEY)
    if required is not None:
        if hmac.compare_digest(key.encode(), required.encode()):
            return key, None
    elif key.startswith(("sk_test_", "rk_test_")) and len(key) > 8 and " " not in key:
        return key, None
    return None, StripeError(401, f"Invalid API Key provided: {mask_key(key)}")


@dataclass
class Fault:
    path: str = "/"
    method: str | None = None
    status: int | None = None
    delay_ms: int = 0
    drop: bool = False
    count: int = 1
    after: bool = False

    def matches(self, method: str, path: str) -> bool:
        return path.startswith(self.path) and (self.method is None or self.method == method)


def _fault_error(status: int) -> StripeError:
    if status == 429:
        return StripeError(
            429,
            "Too many requests hit the API too quickly. We recommend an exponential backoff of "
            "your requests.",
            code="rate_limit",
        )
    if status >= 500:
        return StripeError(
            status,
            "An unknown error occurred. Please try again (sandbox fault).",
            type="api_error",
        )
    if status == 409:
        return StripeError(
            409,
            "This object cannot be accessed right now because another API request or Stripe "
            "process is currently accessing it. If you see this error intermittently, retry the "
            "request. (sandbox fault)",
            code="lock_timeout",
        )
    return StripeError(status, f"Injected sandbox fault (HTTP {status}).")


def _parse_fault(data: Any) -> Fault:
    if not isinstance(data, dict):
        raise StripeError(400, "The fault must be a JSON object.")
    allowed = {"path", "method", "status", "delay_ms", "drop", "count", "after"}
    for key in data:
        if key not in allowed:
            raise StripeError(
                400, f"Received unknown parameter: {key}", code="parameter_unknown", param=key
            )

    def num(key: str, default: int | None) -> int | None:
        value = data.get(key, default)
        if value is None:
            return None
        if isinstance(value, str) and value.lstrip("-").isdigit():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10**9:
            raise StripeError(400, f"Invalid integer: {str(value)[:100]}", param=key)
        return value

    def flag(key: str) -> bool:
        value = data.get(key, False)
        if isinstance(value, str):
            value = value == "true"
        return bool(value)

    status = num("status", None)
    if status is not None and not 400 <= status <= 599:
        raise StripeError(400, "status must be between 400 and 599.", param="status")
    method = data.get("method")
    path = data.get("path", "/")
    if not isinstance(path, str) or (method is not None and not isinstance(method, str)):
        raise StripeError(400, "path and method must be strings.")
    return Fault(
        path=path,
        method=method.upper() if method else None,
        status=status,
        delay_ms=num("delay_ms", 0) or 0,
        drop=flag("drop"),
        count=num("count", 1) or 0,
        after=flag("after"),
    )


class Sandbox:
    """The request pipeline, independent of how it is served."""

    def __init__(
        self, db_path: str | None, key: str | None = None, webhooks: WebhookConfig | None = None
    ) -> None:
        self.key = key
        self.store = Store(db_path)
        self.router = Router(self.store)
        self.faults: list[Fault] = []
        self._held: asyncio.Event | None = None  # set to let delayed requests go on at once
        self.forwarder = None if webhooks is None else Forwarder(webhooks, self.store)

    def close(self) -> None:
        self.store.close()

    # --- responses -----------------------------------------------------------------------
    @staticmethod
    def _response(status: int, body: bytes, rid: str, **extra: str) -> web.Response:
        headers = {"Request-Id": rid, "Stripe-Version": API_VERSION, **extra}
        return web.Response(body=body, status=status, headers=headers, content_type=_JSON)

    def _error(self, err: StripeError, rid: str) -> web.Response:
        return self._response(err.status, json.dumps(err.envelope()).encode(), rid)

    # --- faults --------------------------------------------------------------------------
    def _take_fault(self, method: str, path: str) -> Fault | None:
        for fault in self.faults:
            if fault.matches(method, path):
                fault.count -= 1
                if fault.count <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    @staticmethod
    def _drop(request: web.Request) -> web.Response:
        transport = request.transport
        if transport is not None:
            transport.abort()
        raise asyncio.CancelledError  # nothing is sent; aiohttp drops the connection

    async def _apply(self, fault: Fault, request: web.Request, rid: str) -> web.Response | None:
        if fault.delay_ms:
            if self._held is None:
                self._held = asyncio.Event()
            with suppress(TimeoutError):  # the delay is over, or the faults were cleared
                await asyncio.wait_for(self._held.wait(), fault.delay_ms / 1000)
        if fault.drop:
            return self._drop(request)
        if fault.status is not None:
            return self._error(_fault_error(fault.status), rid)
        return None

    def _deliveries(self, event_id: str, rid: str) -> web.Response:
        """The attempts to deliver an event to the `--forward-to` receiver, oldest first."""
        event = self.store.get("event", event_id)
        seq = self.store.seq_of("event", event_id)
        if event is None or seq is None:
            return self._error(no_such("event", event_id, "id"), rid)
        forwarder = self.forwarder
        listing = {
            "object": "list",
            "data": self.store.attempts(event_id),
            "has_more": False,
            "url": f"/_sandbox/events/{event_id}/deliveries",
            "pending": forwarder is not None and forwarder.pending(seq, event["type"]),
        }
        return self._response(200, json.dumps(listing).encode(), rid)

    async def _control(self, request: web.Request, rid: str) -> web.Response:
        deliveries = _DELIVERIES.fullmatch(request.path)
        if deliveries is not None and request.method == "GET":
            return self._deliveries(deliveries.group(1), rid)
        if request.path != "/_sandbox/faults":
            return self._error(self._unrecognized(request), rid)
        if request.method == "DELETE":
            self.faults.clear()
            if self._held is not None:  # requests still delayed go on now
                self._held.set()
                self._held = None
        elif request.method == "POST":
            body = await request.read()
            try:
                if request.content_type == "application/x-www-form-urlencoded":
                    data: Any = decode_form(body)
                else:
                    data = json.loads(body or b"{}")
                items = data if isinstance(data, list) else [data]
                self.faults.extend(_parse_fault(item) for item in items)
            except StripeError as err:
                return self._error(err, rid)
            except FormError as err:
                return self._error(StripeError(400, err.message), rid)
            except (ValueError, RecursionError):  # RecursionError: "[[[[..." too deep
                return self._error(StripeError(400, "Invalid JSON body."), rid)
        elif request.method != "GET":
            return self._error(self._unrecognized(request), rid)
        listing = {
            "object": "list",
            "data": [asdict(f) for f in self.faults],
            "has_more": False,
            "url": "/_sandbox/faults",
        }
        return self._response(200, json.dumps(listing).encode(), rid)

    @staticmethod
    def _unrecognized(request: web.Request) -> StripeError:
        return StripeError(
            404,
            f"Unrecognized request URL ({request.method}: {request.path}). Please see "
            "https://stripe.com/docs or we can help at https://support.stripe.com/.",
        )

    # --- the pipeline --------------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.StreamResponse:
        rid = "req_" + rand(14)
        try:
            return await self._handle(request, rid)
        except web.HTTPRequestEntityTooLarge:
            return self._error(
                StripeError(
                    413,
                    f"The request body is too large: at most {MAX_BODY} bytes are accepted.",
                ),
                rid,
            )
        except web.HTTPException as exc:
            return self._error(StripeError(exc.status, exc.reason), rid)
        except (asyncio.CancelledError, ConnectionError):
            raise
        except Exception:
            log.exception("sandbox request failed: %s %s", request.method, request.path)
            return self._error(
                StripeError(500, "An unknown error occurred in the sandbox.", type="api_error"),
                rid,
            )

    async def _handle(self, request: web.Request, rid: str) -> web.StreamResponse:
        _key, auth_error = _key_from(request.headers.get("Authorization"), self.key)
        if auth_error is not None:
            return self._error(auth_error, rid)
        method = request.method
        path = request.path
        if path.startswith("/_sandbox/"):
            return await self._control(request, rid)
        version = request.headers.get("Stripe-Version")
        if version is not None and version not in KNOWN:
            return self._error(StripeError(400, f"Invalid Stripe API version: {version}"), rid)
        fault = self._take_fault(method, path) if self.faults else None
        if fault is not None and not fault.after:
            early = await self._apply(fault, request, rid)
            if early is not None:
                return early
            fault = None
        if self.router.match(method, path) is None:
            return self._error(self._unrecognized(request), rid)
        try:
            raw = decode_form(request.rel_url.raw_query_string)
            if method == "POST":
                raw.update(decode_form(await request.read()))
        except FormError as err:
            return self._error(StripeError(400, err.message, param=err.key or None), rid)
        idem = request.headers.get("Idempotency-Key") if method == "POST" else None
        response = self.process(method, path, raw, idem, rid)
        if fault is not None:
            late = await self._apply(fault, request, rid)
            if late is not None:
                return late
        return response

    def process(
        self, method: str, path: str, raw: dict[str, Any], idem: str | None, rid: str
    ) -> web.Response:
        """Run one API request synchronously (no awaits: requests are serialised)."""
        store = self.store
        extra: dict[str, str] = {}
        fingerprint = ""
        if idem is not None:
            extra["Idempotency-Key"] = idem
            fingerprint = hashlib.sha256(
                f"{method} {path} {json.dumps(raw, sort_keys=True)}".encode()
            ).hexdigest()
            record = store.idempotency_get(idem)
            if record is not None:
                old_fp, status, old_rid, body = record
                if old_fp != fingerprint:
                    return self._error(
                        StripeError(
                            400,
                            "Keys for idempotent requests can only be used with the same "
                            "parameters they were first used with. Try using a key other than "
                            f"'{idem}' if you meant to execute a different request.",
                            type="idempotency_error",
                        ),
                        rid,
                    )
                return self._response(
                    status,
                    body,
                    rid,
                    **extra,
                    **{"Idempotent-Replayed": "true", "Original-Request": old_rid},
                )
        writes = method != "GET"
        try:
            if writes:
                store.begin()
                store.savepoint()
            try:
                with caused_by(rid, idem):
                    result = self.router.call(method, path, raw)
                status, body = 200, json.dumps(result).encode()
                saved = True
                if writes:
                    store.release()
            except StripeError as err:
                if writes:
                    if err.commit:
                        store.release()
                    else:
                        store.rollback_savepoint()
                status, body = err.status, json.dumps(err.envelope()).encode()
                saved = err.saved
            if writes:
                if idem is not None and saved:
                    store.idempotency_put(idem, fingerprint, status, rid, body, now())
                store.commit()
        except Exception:
            log.exception("sandbox request failed: %s %s", method, path)
            store.rollback()
            return self._error(
                StripeError(500, "An unknown error occurred in the sandbox.", type="api_error"),
                rid,
            )
        if writes and self.forwarder is not None:
            self.forwarder.wake()  # committed: its events, if any, may be sent now
        return self._response(status, body, rid, **extra)


SANDBOX_KEY = web.AppKey("sandbox", Sandbox)


def build_app(
    db_path: str | None = None, key: str | None = None, webhooks: WebhookConfig | None = None
) -> web.Application:
    """The sandbox as an aiohttp application (``db_path`` None: in-memory SQLite).

    ``key``: the one API key accepted; None accepts any ``sk_test_`` or ``rk_test_`` key.
    ``webhooks``: where to forward events, if anywhere.
    """
    sandbox = Sandbox(db_path, key, webhooks)
    app = web.Application(client_max_size=MAX_BODY)
    app[SANDBOX_KEY] = sandbox
    app.router.add_route("*", "/{tail:.*}", sandbox.handle)
    forwarder = sandbox.forwarder
    if forwarder is not None:

        async def start_forwarding(_app: web.Application) -> None:
            await forwarder.start()

        app.on_startup.append(start_forwarding)

    async def close(_app: web.Application) -> None:
        if forwarder is not None:
            await forwarder.stop()
        sandbox.close()

    app.on_cleanup.append(close)
    return app
