"""How the screens show Stripe's values: times, amounts, statuses, empty fields."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from rich.text import Text

from tui.money import MoneyError, format_amount
from widgets.literal import literal

STATUS_STYLES = {
    "succeeded": "bold green",
    "requires_payment_method": "yellow",
    "requires_confirmation": "yellow",
    "requires_action": "bold magenta",
    "processing": "cyan",
    "requires_capture": "cyan",
    "canceled": "dim",
    "pending": "cyan",
    "failed": "bold red",
    "refunded": "magenta",
    "partially refunded": "magenta",
}


def when(timestamp: Any) -> str:
    """A Stripe `created` (unix seconds) as 'YYYY-MM-DD HH:MM' in UTC."""
    if not isinstance(timestamp, int):
        return "—"
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d %H:%M")


def text(value: Any) -> str:
    """A field for display: an em dash for null or empty."""
    if value is None or value == "" or value == {}:
        return "—"
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def money(amount: Any, currency: Any) -> str:
    """An amount in the smallest unit as the operator reads it: '12.50 USD'."""
    if not isinstance(amount, int) or not isinstance(currency, str):
        return "—"
    try:
        return format_amount(amount, currency)
    except MoneyError:
        return f"{amount} {currency.upper()}"


def status(value: Any) -> Text:
    """A status with its colour."""
    label = text(value)
    return literal(label, style=STATUS_STYLES.get(label, ""))


EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_SEARCH = 3
"""Stripe's search needs three characters for a substring (`~`) match."""


def classify_customer_query(query: str) -> str:
    """How typed text finds customers: 'all' (empty), 'id' (retrieve a cus_ id), 'email' (the
    list's email filter), 'search' (Stripe's search), or 'short' (too short to search)."""
    query = query.strip()
    if not query:
        return "all"
    if query.startswith("cus_") and " " not in query:
        return "id"
    if EMAIL_RE.match(query):
        return "email"
    return "search" if len(query) >= MIN_SEARCH else "short"
