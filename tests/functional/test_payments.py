"""Pilot tests of the Payments screen against the sandbox: create, confirm, refund, live safety."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Button, Select, Static

from screens.payments import OutcomeScreen, PaymentsScreen
from tests.functional.helpers import (
    field_message,
    fill,
    form,
    notes,
    palette_titles,
    settle,
    submit,
)
from tui.app import StripeApp
from tui.gateway import Gateway, Obj
from tui.settings import Mode
from widgets.detail import DetailPane
from widgets.dialogs import TypedConfirm
from widgets.form import FormScreen

AppFactory = Callable[..., StripeApp]
_keys = iter(range(1_000_000))


def key() -> str:
    return f"test-payments-{next(_keys)}"


def seed_intent(gateway: Gateway, amount: int = 1250, currency: str = "usd", **kw: Any) -> Obj:
    return gateway.create_payment_intent(
        amount=amount, currency=currency, idempotency_key=key(), **kw
    )


def seed_paid(gateway: Gateway, amount: int = 1000, currency: str = "usd") -> Obj:
    intent = seed_intent(gateway, amount, currency)
    return gateway.confirm_payment_intent(
        intent["id"], payment_method="pm_card_visa", idempotency_key=key()
    )


async def open_payments(pilot: Pilot[Any]) -> PaymentsScreen:
    await pilot.press("3")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PaymentsScreen)
    return screen


async def select_intent(pilot: Pilot[Any], screen: PaymentsScreen, intent_id: str) -> None:
    ids = [item["id"] for item in screen.table.items]
    screen.table.focus()
    screen.table.move_cursor(row=ids.index(intent_id))
    await settle(pilot)
    assert screen.shown is not None and screen.shown["id"] == intent_id


def detail_text(screen: PaymentsScreen) -> str:
    pane = screen.query_one(DetailPane)
    rows = pane.query_one("#detail-rows", Static)
    grid = rows.content
    console = Console(width=200, file=io.StringIO())
    console.print(grid)
    output = console.file
    assert isinstance(output, io.StringIO)
    return f"{pane.border_title}\n{output.getvalue()}"


def form_error(screen: FormScreen) -> str:
    return str(screen.query_one("#form-error", Static).content)


# Create ----------------------------------------------------------------------------------------


async def test_create_without_customer(make_app: AppFactory, gateway: Gateway) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_payments(pilot)
        await pilot.press("n")
        await pilot.pause()
        # typed with the keyboard: amount in major units, the smallest unit shown live
        await pilot.press(*"12.50")
        await pilot.pause()
        assert "1250" in field_message(form(app), "amount")
        await fill(pilot, description="Order 7")
        await submit(pilot)
        assert isinstance(app.screen, PaymentsScreen)
        intents = gateway.list_payment_intents(10).items
        assert len(intents) == 1
        created = intents[0]
        assert (created["amount"], created["currency"], created["customer"]) == (1250, "usd", None)
        assert created["description"] == "Order 7"
        assert created["automatic_payment_methods"]["allow_redirects"] == "never"
        assert screen.table.items[0]["id"] == created["id"]
        assert created["id"] in notes(app)
        await settle(pilot)
        shown = detail_text(screen)
        assert "12.50 USD" in shown and "requires_payment_method" in shown
        assert created["id"] in shown


async def test_create_with_customer_picked_by_search(
    make_app: AppFactory, gateway: Gateway
) -> None:
    jenny = gateway.create_customer({"email": "jenny@example.com", "name": "Jenny Rosen"}, key())
    gateway.create_customer({"email": "bob@example.com", "name": "Bob"}, key())
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_payments(pilot)
        await pilot.press("n")
        await fill(pilot, amount="20", currency="eur")
        form(app).control("customer_id").focus()
        await pilot.press(*"jenny")
        await settle(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert form(app).raw_value(form(app).field_named("customer_id")) == jenny["id"]  # type: ignore[arg-type]
        await submit(pilot)
        intents = gateway.list_payment_intents(10, customer=jenny["id"]).items
        assert [(i["amount"], i["currency"]) for i in intents] == [(2000, "eur")]


async def test_create_prefills_the_filtered_customer(
    make_app: AppFactory, gateway: Gateway
) -> None:
    ann = gateway.create_customer({"email": "ann@example.com", "name": "Ann"}, key())
    other = gateway.create_customer({"email": "other@example.com"}, key())
    mine = seed_intent(gateway, customer_id=ann["id"])
    seed_intent(gateway, customer_id=other["id"])
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_payments(pilot)
        assert len(screen.table.items) == 2
        await pilot.press("slash")
        await pilot.press(*"ann@example.com", "enter")
        await settle(pilot)
        assert screen.customer_filter == ann["id"]
        assert [i["id"] for i in screen.table.items] == [mine["id"]]
        await pilot.press("n")
        await pilot.pause()
        assert form(app).raw_value(form(app).field_named("customer_id")) == ann["id"]  # type: ignore[arg-type]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert screen.customer_filter is None
        assert len(screen.table.items) == 2


async def test_filter_by_typed_id_and_by_picking_among_matches(
    make_app: AppFactory, gateway: Gateway
) -> None:
    a = gateway.create_customer({"email": "a.smith@example.com", "name": "Al Smith"}, key())
    b = gateway.create_customer({"email": "b.smith@example.com", "name": "Bo Smith"}, key())
    pa = seed_intent(gateway, customer_id=a["id"])
    pb = seed_intent(gateway, customer_id=b["id"])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_payments(pilot)
        await pilot.press("slash", *a["id"], "enter")
        await settle(pilot)
        assert [i["id"] for i in screen.table.items] == [pa["id"]]
        await pilot.press("escape", "slash", *"smith", "enter")
        await settle(pilot)
        # two customers match: a list to pick from, the first one highlighted
        await pilot.press("down", "enter")
        await settle(pilot)
        assert screen.customer_filter in (a["id"], b["id"])
        expected = pa if screen.customer_filter == a["id"] else pb
        assert [i["id"] for i in screen.table.items] == [expected["id"]]


# Confirm ---------------------------------------------------------------------------------------


async def confirm_with(pilot: Pilot[Any], screen: PaymentsScreen, method: str) -> None:
    await pilot.press("c")
    await pilot.pause()
    assert form(pilot.app).raw_value(form(pilot.app).field_named("payment_intent_id")) == (  # type: ignore[arg-type]
        screen.table.selected or {}
    ).get("id")
    await fill(pilot, payment_method=method)
    await submit(pilot)


async def test_confirm_with_visa_succeeds_and_shows_the_charge(
    make_app: AppFactory, gateway: Gateway
) -> None:
    intent = seed_intent(gateway, 1250)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_payments(pilot)
        await confirm_with(pilot, screen, "pm_card_visa")
        assert isinstance(app.screen, PaymentsScreen)
        server = gateway.retrieve_payment_intent(intent["id"])
        assert server["status"] == "succeeded"
        charge = server["latest_charge"]
        assert charge in notes(app) and "Payment succeeded" in notes(app)
        shown = detail_text(screen)
        assert "succeeded" in shown and charge in shown
        assert "amount received" in shown and "12.50 USD" in shown
        assert screen.table.items[0]["status"] == "succeeded"


async def test_confirm_with_a_typed_payment_method(make_app: AppFactory, gateway: Gateway) -> None:
    intent = seed_intent(gateway)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_payments(pilot)
        await pilot.press("c")
        await fill(
            pilot, payment_method="pm_card_chargeDeclined", other_payment_method="pm_card_amex"
        )
        await submit(pilot)
        assert gateway.retrieve_payment_intent(intent["id"])["status"] == "succeeded"


async def test_an_unknown_typed_payment_method_is_marked_where_it_was_typed(
    make_app: AppFactory, gateway: Gateway
) -> None:
    intent = seed_intent(gateway)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_payments(pilot)
        await pilot.press("c")
        await fill(pilot, other_payment_method="pm_nope")
        await submit(pilot)
        screen = form(app)
        assert "No such PaymentMethod: 'pm_nope'" in field_message(screen, "other_payment_method")
        assert field_message(screen, "payment_method") == ""
        assert app.focused is screen.control("other_payment_method")
        assert gateway.retrieve_payment_intent(intent["id"])["status"] == "requires_payment_method"


async def test_confirm_declined_shows_the_decline(make_app: AppFactory, gateway: Gateway) -> None:
    intent = seed_intent(gateway)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_payments(pilot)
        await confirm_with(pilot, screen, "pm_card_chargeDeclined")
        # the form closed; a result dialog explains the decline
        assert isinstance(app.screen, OutcomeScreen)
        body = str(app.screen.query_one("#outcome-text", Static).content)
        assert "generic_decline" in body and "Your card was declined." in body
        assert "requires_payment_method" in body
        assert "Card declined" in notes(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PaymentsScreen)
        server = gateway.retrieve_payment_intent(intent["id"])
        assert server["status"] == "requires_payment_method"
        assert server["last_payment_error"]["decline_code"] == "generic_decline"
        assert screen.table.items[0]["status"] == "requires_payment_method"
        shown = detail_text(screen)
        assert "generic_decline" in shown and "card_declined" in shown


def submit_label(screen: FormScreen) -> str:
    return str(screen.query_one("#form-submit", Button).label)


async def test_confirm_says_what_it_charges_and_enter_stops_at_the_button(
    make_app: AppFactory, gateway: Gateway
) -> None:
    intent = seed_intent(gateway, 1250, "eur")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_payments(pilot)
        await pilot.press("c")
        await settle(pilot)
        screen = form(app)
        assert submit_label(screen) == "Charge 12.50 EUR"
        screen.control("other_payment_method").focus()
        await pilot.press(*"pm_card_visa", "enter")
        await settle(pilot)
        assert app.focused is screen.query_one("#form-submit")
        assert gateway.retrieve_payment_intent(intent["id"])["status"] == "requires_payment_method"
        await pilot.press("enter")
        await settle(pilot)
        assert gateway.retrieve_payment_intent(intent["id"])["status"] == "succeeded"


async def test_after_a_decline_the_card_list_keeps_the_card_tried(
    make_app: AppFactory, gateway: Gateway
) -> None:
    seed_intent(gateway)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_payments(pilot)
        await confirm_with(pilot, screen, "pm_card_chargeDeclinedExpiredCard")
        assert isinstance(app.screen, OutcomeScreen)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        cards = form(app).control("payment_method")
        assert isinstance(cards, Select) and cards.value == "pm_card_chargeDeclinedExpiredCard"
        assert app.focused is cards  # to pick another


async def test_confirm_insufficient_funds(make_app: AppFactory, gateway: Gateway) -> None:
    intent = seed_intent(gateway)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_payments(pilot)
        await confirm_with(pilot, screen, "pm_card_chargeDeclinedInsufficientFunds")
        assert isinstance(app.screen, OutcomeScreen)
        body = str(app.screen.query_one("#outcome-text", Static).content)
        assert "insufficient_funds" in body and "insufficient funds" in body
        server = gateway.retrieve_payment_intent(intent["id"])
        assert server["last_payment_error"]["decline_code"] == "insufficient_funds"
        # a declined intent can be confirmed again with a good card
        await pilot.press("escape")
        await settle(pilot)
        await confirm_with(pilot, screen, "pm_card_visa")
        assert gateway.retrieve_payment_intent(intent["id"])["status"] == "succeeded"


async def test_confirm_three_d_secure_requires_action(
    make_app: AppFactory, gateway: Gateway
) -> None:
    intent = seed_intent(gateway)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_payments(pilot)
        await confirm_with(pilot, screen, "pm_card_authenticationRequired")
        assert isinstance(app.screen, OutcomeScreen)
        body = str(app.screen.query_one("#outcome-text", Static).content)
        assert "3-D Secure" in body and "requires_action" in body
        assert "cannot authenticate" in body
        await pilot.press("enter")
        await settle(pilot)
        assert gateway.retrieve_payment_intent(intent["id"])["status"] == "requires_action"
        assert screen.table.items[0]["status"] == "requires_action"
        assert "3-D Secure" in detail_text(screen)


async def test_confirm_error_keeps_the_form(make_app: AppFactory, gateway: Gateway) -> None:
    paid = seed_paid(gateway)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_payments(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert form(app).raw_value(form(app).field_named("payment_intent_id")) == paid["id"]  # type: ignore[arg-type]
        await submit(pilot)
        # confirming a succeeded intent is refused by Stripe: the form stays with the message
        assert isinstance(app.screen, FormScreen)
        assert "status of succeeded" in form_error(form(app))


# Refund ----------------------------------------------------------------------------------------


async def test_full_refund(make_app: AppFactory, gateway: Gateway) -> None:
    paid = seed_paid(gateway, 1000)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_payments(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert "Refundable: 10.00 USD" in str(
            form(app).query_one("#field-amount").query(".field-help").first(Static).content
        )
        assert submit_label(form(app)) == "Refund 10.00 USD"
        await fill(pilot, amount="2")
        assert submit_label(form(app)) == "Refund 2.00 USD"
        await fill(pilot, amount="")
        await fill(pilot, reason="requested_by_customer")
        await submit(pilot)
        refunds = gateway.list_refunds(10, payment_intent=paid["id"]).items
        assert [(r["amount"], r["reason"]) for r in refunds] == [(1000, "requested_by_customer")]
        assert refunds[0]["id"] in notes(app)
        await settle(pilot)
        assert [r["id"] for r in screen.refunds.items] == [refunds[0]["id"]]
        shown = detail_text(screen)
        assert "amount refunded" in shown
        assert shown.count("10.00 USD") >= 3  # amount, received, refunded


async def test_partial_refunds_up_to_the_remainder_then_over_refund_refused(
    make_app: AppFactory, gateway: Gateway
) -> None:
    paid = seed_paid(gateway, 1000)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_payments(pilot)
        await pilot.press("f")
        await settle(pilot)
        await fill(pilot, amount="2.50")
        await submit(pilot)
        await settle(pilot)
        assert [r["amount"] for r in screen.refunds.items] == [250]
        assert "2.50 USD" in detail_text(screen)
        # the second refund offers the remainder and refuses more, before sending
        await pilot.press("f")
        await settle(pilot)
        assert "Refundable: 7.50 USD" in str(
            form(app).query_one("#field-amount").query(".field-help").first(Static).content
        )
        await fill(pilot, amount="7.51")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert "At most 7.50 USD" in field_message(form(app), "amount")
        assert len(gateway.list_refunds(10, payment_intent=paid["id"]).items) == 1
        await fill(pilot, amount="7.50")
        await submit(pilot)
        await settle(pilot)
        amounts = [r["amount"] for r in gateway.list_refunds(10, payment_intent=paid["id"]).items]
        assert amounts == [750, 250]
        assert sorted(r["amount"] for r in screen.refunds.items) == [250, 750]
        charge = gateway.retrieve_charge(paid["latest_charge"])
        assert charge["amount_refunded"] == 1000 and charge["refunded"] is True
        assert "refundable" in detail_text(screen)
        # fully refunded: the form says so and any amount is refused before sending
        await pilot.press("f")
        await settle(pilot)
        await fill(pilot, amount="0.01")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert "At most 0.00 USD" in field_message(form(app), "amount")
        assert len(gateway.list_refunds(10, payment_intent=paid["id"]).items) == 2


def amount_help(screen: FormScreen) -> str:
    return str(screen.query_one("#help-amount", Static).content)


async def test_a_typed_intent_brings_its_own_limit_and_currency(
    make_app: AppFactory, gateway: Gateway
) -> None:
    yen = seed_paid(gateway, 5000, "jpy")
    euros = seed_paid(gateway, 1000, "eur")
    seed_paid(gateway, 1000, "usd")  # the newest: selected when the form opens
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_payments(pilot)
        await pilot.press("f")
        await settle(pilot)
        screen = form(app)
        assert "Refundable: 10.00 USD" in amount_help(screen)
        await pilot.press(*"7.50")
        await pilot.pause()
        assert "= 750 in the smallest unit (1/100 USD)" in field_message(screen, "amount")
        # Typed over the selected intent's id: the limit and the conversion follow the new one.
        screen.control("payment_intent_id").focus()
        await pilot.press(*yen["id"])
        await settle(pilot)
        assert "Refundable: 5,000 JPY" in amount_help(screen)
        assert field_message(screen, "amount") == "JPY has no decimals: type a whole number."
        await fill(pilot, amount="5001")
        assert field_message(screen, "amount") == "At most 5,000 JPY."
        await fill(pilot, amount="2000")
        assert field_message(screen, "amount") == "= 2000 JPY (no minor unit)"
        assert submit_label(screen) == "Refund 2,000 JPY"
        # An unknown intent leaves no stale limit behind.
        await fill(pilot, payment_intent_id="pi_nope")
        await settle(pilot)
        assert "No such payment_intent" in field_message(screen, "payment_intent_id")
        assert "Refundable" not in amount_help(screen)
        assert submit_label(screen) == "Refund"
        await fill(pilot, payment_intent_id=euros["id"])
        await settle(pilot)
        assert "Refundable: 10.00 EUR" in amount_help(screen)
        await fill(pilot, amount="2.50")
        assert "(1/100 EUR)" in field_message(screen, "amount")
        await fill(pilot, payment_intent_id=yen["id"], amount="2000")
        await settle(pilot)
        await submit(pilot)
        assert not isinstance(app.screen, FormScreen)
        refunds = gateway.list_refunds(10, payment_intent=yen["id"]).items
        assert [(r["amount"], r["currency"]) for r in refunds] == [(2000, "jpy")]
        assert gateway.list_refunds(10, payment_intent=euros["id"]).items == []
        assert "Refunded 2,000 JPY" in notes(app)


async def test_refund_of_an_unconfirmed_intent_shows_stripes_error(
    make_app: AppFactory, gateway: Gateway
) -> None:
    intent = seed_intent(gateway)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_payments(pilot)
        await pilot.press("f")
        await settle(pilot)
        await fill(pilot, reason="duplicate")
        await submit(pilot)
        screen = form(app)
        assert "does not have a successful charge to refund" in form_error(screen)
        assert "does not have a successful charge" in field_message(screen, "payment_intent_id")
        assert screen.raw_value(screen.field_named("reason")) == "duplicate"  # type: ignore[arg-type]
        assert screen.raw_value(screen.field_named("payment_intent_id")) == intent["id"]  # type: ignore[arg-type]
        assert gateway.list_refunds(10, payment_intent=intent["id"]).items == []


# Live mode and read-only -------------------------------------------------------------------------


async def test_live_create_needs_the_amount_typed(make_app: AppFactory, gateway: Gateway) -> None:
    app = make_app(mode=Mode.LIVE)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_payments(pilot)
        await pilot.press("n")
        await fill(pilot, amount="12.50")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TypedConfirm)
        assert "Type 12.50 USD to confirm" in app.screen.prompt
        await pilot.press(*"12.5 USD", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TypedConfirm)  # wrong text: still asking
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert gateway.list_payment_intents(10).items == []
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press(*"12.50 USD", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PaymentsScreen)
        assert [i["amount"] for i in gateway.list_payment_intents(10).items] == [1250]


async def test_live_confirm_and_refund_need_the_amount_typed(
    make_app: AppFactory, gateway: Gateway
) -> None:
    intent = seed_intent(gateway, 1250)
    app = make_app(mode=Mode.LIVE)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_payments(pilot)
        await pilot.press("c")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TypedConfirm)
        assert "12.50 USD" in app.screen.prompt
        await pilot.press("escape")
        await settle(pilot)
        assert gateway.retrieve_payment_intent(intent["id"])["status"] == "requires_payment_method"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press(*"12.50 USD", "enter")
        await settle(pilot)
        assert gateway.retrieve_payment_intent(intent["id"])["status"] == "succeeded"
        # a partial refund asks for its own amount
        await pilot.press("f")
        await settle(pilot)
        await fill(pilot, amount="5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TypedConfirm)
        assert "Type 5.00 USD to confirm" in app.screen.prompt
        await pilot.press(*"12.50 USD", "enter")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert gateway.list_refunds(10, payment_intent=intent["id"]).items == []
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press(*"5.00 USD", "enter")
        await settle(pilot)
        refunds = gateway.list_refunds(10, payment_intent=intent["id"]).items
        assert [r["amount"] for r in refunds] == [500]


async def test_live_refuses_an_intent_whose_amount_is_not_loaded(
    make_app: AppFactory, gateway: Gateway
) -> None:
    seed_paid(gateway, 1000)
    app = make_app(mode=Mode.LIVE)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_payments(pilot)
        unseen = seed_intent(gateway, 9900)  # created after the list loaded
        unseen_paid = seed_paid(gateway, 4200)
        for key, intent_id in (("c", unseen["id"]), ("f", unseen_paid["id"])):
            await pilot.press(key)
            await settle(pilot)
            await fill(pilot, payment_intent_id=intent_id)
            await pilot.press("ctrl+s")
            await settle(pilot)
            # No typed id stands in for the amount: the form refuses before anything is sent.
            assert isinstance(app.screen, FormScreen)
            assert "LIVE mode: select this intent" in field_message(form(app), "payment_intent_id")
            await pilot.press("escape")
            await settle(pilot)
        assert gateway.retrieve_payment_intent(unseen["id"])["status"] == "requires_payment_method"
        assert gateway.list_refunds(10, payment_intent=unseen_paid["id"]).items == []


async def test_test_mode_asks_nothing(make_app: AppFactory, gateway: Gateway) -> None:
    app = make_app(mode=Mode.TEST)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_payments(pilot)
        await pilot.press("n")
        await fill(pilot, amount="3")
        await submit(pilot)
        assert isinstance(app.screen, PaymentsScreen)
        assert [i["amount"] for i in gateway.list_payment_intents(10).items] == [300]


async def test_read_only_offers_no_payment_actions(make_app: AppFactory, gateway: Gateway) -> None:
    intent = seed_intent(gateway)
    app = make_app(mode=Mode.LIVE, read_only=True)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_payments(pilot)
        assert [i["id"] for i in screen.table.items] == [intent["id"]]
        footer_keys = {b.binding.key for b in screen.active_bindings.values()}
        assert not {"n", "c", "f"} & footer_keys
        assert "slash" in footer_keys
        for pressed in ("n", "c", "f"):
            await pilot.press(pressed)
            await settle(pilot)
            assert isinstance(app.screen, PaymentsScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Stripe")
        await settle(pilot)
        titles = palette_titles(app)
        assert any("List Stripe customers" in t for t in titles), titles
        assert not any("Refund a Stripe payment" in t for t in titles), titles
        await pilot.press("ctrl+a", "backspace", *"payment intent")
        await settle(pilot)
        assert not any("payment intent" in t for t in palette_titles(app))
        await pilot.press("escape")
        assert gateway.retrieve_payment_intent(intent["id"])["status"] == "requires_payment_method"


async def test_palette_offers_the_three_actions(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"payment")
        await settle(pilot)
        titles = palette_titles(app)
        for title in (
            "Create a payment intent",
            "Confirm a payment intent",
            "Refund a Stripe payment",
        ):
            assert any(title in t for t in titles), titles
        # picking one switches to the Payments screen and opens the form
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.press(*"Create a payment intent")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert app.screen.spec.title == "Create a payment intent"
        assert app.current_mode == "payments"


# Opening an intent from elsewhere ----------------------------------------------------------------


async def test_open_payment_intent_from_a_customer(make_app: AppFactory, gateway: Gateway) -> None:
    customer = gateway.create_customer({"email": "zoe@example.com"}, key())
    target = seed_intent(gateway, 4200, customer_id=customer["id"], description="the one")
    for _ in range(3):
        seed_intent(gateway)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await app.open_payment_intent(target["id"])
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PaymentsScreen)
        assert screen.shown is not None and screen.shown["id"] == target["id"]
        assert screen.table.selected is not None and screen.table.selected["id"] == target["id"]
        shown = detail_text(screen)
        assert "42.00 USD" in shown and "the one" in shown and customer["id"] in shown


async def test_enter_on_a_customers_intent_opens_it(make_app: AppFactory, gateway: Gateway) -> None:
    customer = gateway.create_customer({"email": "yan@example.com"}, key())
    target = seed_intent(gateway, 999, customer_id=customer["id"])
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        customers = app.screen
        customers.query_one("#customer-intents").focus()
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PaymentsScreen)
        assert screen.shown is not None and screen.shown["id"] == target["id"]


def screen_text(app: Any) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_the_list_shows_id_and_description_at_120_and_id_at_80(
    make_app: AppFactory, gateway: Gateway
) -> None:
    made = seed_intent(gateway, description="Blue mug for the office")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_payments(pilot)
        assert screen.table.max_scroll_x == 0
        lines = [line for line in screen_text(app).splitlines() if made["id"] in line]
        # the row in the list, and the id in the detail: neither cut nor wrapped
        assert len(lines) == 2 and "Blue mug for the office" in lines[0], lines
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert screen.table.max_scroll_x == 0
        assert sum(made["id"] in line for line in screen_text(app).splitlines()) == 2


async def test_the_list_says_refunded_and_partially_refunded(
    make_app: AppFactory, gateway: Gateway
) -> None:
    paid = seed_paid(gateway, amount=1000)
    gateway.create_refund(payment_intent_id=paid["id"], amount=300, idempotency_key=key())
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_payments(pilot)
        row = next(line for line in screen_text(app).splitlines() if paid["id"] in line)
        assert "partially refunded" in row, row
        gateway.create_refund(payment_intent_id=paid["id"], idempotency_key=key())
        await pilot.press("r")
        await settle(pilot)
        row = next(line for line in screen_text(app).splitlines() if paid["id"] in line)
        assert "refunded" in row and "partially" not in row, row
