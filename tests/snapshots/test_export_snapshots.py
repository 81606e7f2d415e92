"""Snapshots of "Export this list": its form, and the question before a file is replaced."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.snapshots.conftest import steady
from tests.snapshots.test_customers_snapshots import SIZES, snapshot_app


async def export_form(pilot: Pilot[Any]) -> None:
    """The form, its file name fixed (the default one carries the time)."""
    await steady(pilot)
    await pilot.press("s")
    await pilot.pause()
    pilot.app.screen.query_one("#input-path", Input).value = "./customers.csv"
    await steady(pilot)


@pytest.mark.parametrize("size", SIZES)
class TestExport:
    def test_form(self, snap_compare: Any, size: tuple[int, int]) -> None:
        assert snap_compare(snapshot_app(), terminal_size=size, run_before=export_form)

    def test_replace_asks(
        self,
        snap_compare: Any,
        size: tuple[int, int],
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.chdir(tmp_path)
        (tmp_path / "customers.csv").write_text("kept\n", encoding="utf-8")

        async def run(pilot: Pilot[Any]) -> None:
            await export_form(pilot)
            await pilot.press("ctrl+s")
            await steady(pilot)

        assert snap_compare(snapshot_app(), terminal_size=size, run_before=run)
