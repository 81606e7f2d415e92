"""The Payments screen (payment intents, their confirmation, refunds and the rest of their
life): the screen, its columns, forms and outcomes."""

from screens.payments.screen import PaymentsScreen
from widgets.dialogs import OutcomeScreen

__all__ = ["OutcomeScreen", "PaymentsScreen"]
