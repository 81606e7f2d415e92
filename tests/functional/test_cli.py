"""The command line and the embedded sandbox: refusals, `stripe-tui sandbox`, no-key start-up."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import stripe

from tests.functional.helpers import notes, settle
from tests.unit.test_sandbox_webhooks import Receiver, receiving
from tui.__main__ import main
from tui.app import StripeApp
from tui.embedded import EmbeddedSandbox
from tui.gateway import Gateway, new_idempotency_key
from tui.settings import Mode, SecretKey, resolve
from widgets.detail import DetailPane

LIVE_KEY = "sk_live_51AbCdEfGhIjKlMnOpQrStUvWxYz0123456789secretLIVE"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--api-key", LIVE_KEY], "--live"),
        (["--api-key", "pk_test_51AbCdEfGhIjKlMnOpQrStUvWxYz01234567publishable"], "publishable"),
        (["--api-key", "hunter2-not-a-key-at-all"], "not a Stripe secret key"),
        (["--api-key", "sk_test_51AbCdEfGhIjKlMnOpQrStUvWx0123", "--memory"], "--memory is for"),
        (
            ["--api-key", "sk_test_51AbCdEfGhIjKlMnOpQrStUvWx0123", "--sandbox-db", "x.db"],
            "--sandbox-db is for",
        ),
        (["--api-key", "sk_test_51AbCdEfGhIjKlMnOpQrStUvWx0123", "--project-name", "p"], "drop"),
        (
            ["--api-key", "sk_test_51AbCdEfGhIjKlMnOpQrStUvWx0123", "--forward-to", "h:1/x"],
            "--forward-to is for the embedded sandbox",
        ),
        (
            ["--api-key", "sk_test_51AbCdEfGhIjKlMnOpQrStUvWx0123", "--events", "customer.*"],
            "--events is for the embedded sandbox",
        ),
        (["--webhook-secret", "whsec_abc"], "--webhook-secret needs --forward-to"),
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


def test_console_refuses_a_forward_to_that_is_not_http(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert main(["--memory", "--forward-to", "ftp://127.0.0.1/x"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "stripe-tui: --forward-to 'ftp://127.0.0.1/x': expected an http:// or https:// URL "
        "with a host\n"
    )


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
    args = ["sandbox", "--port", "0", "--db", str(db), "--key", "sk_test_cli"]
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", *args],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("Stripe sandbox listening on http://127.0.0.1:"), line
        assert "sk_test_cli" not in line
        url = line.rsplit(" ", 1)[1].strip()
        gateway = Gateway(SecretKey("sk_test_cli"), url, max_network_retries=0)
        created = gateway.create_customer({"email": "cli@example.com"}, new_idempotency_key())
        assert gateway.retrieve_customer(created["id"])["email"] == "cli@example.com"
        assert status_with_key(url, "sk_test_someone_else") == 401
        assert mode_of(db) == 0o600
        assert mode_of(db.with_name(db.name + "-wal")) == 0o600
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def status_with_key(url: str, key: str) -> int:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    try:
        conn.request("GET", "/v1/customers", headers={"Authorization": f"Bearer {key}"})
        return conn.getresponse().status
    finally:
        conn.close()


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--memory", "--port", "BUSY"], "cannot listen on 127.0.0.1 port"),
        (["--memory", "--port", "0", "--host", "192.0.2.1"], "cannot listen on 192.0.2.1"),
        (["--db", "TMP/missing/sandbox.sqlite3"], "does not exist"),
        (["--db", "TMP"], "is a directory"),
        (["--db", "TMP/notes.txt"], "is not a SQLite database"),
        (["--memory", "--key", "sk_live_nope"], "--key must be a test secret key"),
        (["--memory", "--events", "customer.created"], "--events needs --forward-to"),
        (["--memory", "--forward-to", "mailto:x@example.com"], "--forward-to"),
        (
            ["--memory", "--forward-to", "127.0.0.1:9/x", "--webhook-secret", "sk_test_oops"],
            "--webhook-secret must be a signing secret",
        ),
        (["--memory", "--forward-to", "127.0.0.1:9/x", "--events", "a b"], "not an event type"),
    ],
)
def test_sandbox_command_refusals_are_one_line_and_status_2(
    args: list[str],
    says: str,
    tmp_path: Path,
    busy_port: int,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "notes.txt").write_text("not a database\n")
    argv = [a.replace("TMP", str(tmp_path)).replace("BUSY", str(busy_port)) for a in args]
    assert main(["sandbox", *argv]) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("stripe-tui sandbox: "), captured.err
    assert says in lines[0] and "Traceback" not in captured.err
    assert captured.out == ""
    assert (tmp_path / "notes.txt").read_text() == "not a database\n"


def test_python_m_tui_sandbox_shares_the_command_line_and_its_default_file(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "COLUMNS": "200"}

    def options(*module: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", *module, "--help"],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        return done.stdout.split("options:", 1)[1]

    alone = options("tui.sandbox")
    for option in ("--host", "--port", "--key", "--db", "--memory"):
        assert option in alone
    assert f"stripe-tui{os.sep}sandbox.sqlite3)" in alone  # a file, as `stripe-tui sandbox`
    assert alone == options("tui", "sandbox")


def test_embedded_sandbox_accepts_only_its_own_key_and_keeps_its_files_private(
    tmp_path: Path,
) -> None:
    db = tmp_path / "fresh" / "sandbox.sqlite3"
    embedded = EmbeddedSandbox(db)
    other = EmbeddedSandbox(None)
    assert embedded.key.startswith("sk_test_") and len(embedded.key) > 40
    assert embedded.key != other.key and embedded.key not in repr(embedded)
    try:
        url = embedded.url()
        assert status_with_key(url, embedded.key) == 200
        assert status_with_key(url, "sk_test_sandbox") == 401
        assert status_with_key(url, other.key) == 401
        gateway = Gateway(SecretKey(embedded.key), url, max_network_retries=0)
        gateway.create_customer({"email": "private@example.com"}, new_idempotency_key())
        assert mode_of(db.parent) == 0o700
        assert mode_of(db) == 0o600
        assert mode_of(db.with_name(db.name + "-wal")) == 0o600
        assert mode_of(db.with_name(db.name + "-shm")) == 0o600
    finally:
        embedded.stop()


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


@pytest.mark.parametrize("given", [None, "whsec_given_by_the_operator"])
def test_sandbox_command_forwards_events_signed_with_the_printed_secret(
    given: str | None,
) -> None:
    with receiving(Receiver()) as receiver:
        args = ["sandbox", "--port", "0", "--memory", "--forward-to", receiver.url]
        if given is not None:
            args += ["--webhook-secret", given]
        process = subprocess.Popen(
            [sys.executable, "-m", "tui", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            assert process.stdout is not None
            listening, forwarding, secret_line = (process.stdout.readline() for _ in range(3))
            url = listening.rsplit(" ", 1)[1].strip()
            assert forwarding == f"Forwarding events to {receiver.url} (every event)\n"
            assert secret_line.startswith("webhook signing secret: whsec_"), secret_line
            secret = secret_line.split(": ", 1)[1].strip()
            if given is not None:
                assert secret == given
            gateway = Gateway(SecretKey("sk_test_cli"), url, max_network_retries=0)
            created = gateway.create_customer({"email": "hook@example.com"}, "k-hook")
            (delivery,) = receiver.wait_for(1)
        finally:
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=10) == 0
            assert process.stderr is not None
            assert "Traceback" not in process.stderr.read()
    event = stripe.Webhook.construct_event(
        delivery.body, delivery.headers["Stripe-Signature"], secret
    )
    assert event.type == "customer.created" and event.data.object.id == created["id"]


async def test_the_embedded_sandbox_forwards_events_and_the_console_shows_the_secret(
    tmp_path: Path,
) -> None:
    with receiving(Receiver()) as receiver:
        settings = resolve(
            memory=True,
            forward_to=receiver.url,
            events="customer.created",
            environ={"HOME": str(tmp_path)},
        )
        assert settings.webhooks is not None
        secret = settings.webhooks.secret
        assert secret not in repr(settings)
        app = StripeApp(settings)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            assert f"webhook signing secret: {secret}" in notes(app)
            assert f"events to {receiver.url}" in str(app.screen.query_one("ModeBanner").render())
            created = app.gateway.create_customer({"email": "hook@example.com"}, "k-embedded")
            app.gateway.create_product({"name": "Not forwarded"}, "k-product")
            (delivery,) = receiver.wait_for(1)
            # the Events screen shows each event's delivery attempts
            await pilot.press("4")
            await settle(pilot)
            await pilot.press("j")  # customer.created, under the newer product.created
            await settle(pilot)
            pane = app.screen.query_one("#event-detail", DetailPane)
            rows = dict(pane._rows)
            assert rows["type"] == "customer.created"
            assert "#1 200" in str(rows["deliveries"])
    event = stripe.Webhook.construct_event(
        delivery.body, delivery.headers["Stripe-Signature"], secret
    )
    assert event.data.object.id == created["id"]
    assert len(receiver.got) == 1
