"""Refunds: create (of a charge or a payment intent's), retrieve, update and list."""

from __future__ import annotations

import copy

from ..errors import StripeError, invalid, state_error
from ..objects import format_amount, new_id, now
from ..params import OneOf, Spec
from ..store import Store
from .common import LIST, RETRIEVE, Obj, changes, get_object, list_objects, merge_metadata, route
from .events import record_event

REFUND_CREATE: Spec = {
    "amount": "int",
    "charge": "str",
    "currency": "str",
    "customer": "str",
    "expand": "strs",
    "instructions_email": "str",
    "metadata": "map",
    "origin": OneOf("customer_balance"),
    "payment_intent": "str",
    "reason": OneOf("duplicate", "fraudulent", "requested_by_customer"),
    "refund_application_fee": "bool",
    "reverse_transfer": "bool",
}
REFUND_LIST: Spec = {**LIST, "charge": "str", "payment_intent": "str"}
REFUND_UPDATE: Spec = {"expand": "strs", "metadata": "map"}


def create_refund(store: Store, params: Obj) -> Obj:
    charge_id = params.get("charge")
    pi_id = params.get("payment_intent")
    if charge_id is None and pi_id is None:
        raise StripeError(
            400,
            "One of the following params should be provided for this request: "
            "payment_intent or charge.",
            code="parameter_missing",
        )
    charge: Obj | None = None
    if pi_id is not None:
        pi = get_object(store, "payment_intent", pi_id, "payment_intent", "payment_intent", 400)
        if pi["status"] != "succeeded" or pi["latest_charge"] is None:
            raise state_error(
                f"This PaymentIntent ({pi_id}) does not have a successful charge to refund.",
                "payment_intent",
            )
        charge = get_object(store, "charge", pi["latest_charge"], "charge", "payment_intent", 400)
        if charge_id is not None and charge_id != charge["id"]:
            raise invalid(
                f"The charge {charge_id} does not belong to PaymentIntent {pi_id}.", "charge"
            )
    else:
        assert charge_id is not None
        charge = get_object(store, "charge", charge_id, "charge", "charge", 400)
        if charge["status"] != "succeeded":
            raise state_error(f"Charge {charge_id} has failed and cannot be refunded.", "charge")
    assert charge is not None
    if charge["refunded"]:
        raise state_error(
            f"Charge {charge['id']} has already been refunded.",
            "charge",
            "charge_already_refunded",
        )
    remaining = charge["amount"] - charge["amount_refunded"]
    amount = params.get("amount")
    if amount is None:
        amount = remaining
    if amount < 1:
        raise StripeError(
            400,
            f"Invalid positive integer: {amount}",
            code="parameter_invalid_integer",
            param="amount",
        )
    cur = charge["currency"]
    if amount > remaining:
        if amount > charge["amount"]:
            msg = (
                f"Refund amount ({format_amount(amount, cur)}) is greater than charge "
                f"amount ({format_amount(charge['amount'], cur)})"
            )
        else:
            msg = (
                f"Refund amount ({format_amount(amount, cur)}) is greater than unrefunded "
                f"amount on charge ({format_amount(remaining, cur)})"
            )
        raise state_error(msg, "amount", "amount_too_large")
    if params.get("currency") is not None and params["currency"].lower() != cur:
        raise invalid(
            f"The currency of the refund ({params['currency']}) must match the currency of "
            f"the charge ({cur}).",
            "currency",
        )
    refund: Obj = {
        "id": new_id("re"),
        "object": "refund",
        "amount": amount,
        "balance_transaction": new_id("txn"),
        "charge": charge["id"],
        "created": now(),
        "currency": cur,
        "customer": charge["customer"],
        "customer_account": None,
        "destination_details": {
            "card": {
                "reference": None,
                "reference_status": "pending",
                "reference_type": "acquirer_reference_number",
                "type": "refund",
            },
            "type": "card",
        },
        "instructions_email": params.get("instructions_email"),
        "metadata": params.get("metadata") or {},
        "payment_intent": charge["payment_intent"],
        "payment_method": charge["payment_method"],
        "reason": params.get("reason"),
        "receipt_number": None,
        "source_transfer_reversal": None,
        "status": "succeeded",
        "transfer_reversal": None,
    }
    store.insert(refund)
    record_event(store, "refund.created", refund)
    before = copy.deepcopy(charge)
    charge["amount_refunded"] += amount
    charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
    refunds = charge["refunds"]
    refunds["data"].insert(0, refund)
    refunds["total_count"] = refunds.get("total_count", 0) + 1
    if len(refunds["data"]) > 10:
        refunds["data"] = refunds["data"][:10]
        refunds["has_more"] = True
    store.update(charge)
    record_event(store, "charge.refunded", charge, changes(before, charge))
    return refund


def retrieve_refund(store: Store, params: Obj, ident: str) -> Obj:
    return get_object(store, "refund", ident, "refund", "id")


def update_refund(store: Store, params: Obj, ident: str) -> Obj:
    """Stripe lets a refund's metadata change, nothing else."""
    refund = get_object(store, "refund", ident, "refund", "id")
    merged = merge_metadata(refund["metadata"], params.get("metadata"))
    if merged != refund["metadata"]:
        previous = {"metadata": refund["metadata"]}
        refund["metadata"] = merged
        store.update(refund)
        record_event(store, "refund.updated", refund, previous)
    return refund


def list_refunds(store: Store, params: Obj) -> Obj:
    return list_objects(
        store,
        "refund",
        "/v1/refunds",
        params,
        where={"payment_intent": params.get("payment_intent"), "charge": params.get("charge")},
    )


ROUTES = [
    route("POST", r"/v1/refunds", create_refund, REFUND_CREATE),
    route("GET", r"/v1/refunds", list_refunds, REFUND_LIST),
    route("GET", r"/v1/refunds/([^/]+)", retrieve_refund, RETRIEVE),
    route("POST", r"/v1/refunds/([^/]+)", update_refund, REFUND_UPDATE),
]
