"""Webhooks from the sandbox (`--forward-to`): every committed event POSTed to a receiver on
loopback, signed so that `stripe.Webhook.construct_event` accepts it, in order, retried with
backoff, filtered by `--events`, its attempts listed by `GET /_sandbox/events/{id}/deliveries`,
and never in the way of an API request."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import stripe

from tests.unit.test_sandbox_http import KEY, call, error_of
from tui.gateway import ErrorKind, Gateway, GatewayError
from tui.sandbox import SandboxServer
from tui.sandbox.webhooks import (
    WebhookConfig,
    WebhookOptionError,
    forward_url,
    new_secret,
    parse_events,
    sign,
)
from tui.settings import SecretKey

Client = stripe.StripeClient
FAST = (0.01, 0.01, 0.01)
"""Retry delays for tests: the schedule's shape, without its seconds."""
NO_REDIRECTS = {"enabled": True, "allow_redirects": "never"}


@dataclass
class Delivery:
    body: bytes
    headers: dict[str, str]


@dataclass
class Receiver:
    """An HTTP receiver on 127.0.0.1: answers each POST with the next of `script` (a status, or
    `(seconds, status)` to wait first), then `then`; keeps what it was sent."""

    script: list[int | tuple[float, int]] = field(default_factory=list)
    then: int | tuple[float, int] = 200
    got: list[Delivery] = field(default_factory=list)
    url: str = ""
    changed: threading.Condition = field(default_factory=threading.Condition)

    def answer(self) -> tuple[float, int]:
        with self.changed:
            step = self.script.pop(0) if self.script else self.then
        return step if isinstance(step, tuple) else (0.0, step)

    def keep(self, delivery: Delivery) -> None:
        with self.changed:
            self.got.append(delivery)
            self.changed.notify_all()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Delivery]:
        with self.changed:
            self.changed.wait_for(lambda: len(self.got) >= count, timeout)
            return list(self.got)


@contextmanager
def receiving(receiver: Receiver) -> Iterator[Receiver]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            receiver.keep(Delivery(body, dict(self.headers.items())))
            wait, status = receiver.answer()
            time.sleep(wait)
            try:
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except OSError:  # the sandbox gave up waiting
                pass

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/webhook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def forwarding(url: str, **config: Any) -> Iterator[tuple[SandboxServer, Client, str]]:
    """A sandbox forwarding its events to `url`; yields it, an SDK client and the secret."""
    secret = config.pop("secret", None) or new_secret()
    webhooks = WebhookConfig(url=url, secret=secret, **{"retry_delays": FAST, **config})
    server = SandboxServer(port=0, webhooks=webhooks)
    server.start()
    try:
        client = Client(KEY, base_addresses={"api": server.url}, max_network_retries=0)
        yield server, client, secret
    finally:
        server.stop()


def all_events(client: Client) -> list[dict[str, Any]]:
    """Every event, oldest first."""
    listing = client.v1.events.list(params={"limit": 100})
    return [e.to_dict() for e in reversed(listing.data)]


def deliveries(server: SandboxServer, event_id: str, key: str | None = KEY) -> Any:
    status, _, body = call(server.url, "GET", f"/_sandbox/events/{event_id}/deliveries", key=key)
    return status, json.loads(body)


def attempts_settled(server: SandboxServer, event_id: str, count: int) -> list[dict[str, Any]]:
    """The event's attempts once there are `count` of them (they are recorded after the answer)."""
    deadline = time.monotonic() + 10
    while True:
        data: list[dict[str, Any]] = deliveries(server, event_id)[1]["data"]
        if len(data) >= count or time.monotonic() > deadline:
            return data
        time.sleep(0.01)


def dead_port() -> int:
    """A loopback port nothing listens on (connections are refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_activity(client: Client) -> None:
    """A little of everything: creates, an update, a decline (committed though it fails)."""
    customer = client.v1.customers.create(params={"email": "hook@example.com"})
    client.v1.customers.update(customer.id, params={"name": "Hook"})
    product = client.v1.products.create(params={"name": "Plan"})
    client.v1.prices.create(params={"product": product.id, "unit_amount": 500, "currency": "usd"})
    intent = client.v1.payment_intents.create(
        params={"amount": 500, "currency": "usd", "automatic_payment_methods": NO_REDIRECTS}
    )
    client.v1.payment_intents.confirm(intent.id, params={"payment_method": "pm_card_visa"})
    declined = client.v1.payment_intents.create(
        params={"amount": 700, "currency": "usd", "automatic_payment_methods": NO_REDIRECTS}
    )
    with pytest.raises(stripe.CardError):
        client.v1.payment_intents.confirm(
            declined.id, params={"payment_method": "pm_card_chargeDeclined"}
        )


def test_every_event_arrives_once_in_order_and_verifies_with_the_secret() -> None:
    with receiving(Receiver()) as receiver, forwarding(receiver.url) as (_, client, secret):
        make_activity(client)
        # Refused and replayed requests record nothing, so nothing more is sent.
        with pytest.raises(stripe.InvalidRequestError):
            client.v1.prices.create(params={"product": "prod_nope", "unit_amount": 1})
        again = {"idempotency_key": "same-customer"}
        client.v1.customers.create(params={"email": "once@example.com"}, options=again)
        client.v1.customers.create(params={"email": "once@example.com"}, options=again)
        stored = all_events(client)
        got = receiver.wait_for(len(stored))
        time.sleep(0.2)  # a duplicate would arrive now
        got = receiver.wait_for(len(stored))

    assert len(stored) == len(got) >= 10
    received = [
        stripe.Webhook.construct_event(d.body, d.headers["Stripe-Signature"], secret) for d in got
    ]
    assert [e.id for e in received] == [e["id"] for e in stored]
    assert [e.to_dict() for e in received] == stored
    types = [e["type"] for e in stored]
    assert types[:2] == ["customer.created", "customer.updated"]
    assert "payment_intent.succeeded" in types and "payment_intent.payment_failed" in types
    assert types.count("customer.created") == 2  # the replay sent nothing more
    delivery = got[0]
    assert delivery.headers["Content-Type"] == "application/json; charset=utf-8"
    assert delivery.headers["User-Agent"].startswith("Stripe/1.0")
    assert delivery.headers["Stripe-Signature"].startswith("t=")


def test_a_wrong_secret_or_a_changed_body_is_refused_by_the_sdk() -> None:
    with receiving(Receiver()) as receiver, forwarding(receiver.url) as (_, client, secret):
        client.v1.customers.create(params={"email": "sig@example.com"})
        (delivery,) = receiver.wait_for(1)
    header = delivery.headers["Stripe-Signature"]
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(delivery.body, header, new_secret())
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(delivery.body + b" ", header, secret)
    # The signature is Stripe's scheme: the same bytes signed the same way give the same header.
    timestamp = int(header.split(",")[0].removeprefix("t="))
    assert sign(delivery.body, secret, timestamp) == header


def test_a_receiver_that_fails_twice_gets_the_event_on_the_third_try() -> None:
    with (
        receiving(Receiver(script=[500, 503])) as receiver,
        forwarding(receiver.url) as (server, client, secret),
    ):
        customer = client.v1.customers.create(params={"email": "retry@example.com"})
        got = receiver.wait_for(3)
        (event,) = all_events(client)
        attempts = attempts_settled(server, event["id"], 3)
        done = deliveries(server, event["id"])[1]

    assert len(got) == 3 and len({d.body for d in got}) == 1
    ok = stripe.Webhook.construct_event(got[2].body, got[2].headers["Stripe-Signature"], secret)
    assert ok.data.object.id == customer.id
    assert [(a["attempt"], a["status"], a["error"]) for a in attempts] == [
        (1, 500, None),
        (2, 503, None),
        (3, 200, None),
    ]
    assert all(a["url"] == receiver.url and a["created"] > 0 for a in attempts)
    assert done["pending"] is False


def test_a_timeout_is_retried_and_a_receiver_that_always_fails_is_given_up_in_order() -> None:
    # The first event: a timeout, then 200. The second: five 500s (four attempts, all failed).
    # The third is still delivered, after them.
    script: list[int | tuple[float, int]] = [(1.0, 200), 200, 500, 500, 500, 500]
    with (
        receiving(Receiver(script=script)) as receiver,
        forwarding(receiver.url, timeout=0.3) as (server, client, _),
    ):
        for n in range(3):
            client.v1.customers.create(params={"email": f"c{n}@example.com"})
        got = receiver.wait_for(7)
        first, second, third = (e["id"] for e in all_events(client))
        slow = attempts_settled(server, first, 2)
        failed = attempts_settled(server, second, 4)
        last = attempts_settled(server, third, 1)

    assert [json.loads(d.body)["id"] for d in got] == [first] * 2 + [second] * 4 + [third]
    assert slow[0]["status"] is None and "timed out" in slow[0]["error"]
    assert slow[0]["duration_ms"] >= 250
    assert slow[1]["status"] == 200
    assert [a["status"] for a in failed] == [500] * 4  # 1 + len(retry_delays), then given up
    assert [a["status"] for a in last] == [200]


def test_events_limits_what_is_forwarded() -> None:
    wanted = parse_events("customer.created, payment_intent.*")
    with (
        receiving(Receiver()) as receiver,
        forwarding(receiver.url, events=wanted) as (server, client, _),
    ):
        make_activity(client)
        stored = all_events(client)
        expected = [
            e["id"]
            for e in stored
            if e["type"] == "customer.created" or e["type"].startswith("payment_intent.")
        ]
        got = receiver.wait_for(len(expected))
        time.sleep(0.2)
        got = receiver.wait_for(len(expected))
        skipped = next(e["id"] for e in stored if e["type"] == "product.created")
        assert deliveries(server, skipped)[1]["data"] == []

    assert [json.loads(d.body)["id"] for d in got] == expected
    assert {json.loads(d.body)["type"] for d in got} >= {
        "customer.created",
        "payment_intent.created",
        "payment_intent.succeeded",
    }


@pytest.mark.parametrize("receiver_kind", ["dead", "slow"])
def test_a_dead_or_slow_receiver_does_not_slow_creates(receiver_kind: str) -> None:
    # Were delivery inside the request, each create would wait 3.5 s of retries (dead) or the
    # receiver's 2 s (slow). bench/webhook_bench.py measures the real figure.
    count = 30
    slow = Receiver(then=(2.0, 200))
    with receiving(slow) as receiver:
        url = f"http://127.0.0.1:{dead_port()}/webhook" if receiver_kind == "dead" else receiver.url
        with forwarding(url, retry_delays=(0.5, 1.0, 2.0)) as (server, client, _):
            started = time.monotonic()
            for n in range(count):
                client.v1.customers.create(params={"email": f"fast{n}@example.com"})
            elapsed = time.monotonic() - started
            if receiver_kind == "dead":
                tried = attempts_settled(server, all_events(client)[0]["id"], 1)
                assert tried[0]["status"] is None
                assert tried[0]["error"].startswith("cannot connect")
            else:
                assert len(slow.wait_for(1)) == 1  # still waiting for its first answer
        stopping = time.monotonic()
    assert elapsed < 3.0, f"{count} creates took {elapsed:.2f} s"
    assert time.monotonic() - stopping < 3.0


def test_stopping_abandons_waiting_deliveries_quietly(
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    with (
        receiving(Receiver(then=(5.0, 200))) as receiver,
        forwarding(receiver.url, retry_delays=(5.0,)) as (server, client, _),
    ):
        for n in range(5):
            client.v1.customers.create(params={"email": f"p{n}@example.com"})
        receiver.wait_for(1)  # the first delivery is in flight, four are waiting
        started = time.monotonic()
        with caplog.at_level(logging.DEBUG):
            server.stop()
        took = time.monotonic() - started
    assert took < 3.0
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "Traceback" not in capfd.readouterr().err


def test_the_deliveries_route_needs_the_key_and_a_known_event() -> None:
    with forwarding(f"http://127.0.0.1:{dead_port()}/") as (server, client, _):
        client.v1.customers.create(params={"email": "route@example.com"})
        (event,) = all_events(client)
        assert deliveries(server, event["id"], key=None)[0] == 401
        status, body = deliveries(server, "evt_nope")
        assert status == 404
        assert error_of(json.dumps(body).encode())["message"] == "No such event: 'evt_nope'"
        status, body = deliveries(server, event["id"])
        assert status == 200 and body["object"] == "list"
        assert body["url"] == f"/_sandbox/events/{event['id']}/deliveries"
        assert body["pending"] is True  # a dead receiver: tried, and to be tried again


def test_without_forwarding_an_event_has_no_deliveries(sandbox: SandboxServer) -> None:
    client = Client(KEY, base_addresses={"api": sandbox.url}, max_network_retries=0)
    client.v1.customers.create(params={"email": "quiet@example.com"})
    (event,) = all_events(client)
    assert deliveries(sandbox, event["id"]) == (
        200,
        {
            "object": "list",
            "data": [],
            "has_more": False,
            "url": f"/_sandbox/events/{event['id']}/deliveries",
            "pending": False,
        },
    )


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("localhost:4242/webhook", "http://localhost:4242/webhook"),
        ("https://example.com/hooks", "https://example.com/hooks"),
    ],
)
def test_forward_to_reads_urls_as_stripe_listen_does(text: str, url: str) -> None:
    assert forward_url(text) == url


@pytest.mark.parametrize(
    "text", ["ftp://example.com/x", "http://", "http://host:port/", "mailto:x@example.com"]
)
def test_forward_to_refuses_what_is_not_an_http_url(text: str) -> None:
    with pytest.raises(WebhookOptionError, match="--forward-to"):
        forward_url(text)


def test_events_option_parsing() -> None:
    assert parse_events("customer.created,payment_intent.*") == (
        "customer.created",
        "payment_intent.*",
    )
    assert parse_events("*") == ()
    for bad in ("", " , ", "Customer Created"):
        with pytest.raises(WebhookOptionError, match="--events"):
            parse_events(bad)


def test_the_config_repr_hides_the_secret() -> None:
    secret = new_secret()
    assert secret.startswith("whsec_") and len(secret) == 6 + 64
    assert secret not in repr(WebhookConfig(url="http://127.0.0.1:1/", secret=secret))


def test_events_from_before_the_start_are_not_forwarded(tmp_path: Path) -> None:
    db = str(tmp_path / "kept.sqlite3")
    with SandboxServer(port=0, db_path=db) as before:
        client = Client(KEY, base_addresses={"api": before.url}, max_network_retries=0)
        client.v1.customers.create(params={"email": "old@example.com"})
    with receiving(Receiver()) as receiver:
        webhooks = WebhookConfig(url=receiver.url, secret=new_secret(), retry_delays=FAST)
        with SandboxServer(port=0, db_path=db, webhooks=webhooks) as after:
            client = Client(KEY, base_addresses={"api": after.url}, max_network_retries=0)
            client.v1.customers.create(params={"email": "new@example.com"})
            got = receiver.wait_for(1)
            time.sleep(0.2)
    assert [json.loads(d.body)["data"]["object"]["email"] for d in got] == ["new@example.com"]


def test_the_gateway_reads_an_events_deliveries() -> None:
    with (
        receiving(Receiver(script=[500])) as receiver,
        forwarding(receiver.url) as (server, client, _),
    ):
        client.v1.customers.create(params={"email": "gw@example.com"})
        (event,) = all_events(client)
        attempts_settled(server, event["id"], 2)
        gateway = Gateway(SecretKey(KEY), server.url, max_network_retries=0)
        seen = gateway.event_deliveries(event["id"])
        with pytest.raises(GatewayError) as missing:
            gateway.event_deliveries("evt_nope/../x")
    assert [(a["attempt"], a["status"]) for a in seen["data"]] == [(1, 500), (2, 200)]
    assert seen["pending"] is False
    assert missing.value.kind is ErrorKind.NOT_FOUND
