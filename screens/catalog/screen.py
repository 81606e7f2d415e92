"""The Catalog screen: products, the selected product's prices, and payment links.

Three resource tables (products, prices of the selected product, payment links) and one detail
pane that follows the focused table. `n` creates in the focused table's kind; `p` and `l` open
the price and payment link forms from anywhere on the screen. On the links table `y` copies the
link's url (the thing an operator shares) and `Y` its id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import DescendantFocus
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

from screens.base import ConsoleAction, ConsoleScreen
from screens.catalog.columns import (
    LINK_COLUMNS,
    PRICE_COLUMNS,
    PRODUCT_COLUMNS,
    TIMES,
    archived,
    billing,
    link_items,
    price_amount,
    price_summary,
)
from screens.catalog.fetch import (
    LINK_PAGE_SIZE,
    PAGE_SIZE,
    fetch_links,
    search_prices,
    search_products,
    with_line_items,
)
from screens.catalog.forms import (
    CREATE_PRODUCT,
    already,
    link_form,
    link_state_form,
    price_form,
    price_state_form,
    product_changes,
    product_search_query,
    update_product_form,
)
from screens.common import MIN_SEARCH, text, when
from tui.gateway import Obj
from widgets.clipboard import offer_copy
from widgets.detail import DetailPane
from widgets.form import FormScreen
from widgets.literal import literal
from widgets.metadata import rows_json
from widgets.resource_table import Resource, ResourceTable

SELECT_DELAY = 0.15


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
        ConsoleAction(
            "Update a Stripe product", "name, description, active, metadata", "update_product"
        ),
        ConsoleAction(
            "Archive a Stripe price", "no new sales; nickname and lookup key", "archive_price"
        ),
        ConsoleAction(
            "Unarchive a Stripe price", "sell it again; nickname and lookup key", "unarchive_price"
        ),
        ConsoleAction(
            "Deactivate a Stripe payment link", "its url stops taking payments", "deactivate_link"
        ),
        ConsoleAction(
            "Activate a Stripe payment link", "its url takes payments again", "activate_link"
        ),
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
        Binding("e", "update_product", "Edit", id="catalog.update_product"),
        Binding("x", "archive_price", "Archive", id="catalog.archive_price"),
        Binding("x", "unarchive_price", "Unarchive", id="catalog.unarchive_price"),
        Binding("x", "deactivate_link", "Deactivate", id="catalog.deactivate_link"),
        Binding("x", "activate_link", "Activate", id="catalog.activate_link"),
        Binding("a", "toggle_archived", "Archived", id="catalog.toggle_archived"),
        Binding("slash", "filter", "Search", key_display="/", id="catalog.filter"),
        Binding("escape", "clear_filter", "Clear", show=False, id="catalog.clear"),
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
    CatalogScreen.-narrow .detail-pane { height: 6; }
    CatalogScreen.-narrow .list-pane ResourceTable { height: 3; overflow-x: hidden; }
    CatalogScreen.-narrow .list-pane #prices { height: 5; }
    CatalogScreen.-narrow .list-pane ResourceTable.-active { height: 1fr; overflow-x: auto; }
    /* Under 24 lines the focused table keeps three rows (and its scrollbar): the detail
       shrinks, and under 20 it goes (i shows the whole object). */
    CatalogScreen.-narrow.-short .list-pane { min-height: 13; }
    CatalogScreen.-narrow.-short .list-pane #prices { height: 3; }
    CatalogScreen.-narrow.-short .list-pane #prices.-active { height: 1fr; }
    CatalogScreen.-narrow.-short .detail-pane { height: 1fr; }
    CatalogScreen.-narrow.-shortest .detail-pane { display: none; }
    CatalogScreen .filter-bar Input {
        border: none; height: 1; padding: 0 1; background: $boost;
    }
    CatalogScreen .filter-bar Input:focus { background-tint: $accent 25%; }
    /* At 80 columns the list keeps its rows: the search's hint goes (the placeholder says it). */
    CatalogScreen.-narrow .filter-hint { display: none; }
    CatalogScreen #catalog-detail > #detail-message { display: none; }
    CatalogScreen #catalog-detail.-message > #detail-message { display: block; }
    """

    TABLES = ("products", "prices", "links")

    @dataclass
    class LinkItemsLoaded(Message):
        """A payment link with what it sells (`line_items`), loaded by a worker."""

        link: Obj

    def __init__(self) -> None:
        super().__init__()
        self._debouncers: dict[str, Timer] = {}
        self._prices_product: str | None = None
        self._select_price: str | None = None
        self._active = "products"
        self.show_archived = False
        self._keys_state: tuple[str, bool | None] | None = None
        self._pins: dict[str, Obj] = {}
        """Objects opened by id, by table, to put in place once that table's page arrives."""
        self.filter_text = ""
        """Products whose name contains this (Stripe's search), or every product when empty."""
        """Whether archived products and prices are listed (greyed), or only active ones."""

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="body"):
            with Vertical(classes="list-pane"):
                with Vertical(classes="filter-bar", id="filter-bar"):
                    yield Input(
                        placeholder="3+ letters of a product's name; enter searches, escape clears",
                        id="filter",
                    )
                    yield Static("", classes="filter-hint", id="filter-hint")
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
        active = None if self.show_archived else True
        needle = self.filter_text
        size = self.page_size(PAGE_SIZE)
        if needle:
            query = product_search_query(needle, archived_too=self.show_archived)
            return Resource(
                "products",
                PRODUCT_COLUMNS,
                lambda cursor: gateway.search_products(query, size, cursor),
                empty_text=f'No product named like "{needle}". Escape clears the search.',
            )
        return Resource(
            "products",
            PRODUCT_COLUMNS,
            lambda cursor: gateway.list_products(size, cursor, active=active),
            empty_text="No products yet. Press n to create one."
            if self.show_archived
            else "No active products. Press n to create one, a to show archived ones.",
        )

    def _prices_resource(self, product_id: str) -> Resource:
        gateway = self.gateway
        active = None if self.show_archived else True
        size = self.page_size(PAGE_SIZE)
        return Resource(
            "prices",
            PRICE_COLUMNS,
            lambda cursor: gateway.list_prices(size, cursor, product=product_id, active=active),
            empty_text="No prices for this product. Press p to create one."
            if self.show_archived
            else "No active prices for this product. Press p to create one, a shows archived.",
        )

    def _links_resource(self) -> Resource:
        gateway = self.gateway
        size = self.page_size(LINK_PAGE_SIZE)
        return Resource(
            "payment links",
            LINK_COLUMNS,
            lambda cursor: fetch_links(gateway, cursor, size),
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
        elif kind == "products" and (timer := self._debouncers.pop("prices", None)) is not None:
            timer.stop()  # back on the product whose prices are shown: no switch after all
        if kind == self._active:
            self._debounce("detail", lambda: self.show_detail(kind, item))
            self._refresh_keys(item)

    def _refresh_keys(self, item: Obj | None) -> None:
        """`x` archives or unarchives as the selected item is: the footer follows. Only on a
        change: refreshed on every highlight, the screen never settled (seen in Pilot tests)."""
        state = (self._active, None if item is None else archived(item))
        if state != self._keys_state:
            self._keys_state = state
            self.refresh_bindings()

    @on(ResourceTable.Loaded, "#prices")
    def _prices_loaded(self, event: ResourceTable.Loaded) -> None:
        wanted = self._select_price
        if wanted is None:
            return
        self._select_price = None
        pinned = self._pins.pop("prices", None)
        row = self.prices.row_of(wanted)
        if row is not None:
            self.prices.move_cursor(row=row)
            if self._active == "prices":
                self.show_detail("prices", self.prices.item_at(row))
        else:  # opened by id but not listed (archived, or further down): shown on top
            if pinned is not None and pinned["id"] == wanted:
                self.prices.upsert(pinned)

    @on(ResourceTable.Loaded, "#products, #links")
    def _place_pinned(self, event: ResourceTable.Loaded) -> None:
        pinned = self._pins.pop(event.table.id or "", None)
        if pinned is not None:
            self._place(event.table, pinned)

    def _place(self, table: ResourceTable, item: Obj) -> None:
        """Move the cursor to an item, putting it on top when it is not listed."""
        if (row := table.row_of(item["id"])) is not None:
            table.move_cursor(row=row)
        else:
            table.upsert(item)

    def show_object(self, obj: Obj, product: Obj | None = None) -> None:
        """Show a product, price (with its `product`) or payment link fetched by id ("Go to
        an id"), in its table whether listed or not, and in the detail pane."""
        ident = str(obj["id"])
        kind = {"plink_": "links", "price_": "prices"}.get(ident[: ident.index("_") + 1])
        kind = kind or "products"
        if kind == "prices" and product is not None:
            self._pins["prices"] = obj  # placed when the product's prices arrive
            self.show_prices(product, select=ident)
            self._put("products", product)
        else:
            self._put(kind, obj)
        self.table(kind).focus()
        self._set_active(kind)
        self.show_detail(kind, obj)

    def _put(self, kind: str, item: Obj) -> None:
        table = self.table(kind)
        if table.loaded and not table.is_loading:
            self._place(table, item)
        else:
            self._pins[kind] = item

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
            self.post_message(self.LinkItemsLoaded(full))

    def on_catalog_screen_link_items_loaded(self, message: LinkItemsLoaded) -> None:
        link = message.link
        links = self.links
        if links.row_of(link["id"]) is not None:
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
        table = {
            "update_product": "products",
            "archive_price": "prices",
            "unarchive_price": "prices",
            "deactivate_link": "links",
            "activate_link": "links",
        }.get(action)
        if table is None:
            return True
        if table != self._active:
            return False  # the palette still runs them: only the key is the focused table's
        selected = self.table(table).selected
        if action == "update_product":
            return selected is not None
        if selected is None:
            return False
        return archived(selected) == (action in ("unarchive_price", "activate_link"))

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

        spec = price_form(lambda needle: search_products(gateway, needle), self.default_currency)
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
            row = products.row_of(product_id)
            product = {"id": product_id} if row is None else products.item_at(row)
            if row is not None:
                self._prices_product = product_id
                products.move_cursor(row=row)
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

    def action_update_product(self) -> None:
        self.update_product()

    def action_archive_price(self) -> None:
        self.archive_price()

    def action_unarchive_price(self) -> None:
        self.unarchive_price()

    def action_deactivate_link(self) -> None:
        self.deactivate_link()

    def action_activate_link(self) -> None:
        self.activate_link()

    def action_toggle_archived(self) -> None:
        """Show archived products and prices (greyed), or hide them again."""
        self.show_archived = not self.show_archived
        product_id = self._prices_product
        known = None if product_id is None else self.products.find(product_id)
        self._reload_products()
        if product_id is not None:
            self.show_prices(known or {"id": product_id})
        shown = "shown (greyed)" if self.show_archived else "hidden"
        self.notify(f"Archived products and prices {shown}. a toggles.")

    def update_product(self) -> None:
        """Open "Update a Stripe product" for the selected product, prefilled."""
        if self.refuse_writes():
            return
        product = self.products.selected
        if product is None:
            self.notify("Select a product first.", severity="warning")
            return
        gateway = self.gateway
        product_id = product["id"]
        prefill = {
            "name": str(product.get("name") or ""),
            "description": str(product.get("description") or ""),
            "active": "false" if archived(product) else "true",
            "metadata": rows_json(product.get("metadata")),
        }

        def submit(values: dict[str, Any], key: str) -> Obj:
            return gateway.update_product(product_id, product_changes(product, values), key)

        def updated(result: Obj | None) -> None:
            if result is None:
                return
            self.products.upsert(result)
            if self._active == "products":
                self.show_detail("products", result)
            self.notify(f"Updated product {result['id']}", title="Product updated")

        spec = update_product_form(product)
        self.app.push_screen(FormScreen(spec, submit, values=prefill), updated)

    def archive_price(self) -> None:
        """Open "Archive a Stripe price" for the selected price."""
        self._change_price(archive=True)

    def unarchive_price(self) -> None:
        """Open "Unarchive a Stripe price" for the selected price."""
        self._change_price(archive=False)

    def _change_price(self, *, archive: bool) -> None:
        if self.refuse_writes():
            return
        gateway = self.gateway
        price = self.prices.selected
        prefill: dict[str, str] = {}
        if price is not None:
            prefill = {
                "price_id": price["id"],
                "nickname": str(price.get("nickname") or ""),
                "lookup_key": str(price.get("lookup_key") or ""),
            }
        checked: set[str] = set()

        def submit(values: dict[str, Any], key: str) -> Obj:
            price_id = values["price_id"]
            if key not in checked:  # a replay (same key) must reach Stripe: it says what was done
                current = gateway.retrieve_price(price_id)
                if archived(current) == archive:
                    raise already("price", price_id, "archived" if archive else "active")
                checked.add(key)
            params: dict[str, Any] = {"active": not archive}
            for name in ("nickname", "lookup_key"):
                if values.get(name, "") != prefill.get(name, ""):
                    params[name] = values.get(name, "")
            return gateway.update_price(price_id, params, key)

        def changed(result: Obj | None) -> None:
            if result is None:
                return
            if self.prices.row_of(result["id"]) is not None:
                self.prices.upsert(result)
            if self._active == "prices":
                self.show_detail("prices", result)
            done = "Archived" if archive else "Unarchived"
            self.notify(f"{done} price {result['id']}", title=f"Price {done.lower()}")

        spec = price_state_form(archive)
        self.app.push_screen(FormScreen(spec, submit, values=prefill), changed)

    def deactivate_link(self) -> None:
        """Open "Deactivate a Stripe payment link" for the selected link."""
        self._change_link(activate=False)

    def activate_link(self) -> None:
        """Open "Activate a Stripe payment link" for the selected link."""
        self._change_link(activate=True)

    def _change_link(self, *, activate: bool) -> None:
        if self.refuse_writes():
            return
        gateway = self.gateway
        link = self.links.selected
        prefill = {"link_id": link["id"]} if link is not None else {}
        checked: set[str] = set()

        def submit(values: dict[str, Any], key: str) -> Obj:
            link_id = values["link_id"]
            if key not in checked:  # a replay (same key) must reach Stripe: it says what was done
                current = gateway.retrieve_payment_link(link_id)
                if archived(current) != activate:  # already in the asked state
                    raise already("payment link", link_id, "active" if activate else "inactive")
                checked.add(key)
            result = gateway.update_payment_link(link_id, {"active": activate}, key)
            return with_line_items(gateway, result)

        def changed(result: Obj | None) -> None:
            if result is None:
                return
            self.links.upsert(result)
            if self._active == "links":
                self.show_detail("links", result)
            done = "Activated" if activate else "Deactivated"
            self.notify(f"{done} payment link {result['id']}", title=f"Link {done.lower()}")

        spec = link_state_form(activate)
        self.app.push_screen(FormScreen(spec, submit, values=prefill), changed)

    # Search ----------------------------------------------------------------------------------

    def _reload_products(self) -> None:
        title = "Products, archived too" if self.show_archived else "Products"
        if self.filter_text:
            title += f' named like "{self.filter_text}"'
        products = self.products
        products.border_title = literal(title)
        products.load(self._products_resource())

    def action_filter(self) -> None:
        self.query_one("#filter-bar").add_class("-shown")
        self.query_one("#filter", Input).focus()

    @on(Input.Changed, "#filter")
    def _filter_hint(self, event: Input.Changed) -> None:
        typed = event.value.strip()
        if not typed:
            hint = "Type part of a product's name; enter searches, escape clears."
        elif len(typed) < MIN_SEARCH:
            hint = f"Type at least {MIN_SEARCH} characters to search names."
        else:
            hint = "Search: on real Stripe, results can lag new writes by up to a minute."
        self.query_one("#filter-hint", Static).update(hint)

    @on(Input.Submitted, "#filter")
    def _apply_filter(self, event: Input.Submitted) -> None:
        event.stop()
        typed = event.value.strip()
        if typed and len(typed) < MIN_SEARCH:
            return  # Stripe would refuse it; the hint says why
        self.filter_text = typed
        if not typed:
            self.query_one("#filter-bar").remove_class("-shown")
        self._reload_products()
        self.products.focus()

    def action_clear_filter(self) -> None:
        had = bool(self.filter_text)
        if not had and not self.query_one("#filter-bar").has_class("-shown"):
            return  # nothing to clear: escape leaves the focus where it is
        self.query_one("#filter", Input).value = ""
        self.query_one("#filter-bar").remove_class("-shown")
        self.filter_text = ""
        if had:
            self._reload_products()
        self.products.focus()
