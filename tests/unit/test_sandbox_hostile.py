"""Hostile input: every refusal is a fast 4xx in Stripe's envelope, never a 5xx or a hang, and a
refused request changes nothing."""

from __future__ import annotations

import hashlib
import json
import logging
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.test_sandbox_http import call, error_of
from tui.sandbox import SandboxServer
from tui.sandbox.app import MAX_BODY
from tui.sandbox.form import MAX_DEPTH
from tui.sandbox.params import ListOf
from tui.sandbox.router import ROUTES


def short(value: object) -> str:
    """A readable test id for a long parameter."""
    text = str(value)
    return text if len(text) <= 40 else f"{text[:30]}...({len(text)})"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[SandboxServer, Path]]:
    """A sandbox on a SQLite file, so that a test can read its state from outside."""
    db = tmp_path / "hostile.sqlite3"
    with SandboxServer(port=0, db_path=str(db)) as server:
        yield server, db


def snapshot(db: Path) -> str:
    """Everything the sandbox has committed, as one digest."""
    digest = hashlib.sha256()
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        for row in conn.execute("SELECT seq, id, data FROM objects ORDER BY seq"):
            digest.update(repr(row).encode())
        for row in conn.execute("SELECT key, status FROM idempotency ORDER BY key"):
            digest.update(repr(row).encode())
    conn.close()
    return digest.hexdigest()


def post(url: str, path: str, body: bytes | str) -> tuple[int, dict[str, Any]]:
    status, _, raw = call(url, "POST", path, body)
    return status, json.loads(raw)


def created_id(url: str, path: str, body: str) -> str:
    status, obj = post(url, path, body)
    assert status == 200, obj
    ident = obj["id"]
    assert isinstance(ident, str)
    return ident


def seed(url: str) -> list[str]:
    """One object of each kind, so that ids in paths and bodies can resolve."""
    customer = created_id(url, "/v1/customers", "email=seed@example.com")
    product = created_id(url, "/v1/products", "name=Seed")
    price = created_id(url, "/v1/prices", f"product={product}&unit_amount=500&currency=usd")
    link = created_id(
        url, "/v1/payment_links", f"line_items[0][price]={price}&line_items[0][quantity]=1"
    )
    intent = created_id(
        url,
        "/v1/payment_intents",
        "amount=500&currency=usd&confirm=true&payment_method=pm_card_visa"
        "&automatic_payment_methods[enabled]=true&automatic_payment_methods[allow_redirects]=never",
    )
    refund = created_id(url, "/v1/refunds", f"payment_intent={intent}&amount=100")
    return [customer, product, price, link, intent, refund]


# --- the cases of the issue, one by one ---------------------------------------------------

HUGE = "9" * 5000
PRICE = "currency=usd&product_data[name]=p&"


@pytest.mark.parametrize(
    ("path", "body", "param"),
    [
        ("/v1/prices", PRICE + "unit_amount_decimal=1e999999999", "unit_amount_decimal"),
        ("/v1/prices", PRICE + "unit_amount_decimal=1e-999999999", "unit_amount_decimal"),
        ("/v1/prices", PRICE + "unit_amount_decimal=" + HUGE, "unit_amount_decimal"),
        ("/v1/prices", PRICE + "unit_amount_decimal=1.1234567890123", "unit_amount_decimal"),
        ("/v1/prices", PRICE + "unit_amount_decimal=100000000", "unit_amount_decimal"),
        ("/v1/prices", PRICE + "unit_amount=100000000", "unit_amount"),
        ("/v1/prices", PRICE + "unit_amount=" + HUGE, "unit_amount"),
        ("/v1/customers", "balance=9223372036854775808", "balance"),
        ("/v1/customers", "balance=-9223372036854775809", "balance"),
        ("/v1/customers", "balance=" + HUGE, "balance"),
        ("/v1/payment_intents", "currency=usd&amount=" + HUGE, "amount"),
        ("/v1/payment_intents", "currency=usd&amount=100000000", "amount"),
        ("/v1/customers", "metadata" + "[a]" * 400 + "=1", "metadata"),
        ("/v1/customers", "0=a&1=b", "0"),
        ("/v1/customers", "description=" + "x" * 5001, "description"),
        ("/v1/customers", "name=" + "x" * 257, "name"),
        ("/v1/products", "name=p&statement_descriptor=" + "x" * 23, "statement_descriptor"),
        ("/v1/customers", "metadata[" + "k" * 41 + "]=v", "metadata[" + "k" * 41 + "]"),
        ("/v1/customers", "metadata[k]=" + "v" * 501, "metadata[k]"),
        ("/v1/customers", "&".join(f"metadata[k{i}]=v" for i in range(51)), "metadata"),
        ("/v1/customers", "invoice_settings[custom_fields]=" + "x" * 5001, None),
        ("/v1/products", "name=p&package_dimensions[height]=1e999", None),
        ("/v1/products", "name=p&package_dimensions[height]=abc", None),
        ("/v1/customers", "preferred_locales[0]=a&preferred_locales[" + HUGE + "]=b", None),
    ],
    ids=short,
)
def test_hostile_bodies_are_a_400_naming_the_parameter(
    served: tuple[SandboxServer, Path], path: str, body: str, param: str | None
) -> None:
    server, db = served
    before = snapshot(db)
    status, answer = post(server.url, path, body)  # call() gives up after 5 seconds
    assert status == 400, answer
    err = answer["error"]
    assert err["type"] == "invalid_request_error" and err["message"]
    if param is not None:
        assert err["param"] == param
    assert len(err["message"]) < 400
    assert snapshot(db) == before


@pytest.mark.parametrize(
    "query",
    ["limit=" + HUGE, "created=" + HUGE, "created[gt]=99999999999999999999", "limit=1e9"],
    ids=short,
)
def test_hostile_list_parameters(sandbox: SandboxServer, query: str) -> None:
    status, _, body = call(sandbox.url, "GET", "/v1/customers?" + query)
    assert status == 400 and error_of(body)["code"] == "parameter_invalid_integer"


def test_hostile_search_page(sandbox: SandboxServer) -> None:
    page = quote("c2VxOjk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OQ==")  # "seq:9999999999999999999999"
    status, _, body = call(sandbox.url, "GET", f"/v1/customers/search?query=name:'a'&page={page}")
    assert status == 400 and error_of(body)["param"] == "page"


def test_the_largest_accepted_values(served: tuple[SandboxServer, Path]) -> None:
    server, _db = served
    assert post(server.url, "/v1/customers", "balance=9223372036854775807")[0] == 200
    assert post(server.url, "/v1/customers", "description=" + "x" * 5000)[0] == 200
    metadata = "&".join(f"metadata[{i:040d}]=" + "v" * 500 for i in range(50))
    assert post(server.url, "/v1/customers", metadata)[0] == 200
    status, price = post(
        server.url,
        "/v1/prices",
        "product_data[name]=p&currency=usd&unit_amount_decimal=99999998.999999999999",
    )
    assert status == 200 and price["unit_amount_decimal"] == "99999998.999999999999"


def test_a_body_over_the_limit_is_a_413_in_stripes_envelope(
    served: tuple[SandboxServer, Path],
) -> None:
    server, db = served
    before = snapshot(db)
    status, answer = post(server.url, "/v1/customers", "description=" + "x" * MAX_BODY)
    assert status == 413
    assert answer["error"]["type"] == "invalid_request_error"
    assert str(MAX_BODY) in answer["error"]["message"]
    assert snapshot(db) == before


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000,
        '{"delay_ms": ' + HUGE + "}",
        '{"delay_ms": 1e999}',
        '{"count": 99999999999999999999}',
        '{"path": {"a": 1}}',
    ],
    ids=short,
)
def test_hostile_fault_bodies_are_a_400(sandbox: SandboxServer, body: str) -> None:
    status, _, answer = call(
        sandbox.url, "POST", "/_sandbox/faults", body, content_type="application/json"
    )
    assert status == 400 and error_of(answer)["type"] == "invalid_request_error"
    assert json.loads(call(sandbox.url, "GET", "/_sandbox/faults")[2])["data"] == []


def raw_http(url: str, data: bytes) -> bytes:
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname or "", parts.port or 80), timeout=5) as conn:
        conn.sendall(data)
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
    return received


def test_an_unparsable_request_is_not_echoed(
    sandbox: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    answer = raw_http(
        sandbox.url,
        b"GET /v1/customers HTTP/1.1\r\nHost: x\r\nX-Sec\x00ret: hunter2\r\n"
        b"Authorization: Bearer sk_test_x\r\n\r\n",
    )
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 400") or head.startswith(b"HTTP/1.1 400")
    assert b"hunter2" not in answer and b"\x00" not in answer
    assert json.loads(body)["error"]["type"] == "invalid_request_error"
    assert "Traceback" not in caplog.text and "hunter2" not in caplog.text


# --- a bounded fuzz test over every route -------------------------------------------------

HOSTILE_VALUES = [
    "",
    "-1",
    "0",
    "1",
    "true",
    "usd",
    "jpy",
    "month",
    "pm_card_visa",
    "pm_card_chargeDeclined",
    "pm_card_threeDSecure2Required",
    "9" * 30,
    "9223372036854775808",
    "-9223372036854775809",
    "1e999999999",
    "1e-999999999",
    "1." + "0" * 20 + "1",
    "NaN",
    "-Infinity",
    "x" * 5001,
    "\x00",
    "a\x1b[31mred",
    "name:'a' AND email:\"b\"",
    "metadata['k']:'v'",
    "c2VxOjk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OQ==",
]
EXAMPLES_PER_ROUTE = 25
SUFFIXES = ["", "0", "1", "a", "price", "9" * 25]
HOSTILE_NAMES = ["0", "", "a\x00b", "x][", "[]", "metadata" + "[a]" * (MAX_DEPTH + 3)]


def spec_names(spec: Any, prefix: str = "") -> list[str]:
    """Every parameter name a spec knows, in Stripe's bracket form (``a[b][0][c]``)."""
    if isinstance(spec, dict):
        names = [prefix] if prefix else []
        for key, sub in spec.items():
            names += spec_names(sub, f"{prefix}[{key}]" if prefix else key)
        return names
    if isinstance(spec, ListOf):
        return [prefix, *spec_names(spec.item, f"{prefix}[0]")]
    if spec == "map":
        return [prefix, f"{prefix}[k]", f"{prefix}[0]"]
    if spec == "strs":
        return [prefix, f"{prefix}[]", f"{prefix}[0]"]
    if spec == "any":
        return [prefix, f"{prefix}[a]", f"{prefix}[0][b]"]
    return [prefix]


def form_bodies(spec: Any, ids: list[str]) -> st.SearchStrategy[bytes]:
    """Mostly parameters the route knows with hostile values; some hostile names and bytes."""
    known = st.sampled_from(spec_names(spec) or ["expand"])
    suffixes = st.lists(st.sampled_from(SUFFIXES), max_size=MAX_DEPTH + 3).map(
        lambda parts: "".join(f"[{p}]" for p in parts)
    )
    hostile = st.sampled_from(HOSTILE_NAMES) | st.tuples(known | st.text(max_size=6), suffixes).map(
        "".join
    )
    names = st.one_of(known, known, known, hostile)
    values = st.one_of(
        st.sampled_from(HOSTILE_VALUES + ids),
        st.sampled_from(HOSTILE_VALUES + ids),
        st.text(max_size=12),
        st.integers().map(str),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
    )
    pairs = st.lists(st.tuples(names, values), min_size=1, max_size=8)
    encoded = pairs.map(lambda ps: urlencode(ps).encode())
    return st.one_of(
        encoded,
        encoded,
        encoded,
        pairs.map(lambda ps: urlencode(ps).encode() + b"&name=%ff"),
        st.binary(max_size=64),
    )


def fuzz_route(url: str, db: Path, method: str, pattern: str, spec: Any, ids: list[str]) -> None:
    idents = st.sampled_from([*ids, "x", "cus_" + "9" * 300, "%00", "a%2Fb", "é"])

    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(ident=idents, body=form_bodies(spec, ids), in_query=st.booleans())
    def run(ident: str, body: bytes, in_query: bool) -> None:
        path = pattern.replace("([^/]+)", quote(ident, safe="%"))
        payload: bytes | None = None
        if method == "GET" or in_query:
            path += "?" + quote(body, safe="=&[]%+")
        else:
            payload = body
        before = snapshot(db)
        status, _, raw = call(url, method, path, payload)
        assert status < 500, (method, path, payload, raw)
        answer = json.loads(raw)
        if status >= 400:
            assert answer["error"]["type"] in ("invalid_request_error", "card_error")
            assert "\x00" not in answer["error"]["message"]
        if 400 <= status < 500 and status != 402:  # a decline records its charge, as on Stripe
            assert snapshot(db) == before, (method, path, payload, raw)

    run()


def test_fuzz_every_route_refuses_hostile_input_with_a_4xx(
    served: tuple[SandboxServer, Path], caplog: pytest.LogCaptureFixture
) -> None:
    server, db = served
    ids = seed(server.url)
    routes = ROUTES
    assert len(routes) > 20
    for method, pattern, _handler, spec in routes:
        fuzz_route(server.url, db, method, pattern.pattern, spec, ids)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
