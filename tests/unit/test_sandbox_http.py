"""The sandbox's HTTP contract: auth, request ids, idempotency, faults, durability."""

from __future__ import annotations

import http.client
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import stripe

from tui.sandbox import SandboxServer, build_app
from tui.sandbox.app import mask_key

KEY = "sk_test_sandbox_tests"
Client = stripe.StripeClient


def call(
    url: str,
    method: str,
    path: str,
    body: str | bytes | None = None,
    headers: dict[str, str] | None = None,
    *,
    key: str | None = KEY,
    content_type: str = "application/x-www-form-urlencoded",
) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    h = {"Content-Type": content_type, **(headers or {})}
    if key is not None:
        h["Authorization"] = f"Bearer {key}"
    try:
        conn.request(method, path, body=body, headers=h)
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def error_of(body: bytes) -> dict[str, Any]:
    err: dict[str, Any] = json.loads(body)["error"]
    return err


def fault(sandbox: SandboxServer, **spec: Any) -> None:
    status, _, body = call(
        sandbox.url, "POST", "/_sandbox/faults", json.dumps(spec), content_type="application/json"
    )
    assert status == 200, body


# --- auth and request ids -----------------------------------------------------------------


def test_missing_key(sandbox: SandboxServer) -> None:
    status, headers, body = call(sandbox.url, "GET", "/v1/customers", key=None)
    assert status == 401 and headers["Request-Id"].startswith("req_")
    err = error_of(body)
    assert err["type"] == "invalid_request_error"
    assert err["message"].startswith("You did not provide an API key.")


@pytest.mark.parametrize("key", ["sk_live_abcdefgh12345678", "pk_test_123456789", "nonsense"])
def test_wrong_keys(sandbox: SandboxServer, key: str) -> None:
    status, headers, body = call(sandbox.url, "GET", "/v1/customers", key=key)
    assert status == 401 and "Request-Id" in headers
    message = error_of(body)["message"]
    assert message.startswith("Invalid API Key provided: ")
    assert key not in message and message.endswith(key[-4:])


def test_mask_key() -> None:
    assert mask_key("sk_live_abcdefgh1234") == "sk_live_********1234"
    assert mask_key("abc") == "***"


def test_restricted_key_and_basic_auth(sandbox: SandboxServer) -> None:
    assert call(sandbox.url, "GET", "/v1/customers", key="rk_test_123")[0] == 200
    import base64

    basic = base64.b64encode(f"{KEY}:".encode()).decode()
    status, _, _ = call(
        sandbox.url, "GET", "/v1/customers", key=None, headers={"Authorization": f"Basic {basic}"}
    )
    assert status == 200


def test_sdk_sees_authentication_error(sandbox: SandboxServer) -> None:
    live = stripe.StripeClient(
        "sk_live_0000000000000000", base_addresses={"api": sandbox.url}, max_network_retries=0
    )
    with pytest.raises(stripe.AuthenticationError) as exc:
        live.v1.customers.list()
    assert exc.value.http_status == 401 and exc.value.request_id


def test_unknown_route(sandbox: SandboxServer) -> None:
    status, headers, body = call(sandbox.url, "GET", "/v1/foo")
    assert status == 404 and headers["Request-Id"].startswith("req_")
    err = error_of(body)
    assert err["type"] == "invalid_request_error"
    assert err["message"].startswith("Unrecognized request URL (GET: /v1/foo).")


def test_request_ids_are_unique_and_json(sandbox: SandboxServer) -> None:
    ids = set()
    for _ in range(3):
        status, headers, _ = call(sandbox.url, "GET", "/v1/customers")
        assert status == 200 and headers["Content-Type"].startswith("application/json")
        ids.add(headers["Request-Id"])
    assert len(ids) == 3


def test_query_string_parameters(sandbox: SandboxServer) -> None:
    status, _, body = call(sandbox.url, "GET", "/v1/customers?limit=3")
    assert status == 200 and json.loads(body)["data"] == []
    call(sandbox.url, "POST", "/v1/customers", "name=Q")
    status, _, body = call(sandbox.url, "GET", "/v1/customers?limit=1&expand[]=data.customer")
    assert status == 400  # customers have no "customer" field to expand
    assert error_of(body)["message"] == "This property cannot be expanded (customer)."


def test_build_app_is_an_aiohttp_application() -> None:
    from aiohttp import web

    assert isinstance(build_app(None), web.Application)


# --- idempotency --------------------------------------------------------------------------


def test_idempotent_replay_through_the_sdk(stripe_client: Client) -> None:
    opts: Any = {"idempotency_key": "idem-1"}
    first = stripe_client.v1.customers.create(params={"email": "i@example.com"}, options=opts)
    again = stripe_client.v1.customers.create(params={"email": "i@example.com"}, options=opts)
    assert again.id == first.id
    assert again.last_response is not None and first.last_response is not None
    assert again.last_response.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.last_response.headers
    assert len(stripe_client.v1.customers.list().data) == 1

    with pytest.raises(stripe.IdempotencyError) as exc:
        stripe_client.v1.customers.create(params={"email": "j@example.com"}, options=opts)
    assert "same parameters" in str(exc.value.user_message)


def test_replay_is_byte_for_byte(sandbox: SandboxServer) -> None:
    h = {"Idempotency-Key": "k-raw"}
    s1, h1, b1 = call(sandbox.url, "POST", "/v1/customers", "name=Zed", h)
    s2, h2, b2 = call(sandbox.url, "POST", "/v1/customers", "name=Zed", h)
    assert (s1, s2) == (200, 200) and b1 == b2
    assert h2["Idempotent-Replayed"] == "true" and h2["Original-Request"] == h1["Request-Id"]


def test_validation_errors_are_not_saved_but_outcomes_are(sandbox: SandboxServer) -> None:
    # As on Stripe: a request refused by parameter validation saves no result under its key,
    # so it can be corrected and resent with the same key ...
    h = {"Idempotency-Key": "k-fix"}
    s1, _, b1 = call(sandbox.url, "POST", "/v1/products", "", h)
    assert s1 == 400 and error_of(b1)["code"] == "parameter_missing"
    s2, h2, b2 = call(sandbox.url, "POST", "/v1/products", "name=Fixed", h)
    assert s2 == 200 and "Idempotent-Replayed" not in h2
    assert json.loads(b2)["name"] == "Fixed"

    # ... while an endpoint's own refusal (here a decline) is saved and replayed as is.
    _, _, body = call(
        sandbox.url,
        "POST",
        "/v1/payment_intents",
        "amount=500&currency=usd&payment_method_types[0]=card",
    )
    pi = json.loads(body)["id"]
    d = {"Idempotency-Key": "k-decline"}
    confirm = f"/v1/payment_intents/{pi}/confirm"
    s3, _, b3 = call(sandbox.url, "POST", confirm, "payment_method=pm_card_chargeDeclined", d)
    s4, h4, b4 = call(sandbox.url, "POST", confirm, "payment_method=pm_card_chargeDeclined", d)
    assert (s3, s4) == (402, 402) and b3 == b4 and h4["Idempotent-Replayed"] == "true"
    _, _, charges = call(sandbox.url, "GET", f"/v1/charges?payment_intent={pi}")
    assert len(json.loads(charges)["data"]) == 1


def test_idempotency_survives_in_sqlite(tmp_path: Path) -> None:
    db = str(tmp_path / "idem.sqlite")
    with SandboxServer(db_path=db) as first:
        _, _, b1 = call(first.url, "POST", "/v1/customers", "name=A", {"Idempotency-Key": "x"})
    with SandboxServer(db_path=db) as second:
        _, h2, b2 = call(second.url, "POST", "/v1/customers", "name=A", {"Idempotency-Key": "x"})
    assert b1 == b2 and h2["Idempotent-Replayed"] == "true"


# --- faults -------------------------------------------------------------------------------


def test_fault_status_500_then_recovers(sandbox: SandboxServer, stripe_client: Client) -> None:
    fault(sandbox, path="/v1/customers", method="POST", status=500)
    with pytest.raises(stripe.APIError) as exc:
        stripe_client.v1.customers.create()
    assert exc.value.http_status == 500
    assert exc.value.error is not None and exc.value.error.type == "api_error"
    assert stripe_client.v1.customers.list().data == []  # nothing was created
    assert stripe_client.v1.customers.create().id.startswith("cus_")


def test_fault_rate_limit_and_method_filter(sandbox: SandboxServer, stripe_client: Client) -> None:
    fault(sandbox, path="/v1/customers", method="POST", status=429, count=2)
    stripe_client.v1.customers.list()  # GET is not affected
    for _ in range(2):
        with pytest.raises(stripe.RateLimitError) as exc:
            stripe_client.v1.customers.create()
        assert exc.value.http_status == 429
        assert exc.value.error is not None and exc.value.error.code == "rate_limit"
    stripe_client.v1.customers.create()


def test_fault_delay(sandbox: SandboxServer, stripe_client: Client) -> None:
    fault(sandbox, path="/v1/products", delay_ms=200)
    started = time.monotonic()
    stripe_client.v1.products.create(params={"name": "slow"})
    assert time.monotonic() - started >= 0.2


def test_clearing_the_faults_lets_delayed_requests_go_on_at_once(
    sandbox: SandboxServer, stripe_client: Client
) -> None:
    fault(sandbox, path="/v1/products", method="POST", delay_ms=60_000, status=500)
    failure: list[BaseException] = []

    def create() -> None:
        try:
            stripe_client.v1.products.create(params={"name": "held"})
        except BaseException as exc:
            failure.append(exc)

    held = threading.Thread(target=create)
    started = time.monotonic()
    held.start()
    held.join(0.3)
    assert held.is_alive()  # still delayed
    status, _, body = call(sandbox.url, "DELETE", "/_sandbox/faults")
    assert status == 200 and json.loads(body)["data"] == []
    held.join(5)
    assert not held.is_alive() and time.monotonic() - started < 5
    # the fault it had taken still applies: the delay ends, the injected 500 is answered
    assert len(failure) == 1 and isinstance(failure[0], stripe.APIError)
    assert stripe_client.v1.products.list().data == []


def test_fault_drop(sandbox: SandboxServer, stripe_client: Client) -> None:
    fault(sandbox, path="/v1/customers", drop=True)
    with pytest.raises(stripe.APIConnectionError):
        stripe_client.v1.customers.create()
    assert stripe_client.v1.customers.list().data == []


@pytest.mark.parametrize("spec", [{"status": 500}, {"drop": True}])
def test_fault_after_commit(
    sandbox: SandboxServer, stripe_client: Client, spec: dict[str, Any]
) -> None:
    fault(sandbox, path="/v1/customers", method="POST", after=True, **spec)
    opts: Any = {"idempotency_key": "after-1"}
    with pytest.raises((stripe.APIError, stripe.APIConnectionError)):
        stripe_client.v1.customers.create(params={"name": "Ghost"}, options=opts)
    existing = stripe_client.v1.customers.list().data
    assert [c.name for c in existing] == ["Ghost"]  # the client failed, the object exists
    retried = stripe_client.v1.customers.create(params={"name": "Ghost"}, options=opts)
    assert retried.id == existing[0].id


def test_sdk_retries_through_an_after_fault(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stripe._http_client.HTTPClient, "INITIAL_DELAY", 0.0)
    retrying = stripe.StripeClient(KEY, base_addresses={"api": sandbox.url}, max_network_retries=2)
    fault(sandbox, path="/v1/customers", method="POST", status=503, after=True)
    created = retrying.v1.customers.create(params={"name": "Once"})
    assert created.last_response is not None
    assert created.last_response.headers["Idempotent-Replayed"] == "true"
    assert len(retrying.v1.customers.list().data) == 1


def test_fault_control(sandbox: SandboxServer, stripe_client: Client) -> None:
    assert call(sandbox.url, "POST", "/_sandbox/faults", "{}", key=None)[0] == 401
    fault(sandbox, path="/v1/customers", status=500, count=5)
    status, _, body = call(sandbox.url, "GET", "/_sandbox/faults")
    assert status == 200 and json.loads(body)["data"][0]["count"] == 5
    assert call(sandbox.url, "DELETE", "/_sandbox/faults")[0] == 200
    stripe_client.v1.customers.create()
    bad = call(
        sandbox.url,
        "POST",
        "/_sandbox/faults",
        json.dumps({"status": 200}),
        content_type="application/json",
    )
    assert bad[0] == 400


# --- durability ---------------------------------------------------------------------------


def start_serving(db: str) -> tuple[subprocess.Popen[str], str]:
    code = "import sys; from tui.sandbox import serve; serve('127.0.0.1', 0, sys.argv[1])"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, db],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    assert line.startswith("Stripe sandbox listening on http://127.0.0.1:"), line
    return proc, line.rsplit(" ", 1)[1]


def test_survives_sigkill(tmp_path: Path) -> None:
    db = str(tmp_path / "sandbox.sqlite")
    proc, url = start_serving(db)
    try:
        client = stripe.StripeClient(KEY, base_addresses={"api": url}, max_network_retries=0)
        customer = client.v1.customers.create(params={"email": "k@example.com"})
        price = client.v1.prices.create(
            params={"product_data": {"name": "Kept"}, "unit_amount": 700, "currency": "usd"}
        )
        link = client.v1.payment_links.create(
            params={"line_items": [{"price": price.id, "quantity": 1}]}
        )
        pi = client.v1.payment_intents.create(
            params={
                "amount": 700,
                "currency": "usd",
                "customer": customer.id,
                "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"},
            }
        )
        pi = client.v1.payment_intents.confirm(pi.id, params={"payment_method": "pm_card_visa"})
        refund = client.v1.refunds.create(params={"payment_intent": pi.id, "amount": 100})
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()

    proc, url = start_serving(db)
    try:
        client = stripe.StripeClient(KEY, base_addresses={"api": url}, max_network_retries=0)
        assert client.v1.customers.retrieve(customer.id).email == "k@example.com"
        assert client.v1.prices.retrieve(price.id).unit_amount == 700
        assert client.v1.products.retrieve(str(price.product)).name == "Kept"
        assert client.v1.payment_links.retrieve(link.id).url == link.url
        assert client.v1.payment_intents.retrieve(pi.id).status == "succeeded"
        assert client.v1.charges.retrieve(str(pi.latest_charge)).amount_refunded == 100
        assert client.v1.refunds.retrieve(refund.id).amount == 100
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=5) == 0


# --- the key, and clients that give up ----------------------------------------------------


def test_a_sandbox_with_a_key_accepts_that_key_alone() -> None:
    with SandboxServer(port=0, key="sk_test_only_this_one") as server:
        assert call(server.url, "GET", "/v1/customers", key="sk_test_only_this_one")[0] == 200
        for other in ("sk_test_sandbox_tests", "rk_test_only_this_one", "sk_test_only_this_on"):
            status, _, body = call(server.url, "GET", "/v1/customers", key=other)
            assert status == 401 and "only_this" not in error_of(body)["message"]
        status, _, _ = call(
            server.url,
            "POST",
            "/_sandbox/faults",
            json.dumps({"status": 500}),
            key="sk_test_sandbox_tests",
            content_type="application/json",
        )
        assert status == 401


def test_a_client_that_gives_up_on_a_delayed_request_leaves_no_traceback(
    sandbox: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    fault(sandbox, path="/v1/customers", delay_ms=300, count=2)
    parts = urlsplit(sandbox.url)
    for method, body in (("POST", "email=gone@example.com"), ("GET", None)):
        conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=0.05)
        conn.request(method, "/v1/customers", body=body, headers={"Authorization": f"Bearer {KEY}"})
        with pytest.raises(TimeoutError):
            conn.getresponse()
        conn.close()
    time.sleep(0.5)  # the delayed requests finish against closed connections
    assert call(sandbox.url, "GET", "/v1/customers")[0] == 200
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    assert "Traceback" not in caplog.text
