"""Pilot tests of the console itself: palette, help, screen keys, quitting, the mode banner."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from rich.console import Console
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Static

from screens.base import ScreenTabs
from screens.customers import CustomersScreen
from screens.help import HelpScreen
from tests.functional.conftest import TEST_KEY
from tests.functional.helpers import add_fault, clear_faults, settle
from tests.functional.test_customers import customers, row_ids, seed
from tui.app import StripeApp, console_screens
from tui.gateway import Gateway
from tui.settings import Mode
from widgets.banner import ModeBanner

AppFactory = Callable[..., StripeApp]

CUSTOMER_ACTIONS = (
    "Create a Stripe customer",
    "List Stripe customers",
    "Retrieve a Stripe customer",
)


def screen_text(app: StripeApp) -> str:
    """Everything on the screen, as the terminal would show it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def palette_titles(app: StripeApp) -> list[str]:
    options = app.screen.query_one(CommandList)
    prompts = (str(options.get_option_at_index(i).prompt) for i in range(options.option_count))
    return [prompt.splitlines()[0] for prompt in prompts]


async def open_palette(pilot: Pilot[Any]) -> list[str]:
    """Open the palette with an empty query: every action is listed (discovery)."""
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CommandPalette)
    return palette_titles(pilot.app)  # type: ignore[arg-type]


def writing_titles() -> set[str]:
    return {a.title for s in console_screens().values() for a in s.ACTIONS if a.writes}


def reading_titles() -> set[str]:
    return {a.title for s in console_screens().values() for a in s.ACTIONS if not a.writes}


# Palette ---------------------------------------------------------------------------------------


async def test_palette_offers_every_action_by_its_title(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        titles = await open_palette(pilot)
        for title in CUSTOMER_ACTIONS:
            assert title in titles, titles
        for title in writing_titles() | reading_titles():
            assert title in titles, titles
        await pilot.press(*"stripe customer")
        await settle(pilot)
        found = palette_titles(app)
        for title in CUSTOMER_ACTIONS:
            assert title in found, found


async def test_palette_in_read_only_offers_only_reads(make_app: AppFactory) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        titles = await open_palette(pilot)
        assert "List Stripe customers" in titles and "Retrieve a Stripe customer" in titles
        assert "Create a Stripe customer" not in titles
        assert not writing_titles() & set(titles), titles
        assert reading_titles() <= set(titles)


async def test_palette_runs_an_action_from_another_screen(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert app.current_mode == "catalog"
        await pilot.press("ctrl+p")
        await pilot.press(*"create stripe cust")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "customers"
        assert getattr(app.screen, "spec", None) is not None
        assert app.screen.spec.title == "Create a Stripe customer"  # type: ignore[attr-defined]


async def test_palette_lists_the_screens_actions_first_in_a_fixed_order(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screens = console_screens()
        shared = [a.title for a in screens["customers"].SHARED_ACTIONS]  # the current screen's
        assert shared == ["Export this list", "Go to an id"]
        ours = [
            a.title
            for mode in ("customers", "catalog", "payments")
            for a in screens[mode].ACTIONS + (screens[mode].SHARED_ACTIONS * (mode == "customers"))
        ]
        titles = await open_palette(pilot)
        assert titles[: len(ours)] == ours
        assert {"Keys", "Quit"} <= set(titles[len(ours) :]), titles
        await pilot.press("escape", "3")
        await settle(pilot)
        titles = await open_palette(pilot)
        payments_first = [
            a.title
            for mode in ("payments", "customers", "catalog")
            for a in screens[mode].ACTIONS + (screens[mode].SHARED_ACTIONS * (mode == "payments"))
        ]
        assert titles[: len(ours)] == payments_first
        await pilot.press("enter")
        await settle(pilot)
        assert getattr(app.screen, "spec", None) is not None
        assert app.screen.spec.title == "Create a payment intent"  # type: ignore[attr-defined]


# Help, screens, quit ---------------------------------------------------------------------------


async def test_help_lists_the_keys(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        console = Console(width=100, file=io.StringIO())
        console.print(help_screen.query_one(Static).content)
        output = console.file
        assert isinstance(output, io.StringIO)
        shown = output.getvalue()
        for key, what in (
            ("ctrl+p", "palette"),
            ("ctrl+q", "Quit"),
            ("?", "Help"),
            ("n", "New"),
            ("/", "Search"),
            ("y", "Copy id"),
            ("i", "Inspect"),
            ("r", "Refresh"),
            ("enter", "Open"),
            ("ctrl+s", "Submit"),
            ("escape", "Cancel"),
        ):
            assert any(line.split()[:1] == [key] and what in line for line in shown.splitlines()), (
                key,
                shown,
            )
        for title in CUSTOMER_ACTIONS:
            assert title in shown
        # 1 2 3 are listed too, even though the footer leaves them to the tabs
        assert any(line.split()[:2] == ["2", "Catalog"] for line in shown.splitlines()), shown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CustomersScreen)


async def test_number_keys_switch_screens(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.current_mode == "customers"
        for key, mode in (("2", "catalog"), ("3", "payments"), ("1", "customers")):
            await pilot.press(key)
            await settle(pilot)
            assert app.current_mode == mode
            tabs = str(app.screen.query_one(ScreenTabs).render())
            assert mode.title() in tabs
            assert getattr(app.screen, "MODE", None) == mode


async def test_ctrl_q_quits(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


async def test_ctrl_q_quits_from_a_form(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


# The banner ------------------------------------------------------------------------------------


async def test_banner_shows_sandbox_and_the_masked_key(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        first_line = shown.splitlines()[0]
        assert "SANDBOX" in first_line
        assert "sk_test_..." + TEST_KEY[-4:] in first_line
        assert TEST_KEY not in shown
        assert TEST_KEY[8:16] not in shown


async def test_banner_shows_test(make_app: AppFactory) -> None:
    app = make_app(mode=Mode.TEST)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert " TEST " in shown.splitlines()[0]
        assert TEST_KEY not in shown
        assert not app.screen.query_one(ModeBanner).has_class("-live")


async def test_live_is_red_and_never_shows_the_key(make_app: AppFactory) -> None:
    app = make_app(mode=Mode.LIVE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        banner = app.screen.query_one(ModeBanner)
        assert banner.has_class("-live")
        strips = app.screen._compositor.render_strips()
        assert "LIVE" in strips[0].text
        assert TEST_KEY not in "\n".join(strip.text for strip in strips)
        badge = next(segment for segment in strips[0] if "LIVE" in segment.text)
        assert badge.style is not None and badge.style.bgcolor is not None
        red, green, blue = badge.style.bgcolor.get_truecolor()
        assert red > 150 and red > 2 * green and red > 2 * blue, (red, green, blue)
        # the whole banner line is tinted red too, not just the badge
        tail = list(strips[0])[-1]
        assert tail.style is not None and tail.style.bgcolor is not None
        tr, tg, tb = tail.style.bgcolor.get_truecolor()
        assert tr > tg and tr > tb, (tr, tg, tb)


# First paint -----------------------------------------------------------------------------------


async def test_first_paint_does_not_wait_for_the_network(
    make_app: AppFactory, gateway: Gateway, sandbox: Any
) -> None:
    jenny = seed(gateway, "jenny@example.com")
    # The first page is held by the sandbox until the faults are cleared.
    add_fault(sandbox, TEST_KEY, path="/v1/customers", method="GET", delay_ms=60_000, count=1)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = customers(app)
        assert "Customers" in screen_text(app)  # painted before the list could have come
        assert row_ids(screen) == []
        assert screen.table.is_loading
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)  # and keys work while it is on its way
        assert row_ids(screen) == [] and screen.table.is_loading
        await pilot.press("escape")
        await clear_faults(sandbox, TEST_KEY)
        await settle(pilot)
        assert row_ids(screen) == [jenny["id"]]


def help_text(app: StripeApp) -> str:
    console = Console(width=100, file=io.StringIO())
    console.print(app.screen.query_one(Static).content)
    output = console.file
    assert isinstance(output, io.StringIO)
    return output.getvalue()


async def test_read_only_says_so_in_help_keys_and_palette(make_app: AppFactory) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        # help: only what can be done, and why the rest is missing
        await pilot.press("question_mark")
        await pilot.pause()
        shown = help_text(app)
        assert "--read-only" in shown and "Search" in shown
        assert "Create a Stripe customer" not in shown and "List Stripe customers" in shown
        assert not any(line.split()[:2] == ["n", "New"] for line in shown.splitlines()), shown
        await pilot.press("escape")
        await pilot.pause()
        # a write key: one notification that says read-only
        app.clear_notifications()
        await pilot.press("n")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert len(messages) == 1 and messages[0].startswith("Read-only:"), messages
        assert isinstance(app.screen, CustomersScreen)
        # on Payments too, whose write keys are c and f as well
        await pilot.press("3")
        await settle(pilot)
        app.clear_notifications()
        await pilot.press("f")
        await settle(pilot)
        assert [n.message[:10] for n in app._notifications] == ["Read-only:"]
        # the palette explains that writes are hidden
        titles = await open_palette(pilot)
        assert any("writes are hidden" in t or "write are hidden" in t for t in titles), titles
