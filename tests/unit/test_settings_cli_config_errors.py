"""A Stripe CLI config that cannot be read or parsed is refused with its path, never ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.settings import SettingsError, key_from_stripe_cli


def test_a_config_that_is_not_toml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[default]\ntest_mode_api_key = "unterminated\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="Cannot read the Stripe CLI config") as caught:
        key_from_stripe_cli(path, "default")
    assert str(path) in str(caught.value)


def test_a_config_that_cannot_be_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.mkdir()  # a folder where the file should be
    with pytest.raises(SettingsError, match="Cannot read the Stripe CLI config"):
        key_from_stripe_cli(path, "default")


def test_no_config_is_no_key(tmp_path: Path) -> None:
    assert key_from_stripe_cli(tmp_path / "config.toml", "default") is None
