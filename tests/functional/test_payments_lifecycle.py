"""Pilot tests of what happens to a payment intent after creation, against the sandbox: capture
(whole, part, more than the hold), cancel (a hold, a paid intent), attach a payment method, the
customer's saved methods in the confirm form, LIVE typed confirmations and read-only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Button, Input, Select, Static

from screens.payments import PaymentsScreen
from tests.functional.helpers import (
    field_message,
    fill,
    form,
    notes,
    palette_titles,
    settle,
    submit,
)
from tests.functional.test_payments import (
    AppFactory,
    detail_text,
    form_error,
    key,
    open_payments,
    seed_intent,
    seed_paid,
    select_intent,
)
from tui.gateway import Gateway, Obj
from tui.settings import Mode
from widgets.dialogs import TypedConfirm
from widgets.form import FormScreen


def seed_hold(gateway: Gateway, amount: int = 1250, **kw: Any) -> Obj:
    """A manual-capture intent confirmed with a Visa: a hold of `amount`."""
    intent = seed_intent(gateway, amount, capture_method="manual", **kw)
    return gateway.confirm_payment_intent(
        intent["id"], payment_method="pm_card_visa", idempotency_key=key()
    )


def help_of(screen: FormScreen, name: str) -> str:
    return str(screen.query_one(f"#help-{name}", Static).content)


def submit_label(screen: FormScreen) -> str:
    return str(screen.query_one("#form-submit", Button).label)


async def press_and_settle(pilot: Pilot[Any], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


# Creating for capture ---------------------------------------------------------------------------


async def test_create_with_manual_capture_then_confirm_holds(
    make_app: AppFactory, gateway: Gateway
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_payments(pilot)
        await press_and_settle(pilot, "n")
        assert form(app).raw_value(form(app).field_named("capture_method")) == "automatic"  # type: ignore[arg-type]
        await fill(pilot, amount="30", capture_method="manual")
        await submit(pilot)
        created = gateway.list_payment_intents(10).items[0]
        assert created["capture_method"] == "manual"
        assert "p captures it" in notes(app)
        await press_and_settle(pilot, "c")
        assert submit_label(form(app)) == "Authorize 30.00 USD"
        await submit(pilot)
        await settle(pilot)
        held = gateway.retrieve_payment_intent(created["id"])
        assert (held["status"], held["amount_capturable"]) == ("requires_capture", 3000)
        shown = detail_text(screen)
        assert "requires_capture" in shown and "capturable" in shown


async def test_automatic_capture_sends_no_capture_method(
    make_app: AppFactory, gateway: Gateway
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_payments(pilot)
        await press_and_settle(pilot, "n")
        await fill(pilot, amount="3")
        await submit(pilot)
        created = gateway.list_payment_intents(10).items[0]
        assert created["capture_method"] != "manual"


# Capture ----------------------------------------------------------------------------------------


async def test_capture_part_of_a_hold_after_refusing_more_than_capturable(
    make_app: AppFactory, gateway: Gateway
) -> None:
    hold = seed_hold(gateway, 1250)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_payments(pilot)
        await press_and_settle(pilot, "p")
        assert form(app).spec.title == "Capture a payment intent"
        assert "Capturable: 12.50 USD" in help_of(form(app), "amount_to_capture")
        assert submit_label(form(app)) == "Capture 12.50 USD"
        await fill(pilot, amount_to_capture="12.51")
        await press_and_settle(pilot, "ctrl+s")
        assert isinstance(app.screen, FormScreen)
        assert "At most 12.50 USD" in field_message(form(app), "amount_to_capture")
        assert gateway.retrieve_payment_intent(hold["id"])["status"] == "requires_capture"
        await fill(pilot, amount_to_capture="5")
        assert submit_label(form(app)) == "Capture 5.00 USD"
        await submit(pilot)
        await settle(pilot)
        assert isinstance(app.screen, PaymentsScreen)
        captured = gateway.retrieve_payment_intent(hold["id"])
        assert (captured["status"], captured["amount_received"]) == ("succeeded", 500)
        assert "Captured 5.00 USD" in notes(app)
        shown = detail_text(screen)
        assert "succeeded" in shown and "5.00 USD" in shown


async def test_capture_more_than_capturable_typed_for_a_typed_intent_is_refused(
    make_app: AppFactory, gateway: Gateway
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_payments(pilot)
        hold = seed_hold(gateway, 1000)  # not in the list: typed into the form
        await press_and_settle(pilot, "p")
        await fill(pilot, payment_intent_id=hold["id"])
        await settle(pilot)
        assert "capturable 10.00 USD" in field_message(form(app), "payment_intent_id")
        await fill(pilot, amount_to_capture="10.01")
        await press_and_settle(pilot, "ctrl+s")
        assert "At most 10.00 USD" in field_message(form(app), "amount_to_capture")
        assert gateway.retrieve_payment_intent(hold["id"])["status"] == "requires_capture"


async def test_capture_of_an_intent_that_holds_nothing_shows_stripes_refusal(
    make_app: AppFactory, gateway: Gateway
) -> None:
    paid = seed_paid(gateway, 1000)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_payments(pilot)
        await press_and_settle(pilot, "p")
        assert "Nothing to capture" in help_of(form(app), "amount_to_capture")
        await submit(pilot)
        assert isinstance(app.screen, FormScreen)
        assert "You cannot capture this PaymentIntent" in form_error(form(app))
        assert gateway.retrieve_payment_intent(paid["id"])["amount_received"] == 1000


# Cancel -----------------------------------------------------------------------------------------


async def test_cancel_a_hold_with_a_reason_releases_it(
    make_app: AppFactory, gateway: Gateway
) -> None:
    hold = seed_hold(gateway, 4200)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_payments(pilot)
        await press_and_settle(pilot, "x")
        assert form(app).spec.title == "Cancel a payment intent"
        assert submit_label(form(app)) == "Release the 42.00 USD hold"
        await fill(pilot, cancellation_reason="duplicate")
        await submit(pilot)
        await settle(pilot)
        assert isinstance(app.screen, PaymentsScreen)
        canceled = gateway.retrieve_payment_intent(hold["id"])
        assert (canceled["status"], canceled["cancellation_reason"]) == ("canceled", "duplicate")
        assert f"Canceled {hold['id']}" in notes(app)
        shown = detail_text(screen)
        assert "canceled" in shown and "duplicate" in shown


async def test_cancel_a_succeeded_intent_is_refused(make_app: AppFactory, gateway: Gateway) -> None:
    paid = seed_paid(gateway, 1000)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_payments(pilot)
        await press_and_settle(pilot, "x")
        await submit(pilot)
        assert isinstance(app.screen, FormScreen)
        assert "You cannot cancel this PaymentIntent" in form_error(form(app))
        assert "succeeded" in form_error(form(app))
        assert gateway.retrieve_payment_intent(paid["id"])["status"] == "succeeded"


# LIVE, read-only, palette -----------------------------------------------------------------------


async def test_live_capture_and_cancel_need_the_amount_typed(
    make_app: AppFactory, gateway: Gateway
) -> None:
    to_cancel = seed_hold(gateway, 700)
    to_capture = seed_hold(gateway, 1250)
    app = make_app(mode=Mode.LIVE)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_payments(pilot)
        assert screen.table.selected is not None
        assert screen.table.selected["id"] == to_capture["id"]
        await press_and_settle(pilot, "p")
        await fill(pilot, amount_to_capture="4")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TypedConfirm)
        assert "Type 4.00 USD to confirm" in app.screen.prompt
        await pilot.press(*"12.50 USD", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TypedConfirm)  # the wrong amount: still asking
        await press_and_settle(pilot, "escape")
        assert gateway.retrieve_payment_intent(to_capture["id"])["status"] == "requires_capture"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press(*"4.00 USD", "enter")
        await settle(pilot)
        assert gateway.retrieve_payment_intent(to_capture["id"])["amount_received"] == 400
        # cancel asks for the intent's amount
        await select_intent(pilot, screen, to_cancel["id"])
        await press_and_settle(pilot, "x")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TypedConfirm)
        assert "Type 7.00 USD to confirm" in app.screen.prompt
        await press_and_settle(pilot, "escape")
        assert gateway.retrieve_payment_intent(to_cancel["id"])["status"] == "requires_capture"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press(*"7.00 USD", "enter")
        await settle(pilot)
        assert gateway.retrieve_payment_intent(to_cancel["id"])["status"] == "canceled"


async def test_live_refuses_an_intent_typed_but_not_loaded(
    make_app: AppFactory, gateway: Gateway
) -> None:
    app = make_app(mode=Mode.LIVE)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_payments(pilot)
        unseen = seed_hold(gateway, 900)
        for pressed in ("p", "x"):
            await press_and_settle(pilot, pressed)
            assert form(app).raw_value(form(app).field_named("payment_intent_id")) == ""  # type: ignore[arg-type]
            # typed, and not yet looked up: no amount to type, so refused before sending
            form(app).control("payment_intent_id").value = unseen["id"]  # type: ignore[attr-defined]
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, FormScreen)
            assert "LIVE mode: select this intent" in field_message(form(app), "payment_intent_id")
            await press_and_settle(pilot, "escape")
            if isinstance(app.screen, FormScreen):
                await press_and_settle(pilot, "escape")
        assert gateway.retrieve_payment_intent(unseen["id"])["status"] == "requires_capture"


async def test_read_only_offers_no_capture_cancel_or_attach(
    make_app: AppFactory, gateway: Gateway
) -> None:
    hold = seed_hold(gateway)
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_payments(pilot)
        footer_keys = {b.binding.key for b in screen.active_bindings.values()}
        assert not {"p", "x", "a"} & footer_keys
        for pressed in ("p", "x", "a"):
            await press_and_settle(pilot, pressed)
            assert isinstance(app.screen, PaymentsScreen)
        assert "Read-only" in notes(app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"payment")
        await settle(pilot)
        titles = palette_titles(app)
        for title in ("Capture a payment", "Cancel a payment", "Attach a payment"):
            assert not any(title in t for t in titles), titles
        await pilot.press("escape")
        assert gateway.retrieve_payment_intent(hold["id"])["status"] == "requires_capture"


async def test_palette_offers_capture_cancel_and_attach(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"payment")
        await settle(pilot)
        titles = palette_titles(app)
        for title in (
            "Capture a payment intent",
            "Cancel a payment intent",
            "Attach a payment method",
        ):
            assert any(title in t for t in titles), titles
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p", *"Capture a payment intent")
        await settle(pilot)
        await press_and_settle(pilot, "enter")
        assert form(app).spec.title == "Capture a payment intent"
        assert app.current_mode == "payments"


# Attach, and saved methods first ----------------------------------------------------------------


async def test_attach_a_test_card_to_the_selected_intents_customer(
    make_app: AppFactory, gateway: Gateway
) -> None:
    jenny = gateway.create_customer({"email": "jenny@example.com"}, key())
    seed_intent(gateway, customer_id=jenny["id"])
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_payments(pilot)
        await press_and_settle(pilot, "a")
        assert form(app).spec.title == "Attach a payment method"
        assert form(app).raw_value(form(app).field_named("customer_id")) == jenny["id"]  # type: ignore[arg-type]
        # a card that declines cannot be saved: Stripe's word, the form kept
        await fill(pilot, payment_method="pm_card_chargeDeclined")
        await submit(pilot)
        assert isinstance(app.screen, FormScreen)
        assert "declined" in form_error(form(app)).lower()
        assert gateway.list_customer_payment_methods(jenny["id"]).items == []
        await fill(pilot, payment_method="pm_card_mastercard")
        await submit(pilot)
        assert isinstance(app.screen, PaymentsScreen)
        saved = gateway.list_customer_payment_methods(jenny["id"]).items
        assert [m["card"]["brand"] for m in saved] == ["mastercard"]
        assert "Payment method attached" in notes(app) and saved[0]["id"] in notes(app)


async def test_attach_refuses_an_unknown_customer(make_app: AppFactory, gateway: Gateway) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_payments(pilot)
        await press_and_settle(pilot, "a")
        await fill(pilot, customer_id="cus_nobody")
        await submit(pilot)
        assert isinstance(app.screen, FormScreen)
        assert "cus_nobody" in field_message(form(app), "customer_id") + form_error(form(app))


async def test_confirm_offers_the_customers_saved_methods_first(
    make_app: AppFactory, gateway: Gateway
) -> None:
    jenny = gateway.create_customer({"email": "jenny@example.com"}, key())
    saved = gateway.attach_payment_method(
        "pm_card_amex", customer_id=jenny["id"], idempotency_key=key()
    )
    intent = seed_intent(gateway, 2500, customer_id=jenny["id"])
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_payments(pilot)
        await press_and_settle(pilot, "c")
        control = form(app).control("payment_method")
        assert isinstance(control, Select)
        options = [value for _, value in control._options]
        assert options[0] == saved["id"]
        assert options[1] == "pm_card_visa"
        assert control.value == saved["id"]
        assert "saved" in help_of(form(app), "payment_method")
        await submit(pilot)
        confirmed = gateway.retrieve_payment_intent(intent["id"])
        assert (confirmed["status"], confirmed["payment_method"]) == ("succeeded", saved["id"])


async def test_confirm_without_a_customer_offers_test_cards_only(
    make_app: AppFactory, gateway: Gateway
) -> None:
    seed_intent(gateway)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_payments(pilot)
        await press_and_settle(pilot, "c")
        control = form(app).control("payment_method")
        assert isinstance(control, Select)
        assert next(value for _, value in control._options) == "pm_card_visa"


# Filters ----------------------------------------------------------------------------------------


def seed_every_status(gateway: Gateway) -> dict[str, str]:
    """One intent in each status Payments filters by, by that status."""
    paid = seed_paid(gateway, 1000)
    refunded = seed_paid(gateway, 2000)
    gateway.create_refund(payment_intent_id=refunded["id"], idempotency_key=key())
    partly = seed_paid(gateway, 3000)
    gateway.create_refund(payment_intent_id=partly["id"], amount=500, idempotency_key=key())
    hold = seed_hold(gateway, 4000)
    canceled = seed_intent(gateway, 5000)
    gateway.cancel_payment_intent(canceled["id"], idempotency_key=key())
    unpaid = seed_intent(gateway, 600)
    return {
        "succeeded": paid["id"],
        "refunded": refunded["id"],
        "partially refunded": partly["id"],
        "requires_capture": hold["id"],
        "canceled": canceled["id"],
        "requires_payment_method": unpaid["id"],
    }


async def test_filter_by_each_status(make_app: AppFactory, gateway: Gateway) -> None:
    by_status = seed_every_status(gateway)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_payments(pilot)
        assert len(screen.table.items) == 6
        await press_and_settle(pilot, "slash")
        status = screen.query_one("#filter-status", Select)
        for state, intent_id in by_status.items():
            status.value = state
            await settle(pilot)
            assert [i["id"] for i in screen.table.items] == [intent_id], state
            assert state in str(screen.table.border_title)
        await press_and_settle(pilot, "escape")
        if len(screen.table.items) != 6:  # the first escape left the filter bar
            await press_and_settle(pilot, "escape")
        assert len(screen.table.items) == 6
        assert screen.status_filter == ""


async def test_filter_by_date_range(make_app: AppFactory, gateway: Gateway) -> None:
    intent = seed_intent(gateway)
    today = datetime.fromtimestamp(intent["created"], tz=UTC).date()
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_payments(pilot)
        await press_and_settle(pilot, "slash")
        days = screen.query_one("#filter-from", Input), screen.query_one("#filter-to", Input)
        for start, end, expected in (
            (today + timedelta(days=1), None, []),
            (None, today - timedelta(days=1), []),
            (today, today, [intent["id"]]),
        ):
            days[0].value = start.isoformat() if start else ""
            days[1].value = end.isoformat() if end else ""
            days[1].focus()
            await press_and_settle(pilot, "enter")
            assert [i["id"] for i in screen.table.items] == expected, (start, end)
            await press_and_settle(pilot, "slash")
        days[0].value = "31/01/2026"
        days[0].focus()
        await press_and_settle(pilot, "enter")
        assert "YYYY-MM-DD" in str(screen.query_one("#filter-hint", Static).content)


async def test_filter_with_stripe_search_syntax_and_a_status(
    make_app: AppFactory, gateway: Gateway
) -> None:
    small = seed_paid(gateway, 500)
    big = seed_paid(gateway, 5000)
    big_unpaid = seed_intent(gateway, 7000)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_payments(pilot)
        await press_and_settle(pilot, "slash")
        await pilot.press(*"amount>1000", "enter")
        await settle(pilot)
        assert {i["id"] for i in screen.table.items} == {big["id"], big_unpaid["id"]}
        assert "amount>1000" in str(screen.table.border_title)
        await press_and_settle(pilot, "slash")
        screen.query_one("#filter-status", Select).value = "succeeded"
        await settle(pilot)
        assert [i["id"] for i in screen.table.items] == [big["id"]]
        assert small["id"] not in {i["id"] for i in screen.table.items}


def test_search_expands_the_latest_charge_as_stripe_does(gateway: Gateway) -> None:
    """Refunded and partially refunded are told apart by the charge, expanded in the search."""
    paid = seed_paid(gateway, 1000)
    found = gateway.search_payment_intents(
        'status:"succeeded" AND amount>=1000',
        expand_latest_charge=True,
    ).items
    assert [i["id"] for i in found] == [paid["id"]]
    assert found[0]["latest_charge"]["amount_captured"] == 1000


async def test_a_partly_captured_hold_is_not_called_refunded_and_all_it_took_is_refundable(
    make_app: AppFactory, gateway: Gateway
) -> None:
    """Stripe counts the part of a hold left uncaptured in the charge's amount_refunded; no refund
    was made, so the console says released, not refunded, and all that was taken can be refunded
    (found trying the flow in tmux: it said "partially refunded" and "refundable 10.00 USD")."""
    hold = seed_hold(gateway, 4000)
    gateway.capture_payment_intent(hold["id"], amount_to_capture=2500, idempotency_key=key())
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_payments(pilot)
        await settle(pilot)
        assert str(screen.table.get_row_at(0)[1]) == "succeeded"
        shown = " ".join(detail_text(screen).split())
        assert "amount refunded 0.00 USD" in shown
        assert "released 15.00 USD" in shown
        assert "refundable 25.00 USD" in shown
        await press_and_settle(pilot, "f")
        assert submit_label(form(app)) == "Refund 25.00 USD"
        await submit(pilot)
        await settle(pilot)
        assert isinstance(app.screen, PaymentsScreen)
        assert str(screen.table.get_row_at(0)[1]) == "refunded"
    charge = gateway.retrieve_charge(gateway.retrieve_payment_intent(hold["id"])["latest_charge"])
    assert (charge["amount_refunded"], charge["refunded"]) == (4000, True)


async def test_a_canceled_hold_says_released_not_refunded(
    make_app: AppFactory, gateway: Gateway
) -> None:
    hold = seed_hold(gateway, 999)
    gateway.cancel_payment_intent(hold["id"], idempotency_key=key())
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_payments(pilot)
        await settle(pilot)
        shown = " ".join(detail_text(screen).split())
        assert "amount refunded 0.00 USD" in shown
        assert "released 9.99 USD" in shown
