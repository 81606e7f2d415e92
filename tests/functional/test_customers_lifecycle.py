"""Pilot tests of updating and deleting customers against the sandbox, refusals included."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from screens.customers import CustomersScreen
from tests.functional.helpers import field_message, fill, form, notes, palette_titles, settle
from tui.app import StripeApp
from tui.gateway import Gateway, Obj
from tui.settings import Mode
from widgets.dialogs import TypedConfirm
from widgets.form import FormScreen
from widgets.metadata import MetadataEditor, MetadataRow

AppFactory = Callable[..., StripeApp]
_keys = iter(range(1_000_000))


def seed(gateway: Gateway, email: str, **fields: Any) -> Obj:
    return gateway.create_customer({"email": email, **fields}, f"lifecycle-{next(_keys)}")


async def opened(pilot: Pilot[Any]) -> CustomersScreen:
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CustomersScreen), screen
    return screen


def editor(app: StripeApp) -> MetadataEditor:
    control = form(app).control("metadata")
    assert isinstance(control, MetadataEditor)
    return control


def rows(app: StripeApp) -> list[MetadataRow]:
    return list(editor(app).query(MetadataRow))


async def test_update_changes_the_email_and_removes_a_metadata_key(
    make_app: AppFactory, gateway: Gateway
) -> None:
    customer = seed(
        gateway, "old@example.com", name="Jenny", metadata={"plan": "gold", "tier": "1"}
    )
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await opened(pilot)
        await pilot.press("e")
        await pilot.pause()
        screen_form = form(app)
        assert screen_form.spec.title == "Update a Stripe customer"
        email = screen_form.control("email")
        assert isinstance(email, Input) and email.value == "old@example.com"
        assert [row.pair for row in rows(app)] == [["plan", "gold"], ["tier", "1"]]
        await fill(pilot, email="new@example.com")
        # the second row goes: focus its key and press ctrl+r, as an operator would
        rows(app)[1].query_one(".metadata-key", Input).focus()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert [row.pair for row in rows(app)] == [["plan", "gold"]]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert "Updated customer" in notes(app)
    stored = gateway.retrieve_customer(customer["id"])
    assert stored["email"] == "new@example.com"
    assert stored["name"] == "Jenny"
    assert stored["metadata"] == {"plan": "gold"}


async def test_update_sends_only_what_changed(make_app: AppFactory, gateway: Gateway) -> None:
    customer = seed(gateway, "same@example.com", name="Kept", metadata={"a": "1"})
    # Changed behind the console's back after it loaded: an update of the email keeps it.
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await opened(pilot)
        gateway.update_customer(customer["id"], {"name": "Changed elsewhere"}, "elsewhere-1")
        await pilot.press("e")
        await pilot.pause()
        await fill(pilot, email="other@example.com")
        await pilot.press("ctrl+s")
        await settle(pilot)
    stored = gateway.retrieve_customer(customer["id"])
    assert stored["name"] == "Changed elsewhere"  # not sent back as it was shown
    assert stored["email"] == "other@example.com"
    assert stored["metadata"] == {"a": "1"}


async def test_update_with_nothing_changed_sends_nothing(
    make_app: AppFactory, gateway: Gateway
) -> None:
    seed(gateway, "still@example.com")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await opened(pilot)
        await pilot.press("e", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert "Nothing changed" in str(app.screen.query_one("#form-error").render())


async def test_metadata_rows_add_and_keep_stripes_limits(
    make_app: AppFactory, gateway: Gateway
) -> None:
    customer = seed(gateway, "meta@example.com")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await opened(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert rows(app) == []
        await editor(app).add_row()
        await pilot.pause()
        await pilot.press(*"k" * 41)  # typed into the new key: at most 40 are taken
        key_input = rows(app)[0].query_one(".metadata-key", Input)
        assert key_input.value == "k" * 40
        key_input.value = "dup"
        await editor(app).add_row()
        await pilot.pause()
        rows(app)[1].query_one(".metadata-key", Input).value = "dup"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert "Row 2: the key dup is given twice." in field_message(form(app), "metadata")
        rows(app)[1].query_one(".metadata-key", Input).value = "other"
        rows(app)[1].query_one(".metadata-value", Input).value = "x"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CustomersScreen)
    # "dup" with an empty value unsets a key that was never set: nothing stored for it
    assert gateway.retrieve_customer(customer["id"])["metadata"] == {"other": "x"}


async def test_delete_asks_once_then_deletes(make_app: AppFactory, gateway: Gateway) -> None:
    customer = seed(gateway, "gone@example.com")
    kept = seed(gateway, "kept@example.com")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await opened(pilot)
        await pilot.press("j")  # the older one: gone@
        await settle(pilot)
        assert screen.table.selected is not None
        assert screen.table.selected["id"] == customer["id"]
        await pilot.press("d")
        await pilot.pause()
        assert form(app).spec.title == "Delete a Stripe customer"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert [c["id"] for c in screen.table.items] == [kept["id"]]
        assert "Deleted customer" in notes(app)
    # as on Stripe, a deleted customer is retrieved as a stub that says so
    assert gateway.retrieve_customer(customer["id"]).get("deleted") is True


async def test_delete_twice_is_refused_with_stripes_words(
    make_app: AppFactory, gateway: Gateway
) -> None:
    customer = seed(gateway, "twice@example.com")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await opened(pilot)
        gateway.delete_customer(customer["id"])  # deleted elsewhere while the list shows it
        await pilot.press("d", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        error = str(app.screen.query_one("#form-error").render())
        assert f"No such customer: '{customer['id']}'" in error


async def test_live_delete_needs_the_id_typed(make_app: AppFactory, gateway: Gateway) -> None:
    customer = seed(gateway, "live@example.com")
    app = make_app(mode=Mode.LIVE)
    async with app.run_test(size=(120, 36)) as pilot:
        await opened(pilot)
        await pilot.press("d", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TypedConfirm)
        assert f"Type {customer['id']} to confirm" in app.screen.prompt
        await pilot.press(*"cus_wrong", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TypedConfirm)
        await pilot.press("escape")
        await settle(pilot)
        assert gateway.retrieve_customer(customer["id"])["id"] == customer["id"]
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press(*customer["id"], "enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomersScreen)
    assert gateway.list_customers(10).items == []


async def test_read_only_hides_update_and_delete(make_app: AppFactory, gateway: Gateway) -> None:
    customer = seed(gateway, "ro@example.com")
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await opened(pilot)
        footer_keys = {b.binding.key for b in screen.active_bindings.values()}
        assert not {"e", "d"} & footer_keys
        for pressed in ("e", "d"):
            await pilot.press(pressed)
            await settle(pilot)
            assert app.screen is screen
        assert "Read-only" in notes(app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"customer")
        await settle(pilot)
        titles = palette_titles(app)
        assert any("Retrieve a Stripe customer" in t for t in titles), titles
        assert not any("Update a Stripe customer" in t for t in titles), titles
        assert not any("Delete a Stripe customer" in t for t in titles), titles
        await pilot.press("escape")
    assert gateway.retrieve_customer(customer["id"])["email"] == "ro@example.com"


async def test_palette_opens_update_for_the_selected_customer(
    make_app: AppFactory, gateway: Gateway
) -> None:
    seed(gateway, "palette@example.com")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await opened(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Update a Stripe customer")
        await settle(pilot)
        assert any("Update a Stripe customer" in t for t in palette_titles(app))
        await pilot.press("enter")
        await settle(pilot)
        assert form(app).spec.title == "Update a Stripe customer"
        email = form(app).control("email")
        assert isinstance(email, Input) and email.value == "palette@example.com"


async def test_ctrl_n_from_any_field_adds_a_metadata_key(
    make_app: AppFactory, gateway: Gateway
) -> None:
    """The hint says ctrl+n adds a key: it does from the email field too, not only in the rows."""
    customer = seed(gateway, "keys@example.com", name="Keys")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await opened(pilot)
        await pilot.press("e")
        await pilot.pause()
        email = form(app).control("email")
        assert isinstance(email, Input) and email.has_focus
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert len(rows(app)) == 1
        assert rows(app)[0].query_one(".metadata-key", Input).has_focus
        await pilot.press(*"region", "tab", "e", "u", "ctrl+s")
        await settle(pilot)
        assert "Updated customer" in notes(app)
    assert gateway.retrieve_customer(customer["id"])["metadata"] == {"region": "eu"}
