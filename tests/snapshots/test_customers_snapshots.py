"""Snapshots of the Customers screen, its forms, the help screen and the palette.

The app runs on the fixture gateway of conftest.py, on the customers below, so that ids and
times are the same on every run; every snapshot is taken at 80x24 and at 120x36.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.snapshots.conftest import T0, Fixtures, fixture_app, steady
from tui.app import StripeApp
from tui.gateway import Obj

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 36), id="120x36")]
SMALL = [pytest.param((80, 18), id="80x18"), pytest.param((60, 20), id="60x20")]
"""Short and narrow terminals: the list keeps three rows, hints are never cut."""
CREATED = T0


def _customer(n: int, email: str, name: str | None, phone: str | None = None, **extra: Any) -> Obj:
    return {
        "id": f"cus_Snap{n:020d}",
        "object": "customer",
        "email": email,
        "name": name,
        "phone": phone,
        "description": extra.pop("description", None),
        "created": CREATED - n * 3_600,
        "metadata": extra.pop("metadata", {}),
        "livemode": False,
        **extra,
    }


CUSTOMERS: list[Obj] = [
    _customer(1, "jenny.rosen@example.com", "Jenny Rosen", "+15555550123", description="VIP"),
    _customer(2, "bob@example.org", "Bob Stone"),
    _customer(
        3,
        "carla.mendes-oliveira@example.net",
        "Carla Mendes-Oliveira",
        "+351912345678",
        description="Wholesale account, invoices monthly",
        metadata={"account": "A-1042", "region": "eu"},
    ),
    _customer(4, "dan@example.com", None),
    _customer(5, "eve@example.com", "Eve Adams", "+442071838750"),
    _customer(6, "frank@example.com", "Frank Li"),
]

INTENTS: list[Obj] = [
    {
        "id": "pi_Snap0000000001",
        "object": "payment_intent",
        "amount": 125_000,
        "currency": "eur",
        "status": "succeeded",
        "customer": CUSTOMERS[2]["id"],
        "created": CREATED,
    },
    {
        "id": "pi_Snap0000000002",
        "object": "payment_intent",
        "amount": 990,
        "currency": "eur",
        "status": "requires_payment_method",
        "customer": CUSTOMERS[2]["id"],
        "created": CREATED - 60,
    },
]
"""The third customer's payment intents (its detail lists them)."""


def creation_events(customers: list[Obj]) -> list[Obj]:
    """Each customer's creation, newest first (the detail pane's timeline)."""
    events = [
        {
            "id": f"evt_Snap{n:020d}",
            "type": "customer.created",
            "created": c["created"],
            "data": {"object": c},
        }
        for n, c in enumerate(customers)
    ]
    return sorted(events, key=lambda e: -e["created"])


FIXTURES = Fixtures(customers=CUSTOMERS, intents=INTENTS, events=creation_events(CUSTOMERS))


def snapshot_app() -> StripeApp:
    return fixture_app(
        FIXTURES, key="sk_test_snapshotsnapshot0042", api_base="http://127.0.0.1:12111"
    )


def steps(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A run_before that waits for the first page, presses keys (text one character at a time)
    as fast as a person who types ahead (the app keeps every key), and waits again."""

    async def run(pilot: Pilot[Any]) -> None:
        await steady(pilot)
        for key in keys:
            if len(key) > 1 and not key.startswith(("ctrl+", "question", "escape", "enter")):
                await pilot.press(*key)
            else:
                await pilot.press(key)
        await steady(pilot)

    return run


@pytest.mark.parametrize("size", SIZES)
class TestCustomersScreen:
    def test_list_with_data(self, snap_compare: Any, size: tuple[int, int]) -> None:
        assert snap_compare(snapshot_app(), terminal_size=size, run_before=steps())

    def test_detail_pane(self, snap_compare: Any, size: tuple[int, int]) -> None:
        # the third customer has a description, metadata and two payment intents
        assert snap_compare(snapshot_app(), terminal_size=size, run_before=steps("j", "j", "enter"))

    def test_filtered_by_search(self, snap_compare: Any, size: tuple[int, int]) -> None:
        assert snap_compare(snapshot_app(), terminal_size=size, run_before=steps("/", "rose"))


@pytest.mark.parametrize("size", SIZES)
class TestCreateForm:
    def test_empty(self, snap_compare: Any, size: tuple[int, int]) -> None:
        assert snap_compare(snapshot_app(), terminal_size=size, run_before=steps("n"))

    def test_validation_error(self, snap_compare: Any, size: tuple[int, int]) -> None:
        assert snap_compare(
            snapshot_app(), terminal_size=size, run_before=steps("n", "jenny@example", "ctrl+s")
        )


@pytest.mark.parametrize("size", SIZES)
class TestConsole:
    def test_help(self, snap_compare: Any, size: tuple[int, int]) -> None:
        assert snap_compare(snapshot_app(), terminal_size=size, run_before=steps("question_mark"))

    def test_palette_shows_the_three_actions(
        self, snap_compare: Any, size: tuple[int, int]
    ) -> None:
        assert snap_compare(
            snapshot_app(), terminal_size=size, run_before=steps("ctrl+p", "stripe customer")
        )


@pytest.mark.parametrize("size", SMALL)
class TestCustomersSmallTerminal:
    def test_list_with_data(self, snap_compare: Any, size: tuple[int, int]) -> None:
        assert snap_compare(snapshot_app(), terminal_size=size, run_before=steps())

    def test_detail_pane(self, snap_compare: Any, size: tuple[int, int]) -> None:
        assert snap_compare(snapshot_app(), terminal_size=size, run_before=steps("j", "j", "enter"))


@pytest.mark.parametrize("size", SIZES)
class TestUpdateAndDeleteForms:
    def test_update_prefilled_with_metadata_rows(
        self, snap_compare: Any, size: tuple[int, int]
    ) -> None:
        # the third customer has two metadata keys: two rows
        assert snap_compare(snapshot_app(), terminal_size=size, run_before=steps("j", "j", "e"))

    def test_update_nothing_changed(self, snap_compare: Any, size: tuple[int, int]) -> None:
        run = steps("j", "j", "e", "ctrl+s")
        assert snap_compare(snapshot_app(), terminal_size=size, run_before=run)

    def test_delete(self, snap_compare: Any, size: tuple[int, int]) -> None:
        assert snap_compare(snapshot_app(), terminal_size=size, run_before=steps("d"))
