"""Ending a payment intent: capture (whole or partial) of a hold, and cancel, which releases one."""

from __future__ import annotations

from ..errors import invalid
from ..objects import format_amount, new_id, now
from ..params import OneOf, Spec
from ..store import Store
from .common import Obj, get_object, merge_metadata, route
from .events import record_event
from .payment_intent_confirm import unexpected_state

PI_CAPTURE: Spec = {
    **{k: "any" for k in ("amount_details", "hooks", "payment_details", "transfer_data")},
    "amount_to_capture": "int",
    "application_fee_amount": "int",
    "expand": "strs",
    "final_capture": "bool",
    "metadata": "map",
    "statement_descriptor": "str",
    "statement_descriptor_suffix": "str",
}
PI_CANCEL: Spec = {
    "cancellation_reason": OneOf("abandoned", "duplicate", "fraudulent", "requested_by_customer"),
    "expand": "strs",
}

_CAPTURABLE = ("requires_capture",)
_CANCELABLE = (
    "requires_payment_method",
    "requires_capture",
    "requires_confirmation",
    "requires_action",
    "processing",
)


def _intent(store: Store, ident: str) -> Obj:
    return get_object(store, "payment_intent", ident, "payment_intent", "intent")


def capture_payment_intent(store: Store, params: Obj, ident: str) -> Obj:
    pi = _intent(store, ident)
    if pi["status"] not in _CAPTURABLE:
        raise unexpected_state(pi, "capture", "captured", _CAPTURABLE)
    capturable = pi["amount_capturable"]
    amount = params.get("amount_to_capture")
    if amount is None:
        amount = capturable
    if amount < 1:
        raise invalid("This value must be greater than or equal to 1.", "amount_to_capture")
    cur = pi["currency"]
    if amount > capturable:
        raise invalid(
            f"The amount to capture ({format_amount(amount, cur)}) is greater than the amount "
            f"capturable on this PaymentIntent ({format_amount(capturable, cur)}).",
            "amount_to_capture",
            "amount_too_large",
        )
    charge = get_object(store, "charge", pi["latest_charge"], "charge", None)
    charge["captured"] = True
    charge["amount_captured"] = amount
    charge["amount_refunded"] = charge["amount"] - amount
    charge["balance_transaction"] = new_id("txn")
    for key in ("statement_descriptor", "statement_descriptor_suffix"):
        if params.get(key) is not None:
            charge[key] = params[key]
    store.update(charge)
    record_event(store, "charge.captured", charge)
    pi["status"] = "succeeded"
    pi["amount_capturable"] = 0
    pi["amount_received"] = amount
    if params.get("application_fee_amount") is not None:
        pi["application_fee_amount"] = params["application_fee_amount"]
    pi["metadata"] = merge_metadata(pi["metadata"], params.get("metadata"))
    store.update(pi)
    record_event(store, "payment_intent.succeeded", pi)
    return pi


def cancel_payment_intent(store: Store, params: Obj, ident: str) -> Obj:
    pi = _intent(store, ident)
    if pi["status"] not in _CANCELABLE:
        raise unexpected_state(pi, "cancel", "canceled", _CANCELABLE)
    if pi["status"] == "requires_capture":
        _release(store, pi)
    pi["status"] = "canceled"
    pi["canceled_at"] = now()
    pi["cancellation_reason"] = params.get("cancellation_reason")
    pi["amount_capturable"] = 0
    pi["next_action"] = None
    store.update(pi)
    record_event(store, "payment_intent.canceled", pi)
    return pi


def _release(store: Store, pi: Obj) -> None:
    """The uncaptured charge's hold is released: refunded in full, never captured."""
    charge = store.get("charge", pi["latest_charge"] or "")
    if charge is None:
        return
    charge["amount_refunded"] = charge["amount"]
    charge["refunded"] = True
    store.update(charge)
    record_event(store, "charge.refunded", charge)


ROUTES = [
    route("POST", r"/v1/payment_intents/([^/]+)/capture", capture_payment_intent, PI_CAPTURE),
    route("POST", r"/v1/payment_intents/([^/]+)/cancel", cancel_payment_intent, PI_CANCEL),
]
