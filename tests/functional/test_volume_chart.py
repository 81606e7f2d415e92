"""The Payments volume chart on the real sandbox: what Stripe's search returns, summed per day."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import stripe
from textual.widgets import Sparkline

from tests.functional.helpers import add_fault, settle
from tui.app import StripeApp
from widgets.volume_chart import VolumeChart


def pay(client: stripe.StripeClient, amount: int, currency: str, method: str | None) -> None:
    params: dict[str, object] = {"amount": amount, "currency": currency}
    params["automatic_payment_methods"] = {"enabled": True, "allow_redirects": "never"}
    if method is not None:
        params |= {"payment_method": method, "confirm": True}
    with contextlib.suppress(stripe.CardError):  # a declined card: the intent stays unpaid
        client.v1.payment_intents.create(params)  # type: ignore[arg-type]


async def test_the_chart_sums_todays_succeeded_payments_per_currency(
    make_app: Callable[..., StripeApp], stripe_client: stripe.StripeClient
) -> None:
    pay(stripe_client, 1250, "usd", "pm_card_visa")
    pay(stripe_client, 750, "usd", "pm_card_mastercard")
    pay(stripe_client, 500, "jpy", "pm_card_visa")
    pay(stripe_client, 9900, "usd", "pm_card_chargeDeclined")  # not received
    pay(stripe_client, 4000, "usd", None)  # never confirmed
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        chart = app.screen.query_one(VolumeChart)
        assert chart.volumes is not None
        by_currency = {v.currency: v for v in chart.volumes.currencies}
        assert list(by_currency) == ["usd", "jpy"]
        assert by_currency["usd"].days[-1] == 2000 and sum(by_currency["usd"].days) == 2000
        assert by_currency["jpy"].days[-1] == 500
        labels = [str(label.render()) for label in chart.query(".volume-label").results()]
        assert labels == ["USD 20.00, 0.00 to 20.00 a day", "JPY 500, 0 to 500 a day"]
        assert len(chart.query(Sparkline)) == 2


async def test_a_failed_search_is_shown_in_the_chart_and_r_reads_it_again(
    make_app: Callable[..., StripeApp], stripe_client: stripe.StripeClient, sandbox: object
) -> None:
    pay(stripe_client, 1250, "usd", "pm_card_visa")
    add_fault(sandbox, "sk_test_x", path="/v1/payment_intents/search", status=500, count=1)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        chart = app.screen.query_one(VolumeChart)
        assert chart.volumes is None
        assert "Cannot read the volume:" in str(chart.query_one(".volume-note").render())
        assert app.is_running  # shown in the chart, not a crash
        await pilot.press("r")
        await settle(pilot)
        assert chart.volumes is not None
        assert [v.total for v in chart.volumes.currencies] == [1250]


async def test_the_chart_is_hidden_under_24_lines(make_app: Callable[..., StripeApp]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 23)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        assert not app.screen.query_one(VolumeChart).display
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert app.screen.query_one(VolumeChart).display
