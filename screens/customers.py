"""The Customers screen: browse, filter and search customers, create and retrieve them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, Static

from screens.base import ConsoleAction, FittedListScreen
from screens.common import MIN_SEARCH, classify_customer_query, money, status, text, when
from tui.gateway import ErrorKind, GatewayError, Obj, Page, customer_search_query
from tui.prefetch import CUSTOMERS_PAGE_SIZE as PAGE_SIZE
from widgets.detail import DetailPane
from widgets.formspec import Field, FormSpec
from widgets.literal import literal
from widgets.resource_table import Column, Resource, ResourceTable

SEARCH_LAG_HINT = "Search: on real Stripe, results can lag new writes by up to a minute."

ID_WIDTH = 28  # the sandbox's ids (cus_ + 24); Stripe's are shorter. Ids are never cut.
DATE_WIDTH = 10
PHONE_WIDTH = 14
EMAIL_WIDTH = 34  # most emails whole (the detail shows any email whole)
MIN_NAME = 8
MIN_TEXT = EMAIL_WIDTH + MIN_NAME  # email and name, before any extra column
SCROLLBAR = 2


def _date(timestamp: Any) -> str:
    return when(timestamp)[:DATE_WIDTH]


def customer_columns(width: int) -> tuple[Column, ...]:
    """The list's columns for a table `width` cells wide: email, name and id always, then
    created and phone while they fit (the detail pane shows them all)."""
    room = max(width, 0) - SCROLLBAR
    used = ID_WIDTH + 3 * 2  # the id, and the padding of three columns
    extras: list[Column] = []
    for column in (
        Column("Created", lambda c: _date(c.get("created")), width=DATE_WIDTH),
        Column("Phone", lambda c: text(c.get("phone")), width=PHONE_WIDTH),
    ):
        assert column.width is not None
        if room - used - column.width - 2 < MIN_TEXT:
            break
        used += column.width + 2
        extras.append(column)
    spare = max(room - used, 2 * MIN_NAME)
    email = min(EMAIL_WIDTH, spare - MIN_NAME)
    return (
        Column("Email", lambda c: text(c.get("email")), width=email),
        Column("Name", lambda c: text(c.get("name")), width=spare - email),
        Column("Id", lambda c: c["id"], width=ID_WIDTH),
        *extras,
    )


def intent_columns(width: int) -> tuple[Column, ...]:
    """The customer's payment intents: amount and status, and the id when it fits whole."""
    amount = Column("Amount", lambda i: money(i.get("amount"), i.get("currency")), width=12)
    status_width = 23  # "requires_payment_method"
    ident = Column("Id", lambda i: i["id"], width=27)
    room = width - SCROLLBAR
    if room >= 12 + status_width + 27 + 3 * 2:
        return (amount, Column("Status", lambda i: status(i.get("status")), width=23), ident)
    # narrower: the status is cut with an ellipsis (the Payments screen shows it whole)
    status_width = max(min(status_width, room - 12 - 2 * 2), 8)
    return (amount, Column("Status", lambda i: status(i.get("status")), width=status_width))


CREATE_CUSTOMER = FormSpec(
    title="Create a Stripe customer",
    fields=(
        Field("email", "Email", kind="email", required=True, placeholder="jenny@example.com"),
        Field("name", "Name", placeholder="Jenny Rosen"),
        Field("description", "Description"),
        Field("phone", "Phone", placeholder="+15555550123"),
    ),
    submit_label="Create customer",
)

LIST_CUSTOMERS = FormSpec(
    title="List Stripe customers",
    fields=(
        Field(
            "limit",
            "Limit",
            kind="integer",
            minimum=1,
            maximum=100,
            default="10",
            help="How many customers to show, newest first (1 to 100).",
        ),
    ),
    submit_label="List",
    writes=False,
)

RETRIEVE_CUSTOMER = FormSpec(
    title="Retrieve a Stripe customer",
    fields=(
        Field(
            "customer_id",
            "Customer id",
            kind="id",
            required=True,
            prefix="cus_",
            params=("id", "customer"),
            placeholder="cus_...",
        ),
    ),
    submit_label="Retrieve",
    writes=False,
)


CUSTOMER_FIELDS = ("email", "name", "description", "phone")
NOTHING_CHANGED = "Nothing changed: edit a field, or escape."


def customer_changes(customer: Obj, values: dict[str, Any]) -> dict[str, Any]:
    """What an update sends: the fields that differ from the customer's ("" unsets one)."""
    from widgets.metadata import metadata_changes

    changes: dict[str, Any] = {
        name: values.get(name) or ""
        for name in CUSTOMER_FIELDS
        if (values.get(name) or "") != (customer.get(name) or "")
    }
    metadata = metadata_changes(customer.get("metadata"), values.get("metadata") or {})
    if metadata:
        changes["metadata"] = metadata
    return changes


def update_customer_form(customer: Obj) -> FormSpec:
    """ "Update a Stripe customer", for one customer: only what changed is sent."""

    def check(values: dict[str, Any]) -> dict[str, str]:
        return {} if customer_changes(customer, values) else {"": NOTHING_CHANGED}

    return FormSpec(
        title="Update a Stripe customer",
        fields=(
            Field("email", "Email", kind="email", placeholder="jenny@example.com"),
            Field("name", "Name", placeholder="Jenny Rosen"),
            Field("description", "Description"),
            Field("phone", "Phone", placeholder="+15555550123"),
            Field(
                "metadata",
                "Metadata",
                kind="metadata",
                help="ctrl+n adds a key, ctrl+r removes one; an emptied field is unset.",
            ),
        ),
        submit_label="Update customer",
        check=check,
    )


DELETE_CUSTOMER = FormSpec(
    title="Delete a Stripe customer",
    fields=(
        Field(
            "customer_id",
            "Customer id",
            kind="id",
            required=True,
            prefix="cus_",
            params=("id", "customer"),
            placeholder="cus_...",
            help="Deleting cannot be undone: the customer's payment methods are detached.",
        ),
    ),
    submit_label="Delete customer",
    # A DELETE has no idempotency: replayed after it was done, it answers "No such customer".
    writes=False,
)


class CustomersScreen(FittedListScreen):
    """Customers, newest first, with a detail pane and the customer's payment intents."""

    MODE = "customers"
    # The list has the focus from the start (not the hidden filter first: a restyle less).
    AUTO_FOCUS = "#customers"
    ACTIONS: ClassVar[tuple[ConsoleAction, ...]] = (
        ConsoleAction(
            "Create a Stripe customer", "email, name, description, phone", "new_customer"
        ),
        ConsoleAction(
            "List Stripe customers",
            "the newest customers, up to a limit",
            "list_customers",
            writes=False,
        ),
        ConsoleAction(
            "Retrieve a Stripe customer", "one customer by id", "retrieve_customer", writes=False
        ),
        ConsoleAction(
            "Update a Stripe customer",
            "email, name, description, phone, metadata",
            "update_customer",
        ),
        ConsoleAction(
            "Delete a Stripe customer", "the selected customer, for good", "delete_customer"
        ),
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_customer", "New", id="customers.new"),
        Binding("e", "update_customer", "Edit", id="customers.update"),
        Binding("d", "delete_customer", "Delete", id="customers.delete"),
        Binding("slash", "filter", "Search", key_display="/", id="customers.filter"),
        Binding("escape", "clear_filter", "Clear", show=False, id="customers.clear"),
    ]

    LIST_SHARE = (2, 3)

    def __init__(self) -> None:
        super().__init__()
        self._detail_timer: Timer | None = None
        self._shown: Obj | None = None
        self.filter_text = ""
        self.list_limit: int | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="body"):
            with Vertical(classes="list-pane"):
                with Vertical(classes="filter-bar", id="filter-bar"):
                    yield Input(
                        placeholder="email, cus_ id, or name / email text; enter to apply",
                        id="filter",
                    )
                    yield Static("", classes="filter-hint", id="filter-hint")
                table = ResourceTable(id="customers")
                table.border_title = "Customers"
                yield table
            with Vertical(classes="detail-pane", id="customers-detail"):
                yield DetailPane(id="customer-detail")
                intents = ResourceTable(id="customer-intents", classes="sub-table")
                intents.border_title = "Payment intents"
                yield intents

    def on_mount(self) -> None:
        self.query_one("#customer-detail", DetailPane).clear("Select a customer.")
        self.table.focus()
        if self.gateway.first_page_pending:
            self._reload()  # its fetch waits on a helper process (tui/prefetch.py), not the GIL
        else:
            # After the first paint: the fetch's thread (and its `import stripe`) must not
            # delay it.
            self.call_after_refresh(self.call_after_refresh, self._reload)

    @property
    def table(self) -> ResourceTable:
        return self.query_one("#customers", ResourceTable)

    def list_columns(self, width: int) -> tuple[Column, ...]:
        return customer_columns(width)

    # Listing ---------------------------------------------------------------------------------

    def _resource(self) -> Resource:
        gateway = self.gateway
        kind = classify_customer_query(self.filter_text)
        query = self.filter_text.strip()
        limit = self.list_limit
        size = self.page_size(PAGE_SIZE)
        empty = "No customers yet. Press n to create one."

        def fetch(cursor: str | None) -> Page:
            if limit is not None:
                page = gateway.list_customers(limit)
                return Page(page.items, None)
            if kind == "email":
                return gateway.list_customers(size, cursor, email=query)
            if kind == "id":
                try:
                    return Page([gateway.retrieve_customer(query)], None)
                except GatewayError as error:
                    if error.kind is ErrorKind.NOT_FOUND:
                        return Page([], None)  # the empty text says so: not a failure
                    raise
            if kind == "search":
                return gateway.search_customers(customer_search_query(query), size, cursor)
            return gateway.list_customers(size, cursor)

        if kind == "id":
            empty = f"No customer {query}. Escape clears the filter."
        elif kind != "all":
            empty = f'No customer matches "{query}". Escape clears the filter.'
        return Resource("customers", self.fitted_columns(), fetch, empty_text=empty)

    def _reload(self) -> None:
        table = self.table
        title = "Customers"
        if self.list_limit is not None:
            title = f"Customers: the newest {self.list_limit}"
        elif self.filter_text:
            title = f'Customers matching "{self.filter_text.strip()}"'
        table.border_title = literal(title)
        # Another list: the customer shown so far may not be in it (or it may be empty).
        self._clear_detail()
        table.load(self._resource())

    def _clear_detail(self) -> None:
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._shown = None
        self.query_one("#customer-detail", DetailPane).clear("Select a customer.")
        self.query_one("#customer-intents", ResourceTable).reset()

    def action_filter(self) -> None:
        bar = self.query_one("#filter-bar")
        bar.add_class("-shown")
        self.query_one("#filter", Input).focus()

    @on(Input.Changed, "#filter")
    def _filter_hint(self, event: Input.Changed) -> None:
        kind = classify_customer_query(event.value)
        hints = {
            "all": "Type an email, a cus_ id, or text to search names and emails.",
            "email": "Exact email: listed with the email filter.",
            "id": "A customer id: retrieved directly.",
            "search": SEARCH_LAG_HINT,
            "short": f"Type at least {MIN_SEARCH} characters to search names and emails.",
        }
        self.query_one("#filter-hint", Static).update(hints[kind])

    @on(Input.Submitted, "#filter")
    def _apply_filter(self, event: Input.Submitted) -> None:
        if classify_customer_query(event.value) == "short":
            return  # Stripe would refuse it; the hint says why
        self.filter_text = event.value.strip()
        self.list_limit = None
        if not self.filter_text:
            self.query_one("#filter-bar").remove_class("-shown")
        self._reload()
        self.table.focus()

    def action_clear_filter(self) -> None:
        bar = self.query_one("#filter-bar")
        had_filter = bool(self.filter_text) or self.list_limit is not None
        self.query_one("#filter", Input).value = ""
        bar.remove_class("-shown")
        self.filter_text = ""
        self.list_limit = None
        if had_filter:
            self._reload()
        self.table.focus()

    # Detail ----------------------------------------------------------------------------------

    @on(ResourceTable.Highlighted, "#customers")
    def _highlighted(self, event: ResourceTable.Highlighted) -> None:
        if self._detail_timer is not None:
            self._detail_timer.stop()
        item = event.item
        self._detail_timer = self.set_timer(0.15, lambda: self.show_customer(item))

    def show_customer(self, customer: Obj) -> None:
        """Show one customer's fields and load their payment intents."""
        self._shown = customer
        metadata = customer.get("metadata") or {}
        rows: list[tuple[str, str]] = [
            ("email", text(customer.get("email"))),
            ("id", customer["id"]),
            ("name", text(customer.get("name"))),
            ("description", text(customer.get("description"))),
            ("phone", text(customer.get("phone"))),
            ("created", when(customer.get("created"))),
            ("metadata", ", ".join(f"{k}={v}" for k, v in metadata.items()) or "—"),
        ]
        pane = self.query_one("#customer-detail", DetailPane)
        pane.show(text(customer.get("name") or customer.get("email")), rows, key=customer["id"])
        gateway = self.gateway
        customer_id = customer["id"]
        from screens.events import timeline  # not before the first paint

        pane.show_later("timeline", lambda: timeline(gateway, customer_id, "customer"))
        intents = self.query_one("#customer-intents", ResourceTable)
        intents.load(
            Resource(
                "payment intents",
                intent_columns(intents.size.width or 78),
                lambda cursor: gateway.list_payment_intents(20, cursor, customer=customer_id),
                empty_text="No payment intents for this customer.",
            )
        )

    def show_object(self, customer: Obj, _related: Obj | None = None) -> None:
        """Show a customer fetched by id ("Go to an id"): in place when it is listed, else the
        list is filtered to it, as `/` with its id does (escape clears)."""
        if (row := self.table.row_of(customer["id"])) is not None:
            self.table.move_cursor(row=row)
        else:
            self.query_one("#filter", Input).value = customer["id"]
            self.query_one("#filter-bar").add_class("-shown")
            self.filter_text = customer["id"]
            self.list_limit = None
            self._reload()
        self.table.focus()
        self.show_customer(customer)

    @on(ResourceTable.Opened, "#customer-intents")
    async def _open_intent(self, event: ResourceTable.Opened) -> None:
        await self.console.open_payment_intent(event.item["id"])

    @on(ResourceTable.Opened, "#customers")
    def _open_customer(self, event: ResourceTable.Opened) -> None:
        self.show_customer(event.item)
        self.query_one("#customer-intents", ResourceTable).focus()

    # Actions ---------------------------------------------------------------------------------

    def _open_form(
        self,
        spec: FormSpec,
        submit: Callable[..., Any],
        done: Callable[[Any], None],
        **options: Any,
    ) -> None:
        """Push the form for `spec`; `done` gets what it dismissed with."""
        from widgets.form import FormScreen  # imported when a form is first opened

        self.app.push_screen(FormScreen(spec, submit, **options), done)

    def action_new_customer(self) -> None:
        self.new_customer()

    def new_customer(self) -> None:
        """Open "Create a Stripe customer"."""
        if self.refuse_writes():
            return
        gateway = self.gateway

        def submit(values: dict[str, Any], key: str) -> Obj:
            return gateway.create_customer(values, key)

        def created(customer: Obj | None) -> None:
            if customer is None:
                return
            self.table.prepend(customer)
            self.show_customer(customer)
            self.notify(f"Created customer {customer['id']}", title="Customer created")

        self._open_form(CREATE_CUSTOMER, submit, created)

    def list_customers(self) -> None:
        """Open "List Stripe customers": show the newest N."""

        def submit(values: dict[str, Any], key: str) -> int:
            return int(values.get("limit") or 10)

        def chosen(limit: int | None) -> None:
            if limit is None:
                return
            self.filter_text = ""
            self.list_limit = limit
            self._reload()
            self.table.focus()

        self._open_form(LIST_CUSTOMERS, submit, chosen)

    def retrieve_customer(self) -> None:
        """Open "Retrieve a Stripe customer": show one by id, loaded or not."""
        gateway = self.gateway
        prefill = {}
        if self.table.selected is not None:
            prefill["customer_id"] = self.table.selected["id"]

        def submit(values: dict[str, Any], key: str) -> Obj:
            return gateway.retrieve_customer(values["customer_id"])

        def retrieved(customer: Obj | None) -> None:
            if customer is None:
                return
            # Keep the list's cursor and the detail on the same customer when it is loaded.
            if (row := self.table.row_of(customer["id"])) is not None:
                self.table.move_cursor(row=row)
            self.show_customer(customer)
            self.notify(f"Retrieved {customer['id']}")

        self._open_form(RETRIEVE_CUSTOMER, submit, retrieved, values=prefill)

    def action_update_customer(self) -> None:
        self.update_customer()

    def action_delete_customer(self) -> None:
        self.delete_customer()

    def _selected_customer(self) -> Obj | None:
        customer = self.table.selected
        if customer is None:
            self.notify("Select a customer first.", severity="warning")
        return customer

    def update_customer(self) -> None:
        """Open "Update a Stripe customer" for the selected customer, prefilled."""
        if self.refuse_writes():
            return
        customer = self._selected_customer()
        if customer is None:
            return
        gateway = self.gateway
        customer_id = customer["id"]
        prefill = {name: str(customer.get(name) or "") for name in CUSTOMER_FIELDS}
        from widgets.metadata import rows_json

        prefill["metadata"] = rows_json(customer.get("metadata"))

        def submit(values: dict[str, Any], key: str) -> Obj:
            return gateway.update_customer(customer_id, customer_changes(customer, values), key)

        def updated(result: Obj | None) -> None:
            if result is None:
                return
            self.table.upsert(result)
            self.show_customer(result)
            self.notify(f"Updated customer {result['id']}", title="Customer updated")

        spec = update_customer_form(customer)
        self._open_form(spec, submit, updated, values=prefill)

    def delete_customer(self) -> None:
        """Open "Delete a Stripe customer" for the selected one (LIVE: type its id)."""
        if self.refuse_writes():
            return
        customer = self._selected_customer()
        if customer is None:
            return
        gateway = self.gateway

        def submit(values: dict[str, Any], key: str) -> Obj:
            return gateway.delete_customer(values["customer_id"])

        def confirm(values: dict[str, Any]) -> tuple[str, str] | None:
            ident = values["customer_id"]
            return self.live_confirmation(ident, f"deleting {ident} cannot be undone")

        def deleted(result: Obj | None) -> None:
            if result is None:
                return
            self.table.discard(result["id"])
            self._clear_detail()
            self.notify(f"Deleted customer {result['id']}", title="Customer deleted")

        prefill = {"customer_id": customer["id"]}
        self._open_form(DELETE_CUSTOMER, submit, deleted, values=prefill, confirm=confirm)
