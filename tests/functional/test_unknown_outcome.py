"""An unknown outcome is resolved before anything else is sent (Pilot, sandbox fault switch).

For each write that creates an object or moves money, a failure that may have been committed
(`after` + 500, a dropped connection with or without `after`, a plain 500) is followed by what an
operator does next: change a field and resubmit, or escape and reopen the form. Exactly one
object (or refund, or successful charge) exists afterwards, and the operator was told.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import stripe
from textual.pilot import Pilot
from textual.widgets import Static

from screens.payments import PaymentsScreen
from tests.functional.conftest import TEST_KEY
from tests.functional.helpers import (
    add_fault,
    clear_faults,
    field_message,
    fill,
    form,
    keys_delivered,
    notes,
    settle,
)
from tui.app import StripeApp
from tui.gateway import Gateway, Obj, new_idempotency_key
from widgets.form import FormScreen

AppFactory = Callable[..., StripeApp]

FAULTS: dict[str, dict[str, Any]] = {
    "after-500": {"status": 500, "after": True},
    "drop": {"drop": True},
    "after-drop": {"drop": True, "after": True},
    "500": {"status": 500},
}


def paid_intent(gateway: Gateway, amount: int = 1000) -> Obj:
    intent = gateway.create_payment_intent(
        amount=amount, currency="usd", idempotency_key=new_idempotency_key()
    )
    return gateway.confirm_payment_intent(
        intent["id"], payment_method="pm_card_visa", idempotency_key=new_idempotency_key()
    )


@dataclass(frozen=True)
class Case:
    """One write: how to seed it, open its form, fill it, fault it, and count its results."""

    name: str
    screen_key: str
    open_key: str
    path: Callable[[Obj], str]
    typed: dict[str, str]
    changed: dict[str, str]
    results: Callable[[Gateway, stripe.StripeClient, Obj], list[Obj]]
    seed: Callable[[Gateway], Obj] = lambda gateway: {}


def _intents_made_here(gateway: Gateway, client: stripe.StripeClient, seeded: Obj) -> list[Obj]:
    return gateway.list_payment_intents(100).items


def _charges(gateway: Gateway, client: stripe.StripeClient, seeded: Obj) -> list[Obj]:
    listing = client.v1.charges.list(params={"payment_intent": seeded["id"]})
    return [c.to_dict() for c in listing.data if c["status"] == "succeeded"]


CASES = (
    Case(
        "customer",
        "1",
        "n",
        lambda seeded: "/v1/customers",
        {"email": "once@example.com", "name": "Once"},
        {"name": "Changed after the failure"},
        lambda gateway, client, seeded: gateway.list_customers(100).items,
    ),
    Case(
        "intent",
        "3",
        "n",
        lambda seeded: "/v1/payment_intents",
        {"amount": "12.50", "description": "Order 1"},
        {"description": "Order 2"},
        _intents_made_here,
    ),
    Case(
        "confirm",
        "3",
        "c",
        lambda seeded: f"/v1/payment_intents/{seeded['id']}/confirm",
        {"payment_method": "pm_card_visa"},
        {"payment_method": "pm_card_mastercard"},
        _charges,
        seed=lambda gateway: gateway.create_payment_intent(
            amount=700, currency="usd", idempotency_key=new_idempotency_key()
        ),
    ),
    Case(
        "refund",
        "3",
        "f",
        lambda seeded: "/v1/refunds",
        {"amount": "3.00"},
        {"amount": "4.00"},
        lambda gateway, client, seeded: (
            gateway.list_refunds(100, payment_intent=seeded["id"]).items
        ),
        seed=paid_intent,
    ),
)


def form_error(screen: FormScreen) -> str:
    return str(screen.query_one("#form-error", Static).content)


async def open_form(pilot: Pilot[Any], case: Case) -> FormScreen:
    await pilot.press(case.open_key)
    await settle(pilot)
    return form(pilot.app)


async def fail_twice(
    pilot: Pilot[Any], case: Case, sandbox: Any, seeded: Obj, fault: dict[str, Any]
) -> FormScreen:
    """Open the form, fill it, and submit into a fault that also fails the automatic check."""
    await pilot.press(case.screen_key)
    await settle(pilot)
    if isinstance(pilot.app.screen, PaymentsScreen) and seeded:
        pilot.app.screen.show_payment_intent(seeded["id"])
        await settle(pilot)
    screen = await open_form(pilot, case)
    await fill(pilot, **case.typed)
    add_fault(sandbox, TEST_KEY, path=case.path(seeded), method="POST", count=2, **fault)
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert pilot.app.screen is screen, "an unresolved form stays open"
    assert "Still unknown whether it was done" in form_error(screen)
    assert "Still unknown" in notes(pilot.app)
    return screen


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
@pytest.mark.parametrize("then", ["change-and-resubmit", "escape-and-reopen"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_an_unknown_outcome_is_resolved_first(
    case: Case,
    then: str,
    fault: dict[str, Any],
    make_app: AppFactory,
    gateway: Gateway,
    stripe_client: stripe.StripeClient,
    sandbox: Any,
) -> None:
    seeded = case.seed(gateway)
    before = len(case.results(gateway, stripe_client, seeded))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await fail_twice(pilot, case, sandbox, seeded, fault)
        await fill(pilot, **case.changed)
        if then == "escape-and-reopen":
            await pilot.press("escape")
            await settle(pilot)
            assert not isinstance(app.screen, FormScreen)
            assert "Open this form again to check" in notes(app)
            # Reopened, the form checks before anything else (and closes: it was done).
            await pilot.press(case.open_key)
            await settle(pilot)
        else:
            await pilot.press("ctrl+s")
            await settle(pilot)
        assert not isinstance(app.screen, FormScreen), "resolved as done: the form closed"
        made = case.results(gateway, stripe_client, seeded)[: -before or None]
        assert len(made) == 1, made
        done = made[0]["payment_intent"] if case.name == "confirm" else made[0]["id"]
        assert f"It was done: {done}" in notes(app)
        # What was sent is the original submission, not the change typed after the failure.
        if case.name == "customer":
            assert made[0]["name"] == "Once"
        if case.name == "intent":
            assert made[0]["description"] == "Order 1"
        if case.name == "refund":
            assert made[0]["amount"] == 300
        if case.name == "confirm":
            assert made[0]["payment_method_details"]["card"]["brand"] == "visa"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_a_committed_failure_is_checked_at_once(
    case: Case,
    make_app: AppFactory,
    gateway: Gateway,
    stripe_client: stripe.StripeClient,
    sandbox: Any,
) -> None:
    seeded = case.seed(gateway)
    before = len(case.results(gateway, stripe_client, seeded))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press(case.screen_key)
        await settle(pilot)
        if isinstance(app.screen, PaymentsScreen) and seeded:
            app.screen.show_payment_intent(seeded["id"])
            await settle(pilot)
        await open_form(pilot, case)
        await fill(pilot, **case.typed)
        add_fault(sandbox, TEST_KEY, path=case.path(seeded), method="POST", status=500, after=True)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)
        made = case.results(gateway, stripe_client, seeded)[: -before or None]
        assert len(made) == 1
        done = made[0]["payment_intent"] if case.name == "confirm" else made[0]["id"]
        assert f"It was done: {done}" in notes(app)


async def test_reopening_restores_what_was_typed_while_still_unknown(
    make_app: AppFactory, gateway: Gateway, sandbox: Any
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        customer = CASES[0]
        add_fault(sandbox, TEST_KEY, path="/v1/customers", method="POST", status=500, count=1)
        await fail_twice(pilot, customer, sandbox, {}, FAULTS["500"])
        await fill(pilot, name="Typed after the failure")
        await pilot.press("escape")
        await settle(pilot)
        screen = await open_form(pilot, customer)
        assert "Still unknown whether it was done" in form_error(screen)
        assert screen.raw_value(screen.field_named("name")) == "Typed after the failure"  # type: ignore[arg-type]
        assert gateway.list_customers(10).items == []
        await pilot.press("ctrl+s")
        await settle(pilot)
        made = gateway.list_customers(10).items
        assert [c["name"] for c in made] == ["Once"]
        assert f"It was done: {made[0]['id']}" in notes(app)


async def test_a_refused_replay_was_not_done_and_the_next_submission_is_new(
    make_app: AppFactory, gateway: Gateway, sandbox: Any
) -> None:
    intent = paid_intent(gateway)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        refund = CASES[3]
        screen = await fail_twice(pilot, refund, sandbox, intent, FAULTS["500"])
        # Meanwhile someone refunds everything: the replay is refused for good.
        gateway.create_refund(payment_intent_id=intent["id"], idempotency_key=new_idempotency_key())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert "It was not done: " in form_error(screen)
        assert "It was not done" in notes(app)
        assert screen.unresolved is None and screen.idempotency_key is None
        assert len(gateway.list_refunds(10, payment_intent=intent["id"]).items) == 1


async def test_inputs_are_disabled_while_sending(
    make_app: AppFactory, gateway: Gateway, sandbox: Any
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = await open_form(pilot, CASES[0])
        await fill(pilot, email="slow@example.com")
        add_fault(sandbox, TEST_KEY, path="/v1/customers", method="POST", delay_ms=60_000)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.busy
        assert all(screen.control(f).disabled for f in screen.spec.fields)
        await pilot.press(*"xyz")
        await keys_delivered(pilot)
        await clear_faults(sandbox, TEST_KEY)  # the held create goes on
        await settle(pilot)
        created = gateway.list_customers(10).items
        assert [c["email"] for c in created] == ["slow@example.com"]


# The refundable amount shown is the server's ------------------------------------------------------


def help_of(screen: FormScreen, name: str) -> str:
    return str(screen.query_one(f"#help-{name}", Static).content)


async def looked_up(pilot: Pilot[Any]) -> None:
    """Wait out the form's debounce, then its lookup."""
    await settle(pilot)


async def open_refund(pilot: Pilot[Any], intent: Obj) -> FormScreen:
    await pilot.press("3")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PaymentsScreen)
    screen.show_payment_intent(intent["id"])
    await settle(pilot)
    await pilot.press("f")
    await settle(pilot)
    return form(pilot.app)


async def test_the_refund_form_follows_the_intent_field(
    make_app: AppFactory, gateway: Gateway
) -> None:
    first = paid_intent(gateway, 1000)
    second = paid_intent(gateway, 2500)
    gateway.create_refund(
        payment_intent_id=second["id"], amount=500, idempotency_key=new_idempotency_key()
    )
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = await open_refund(pilot, first)
        assert "Refundable: 10.00 USD" in help_of(screen, "amount")
        await fill(pilot, payment_intent_id=second["id"])
        await looked_up(pilot)
        assert "Refundable: 20.00 USD" in help_of(screen, "amount")
        assert "refundable 20.00 USD" in field_message(screen, "payment_intent_id")
        await fill(pilot, amount="21.00")
        assert "At most 20.00 USD" in field_message(screen, "amount")
        await fill(pilot, payment_intent_id="pi_unknown", amount="")
        await looked_up(pilot)
        assert "No such payment_intent: 'pi_unknown'" in field_message(screen, "payment_intent_id")
        assert "Refundable" not in help_of(screen, "amount")


async def test_after_a_failure_the_refund_form_shows_what_is_left_now(
    make_app: AppFactory, gateway: Gateway
) -> None:
    intent = paid_intent(gateway, 1000)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = await open_refund(pilot, intent)
        assert "Refundable: 10.00 USD" in help_of(screen, "amount")
        # Someone else refunds meanwhile: Stripe refuses the form's refund as too large.
        gateway.create_refund(
            payment_intent_id=intent["id"], amount=400, idempotency_key=new_idempotency_key()
        )
        await fill(pilot, amount="8.00")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert "Refundable: 6.00 USD" in help_of(screen, "amount")
        assert "At most 6.00 USD" in field_message(screen, "amount")
        assert len(gateway.list_refunds(10, payment_intent=intent["id"]).items) == 1
