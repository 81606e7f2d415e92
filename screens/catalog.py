"""The Catalog screen: products, the selected product's prices, and payment links.

Three resource tables (products, prices of the selected product, payment links) and one detail
pane that follows the focused table. `n` creates in the focused table's kind; `p` and `l` open
the price and payment link forms from anywhere on the screen. On the links table `y` copies the
link's url (the thing an operator shares) and `Y` its id.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import DescendantFocus
from textual.timer import Timer

from screens.base import ConsoleAction, ConsoleScreen
from screens.common import money, text, when
from tui.gateway import Gateway, GatewayError, Obj, Page
from widgets.clipboard import offer_copy
from widgets.detail import DetailPane
from widgets.form import Field, FormScreen, FormSpec
from widgets.literal import literal
from widgets.resource_table import Column, Resource, ResourceTable

PAGE_SIZE = 50
LINK_PAGE_SIZE = 20
SUGGEST_PAGES = 3
SUGGEST_LIMIT = 20

INTERVALS = ("day", "week", "month", "year")
MAX_INTERVAL_COUNT = {"day": 1095, "week": 156, "month": 36, "year": 3}
"""Stripe bills at most every three years: 3 years, 36 months, 156 weeks or 1095 days."""

SELECT_DELAY = 0.15
TIMES = " \u00d7 "


# Rendering -----------------------------------------------------------------------------------


def billing(price: Obj) -> str:
    """'one-time', 'every month' or 'every 3 months'."""
    recurring = price.get("recurring")
    if not isinstance(recurring, dict) or not recurring.get("interval"):
        return "one-time"
    interval = str(recurring["interval"])
    count = recurring.get("interval_count") or 1
    if count == 1:
        return f"every {interval}"
    return f"every {count} {interval}s"


def price_amount(price: Obj) -> str:
    if price.get("unit_amount") is None and price.get("unit_amount_decimal") is not None:
        return f"{price['unit_amount_decimal']} {str(price.get('currency', '')).upper()} (minor)"
    return money(price.get("unit_amount"), price.get("currency"))


def price_summary(price: Obj) -> str:
    """'12.00 USD every month'."""
    return f"{price_amount(price)} {billing(price)}"


def link_items(link: Obj) -> list[Obj] | None:
    """The line items attached to a link (Stripe's expandable `line_items`), if known."""
    items = link.get("line_items")
    data = items.get("data") if isinstance(items, dict) else None
    return data if isinstance(data, list) else None


def link_price(link: Obj) -> Obj | None:
    """The price the link sells (its first line item's), if known."""
    items = link_items(link)
    if not items:
        return None
    price = items[0].get("price")
    return price if isinstance(price, dict) else None


def link_price_id(link: Obj) -> str:
    price = link_price(link)
    if price is not None:
        return str(price.get("id", "—"))
    return "—" if link_items(link) is not None else "…"


def link_sells(link: Obj) -> str:
    items = link_items(link)
    if items is None:
        return "…"
    if not items:
        return "—"
    first = items[0]
    price = first.get("price") if isinstance(first.get("price"), dict) else {}
    more = f" +{len(items) - 1}" if len(items) > 1 else ""
    return f"{first.get('quantity', 1)}{TIMES}{price_summary(price or {})}{more}"


PRODUCT_COLUMNS = (
    Column("Name", lambda p: text(p.get("name")), width=18),
    Column("Id", lambda p: p["id"]),
    Column("Active", lambda p: text(p.get("active")), width=6),
    Column("Created", lambda p: when(p.get("created")), width=16),
    Column("Description", lambda p: text(p.get("description")), width=30),
)

PRICE_COLUMNS = (
    Column("Amount", price_amount, width=12),
    Column("Cur", lambda p: str(p.get("currency", "—")).upper(), width=3),
    Column("Billing", billing, width=15),
    Column("Id", lambda p: p["id"], width=30),
    Column("Active", lambda p: text(p.get("active")), width=6),
)

LINK_COLUMNS = (
    Column("Id", lambda link: link["id"], width=30),
    Column("Url", lambda link: text(link.get("url")).removeprefix("https://"), width=42),
    Column("Active", lambda link: text(link.get("active")), width=6),
    Column("Price", link_price_id, width=30),
    Column("Sells", link_sells, width=28),
)


# Forms ---------------------------------------------------------------------------------------


def check_price(values: dict[str, Any]) -> dict[str, str]:
    """What Stripe would refuse about the recurrence, said before anything is sent."""
    interval = values.get("interval") or ""
    count = values.get("interval_count")
    if count is None or (count == 1 and not interval):
        return {}  # 1 (the placeholder) means nothing for a one-time price, and is not sent
    if not interval:
        return {"interval_count": "Only with an interval: choose day, week, month or year."}
    most = MAX_INTERVAL_COUNT[interval]
    if count > most:
        if interval == "year":
            return {"interval_count": "At most 3 years between billings."}
        return {"interval_count": f"At most {most} {interval}s (3 years between billings)."}
    return {}


CREATE_PRODUCT = FormSpec(
    title="Create a Stripe product",
    fields=(
        Field("name", "Name", required=True, placeholder="Gold plan"),
        Field("description", "Description", placeholder="Shown to customers at checkout"),
    ),
    submit_label="Create product",
)


def price_form(suggest_products: Any) -> FormSpec:
    return FormSpec(
        title="Create a Stripe price",
        fields=(
            Field(
                "product_id",
                "Product",
                kind="id",
                required=True,
                prefix="prod_",
                placeholder="prod_... or type a name to search",
                params=("product",),
                suggest=suggest_products,
                help="Type a name to search; down picks a match.",
            ),
            Field(
                "unit_amount",
                "Unit amount",
                kind="amount",
                required=True,
                currency_field="currency",
                minimum=0,  # Stripe takes a free price
                params=("unit_amount",),
                placeholder="12.50 (major units: 500 is 500 JPY)",
            ),
            Field(
                "currency",
                "Currency",
                kind="currency",
                required=True,
                default="usd",
                params=("currency",),
            ),
            Field(
                "interval",
                "Interval",
                kind="choice",
                choices=tuple((i, i) for i in INTERVALS),
                params=("recurring[interval]",),
                help="(none) makes a one-time price.",
            ),
            Field(
                "interval_count",
                "Interval count",
                kind="integer",
                minimum=1,
                params=("recurring[interval_count]",),
                placeholder="1",
                help="Bill every N intervals; at most 3 years.",
            ),
        ),
        submit_label="Create price",
        check=check_price,
    )


def link_form(suggest_prices: Any) -> FormSpec:
    return FormSpec(
        title="Create a Stripe payment link",
        fields=(
            Field(
                "price_id",
                "Price",
                kind="id",
                required=True,
                prefix="price_",
                placeholder="price_... or type to search",
                params=("line_items[0][price]", "price"),
                suggest=suggest_prices,
                help="Type an amount or a product to search; down picks.",
            ),
            Field(
                "quantity",
                "Quantity",
                kind="integer",
                minimum=1,
                default="1",
                params=("line_items[0][quantity]", "quantity"),
            ),
        ),
        submit_label="Create link",
    )


# Fetching (in worker threads) ----------------------------------------------------------------


def with_line_items(gateway: Gateway, link: Obj) -> Obj:
    """The link with its `line_items` list attached, as Stripe's `expand[]=line_items` gives."""
    if link_items(link) is not None:
        return link
    try:
        page = gateway.list_payment_link_items(link["id"])
    except GatewayError:
        return link
    return {**link, "line_items": {"object": "list", "data": page.items}}


def fetch_links(gateway: Gateway, cursor: str | None) -> Page:
    """A page of links with what each sells, in one request (`expand[]=data.line_items`)."""
    return gateway.list_payment_links(LINK_PAGE_SIZE, cursor, expand_line_items=True)


def search_products(gateway: Gateway, needle: str) -> list[tuple[str, str]]:
    """Products whose name or id contains the text, newest first."""
    whole = needle.strip()
    needle = whole.lower()
    found: list[tuple[str, str]] = []
    cursor: str | None = None
    for _ in range(SUGGEST_PAGES):
        page = gateway.list_products(100, cursor)
        for product in page.items:
            if product["id"] == whole:
                return []  # already a whole id (e.g. prefilled): nothing to pick
            name = str(product.get("name") or "")
            if needle in product["id"].lower() or needle in name.lower():
                found.append((product["id"], name))
        cursor = page.next_cursor
        if len(found) >= SUGGEST_LIMIT or cursor is None:
            break
    return found[:SUGGEST_LIMIT]


def search_prices(gateway: Gateway, needle: str, names: dict[str, str]) -> list[tuple[str, str]]:
    """Active prices whose id, product or amount contains the text, newest first."""
    whole = needle.strip()
    needle = whole.lower()
    found: list[tuple[str, str]] = []
    cursor: str | None = None
    for _ in range(SUGGEST_PAGES):
        page = gateway.list_prices(100, cursor)
        for price in page.items:
            if price["id"] == whole:
                return []  # already a whole id (e.g. prefilled): nothing to pick
            product = str(price.get("product") or "")
            label = f"{price_summary(price)} · {names.get(product, product)}"
            if not price.get("active", True):
                continue
            if any(needle in hay.lower() for hay in (price["id"], label, product)):
                found.append((price["id"], label))
        cursor = page.next_cursor
        if len(found) >= SUGGEST_LIMIT or cursor is None:
            break
    return found[:SUGGEST_LIMIT]


# Widgets -------------------------------------------------------------------------------------


class LinksTable(ResourceTable):
    """The payment links: `y` copies the url (what an operator shares), `Y` the id."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "copy_url", "Copy url", id="catalog.links.copy_url"),
        Binding("Y", "copy", "Copy id", show=False, id="catalog.links.copy_id"),
    ]

    def action_copy_url(self) -> None:
        link = self.selected
        if link is None or not link.get("url"):
            self.notify("No payment link selected.", severity="warning")
            return
        offer_copy(self, "Payment link url", str(link["url"]))


# The screen ----------------------------------------------------------------------------------


class CatalogScreen(ConsoleScreen):
    """Products and their prices, payment links, and a detail pane for the focused table."""

    MODE = "catalog"
    ACTIONS: ClassVar[tuple[ConsoleAction, ...]] = (
        ConsoleAction("Create a Stripe product", "name, description", "new_product"),
        ConsoleAction(
            "Create a Stripe price",
            "product, amount, currency, one-time or recurring",
            "new_price",
        ),
        ConsoleAction("Create a Stripe payment link", "a price and a quantity", "new_payment_link"),
    )
    # One `n` per table: check_action keeps the focused table's, so the footer names it.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new('products')", "New product", id="catalog.new_product"),
        Binding("n", "new('prices')", "New price", id="catalog.new_price"),
        Binding("n", "new('links')", "New link", id="catalog.new_link"),
        Binding("p", "new_price", "New price (any table)", show=False, id="catalog.new_price_any"),
        Binding(
            "l",
            "new_payment_link",
            "New link (any table)",
            show=False,
            id="catalog.new_link_any",
        ),
        Binding("tab", "cycle(1)", "Next table", id="catalog.next_table"),
        Binding(
            "shift+tab", "cycle(-1)", "Previous table", show=False, id="catalog.previous_table"
        ),
        Binding("u", "copy_url", "Copy the link's url", show=False, id="catalog.copy_url"),
    ]
    # Screen CSS (not DEFAULT_CSS) so that it outranks the shared layout in app.tcss.
    CSS = """
    CatalogScreen.-wide .list-pane { width: 2fr; }
    CatalogScreen.-wide .detail-pane { width: 1fr; }
    CatalogScreen .list-pane ResourceTable { height: 1fr; min-height: 3; }
    CatalogScreen .list-pane ResourceTable.-active { height: 2fr; }
    CatalogScreen.-narrow .list-pane { height: 1fr; }
    CatalogScreen.-narrow .detail-pane { height: 7; }
    CatalogScreen.-narrow .list-pane ResourceTable { height: 3; overflow-x: hidden; }
    CatalogScreen.-narrow .list-pane #prices { height: 5; }
    CatalogScreen.-narrow .list-pane ResourceTable.-active { height: 1fr; overflow-x: auto; }
    /* Under 24 lines the focused table keeps three rows (and its scrollbar): the detail
       shrinks, and under 20 it goes (i shows the whole object). */
    CatalogScreen.-narrow.-short .list-pane { min-height: 13; }
    CatalogScreen.-narrow.-short .detail-pane { height: 1fr; }
    CatalogScreen.-narrow.-shortest .detail-pane { display: none; }
    CatalogScreen #catalog-detail > #detail-message { display: none; }
    CatalogScreen #catalog-detail.-message > #detail-message { display: block; }
    """

    TABLES = ("products", "prices", "links")

    def __init__(self) -> None:
        super().__init__()
        self._debouncers: dict[str, Timer] = {}
        self._prices_product: str | None = None
        self._select_price: str | None = None
        self._active = "products"

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="body"):
            with Vertical(classes="list-pane"):
                products = ResourceTable(self._products_resource(), id="products")
                products.border_title = "Products"
                yield products
                prices = ResourceTable(id="prices")
                prices.border_title = "Prices"
                yield prices
                links = LinksTable(self._links_resource(), id="links")
                links.border_title = "Payment links"
                yield links
            with Vertical(classes="detail-pane"):
                yield DetailPane(id="catalog-detail")

    def on_mount(self) -> None:
        self.detail.add_class("-message")
        self.detail.clear("Select a product, a price or a link.")
        self.prices.border_subtitle = "select a product"
        self.products.load()
        self.links.load()
        self.products.focus()
        self._set_active("products")

    # Lookups ---------------------------------------------------------------------------------

    @property
    def products(self) -> ResourceTable:
        return self.query_one("#products", ResourceTable)

    @property
    def prices(self) -> ResourceTable:
        return self.query_one("#prices", ResourceTable)

    @property
    def links(self) -> LinksTable:
        return self.query_one("#links", LinksTable)

    @property
    def detail(self) -> DetailPane:
        return self.query_one("#catalog-detail", DetailPane)

    def table(self, kind: str) -> ResourceTable:
        return self.query_one(f"#{kind}", ResourceTable)

    def product_names(self) -> dict[str, str]:
        return {p["id"]: str(p.get("name") or p["id"]) for p in self.products.items}

    # Resources -------------------------------------------------------------------------------

    def _products_resource(self) -> Resource:
        gateway = self.gateway
        return Resource(
            "products",
            PRODUCT_COLUMNS,
            lambda cursor: gateway.list_products(PAGE_SIZE, cursor),
            empty_text="No products yet. Press n to create one.",
        )

    def _prices_resource(self, product_id: str) -> Resource:
        gateway = self.gateway
        return Resource(
            "prices",
            PRICE_COLUMNS,
            lambda cursor: gateway.list_prices(PAGE_SIZE, cursor, product=product_id),
            empty_text="No prices for this product. Press p to create one.",
        )

    def _links_resource(self) -> Resource:
        gateway = self.gateway
        return Resource(
            "payment links",
            LINK_COLUMNS,
            lambda cursor: fetch_links(gateway, cursor),
            empty_text="No payment links yet. Press l to create one.",
        )

    def show_prices(self, product: Obj, *, select: str | None = None) -> None:
        """List one product's prices in the prices table (again, if it is already shown)."""
        self._prices_product = product["id"]
        self._select_price = select
        prices = self.prices
        prices.border_title = literal(f"Prices of {text(product.get('name') or product['id'])}")
        prices.load(self._prices_resource(product["id"]))

    # Selection and detail --------------------------------------------------------------------

    def _debounce(self, name: str, callback: Any) -> None:
        timer = self._debouncers.pop(name, None)
        if timer is not None:
            timer.stop()
        self._debouncers[name] = self.set_timer(SELECT_DELAY, callback)

    @on(ResourceTable.Highlighted)
    def _highlighted(self, event: ResourceTable.Highlighted) -> None:
        kind = event.table.id or ""
        item = event.item
        if kind == "products" and item["id"] != self._prices_product:
            self._debounce("prices", lambda: self.show_prices(item))
        if kind == self._active:
            self._debounce("detail", lambda: self.show_detail(kind, item))

    @on(ResourceTable.Loaded, "#prices")
    def _prices_loaded(self, event: ResourceTable.Loaded) -> None:
        wanted = self._select_price
        if wanted is None:
            return
        self._select_price = None
        for row, price in enumerate(self.prices.items):
            if price["id"] == wanted:
                self.prices.move_cursor(row=row)
                if self._active == "prices":
                    self.show_detail("prices", price)
                break

    @on(ResourceTable.Opened)
    def _opened(self, event: ResourceTable.Opened) -> None:
        kind = event.table.id or ""
        self.show_detail(kind, event.item)
        if kind == "products":
            self.prices.focus()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        widget = event.widget
        if isinstance(widget, ResourceTable) and widget.id in self.TABLES:
            self._set_active(widget.id or "products")
            item = widget.selected
            if item is not None:
                self.show_detail(self._active, item)
            else:
                self.clear_detail()

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_tables)

    def _set_active(self, kind: str) -> None:
        """The table the operator works in: it gets the room, the detail and `n`."""
        self._active = kind
        for name in self.TABLES:
            self.table(name).set_class(name == kind, "-active")
        self._fit_tables()
        self.refresh_bindings()

    def _fit_tables(self) -> None:
        # At 80 columns the other tables shrink to one row: their selected item, no header.
        narrow = self.has_class("-narrow")
        for name in self.TABLES:
            table = self.table(name)
            table.show_header = not narrow or name == self._active
        self.call_after_refresh(self._scroll_to_cursors)

    def _scroll_to_cursors(self) -> None:
        for name in self.TABLES:
            table = self.table(name)
            if table.row_count:
                table.move_cursor(row=table.cursor_row)

    def clear_detail(self) -> None:
        messages = {
            "products": "No product selected.",
            "prices": "No price selected: pick a product with prices, or press p.",
            "links": "No payment link selected. Press l to create one.",
        }
        self.detail.add_class("-message")
        self.detail.clear(messages.get(self._active, ""))

    def show_detail(self, kind: str, item: Obj) -> None:
        """Show a product, price or link in the detail pane."""
        self.detail.remove_class("-message")
        if kind == "products":
            self._show_product(item)
        elif kind == "prices":
            self._show_price(item)
        elif kind == "links":
            self._show_link(item)

    def _show_product(self, product: Obj) -> None:
        metadata = product.get("metadata") or {}
        rows = [
            ("name", text(product.get("name"))),
            ("id", product["id"]),
            ("active", text(product.get("active"))),
            ("created", when(product.get("created"))),
            ("description", text(product.get("description"))),
            ("default price", text(product.get("default_price"))),
            ("metadata", ", ".join(f"{k}={v}" for k, v in metadata.items()) or "—"),
        ]
        self.detail.show(f"Product {text(product.get('name'))}", rows)

    def _show_price(self, price: Obj) -> None:
        product = str(price.get("product") or "")
        name = self.product_names().get(product)
        rows = [
            ("amount", price_amount(price)),
            ("billing", billing(price)),
            ("id", price["id"]),
            ("product", f"{product} ({name})" if name else text(product)),
            ("active", text(price.get("active"))),
            ("created", when(price.get("created"))),
            ("nickname", text(price.get("nickname"))),
        ]
        self.detail.show(f"Price {price_summary(price)}", rows)

    def _show_link(self, link: Obj) -> None:
        rows = [
            ("url", text(link.get("url"))),
            ("id", link["id"]),
            ("active", text(link.get("active"))),
        ]
        items = link_items(link)
        if items is None:
            rows.append(("sells", "loading…"))
            self._load_link_items(link)
        elif not items:
            rows.append(("sells", "—"))
        for item in items or []:
            price = item.get("price") if isinstance(item.get("price"), dict) else {}
            assert isinstance(price, dict)
            rows.append(("price", text(price.get("id"))))
            rows.append(("sells", f"{item.get('quantity', 1)}{TIMES}{price_summary(price)}"))
        rows.append(("created", when(link.get("created"))))
        self.detail.show("Payment link (y copies the url)", rows)

    @work(thread=True, group="catalog-link-items", exclusive=True, exit_on_error=False)
    def _load_link_items(self, link: Obj) -> None:
        full = with_line_items(self.gateway, link)
        if link_items(full) is not None:
            self.app.call_from_thread(self._link_items_loaded, full)

    def _link_items_loaded(self, link: Obj) -> None:
        links = self.links
        if any(item["id"] == link["id"] for item in links.items):
            links.upsert(link)
        selected = links.selected
        if self._active == "links" and selected is not None and selected["id"] == link["id"]:
            self.show_detail("links", link)

    # Keys ------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        if action == "new":  # n creates in the focused table's kind: a write too
            return self.allows_writes() and parameters == (self._active,)
        return True

    def action_cycle(self, step: int) -> None:
        """Focus the next (or previous) table."""
        index = self.TABLES.index(self._active) if self._active in self.TABLES else 0
        focused = self.focused
        if isinstance(focused, ResourceTable) and focused.id in self.TABLES:
            index = self.TABLES.index(focused.id or "products")
        self.table(self.TABLES[(index + step) % len(self.TABLES)]).focus()

    def action_new(self, kind: str) -> None:
        """Create in the focused table's kind."""
        if kind == "prices":
            self.new_price()
        elif kind == "links":
            self.new_payment_link()
        else:
            self.new_product()

    def action_new_product(self) -> None:
        self.new_product()

    def action_new_price(self) -> None:
        self.new_price()

    def action_new_payment_link(self) -> None:
        self.new_payment_link()

    def action_copy_url(self) -> None:
        self.links.action_copy_url()

    # Actions ---------------------------------------------------------------------------------

    def new_product(self) -> None:
        """Open "Create a Stripe product"."""
        if self.refuse_writes():
            return
        gateway = self.gateway

        def submit(values: dict[str, Any], key: str) -> Obj:
            return gateway.create_product(values, key)

        def created(product: Obj | None) -> None:
            if product is None:
                return
            products = self.products
            products.prepend(product)
            products.focus()
            self.show_prices(product)
            self.show_detail("products", product)
            self.notify(f"Created product {product['id']}", title="Product created")

        self.app.push_screen(FormScreen(CREATE_PRODUCT, submit), created)

    def new_price(self) -> None:
        """Open "Create a Stripe price", for the selected product unless another is typed."""
        if self.refuse_writes():
            return
        gateway = self.gateway
        prefill: dict[str, str] = {}
        product = self.products.selected
        if self._prices_product is not None:
            prefill["product_id"] = self._prices_product
        elif product is not None:
            prefill["product_id"] = product["id"]

        def submit(values: dict[str, Any], key: str) -> Obj:
            return gateway.create_price(
                product_id=values["product_id"],
                unit_amount=values["unit_amount"],
                currency=values["currency"],
                interval=values.get("interval") or None,
                interval_count=values.get("interval_count"),
                idempotency_key=key,
            )

        spec = price_form(lambda needle: search_products(gateway, needle))
        self.app.push_screen(FormScreen(spec, submit, values=prefill), self._price_created)

    def _price_created(self, price: Obj | None) -> None:
        if price is None:
            return
        product_id = str(price.get("product") or "")
        prices = self.prices
        if product_id == self._prices_product:
            prices.prepend(price)
        else:
            products = self.products
            known = [p for p in products.items if p["id"] == product_id]
            product = known[0] if known else {"id": product_id}
            if known:
                self._prices_product = product_id
                products.move_cursor(row=products.items.index(known[0]))
            self.show_prices(product, select=price["id"])
        prices.focus()
        self.show_detail("prices", price)
        self.notify(f"Created price {price['id']}: {price_summary(price)}", title="Price created")

    def new_payment_link(self) -> None:
        """Open "Create a Stripe payment link", for the selected price unless another is typed."""
        if self.refuse_writes():
            return
        gateway = self.gateway
        prefill: dict[str, str] = {}
        price = self.prices.selected
        if price is not None:
            prefill["price_id"] = price["id"]
        names = self.product_names()

        def submit(values: dict[str, Any], key: str) -> Obj:
            link = gateway.create_payment_link(
                price_id=values["price_id"], quantity=values["quantity"] or 1, idempotency_key=key
            )
            return with_line_items(gateway, link)

        spec = link_form(lambda needle: search_prices(gateway, needle, names))
        self.app.push_screen(FormScreen(spec, submit, values=prefill), self._link_created)

    def _link_created(self, link: Obj | None) -> None:
        if link is None:
            return
        links = self.links
        links.prepend(link)
        links.focus()
        self.show_detail("links", link)
        self.notify(
            f"{link.get('url')}\nPress y to copy the url.",
            title=f"Created payment link {link['id']}",
            timeout=10,
        )
