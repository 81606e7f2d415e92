"""Shared fixtures: a fresh in-memory sandbox over real HTTP, and an SDK client for it; Pilot
waits on the app's state rather than on the clock (tests/waiting.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
import stripe

from tests import waiting
from tests.css_cache import css_parsed_once
from tests.waiting import pilot_waits_on_conditions
from tui.sandbox import SandboxServer

SANDBOX_TEST_KEY = "sk_test_sandbox_tests"


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """`--snapshot-update` runs the tests in one process: under pytest-xdist syrupy neither
    reports nor removes unused snapshots."""
    if getattr(config.option, "update_snapshots", False) and not hasattr(config, "workerinput"):
        config.option.numprocesses = 0
        config.option.dist = "no"
        config.option.tx = []


def pytest_collection_finish(session: pytest.Session) -> None:
    """What was imported to collect the tests (Textual, the SDK, aiohttp, the console) lives as
    long as the test process: set aside from the garbage collector, as the console sets aside
    what its start built (tui/app.py), so that a full collection does not scan it each time."""
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True, scope="session")
def _pilot_waits_on_conditions() -> Iterator[None]:
    with pilot_waits_on_conditions(), css_parsed_once():
        yield


@pytest.fixture(autouse=True)
def _paint_when_marked(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tests marked `paints` have their frames painted (tests/waiting.py skips the paint)."""
    if request.node.get_closest_marker("paints") is None:
        yield
        return
    waiting.PAINT = True
    try:
        yield
    finally:
        waiting.PAINT = False


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    """A started sandbox (loopback, free port, in-memory SQLite), stopped afterwards."""
    server = SandboxServer(port=0, db_path=None)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def stripe_client(sandbox: SandboxServer) -> stripe.StripeClient:
    """The official SDK pointed at the sandbox, without retries (faults are seen as is)."""
    return stripe.StripeClient(
        SANDBOX_TEST_KEY,
        base_addresses={"api": sandbox.url},
        max_network_retries=0,
    )
