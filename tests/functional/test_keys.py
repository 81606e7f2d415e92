"""Keys typed with no pause between them, as a fast typist or one SSH packet sends them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import Input

from tests.functional.helpers import form, settle
from tui.app import StripeApp
from tui.gateway import Gateway

AppFactory = Callable[..., StripeApp]

NAMED = {"tab": "\t", "enter": "\r", "escape": "\x1b", "shift+tab": None, "ctrl+s": "\x13"}


def key_event(key: str) -> events.Key:
    """The event the terminal driver makes for one key ("a", "@", "tab", "ctrl+s")."""
    if key in NAMED:
        return events.Key(key, NAMED[key])
    name = key if key.isalnum() else _character_to_key(key)
    return events.Key(name, key)


async def burst(pilot: Pilot[Any], *keys: str) -> None:
    """Queue every key on the app at once, as one write to the terminal does, then settle.

    `pilot.press` waits for the app to go idle after each key; this does not.
    """
    app = pilot.app
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app.post_message(event)
    await settle(pilot)


def typed(text: str) -> list[str]:
    return list(text)


def value_of(app: StripeApp, name: str) -> str:
    control = form(app).control(name)
    assert isinstance(control, Input)
    return control.value


async def test_new_customer_burst_fills_the_fields_meant(
    make_app: AppFactory, gateway: Gateway
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await burst(pilot, "n", *typed("zed@example.com"), "tab", *typed("Zed"), "tab")
        assert value_of(app, "email") == "zed@example.com"
        assert value_of(app, "name") == "Zed"
        assert app.focused is form(app).control("description")
        await burst(pilot, "ctrl+s")
        customers = gateway.list_customers(10).items
        assert [(c["email"], c["name"]) for c in customers] == [("zed@example.com", "Zed")]
