"""Snapshots of the Payments screen's volume chart, on fixed data and a fixed clock.

The chart reads the last 30 days before "now": the clock is fixed at NOW, and the fixture gateway
answers the chart's search with succeeded intents spread over those days (two pages of them).
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.snapshots.conftest import T0, FixtureGateway
from tests.snapshots.test_payments_snapshots import FIXTURES, INTENTS, intent, open_payments
from tui.app import StripeApp
from tui.gateway import ErrorKind, GatewayError, Obj, Page
from tui.settings import Mode, SecretKey, Settings
from widgets import volume_chart

NOW = datetime.fromtimestamp(T0 + 12 * 3600, UTC)  # 2026-01-01 12:00 UTC: the list's day
DAY = 86_400


def chart_intents() -> list[Obj]:
    """USD on most of the 30 days, EUR on a few, JPY once, and some that must not count."""
    made = [i for i in INTENTS if i["status"] == "succeeded"]
    for day in range(1, 30):
        if day % 5 != 3:
            made.append(
                intent(
                    f"pi_ChartUsd{day:02d}",
                    1500 + (day * 3779) % 9000,
                    "usd",
                    "succeeded",
                    minutes=0,
                )
            )
            made[-1]["created"] = T0 - day * DAY + 3600
        if day % 6 == 1:
            made.append(
                intent(f"pi_ChartEur{day:02d}", 4000 + day * 100, "eur", "succeeded", minutes=0)
            )
            made[-1]["created"] = T0 - day * DAY + 7200
    made.append(intent("pi_ChartJpy", 5000, "jpy", "succeeded", minutes=0))
    made.append(intent("pi_ChartOld", 99_999, "usd", "succeeded", minutes=-31 * 24 * 60))
    return made


class ChartGateway(FixtureGateway):
    """The Payments fixtures, and the chart's search answered in pages of 10."""

    def __init__(self, fail: bool = False) -> None:
        super().__init__(FIXTURES)
        self.fail = fail
        self.queries: list[str] = []

    def search_payment_intents(
        self,
        query: str,
        limit: int = 10,
        cursor: str | None = None,
        *,
        expand_latest_charge: bool = False,
    ) -> Page:
        self.queries.append(query)
        if self.fail:
            raise GatewayError(
                ErrorKind.API, "Search is temporarily unavailable.", request_id="req_SnapChart01"
            )
        start = int(cursor or 0)
        items = copy.deepcopy(chart_intents()[start : start + 10])
        more = start + 10 < len(chart_intents())
        return Page(items, str(start + 10) if more else None)


def make_app(gateway: ChartGateway) -> StripeApp:
    settings = Settings(
        api_key=SecretKey("sk_test_snapshots_0000"), mode=Mode.TEST, key_source="tests"
    )
    return StripeApp(settings, gateway=gateway)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(volume_chart, "utc_now", lambda: NOW)


class TestVolumeChart:
    @pytest.mark.parametrize(
        "size",
        [
            pytest.param((120, 36), id="120x36"),
            pytest.param((80, 24), id="80x24"),
            pytest.param((80, 23), id="80x23-hidden"),
        ],
    )
    def test_chart_above_the_list(self, snap_compare: Any, size: tuple[int, int]) -> None:
        assert snap_compare(make_app(ChartGateway()), terminal_size=size, run_before=open_payments)

    def test_a_failure_is_shown_in_the_chart(self, snap_compare: Any) -> None:
        gateway = ChartGateway(fail=True)
        assert snap_compare(make_app(gateway), terminal_size=(120, 36), run_before=open_payments)


async def test_volumes_are_summed_per_currency_and_utc_day() -> None:
    gateway = ChartGateway()
    app = make_app(gateway)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_payments(pilot)
        chart = app.screen.query_one(volume_chart.VolumeChart)
        volumes = chart.volumes
        assert volumes is not None and volumes.complete
        # The query asks for succeeded intents from 2025-12-03 00:00 UTC (30 days with today).
        assert gateway.queries[0] == 'status:"succeeded" AND created>=1764720000'
        assert len(gateway.queries) == 4  # every page was read
        by_currency = {v.currency: v for v in volumes.currencies}
        assert list(by_currency) == ["usd", "eur", "jpy"]  # the most payments first
        usd = by_currency["usd"]
        today_usd = sum(
            i["amount_received"]
            for i in INTENTS
            if i["status"] == "succeeded" and i["currency"] == "usd"
        )
        assert usd.days[-1] == today_usd  # the list's own succeeded intents are today's
        assert usd.days[-2] == 1500 + 3779 % 9000  # yesterday
        assert usd.days[-4] == 0  # day 3: none
        assert 99_999 not in usd.days  # 31 days ago: not counted
        assert by_currency["jpy"].days[-1] == 5000
        label = chart.query_one(".volume-label").render()
        assert str(label).startswith(f"USD {usd.total / 100:,.2f}, 0.00 to ")


async def test_a_stale_answer_is_dropped() -> None:
    gateway = ChartGateway()
    app = make_app(gateway)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_payments(pilot)
        chart = app.screen.query_one(volume_chart.VolumeChart)
        shown = chart.volumes
        chart.load(gateway)  # a newer load: the answer below is from the one before
        chart.post_message(chart.Read(0, GatewayError(ErrorKind.API, "old news")))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert chart.volumes == shown
        assert "old news" not in str(chart.query_one(".volume-label").render())
