"""When not every key hint fits, the footer keeps the screen's own keys (its actions) before
the list's generic ones (copy, inspect, refresh), which every list has and help lists."""

from __future__ import annotations

import pytest
from textual.widgets._footer import FooterKey

from tests.snapshots import test_payments_snapshots as payments

LIFECYCLE = {"n", "c", "f", "slash", "p", "x", "a", "question_mark"}


@pytest.mark.parametrize("width", [80, 120])
async def test_payments_footer_shows_every_lifecycle_key(width: int) -> None:
    app = payments.make_app()
    async with app.run_test(size=(width, 24)) as pilot:
        await payments.open_payments(pilot)
        keys = list(app.screen.query(FooterKey))
        shown = {key.key for key in keys}
        assert shown >= LIFECYCLE, sorted(LIFECYCLE - shown)
        assert all(key.region.right <= width for key in keys)
        if width == 120:  # room for all: the list's keys too
            assert {"y", "i", "r"} <= shown
