"""Pilot tests of "Export this list": the list shown with its filter, to a file; overwrite asks;
Stop leaves a whole file; read-only mode exports too."""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from screens.export import ExportScreen, OverwriteScreen
from tests.functional.conftest import TEST_KEY
from tests.functional.helpers import (
    add_fault,
    clear_faults,
    fill,
    form,
    keys_delivered,
    notes,
    palette_titles,
    settle,
)
from tui.app import StripeApp
from tui.gateway import Gateway, Obj
from tui.sandbox import SandboxServer

AppFactory = Callable[..., StripeApp]
_keys = iter(range(1_000_000))


def key() -> str:
    return f"test-export-{next(_keys)}"


def seed(gateway: Gateway, email: str, **fields: str) -> Obj:
    return gateway.create_customer({"email": email, **fields}, key())


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.reader(file))


def only_file(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, found
    return found[0]


async def open_export(pilot: Pilot[Any]) -> None:
    await pilot.press("s")
    await pilot.pause()
    assert form(pilot.app).spec.title == "Export this list"


def path_value(app: StripeApp) -> str:
    control = form(app).control("path")
    assert isinstance(control, Input)
    return control.value


async def test_the_customers_filter_is_exported_to_a_new_file_in_the_current_folder(
    make_app: AppFactory, gateway: Gateway, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    jenny = seed(gateway, "jenny@example.com", name="Jenny Rosen", phone="+15555550123")
    seed(gateway, "bob@example.com", name="Bob")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"jenny@example.com", "enter")
        await settle(pilot)
        await open_export(pilot)
        assert path_value(app).startswith("./customers-") and path_value(app).endswith(".csv")
        await pilot.press("ctrl+s")
        await settle(pilot)
        exported = only_file(tmp_path, "customers-*.csv")
        assert csv_rows(exported) == [
            ["id", "created", "email", "name", "phone"],
            [
                jenny["id"],
                time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(jenny["created"])),
                "jenny@example.com",
                "Jenny Rosen",
                "+15555550123",
            ],
        ]
        assert f"Wrote 1 customer to {exported.name}" in notes(app)


async def test_json_lines_of_the_catalog_leave_out_what_it_hides(
    make_app: AppFactory, gateway: Gateway, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    kept = gateway.create_product({"name": "Shirt"}, key())
    archived = gateway.create_product({"name": "Old hat"}, key())
    gateway.update_product(archived["id"], {"active": False}, key())
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("ctrl+p", *"Export")
        await settle(pilot)
        assert palette_titles(app)[0].startswith("Export this list\n")
        await pilot.press("enter")
        await settle(pilot)
        await fill(pilot, format="jsonl")
        await pilot.press("ctrl+s")
        await settle(pilot)
        exported = only_file(tmp_path, "products-*.jsonl")  # the default name follows
        lines = exported.read_text(encoding="utf-8").splitlines()
        assert [json.loads(line) for line in lines] == [gateway.retrieve_product(kept["id"])]


async def test_the_events_type_filter_is_exported(
    make_app: AppFactory, gateway: Gateway, tmp_path: Path
) -> None:
    seed(gateway, "a@example.com")
    gateway.create_product({"name": "Shirt"}, key())
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("slash", *"product", "enter")
        await settle(pilot)
        await open_export(pilot)
        target = tmp_path / "events.csv"
        await fill(pilot, path=str(target))
        await pilot.press("ctrl+s")
        await settle(pilot)
        rows = csv_rows(target)
        assert rows[0] == ["id", "created", "type", "object"]
        assert [row[2] for row in rows[1:]] == ["product.created"]


async def test_an_existing_file_is_replaced_only_when_the_operator_says_so(
    make_app: AppFactory, gateway: Gateway, tmp_path: Path
) -> None:
    customer = seed(gateway, "jenny@example.com")
    target = tmp_path / "out.csv"
    target.write_text("keep me\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_export(pilot)
        await fill(pilot, path=str(target))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OverwriteScreen)
        await pilot.press("n")  # keep it: back to the form, as it was typed
        await settle(pilot)
        assert path_value(app) == str(target)
        assert target.read_text(encoding="utf-8") == "keep me\n"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OverwriteScreen)
        await pilot.press("y")
        await settle(pilot)
        assert [row[0] for row in csv_rows(target)] == ["id", customer["id"]]


def seed_many(gateway: Gateway, count: int) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda i: seed(gateway, f"user{i}@example.com"), range(count)))


async def test_stop_ends_after_the_current_page_with_a_whole_file(
    make_app: AppFactory, gateway: Gateway, sandbox: SandboxServer, tmp_path: Path
) -> None:
    seed_many(gateway, 500)
    target = tmp_path / "partial.csv"
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_export(pilot)
        await fill(pilot, path=str(target))
        # Every page now takes a second: the export is under way long enough to be stopped.
        add_fault(sandbox, TEST_KEY, path="/v1/customers", method="GET", delay_ms=1000, count=5)
        await pilot.press("ctrl+s")
        deadline = time.monotonic() + 30
        while not (isinstance(app.screen, ExportScreen) and app.screen.written):
            assert time.monotonic() < deadline, "the first page was never written"
            await pilot.pause(0.05)
        await pilot.press("escape")
        await keys_delivered(pilot)
        await clear_faults(sandbox, TEST_KEY)  # the page under way comes now; the export stops
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
        rows = csv_rows(target)
        written = len(rows) - 1
        assert written in (100, 200, 300, 400)  # whole pages, not all 500
        assert all(len(row) == 5 for row in rows)
        assert f"Stopped: {written} customers written to {target}" in notes(app)


async def test_read_only_mode_exports_too(
    make_app: AppFactory, gateway: Gateway, tmp_path: Path
) -> None:
    customer = seed(gateway, "jenny@example.com")
    target = tmp_path / "ro.jsonl"
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_export(pilot)
        await fill(pilot, format="jsonl", path=str(target))
        await pilot.press("ctrl+s")
        await settle(pilot)
        listed = json.loads(target.read_text(encoding="utf-8"))
        assert listed == gateway.retrieve_customer(customer["id"])


async def test_the_request_log_is_not_offered_for_export(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        await pilot.press("s")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("ctrl+p", *"Export")
        await settle(pilot)
        assert not any("Export this list" in title for title in palette_titles(app))


async def test_a_failed_export_says_so_and_leaves_no_empty_file(
    make_app: AppFactory, gateway: Gateway, sandbox: SandboxServer, tmp_path: Path
) -> None:
    seed(gateway, "jenny@example.com")
    target = tmp_path / "failed.csv"
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_export(pilot)
        await fill(pilot, path=str(target))
        add_fault(sandbox, TEST_KEY, path="/v1/customers", method="GET", status=500, count=1)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Export failed after 0 customers" in notes(app)
        assert not target.exists()


async def test_the_payments_filter_is_exported(
    make_app: AppFactory, gateway: Gateway, tmp_path: Path
) -> None:
    def intent(amount: int) -> Obj:
        return gateway.create_payment_intent(amount=amount, currency="usd", idempotency_key=key())

    paid = intent(1250)
    gateway.confirm_payment_intent(paid["id"], payment_method="pm_card_visa", idempotency_key=key())
    intent(990)  # not paid: filtered out
    target = tmp_path / "paid.jsonl"
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("slash", *'status:"succeeded"', "enter")
        await settle(pilot)
        await open_export(pilot)
        await fill(pilot, format="jsonl", path=str(target))
        await pilot.press("ctrl+s")
        await settle(pilot)
        lines = target.read_text(encoding="utf-8").splitlines()
        # As Stripe's plain list gives it: the charge the list expanded is its id again.
        assert [json.loads(line) for line in lines] == [gateway.retrieve_payment_intent(paid["id"])]
