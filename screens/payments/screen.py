"""The Payments screen: payment intents, listed and shown with their refunds. Its filter bar
is in filters.py, what can be done to an intent in actions.py.

Moving money asks for the amount to be typed in LIVE mode, and is not offered at all in
read-only mode. A declined card or a card that needs 3-D Secure is an expected outcome of a
confirmation, so it closes the form and is explained in a small result dialog.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, OptionList, Select, Static

from screens.base import ConsoleAction
from screens.common import money, text
from screens.events import timeline
from screens.payments.actions import PaymentActions
from screens.payments.columns import (
    REFUND_COLUMNS,
    STATUS_FILTERS,
    intent_columns,
    intent_rows,
    intent_search_query,
    intent_state,
)
from screens.payments.filters import PaymentFilters
from tui.gateway import Obj, Page
from widgets.detail import DetailPane
from widgets.literal import literal
from widgets.resource_table import Resource, ResourceTable
from widgets.volume_chart import VolumeChart

PAGE_SIZE = 100  # Stripe's maximum: half the requests, and browsing 10,000 measured ~25% faster
ALL_INTENTS_TITLE = "Payment intents  [dim]/ filter[/]"


class PaymentsScreen(PaymentFilters, PaymentActions):
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

    # What the workers answer, posted to the screen (its handlers drop an answer gone stale).

    @dataclass
    class ChargeLoaded(Message):
        """An intent's latest charge, for its detail."""

        intent_id: str
        charge: Obj

    @dataclass
    class IntentOpened(Message):
        """An intent asked for by id (`show_payment_intent`)."""

        intent: Obj

    @dataclass
    class IntentRefreshed(Message):
        """An intent and its latest charge as they are after money moved."""

        intent: Obj
        charge: Obj | None

    def __init__(self) -> None:
        super().__init__()
        self._detail_timer: Timer | None = None
        self._shown: Obj | None = None
        self._charges: dict[str, Obj] = {}
        self._pinned: Obj | None = None
        self._looked_up: dict[str, Obj] = {}
        self._tried: dict[str, str] = {}
        """The payment method last declined, by intent: the confirm form offers it again."""

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
                yield VolumeChart(yield_to="#filter-bar")  # volume chart: widgets/volume_chart.py
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
        size = self.page_size(PAGE_SIZE)  # config page_size
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
                        query, size, cursor, expand_latest_charge=True
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
                size, cursor, customer=customer, expand_latest_charge=True
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
        # volume chart: the list was (re)loaded from its start
        if event.count <= self.page_size(PAGE_SIZE):
            self.query_one(VolumeChart).load(self.gateway)
        pinned, self._pinned = self._pinned, None
        if pinned is not None:
            self._select(pinned)

    def _select(self, intent: Obj) -> None:
        """Put an intent in the table (in place if loaded), move the cursor to it, show it."""
        table = self.table
        table.upsert(intent)
        if (row := table.row_of(intent["id"])) is not None:
            table.move_cursor(row=row)
        self.show_intent(intent)

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
        self.post_message(self.ChargeLoaded(intent_id, self.gateway.retrieve_charge(charge_id)))

    def on_payments_screen_charge_loaded(self, message: ChargeLoaded) -> None:
        charge = message.charge
        self._charges[charge["id"]] = charge
        if self._shown is not None and self._shown["id"] == message.intent_id:
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
        self.post_message(
            self.IntentOpened(self.gateway.retrieve_payment_intent(payment_intent_id))
        )

    def on_payments_screen_intent_opened(self, message: IntentOpened) -> None:
        intent = message.intent
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
        self.post_message(self.IntentRefreshed(*self._intent_with_charge(payment_intent_id)))

    def on_payments_screen_intent_refreshed(self, message: IntentRefreshed) -> None:
        if message.charge is not None:
            self._charges[message.charge["id"]] = message.charge
        self._select(message.intent)

    # Actions ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        if action == "clear_filter":
            return self.filtered or self.query_one("#filter-bar").has_class("-shown")
        return True
