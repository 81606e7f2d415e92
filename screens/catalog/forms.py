"""The Catalog's forms: create and update products, prices and payment links."""

from __future__ import annotations

from typing import Any

from tui.gateway import ErrorKind, GatewayError, Obj
from widgets.form import Field, FormSpec
from widgets.metadata import metadata_changes

INTERVALS = ("day", "week", "month", "year")
MAX_INTERVAL_COUNT = {"day": 1095, "week": 156, "month": 36, "year": 3}
"""Stripe bills at most every three years: 3 years, 36 months, 156 weeks or 1095 days."""


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


def price_form(suggest_products: Any, currency: str = "usd") -> FormSpec:
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
                default=currency,
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


NOTHING_CHANGED = "Nothing changed: edit a field, or escape."
ACTIVE_CHOICES = (("true", "active"), ("false", "archived"))


def product_changes(product: Obj, values: dict[str, Any]) -> dict[str, Any]:
    """What an update sends: the fields that differ from the product's ("" unsets one)."""
    changes: dict[str, Any] = {
        name: values.get(name) or ""
        for name in ("name", "description")
        if (values.get(name) or "") != (product.get(name) or "")
    }
    active = values.get("active") == "true"
    if active != bool(product.get("active", True)):
        changes["active"] = active
    metadata = metadata_changes(product.get("metadata"), values.get("metadata") or {})
    if metadata:
        changes["metadata"] = metadata
    return changes


def update_product_form(product: Obj) -> FormSpec:
    """ "Update a Stripe product", for one product: only what changed is sent."""

    def check(values: dict[str, Any]) -> dict[str, str]:
        return {} if product_changes(product, values) else {"": NOTHING_CHANGED}

    return FormSpec(
        title="Update a Stripe product",
        fields=(
            Field("name", "Name", required=True, placeholder="Gold plan"),
            Field("description", "Description", placeholder="Shown to customers at checkout"),
            Field(
                "active",
                "Status",
                kind="choice",
                required=True,
                choices=ACTIVE_CHOICES,
                help="An archived product cannot be bought; its prices stay.",
            ),
            Field(
                "metadata",
                "Metadata",
                kind="metadata",
                help="ctrl+n adds a key, ctrl+r removes one; an emptied field is unset.",
            ),
        ),
        submit_label="Update product",
        check=check,
    )


def price_state_form(archive: bool) -> FormSpec:
    """ "Archive a Stripe price" or "Unarchive a Stripe price": nickname and lookup key too."""
    verb = "Archive" if archive else "Unarchive"
    return FormSpec(
        title=f"{verb} a Stripe price",
        fields=(
            Field(
                "price_id",
                "Price",
                kind="id",
                required=True,
                prefix="price_",
                placeholder="price_...",
                params=("id", "price"),
                help=(
                    "Archived, it cannot be used in new payment links; existing ones keep it."
                    if archive
                    else "Active again, it can be sold in new payment links."
                ),
            ),
            Field("nickname", "Nickname", params=("nickname",), help="Empty unsets it."),
            Field(
                "lookup_key",
                "Lookup key",
                params=("lookup_key",),
                help="Empty unsets it; at most 200 characters.",
            ),
        ),
        submit_label=f"{verb} price",
    )


def link_state_form(activate: bool) -> FormSpec:
    """ "Deactivate a Stripe payment link" or "Activate a Stripe payment link"."""
    verb = "Activate" if activate else "Deactivate"
    return FormSpec(
        title=f"{verb} a Stripe payment link",
        fields=(
            Field(
                "link_id",
                "Payment link",
                kind="id",
                required=True,
                prefix="plink_",
                placeholder="plink_...",
                params=("id", "payment_link"),
                help=(
                    "Its url takes payments again."
                    if activate
                    else "Its url stops taking payments; activate it again at any time."
                ),
            ),
        ),
        submit_label=f"{verb} link",
    )


def already(what: str, ident: str, state: str) -> GatewayError:
    """The console's refusal of a change that would change nothing (Stripe would accept it)."""
    return GatewayError(
        ErrorKind.INVALID_REQUEST, f"The {what} {ident} is already {state}.", param="id"
    )


def product_search_query(needle: str, *, archived_too: bool) -> str:
    """Stripe's search syntax for products whose name contains the text (active ones only
    unless `archived_too`)."""
    quoted = needle.strip().replace("\\", "\\\\").replace('"', '\\"')
    query = f'name~"{quoted}"'
    return query if archived_too else f'{query} AND active:"true"'
