"""The one module that talks to Stripe: typed operations over the official `stripe` SDK.

Every operation is synchronous and meant to run in a worker thread. Results are plain dicts
(Stripe's JSON), lists come back as a `Page` with a cursor for the next one, and every failure
becomes a `GatewayError`. `import stripe` is deferred to the first request so that the console
paints before the SDK is loaded.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, urlsplit

from tui.requestlog import Entry, RequestLog, api_base_of
from tui.settings import SecretKey, mask_key

if TYPE_CHECKING:
    import stripe

    from tui.prefetch import FirstPage

Params = dict[str, Any]
Obj = dict[str, Any]

MAX_NETWORK_RETRIES = 2
TIMEOUT_SECONDS = 30.0


class ErrorKind(StrEnum):
    """What went wrong, in the operator's words."""

    CARD_DECLINED = "card declined"
    INVALID_REQUEST = "invalid request"
    NOT_FOUND = "not found"
    AUTHENTICATION = "authentication"
    PERMISSION = "permission"
    RATE_LIMITED = "rate limited"
    CONNECTION = "connection"
    IDEMPOTENCY = "idempotency"
    API = "api error"


@dataclass(eq=False)
class GatewayError(Exception):
    """One failure from Stripe (or from reaching it), with everything Stripe said about it.

    Compared and hashed by identity like any exception (a dataclass `eq` would make it
    unhashable), and copyable/picklable with all its fields.
    """

    kind: ErrorKind
    message: str
    param: str | None = None
    code: str | None = None
    decline_code: str | None = None
    request_id: str | None = None
    http_status: int | None = None
    payment_intent: Obj | None = None
    """For a card error on confirmation: the intent as Stripe returned it in the error."""

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        fields = (self.kind, self.message, self.param, self.code, self.decline_code)
        rest = (self.request_id, self.http_status, self.payment_intent)
        return (self.__class__, (*fields, *rest))

    @property
    def outcome_unknown(self) -> bool:
        """A write that failed so may still have been done: a 5xx, a 409 or no answer at all.

        Any other answer (a 4xx, 429 included) means Stripe did not do it.
        """
        if self.kind is ErrorKind.CONNECTION:
            return True
        status = self.http_status
        if status is None:
            return self.kind is ErrorKind.API
        return status >= 500 or status == 409

    @property
    def detail(self) -> str:
        """The message with the codes and request id, for a notification."""
        extras = [x for x in (self.code, self.decline_code) if x]
        text = self.message
        if extras:
            text += f" ({', '.join(dict.fromkeys(extras))})"
        if self.request_id:
            text += f"\nRequest {self.request_id}"
        return text


@dataclass(frozen=True)
class Page:
    """One page of a list or search; pass `next_cursor` back to get the next page."""

    items: list[Obj]
    next_cursor: str | None


def new_idempotency_key() -> str:
    """One key per logical submission; the caller keeps it and reuses it on a retry."""
    return f"stripe-tui-{uuid.uuid4()}"


def customer_search_query(text: str) -> str:
    """Stripe search syntax for free text: a substring of the name or of the email."""
    quoted = text.strip().replace("\\", "\\\\").replace('"', '\\"')
    return f'name~"{quoted}" OR email~"{quoted}"'


def _kind_of(exc: stripe.StripeError) -> ErrorKind:
    import stripe

    status = exc.http_status
    if isinstance(exc, stripe.CardError):
        return ErrorKind.CARD_DECLINED
    if isinstance(exc, stripe.IdempotencyError):
        return ErrorKind.IDEMPOTENCY
    if isinstance(exc, stripe.AuthenticationError):
        return ErrorKind.AUTHENTICATION
    if isinstance(exc, stripe.PermissionError):
        return ErrorKind.PERMISSION
    if isinstance(exc, stripe.RateLimitError) or status == 429:
        return ErrorKind.RATE_LIMITED
    if isinstance(exc, stripe.APIConnectionError):
        return ErrorKind.CONNECTION
    if isinstance(exc, stripe.InvalidRequestError):
        # A 404 is the object asked for; a `resource_missing` 400 is an object named in a
        # create's parameters ("No such product", param "product"): a field to fix.
        if status == 404:
            return ErrorKind.NOT_FOUND
        return ErrorKind.INVALID_REQUEST
    return ErrorKind.API


STRIPE_API = "https://api.stripe.com"


def _connection_reason(exc: BaseException) -> str:
    """Why a connection failed, in a few words ("connection refused", "timed out"), from the
    exceptions under the SDK's (requests' and urllib3's, whose own texts are long dumps)."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        error = todo.pop(0)
        if id(error) in seen:
            continue
        seen.add(id(error))
        if isinstance(error, TimeoutError) or "Timeout" in type(error).__name__:
            return "timed out"
        if isinstance(error, OSError) and error.strerror:
            return error.strerror[:1].lower() + error.strerror[1:]
        reason = getattr(error, "reason", None)  # urllib3's MaxRetryError
        nested = [error.__cause__, error.__context__, reason, *error.args]
        todo += [e for e in nested if isinstance(e, BaseException)]
    return "no answer"


def _translate(exc: stripe.StripeError, base: str | None = None) -> GatewayError:
    body = exc.json_body if isinstance(exc.json_body, dict) else {}
    error = body.get("error") if isinstance(body.get("error"), dict) else {}
    assert isinstance(error, dict)
    message = exc.user_message or error.get("message") or exc.__class__.__name__
    intent = error.get("payment_intent")
    kind = _kind_of(exc)
    if kind is ErrorKind.CONNECTION:
        message = f"Could not reach {base or STRIPE_API}: {_connection_reason(exc)}"
    return GatewayError(
        kind=kind,
        message=str(message),
        param=error.get("param") or getattr(exc, "param", None),
        code=error.get("code") or exc.code,
        decline_code=error.get("decline_code"),
        request_id=exc.request_id,
        http_status=exc.http_status,
        payment_intent=intent if isinstance(intent, dict) else None,
    )


_CREDENTIAL = re.compile(r"(?i)\b(bearer|basic)\s+[^\s'\"]+")
_STRIPE_KEY = re.compile(r"\b[sr]k_(?:test|live)_[A-Za-z0-9_]+")
_KEY_PIECES = re.compile(r"[\s\x00-\x1f\x7f\\']+")
REDACTED = "[redacted]"


def redact(text: str, key: str) -> str:
    """`text` without the key, any part of it, or any credential in a header (as the SDK and
    `requests` quote them in their errors, a control character escaped or not)."""
    pieces = sorted({p for p in _KEY_PIECES.split(key) if len(p) >= 4}, key=len, reverse=True)
    for piece in [key, *pieces]:
        text = text.replace(piece, REDACTED)
    text = _CREDENTIAL.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    return _STRIPE_KEY.sub(lambda m: mask_key(m.group(0)), text)


def _scrub(text: str, key: str) -> str:
    """Data (parameters, responses) without the key or any secret key: unlike `redact`, words
    such as "Basic plan" are data here, not credentials."""
    if key:
        text = text.replace(key, REDACTED)
    if "k_test_" not in text and "k_live_" not in text:
        return text  # the common case, and a page of 100 objects is scanned at C speed
    return _STRIPE_KEY.sub(lambda m: mask_key(m.group(0)), text)


# Secrets Stripe returns in objects: a payment intent's client_secret, a webhook endpoint's or an
# ephemeral key's secret. The log keeps that there was one, not its value.
_SECRET_FIELD = re.compile(r'("(?:client_secret|secret)"\s*:\s*")(?:[^"\\]|\\.)*(")')
MAX_LOGGED_RESPONSE = 64 * 1024
"""Characters of a response the request log keeps (a page of 100 customers fits)."""


def _logged_response(text: str, key: str) -> tuple[str, str | None]:
    """The response as the log keeps it (redacted, bounded) and a note when it was shortened."""
    text = _scrub(text, key)
    if "secret" in text:
        text = _SECRET_FIELD.sub(lambda m: f"{m.group(1)}{REDACTED}{m.group(2)}", text)
    if len(text) <= MAX_LOGGED_RESPONSE:
        return text, None
    cut = f"{len(text)} characters, cut to the first {MAX_LOGGED_RESPONSE}"
    try:
        body = json.loads(text)
    except ValueError:
        return text[:MAX_LOGGED_RESPONSE], cut
    if isinstance(body, dict) and isinstance(body.get("data"), list):
        body["data"] = [
            {"id": item.get("id"), "object": item.get("object")} if isinstance(item, dict) else item
            for item in body["data"]
        ]
        short = json.dumps(body)
        if len(short) <= MAX_LOGGED_RESPONSE:
            return short, f"{len(text)} characters: each item of data kept as its id and object"
    return text[:MAX_LOGGED_RESPONSE], cut


def _logged_error(text: str) -> dict[str, Any] | None:
    """Stripe's error envelope, reduced to what the log shows."""
    try:
        body = json.loads(text)
    except ValueError:
        return {"type": None, "message": text[:500]}
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None
    fields = ("type", "code", "decline_code", "param", "message")
    return {name: error.get(name) for name in fields if error.get(name) is not None}


Response = tuple[Any, int, Mapping[str, str]]


def _recording_http_client(timeout: float, record: Callable[..., None]) -> stripe.RequestsClient:
    """The SDK's requests client, reporting each API request (after its retries) to `record`."""
    import stripe

    attempts = threading.local()

    class RecordingClient(stripe.RequestsClient):
        def request(  # type: ignore[override]  # as RequestsClient.request
            self,
            method: str,
            url: str,
            headers: Mapping[str, str] | None,
            post_data: Any = None,
        ) -> tuple[bytes, int, Mapping[str, str]]:
            attempts.count = getattr(attempts, "count", 0) + 1
            return super().request(method, url, headers, post_data)

        def request_with_retries(
            self,
            method: str,
            url: str,
            headers: Mapping[str, str],
            post_data: Any = None,
            max_network_retries: int | None = None,
            *,
            _usage: list[str] | None = None,
        ) -> tuple[str, int, Mapping[str, str]]:
            attempts.count = 0
            started, clock = time.time(), time.perf_counter()
            sent = (method, url, headers, post_data, started)
            try:
                response = super().request_with_retries(
                    method, url, headers, post_data, max_network_retries, _usage=_usage
                )
            except stripe.APIConnectionError as exc:
                record(*sent, time.perf_counter() - clock, attempts.count, None, exc)
                raise
            record(*sent, time.perf_counter() - clock, attempts.count, response, None)
            return response

    return RecordingClient(timeout=timeout)


def _object_id(value: str, what: str) -> str:
    """The id stripped; an empty one is refused here (it would request the list's URL)."""
    ident = value.strip()
    if not ident:
        raise GatewayError(ErrorKind.INVALID_REQUEST, f"A {what} id is required.", param="id")
    return ident


def _path_id(value: str, what: str) -> str:
    """An id to put in a URL's path, stripped and escaped (as the SDK's services do)."""
    return quote(_object_id(value, what), safe="")


def _plain(obj: Any) -> Obj:
    result = obj.to_dict()
    assert isinstance(result, dict)
    return result


def _list_params(limit: int, cursor: str | None, **filters: Any) -> Params:
    params: Params = {"limit": limit}
    if cursor:
        params["starting_after"] = cursor
    params.update({k: v for k, v in filters.items() if v not in (None, "")})
    return params


def _clean(params: Params) -> Params:
    """Drop the fields the operator left empty, so that Stripe sees only what was given."""
    return {k: v for k, v in params.items() if v not in (None, "")}


def _changes(params: Params) -> Params:
    """An update's parameters: `None` leaves a field as it is, `""` unsets it (as on Stripe)."""
    return {k: v for k, v in params.items() if v is not None}


class Gateway:
    """Typed Stripe operations for one key and base URL."""

    def __init__(
        self,
        api_key: SecretKey,
        api_base: str | Callable[[], str] | None = None,
        *,
        max_network_retries: int = MAX_NETWORK_RETRIES,
        timeout: float = TIMEOUT_SECONDS,
        request_log: RequestLog | None = None,
        first_page: FirstPage | None = None,
    ) -> None:
        self._key = api_key
        self.request_log = request_log if request_log is not None else RequestLog()
        """Every request this gateway sent, redacted (the request log screen reads it)."""
        self._first_page = first_page
        self._api_base = api_base
        self._retries = max_network_retries
        self._timeout = timeout
        self._client: stripe.StripeClient | None = None
        self._base: str | None = None
        self._lock = threading.Lock()

    def for_key(self, api_key: SecretKey, api_base: str | None) -> Gateway:
        """A gateway like this one (retries, timeout, the same request log) for another key."""
        return Gateway(
            api_key,
            api_base,
            max_network_retries=self._retries,
            timeout=self._timeout,
            request_log=self.request_log,
        )

    def __repr__(self) -> str:
        base = self._api_base if isinstance(self._api_base, str) else "..."
        return f"Gateway({self._key.masked!r}, api_base={base!r})"

    @property
    def client(self) -> stripe.StripeClient:
        """The SDK client, made (and `stripe` imported) on first use."""
        with self._lock:
            if self._client is None:
                import stripe

                kwargs: dict[str, Any] = {}
                # A callable base (the embedded sandbox) is resolved here, off the UI thread.
                try:
                    base = self._api_base() if callable(self._api_base) else self._api_base
                except Exception as exc:
                    raise self._redacted(GatewayError(ErrorKind.CONNECTION, str(exc))) from None
                if base:
                    kwargs["base_addresses"] = {"api": base}
                self._base = base or None
                self._client = stripe.StripeClient(
                    self._key.reveal(),
                    max_network_retries=self._retries,
                    http_client=_recording_http_client(self._timeout, self._record),
                    **kwargs,
                )
            return self._client

    def _record(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        post_data: Any,
        started: float,
        seconds: float,
        attempts: int,
        response: Response | None,
        error: BaseException | None,
    ) -> None:
        """Log one request as sent and answered, without the key or any secret in it."""
        with contextlib.suppress(Exception):  # the log must never fail a request Stripe answered
            self.request_log.record(
                self._entry(method, url, headers, post_data, started, seconds, attempts, response)
                | ({"error": self._connection_error(error)} if error is not None else {})
            )

    def _entry(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        post_data: Any,
        started: float,
        seconds: float,
        attempts: int,
        response: Response | None,
    ) -> Entry:
        key = self._key.reveal()
        parts = urlsplit(url)
        sent = post_data if method.lower() == "post" else parts.query
        if isinstance(sent, bytes):
            sent = sent.decode("utf-8", "replace")
        pairs = parse_qsl(sent if isinstance(sent, str) else "", keep_blank_values=True)
        header = {name.lower(): value for name, value in headers.items()}
        entry: Entry = {
            "time": round(started, 3),
            "method": method.upper(),
            "path": _scrub(parts.path, key),
            "api_base": api_base_of(url),
            "params": [[_scrub(k, key), _scrub(v, key)] for k, v in pairs],
            "idempotency_key": header.get("idempotency-key"),
            "stripe_version": header.get("stripe-version"),
            "status": None,
            "request_id": None,
            "latency_ms": round(seconds * 1000),
            "retries": max(attempts - 1, 0),
            "error": None,
            "response": None,
        }
        if response is not None:
            content, status, response_headers = response
            text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
            entry["status"] = status
            entry["request_id"] = response_headers.get("Request-Id")
            entry["response"], note = _logged_response(str(text), key)
            if note:
                entry["response_note"] = note
            if status >= 400:
                entry["error"] = _logged_error(entry["response"])
        return entry

    def _connection_error(self, error: BaseException) -> dict[str, Any]:
        message = getattr(error, "user_message", None) or str(error)
        return {
            "type": "api_connection_error",
            "message": redact(f"Could not reach Stripe: {message}", self._key.reveal()),
        }

    def warm_up(self) -> None:
        """Import the SDK and build the client ahead of the first request (off the UI thread)."""
        _ = self.client

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        import stripe

        try:
            return fn(*args, **kwargs)
        except stripe.StripeError as exc:
            error = self._redacted(_translate(exc, self._base))
        raise error  # outside the handler: the SDK's exception (and its text) is not attached

    def _redacted(self, error: GatewayError) -> GatewayError:
        """Every error the gateway raises passes here: no text of it shows the key."""
        key = self._key.reveal()
        param = redact(error.param, key) if error.param else error.param
        return replace(error, message=redact(error.message, key), param=param)

    def _create(self, service: Any, params: Params, idempotency_key: str) -> Obj:
        created = self._call(
            service.create, params=params, options={"idempotency_key": idempotency_key}
        )
        return _plain(created)

    def _update(
        self, service: Any, ident: str, what: str, params: Params, idempotency_key: str
    ) -> Obj:
        updated = self._call(
            service.update,
            _object_id(ident, what),
            params=_changes(params),
            options={"idempotency_key": idempotency_key},
        )
        return _plain(updated)

    def _search(self, path: str, query: str, limit: int, cursor: str | None, **extra: Any) -> Page:
        params: Params = {"query": query, "limit": limit, **extra}
        if cursor:
            params["page"] = cursor
        return self._list(f"{path}/search", params, search=True)

    def _list(self, path: str, params: Params, *, search: bool = False) -> Page:
        """A page of a list or a search. The SDK sends it (the key, the API version, retries,
        errors as its exceptions, the request log) but builds no objects of it: they cost about
        four times the request on a page of 100 customers, and were made back into dicts. The
        items are Stripe's JSON as parsed (a decimal string stays a string, where `to_dict`
        gave a Decimal). `raw_request` parses the body too, into OrderedDicts, kept for its
        errors; the items are parsed again into plain dicts, which hold a page in less memory."""
        response = self._call(self.client.raw_request, "get", path, **params)
        listing = json.loads(response.body)
        items: list[Obj] = listing["data"]
        if not listing.get("has_more"):
            return Page(items, None)
        if search:
            return Page(items, listing.get("next_page"))
        return Page(items, items[-1]["id"] if items else None)

    def _delete(self, service: Any, ident: str, what: str) -> Obj:
        """A DELETE: Stripe ignores idempotency keys on it; repeating it answers 404."""
        return _plain(self._call(service.delete, _object_id(ident, what)))

    # Events --------------------------------------------------------------------------------

    def list_events(
        self,
        limit: int = 10,
        cursor: str | None = None,
        *,
        type: str | None = None,
        types: list[str] | None = None,
        created: int | dict[str, int] | None = None,
    ) -> Page:
        """Newest first. `type` may hold `*` wildcards (`payment_intent.*`); `types` are exact
        names (at most 20, not with `type`); `created` is a timestamp or `{"gte": ts, ...}`.
        Stripe keeps 30 days of events and cannot filter them by object."""
        params = _list_params(limit, cursor, type=type, types=types or None, created=created)
        return self._list("/v1/events", params)

    def retrieve_event(self, event_id: str) -> Obj:
        return _plain(self._call(self.client.v1.events.retrieve, _object_id(event_id, "event")))

    def event_deliveries(self, event_id: str) -> Obj:
        """The sandbox's attempts to deliver an event to its `--forward-to` receiver: `data`
        (oldest first: attempt, url, status or None, error or None, created, duration_ms) and
        `pending`. A route of the sandbox alone: real Stripe answers it with a 404."""
        ident = quote(_object_id(event_id, "event"), safe="")
        path = f"/_sandbox/events/{ident}/deliveries"
        response = self._call(self.client.raw_request, "get", path)
        return _plain(self.client.deserialize(response, api_mode="V1"))

    # Customers -----------------------------------------------------------------------------

    def create_customer(self, params: Params, idempotency_key: str) -> Obj:
        """email, name, description, phone (empty ones are left out)."""
        return self._create(self.client.v1.customers, _clean(params), idempotency_key)

    @property
    def first_page_pending(self) -> bool:
        """Whether a helper process is listing the first page of customers (tui/prefetch.py)."""
        return self._first_page is not None

    def _first_customers(self, limit: int | None) -> Page | None:
        """The first page of customers as a helper process listed it at the start
        (tui/prefetch.py), if this is the first question about customers and asks for that
        page (`limit`); any other first question drops it. The helper's requests are logged."""
        with self._lock:
            first, self._first_page = self._first_page, None
        if first is None:
            return None
        if limit is None:
            first.discard()
            return None
        page, entries = first.take(limit)
        for entry in entries:
            self.request_log.record(entry)
        if isinstance(page, GatewayError):
            raise page
        return page

    def retrieve_customer(self, customer_id: str) -> Obj:
        self._first_customers(None)
        return _plain(
            self._call(self.client.v1.customers.retrieve, _object_id(customer_id, "customer"))
        )

    def list_customers(
        self, limit: int = 10, cursor: str | None = None, *, email: str | None = None
    ) -> Page:
        first = self._first_customers(None if cursor or email else limit)
        if first is not None:
            return first
        params = _list_params(limit, cursor, email=email)
        return self._list("/v1/customers", params)

    def search_customers(self, query: str, limit: int = 10, cursor: str | None = None) -> Page:
        """Stripe's search syntax; on real Stripe, results may lag new writes by a minute."""
        self._first_customers(None)
        return self._search("/v1/customers", query, limit, cursor)

    def update_customer(self, customer_id: str, params: Params, idempotency_key: str) -> Obj:
        """Any of Stripe's update parameters; `metadata={"k": ""}` unsets one key, `""` all."""
        return self._update(
            self.client.v1.customers, customer_id, "customer", params, idempotency_key
        )

    def delete_customer(self, customer_id: str) -> Obj:
        """`{"id", "object", "deleted": True}`; deleting it again is a NOT_FOUND error."""
        return self._delete(self.client.v1.customers, customer_id, "customer")

    # Catalog -------------------------------------------------------------------------------

    def create_product(self, params: Params, idempotency_key: str) -> Obj:
        return self._create(self.client.v1.products, _clean(params), idempotency_key)

    def retrieve_product(self, product_id: str) -> Obj:
        return _plain(
            self._call(self.client.v1.products.retrieve, _object_id(product_id, "product"))
        )

    def list_products(
        self, limit: int = 10, cursor: str | None = None, *, active: bool | None = None
    ) -> Page:
        """All products, or with `active=False` the archived ones only."""
        params = _list_params(limit, cursor, active=active)
        return self._list("/v1/products", params)

    def search_products(self, query: str, limit: int = 10, cursor: str | None = None) -> Page:
        """Stripe's search syntax (`name~"shirt"`, `active:"false"`, `metadata["k"]:"v"`)."""
        return self._search("/v1/products", query, limit, cursor)

    def update_product(self, product_id: str, params: Params, idempotency_key: str) -> Obj:
        """name, description, active, default_price, metadata...; `""` unsets a field."""
        return self._update(self.client.v1.products, product_id, "product", params, idempotency_key)

    def delete_product(self, product_id: str) -> Obj:
        """Refused by Stripe while the product has prices (archive it instead)."""
        return self._delete(self.client.v1.products, product_id, "product")

    def create_price(
        self,
        *,
        product_id: str,
        unit_amount: int,
        currency: str,
        interval: str | None = None,
        interval_count: int | None = None,
        idempotency_key: str,
    ) -> Obj:
        """A one-time price, or a recurring one when `interval` is given."""
        params: Params = {
            "product": product_id.strip(),
            "unit_amount": unit_amount,
            "currency": currency.strip().lower(),
        }
        if interval:
            recurring: Params = {"interval": interval}
            if interval_count:
                recurring["interval_count"] = interval_count
            params["recurring"] = recurring
        return self._create(self.client.v1.prices, params, idempotency_key)

    def retrieve_price(self, price_id: str) -> Obj:
        return _plain(self._call(self.client.v1.prices.retrieve, _object_id(price_id, "price")))

    def list_prices(
        self,
        limit: int = 10,
        cursor: str | None = None,
        *,
        product: str | None = None,
        active: bool | None = None,
        lookup_keys: list[str] | None = None,
    ) -> Page:
        params = _list_params(
            limit, cursor, product=product, active=active, lookup_keys=lookup_keys or None
        )
        return self._list("/v1/prices", params)

    def search_prices(self, query: str, limit: int = 10, cursor: str | None = None) -> Page:
        """Stripe's search syntax (`lookup_key:"std"`, `product:"prod_..."`, `active:"true"`)."""
        return self._search("/v1/prices", query, limit, cursor)

    def update_price(self, price_id: str, params: Params, idempotency_key: str) -> Obj:
        """`{"active": False}` archives a price, `{"active": True}` unarchives it; also
        nickname, lookup_key (with `transfer_lookup_key`), metadata, tax_behavior."""
        return self._update(self.client.v1.prices, price_id, "price", params, idempotency_key)

    def create_payment_link(self, *, price_id: str, quantity: int, idempotency_key: str) -> Obj:
        params: Params = {"line_items": [{"price": price_id.strip(), "quantity": quantity}]}
        return self._create(self.client.v1.payment_links, params, idempotency_key)

    def retrieve_payment_link(
        self, payment_link_id: str, *, expand_line_items: bool = False
    ) -> Obj:
        """The link; with `expand_line_items`, its first page of items under `line_items`."""
        params: Params = {"expand": ["line_items"]} if expand_line_items else {}
        link = self._call(
            self.client.v1.payment_links.retrieve,
            _object_id(payment_link_id, "payment link"),
            params=params,
        )
        return _plain(link)

    def list_payment_links(
        self,
        limit: int = 10,
        cursor: str | None = None,
        *,
        active: bool | None = None,
        expand_line_items: bool = False,
    ) -> Page:
        params = _list_params(limit, cursor, active=active)
        if expand_line_items:
            params["expand"] = ["data.line_items"]
        return self._list("/v1/payment_links", params)

    def update_payment_link(
        self, payment_link_id: str, params: Params, idempotency_key: str
    ) -> Obj:
        """`{"active": False}` deactivates a link, `{"active": True}` activates it; also
        metadata, inactive_message, `line_items=[{"id": "li_...", "quantity": n}]`..."""
        return self._update(
            self.client.v1.payment_links, payment_link_id, "payment link", params, idempotency_key
        )

    def list_payment_link_items(self, payment_link_id: str) -> Page:
        ident = _path_id(payment_link_id, "payment link")
        return self._list(f"/v1/payment_links/{ident}/line_items", {"limit": 10})

    # Payments ------------------------------------------------------------------------------

    def create_payment_intent(
        self,
        *,
        amount: int,
        currency: str,
        customer_id: str | None = None,
        description: str | None = None,
        capture_method: str | None = None,
        idempotency_key: str,
    ) -> Obj:
        """An intent that a test card can confirm without a `return_url`, on real Stripe too.

        `capture_method="manual"` makes confirmation a hold to capture or cancel later.
        """
        params: Params = _clean(
            {
                "amount": amount,
                "currency": currency.strip().lower(),
                "customer": (customer_id or "").strip(),
                "description": description,
                "capture_method": capture_method,
            }
        )
        params["automatic_payment_methods"] = {"enabled": True, "allow_redirects": "never"}
        return self._create(self.client.v1.payment_intents, params, idempotency_key)

    def retrieve_payment_intent(self, payment_intent_id: str) -> Obj:
        intent = self._call(
            self.client.v1.payment_intents.retrieve, _object_id(payment_intent_id, "payment intent")
        )
        return _plain(intent)

    def list_payment_intents(
        self,
        limit: int = 10,
        cursor: str | None = None,
        *,
        customer: str | None = None,
        expand_latest_charge: bool = False,
    ) -> Page:
        """With `expand_latest_charge`, each intent's `latest_charge` is the charge itself
        (its `amount_refunded` and `refunded` say whether the payment was refunded)."""
        params = _list_params(limit, cursor, customer=customer)
        if expand_latest_charge:
            params["expand"] = ["data.latest_charge"]
        return self._list("/v1/payment_intents", params)

    def search_payment_intents(
        self,
        query: str,
        limit: int = 10,
        cursor: str | None = None,
        *,
        expand_latest_charge: bool = False,
    ) -> Page:
        """Stripe's search syntax, e.g. `status:'succeeded' AND amount>1000`."""
        expand = {"expand": ["data.latest_charge"]} if expand_latest_charge else {}
        return self._search("/v1/payment_intents", query, limit, cursor, **expand)

    def update_payment_intent(
        self, payment_intent_id: str, params: Params, idempotency_key: str
    ) -> Obj:
        """description, metadata (a key set to "" is removed), amount before payment..."""
        intent = self._call(
            self.client.v1.payment_intents.update,
            _object_id(payment_intent_id, "payment intent"),
            params=params,
            options={"idempotency_key": idempotency_key},
        )
        return _plain(intent)

    def capture_payment_intent(
        self,
        payment_intent_id: str,
        *,
        amount_to_capture: int | None = None,
        idempotency_key: str,
    ) -> Obj:
        """Capture a hold, whole or (with `amount_to_capture`) in part: the rest is released."""
        intent = self._call(
            self.client.v1.payment_intents.capture,
            _object_id(payment_intent_id, "payment intent"),
            params=_clean({"amount_to_capture": amount_to_capture}),
            options={"idempotency_key": idempotency_key},
        )
        return _plain(intent)

    def cancel_payment_intent(
        self,
        payment_intent_id: str,
        *,
        cancellation_reason: str | None = None,
        idempotency_key: str,
    ) -> Obj:
        """Cancel an unpaid intent or release a hold; `cancellation_reason` is one of
        abandoned, duplicate, fraudulent, requested_by_customer."""
        intent = self._call(
            self.client.v1.payment_intents.cancel,
            _object_id(payment_intent_id, "payment intent"),
            params=_clean({"cancellation_reason": cancellation_reason}),
            options={"idempotency_key": idempotency_key},
        )
        return _plain(intent)

    def confirm_payment_intent(
        self, payment_intent_id: str, *, payment_method: str, idempotency_key: str
    ) -> Obj:
        intent = self._call(
            self.client.v1.payment_intents.confirm,
            _object_id(payment_intent_id, "payment intent"),
            params={"payment_method": payment_method.strip()},
            options={"idempotency_key": idempotency_key},
        )
        return _plain(intent)

    def retrieve_charge(self, charge_id: str) -> Obj:
        return _plain(self._call(self.client.v1.charges.retrieve, _object_id(charge_id, "charge")))

    def list_charges(
        self,
        limit: int = 10,
        cursor: str | None = None,
        *,
        payment_intent: str | None = None,
        customer: str | None = None,
    ) -> Page:
        params = _list_params(limit, cursor, payment_intent=payment_intent, customer=customer)
        return self._list("/v1/charges", params)

    def attach_payment_method(
        self, payment_method: str, *, customer_id: str, idempotency_key: str
    ) -> Obj:
        """Attach a saved method (`pm_...`) or a test card (`pm_card_visa`) to a customer."""
        method = self._call(
            self.client.v1.payment_methods.attach,
            _object_id(payment_method, "payment method"),
            params={"customer": customer_id.strip()},
            options={"idempotency_key": idempotency_key},
        )
        return _plain(method)

    def detach_payment_method(self, payment_method_id: str, *, idempotency_key: str) -> Obj:
        method = self._call(
            self.client.v1.payment_methods.detach,
            _object_id(payment_method_id, "payment method"),
            options={"idempotency_key": idempotency_key},
        )
        return _plain(method)

    def list_customer_payment_methods(
        self,
        customer_id: str,
        limit: int = 10,
        cursor: str | None = None,
        *,
        type: str | None = None,
    ) -> Page:
        ident = _path_id(customer_id, "customer")
        return self._list(
            f"/v1/customers/{ident}/payment_methods", _list_params(limit, cursor, type=type)
        )

    def create_refund(
        self,
        *,
        payment_intent_id: str,
        amount: int | None = None,
        reason: str | None = None,
        idempotency_key: str,
    ) -> Obj:
        """A full refund, or a partial one of `amount` in the smallest unit."""
        params = _clean(
            {"payment_intent": payment_intent_id.strip(), "amount": amount, "reason": reason}
        )
        return self._create(self.client.v1.refunds, params, idempotency_key)

    def retrieve_refund(self, refund_id: str) -> Obj:
        return _plain(self._call(self.client.v1.refunds.retrieve, _object_id(refund_id, "refund")))

    def retrieve_payment_method(self, payment_method_id: str) -> Obj:
        method = self._call(
            self.client.v1.payment_methods.retrieve,
            _object_id(payment_method_id, "payment method"),
        )
        return _plain(method)

    def list_refunds(
        self, limit: int = 10, cursor: str | None = None, *, payment_intent: str | None = None
    ) -> Page:
        params = _list_params(limit, cursor, payment_intent=payment_intent)
        return self._list("/v1/refunds", params)
