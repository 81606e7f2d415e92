"""Fixtures for Pilot tests: the app pointed at a fresh in-memory sandbox over real HTTP."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from tui.app import StripeApp
from tui.gateway import Gateway
from tui.settings import Mode, SecretKey, Settings

TEST_KEY = "sk_test_functional_tests_0000"


@pytest.fixture
def settings(sandbox: Any) -> Settings:
    return Settings(
        api_key=SecretKey(TEST_KEY),
        mode=Mode.SANDBOX,
        api_base=sandbox.url,
        key_source="tests",
    )


@pytest.fixture
def gateway(settings: Settings) -> Gateway:
    """A gateway to seed data with, as the app would send it."""
    assert settings.api_key is not None
    return Gateway(settings.api_key, settings.api_base, max_network_retries=0)


@pytest.fixture
def make_app(settings: Settings) -> Callable[..., StripeApp]:
    """Build the app on the sandbox; keyword arguments override settings (e.g. read_only)."""

    def make(**overrides: Any) -> StripeApp:
        app_settings = replace(settings, **overrides)
        assert app_settings.api_key is not None
        gateway = Gateway(app_settings.api_key, app_settings.api_base, max_network_retries=0)
        return StripeApp(app_settings, gateway=gateway)

    return make
