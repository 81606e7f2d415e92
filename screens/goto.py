"""Go to anything: the palette's "Go to an id", and `o`, which copies a Dashboard URL.

"Go to an id" takes any id the console knows (or a Dashboard URL of one), fetches the object
first, and only then opens it on its screen: customers on Customers, products, prices and links
on the Catalog, payment intents on Payments (a charge or a refund shows its payment intent),
events on Events filtered to that event. A payment method, or a charge or refund that belongs to
no payment intent, has no screen of its own: it opens in the JSON inspector. An object that is
not there leaves everything as it was, with a notification that says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.widget import Widget

from tui.dashboard import GotoError, Target, dashboard_url, parse
from tui.gateway import ErrorKind, Gateway, GatewayError, Obj
from tui.settings import Mode
from widgets.clipboard import OSC52_NOTE, SHOWN_FOR
from widgets.form import Field, FormScreen, FormSpec
from widgets.inspector import JsonInspector
from widgets.resource_table import ResourceTable

if TYPE_CHECKING:
    from screens.base import ConsoleScreen

GO_TO_TITLE = "Go to an id"
SANDBOX_NOTE = "The embedded sandbox's objects are not on Stripe: this is the test-mode path."
NO_PAGE = "Nothing selected to open in the Dashboard."


def goto_form() -> FormSpec:
    def check(values: dict[str, Any]) -> dict[str, str]:
        try:
            parse(values["target"])
        except GotoError as error:
            return {"target": str(error)}
        return {}

    return FormSpec(
        title=GO_TO_TITLE,
        fields=(
            Field(
                "target",
                "Id or Dashboard URL",
                required=True,
                params=("id",),
                placeholder="cus_..., pi_..., or https://dashboard.stripe.com/test/...",
                help="cus_ prod_ price_ plink_ pi_ ch_ re_ pm_ evt_, or a Dashboard page of one.",
            ),
        ),
        submit_label="Go",
        check=check,
        writes=False,
    )


@dataclass(frozen=True)
class Found:
    """What "Go to an id" fetched: the object, and what opens it."""

    target: Target
    obj: Obj
    product: Obj | None = None
    """A price's product (the Catalog lists prices by product)."""
    payment_intent: str | None = None
    """The intent a charge or a refund belongs to."""


def locate(gateway: Gateway, target: Target) -> Found:
    """Fetch the object a target names (in a worker thread), and what its screen needs."""
    prefix, ident = target.kind.prefix, target.id
    if prefix == "cus_":
        return Found(target, gateway.retrieve_customer(ident))
    if prefix == "prod_":
        return Found(target, gateway.retrieve_product(ident))
    if prefix == "price_":
        price = gateway.retrieve_price(ident)
        product = price.get("product")
        if isinstance(product, dict):
            return Found(target, price, product)
        return Found(target, price, gateway.retrieve_product(str(product)) if product else None)
    if prefix == "plink_":
        return Found(target, gateway.retrieve_payment_link(ident, expand_line_items=True))
    if prefix == "pi_":
        return Found(target, gateway.retrieve_payment_intent(ident), payment_intent=ident)
    if prefix == "ch_":
        charge = gateway.retrieve_charge(ident)
        return Found(target, charge, payment_intent=_id_of(charge.get("payment_intent")))
    if prefix == "re_":
        refund = gateway.retrieve_refund(ident)
        intent = _id_of(refund.get("payment_intent"))
        charge_id = _id_of(refund.get("charge"))
        if intent is None and charge_id is not None:
            intent = _id_of(gateway.retrieve_charge(charge_id).get("payment_intent"))
        return Found(target, refund, payment_intent=intent)
    if prefix == "pm_":
        return Found(target, gateway.retrieve_payment_method(ident))
    return Found(target, gateway.retrieve_event(ident))


def _id_of(value: Any) -> str | None:
    """An id field's id, whether Stripe sent the id or the expanded object."""
    if isinstance(value, dict):
        value = value.get("id")
    return str(value) if value else None


def not_found(target: Target, mode: Mode) -> str:
    """The notification for an object that is not there (and a URL of the other mode)."""
    message = f"No such {target.kind.name}: {target.id}"
    live = mode is Mode.LIVE
    if target.test is not None and target.test == live:
        url_mode, console_mode = ("test", "LIVE") if target.test else ("live", mode.value)
        message += f"\n(That is a {url_mode}-mode URL; the console is in {console_mode} mode.)"
    return message


def go_to_id(screen: ConsoleScreen, value: str = "") -> None:
    """Open "Go to an id"; once the object is fetched, open it where it lives."""
    gateway = screen.gateway
    app = screen.console
    prefill = {"target": value} if value else {}

    def submit(values: dict[str, Any], key: str) -> Found:
        target = parse(values["target"])
        try:
            return locate(gateway, target)
        except GatewayError as error:
            if error.kind is ErrorKind.NOT_FOUND:
                message = not_found(target, app.settings.mode)
                app.call_from_thread(app.notify, message, title=GO_TO_TITLE, severity="error")
            raise

    async def found(result: Found | None) -> None:
        if result is not None:
            await open_found(screen, result)

    app.push_screen(FormScreen(goto_form(), submit, values=prefill), found)


async def open_found(screen: ConsoleScreen, found: Found) -> None:
    """Show a fetched object on its screen (or in the JSON inspector when it has none)."""
    app = screen.console
    prefix = found.target.kind.prefix
    mode = {"cus_": "customers", "prod_": "catalog", "price_": "catalog", "plink_": "catalog"}
    mode |= {"evt_": "events"}
    if prefix in mode:
        await app.switch_mode(mode[prefix])
        show = getattr(app.screen, "show_object", None)
        if show is not None:
            show(found.obj, found.product)
        return
    if found.payment_intent is not None:
        await app.open_payment_intent(found.payment_intent)
        if prefix != "pi_":
            app.notify(f"{found.target.id} belongs to {found.payment_intent}.", title=GO_TO_TITLE)
        return
    app.push_screen(JsonInspector(found.obj, title=found.target.id))


# `o`: the Dashboard URL of the selected object ---------------------------------------------


def selected_object(screen: Widget) -> Obj | None:
    """The object under the cursor of the focused table (else of the screen's first table)."""
    focused = screen.app.focused
    tables = list(screen.query(ResourceTable))
    table = focused if isinstance(focused, ResourceTable) and focused in tables else None
    if table is None and tables:
        table = tables[0]
    return table.selected if table is not None else None


def copy_dashboard_url(screen: ConsoleScreen) -> None:
    """Copy the Dashboard URL of the selected object (the test-mode path unless LIVE)."""
    item = selected_object(screen)
    ident = str(item.get("id") or "") if item is not None else ""
    if not ident:
        screen.notify(NO_PAGE, severity="warning")
        return
    mode = screen.settings.mode
    try:
        url = dashboard_url(ident, live=mode is Mode.LIVE)
    except GotoError as error:
        screen.notify(f"No Dashboard page: {error}", severity="warning")
        return
    screen.app.copy_to_clipboard(url)
    lines = [url, SANDBOX_NOTE] if mode is Mode.SANDBOX else [url]
    title = f"Dashboard URL ({'live' if mode is Mode.LIVE else 'test'} mode)"
    screen.notify("\n".join([*lines, OSC52_NOTE]), title=title, timeout=SHOWN_FOR)
