"""Snapshots of the Payments screen at 80x24 and 120x36, built on fixed fixture data.

The sandbox makes random ids and timestamps, so these apps talk to the fixture gateway of
conftest.py instead, on the intents, charges and refunds below.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Select

from screens.payments import PaymentsScreen
from tests.snapshots.conftest import T0, FixtureGateway, Fixtures, fixture_app, steady
from tui.app import StripeApp
from tui.gateway import ErrorKind, GatewayError, Obj
from tui.settings import Mode
from widgets.form import FormScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 36), id="120x36")]
SMALL = [pytest.param((80, 18), id="80x18"), pytest.param((60, 20), id="60x20")]
"""Short and narrow terminals: the list keeps three rows, hints are never cut."""


def intent(
    ident: str,
    amount: int,
    currency: str,
    status: str,
    *,
    minutes: int,
    customer: str | None = None,
    description: str | None = None,
    charge: str | None = None,
    error: Obj | None = None,
    capture_method: str = "automatic",
) -> Obj:
    return {
        "id": ident,
        "object": "payment_intent",
        "amount": amount,
        "amount_received": amount if status == "succeeded" else 0,
        "currency": currency,
        "status": status,
        "customer": customer,
        "description": description,
        "created": T0 + 60 * minutes,
        "latest_charge": charge,
        "last_payment_error": error,
        "payment_method": "pm_1Visa0000000000000000" if status == "succeeded" else None,
        "next_action": {"type": "use_stripe_sdk"} if status == "requires_action" else None,
        "metadata": {},
        "capture_method": capture_method,
        "amount_capturable": amount if status == "requires_capture" else 0,
    }


DECLINE = {
    "type": "card_error",
    "code": "card_declined",
    "decline_code": "insufficient_funds",
    "message": "Your card has insufficient funds.",
}

INTENTS: list[Obj] = [
    intent(
        "pi_3SnapPaid000000000000001",
        2500,
        "usd",
        "succeeded",
        minutes=50,
        customer="cus_SnapJenny0000000000001",
        description="Blue mug",
        charge="ch_3SnapPaid000000000000001",
    ),
    intent(
        "pi_3SnapDeclined0000000002",
        1250,
        "eur",
        "requires_payment_method",
        minutes=40,
        customer="cus_SnapJenny0000000000001",
        description="Tea set",
        charge="ch_3SnapDeclined0000000002",
        error=DECLINE,
    ),
    intent(
        "pi_3Snap3DS00000000000003",
        500,
        "gbp",
        "requires_action",
        minutes=30,
        description="Gift card",
    ),
    intent("pi_3SnapJpy00000000000004", 5000, "jpy", "requires_payment_method", minutes=20),
    intent(
        "pi_3SnapCanceled000000005",
        999,
        "usd",
        "canceled",
        minutes=10,
        customer="cus_SnapBob000000000000002",
    ),
    intent(
        "pi_3SnapHold00000000000006",
        4200,
        "usd",
        "requires_capture",
        minutes=5,
        customer="cus_SnapBob000000000000002",
        description="Hotel deposit",
        charge="ch_3SnapHold00000000000006",
        capture_method="manual",
    ),
]

CHARGES: dict[str, Obj] = {
    "ch_3SnapPaid000000000000001": {
        "id": "ch_3SnapPaid000000000000001",
        "object": "charge",
        "amount": 2500,
        "amount_captured": 2500,
        "amount_refunded": 1750,
        "currency": "usd",
        "status": "succeeded",
        "refunded": False,
    },
    "ch_3SnapHold00000000000006": {
        "id": "ch_3SnapHold00000000000006",
        "object": "charge",
        "amount": 4200,
        "amount_captured": 0,
        "amount_refunded": 0,
        "currency": "usd",
        "status": "succeeded",
        "captured": False,
        "refunded": False,
    },
    "ch_3SnapDeclined0000000002": {
        "id": "ch_3SnapDeclined0000000002",
        "object": "charge",
        "amount": 1250,
        "amount_captured": 0,
        "amount_refunded": 0,
        "currency": "eur",
        "status": "failed",
        "refunded": False,
    },
}

REFUNDS: dict[str, list[Obj]] = {
    "pi_3SnapPaid000000000000001": [
        {
            "id": "re_3SnapRefund00000000002",
            "object": "refund",
            "amount": 1000,
            "currency": "usd",
            "reason": "requested_by_customer",
            "status": "succeeded",
            "created": T0 + 60 * 55,
            "payment_intent": "pi_3SnapPaid000000000000001",
        },
        {
            "id": "re_3SnapRefund00000000001",
            "object": "refund",
            "amount": 750,
            "currency": "usd",
            "reason": "duplicate",
            "status": "succeeded",
            "created": T0 + 60 * 52,
            "payment_intent": "pi_3SnapPaid000000000000001",
        },
    ]
}


def timeline_events(intents: list[Obj]) -> list[Obj]:
    """Each intent's creation, and its success a minute later (the detail's timeline)."""
    events = []
    for intent in intents:
        happened = [("payment_intent.created", intent["created"])]
        if intent["status"] == "succeeded":
            happened.append(("payment_intent.succeeded", intent["created"] + 60))
        for kind, created in happened:
            event = {"type": kind, "created": created, "data": {"object": intent}}
            events.append({"id": f"evt_Snap{len(events):020d}", **event})
    return sorted(events, key=lambda e: -e["created"])


SAVED_AMEX = {
    "id": "pm_1SnapSavedAmex000000001",
    "object": "payment_method",
    "type": "card",
    "card": {"brand": "amex", "last4": "8431", "exp_month": 12, "exp_year": 2034},
    "customer": "cus_SnapJenny0000000000001",
}

FIXTURES = Fixtures(
    intents=INTENTS,
    charges=CHARGES,
    refunds=REFUNDS,
    saved_methods={SAVED_AMEX["customer"]: [SAVED_AMEX]},
    events=timeline_events(INTENTS),
)


class DecliningGateway(FixtureGateway):
    """The fixture gateway, on which every confirmation is declined."""

    def confirm_payment_intent(
        self, payment_intent_id: str, *, payment_method: str, idempotency_key: str
    ) -> Obj:
        declined = self.retrieve_payment_intent(payment_intent_id)
        declined["last_payment_error"] = {
            **DECLINE,
            "decline_code": "generic_decline",
            "message": "Your card was declined.",
        }
        raise GatewayError(
            ErrorKind.CARD_DECLINED,
            "Your card was declined.",
            code="card_declined",
            decline_code="generic_decline",
            request_id="req_SnapDecline0001",
            http_status=402,
            payment_intent=declined,
        )


def make_app(mode: Mode = Mode.TEST) -> StripeApp:
    return fixture_app(FIXTURES, mode=mode, key="sk_test_snapshots_0000", gateway=DecliningGateway)


async def open_payments(pilot: Pilot[Any]) -> PaymentsScreen:
    await pilot.press("3")
    await steady(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PaymentsScreen)
    return screen


async def select_row(pilot: Pilot[Any], row: int) -> PaymentsScreen:
    screen = await open_payments(pilot)
    screen.table.move_cursor(row=row)
    await steady(pilot)
    return screen


class TestPaymentsScreen:
    @pytest.mark.parametrize("size", SIZES)
    def test_list_with_intents_in_several_statuses(self, snap_compare: Any, size: Any) -> None:
        assert snap_compare(make_app(), terminal_size=size, run_before=open_payments)

    @pytest.mark.parametrize("size", SIZES)
    def test_detail_with_refunds(self, snap_compare: Any, size: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await select_row(pilot, 0)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_filter_bar_with_status_and_days(self, snap_compare: Any, size: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await open_payments(pilot)
            await pilot.press("slash")
            await steady(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_detail_of_a_declined_intent(self, snap_compare: Any, size: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            screen = await select_row(pilot, 1)
            screen.detail.scroll_end(animate=False)
            await steady(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


class TestPaymentForms:
    @pytest.mark.parametrize("size", SIZES)
    def test_create_form_with_amount(self, snap_compare: Any, size: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await open_payments(pilot)
            await pilot.press("n", *"12.50")
            await steady(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_confirm_form(self, snap_compare: Any, size: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await select_row(pilot, 3)
            await pilot.press("c")
            await steady(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_confirm_form_offers_saved_methods_first(self, snap_compare: Any, size: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await select_row(pilot, 1)
            await pilot.press("c")
            await steady(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_capture_form_with_a_partial_amount(self, snap_compare: Any, size: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await select_row(pilot, 5)
            await pilot.press("p")
            await steady(pilot)
            await pilot.press(*"30")  # the form starts on the amount
            await steady(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_cancel_form_of_a_hold(self, snap_compare: Any, size: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await select_row(pilot, 5)
            await pilot.press("x")
            await steady(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_attach_form_for_the_intents_customer(self, snap_compare: Any, size: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await select_row(pilot, 0)
            await pilot.press("a")
            await steady(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_refund_form_with_the_remainder(self, snap_compare: Any, size: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await select_row(pilot, 0)
            await pilot.press("f")
            await steady(pilot)
            await pilot.press(*"9.00")  # the form starts on the amount
            await steady(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_decline_result(self, snap_compare: Any, size: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await select_row(pilot, 3)
            await pilot.press("c")
            await steady(pilot)
            form = pilot.app.screen
            assert isinstance(form, FormScreen)
            form.query_one("#input-payment_method", Select).value = "pm_card_chargeDeclined"
            await pilot.press("ctrl+s")
            await steady(pilot)
            pilot.app.clear_notifications()
            await steady(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_live_confirmation_prompt(self, snap_compare: Any, size: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await open_payments(pilot)
            await pilot.press("n", *"12.50", "ctrl+s")
            await steady(pilot)

        assert snap_compare(make_app(Mode.LIVE), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SMALL)
class TestPaymentsSmallTerminal:
    def test_list_with_intents_in_several_statuses(self, snap_compare: Any, size: Any) -> None:
        assert snap_compare(make_app(), terminal_size=size, run_before=open_payments)

    def test_detail_with_refunds(self, snap_compare: Any, size: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await select_row(pilot, 0)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
