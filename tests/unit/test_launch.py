"""`stripe-tui` forks the first page's helper only when a key may come from somewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.launch import _may_have_a_key
from tui.settings import stripe_cli_config_path


@pytest.fixture
def no_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    return tmp_path


def test_with_no_key_anywhere_there_is_no_helper(no_key: Path) -> None:
    assert not _may_have_a_key([])
    assert not _may_have_a_key(["--memory", "--read-only"])


@pytest.mark.parametrize(
    "args",
    [
        ["--api-key", "sk_test_x"],
        ["--api-key=sk_test_x"],
        ["--api-k", "x"],
        ["--project-name", "p"],
    ],
)
def test_an_option_that_gives_a_key_may(no_key: Path, args: list[str]) -> None:
    assert _may_have_a_key(args)


def test_the_environment_or_the_stripe_clis_config_may(
    no_key: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STRIPE_API_KEY", "sk_test_x")
    assert _may_have_a_key([])
    monkeypatch.delenv("STRIPE_API_KEY")
    config = stripe_cli_config_path({"XDG_CONFIG_HOME": str(no_key)})
    config.parent.mkdir(parents=True)
    config.write_text("[default]\n")
    assert _may_have_a_key([])
