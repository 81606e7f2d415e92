"""Pilot tests of the mode banner, the detail pane and the JSON inspector."""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.settings import Mode
from widgets.banner import ModeBanner
from widgets.detail import DetailPane
from widgets.inspector import JsonInspector


class BannerApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ModeBanner(Mode.TEST, "sk_test_…wxyz", "api.stripe.com", id="banner")


async def test_banner_shows_mode_key_and_read_only() -> None:
    app = BannerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        banner = app.query_one(ModeBanner)
        text = str(banner.render())
        assert "TEST" in text and "sk_test_…wxyz" in text and "api.stripe.com" in text
        assert "READ-ONLY" not in text
        assert not banner.has_class("-live")
        banner.mode = Mode.LIVE
        banner.read_only = True
        await pilot.pause()
        text = str(banner.render())
        assert "LIVE" in text and "READ-ONLY" in text
        assert banner.has_class("-live")


class DetailApp(App[None]):
    def compose(self) -> ComposeResult:
        yield DetailPane()


async def test_detail_pane_show_and_clear() -> None:
    app = DetailApp()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show("cus_1", [("Email", "a@b.co"), ("Balance", Text("12.50 USD"))])
        await pilot.pause()
        assert pane.border_title == "cus_1"
        rows = pane.query_one("#detail-rows", Static)
        rendered = "".join(line.text for line in rows.render_lines(rows.region.reset_offset))
        assert "a@b.co" in rendered and "12.50 USD" in rendered and "Balance" in rendered
        pane.clear("Select a customer")
        await pilot.pause()
        assert pane.border_title == ""
        assert str(pane.query_one("#detail-message", Static).render()) == "Select a customer"
        assert str(rows.render()) == ""


class InspectApp(App[None]):
    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__()
        self.data = data

    def on_mount(self) -> None:
        self.push_screen(JsonInspector(self.data, title="pi_1"))


async def test_inspector_scrolls_copies_and_closes() -> None:
    data = {"id": "pi_1", "metadata": {f"key{i}": f"value {i}" for i in range(60)}}
    app = InspectApp(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, JsonInspector)
        body = screen.query_one("#inspector-body", VerticalScroll)
        assert body.scroll_y == 0
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert body.scroll_y == 3
        await pilot.press("k")
        await pilot.pause()
        assert body.scroll_y == 2
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > 10
        await pilot.press("y")
        await pilot.pause()
        assert json.loads(app.clipboard) == data
        assert any("if your terminal allows it" in n.message for n in app._notifications)
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, JsonInspector)
