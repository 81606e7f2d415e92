"""Text is text, on every screen: hostile strings from the sandbox and from typed input are shown
exactly (as `widgets.literal` escapes them), never parsed, never able to fire an action, and no
control character reaches the terminal raw."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from rich.console import Console
from textual import events
from textual.content import Content
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets._toast import Toast

from screens.catalog import CatalogScreen
from screens.customers import CustomersScreen
from screens.payments import OutcomeScreen, PaymentsScreen
from tests.functional.helpers import form, settle
from tui.app import StripeApp
from tui.gateway import Gateway, Obj
from widgets.detail import DetailPane
from widgets.dialogs import TypedConfirm
from widgets.form import FormScreen
from widgets.inspector import JsonInspector
from widgets.literal import ESCAPES, literal_str
from widgets.resource_table import ResourceTable

AppFactory = Callable[..., StripeApp]

pytestmark = pytest.mark.paints  # a markup tag that crashes a paint must crash these tests
SIZE = (200, 50)  # wide enough that every column of the lists is shown

CONTROLS = "".join(chr(code) for code in range(0x20))
HOSTILE = {
    "close": "[/] closing tag",
    "bold": "[bold]x[/bold] bold",
    "click": "[@click=app.quit]quit[/] click",
    "link": "[link=https://evil.example]link[/link]",
    "ansi": "\x1b[31mred\x1b[0m ansi",
    "osc52": "\x1b]52;c;aGVsbG8=\x07 osc52",
    "controls": f"ctl{CONTROLS}\x7f\x9b",
    "rtl": "\u202eevil\u202c \u200frtl \u2066iso\u2069",
    "emoji": "😀 👩‍👩‍👧 Zoë :smile: emoji",
}
LONG_STORED = "[/]\x1b[31m" * 625  # 5,000 characters: the most Stripe stores in a string
LONG_TYPED = ("[@click=app.quit]x[/]\x1b]52;c;aGk=\x07" * 304)[:10_000]
LONG_NAME = LONG_STORED[:256]  # Stripe's longest customer name
LONG_INTENT = LONG_STORED[:1000]  # Stripe's longest payment intent description
assert len(LONG_STORED) == 5000 and len(LONG_TYPED) == 10_000

_keys = iter(range(1_000_000))


def key() -> str:
    return f"test-hostile-{next(_keys)}"


# What the screen shows ---------------------------------------------------------------------------


def screen_lines(app: StripeApp) -> list[str]:
    """The text of every line of the top screen, as it is written to the terminal."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def click_actions(app: StripeApp) -> set[str]:
    """The actions that a click anywhere on the top screen would run."""
    found = set()
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            meta = segment.style.meta if segment.style is not None else {}
            if "@click" in meta:
                found.add(str(meta["@click"]))
    return found


def assert_safe(app: StripeApp) -> str:
    """Nothing raw on screen, no action from data: returns the screen's text."""
    lines = screen_lines(app)
    text = "\n".join(lines)
    raw = sorted({f"U+{ord(ch):04X}" for line in lines for ch in line if ord(ch) in ESCAPES})
    assert not raw, raw
    assert not {a for a in click_actions(app) if "quit" in a or "evil" in a}
    assert app.is_running and app.return_code is None
    return text


def rich_text(renderable: Any) -> str:
    console = Console(width=30_000, file=io.StringIO(), color_system=None)
    console.print(renderable)
    output = console.file
    assert isinstance(output, io.StringIO)
    return output.getvalue()


def title(widget: Widget) -> str:
    """A border title as drawn (the public getter gives it back as markup, which does not
    round-trip a backslash before a bracket)."""
    content: Content | None = widget._border_title
    return content.plain if content is not None else ""


def toasts(app: StripeApp) -> list[str]:
    """The text of every notification on screen, as drawn."""
    return [toast.render().plain for toast in app.screen.query(Toast)]


def plain(value: Any) -> str:
    return value.plain if hasattr(value, "plain") else str(value)


def cells(table: ResourceTable) -> list[list[str]]:
    return [[plain(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]


def assert_rows_shown(app: StripeApp, table: ResourceTable, values: Iterable[str]) -> None:
    """Each value is a cell of the table, escaped, and its start is on screen."""
    held = cells(table)
    text = assert_safe(app)
    for value in values:
        shown = literal_str(value)
        assert any(shown in row for row in held), (shown, held)
        assert shown[:12] in text, shown[:12]


async def click_every_cell_showing(pilot: Pilot[Any], needle: str) -> int:
    """Click where `needle` is drawn (a link or @click there would fire); returns the clicks."""
    clicks = 0
    for y, line in enumerate(screen_lines(pilot.app)):  # type: ignore[arg-type]
        x = line.find(needle)
        if x >= 0:
            await pilot.click(offset=(x + 1, y))
            await pilot.pause()
            clicks += 1
    return clicks


async def paste(pilot: Pilot[Any], text: str) -> None:
    """Paste into the focused input, as a terminal's bracketed paste delivers it."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type printable characters key by key; paste the rest (keys never insert controls)."""
    for ch in text:
        if ch.isascii() and ch.isprintable():
            await pilot.press(ch)
        else:
            await paste(pilot, ch)


# Seeding -----------------------------------------------------------------------------------------


def seed_customers(gateway: Gateway) -> dict[str, Obj]:
    made = {}
    for name, value in HOSTILE.items():
        made[name] = gateway.create_customer(
            {
                "email": f"{name}@example.com",
                "name": value,
                "description": value,
                "phone": value[:20],
                "metadata": {"note": value},
            },
            key(),
        )
    made["long"] = gateway.create_customer(
        {"email": "long@example.com", "name": LONG_NAME, "description": LONG_STORED}, key()
    )
    return made


# Customers ---------------------------------------------------------------------------------------


async def test_customers_list_detail_and_inspector(make_app: AppFactory, gateway: Gateway) -> None:
    made = seed_customers(gateway)
    gateway.create_payment_intent(
        amount=500,
        currency="usd",
        customer_id=made["click"]["id"],
        description=HOSTILE["click"],
        idempotency_key=key(),
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CustomersScreen)
        table = screen.table
        assert table.row_count == len(made)
        assert_rows_shown(app, table, [*HOSTILE.values(), LONG_NAME])

        # Clicking where `[@click=app.quit]` is drawn runs nothing.
        assert await click_every_cell_showing(pilot, "[@click=app.quit]") >= 1
        await settle(pilot)
        assert_safe(app)

        pane = screen.query_one("#customer-detail", DetailPane)
        for name, value in [*HOSTILE.items(), ("long", LONG_NAME)]:
            row = [item["id"] for item in table.items].index(made[name]["id"])
            table.move_cursor(row=row)
            await settle(pilot)
            assert title(pane) == literal_str(value)
            grid = rich_text(pane.query_one("#detail-rows", Static).content)
            for line in literal_str(value, multiline=True).split("\n"):
                assert line in grid
            if name == "long":
                assert literal_str(LONG_STORED) in grid  # the whole description, escaped
            else:
                assert f"note={literal_str(value, multiline=True)}".split("\n")[0] in grid
            text = assert_safe(app)
            assert literal_str(value)[:20] in text

            await pilot.press("i")
            await pilot.pause()
            inspector = app.screen
            assert isinstance(inspector, JsonInspector)
            assert literal_str(json.dumps(value, ensure_ascii=False)) in inspector.shown_text
            assert json.loads(inspector.text)["name"] == value  # `y` copies the real JSON
            text = assert_safe(app)
            assert literal_str(json.dumps(value, ensure_ascii=False))[:40] in text
            await pilot.press("escape")
            await pilot.pause()

        # The customer's payment intents table (its description is not a column: no crash).
        table.move_cursor(row=[item["id"] for item in table.items].index(made["click"]["id"]))
        await settle(pilot)
        intents = screen.query_one("#customer-intents", ResourceTable)
        assert intents.row_count == 1
        assert_safe(app)


async def test_customer_search_and_typed_id_echoed_in_errors(
    make_app: AppFactory, gateway: Gateway
) -> None:
    seed_customers(gateway)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CustomersScreen)

        # A search that matches: the title echoes the typed text, the rows are literal.
        await pilot.press("slash")
        await type_text(pilot, "=app.quit]quit[/]")
        await pilot.press("enter")
        await settle(pilot)
        assert title(screen.table) == 'Customers matching "=app.quit]quit[/]"'
        assert [item["name"] for item in screen.table.items] == [HOSTILE["click"]]
        assert_rows_shown(app, screen.table, [HOSTILE["click"]])

        # An id Stripe does not know: the empty list says so, echoing the id literally.
        await pilot.press("slash")
        typed = "cus_[/]\x1b[31m[@click=app.quit]x"
        filter_input = screen.query_one("#filter", Input)
        filter_input.value = ""
        await type_text(pilot, typed)
        assert filter_input.value == literal_str(typed)  # the paste arrived escaped
        await pilot.press("enter")
        await settle(pilot)
        assert screen.table.items == [] and screen.table.resource is not None
        message = screen.table.resource.empty_text
        assert literal_str(typed) in message and not message.count("\x1b")
        text = assert_safe(app)
        assert "No customer cus_" in text

        # 10,000 typed characters: searched, shown, nothing hangs.
        await pilot.press("slash")
        filter_input.value = ""
        await paste(pilot, LONG_TYPED)
        assert filter_input.value == literal_str(LONG_TYPED)
        started = time.perf_counter()
        await pilot.press("enter")
        await settle(pilot)
        assert time.perf_counter() - started < 10
        # shown as typed (escaped once), not as a Python repr that doubles every backslash
        assert title(screen.table) == f'Customers matching "{literal_str(LONG_TYPED)}"'
        assert_safe(app)


async def test_forms_show_typed_text_and_stripes_echo_literally(
    make_app: AppFactory, gateway: Gateway
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CustomersScreen)

        # Create: typed markup and pasted controls become the customer's name as shown.
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "jenny@example.com")
        form(app).control("name").focus()
        typed = "[b]Jen[/b] [@click=app.quit]q[/] \x1b[31m😀\u202e"
        await type_text(pilot, typed)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)
        created = screen.table.items[0]
        assert created["name"] == literal_str(typed)  # what was shown is what was sent
        assert title(screen.query_one("#customer-detail", DetailPane)) == literal_str(typed)
        assert any(created["id"] in n.message for n in app._notifications)
        assert_safe(app)

        # Retrieve an id with markup: Stripe's message echoes it in the form's error area.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "Retrieve a Stripe customer")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        control = form(app).control("customer_id")
        assert isinstance(control, Input)
        control.value = ""
        control.focus()
        await type_text(pilot, "cus_[/][link=https://evil.example]x[/link]\x1b]52;c;aGk=\x07")
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = form(app)
        error = plain(dialog.query_one("#form-error", Static).content)
        assert "cus_[/][link=https://evil.example]x[/link]\\x1b]52;c;aGk=\\x07" in error
        text = assert_safe(app)
        assert "[link=https://evil.example]x[/link]" in text.replace("\n", "")
        assert await click_every_cell_showing(pilot, "[link=") >= 1
        assert_safe(app)


# Catalog -----------------------------------------------------------------------------------------


async def test_catalog_products_prices_and_suggestions(
    make_app: AppFactory, gateway: Gateway
) -> None:
    products = {}
    for name, value in HOSTILE.items():
        products[name] = gateway.create_product(
            {"name": value, "description": value, "metadata": {"note": value}}, key()
        )
    products["long"] = gateway.create_product(
        {"name": LONG_STORED, "description": LONG_STORED}, key()
    )
    for product in products.values():
        gateway.create_price(
            product_id=product["id"], unit_amount=500, currency="usd", idempotency_key=key()
        )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CatalogScreen)
        assert_rows_shown(app, screen.products, [*HOSTILE.values(), LONG_STORED])
        assert await click_every_cell_showing(pilot, "[@click=app.quit]") >= 1
        await settle(pilot)

        for name, value in [*HOSTILE.items(), ("long", LONG_STORED)]:
            row = [item["id"] for item in screen.products.items].index(products[name]["id"])
            screen.products.move_cursor(row=row)
            await settle(pilot)
            assert title(screen.detail) == literal_str(f"Product {value}")
            assert title(screen.prices) == literal_str(f"Prices of {value}")
            grid = rich_text(screen.detail.query_one("#detail-rows", Static).content)
            assert literal_str(value, multiline=True).split("\n")[0] in grid
            assert_safe(app)

        # The price form's product suggestions list hostile names literally.
        await pilot.press("p")
        await settle(pilot)
        control = form(app).control("product_id")
        assert isinstance(control, Input)
        control.value = ""
        control.focus()
        await type_text(pilot, "click")
        await settle(pilot)
        options = form(app).query_one("#suggest-product_id", OptionList)
        assert options.option_count == 1
        prompt = plain(options.get_option_at_index(0).prompt)
        assert prompt == literal_str(f"{products['click']['id']}  {HOSTILE['click']}")
        text = assert_safe(app)
        assert literal_str(HOSTILE["click"]) in text
        await click_every_cell_showing(pilot, "[@click=app.quit]")
        assert_safe(app)


# Payments ----------------------------------------------------------------------------------------


async def test_payments_list_detail_filter_and_dialogs(
    make_app: AppFactory, gateway: Gateway
) -> None:
    customers = seed_customers(gateway)
    intents = {}
    for name, value in [*HOSTILE.items(), ("long", LONG_INTENT)]:
        intents[name] = gateway.create_payment_intent(
            amount=700,
            currency="usd",
            customer_id=customers[name]["id"],
            description=value,
            idempotency_key=key(),
        )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PaymentsScreen)
        assert_rows_shown(app, screen.table, [*HOSTILE.values(), LONG_INTENT])
        assert await click_every_cell_showing(pilot, "[@click=app.q") >= 1
        await settle(pilot)

        for name, value in [*HOSTILE.items(), ("long", LONG_INTENT)]:
            row = [item["id"] for item in screen.table.items].index(intents[name]["id"])
            screen.table.move_cursor(row=row)
            await settle(pilot)
            grid = rich_text(screen.detail.query_one("#detail-rows", Static).content)
            assert literal_str(value, multiline=True).split("\n")[0] in grid
            assert_safe(app)

        # `/` with typed text: the hint echoes it, the matches list hostile names, the title
        # names the picked customer; all literally.
        await pilot.press("slash")
        await type_text(pilot, "example.com")
        await pilot.press("enter")
        await settle(pilot)
        hint = plain(screen.query_one("#filter-hint", Static).content)
        assert "customers match" in hint
        matches = screen.query_one("#filter-matches", OptionList)
        prompts = [plain(matches.get_option_at_index(i).prompt) for i in range(10)]
        for name in HOSTILE:
            label = f"{name}@example.com · {HOSTILE[name]}  {customers[name]['id']}"
            assert literal_str(label) in prompts
        assert_safe(app)
        click_row = next(i for i, p in enumerate(prompts) if p.startswith("click@"))
        matches.highlighted = click_row
        await pilot.press("enter")
        await settle(pilot)
        who = literal_str(f"click@example.com · {HOSTILE['click']}")
        assert title(screen.table) == f"Payment intents of {who}"
        assert [item["id"] for item in screen.table.items] == [intents["click"]["id"]]
        assert_safe(app)

        await pilot.press("escape")
        await pilot.press("slash")
        filter_input = screen.query_one("#filter", Input)
        await paste(pilot, LONG_TYPED)
        await pilot.press("enter")
        await settle(pilot)
        assert filter_input.value == literal_str(LONG_TYPED)
        assert_safe(app)

        # The dialogs show what they are given literally.
        await pilot.press("escape")
        app.push_screen(OutcomeScreen("Card declined", f"Stripe said: {HOSTILE['osc52']}"))
        await pilot.pause()
        body = plain(app.screen.query_one("#outcome-text", Static).content)
        assert body == literal_str(f"Stripe said: {HOSTILE['osc52']}")
        assert body in assert_safe(app)
        await pilot.press("escape")
        await pilot.pause()
        prompt = f"LIVE MODE: refund {HOSTILE['click']}. Type 5.00 USD to confirm."
        app.push_screen(TypedConfirm(prompt, "pi_[/]\x1b[2J"))
        await pilot.pause()
        shown = plain(app.screen.query_one("#confirm-prompt", Static).content)
        assert shown == literal_str(prompt)
        assert literal_str(HOSTILE["click"]) in assert_safe(app)
        await click_every_cell_showing(pilot, "[@click=app.quit]")
        assert_safe(app)


@pytest.mark.parametrize("value", [*HOSTILE.values(), LONG_TYPED])
async def test_every_notification_is_literal(make_app: AppFactory, value: str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.notify(value, title=value)
        app.screen.notify(f"Copied {value}", severity="error")
        await pilot.pause()
        messages = [(n.title, n.message, n.markup) for n in app._notifications]
        assert (literal_str(value), literal_str(value, multiline=True), False) in messages
        assert f"{literal_str(value)}\n{literal_str(value, multiline=True)}" in toasts(app)
        assert f"Copied {literal_str(value, multiline=True)}" in toasts(app)
        text = assert_safe(app)
        assert literal_str(value)[:20] in text
