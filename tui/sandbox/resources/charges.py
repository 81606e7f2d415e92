"""Charges: made by a payment intent's confirmation; retrieve and list."""

from __future__ import annotations

from ..errors import StripeError
from ..objects import new_id, now, public, rand
from ..params import Spec
from ..store import Store
from .common import LIST, RETRIEVE, Obj, get_object, list_objects, route
from .events import record_event

CHARGE_LIST: Spec = {**LIST, "customer": "str", "payment_intent": "str", "transfer_group": "str"}


def new_charge(store: Store, pi: Obj, pm: Obj, failure: tuple[str, str, str] | None) -> Obj:
    ident = new_id("ch")
    card = pm["card"]
    ok = failure is None
    code, decline_code, message = failure or (None, None, None)
    captured = ok and pi["capture_method"] != "manual"
    charge: Obj = {
        "id": ident,
        "object": "charge",
        "amount": pi["amount"],
        "amount_captured": pi["amount"] if captured else 0,
        "amount_refunded": 0,
        "application": None,
        "application_fee": None,
        "application_fee_amount": None,
        "balance_transaction": new_id("txn") if captured else None,
        "billing_details": pm["billing_details"],
        "calculated_statement_descriptor": "SANDBOX",
        "captured": captured,
        "created": now(),
        "currency": pi["currency"],
        "customer": pi["customer"],
        "description": pi["description"],
        "disputed": False,
        "failure_balance_transaction": None,
        "failure_code": code,
        "failure_message": message,
        "fraud_details": {},
        "livemode": False,
        "metadata": dict(pi["metadata"]),
        "on_behalf_of": None,
        "outcome": {
            "advice_code": None,
            "network_advice_code": None,
            "network_decline_code": None,
            "network_status": "approved_by_network" if ok else "declined_by_network",
            "reason": decline_code,
            "risk_level": "normal",
            "risk_score": 20,
            "seller_message": "Payment complete."
            if ok
            else "The bank did not return any further details with this decline.",
            "type": "authorized" if ok else "issuer_declined",
        },
        "paid": ok,
        "payment_intent": pi["id"],
        "payment_method": pm["id"],
        "payment_method_details": {
            "card": {
                "amount_authorized": pi["amount"] if ok else None,
                "authorization_code": None,
                "brand": card["brand"],
                "checks": card["checks"],
                "country": card["country"],
                "exp_month": card["exp_month"],
                "exp_year": card["exp_year"],
                "extended_authorization": {"status": "disabled"},
                "fingerprint": card["fingerprint"],
                "funding": card["funding"],
                "incremental_authorization": {"status": "unavailable"},
                "installments": None,
                "last4": card["last4"],
                "mandate": None,
                "multicapture": {"status": "unavailable"},
                "network": card["brand"],
                "network_token": {"used": False},
                "network_transaction_id": rand(15, "0123456789") if ok else None,
                "overcapture": {
                    "maximum_amount_capturable": pi["amount"],
                    "status": "unavailable",
                },
                "regulated_status": "unregulated",
                "three_d_secure": None,
                "wallet": None,
            },
            "type": "card",
        },
        "receipt_email": pi["receipt_email"],
        "receipt_number": None,
        "receipt_url": f"https://pay.stripe.com/receipts/payment/{rand(60)}",
        "refunded": False,
        "refunds": {
            "object": "list",
            "data": [],
            "has_more": False,
            "total_count": 0,
            "url": f"/v1/charges/{ident}/refunds",
        },
        "review": None,
        "shipping": pi["shipping"],
        "source": None,
        "source_transfer": None,
        "statement_descriptor": pi["statement_descriptor"],
        "statement_descriptor_suffix": pi["statement_descriptor_suffix"],
        "status": "succeeded" if ok else "failed",
        "transfer_data": None,
        "transfer_group": pi["transfer_group"],
    }
    store.insert(charge)
    record_event(store, "charge.succeeded" if ok else "charge.failed", charge)
    return charge


def decline(store: Store, pi: Obj, pm: Obj, outcome: tuple[str, str, str]) -> Obj:
    """Record the failed charge, leave ``pi`` awaiting a payment method, raise the card error."""
    code, decline_code, message = outcome
    charge = new_charge(store, pi, pm, outcome)
    err = StripeError(
        402,
        message,
        type="card_error",
        code=code,
        decline_code=decline_code,
        param="exp_month" if code == "expired_card" else None,
        commit=True,
    )
    pm_public = public(pm)
    last_error = err.envelope()["error"]
    last_error["charge"] = charge["id"]
    last_error["payment_method"] = pm_public
    pi["status"] = "requires_payment_method"
    pi["payment_method"] = None
    pi["next_action"] = None
    pi["latest_charge"] = charge["id"]
    pi["last_payment_error"] = dict(sorted(last_error.items()))
    store.update(pi)
    record_event(store, "payment_intent.payment_failed", pi)
    err.extra = {"charge": charge["id"], "payment_intent": pi, "payment_method": pm_public}
    raise err


def retrieve_charge(store: Store, params: Obj, ident: str) -> Obj:
    return get_object(store, "charge", ident, "charge", "id")


def list_charges(store: Store, params: Obj) -> Obj:
    pi = params.get("payment_intent")
    customer = params.get("customer")
    group = params.get("transfer_group")
    return list_objects(
        store,
        "charge",
        "/v1/charges",
        params,
        where={"payment_intent": pi, "customer": customer},
        keep=None if group is None else (lambda o: o["transfer_group"] == group),
    )


ROUTES = [
    route("GET", r"/v1/charges", list_charges, CHARGE_LIST),
    route("GET", r"/v1/charges/([^/]+)", retrieve_charge, RETRIEVE),
]
