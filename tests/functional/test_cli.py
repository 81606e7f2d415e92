"""The command line and the embedded sandbox: refusals, `stripe-tui sandbox`, no-key start-up."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.functional.helpers import settle
from tui.__main__ import main
from tui.app import StripeApp
from tui.gateway import Gateway, new_idempotency_key
from tui.settings import Mode, SecretKey, resolve

LIVE_KEY = "sk_live_51AbCdEfGhIjKlMnOpQrStUvWxYz0123456789secretLIVE"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--api-key", LIVE_KEY], "--live"),
        (["--api-key", "pk_test_51AbCdEfGhIjKlMnOpQrStUvWxYz01234567publishable"], "publishable"),
        (["--api-key", "hunter2-not-a-key-at-all"], "not a Stripe secret key"),
    ],
)
def test_refused_keys_exit_2_saying_why_without_the_key(
    args: list[str], says: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert says in err
    assert args[1] not in err


@pytest.mark.parametrize("source", ["--api-key", "STRIPE_API_KEY", "Stripe CLI config"])
def test_a_key_with_a_newline_is_refused_at_start_unshown(
    source: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    key = "sk_test_51FirstHALFofTHEkey\nSecondHALFofTHEkey"
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    args: list[str] = []
    if source == "--api-key":
        args = ["--api-key", key]
    elif source == "STRIPE_API_KEY":
        monkeypatch.setenv("STRIPE_API_KEY", key)
    else:
        config = tmp_path / "stripe" / "config.toml"
        config.parent.mkdir()
        config.write_text(f"[default]\ntest_mode_api_key = {json.dumps(key)}\n")
    assert main(args) == 2
    captured = capsys.readouterr()
    assert "whitespace or a control character" in captured.err
    assert source in captured.err
    for part in ("FirstHALF", "SecondHALF"):
        assert part not in captured.err + captured.out


def test_live_refusal_from_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STRIPE_API_KEY", LIVE_KEY)
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "--live" in err and LIVE_KEY not in err
    assert "sk_live_...LIVE" in err


def test_sandbox_command_serves_the_api_until_terminated(tmp_path: Path) -> None:
    db = tmp_path / "served.sqlite3"
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "sandbox", "--port", "0", "--db", str(db)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("Stripe sandbox listening on http://127.0.0.1:"), line
        url = line.rsplit(" ", 1)[1].strip()
        gateway = Gateway(SecretKey("sk_test_cli"), url, max_network_retries=0)
        created = gateway.create_customer({"email": "cli@example.com"}, new_idempotency_key())
        assert gateway.retrieve_customer(created["id"])["email"] == "cli@example.com"
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    assert db.exists()


async def test_no_key_starts_the_embedded_sandbox_and_lists_its_customers(
    tmp_path: Path,
) -> None:
    db = tmp_path / "embedded.sqlite3"
    # No --api-key, no STRIPE_API_KEY, no Stripe CLI config under this HOME: the sandbox.
    settings = resolve(sandbox_db=db, environ={"HOME": str(tmp_path)})
    assert settings.api_key is None and settings.mode is Mode.SANDBOX

    app = StripeApp(settings)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.embedded is not None and app.embedded.started_url is not None
        assert app.embedded.started_url.startswith("http://127.0.0.1:")
        created = app.gateway.create_customer({"email": "kept@example.com"}, "k-embedded-1")
        await pilot.press("r")
        await settle(pilot)
        table = app.screen.query_one("#customers")
        assert created["id"] in [item["id"] for item in table.items]  # type: ignore[attr-defined]
        banner = str(app.screen.query_one("ModeBanner").render())
        assert "SANDBOX" in banner

    # The objects outlive the app: a second run on the same file lists the customer.
    again = StripeApp(resolve(sandbox_db=db, environ={"HOME": str(tmp_path)}))
    async with again.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        table = again.screen.query_one("#customers")
        assert [item["email"] for item in table.items] == ["kept@example.com"]  # type: ignore[attr-defined]


async def test_memory_sandbox_starts_empty(tmp_path: Path) -> None:
    settings = resolve(memory=True, environ={"HOME": str(tmp_path)})
    assert settings.sandbox_db is None
    app = StripeApp(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#customers")
        assert table.items == []  # type: ignore[attr-defined]
        assert "No customers yet" in str(table.border_subtitle)
