"""The Payments screen: payment intents, their confirmation with test cards, and refunds.

Moving money asks for the amount to be typed in LIVE mode, and is not offered at all in
read-only mode. A declined card or a card that needs 3-D Secure is an expected outcome of a
confirmation, so it closes the form and is explained in a small result dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from screens.base import ConsoleAction, ConsoleScreen
from screens.common import (
    MIN_SEARCH,
    classify_customer_query,
    money,
    status,
    text,
    when,
)
from screens.events import timeline
from tui.gateway import ErrorKind, Gateway, GatewayError, Obj, Page, customer_search_query
from widgets.detail import DetailPane
from widgets.dialogs import OutcomeScreen
from widgets.form import Field, FormScreen, FormSpec, Lookup
from widgets.literal import literal
from widgets.resource_table import Column, Resource, ResourceTable

PAGE_SIZE = 100  # Stripe's maximum: half the requests, and browsing 10,000 measured ~25% faster
ALL_INTENTS_TITLE = "Payment intents  [dim]/ filter[/]"

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
    if state != "succeeded" or charge is None or not charge.get("amount_refunded"):
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

TEST_PAYMENT_METHODS: tuple[tuple[str, str], ...] = (
    ("pm_card_visa", "pm_card_visa — Visa: succeeds"),
    ("pm_card_mastercard", "pm_card_mastercard — Mastercard: succeeds"),
    ("pm_card_amex", "pm_card_amex — Amex: succeeds"),
    ("pm_card_chargeDeclined", "pm_card_chargeDeclined — generic decline"),
    (
        "pm_card_chargeDeclinedInsufficientFunds",
        "pm_card_chargeDeclinedInsufficientFunds — Insufficient funds",
    ),
    ("pm_card_chargeDeclinedFraudulent", "pm_card_chargeDeclinedFraudulent — fraud"),
    ("pm_card_chargeDeclinedExpiredCard", "pm_card_chargeDeclinedExpiredCard — expired"),
    ("pm_card_authenticationRequired", "pm_card_authenticationRequired — 3-D Secure"),
    ("pm_card_threeDSecure2Required", "pm_card_threeDSecure2Required — 3-D Secure 2"),
)
"""Stripe's test payment methods, each with what it does (any other pm_ id may be typed)."""

REFUND_REASONS: tuple[tuple[str, str], ...] = (
    ("duplicate", "duplicate"),
    ("fraudulent", "fraudulent"),
    ("requested_by_customer", "requested by customer"),
)

CANCEL_REASONS: tuple[tuple[str, str], ...] = (
    ("abandoned", "abandoned"),
    ("duplicate", "duplicate"),
    ("fraudulent", "fraudulent"),
    ("requested_by_customer", "requested by customer"),
)

CAPTURE_METHODS: tuple[tuple[str, str], ...] = (
    ("automatic", "automatic — charged when confirmed"),
    ("manual", "manual — a hold, captured or canceled later"),
)

REQUIRES_ACTION_TEXT = (
    "The card needs 3-D Secure authentication by the customer (their bank asks them to "
    "approve the payment). The console cannot authenticate on the customer's behalf.\n\n"
    "The intent waits in requires_action. You can: let the customer complete it in your "
    "checkout, where Stripe.js shows the challenge using the intent's client secret; or "
    "confirm it again with another payment method (c)."
)


def intent_rows(
    intent: Obj, charge: Obj | None, *, charge_loading: bool = False
) -> list[tuple[str, str | Text]]:
    """Every field of an intent that an operator reads, with its latest charge's refunds."""
    amount = intent.get("amount")
    currency = intent.get("currency")
    error = intent.get("last_payment_error") or {}
    if charge is not None:
        refunded = money(charge.get("amount_refunded"), charge.get("currency"))
    elif charge_loading and intent.get("latest_charge"):
        refunded = "…"
    else:
        refunded = money(0, currency) if intent.get("latest_charge") else "—"
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
        ("amount refunded", refunded),
    ]
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


def refundable(charge: Obj) -> int:
    """What is left to refund on a charge, in the smallest unit."""
    amount = charge.get("amount_captured") or charge.get("amount") or 0
    return max(0, int(amount) - int(charge.get("amount_refunded") or 0))


def customer_suggestions(gateway: Gateway, query: str) -> list[tuple[str, str]]:
    """Customers matching typed text, as (id, label): an email is listed, other text searched."""
    kind = classify_customer_query(query)
    if kind == "email":
        page = gateway.list_customers(10, email=query.strip())
    elif kind == "search":
        page = gateway.search_customers(customer_search_query(query), 10)
    else:
        return []
    return [(c["id"], customer_label(c)) for c in page.items]


def intent_id_field(*params: str, lookup: Callable[[str], Lookup] | None = None) -> Field:
    """The payment intent a form acts on; `params` are the Stripe params that name it."""
    return Field(
        "payment_intent_id",
        "Payment intent",
        kind="id",
        required=True,
        prefix="pi_",
        params=params,
        placeholder="pi_…",
        lookup=lookup,
    )


def intent_note(intent: Obj, charge: Obj | None) -> str:
    """An intent in one line, as a form shows the one it acts on: amount, status, refunds."""
    parts = [money(intent.get("amount"), intent.get("currency")), text(intent.get("status"))]
    if intent.get("status") == "requires_capture":
        parts.append(f"capturable {money(intent.get('amount_capturable'), intent.get('currency'))}")
    if charge is not None and captured(charge):
        currency = charge.get("currency")
        parts.append(f"refunded {money(charge.get('amount_refunded'), currency)}")
        parts.append(f"refundable {money(refundable(charge), currency)}")
    return " · ".join(parts)


def refund_amount_field(intent: Obj | None, charge: Obj | None) -> Field:
    """The refund's amount, limited to what is left on the intent's charge when it is known."""
    currency: str | None = None
    maximum: int | None = None
    help_text = "Empty refunds everything that is left. Select the intent to see the limit."
    if intent is not None:
        currency = str(intent.get("currency") or "usd")
        if charge is not None and charge.get("status") == "succeeded":
            maximum = refundable(charge)
            help_text = f"Refundable: {money(maximum, currency)}. Partial, or empty for all."
            if maximum == 0:
                help_text = "Nothing left to refund: the payment is fully refunded."
        else:
            help_text = f"Not charged yet (status {text(intent.get('status'))})."
    return Field(
        "amount",
        "Amount",
        kind="amount",
        currency=currency,
        maximum=maximum,
        placeholder="empty: everything left",
        help=help_text,
    )


def capture_amount_field(intent: Obj | None) -> Field:
    """The amount to capture, limited to what the hold allows when the intent is known."""
    currency: str | None = None
    maximum: int | None = None
    help_text = "Empty captures the whole hold. Select the intent to see the limit."
    if intent is not None:
        currency = str(intent.get("currency") or "usd")
        if intent.get("status") == "requires_capture":
            maximum = int(intent.get("amount_capturable") or 0)
            help_text = (
                f"Capturable: {money(maximum, currency)}. Less captures part and releases "
                "the rest; empty captures all."
            )
        else:
            help_text = f"Nothing to capture: the intent is {text(intent.get('status'))}."
    return Field(
        "amount_to_capture",
        "Amount",
        kind="amount",
        currency=currency,
        maximum=maximum,
        placeholder="empty: all of the hold",
        help=help_text,
    )


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


@dataclass(frozen=True)
class ConfirmOutcome:
    """What a confirmation came to: the intent as it is now, its charge, and any card error."""

    intent: Obj
    charge: Obj | None = None
    error: GatewayError | None = None
    payment_method: str = ""

    @property
    def id(self) -> str:
        return str(self.intent.get("id") or "")


def declined_text(outcome: ConfirmOutcome) -> str:
    error = outcome.error
    assert error is not None
    intent = outcome.intent
    amount = money(intent.get("amount"), intent.get("currency"))
    lines = [
        f"Payment intent {intent.get('id')} ({amount})",
        f"Stripe said: {error.message}",
        f"Decline code: {error.decline_code or '—'}    Error code: {error.code or '—'}",
    ]
    if error.request_id:
        lines.append(f"Request: {error.request_id}")
    lines += [
        "",
        f"The intent is back to {text(intent.get('status'))}: no money moved. Confirm it again "
        "with another payment method (c), or ask the customer for another card.",
    ]
    return "\n".join(lines)


def requires_action_text(intent: Obj) -> str:
    head = (
        f"Payment intent {intent.get('id')} ({money(intent.get('amount'), intent.get('currency'))})"
    )
    return f"{head}\n\n{REQUIRES_ACTION_TEXT}"


class PaymentsScreen(ConsoleScreen):
    """Payment intents, newest first, with a detail pane and the intent's refunds."""

    MODE = "payments"
    ACTIONS: ClassVar[tuple[ConsoleAction, ...]] = (
        ConsoleAction(
            "Create a payment intent",
            "amount, currency, customer, description",
            "new_payment_intent",
        ),
        ConsoleAction(
            "Confirm a payment intent", "with a test card or any pm_ id", "confirm_payment_intent"
        ),
        ConsoleAction(
            "Refund a Stripe payment", "all or part of a succeeded payment", "refund_payment"
        ),
        ConsoleAction(
            "Capture a payment intent",
            "all or part of a hold (manual capture)",
            "capture_payment_intent",
        ),
        ConsoleAction(
            "Cancel a payment intent",
            "an unpaid intent, or release a hold",
            "cancel_payment_intent",
        ),
        ConsoleAction(
            "Attach a payment method",
            "a test card or a pm_ id, to a customer",
            "attach_payment_method",
        ),
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "n", "new_payment_intent", "New", tooltip="Create a payment intent", id="payments.new"
        ),
        Binding(
            "c",
            "confirm_payment_intent",
            "Confirm",
            tooltip="Confirm a payment intent",
            id="payments.confirm",
        ),
        Binding(
            "f", "refund_payment", "Refund", tooltip="Refund a Stripe payment", id="payments.refund"
        ),
        Binding(
            "slash",
            "filter",
            "Filter",
            key_display="/",
            tooltip="Filter by customer, status, dates or a search",
            id="payments.filter",
        ),
        Binding(
            "escape",
            "clear_filter",
            "Clear",
            tooltip="Clear the filters",
            id="payments.clear",
        ),
        Binding(
            "p",
            "capture_payment_intent",
            "Capture",
            tooltip="Capture a payment intent",
            id="payments.capture",
        ),
        Binding(
            "x",
            "cancel_payment_intent",
            "Cancel",
            tooltip="Cancel a payment intent",
            id="payments.cancel",
        ),
        Binding(
            "a",
            "attach_payment_method",
            "Attach",
            tooltip="Attach a payment method",
            id="payments.attach",
        ),
    ]

    # Screen CSS (not DEFAULT_CSS) so that it outranks the shared layout in app.tcss.
    CSS = """
    PaymentsScreen .payments-list, PaymentsScreen .payments-detail {
        layout: vertical;
        height: 1fr;
    }
    /* The list the whole width (so that id and description fit at 120 columns), the detail
       and the refunds side by side under it. */
    PaymentsScreen.-wide .body, PaymentsScreen.-narrow .body {
        layout: vertical;
    }
    PaymentsScreen .payments-detail {
        layout: horizontal;
    }
    PaymentsScreen #intent-detail {
        width: 2fr;
    }
    PaymentsScreen #intent-refunds {
        width: 1fr;
        height: 1fr;
    }
    PaymentsScreen #filter-more {
        height: 1;
    }
    PaymentsScreen #filter-more Select {
        width: 30;
    }
    PaymentsScreen #filter-more Input {
        border: none;
        width: 18;
        height: 1;
        margin-left: 1;
    }
    PaymentsScreen #filter-matches {
        display: none;
        height: auto;
        max-height: 6;
    }
    PaymentsScreen #filter-matches.-shown {
        display: block;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._detail_timer: Timer | None = None
        self._shown: Obj | None = None
        self._charges: dict[str, Obj] = {}
        self._pinned: Obj | None = None
        self._looked_up: dict[str, Obj] = {}
        self._tried: dict[str, str] = {}
        """The payment method last declined, by intent: the confirm form offers it again."""
        self.customer_filter: str | None = None
        """The cus_ id whose intents are listed, or None for all."""
        self.customer_filter_label = ""
        self.status_filter = ""
        """One of STATUS_FILTERS, or "" for any."""
        self.created_from = ""
        self.created_to = ""
        """The days (YYYY-MM-DD, UTC, both included) the intents were created in, or ""."""
        self.search_query = ""
        """A query typed in Stripe's search syntax, or ""."""

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="body"):
            with Vertical(classes="payments-list"):
                with Vertical(classes="filter-bar", id="filter-bar"):
                    yield Input(
                        placeholder="a cus_ id, an email or name, or a search like amount>1000",
                        id="filter",
                    )
                    with Horizontal(id="filter-more"):
                        yield Select(
                            [(s, s) for s in STATUS_FILTERS],
                            prompt="any status",
                            id="filter-status",
                            compact=True,
                        )
                        yield Input(placeholder="from YYYY-MM-DD", id="filter-from", compact=True)
                        yield Input(placeholder="to YYYY-MM-DD", id="filter-to", compact=True)
                    yield OptionList(id="filter-matches")
                    yield Static("", classes="filter-hint", id="filter-hint")
                table = ResourceTable(self._resource(), id="intents")
                table.border_title = ALL_INTENTS_TITLE
                yield table
            with Vertical(classes="payments-detail"):
                yield DetailPane(id="intent-detail")
                refunds = ResourceTable(id="intent-refunds")
                refunds.border_title = "Refunds"
                yield refunds

    def on_mount(self) -> None:
        self.detail.clear("Select a payment intent.")
        self.table.load()
        self.table.focus()

    @property
    def table(self) -> ResourceTable:
        return self.query_one("#intents", ResourceTable)

    @property
    def refunds(self) -> ResourceTable:
        return self.query_one("#intent-refunds", ResourceTable)

    @property
    def detail(self) -> DetailPane:
        return self.query_one("#intent-detail", DetailPane)

    @property
    def shown(self) -> Obj | None:
        """The intent in the detail pane."""
        return self._shown

    # Listing ---------------------------------------------------------------------------------

    def _resource(self) -> Resource:
        gateway = self.gateway
        customer = self.customer_filter

        charges = self._charges

        def keep_charges(page: Page) -> list[Obj]:
            for intent in page.items:
                charge = intent.get("latest_charge")
                if isinstance(charge, dict):  # expanded: kept by id, the intent keeps the id
                    charges[charge["id"]] = charge
                    intent["latest_charge"] = charge["id"]
            return page.items

        state = self.status_filter
        if self.filtered_by_search:
            query = intent_search_query(
                customer=customer,
                status=state,
                created_from=self.created_from,
                created_to=self.created_to,
                query=self.search_query,
            )

            def search(cursor: str | None) -> Page:
                while True:  # pages whose intents are all refunded (or not) are skipped
                    page = gateway.search_payment_intents(
                        query, PAGE_SIZE, cursor, expand_latest_charge=True
                    )
                    items = [i for i in keep_charges(page) if intent_state(i, charges) == state]
                    if items or not state or page.next_cursor is None:
                        return Page(items if state else page.items, page.next_cursor)
                    cursor = page.next_cursor

            columns = intent_columns(self._list_width(), charges)
            empty = "No payment intents match these filters. Escape clears them."
            return Resource("payment intents", columns, search, empty_text=empty)

        def fetch(cursor: str | None) -> Page:
            page = gateway.list_payment_intents(
                PAGE_SIZE, cursor, customer=customer, expand_latest_charge=True
            )
            keep_charges(page)
            return page

        empty = "No payment intents yet. Press n to create one."
        if customer:
            empty = "No payment intents for this customer. Escape clears the filter."
        columns = intent_columns(self._list_width(), charges)
        return Resource("payment intents", columns, fetch, empty_text=empty)

    def _list_width(self) -> int:
        """The width inside the list's border (the list is as wide as the screen)."""
        return (self.table.size.width if self.is_mounted else 0) or self.app.size.width - 2

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_columns)

    def _fit_columns(self) -> None:
        table = self.table
        if table.resource is None:
            return
        new = intent_columns(self._list_width(), self._charges)
        if [(c.label, c.width) for c in table.resource.columns] != [
            (c.label, c.width) for c in new
        ]:
            table.set_columns(new)  # the loaded pages stay: no fetch from page 1

    @property
    def filtered_by_search(self) -> bool:
        """Whether the list is Stripe's search (status, dates or a query) rather than a list."""
        return bool(self.status_filter or self.created_from or self.created_to or self.search_query)

    @property
    def filtered(self) -> bool:
        return self.customer_filter is not None or self.filtered_by_search

    def _reload(self) -> None:
        title: str | Text = ALL_INTENTS_TITLE
        if self.filtered:
            parts = ["Payment intents"]
            if self.customer_filter:
                parts[0] += f" of {self.customer_filter_label or self.customer_filter}"
            if self.status_filter:
                parts.append(self.status_filter)
            if self.created_from or self.created_to:
                parts.append(f"{self.created_from or '…'} to {self.created_to or '…'}")
            if self.search_query:
                parts.append(self.search_query)
            title = literal(" · ".join(parts))
        self.table.border_title = title
        self.table.load(self._resource())

    @on(ResourceTable.Loaded, "#intents")
    def _loaded(self, event: ResourceTable.Loaded) -> None:
        pinned, self._pinned = self._pinned, None
        if pinned is not None:
            self._select(pinned)

    def _select(self, intent: Obj) -> None:
        """Put an intent in the table (in place if loaded), move the cursor to it, show it."""
        table = self.table
        table.upsert(intent)
        ids = [item.get("id") for item in table.items]
        if intent["id"] in ids:
            table.move_cursor(row=ids.index(intent["id"]))
        self.show_intent(intent)

    # Filter ----------------------------------------------------------------------------------

    def action_filter(self) -> None:
        self.query_one("#filter-bar").add_class("-shown")
        self.query_one("#filter", Input).focus()

    def _hint(self, message: str) -> None:
        self.query_one("#filter-hint", Static).update(literal(message))

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        value = event.value.strip()
        self.query_one("#filter-matches", OptionList).remove_class("-shown")
        if not value:
            self._hint("A cus_ id lists that customer's intents; an email or name finds them.")
        elif looks_like_search(value):
            self._hint("Stripe's search syntax: enter searches (e.g. amount>1000).")
        elif value.startswith("cus_"):
            self._hint("A customer id: enter lists their intents.")
        else:
            self._hint("Enter searches customers; on real Stripe search can lag a minute.")

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if not value:
            if self.customer_filter is not None or self.search_query:
                self.customer_filter = None
                self.customer_filter_label = ""
                self.search_query = ""
                self._reload()
            self._filters_applied()
        elif looks_like_search(value):
            self.search_query = value
            self._reload()
            self._filters_applied()
        elif value.startswith("cus_") and " " not in value:
            self.apply_customer_filter(value)
        elif classify_customer_query(value) == "short":
            self._hint(f"Type at least {MIN_SEARCH} characters to search customers.")
        else:
            self._hint(f'Searching customers for "{value}"…')
            self._search_customers(value)

    @work(
        thread=True,
        exclusive=True,
        group="payments-filter",
        exit_on_error=False,
        description="Search customers",
    )
    def _search_customers(self, query: str) -> None:
        matches = customer_suggestions(self.gateway, query)
        self.app.call_from_thread(self._customers_found, query, matches)

    def _customers_found(self, query: str, matches: list[tuple[str, str]]) -> None:
        if self.query_one("#filter", Input).value.strip() != query:
            return
        options = self.query_one("#filter-matches", OptionList)
        if not matches:
            self._hint(f'No customer matches "{query}".')
            return
        if len(matches) == 1:
            self.apply_customer_filter(*matches[0])
            return
        options.clear_options()
        options.add_options(
            [Option(literal(f"{label}  {ident}"), id=ident) for ident, label in matches]
        )
        options.add_class("-shown")
        options.highlighted = 0
        options.focus()
        self._hint(f"{len(matches)} customers match: pick one (enter), escape clears.")

    @on(OptionList.OptionSelected, "#filter-matches")
    def _customer_picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        ident = event.option.id
        if ident is None:
            return
        label = str(event.option.prompt).rsplit("  ", 1)[0]
        self.apply_customer_filter(ident, label)

    def apply_customer_filter(self, customer_id: str, label: str = "") -> None:
        """List only one customer's intents."""
        self.customer_filter = customer_id
        self.customer_filter_label = label
        self.query_one("#filter-matches", OptionList).remove_class("-shown")
        self.query_one("#filter-bar").remove_class("-shown")
        self._reload()
        self.table.focus()
        self.refresh_bindings()

    @on(Select.Changed, "#filter-status")
    def _status_chosen(self, event: Select.Changed) -> None:
        event.stop()
        value = event.value if isinstance(event.value, str) else ""
        if value != self.status_filter:
            self.status_filter = value
            self._reload()
            self.refresh_bindings()

    @on(Input.Submitted, "#filter-from, #filter-to")
    def _dates_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        days = {}
        for name in ("from", "to"):
            value = self.query_one(f"#filter-{name}", Input).value.strip()
            try:
                days[name] = parse_day(value).strftime("%Y-%m-%d") if value else ""
            except ValueError:
                self._hint(f"Type the {name} day as YYYY-MM-DD (UTC), e.g. 2026-01-31.")
                return
        if days["from"] and days["to"] and days["from"] > days["to"]:
            self._hint("The from day is after the to day.")
            return
        if (days["from"], days["to"]) != (self.created_from, self.created_to):
            self.created_from, self.created_to = days["from"], days["to"]
            self._reload()
        self._filters_applied()

    def _filters_applied(self) -> None:
        self._hint("On real Stripe, search can lag a minute behind new payments.")
        self.query_one("#filter-matches", OptionList).remove_class("-shown")
        self.query_one("#filter-bar").remove_class("-shown")
        self.table.focus()
        self.refresh_bindings()

    def action_clear_filter(self) -> None:
        had_filter = self.filtered
        self.query_one("#filter", Input).value = ""
        self.query_one("#filter-matches", OptionList).remove_class("-shown")
        self.query_one("#filter-bar").remove_class("-shown")
        with self.prevent(Select.Changed):
            self.query_one("#filter-status", Select).clear()
        self.query_one("#filter-from", Input).value = ""
        self.query_one("#filter-to", Input).value = ""
        self.customer_filter = None
        self.customer_filter_label = ""
        self.status_filter = self.created_from = self.created_to = self.search_query = ""
        if had_filter:
            self._reload()
        self.table.focus()
        self.refresh_bindings()

    # Detail ----------------------------------------------------------------------------------

    @on(ResourceTable.Highlighted, "#intents")
    def _highlighted(self, event: ResourceTable.Highlighted) -> None:
        if self._detail_timer is not None:
            self._detail_timer.stop()
        item = event.item
        if item == self._shown:
            return  # already shown (e.g. _select showed it before moving the cursor)
        self._detail_timer = self.set_timer(0.15, lambda: self.show_intent(item))

    @on(ResourceTable.Opened, "#intents")
    def _opened(self, event: ResourceTable.Opened) -> None:
        self.show_intent(event.item)
        self.refunds.focus()

    def show_intent(self, intent: Obj, charge: Obj | None = None) -> None:
        """Show an intent's fields; fetch its latest charge (for the refunds) and its refunds."""
        self._shown = intent
        charge_id = intent.get("latest_charge")
        if charge is None and charge_id:
            charge = self._charges.get(charge_id)
        if charge is not None:
            self._charges[charge["id"]] = charge
        self._render_detail(intent, charge, charge_loading=charge is None)
        gateway = self.gateway
        intent_id = intent["id"]
        self.detail.show_later("timeline", lambda: timeline(gateway, intent_id, "payment_intent"))
        self.refunds.load(
            Resource(
                "refunds",
                REFUND_COLUMNS,
                lambda cursor: gateway.list_refunds(20, cursor, payment_intent=intent_id),
                empty_text="No refunds.",
            )
        )
        if charge_id:
            self._load_charge(intent_id, charge_id)

    def _render_detail(self, intent: Obj, charge: Obj | None, *, charge_loading: bool) -> None:
        title = (
            f"{money(intent.get('amount'), intent.get('currency'))} · {text(intent.get('status'))}"
        )
        self.detail.show(
            title, intent_rows(intent, charge, charge_loading=charge_loading), key=intent["id"]
        )

    @work(
        thread=True,
        exclusive=True,
        group="payments-charge",
        exit_on_error=False,
        description="Load the charge",
    )
    def _load_charge(self, intent_id: str, charge_id: str) -> None:
        charge = self.gateway.retrieve_charge(charge_id)
        self.app.call_from_thread(self._charge_loaded, intent_id, charge)

    def _charge_loaded(self, intent_id: str, charge: Obj) -> None:
        self._charges[charge["id"]] = charge
        if self._shown is not None and self._shown["id"] == intent_id:
            self._render_detail(self._shown, charge, charge_loading=False)

    def show_payment_intent(self, payment_intent_id: str) -> None:
        """Show one intent by id, loaded or not (e.g. opened from a customer's detail)."""
        self._fetch_intent(payment_intent_id)

    @work(
        thread=True,
        exclusive=True,
        group="payments-open",
        exit_on_error=False,
        description="Open the payment intent",
    )
    def _fetch_intent(self, payment_intent_id: str) -> None:
        intent = self.gateway.retrieve_payment_intent(payment_intent_id)
        self.app.call_from_thread(self._opened_by_id, intent)

    def _opened_by_id(self, intent: Obj) -> None:
        if self.customer_filter and intent.get("customer") != self.customer_filter:
            self.customer_filter = None
            self.customer_filter_label = ""
            self._reload()
        self._select(intent)
        if not self.table.loaded:
            self._pinned = intent
        self.table.focus()

    def _refresh_intent(self, payment_intent_id: str) -> None:
        """Fetch an intent and its charge again after money moved, and show both."""
        self._refetch(payment_intent_id)

    @work(
        thread=True,
        exclusive=True,
        group="payments-refetch",
        exit_on_error=False,
        description="Refresh the payment intent",
    )
    def _refetch(self, payment_intent_id: str) -> None:
        intent = self.gateway.retrieve_payment_intent(payment_intent_id)
        charge_id = intent.get("latest_charge")
        charge = self.gateway.retrieve_charge(charge_id) if charge_id else None
        self.app.call_from_thread(self._refetched, intent, charge)

    def _refetched(self, intent: Obj, charge: Obj | None) -> None:
        if charge is not None:
            self._charges[charge["id"]] = charge
        self._select(intent)

    # Actions ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        if action == "clear_filter":
            return self.filtered or self.query_one("#filter-bar").has_class("-shown")
        return True

    def action_new_payment_intent(self) -> None:
        self.new_payment_intent()

    def action_confirm_payment_intent(self) -> None:
        self.confirm_payment_intent()

    def action_refund_payment(self) -> None:
        self.refund_payment()

    def action_capture_payment_intent(self) -> None:
        self.capture_payment_intent()

    def action_cancel_payment_intent(self) -> None:
        self.cancel_payment_intent()

    def action_attach_payment_method(self) -> None:
        self.attach_payment_method()

    def _known_intent(self, payment_intent_id: str) -> Obj | None:
        if payment_intent_id in self._looked_up:  # looked up by a form: the newest
            return self._looked_up[payment_intent_id]
        if self._shown is not None and self._shown.get("id") == payment_intent_id:
            return self._shown
        return next((i for i in self.table.items if i.get("id") == payment_intent_id), None)

    def _selected_intent(self) -> Obj | None:
        return self.table.selected or self._shown

    # Create ----------------------------------------------------------------------------------

    def create_spec(self) -> FormSpec:
        gateway = self.gateway

        def suggest(query: str) -> list[tuple[str, str]]:
            return customer_suggestions(gateway, query)

        def check(values: dict[str, Any]) -> dict[str, str]:
            customer = values.get("customer_id") or ""
            if customer and (not customer.startswith("cus_") or " " in customer):
                return {"customer_id": "Pick a customer from the list (down) or type a cus_ id."}
            return {}

        return FormSpec(
            title="Create a payment intent",
            fields=(
                Field(
                    "amount",
                    "Amount",
                    kind="amount",
                    required=True,
                    currency_field="currency",
                    placeholder="12.50",
                    help="In major units: 12.50 USD, 500 JPY.",
                ),
                Field("currency", "Currency", kind="currency", required=True, default="usd"),
                Field(
                    "customer_id",
                    "Customer",
                    params=("customer",),
                    suggest=suggest,
                    placeholder="cus_…, or an email or name to search",
                    help="Optional. Type to search; down picks from the list.",
                ),
                Field("description", "Description", placeholder="Order #1234"),
                Field(
                    "capture_method",
                    "Capture",
                    kind="choice",
                    required=True,
                    choices=CAPTURE_METHODS,
                ),
            ),
            submit_label="Create intent",
            check=check,
        )

    def new_payment_intent(self) -> None:
        """Open "Create a payment intent"."""
        if self.refuse_writes():
            return
        gateway = self.gateway
        prefill = {"customer_id": self.customer_filter} if self.customer_filter else {}

        def submit(values: dict[str, Any], key: str) -> Obj:
            return gateway.create_payment_intent(
                amount=values["amount"],
                currency=values["currency"],
                customer_id=values.get("customer_id") or None,
                description=values.get("description") or None,
                capture_method="manual" if values.get("capture_method") == "manual" else None,
                idempotency_key=key,
            )

        def confirm(values: dict[str, Any]) -> tuple[str, str] | None:
            who = values.get("customer_id")
            what = f"create a payment intent for {who}" if who else "create a payment intent"
            return self.live_confirmation(money(values["amount"], values["currency"]), what)

        def created(intent: Obj | None) -> None:
            if intent is None:
                return
            if self.customer_filter in (None, intent.get("customer")):
                self.table.prepend(intent)
            self.show_intent(intent)
            amount = money(intent.get("amount"), intent.get("currency"))
            hold = " (a hold: p captures it)" if intent.get("capture_method") == "manual" else ""
            self.notify(
                f"Created {intent['id']} for {amount}{hold}. Press c to confirm it.",
                title="Payment intent created",
            )

        self.app.push_screen(
            FormScreen(self.create_spec(), submit, values=prefill, confirm=confirm), created
        )

    # Confirm ---------------------------------------------------------------------------------

    @staticmethod
    def confirm_spec(
        lookup: Callable[[str], Lookup] | None = None,
        says: Callable[[dict[str, Any]], str] | None = None,
        saved: tuple[tuple[str, str], ...] = (),
    ) -> FormSpec:
        """`saved`: the customer's saved payment methods (id, label), offered first."""
        return FormSpec(
            title="Confirm a payment intent",
            fields=(
                intent_id_field("intent", "payment_intent", "id", lookup=lookup),
                Field(
                    "payment_method",
                    "Payment method" if saved else "Test card",
                    kind="choice",
                    required=True,
                    choices=saved + TEST_PAYMENT_METHODS,
                    help="The customer's saved methods first, then Stripe's test cards."
                    if saved
                    else "",
                ),
                Field(
                    "other_payment_method",
                    "Or any pm_ id",
                    kind="id",
                    prefix="pm_",
                    placeholder="pm_…",
                    replaces="payment_method",
                    help="A payment method id; when filled, used instead of the test card.",
                ),
            ),
            submit_label="Confirm",
            says=says,
        )

    def confirm_payment_intent(self) -> None:
        """Open "Confirm a payment intent"; for a customer's intent, once their saved payment
        methods are loaded (they are offered first)."""
        if self.refuse_writes():
            return
        selected = self._selected_intent()
        if selected is not None and selected.get("customer"):
            self.console.keys.hold_for(self._load_saved_methods(selected))
            return
        self._open_confirm_form(selected, ())

    @work(
        thread=True,
        exclusive=True,
        group="payments-saved-methods",
        exit_on_error=False,
        description="Load the customer's saved payment methods",
    )
    def _load_saved_methods(self, intent: Obj) -> None:
        page = self.gateway.list_customer_payment_methods(str(intent["customer"]), 100)
        saved = tuple((m["id"], f"{payment_method_label(m)} (saved)") for m in page.items)
        self.app.call_from_thread(self._open_confirm_form, intent, saved)

    def _open_confirm_form(self, selected: Obj | None, saved: tuple[tuple[str, str], ...]) -> None:
        gateway = self.gateway
        prefill = {"payment_intent_id": selected["id"]} if selected else {}
        tried = self._tried.get(selected["id"]) if selected else None
        if tried in dict(saved + TEST_PAYMENT_METHODS):
            prefill["payment_method"] = tried
        elif tried:
            prefill["other_payment_method"] = tried

        def submit(values: dict[str, Any], key: str) -> ConfirmOutcome:
            intent_id = values["payment_intent_id"]
            method = values.get("other_payment_method") or values["payment_method"]
            try:
                intent = gateway.confirm_payment_intent(
                    intent_id, payment_method=method, idempotency_key=key
                )
            except GatewayError as error:
                if error.kind is not ErrorKind.CARD_DECLINED:
                    raise
                declined = error.payment_intent or gateway.retrieve_payment_intent(intent_id)
                return ConfirmOutcome(declined, error=error, payment_method=method)
            charge_id = intent.get("latest_charge")
            charge = gateway.retrieve_charge(charge_id) if charge_id else None
            return ConfirmOutcome(intent, charge)

        def confirm(values: dict[str, Any]) -> tuple[str, str] | None:
            intent_id = values["payment_intent_id"]
            method = values.get("other_payment_method") or values["payment_method"]
            known = self._known_intent(intent_id) or {}
            return self.live_confirmation(
                money(known.get("amount"), known.get("currency")),
                f"charge {intent_id} with {method}",
            )

        def lookup(intent_id: str) -> Lookup:
            try:
                found, charge = self._intent_with_charge(intent_id)
            except GatewayError as error:
                return Lookup(error.message, error=True)
            self._looked_up[intent_id] = found
            return Lookup(intent_note(found, charge))

        def says(values: dict[str, Any]) -> str:
            intent = self._known_intent(values.get("payment_intent_id") or "")
            if intent is None:
                return ""
            verb = "Authorize" if intent.get("capture_method") == "manual" else "Charge"
            return f"{verb} {money(intent.get('amount'), intent.get('currency'))}"

        spec = self.confirm_spec(lookup, says, saved)
        if self.live_confirmation("", "") is not None:
            spec = replace(spec, check=self._live_needs_loaded_intent)
        self.app.push_screen(
            FormScreen(spec, submit, values=prefill, confirm=confirm), self._confirmed
        )

    def _live_needs_loaded_intent(self, values: dict[str, Any]) -> dict[str, str]:
        """LIVE mode confirms by typing the amount, so the intent must be loaded to know it."""
        if self._known_intent(values["payment_intent_id"]) is None:
            return {
                "payment_intent_id": "LIVE mode: select this intent in the list first, so that "
                "you can confirm its amount."
            }
        return {}

    def _confirmed(self, outcome: ConfirmOutcome | None) -> None:
        if outcome is None:
            return
        intent = outcome.intent
        if intent.get("id"):
            if outcome.charge is not None:
                self._charges[outcome.charge["id"]] = outcome.charge
            self._select(intent)
        amount = money(intent.get("amount"), intent.get("currency"))
        state = intent.get("status")
        if outcome.error is not None:
            self._tried[str(intent.get("id"))] = outcome.payment_method
            self.notify(
                f"{intent.get('id')}: {outcome.error.message} "
                f"({outcome.error.decline_code or outcome.error.code})",
                title="Card declined",
                severity="warning",
                timeout=8,
            )
            self.app.push_screen(
                OutcomeScreen("Card declined", declined_text(outcome), declined=True)
            )
        elif state == "succeeded":
            self.notify(
                f"{intent['id']}: {amount} charged, charge {intent.get('latest_charge')}.",
                title="Payment succeeded",
            )
        elif state == "requires_action":
            self.notify(
                f"{intent['id']} waits for the customer's 3-D Secure authentication.",
                title="Requires action",
                severity="warning",
            )
            self.app.push_screen(OutcomeScreen("3-D Secure required", requires_action_text(intent)))
        else:
            self.notify(
                f"{intent.get('id')} is now {text(state)}.", title="Payment intent confirmed"
            )

    # Refund ----------------------------------------------------------------------------------

    def refund_payment(self) -> None:
        """Open "Refund a Stripe payment" for the selected intent, with what is left to refund."""
        if self.refuse_writes():
            return
        selected = self._selected_intent()
        if selected is None:
            self._open_refund_form(None, None)
            return
        # The form opens once the payment is loaded: the keys typed meanwhile are for it.
        self.console.keys.hold_for(self._prepare_refund(selected["id"]))

    @work(
        thread=True,
        exclusive=True,
        group="payments-refund-prepare",
        exit_on_error=False,
        description="Load the payment to refund",
    )
    def _prepare_refund(self, payment_intent_id: str) -> None:
        intent = self.gateway.retrieve_payment_intent(payment_intent_id)
        charge_id = intent.get("latest_charge")
        charge = self.gateway.retrieve_charge(charge_id) if charge_id else None
        self.app.call_from_thread(self._open_refund_form, intent, charge)

    def refund_spec(
        self,
        intent: Obj | None,
        charge: Obj | None,
        loaded: dict[str, tuple[Obj, Obj | None]] | None = None,
    ) -> FormSpec:
        """The refund form for an intent (None: typed in the form); `loaded` holds the intents
        looked up since it opened, by id, with their charge."""
        known = {} if loaded is None else loaded
        if intent is not None:
            known.setdefault(intent["id"], (intent, charge))
        live = self.live_confirmation("", "") is not None

        def check(values: dict[str, Any]) -> dict[str, str]:
            if values["payment_intent_id"] in known:
                return {}
            if live:  # the typed confirmation is the amount, which only a loaded intent gives
                return {
                    "payment_intent_id": "LIVE mode: select this intent in the list first, "
                    "so that you can confirm the amount."
                }
            if values.get("amount") is not None:
                return {
                    "amount": "A partial amount needs the intent selected first; "
                    "leave it empty to refund all."
                }
            return {}

        def lookup(intent_id: str) -> Lookup:
            try:
                found, found_charge = self._intent_with_charge(intent_id)
            except GatewayError as error:
                known.pop(intent_id, None)
                return Lookup(error.message, error=True, fields=(refund_amount_field(None, None),))
            known[intent_id] = (found, found_charge)
            return Lookup(
                intent_note(found, found_charge),
                fields=(refund_amount_field(found, found_charge),),
            )

        def says(values: dict[str, Any]) -> str:
            if "amount" not in values or values.get("payment_intent_id") not in known:
                return ""  # no amount that can be said yet
            found, found_charge = known[values["payment_intent_id"]]
            amount = values["amount"]
            if amount is None and found_charge and found_charge.get("status") == "succeeded":
                amount = refundable(found_charge)  # empty: all that is left
            return f"Refund {money(amount, found.get('currency'))}" if amount else ""

        return FormSpec(
            title="Refund a Stripe payment",
            fields=(
                intent_id_field("payment_intent", "charge", "id", lookup=lookup),
                refund_amount_field(intent, charge),
                Field("reason", "Reason", kind="choice", choices=REFUND_REASONS),
            ),
            submit_label="Refund",
            check=check,
            says=says,
        )

    def _intent_with_charge(self, payment_intent_id: str) -> tuple[Obj, Obj | None]:
        """An intent and its latest charge as the server has them now (in a worker thread)."""
        intent = self.gateway.retrieve_payment_intent(payment_intent_id)
        charge_id = intent.get("latest_charge")
        charge = self.gateway.retrieve_charge(charge_id) if charge_id else None
        return intent, charge

    def _open_refund_form(self, intent: Obj | None, charge: Obj | None) -> None:
        if intent is not None:
            if charge is not None:
                self._charges[charge["id"]] = charge
            if intent != self._shown:  # it changed since shown: show what will be refunded
                self._select(intent)
        gateway = self.gateway
        prefill = {"payment_intent_id": intent["id"]} if intent is not None else {}
        loaded: dict[str, tuple[Obj, Obj | None]] = {}

        def submit(values: dict[str, Any], key: str) -> Obj:
            return gateway.create_refund(
                payment_intent_id=values["payment_intent_id"],
                amount=values.get("amount"),
                reason=values.get("reason") or None,
                idempotency_key=key,
            )

        def confirm(values: dict[str, Any]) -> tuple[str, str] | None:
            intent_id = values["payment_intent_id"]
            amount = values.get("amount")
            if intent_id not in loaded:
                # The form's check refuses this in LIVE mode: there is no amount to type.
                return self.live_confirmation(intent_id, f"refund {intent_id}")
            known, known_charge = loaded[intent_id]
            if amount is None:
                left = refundable(known_charge) if known_charge is not None else None
                amount = left if left is not None else known.get("amount")
            shown = money(amount, known.get("currency"))
            return self.live_confirmation(shown, f"refund {shown} of {intent_id}")

        def refunded(refund: Obj | None) -> None:
            if refund is None:
                return
            amount = money(refund.get("amount"), refund.get("currency"))
            self.notify(
                f"Refunded {amount} of {refund.get('payment_intent')} ({refund['id']}).",
                title="Refund created",
            )
            if refund.get("payment_intent"):
                self._refresh_intent(str(refund["payment_intent"]))

        self.app.push_screen(
            FormScreen(
                self.refund_spec(intent, charge, loaded), submit, values=prefill, confirm=confirm
            ),
            refunded,
        )

    # Capture and cancel ----------------------------------------------------------------------

    def capture_payment_intent(self) -> None:
        """Open "Capture a payment intent" for the selected intent, with what the hold allows."""
        if self.refuse_writes():
            return
        selected = self._selected_intent()
        if selected is None:
            self._open_capture_form(None)
            return
        self.console.keys.hold_for(self._prepare(selected["id"], self._open_capture_form))

    def cancel_payment_intent(self) -> None:
        """Open "Cancel a payment intent" for the selected intent, as the server has it now."""
        if self.refuse_writes():
            return
        selected = self._selected_intent()
        if selected is None:
            self._open_cancel_form(None)
            return
        self.console.keys.hold_for(self._prepare(selected["id"], self._open_cancel_form))

    @work(
        thread=True,
        exclusive=True,
        group="payments-prepare",
        exit_on_error=False,
        description="Load the payment intent",
    )
    def _prepare(self, payment_intent_id: str, open_form: Callable[[Obj | None], None]) -> None:
        intent = self.gateway.retrieve_payment_intent(payment_intent_id)
        self.app.call_from_thread(open_form, intent)

    def _intent_lookup(
        self, known: dict[str, Obj], fields: Callable[[Obj | None], tuple[Field, ...]]
    ) -> Callable[[str], Lookup]:
        """A form's lookup of the intent it acts on: notes it, keeps it in `known`, and
        replaces the `fields` that depend on it."""

        def lookup(intent_id: str) -> Lookup:
            try:
                found, charge = self._intent_with_charge(intent_id)
            except GatewayError as error:
                known.pop(intent_id, None)
                return Lookup(error.message, error=True, fields=fields(None))
            known[intent_id] = found
            self._looked_up[intent_id] = found
            return Lookup(intent_note(found, charge), fields=fields(found))

        return lookup

    def _needs_known(
        self, known: dict[str, Obj], partial: str | None = None
    ) -> Callable[[dict[str, Any]], dict[str, str]]:
        """A form's check: LIVE mode types the amount, so the intent must be loaded; so must it
        for a partial amount (field `partial`), whose limit and currency it gives."""
        live = self.live_confirmation("", "") is not None

        def check(values: dict[str, Any]) -> dict[str, str]:
            if values["payment_intent_id"] in known:
                return {}
            if live:
                return {
                    "payment_intent_id": "LIVE mode: select this intent in the list first, "
                    "so that you can confirm the amount."
                }
            if partial is not None and values.get(partial) is not None:
                return {
                    partial: "A partial amount needs the intent selected first; leave it "
                    "empty for all."
                }
            return {}

        return check

    def capture_spec(self, intent: Obj | None, known: dict[str, Obj] | None = None) -> FormSpec:
        """The capture form for an intent (None: typed in the form); `known` holds the intents
        looked up since it opened, by id."""
        loaded = {} if known is None else known
        if intent is not None:
            loaded.setdefault(intent["id"], intent)

        def says(values: dict[str, Any]) -> str:
            found = loaded.get(values.get("payment_intent_id") or "")
            if found is None or "amount_to_capture" not in values:
                return ""
            amount = values["amount_to_capture"]
            if amount is None:
                amount = found.get("amount_capturable")
            return f"Capture {money(amount, found.get('currency'))}" if amount else ""

        lookup = self._intent_lookup(loaded, lambda found: (capture_amount_field(found),))
        return FormSpec(
            title="Capture a payment intent",
            fields=(
                intent_id_field("intent", "payment_intent", "id", lookup=lookup),
                capture_amount_field(intent),
            ),
            submit_label="Capture",
            check=self._needs_known(loaded, "amount_to_capture"),
            says=says,
        )

    def _open_capture_form(self, intent: Obj | None) -> None:
        if intent is not None and intent != self._shown:
            self._select(intent)
        gateway = self.gateway
        known: dict[str, Obj] = {}
        prefill = {"payment_intent_id": intent["id"]} if intent is not None else {}

        def submit(values: dict[str, Any], key: str) -> Obj:
            return gateway.capture_payment_intent(
                values["payment_intent_id"],
                amount_to_capture=values.get("amount_to_capture"),
                idempotency_key=key,
            )

        def confirm(values: dict[str, Any]) -> tuple[str, str] | None:
            intent_id = values["payment_intent_id"]
            found = known.get(intent_id) or {}
            amount = values.get("amount_to_capture")
            if amount is None:
                amount = found.get("amount_capturable")
            shown = money(amount, found.get("currency"))
            return self.live_confirmation(shown, f"capture {shown} of {intent_id}")

        def after_capture(done: Obj | None) -> None:
            if done is None:
                return
            amount = money(done.get("amount_received"), done.get("currency"))
            self.notify(f"Captured {amount} of {done['id']}.", title="Payment captured")
            self._refresh_intent(done["id"])

        self.app.push_screen(
            FormScreen(self.capture_spec(intent, known), submit, values=prefill, confirm=confirm),
            after_capture,
        )

    def cancel_spec(self, intent: Obj | None, known: dict[str, Obj] | None = None) -> FormSpec:
        """The cancel form for an intent (None: typed in the form)."""
        loaded = {} if known is None else known
        if intent is not None:
            loaded.setdefault(intent["id"], intent)

        def says(values: dict[str, Any]) -> str:
            found = loaded.get(values.get("payment_intent_id") or "")
            if found is None:
                return ""
            amount = money(found.get("amount"), found.get("currency"))
            if found.get("status") == "requires_capture":
                return f"Release the {amount} hold"
            return f"Cancel the {amount} intent"

        return FormSpec(
            title="Cancel a payment intent",
            fields=(
                intent_id_field(
                    "intent",
                    "payment_intent",
                    "id",
                    lookup=self._intent_lookup(loaded, lambda _: ()),
                ),
                Field(
                    "cancellation_reason",
                    "Reason",
                    kind="choice",
                    choices=CANCEL_REASONS,
                    help="Canceling cannot be undone; a hold is released to the customer.",
                ),
            ),
            submit_label="Cancel intent",
            check=self._needs_known(loaded),
            says=says,
        )

    def _open_cancel_form(self, intent: Obj | None) -> None:
        if intent is not None and intent != self._shown:
            self._select(intent)
        gateway = self.gateway
        known: dict[str, Obj] = {}
        prefill = {"payment_intent_id": intent["id"]} if intent is not None else {}

        def submit(values: dict[str, Any], key: str) -> Obj:
            return gateway.cancel_payment_intent(
                values["payment_intent_id"],
                cancellation_reason=values.get("cancellation_reason") or None,
                idempotency_key=key,
            )

        def confirm(values: dict[str, Any]) -> tuple[str, str] | None:
            intent_id = values["payment_intent_id"]
            found = known.get(intent_id) or {}
            shown = money(found.get("amount"), found.get("currency"))
            return self.live_confirmation(shown, f"cancel {intent_id} ({shown})")

        def canceled(done: Obj | None) -> None:
            if done is None:
                return
            amount = money(done.get("amount"), done.get("currency"))
            self.notify(f"Canceled {done['id']} ({amount}).", title="Payment intent canceled")
            self._refresh_intent(done["id"])

        self.app.push_screen(
            FormScreen(self.cancel_spec(intent, known), submit, values=prefill, confirm=confirm),
            canceled,
        )

    # Attach ----------------------------------------------------------------------------------

    def attach_spec(self) -> FormSpec:
        gateway = self.gateway

        def suggest(query: str) -> list[tuple[str, str]]:
            return customer_suggestions(gateway, query)

        def check(values: dict[str, Any]) -> dict[str, str]:
            customer = values["customer_id"]
            if not customer.startswith("cus_") or " " in customer:
                return {"customer_id": "Pick a customer from the list (down) or type a cus_ id."}
            return {}

        return FormSpec(
            title="Attach a payment method",
            fields=(
                Field(
                    "customer_id",
                    "Customer",
                    required=True,
                    params=("customer",),
                    suggest=suggest,
                    placeholder="cus_…, or an email or name to search",
                    help="Type to search; down picks from the list.",
                ),
                Field(
                    "payment_method",
                    "Test card",
                    kind="choice",
                    required=True,
                    choices=TEST_PAYMENT_METHODS,
                ),
                Field(
                    "other_payment_method",
                    "Or any pm_ id",
                    kind="id",
                    prefix="pm_",
                    placeholder="pm_…",
                    replaces="payment_method",
                    help="A payment method id; when filled, attached instead of the test card.",
                ),
            ),
            submit_label="Attach",
            check=check,
        )

    def attach_payment_method(self) -> None:
        """Open "Attach a payment method", for the selected intent's customer if it has one."""
        if self.refuse_writes():
            return
        gateway = self.gateway
        selected = self._selected_intent()
        customer = (selected or {}).get("customer") or self.customer_filter
        prefill = {"customer_id": str(customer)} if customer else {}

        def submit(values: dict[str, Any], key: str) -> Obj:
            method = values.get("other_payment_method") or values["payment_method"]
            return gateway.attach_payment_method(
                method, customer_id=values["customer_id"], idempotency_key=key
            )

        def attached(method: Obj | None) -> None:
            if method is None:
                return
            self.notify(
                f"{payment_method_label(method)} is now saved for {method.get('customer')}.",
                title="Payment method attached",
            )

        self.app.push_screen(FormScreen(self.attach_spec(), submit, values=prefill), attached)
