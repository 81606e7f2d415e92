"""Pilot tests of the Customers screen against the sandbox: create, list, filter, retrieve."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

from rich.console import Console
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Static

from screens.customers import SEARCH_LAG_HINT, CustomersScreen
from tests.functional.conftest import TEST_KEY
from tests.functional.helpers import add_fault, form, notes, palette_titles, settle
from tui.app import StripeApp
from tui.gateway import Gateway, Obj
from widgets.detail import DetailPane
from widgets.inspector import JsonInspector
from widgets.resource_table import ResourceTable

AppFactory = Callable[..., StripeApp]
_keys = iter(range(1_000_000))


def key() -> str:
    return f"test-customers-{next(_keys)}"


def seed(gateway: Gateway, email: str, **fields: str) -> Obj:
    return gateway.create_customer({"email": email, **fields}, key())


def customers(app: StripeApp) -> CustomersScreen:
    screen = app.screen
    assert isinstance(screen, CustomersScreen), screen
    return screen


def value_of(app: StripeApp, name: str) -> str:
    control = form(app).control(name)
    assert isinstance(control, Input)
    return control.value


async def type_into(pilot: Pilot[Any], name: str, text: str) -> None:
    """Focus a form field and type into it, key by key."""
    form(pilot.app).control(name).focus()  # type: ignore[arg-type]
    await pilot.pause()
    await pilot.press(*text)
    await pilot.pause()


def error_notes(app: StripeApp) -> str:
    return "\n".join(f"{n.title}: {n.message}" for n in app._notifications if n.severity == "error")


def detail_text(screen: CustomersScreen) -> str:
    pane = screen.query_one("#customer-detail", DetailPane)
    grid = pane.query_one("#detail-rows", Static).content
    console = Console(width=200, file=io.StringIO())
    console.print(grid)
    output = console.file
    assert isinstance(output, io.StringIO)
    return f"{pane.border_title}\n{output.getvalue()}"


def row_ids(screen: CustomersScreen) -> list[str]:
    return [item["id"] for item in screen.table.items]


async def run_palette(pilot: Pilot[Any], title: str, query: str) -> None:
    """Open the palette, type a short query, check the action is offered and run it."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*query)
    await settle(pilot)
    assert any(title in t for t in palette_titles(pilot.app)), palette_titles(pilot.app)  # type: ignore[arg-type]
    await pilot.press("enter")
    await settle(pilot)


# Create ----------------------------------------------------------------------------------------


async def test_create_puts_the_new_customer_on_top(make_app: AppFactory, gateway: Gateway) -> None:
    older = seed(gateway, "old@example.com", name="Old")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = customers(app)
        assert row_ids(screen) == [older["id"]]
        await pilot.press("n")
        await pilot.pause()
        assert form(app).spec.title == "Create a Stripe customer"
        await type_into(pilot, "email", "jenny@example.com")
        await type_into(pilot, "name", "Jenny Rosen")
        await type_into(pilot, "description", "VIP")
        await type_into(pilot, "phone", "+15555550123")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        new_id = row_ids(screen)[0]
        assert row_ids(screen) == [new_id, older["id"]]
        assert screen.table.cursor_row == 0
        assert screen.table.selected is not None and screen.table.selected["id"] == new_id
        assert new_id in notes(app)
        on_server = gateway.retrieve_customer(new_id)
        assert on_server["email"] == "jenny@example.com"
        assert on_server["name"] == "Jenny Rosen"
        assert on_server["description"] == "VIP"
        assert on_server["phone"] == "+15555550123"
        shown = detail_text(screen)
        assert new_id in shown and "jenny@example.com" in shown and "VIP" in shown


async def test_invalid_email_is_refused_before_sending(
    make_app: AppFactory, gateway: Gateway
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        await type_into(pilot, "email", "jenny@example")
        await type_into(pilot, "name", "Jenny")
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = form(app)
        message = str(screen.query_one("#message-email", Static).content)
        assert "email address" in message
        assert value_of(app, "email") == "jenny@example"
        assert value_of(app, "name") == "Jenny"
        assert gateway.list_customers(10).items == []


async def test_server_error_keeps_the_form_then_resubmit_creates_one(
    make_app: AppFactory, gateway: Gateway, sandbox: Any
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        # Two: the submission and the check the form makes at once (the outcome is unknown).
        add_fault(sandbox, TEST_KEY, path="/v1/customers", method="POST", status=500, count=2)
        await pilot.press("n")
        await pilot.pause()
        typed = {
            "email": "kept@example.com",
            "name": "Kept Values",
            "description": "after a 500",
            "phone": "+15555550100",
        }
        for name, text in typed.items():
            await type_into(pilot, name, text)
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = form(app)
        error = str(screen.query_one("#form-error", Static).content)
        assert "req_" in error, error
        for name, text in typed.items():
            assert value_of(app, name) == text
        assert gateway.list_customers(10).items == []
        await pilot.press("ctrl+s")
        await settle(pilot)
        listed = customers(app)
        on_server = gateway.list_customers(10).items
        assert len(on_server) == 1
        assert on_server[0]["email"] == "kept@example.com"
        assert row_ids(listed) == [on_server[0]["id"]]


# List and page ---------------------------------------------------------------------------------


async def test_list_with_a_limit(make_app: AppFactory, gateway: Gateway) -> None:
    seeded = [seed(gateway, f"c{i}@example.com") for i in range(5)]
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = customers(app)
        assert len(row_ids(screen)) == 5
        await run_palette(pilot, "List Stripe customers", "list cust")
        assert form(app).spec.title == "List Stripe customers"
        limit = form(app).control("limit")
        assert isinstance(limit, Input)
        limit.value = ""
        await type_into(pilot, "limit", "3")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        newest = [c["id"] for c in reversed(seeded)][:3]
        assert row_ids(screen) == newest
        assert "3" in str(screen.table.border_title)


async def test_paging_loads_past_the_first_hundred(make_app: AppFactory, gateway: Gateway) -> None:
    for i in range(130):
        seed(gateway, f"p{i:03}@example.com")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = customers(app)
        first = len(row_ids(screen))
        assert first < 130
        for _ in range(4):
            await pilot.press("G", "j")
            await settle(pilot)
        ids = row_ids(screen)
        assert len(ids) > 100
        assert len(set(ids)) == len(ids)
        await pilot.press("G")
        await settle(pilot)
        assert len(row_ids(screen)) == 130
        assert not screen.table.has_more
        assert screen.table.items[-1]["email"] == "p000@example.com"


# Filters ---------------------------------------------------------------------------------------


async def test_each_kind_of_filter(make_app: AppFactory, gateway: Gateway) -> None:
    ann = seed(gateway, "ann@example.com", name="Ann Lee")
    bob = seed(gateway, "bob@example.org", name="Bob Stone")
    cat = seed(gateway, "cat@example.net", name="Cat Leeds")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = customers(app)
        assert row_ids(screen) == [cat["id"], bob["id"], ann["id"]]
        hint = screen.query_one("#filter-hint", Static)

        # an exact email: the list's email filter
        await pilot.press("slash", *"bob@example.org")
        await pilot.pause()
        assert "email filter" in str(hint.content)
        await pilot.press("enter")
        await settle(pilot)
        assert row_ids(screen) == [bob["id"]]
        assert "bob@example.org" in str(screen.table.border_title)

        # a cus_ id: retrieved
        await pilot.press("slash")
        filter_input = screen.query_one("#filter", Input)
        filter_input.value = ""
        await pilot.press(*ann["id"])
        await pilot.pause()
        assert "retrieved" in str(hint.content)
        await pilot.press("enter")
        await settle(pilot)
        assert row_ids(screen) == [ann["id"]]

        # free text: Stripe's search over names and emails, with the lag hint
        await pilot.press("slash")
        filter_input.value = ""
        await pilot.press(*"lee")
        await pilot.pause()
        assert str(hint.content) == SEARCH_LAG_HINT
        await pilot.press("enter")
        await settle(pilot)
        assert sorted(row_ids(screen)) == sorted([ann["id"], cat["id"]])
        assert screen.query_one("#filter-bar").display

        # escape clears
        await pilot.press("escape")
        await settle(pilot)
        assert row_ids(screen) == [cat["id"], bob["id"], ann["id"]]
        assert filter_input.value == ""
        assert not screen.query_one("#filter-bar").display
        assert screen.table.has_focus


async def test_filter_that_matches_nothing_says_so(make_app: AppFactory, gateway: Gateway) -> None:
    seed(gateway, "ann@example.com")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = customers(app)
        await pilot.press("slash", *"nobody@example.com", "enter")
        await settle(pilot)
        assert row_ids(screen) == []
        assert "nobody@example.com" in str(screen.table.border_subtitle)


async def test_search_with_no_match_leaves_no_customer_in_the_detail(
    make_app: AppFactory, gateway: Gateway
) -> None:
    ann = seed(gateway, "ann@example.com", name="Ann Lee")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = customers(app)
        assert ann["id"] in detail_text(screen)
        await pilot.press("slash", *"zebra", "enter")
        await settle(pilot)
        assert row_ids(screen) == []
        assert ann["id"] not in detail_text(screen)
        assert "Select a customer." in str(
            screen.query_one("#customer-detail #detail-message", Static).content
        )
        assert screen.query_one("#customer-intents", ResourceTable).items == []


async def test_filter_by_a_missing_id_says_there_is_no_such_customer(
    make_app: AppFactory, gateway: Gateway
) -> None:
    seed(gateway, "ann@example.com")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = customers(app)
        await pilot.press("slash", *"cus_nope", "enter")
        await settle(pilot)
        assert row_ids(screen) == []
        assert "No customer cus_nope" in str(screen.table.border_subtitle)
        assert error_notes(app) == ""


async def test_filter_title_shows_the_query_as_typed(
    make_app: AppFactory, gateway: Gateway
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = customers(app)
        await pilot.press("slash")
        screen.query_one("#filter", Input).value = "o'neil\\x"
        await pilot.press("enter")
        await settle(pilot)
        assert str(screen.table.border_title) == 'Customers matching "o\'neil\\x"'


async def test_fix_the_marked_fields_goes_once_they_are_fixed(
    make_app: AppFactory, gateway: Gateway
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        status = form(app).query_one("#form-status", Static)
        assert str(status.content) == "Fix the marked fields."
        await type_into(pilot, "email", "jenny@example.com")
        assert str(status.content) == ""


async def test_text_too_short_to_search_is_not_sent(make_app: AppFactory, gateway: Gateway) -> None:
    ann = seed(gateway, "ann@example.com", name="Al Ann")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = customers(app)
        await pilot.press("slash", *"Al", "enter")
        await settle(pilot)
        hint = str(screen.query_one("#filter-hint", Static).render())
        assert "at least 3 characters" in hint
        assert row_ids(screen) == [ann["id"]]  # the list as it was, no error
        assert "Could not load" not in notes(app)


# Retrieve --------------------------------------------------------------------------------------


async def test_retrieve_shows_a_customer_not_in_the_list(
    make_app: AppFactory, gateway: Gateway
) -> None:
    hidden = seed(gateway, "hidden@example.com", name="Hidden One", description="not loaded")
    seed(gateway, "shown@example.com", name="Shown")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = customers(app)
        await pilot.press("slash", *"shown@example.com", "enter")
        await settle(pilot)
        assert hidden["id"] not in row_ids(screen)
        await run_palette(pilot, "Retrieve a Stripe customer", "retr cust")
        field = form(app).control("customer_id")
        assert isinstance(field, Input)
        field.value = ""
        await type_into(pilot, "customer_id", hidden["id"])
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        shown = detail_text(screen)
        assert hidden["id"] in shown
        assert "hidden@example.com" in shown and "not loaded" in shown
        assert hidden["id"] in notes(app)


async def test_retrieve_a_missing_customer(make_app: AppFactory, gateway: Gateway) -> None:
    seed(gateway, "someone@example.com")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await run_palette(pilot, "Retrieve a Stripe customer", "retr cust")
        field = form(app).control("customer_id")
        assert isinstance(field, Input)
        field.value = ""
        await type_into(pilot, "customer_id", "cus_doesnotexist")
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = form(app)
        shown = str(screen.query_one("#form-error", Static).content) + str(
            screen.query_one("#message-customer_id", Static).content
        )
        assert "No such customer: 'cus_doesnotexist'" in shown
        assert value_of(app, "customer_id") == "cus_doesnotexist"


# Copy, inspect ---------------------------------------------------------------------------------


async def test_copy_the_id(make_app: AppFactory, gateway: Gateway) -> None:
    seed(gateway, "first@example.com")
    second = seed(gateway, "second@example.com")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == second["id"]
        assert second["id"] in notes(app)


async def test_inspect_shows_the_json(make_app: AppFactory, gateway: Gateway) -> None:
    jenny = seed(gateway, "jenny@example.com", name="Jenny Rosen")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        inspector = app.screen
        assert isinstance(inspector, JsonInspector)
        assert json.loads(inspector.text)["id"] == jenny["id"]
        body = inspector.query_one("#inspector-json", Static)
        console = Console(width=200, file=io.StringIO())
        console.print(body.content)
        output = console.file
        assert isinstance(output, io.StringIO)
        assert '"email": "jenny@example.com"' in output.getvalue()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CustomersScreen)


# Failures --------------------------------------------------------------------------------------


async def test_failed_list_notifies_and_refresh_recovers(
    make_app: AppFactory, gateway: Gateway, sandbox: Any
) -> None:
    jenny = seed(gateway, "jenny@example.com")
    add_fault(sandbox, TEST_KEY, path="/v1/customers", method="GET", status=500, count=1)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = customers(app)
        assert row_ids(screen) == []
        errors = error_notes(app)
        assert "Could not load customers" in errors and "Request req_" in errors, errors
        # once the notification has gone, the table itself says what failed
        app.clear_notifications()
        await pilot.pause()
        shown = "\n".join(s.text for s in app.screen._compositor.render_strips())
        assert "Could not load customers:" in shown and "Press r to retry." in shown
        # still usable: help opens and closes
        await pilot.press("question_mark")
        await pilot.pause()
        assert not isinstance(app.screen, CustomersScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("r")
        await settle(pilot)
        assert row_ids(screen) == [jenny["id"]]


# Read-only -------------------------------------------------------------------------------------


async def test_read_only_has_no_create(make_app: AppFactory, gateway: Gateway) -> None:
    seed(gateway, "ro@example.com")
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = customers(app)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen
        keys = {b.binding.key for b in screen.active_bindings.values()}
        assert "n" not in keys
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Stripe customer")
        await settle(pilot)
        titles = palette_titles(app)
        assert any("List Stripe customers" in t for t in titles), titles
        assert any("Retrieve a Stripe customer" in t for t in titles), titles
        assert not any("Create a Stripe customer" in t for t in titles), titles
        await pilot.press("escape")
        await pilot.pause()
        assert len(gateway.list_customers(10).items) == 1


async def test_list_fits_80_columns_with_whole_ids(make_app: AppFactory, gateway: Gateway) -> None:
    made = seed(gateway, "carla.mendes-oliveira@example.net", name="Carla", phone="+351912345678")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = customers(app)
        shown = "\n".join(s.text for s in app.screen._compositor.render_strips())
        assert made["id"] in shown
        assert screen.table.max_scroll_x == 0
        # the detail shows the fields the list leaves out
        assert "+351912345678" in detail_text(screen)
        await pilot.resize_terminal(120, 36)
        await settle(pilot)
        assert screen.table.max_scroll_x == 0
        assert row_ids(screen) == [made["id"]]


async def test_resize_keeps_the_pages_browsed(make_app: AppFactory, gateway: Gateway) -> None:
    for i in range(130):
        seed(gateway, f"r{i:03}@example.com")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = customers(app)
        await pilot.press("G")
        await settle(pilot)
        await pilot.press("G", "k", "k")
        await settle(pilot)
        assert len(row_ids(screen)) == 130
        selected = screen.table.selected
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        # Other columns for the narrower list, but the same 130 rows and the same selection.
        assert len(row_ids(screen)) == 130
        assert screen.table.selected == selected
        assert screen.table.max_scroll_x == 0


async def test_retrieve_a_loaded_customer_selects_it(
    make_app: AppFactory, gateway: Gateway
) -> None:
    older = seed(gateway, "older@example.com")
    seed(gateway, "newer@example.com")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = customers(app)
        await run_palette(pilot, "Retrieve a Stripe customer", "retr cust")
        field = form(app).control("customer_id")
        assert isinstance(field, Input)
        field.value = older["id"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert older["id"] in detail_text(screen)
        # the list's selection agrees with the detail: y copies the customer shown
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == older["id"]


async def test_ctrl_q_on_a_form_with_typed_changes_asks_once(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")  # nothing typed: no form, nothing to ask
        await pilot.pause()
        assert app.return_code == 0
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"jo@example.com", "ctrl+q")
        await pilot.pause()
        assert app.return_code is None
        status = str(form(app).query_one("#form-status", Static).content)
        assert status == "Discard what you typed? ctrl+q again to discard."
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0


async def test_a_multi_line_paste_into_a_one_line_field_says_what_was_kept(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        app.post_message(events.Paste("jo@example.com\n"))  # a line and its end: all kept
        await pilot.pause()
        assert value_of(app, "email") == "jo@example.com"
        assert "first line" not in notes(app)
        form(app).control("name").focus()
        await pilot.pause()
        app.post_message(events.Paste("Jo Smith\n12 High Street\nLeeds"))
        await pilot.pause()
        assert value_of(app, "name") == "Jo Smith"
        assert "Only the first line of the paste was kept: this field is one line." in notes(app)


async def test_at_120_columns_emails_and_ids_are_whole(
    make_app: AppFactory, gateway: Gateway
) -> None:
    made = seed(gateway, "carla.mendes-oliveira@example.net", name="Carla Mendes-Oliveira")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = customers(app)
        assert screen.table.max_scroll_x == 0
        lines = "\n".join(s.text for s in app.screen._compositor.render_strips()).splitlines()
        # in the list and in the detail (side by side, maybe on one line): each whole twice
        assert sum(line.count("carla.mendes-oliveira@example.net") for line in lines) == 2
        assert sum(line.count(made["id"]) for line in lines) == 2
