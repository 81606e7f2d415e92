"""Pilot tests of the declarative form and the typed confirmation."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static

import widgets.form
from tests.functional import helpers
from tui.gateway import ErrorKind, GatewayError
from widgets.dialogs import TypedConfirm
from widgets.form import Field, FormScreen, FormSpec

PRICE = FormSpec(
    title="Create a Stripe price",
    fields=(
        Field("product_id", "Product", kind="id", required=True, prefix="prod_"),
        Field("unit_amount", "Unit amount", kind="amount", required=True),
        Field("currency", "Currency", kind="currency", required=True),
        Field(
            "interval",
            "Interval",
            kind="choice",
            choices=(("day", "Day"), ("week", "Week"), ("month", "Month"), ("year", "Year")),
        ),
        Field(
            "interval_count",
            "Interval count",
            kind="integer",
            minimum=1,
            maximum=12,
            params=("recurring[interval_count]",),
        ),
    ),
    submit_label="Create price",
)

CUSTOMER = FormSpec(
    title="Create a Stripe customer",
    fields=(
        Field("email", "Email", kind="email", required=True),
        Field("name", "Name"),
    ),
)


class Recorder:
    """A submit function that records its calls and returns or raises what it is told."""

    def __init__(self, *outcomes: Any) -> None:
        self.calls: list[tuple[dict[str, Any], str]] = []
        self.outcomes = list(outcomes)
        self.gate: threading.Event | None = None

    def __call__(self, values: dict[str, Any], key: str) -> Any:
        self.calls.append((dict(values), key))
        if self.gate is not None:
            self.gate.wait(5)
        outcome = self.outcomes.pop(0) if self.outcomes else {"id": "obj_1"}
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


class FormApp(App[None]):
    def __init__(self, spec: FormSpec, submit: Recorder, **kwargs: Any) -> None:
        super().__init__()
        self.spec = spec
        self.submit = submit
        self.kwargs = kwargs
        self.results: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Static("base")

    def on_mount(self) -> None:
        self.push_screen(FormScreen(self.spec, self.submit, **self.kwargs), self.results.append)


def form(app: App[Any]) -> FormScreen:
    screen = app.screen
    assert isinstance(screen, FormScreen)
    return screen


def message(app: App[Any], name: str) -> str:
    return str(form(app).query_one(f"#message-{name}", Static).render())


def set_value(app: App[Any], name: str, value: str) -> None:
    control = form(app).control(name)
    if isinstance(control, Select):
        control.value = value
    else:
        assert isinstance(control, Input)
        control.value = value


async def settle(app: App[Any], pilot: Any) -> None:
    """Workers done, debounces fired, messages handled (tests/functional/helpers.py)."""
    await helpers.settle(pilot)


async def test_inline_validation_and_nothing_sent_while_invalid() -> None:
    submit = Recorder()
    app = FormApp(PRICE, submit)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", "u", "s")
        await pilot.pause()
        assert message(app, "product_id") == "Must start with prod_"
        assert form(app).query_one("#input-product_id").has_class("-invalid")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert submit.calls == []
        assert message(app, "unit_amount") == "Required."
        assert isinstance(app.screen, FormScreen)
        assert app.focused is form(app).control("product_id")
        set_value(app, "interval_count", "13")
        await pilot.pause()
        assert message(app, "interval_count") == "Type a whole number from 1 to 12."


async def test_a_refused_submit_focuses_the_first_field_wrong_by_itself() -> None:
    submit = Recorder()
    app = FormApp(PRICE, submit, values={"product_id": "prod_9", "unit_amount": "12.50"})
    async with app.run_test(size=(80, 24)) as pilot:
        set_value(app, "currency", "xyz")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert submit.calls == []
        # The amount cannot be read without a currency: the currency is what to fix.
        assert message(app, "unit_amount") == "Choose a valid currency first."
        assert app.focused is form(app).control("currency")
        # An empty required amount is wrong by itself, and comes first.
        set_value(app, "unit_amount", "")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.focused is form(app).control("unit_amount")


async def test_email_validation() -> None:
    submit = Recorder()
    app = FormApp(CUSTOMER, submit)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"not-an-email")
        await pilot.pause()
        assert "email address" in message(app, "email")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert submit.calls == []


async def test_amount_hint_per_currency_and_revalidation() -> None:
    app = FormApp(PRICE, Recorder())
    async with app.run_test(size=(80, 24)) as pilot:
        set_value(app, "unit_amount", "5.50")
        await pilot.pause()
        assert message(app, "unit_amount") == "= 550 in the smallest unit (1/100 USD)"
        set_value(app, "currency", "jpy")
        await pilot.pause()
        assert message(app, "unit_amount") == "JPY has no decimals: type a whole number."
        set_value(app, "unit_amount", "500")
        await pilot.pause()
        assert message(app, "unit_amount") == "= 500 JPY (no minor unit)"
        set_value(app, "currency", "KWD")
        await pilot.pause()
        assert message(app, "unit_amount") == "= 500000 in the smallest unit (1/1000 KWD)"
        set_value(app, "unit_amount", "1.2345")
        await pilot.pause()
        assert message(app, "unit_amount") == "KWD has 3 decimals at most."
        set_value(app, "currency", "xyz")
        await pilot.pause()
        assert "not a currency Stripe supports" in message(app, "currency")


async def test_amount_maximum_shows_the_bound() -> None:
    spec = FormSpec(
        "Refund a Stripe payment",
        (Field("amount", "Amount", kind="amount", currency="usd", maximum=1250),),
    )
    app = FormApp(spec, Recorder())
    async with app.run_test(size=(80, 24)) as pilot:
        set_value(app, "amount", "12.51")
        await pilot.pause()
        assert message(app, "amount") == "At most 12.50 USD."


async def test_values_parsed_and_dismissed_with_result() -> None:
    submit = Recorder({"id": "price_1"})
    app = FormApp(PRICE, submit, values={"product_id": "prod_9"})
    async with app.run_test(size=(80, 24)) as pilot:
        set_value(app, "unit_amount", "12.50")
        set_value(app, "currency", " EUR ")
        set_value(app, "interval", "month")
        set_value(app, "interval_count", "3")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert len(submit.calls) == 1
        values, key = submit.calls[0]
        assert values == {
            "product_id": "prod_9",
            "unit_amount": 1250,
            "currency": "eur",
            "interval": "month",
            "interval_count": 3,
        }
        assert key
        assert app.results == [{"id": "price_1"}]
        assert not isinstance(app.screen, FormScreen)


async def test_optional_fields_empty_values() -> None:
    submit = Recorder()
    app = FormApp(PRICE, submit, values={"product_id": "prod_9", "unit_amount": "1"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        values, _ = submit.calls[0]
        assert values["interval"] == ""
        assert values["interval_count"] is None
        assert values["currency"] == "usd"
        assert values["unit_amount"] == 100


async def test_enter_moves_on_then_submits_on_last() -> None:
    submit = Recorder()
    app = FormApp(CUSTOMER, submit)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"a@b.co", "enter")
        await pilot.pause()
        assert app.focused is form(app).control("name")
        assert submit.calls == []
        await pilot.press("enter")
        await settle(app, pilot)
        assert len(submit.calls) == 1
        assert app.results == [{"id": "obj_1"}]


async def test_a_form_that_moves_money_says_how_much_and_enter_stops_at_the_button() -> None:
    spec = FormSpec(
        "Refund a Stripe payment",
        (
            Field("payment_intent_id", "Payment intent", kind="id", prefix="pi_"),
            Field("amount", "Amount", kind="amount", currency="eur"),
        ),
        submit_label="Refund",
        says=lambda values: (
            f"Refund {values['amount'] / 100:.2f} EUR" if values.get("amount") else ""
        ),
    )
    submit = Recorder()
    app = FormApp(spec, submit)
    async with app.run_test(size=(80, 24)) as pilot:
        button = form(app).query_one("#form-submit", Button)
        assert str(button.label) == "Refund"
        await pilot.press(*"pi_1", "enter", *"2.5")
        await pilot.pause()
        assert str(button.label) == "Refund 2.50 EUR"
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is button and submit.calls == []
        await pilot.press("enter")
        await settle(app, pilot)
        assert submit.calls[0][0] == {"payment_intent_id": "pi_1", "amount": 250}


async def test_escape_cancels() -> None:
    app = FormApp(CUSTOMER, Recorder())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_escape_asks_once_before_discarding_what_was_typed() -> None:
    app = FormApp(CUSTOMER, Recorder())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"a@b", "escape")
        await pilot.pause()
        assert app.results == []
        status = str(form(app).query_one("#form-status", Static).render())
        assert status == "Discard what you typed? escape again to discard."
        await pilot.press("c")  # typed on: asked again
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == []
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_gateway_error_keeps_values_marks_field_and_reuses_key() -> None:
    error = GatewayError(
        ErrorKind.INVALID_REQUEST,
        "Invalid interval_count",
        param="recurring[interval_count]",
        code="parameter_invalid_integer",
        request_id="req_123",
    )
    submit = Recorder(error, error, {"id": "price_2"})
    app = FormApp(PRICE, submit, values={"product_id": "prod_9", "unit_amount": "5"})
    async with app.run_test(size=(80, 24)) as pilot:
        set_value(app, "interval_count", "2")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        screen = form(app)
        assert isinstance(app.screen, FormScreen)
        assert message(app, "interval_count") == "Invalid interval_count"
        assert screen.query_one("#input-interval_count").has_class("-invalid")
        assert app.focused is screen.control("interval_count")
        top = str(screen.query_one("#form-error", Static).render())
        assert "Invalid interval_count" in top and "req_123" in top
        assert screen.raw_value(screen.field_named("product_id")) == "prod_9"  # type: ignore[arg-type]
        assert screen.raw_value(screen.field_named("unit_amount")) == "5"  # type: ignore[arg-type]
        # the same values again: the same idempotency key
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert submit.calls[1][1] == submit.calls[0][1]
        # changed values: a new key
        set_value(app, "interval_count", "3")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert len(submit.calls) == 3
        assert submit.calls[2][1] != submit.calls[0][1]
        assert app.results == [{"id": "price_2"}]


async def test_param_with_index_maps_to_params() -> None:
    spec = FormSpec(
        "Create a Stripe payment link",
        (
            Field("price_id", "Price", kind="id", required=True, params=("line_items[0][price]",)),
            Field("quantity", "Quantity", kind="integer"),
        ),
    )
    error = GatewayError(
        ErrorKind.NOT_FOUND, "No such price: 'price_x'", param="line_items[0][price]"
    )
    app = FormApp(spec, Recorder(error), values={"price_id": "price_x"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert message(app, "price_id") == "No such price: 'price_x'"
        field = form(app).field_for_param("recurring[interval]")
        assert field is None
        assert form(app).field_for_param("quantity") is form(app).field_named("quantity")


async def test_other_exception_shown_in_error_area() -> None:
    app = FormApp(CUSTOMER, Recorder(RuntimeError("boom")), values={"email": "a@b.co"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen)
        assert "boom" in str(form(app).query_one("#form-error", Static).render())


async def test_busy_refuses_second_submit_and_escape() -> None:
    submit = Recorder()
    submit.gate = threading.Event()
    app = FormApp(CUSTOMER, submit, values={"email": "a@b.co"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert form(app).busy
        assert form(app).query_one("#form-submit").disabled
        await pilot.press("ctrl+s")
        await pilot.press("escape")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert "Still sending…" in messages
        assert any("may still land" in m for m in messages)
        assert isinstance(app.screen, FormScreen)
        submit.gate.set()
        await settle(app, pilot)
        assert len(submit.calls) == 1
        assert app.results == [{"id": "obj_1"}]


def shown_text(widget: Widget) -> str:
    """What a widget draws where it can be seen (every container around it holds all of it),
    its lines joined with spaces."""
    for container in widget.ancestors:
        if isinstance(container, Widget) and not isinstance(container, Screen):
            assert container.region.contains_region(widget.region), (container, widget)
    width, height = widget.content_size
    lines = widget.render_lines(Region(0, 0, width, height))
    return " ".join(" ".join(strip.text.split()) for strip in lines).strip()


async def test_every_form_message_wraps_whole_at_80_columns() -> None:
    error = GatewayError(ErrorKind.API, "Something went wrong on Stripe's end.", request_id="req_1")
    spec = FormSpec(
        "List Stripe customers",
        (
            Field(
                "limit",
                "Limit",
                kind="integer",
                minimum=1,
                maximum=100,
                default="10",
                help="How many customers to show, newest first (1 to 100), ten unless told.",
            ),
        ),
        writes=False,
    )
    app = FormApp(spec, Recorder(error))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.pause()
        screen = form(app)
        status = screen.query_one("#form-status", Static)
        assert shown_text(status) == "Resubmit to retry: nothing will be done twice."
        assert "req_1" in shown_text(screen.query_one("#form-error", Static))
        help_text = screen.query_one("#help-limit", Static)
        assert shown_text(help_text) == spec.fields[0].help
        screen.mark(spec.fields[0], "A long message from Stripe about this field, " * 3)
        await pilot.pause()
        screen.query_one("#message-limit").scroll_visible(immediate=True)
        await pilot.pause()
        assert (
            shown_text(screen.query_one("#message-limit", Static))
            == ("A long message from Stripe about this field, " * 3).strip()
        )
        assert screen.query_one("#form-dialog").region.bottom <= 23  # above the footer


async def test_cross_field_check() -> None:
    def check(values: dict[str, Any]) -> dict[str, str]:
        return {"name": "A name is needed for this email."} if not values["name"] else {}

    spec = FormSpec(CUSTOMER.title, CUSTOMER.fields, check=check)
    submit = Recorder()
    app = FormApp(spec, submit, values={"email": "a@b.co"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert submit.calls == []
        assert message(app, "name") == "A name is needed for this email."
        assert app.focused is form(app).control("name")


async def test_live_confirmation_right_and_wrong() -> None:
    submit = Recorder()
    app = FormApp(
        CUSTOMER,
        submit,
        values={"email": "a@b.co"},
        confirm=lambda values: ("LIVE MODE: type YES to confirm", "YES"),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TypedConfirm)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert str(form(app).query_one("#form-status", Static).render()) == "Not sent."
        assert submit.calls == []
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press(*"no", "enter")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, TypedConfirm)
        assert "does not match" in str(confirm.query_one("#confirm-error", Static).render())
        assert submit.calls == []
        confirm.query_one(Input).value = " YES "
        await pilot.press("enter")
        await settle(app, pilot)
        assert len(submit.calls) == 1
        assert app.results == [{"id": "obj_1"}]


async def test_id_suggestions_pick_with_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    # Keys typed within the debounce ask once; a loaded machine may take 0.25 s between keys.
    monkeypatch.setattr(widgets.form, "SUGGEST_DELAY", 1.0)
    seen: list[str] = []

    def suggest(text: str) -> list[tuple[str, str]]:
        seen.append(text)
        return [("cus_1", "alice@example.com"), ("cus_2", "bob@example.com")]

    spec = FormSpec(
        "Retrieve a Stripe customer",
        (Field("customer_id", "Customer", kind="id", prefix="cus_", suggest=suggest),),
    )
    submit = Recorder()
    app = FormApp(spec, submit)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"ali")
        await settle(app, pilot)
        assert seen == ["ali"]
        options = form(app).query_one("#suggest-customer_id")
        assert options.has_class("-shown")
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert form(app).raw_value(spec.fields[0]) == "cus_2"
        assert not options.has_class("-shown")
        control = form(app).control("customer_id")
        assert app.focused is control
        assert isinstance(control, Input)
        # The cursor is after the picked id, nothing selected: the next key does not replace it.
        assert control.selection.is_empty and control.cursor_position == len("cus_2")
        await pilot.press("x")
        assert control.value == "cus_2x"
        await pilot.press("backspace")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert submit.calls[0][0] == {"customer_id": "cus_2"}


async def test_a_name_in_an_id_field_is_a_search_until_submitted() -> None:
    def suggest(text: str) -> list[tuple[str, str]]:
        return [("prod_1", "Gold plan")] if "gold".startswith(text.lower()) else []

    spec = FormSpec(
        "Create a Stripe price",
        (Field("product_id", "Product", kind="id", prefix="prod_", suggest=suggest),),
    )
    submit = Recorder()
    app = FormApp(spec, submit)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"gol")
        await settle(app, pilot)
        assert message(app, "product_id") == "A name: down picks a match, or type a prod_… id."
        assert not form(app).query_one("#field-product_id").has_class("-error")
        assert not form(app).control("product_id").has_class("-invalid")
        await pilot.press(*"dfish")
        await settle(app, pilot)
        assert message(app, "product_id") == "Nothing matches: type another name, or a prod_… id."
        # Submitted without a pick, the name is refused as before.
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert submit.calls == []
        assert message(app, "product_id") == "Must start with prod_"
        assert form(app).control("product_id").has_class("-invalid")


async def test_failing_suggest_is_ignored() -> None:
    def suggest(text: str) -> list[tuple[str, str]]:
        raise RuntimeError("search is down")

    spec = FormSpec(
        "Retrieve a Stripe customer",
        (Field("customer_id", "Customer", kind="id", prefix="cus_", suggest=suggest),),
    )
    app = FormApp(spec, Recorder())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"cus_1")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen)
        assert not form(app).query_one("#suggest-customer_id").has_class("-shown")
        assert not [n for n in app._notifications if n.severity == "error"]
        await pilot.press("down")  # no list: the key falls through harmlessly
        assert app.focused is form(app).control("customer_id")


async def test_focus_starts_after_a_prefilled_id() -> None:
    app = FormApp(PRICE, Recorder(), values={"product_id": "prod_9"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.focused is form(app).control("unit_amount")
        await pilot.press(*"5")
        await pilot.pause()
        assert form(app).raw_value(PRICE.fields[0]) == "prod_9"


async def test_zero_amount_only_where_the_field_allows_it() -> None:
    spec = FormSpec(
        "Create a Stripe price",
        (
            Field("free", "Free", kind="amount", currency="usd", minimum=0),
            Field("paid", "Paid", kind="amount", currency="usd"),
        ),
    )
    submit = Recorder()
    app = FormApp(spec, submit)
    async with app.run_test(size=(80, 24)) as pilot:
        set_value(app, "free", "0.00")
        set_value(app, "paid", "0")
        await pilot.pause()
        assert message(app, "free").startswith("= 0")
        assert message(app, "paid") == "The amount must be greater than zero."
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert submit.calls == []


async def test_no_suggestions_for_an_untouched_prefilled_id() -> None:
    seen: list[str] = []

    def suggest(text: str) -> list[tuple[str, str]]:
        seen.append(text)
        return [("cus_1", "alice@example.com")]

    spec = FormSpec(
        "Retrieve a Stripe customer",
        (Field("customer_id", "Customer", kind="id", prefix="cus_", suggest=suggest),),
    )
    app = FormApp(spec, Recorder(), values={"customer_id": "cus_1"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert seen == []
        assert not form(app).query_one("#suggest-customer_id").has_class("-shown")
