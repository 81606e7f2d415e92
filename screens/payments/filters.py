"""The Payments screen's filter bar: a customer (by id, or found by email or name), a status,
the days created, or a query in Stripe's search syntax."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from screens.base import ConsoleScreen
from screens.common import MIN_SEARCH, classify_customer_query
from screens.payments.columns import looks_like_search, parse_day
from screens.payments.forms import customer_suggestions
from widgets.literal import literal

if TYPE_CHECKING:
    from widgets.resource_table import ResourceTable


class PaymentFilters(ConsoleScreen):
    """The filters of the Payments screen (PaymentsScreen lists what they select)."""

    @dataclass
    class CustomersFound(Message):
        """The customers whose email or name matches the text typed in the filter."""

        query: str
        matches: list[tuple[str, str]]

    def __init__(self) -> None:
        super().__init__()
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

    if TYPE_CHECKING:

        @property
        def table(self) -> ResourceTable: ...

        def _reload(self) -> None: ...

    @property
    def filtered_by_search(self) -> bool:
        """Whether the list is Stripe's search (status, dates or a query) rather than a list."""
        return bool(self.status_filter or self.created_from or self.created_to or self.search_query)

    @property
    def filtered(self) -> bool:
        return self.customer_filter is not None or self.filtered_by_search

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
        self.post_message(self.CustomersFound(query, customer_suggestions(self.gateway, query)))

    def on_payment_filters_customers_found(self, message: CustomersFound) -> None:
        query, matches = message.query, message.matches
        if self.query_one("#filter", Input).value.strip() != query:
            return  # the text changed since: a newer search answers
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
