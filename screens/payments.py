"""The Payments screen: payment intents, their confirmation and refunds."""

from __future__ import annotations

from screens.base import ConsoleScreen


class PaymentsScreen(ConsoleScreen):
    """Payment intents with a detail pane and their refunds."""

    MODE = "payments"
