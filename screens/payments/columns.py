"""What the Payments screen shows of an intent: its state, the list's columns, the detail's
rows and the refunds' columns, and the filters' search query."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rich.text import Text

from screens.common import money, status, text, when
from tui.gateway import Obj
from widgets.resource_table import Column

STATUS_FILTERS: tuple[str, ...] = (
    "succeeded",
    "requires_payment_method",
    "requires_capture",
    "canceled",
    "refunded",
    "partially refunded",
)
"""The statuses Payments filters by, as the list shows them (refunds are a succeeded intent's)."""

SCROLLBAR = 2
MIN_DESCRIPTION = 20


def intent_state(intent: Obj, charges: dict[str, Obj]) -> str:
    """The intent's status, or for a succeeded one whose charge is known to have been refunded,
    "refunded" or "partially refunded"."""
    state = str(intent.get("status") or "")
    charge = charges.get(str(intent.get("latest_charge") or ""))
    if state != "succeeded" or charge is None or not refunded(charge):
        return state
    return "partially refunded" if refundable(charge) else "refunded"


def parse_day(value: str) -> datetime:
    """A date typed as YYYY-MM-DD, as midnight UTC (the list shows times in UTC)."""
    return datetime.strptime(value.strip(), "%Y-%m-%d").replace(tzinfo=UTC)


def intent_search_query(
    *,
    customer: str | None = None,
    status: str = "",
    created_from: str = "",
    created_to: str = "",
    query: str = "",
) -> str:
    """Stripe's search query for the filters: a typed query, joined with AND to the customer,
    the status (refunds are searched as succeeded, then told apart by the charge) and the days
    from and to (both included)."""
    parts = [query.strip()] if query.strip() else []
    if customer:
        parts.append(f'customer:"{customer}"')
    if status:
        searched = "succeeded" if status in ("refunded", "partially refunded") else status
        parts.append(f'status:"{searched}"')
    if created_from:
        parts.append(f"created>={int(parse_day(created_from).timestamp())}")
    if created_to:
        end = parse_day(created_to) + timedelta(days=1)
        parts.append(f"created<{int(end.timestamp())}")
    return " AND ".join(parts)


def looks_like_search(value: str) -> bool:
    """Whether text typed in the filter is Stripe's search syntax (`amount>1000`, `status:…`)."""
    return any(op in value for op in (":", ">", "<", "~"))


def intent_columns(width: int, charges: dict[str, Obj] | None = None) -> tuple[Column, ...]:
    """The list's columns for a table `width` cells wide: amount, status and id always whole,
    then the description, the customer and the time while they fit (the detail shows all).
    `charges` (by id) turns "succeeded" into "refunded" or "partially refunded"."""
    known = {} if charges is None else charges
    amount = Column("Amount", lambda i: money(i.get("amount"), i.get("currency")), width=13)
    state = Column("Status", lambda i: status(intent_state(i, known)), width=23)
    ident = Column("Id", lambda i: i["id"], width=27)
    customer = Column("Customer", lambda i: text(i.get("customer")), width=28)
    created = Column("Created", lambda i: when(i.get("created")), width=16)
    room = max(width, 0) - SCROLLBAR - (13 + 23 + 27 + 3 * 2)
    extras = []
    for extra in (customer, created):
        assert extra.width is not None
        if room - extra.width - 2 >= MIN_DESCRIPTION + 2:
            room -= extra.width + 2
            extras.append(extra)
    if room < MIN_DESCRIPTION + 2:
        return (amount, state, ident, *extras)
    description = Column(
        "Description", lambda i: text(i.get("description")), width=min(room - 2, 40)
    )
    return (amount, state, description, ident, *extras)


REFUND_COLUMNS = (
    Column("Amount", lambda r: money(r.get("amount"), r.get("currency")), width=12),
    Column("Reason", lambda r: text(r.get("reason")), width=21),
    Column("Status", lambda r: status(r.get("status")), width=10),
    Column("Id", lambda r: r["id"], width=27),
    Column("Created", lambda r: when(r.get("created")), width=16),
)


def intent_rows(
    intent: Obj, charge: Obj | None, *, charge_loading: bool = False
) -> list[tuple[str, str | Text]]:
    """Every field of an intent that an operator reads, with its latest charge's refunds."""
    amount = intent.get("amount")
    currency = intent.get("currency")
    error = intent.get("last_payment_error") or {}
    if charge is not None:
        refunds = money(refunded(charge), charge.get("currency"))
    elif charge_loading and intent.get("latest_charge"):
        refunds = "…"
    else:
        refunds = money(0, currency) if intent.get("latest_charge") else "—"
    rows: list[tuple[str, str | Text]] = [
        ("amount", money(amount, currency)),
        ("currency", text(currency).upper()),
        ("status", status(intent.get("status"))),
        ("customer", text(intent.get("customer"))),
        ("description", text(intent.get("description"))),
        ("id", text(intent.get("id"))),
        ("created", when(intent.get("created"))),
        ("latest charge", text(intent.get("latest_charge"))),
        ("amount received", money(intent.get("amount_received"), currency)),
        ("amount refunded", refunds),
    ]
    if charge is not None and released(charge):
        rows.append(("released", money(released(charge), charge.get("currency"))))
    if charge is not None and captured(charge):
        rows.append(("refundable", money(refundable(charge), charge.get("currency"))))
    if intent.get("capture_method") == "manual":
        rows.append(("capture", "manual"))
    if intent.get("status") == "requires_capture":
        rows.append(("capturable", money(intent.get("amount_capturable"), currency)))
    if intent.get("cancellation_reason"):
        rows.append(("canceled for", text(intent.get("cancellation_reason"))))
    rows += [
        ("payment method", text(intent.get("payment_method"))),
        ("error code", text(error.get("code"))),
        ("decline code", text(error.get("decline_code"))),
        ("error message", text(error.get("message"))),
    ]
    if intent.get("status") == "requires_action":
        rows.append(("next action", "3-D Secure authentication by the customer"))
    return rows


def captured(charge: Obj) -> bool:
    """Whether a charge took money (an uncaptured hold has nothing to refund yet)."""
    return charge.get("status") == "succeeded" and charge.get("captured") is not False


def _amount_captured(charge: Obj) -> int:
    found = charge.get("amount_captured")
    if found is None:  # an older object: all of it, once captured
        return int(charge.get("amount") or 0) if charge.get("captured") is not False else 0
    return int(found)


def released(charge: Obj) -> int:
    """What a hold gave back without a refund: the part a capture left, or all of a canceled hold.

    Stripe counts it in the charge's `amount_refunded` (and so does the sandbox), though no
    refund was made and the customer was never charged it."""
    left_uncaptured = int(charge.get("amount") or 0) - _amount_captured(charge)
    return max(0, min(int(charge.get("amount_refunded") or 0), left_uncaptured))


def refunded(charge: Obj) -> int:
    """What refunds gave back of the captured amount, in the smallest unit."""
    return int(charge.get("amount_refunded") or 0) - released(charge)


def refundable(charge: Obj) -> int:
    """What is left to refund on a charge, in the smallest unit."""
    return max(0, _amount_captured(charge) - refunded(charge))


def payment_method_label(method: Obj) -> str:
    """A saved payment method in one line: its id, brand, last digits and expiry."""
    card = method.get("card") or {}
    if not card:
        return f"{method.get('id')} — {text(method.get('type'))}"
    expiry = f"{card.get('exp_month', 0):02}/{str(card.get('exp_year', ''))[-2:]}"
    return f"{method.get('id')} — {text(card.get('brand'))} •••• {card.get('last4')} {expiry}"


def customer_label(customer: Obj) -> str:
    parts = [customer.get("email"), customer.get("name")]
    return " · ".join(p for p in parts if p) or "(no email or name)"
