"""The config file's keys in the running console, and "Switch Stripe project"."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.widgets import Input

from screens.projects import ProjectPicker
from tests.functional.helpers import form, notes, palette_titles, settle
from tui.app import StripeApp
from tui.config import Config
from tui.gateway import Gateway
from tui.requestlog import sent_params
from tui.sandbox import SandboxServer
from tui.settings import Mode, SecretKey, Settings
from widgets.banner import ModeBanner
from widgets.resource_table import ResourceTable


def console(settings: Settings, config: Config | None = None, **overrides: Any) -> StripeApp:
    settings = replace(settings, **overrides)
    assert settings.api_key is not None
    gateway = Gateway(settings.api_key, settings.api_base, max_network_retries=0)
    return StripeApp(settings, gateway=gateway, config=config)


def banner(app: StripeApp) -> str:
    return str(app.screen.query_one(ModeBanner).banner_content())


def list_limits(app: StripeApp, path: str) -> list[str]:
    """The `limit` of every GET of `path` the console sent."""
    return [
        sent_params(e).get("limit", "")
        for e in app.gateway.request_log.entries()
        if e.get("method") == "GET" and e.get("path") == path
    ]


# The config file's keys ----------------------------------------------------------------------


async def test_the_theme_of_the_config_is_applied(settings: Settings) -> None:
    app = console(settings, Config(theme="nord"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
        assert app.current_theme.name == "nord"


async def test_a_theme_chosen_in_the_palette_is_saved_keeping_the_file(
    settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "stripe-tui" / "config.toml"
    path.parent.mkdir()
    path.write_text("# mine\npage_size = 30\n", encoding="utf-8")
    app = console(settings, Config(path=path, page_size=30))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"theme")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*"gruvbox")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.theme == "gruvbox"
    assert path.read_text(encoding="utf-8") == '# mine\npage_size = 30\ntheme = "gruvbox"\n'


async def test_a_theme_change_saves_nothing_without_a_config_path(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    app = console(settings)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.theme = "gruvbox"
        await settle(pilot)
    assert list(tmp_path.iterdir()) == []


async def test_a_keymap_override_changes_the_key_that_does_the_action(
    settings: Settings,
) -> None:
    app = console(settings, Config(keymap={"customers.new": "N"}))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is app.screen_stack[0], "n still opened a form"
        await pilot.press("N")
        await settle(pilot)
        assert form(app).spec.title == "Create a Stripe customer"


async def test_page_size_is_the_limit_the_lists_send(settings: Settings) -> None:
    app = console(settings, Config(page_size=7))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
    assert list_limits(app, "/v1/customers") == ["7"]
    assert list_limits(app, "/v1/payment_intents") == ["7"]
    assert list_limits(app, "/v1/products") == ["7"]
    assert list_limits(app, "/v1/payment_links") == ["7"]
    assert list_limits(app, "/v1/events") == ["7"]


async def test_without_page_size_the_lists_keep_their_own(settings: Settings) -> None:
    app = console(settings)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
    assert list_limits(app, "/v1/customers") == ["100"]


async def test_the_default_currency_is_prefilled_in_new_prices_and_intents(
    settings: Settings,
) -> None:
    app = console(settings, Config(default_currency="eur"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert form(app).spec.title == "Create a payment intent"
        assert currency_shown(app) == "eur"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert form(app).spec.title == "Create a Stripe price"
        assert currency_shown(app) == "eur"


def currency_shown(app: StripeApp) -> str:
    control = form(app).control("currency")
    assert isinstance(control, Input)
    return control.value


# Switch Stripe project -----------------------------------------------------------------------

KEY_DEFAULT = "sk_test_51DEFAULTprojectKEY0000dflt"
KEY_STAGING = "rk_test_51STAGINGprojectKEY1111stgn"


@pytest.fixture
def staging_only() -> Iterator[SandboxServer]:
    """A sandbox that accepts the staging project's key alone."""
    server = SandboxServer(port=0, db_path=None, key=KEY_STAGING)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def write_cli_config(home: Path, staging_expires: date) -> None:
    path = home / "stripe" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"""color = ""
[default]
display_name = "Acme"
test_mode_api_key = "{KEY_DEFAULT}"
test_mode_key_expires_at = "{date.today() + timedelta(days=60)}"

[staging]
display_name = "Acme staging"
test_mode_api_key = "{KEY_STAGING}"
test_mode_key_expires_at = "{staging_expires}"
""",
        encoding="utf-8",
    )


async def switch_to(pilot: Any, name: str) -> None:
    app = pilot.app
    await pilot.press("ctrl+p")
    await pilot.press(*"switch stripe project")
    await settle(pilot)
    assert isinstance(app.screen, CommandPalette)
    assert palette_titles(app)[0].startswith("Switch Stripe project\n")
    await pilot.press("enter")
    await settle(pilot)
    picker = app.screen
    assert isinstance(picker, ProjectPicker)
    index = [p.name for p in picker.projects].index(name)
    for _ in range(index):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize("read_only", [False, True])
async def test_switching_project_changes_the_key_used(
    staging_only: SandboxServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    read_only: bool,
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    write_cli_config(tmp_path, date.today() + timedelta(days=60))
    settings = Settings(
        api_key=SecretKey(KEY_DEFAULT),
        mode=Mode.TEST,
        api_base=staging_only.url,
        key_source="Stripe CLI config [default]",
        project="default",
        read_only=read_only,
    )
    app = console(settings)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "project default" in banner(app)
        # The default project's key is not this sandbox's: the list is refused.
        assert app.gateway.request_log.entries()[0]["status"] == 401
        await switch_to(pilot, "staging")
        assert app.settings.project == "staging"
        shown = banner(app)
        assert "project staging" in shown
        assert "rk_test_...stgn" in shown
        assert KEY_STAGING not in shown
        assert ("READ-ONLY" in shown) is read_only
        table = app.screen.query_one("#customers", ResourceTable)
        assert table.loaded
        newest = app.gateway.request_log.entries()[0]
        assert (newest["path"], newest["status"]) == ("/v1/customers", 200)
        assert "Switched Stripe project" in notes(app)
        assert "Stripe CLI key" not in notes(app)
        assert KEY_STAGING not in notes(app)
        await pilot.press("n")
        await settle(pilot)
        assert (app.screen is app.screen_stack[0]) is read_only


async def test_switching_to_a_project_whose_key_expires_soon_warns(
    staging_only: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    write_cli_config(tmp_path, date.today() + timedelta(days=3))
    settings = Settings(
        api_key=SecretKey(KEY_DEFAULT), mode=Mode.TEST, api_base=staging_only.url, project="default"
    )
    app = console(settings)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "Stripe CLI key" not in notes(app)
        await switch_to(pilot, "staging")
        assert "expires in 3 days" in notes(app)
        assert "project staging" in notes(app)


@pytest.mark.parametrize(
    ("days", "says"),
    [(-1, "expired on"), (0, "expires today"), (7, "expires in 7 days"), (8, None), (400, None)],
)
async def test_a_cli_key_near_its_expiry_is_named_at_start(
    settings: Settings, days: int, says: str | None
) -> None:
    expires = date.today() + timedelta(days=days)
    app = console(settings, project="default", key_expires_at=expires)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        if says is None:
            assert "Stripe CLI key" not in notes(app)
        else:
            assert f"Stripe CLI key: The test key of Stripe CLI project default {says}" in notes(
                app
            )


async def test_no_cli_projects_says_where_it_looked(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    app = console(settings)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"switch stripe project")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert f"No Stripe CLI projects in {tmp_path / 'stripe' / 'config.toml'}" in notes(app)
        assert app.settings.project is None
