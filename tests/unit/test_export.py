"""Export: cells, paging and `stripe-tui export` against the sandbox, compared with the SDK."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import stripe

from tui.__main__ import main
from tui.export import KINDS, export, iso_time, major_units, safe_cell
from tui.gateway import Page
from tui.sandbox import SandboxServer
from tui.sandbox.objects import new_id
from tui.sandbox.store import Store

KEY = "sk_test_export_tests_0123456789"
CUSTOMERS = 2500


# Cells -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (123456, "usd", "1234.56"),
        (5, "eur", "0.05"),
        (500, "jpy", "500"),
        (1234, "kwd", "1.234"),
        (99_999_999, "USD", "999999.99"),
        (700, "xyz", "700"),  # no known exponent: the smallest unit, as given
        (None, "usd", ""),
        ("123456.5", "usd", "1234.565"),  # a price's unit_amount_decimal
    ],
)
def test_amounts_are_major_units_without_separators(amount: Any, currency: str, shown: str) -> None:
    assert major_units(amount, currency) == shown


def test_created_is_iso_utc() -> None:
    assert iso_time(0) == "1970-01-01T00:00:00Z"
    assert iso_time(1714564800) == "2024-05-01T12:00:00Z"
    assert iso_time(None) == ""


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+1 (555) 555-0123", "+1 (555) 555-0123"),  # a phone number is not a formula
        ("+15555550123", "+15555550123"),
        ("-12.50", "-12.50"),
        ("Jenny = Rosen", "Jenny = Rosen"),
        ("", ""),
    ],
)
def test_a_cell_a_spreadsheet_would_run_starts_with_an_apostrophe(value: str, cell: str) -> None:
    assert safe_cell(value) == cell


def test_a_customer_row_has_id_created_and_the_listed_columns() -> None:
    kind = KINDS["customers"]
    customer = {"id": "cus_1", "created": 0, "email": "a@b.co", "name": "=1+1", "phone": None}
    assert kind.headers == ["id", "created", "email", "name", "phone"]
    assert kind.row(customer) == ["cus_1", "1970-01-01T00:00:00Z", "a@b.co", "'=1+1", ""]


def test_expansions_the_console_asks_for_are_folded_back_in_json_lines() -> None:
    intent = {"id": "pi_1", "latest_charge": {"id": "ch_1", "object": "charge"}}
    assert KINDS["payment-intents"].as_listed(intent) == {"id": "pi_1", "latest_charge": "ch_1"}
    link = {"id": "plink_1", "line_items": {"object": "list", "data": []}}
    assert KINDS["payment-links"].as_listed(link) == {"id": "plink_1"}
    assert intent["latest_charge"] == {"id": "ch_1", "object": "charge"}  # not changed in place


# Paging ------------------------------------------------------------------------------------------


def pages_of(n: int, size: int = 10) -> Any:
    """A fetch over n made-up customers, newest first, `size` a page."""
    items = [{"id": f"cus_{i:04}", "created": 1_700_000_000 - i, "email": None} for i in range(n)]
    seen: list[str | None] = []

    def fetch(cursor: str | None) -> Page:
        seen.append(cursor)
        start = 0 if cursor is None else int(cursor.removeprefix("cus_")) + 1
        page = items[start : start + size]
        more = start + size < n
        return Page(page, page[-1]["id"] if more else None)

    fetch.seen = seen  # type: ignore[attr-defined]
    return fetch


def test_export_pages_to_the_end_and_reports_progress() -> None:
    out = io.StringIO()
    counts: list[int] = []
    outcome = export(pages_of(25), KINDS["customers"], "csv", out, progress=counts.append)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == KINDS["customers"].headers
    assert [r[0] for r in rows[1:]] == [f"cus_{i:04}" for i in range(25)]
    assert (outcome.written, outcome.complete) == (25, True)
    assert counts == [10, 20, 25]


def test_a_limit_stops_at_that_many_and_asks_no_further() -> None:
    fetch = pages_of(100)
    out = io.StringIO()
    outcome = export(fetch, KINDS["customers"], "jsonl", out, limit=15)
    ids = [json.loads(line)["id"] for line in out.getvalue().splitlines()]
    assert ids == [f"cus_{i:04}" for i in range(15)]
    assert (outcome.written, outcome.complete) == (15, True)
    assert fetch.seen == [None, "cus_0009"]


def test_stop_ends_after_the_current_page_with_a_whole_file() -> None:
    stop = threading.Event()
    out = io.StringIO()

    def progress(written: int) -> None:
        if written >= 20:
            stop.set()

    outcome = export(pages_of(100), KINDS["customers"], "csv", out, stop=stop, progress=progress)
    assert (outcome.written, outcome.complete) == (20, False)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert len(rows) == 21 and all(len(r) == len(rows[0]) for r in rows)


# The command line against the sandbox ------------------------------------------------------------


NAMES = ["Jenny Rosen", 'Quote "q" and, comma', "Zoë Ünïcode", "two\nlines", "", "=1+1"]


@pytest.fixture(scope="module")
def customers_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sandbox file with 2,500 customers: one created over HTTP, the rest copied in its store
    (as bench/bench.py seeds): varied names and phones, some with nothing."""
    path = tmp_path_factory.mktemp("export") / "sandbox.sqlite3"
    with SandboxServer(port=0, db_path=str(path)) as server:
        client = stripe.StripeClient(KEY, base_addresses={"api": server.url})
        template = client.v1.customers.create(params={"email": "first@example.com"}).to_dict()
    store = Store(str(path))
    store.begin()
    for i in range(1, CUSTOMERS):
        copy = dict(
            template,
            id=new_id("cus"),
            email=f"user{i}@example.com" if i % 7 else None,
            name=NAMES[i % len(NAMES)] or None,
            phone="+15555550100" if i % 3 else None,
            created=template["created"] + i // 100,
        )
        store.insert(copy)
    store.commit()
    store.close()
    return path


@pytest.fixture
def served(customers_db: Path) -> Iterator[SandboxServer]:
    with SandboxServer(port=0, db_path=str(customers_db)) as server:
        yield server


def sdk_customers(url: str, limit: int | None = None) -> list[dict[str, Any]]:
    client = stripe.StripeClient(KEY, base_addresses={"api": url}, max_network_retries=0)
    listing = client.v1.customers.list(params={"limit": 100}).auto_paging_iter()
    found = [customer.to_dict() for customer in listing]
    return found[:limit] if limit else found


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(["export", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def no_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No key in the environment nor in a Stripe CLI config."""
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.mark.usefixtures("no_key")
@pytest.mark.parametrize("source", ["key", "sandbox file"])
def test_the_export_of_2500_customers_equals_what_the_sdk_lists(
    source: str, served: SandboxServer, customers_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = sdk_customers(served.url)
    assert len(expected) == CUSTOMERS
    if source == "key":
        where = ["--api-key", KEY, "--api-base", served.url]
    else:  # no key: the console's own sandbox file is read, as the console would show it
        where = ["--sandbox-db", str(customers_db)]

    status, out, err = run_main(["customers", "--format", "jsonl", *where], capsys)
    assert (status, err) == (0, "")
    assert [json.loads(line) for line in out.splitlines()] == expected

    status, out, err = run_main(["customers", "--format", "csv", *where], capsys)
    assert (status, err) == (0, "")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["id", "created", "email", "name", "phone"]
    assert rows[1:] == [
        [
            c["id"],
            iso_time(c["created"]),
            c["email"] or "",
            safe_cell(c["name"] or ""),
            c["phone"] or "",
        ]
        for c in expected
    ]
    assert any("\n" in row[3] for row in rows) and any(row[3] == "'=1+1" for row in rows)


def test_a_limit_gives_the_newest(
    served: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--api-key", KEY, "--api-base", served.url]
    status, out, _ = run_main(["customers", "--format", "jsonl", "--limit", "150", *where], capsys)
    assert status == 0
    assert [json.loads(line) for line in out.splitlines()] == sdk_customers(served.url, 150)


def test_every_kind_is_listed_as_the_sdk_lists_it(
    sandbox: SandboxServer, stripe_client: stripe.StripeClient, capsys: pytest.CaptureFixture[str]
) -> None:
    product = stripe_client.v1.products.create(params={"name": "Shirt"})
    price = stripe_client.v1.prices.create(
        params={"product": product.id, "unit_amount": 123456, "currency": "usd"}
    )
    stripe_client.v1.payment_links.create(
        params={"line_items": [{"price": price.id, "quantity": 2}]}
    )
    intent = stripe_client.v1.payment_intents.create(
        params={
            "amount": 500,
            "currency": "jpy",
            "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"},
        }
    )
    stripe_client.v1.payment_intents.confirm(intent.id, params={"payment_method": "pm_card_visa"})
    stripe_client.v1.refunds.create(params={"payment_intent": intent.id, "amount": 200})
    services = {
        "products": stripe_client.v1.products,
        "prices": stripe_client.v1.prices,
        "payment-links": stripe_client.v1.payment_links,
        "payment-intents": stripe_client.v1.payment_intents,
        "refunds": stripe_client.v1.refunds,
        "events": stripe_client.v1.events,
    }
    where = ["--api-key", "sk_test_any", "--api-base", sandbox.url]
    for word, service in services.items():
        status, out, err = run_main([word, "--format", "jsonl", *where], capsys)
        assert (status, err) == (0, ""), word
        listed = [o.to_dict() for o in service.list(params={"limit": 100}).auto_paging_iter()]
        got = [json.loads(line) for line in out.splitlines()]
        # Decimals (a price's unit_amount_decimal) are strings on the wire, as written.
        assert got == json.loads(json.dumps(listed, default=str)), word

    _, out, _ = run_main(["prices", *where], capsys)
    assert next(csv.DictReader(io.StringIO(out))) | {"created": ""} == {
        "id": price.id,
        "created": "",
        "amount": "1234.56",
        "currency": "USD",
        "billing": "one-time",
        "product": product.id,
        "active": "true",
    }
    _, out, _ = run_main(["payment-links", *where], capsys)
    link = next(csv.DictReader(io.StringIO(out)))
    assert (link["price"], link["quantity"]) == (price.id, "2")
    _, out, _ = run_main(["refunds", *where], capsys)
    refund = next(csv.DictReader(io.StringIO(out)))
    assert (refund["amount"], refund["currency"], refund["payment_intent"]) == (
        "200",
        "JPY",
        intent.id,
    )


@pytest.mark.usefixtures("no_key")
@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ["customers", "--api-key", "sk_test_wrong_key_0123456789", "--api-base", "{url}"],
            "Invalid API Key",
        ),
        (["customers", "--api-key", KEY, "--api-base", "http://127.0.0.1:9"], "Could not reach"),
        (["customers", "--api-key", "sk_live_0123456789abcdefghij"], "--live"),
        (["customers", "--api-base", "{url}"], "--api-base needs a key"),
        (["customers", "--sandbox-db", "{tmp}/none.sqlite3"], "no sandbox file"),
        (["invoices"], "invalid choice"),
        (["customers", "--format", "xml"], "invalid choice"),
        (["customers", "--limit", "0"], "invalid limit"),
    ],
)
def test_errors_are_one_message_and_exit_2_without_the_key(
    args: list[str], says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with SandboxServer(port=0, db_path=None, key=KEY) as server:
        args = [a.format(url=server.url, tmp=tmp_path) for a in args]
        try:
            status, out, err = run_main(args, capsys)
        except SystemExit as exc:  # argparse's refusals
            status, captured = int(str(exc.code)), capsys.readouterr()
            out, err = captured.out, captured.err
    assert status == 2
    assert says in err
    assert out == ""
    assert "Traceback" not in err
    for secret in ("sk_test_wrong_key_0123456789", "sk_live_0123456789abcdefghij", KEY):
        assert secret not in err


def test_a_reader_that_stops_early_gets_no_traceback(served: SandboxServer) -> None:
    command = [sys.executable, "-m", "tui", "export", "customers", "--format", "jsonl"]
    command += ["--api-key", KEY, "--api-base", served.url]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=Path(__file__).parents[2]
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()  # as `| head -1` does
        err = process.stderr.read().decode()
        status = process.wait(timeout=60)
    assert json.loads(first)["object"] == "customer"
    assert "Traceback" not in err and err == ""
    assert status == 0
