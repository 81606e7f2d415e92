"""Charges: made by a payment intent's confirmation; retrieve, list, update, capture, search."""

from __future__ import annotations

from ..cards import card_of
from ..errors import StripeError, invalid, state_error
from ..objects import new_id, now, public, rand
from ..params import OneOf, Spec
from ..store import Store
from .common import ADDRESS, LIST, RETRIEVE, Obj, get_object, list_objects, merge_metadata, route
from .events import record_event
from .payment_search import SEARCH, search

CHARGE_LIST: Spec = {**LIST, "customer": "str", "payment_intent": "str", "transfer_group": "str"}
CHARGE_UPDATE: Spec = {
    "customer": "str",
    "description": "str",
    "expand": "strs",
    "fraud_details": {"user_report": OneOf("fraudulent", "safe")},
    "metadata": "map",
    "receipt_email": "str",
    "shipping": {
        "address": ADDRESS,
        "carrier": "str",
        "name": "str",
        "phone": "str",
        "tracking_number": "str",
    },
    "transfer_group": "str",
}
CHARGE_CAPTURE: Spec = {
    **{k: "any" for k in ("application_fee", "transfer_data", "transfer_group")},
    "amount": "int",
    "application_fee_amount": "int",
    "expand": "strs",
    "receipt_email": "str",
    "statement_descriptor": "str",
    "statement_descriptor_suffix": "str",
}
CHARGE_SEARCH_FIELDS = frozenset(
    {
        "amount",
        "billing_details.address.postal_code",
        "created",
        "currency",
        "customer",
        "disputed",
        "metadata",
        "payment_method_details.card.brand",
        "payment_method_details.card.exp_month",
        "payment_method_details.card.exp_year",
        "payment_method_details.card.fingerprint",
        "payment_method_details.card.last4",
        "refunded",
        "status",
    }
)


def new_charge(
    store: Store, pi: Obj, pm: Obj, failure: tuple[str, str, str] | None, blocked: bool = False
) -> Obj:
    ident = new_id("ch")
    card = pm["card"]
    risk_level = card_of(pm).risk_level
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
        "outcome": _outcome(decline_code, blocked, risk_level),
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


def _outcome(decline_code: str | None, blocked: bool, risk_level: str) -> Obj:
    reason: str | None
    if blocked:
        status, reason, kind = "not_sent_to_network", "highest_risk_level", "blocked"
        message = "Stripe blocked this payment as too risky."
    elif decline_code is None:
        status, reason, kind = "approved_by_network", None, "authorized"
        message = "Payment complete."
    else:
        status, reason, kind = "declined_by_network", decline_code, "issuer_declined"
        message = "The bank did not return any further details with this decline."
    return {
        "advice_code": None,
        "network_advice_code": None,
        "network_decline_code": None,
        "network_status": status,
        "reason": reason,
        "risk_level": risk_level,
        "risk_score": {"normal": 20, "elevated": 70, "highest": 90}.get(risk_level, 20),
        "seller_message": message,
        "type": kind,
    }


def decline(
    store: Store, pi: Obj, pm: Obj, outcome: tuple[str, str, str], blocked: bool = False
) -> Obj:
    """Record the failed charge, leave ``pi`` awaiting a payment method, raise the card error."""
    code, decline_code, message = outcome
    charge = new_charge(store, pi, pm, outcome, blocked)
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


def update_charge(store: Store, params: Obj, ident: str) -> Obj:
    charge = get_object(store, "charge", ident, "charge", "id")
    group = params.get("transfer_group")
    if group is not None and charge["payment_intent"] is not None:
        raise invalid(
            f"This Charge was created by a PaymentIntent ({charge['payment_intent']}). You "
            "must update the `transfer_group` on the PaymentIntent instead of updating the "
            "Charge directly.",
            "transfer_group",
        )
    customer = params.get("customer")
    if customer is not None:
        if charge["customer"] is not None and charge["customer"] != customer:
            raise invalid(
                f"This charge already has a customer ({charge['customer']}); it cannot be changed.",
                "customer",
            )
        found = store.get("customer", customer)
        if found is None or found.get("deleted"):
            raise invalid(f"No such customer: '{customer}'", "customer", "resource_missing")
    previous: Obj = {}
    for key in ("customer", "description", "receipt_email", "shipping", "fraud_details"):
        if key in params:
            value = params[key]
            if key == "fraud_details":
                value = {**charge["fraud_details"], **(value or {})}
            if charge[key] != value:
                previous[key] = charge[key]
                charge[key] = value
    if "metadata" in params:
        merged = merge_metadata(charge["metadata"], params["metadata"])
        if merged != charge["metadata"]:
            previous["metadata"] = charge["metadata"]
            charge["metadata"] = merged
    if previous:
        store.update(charge)
        record_event(store, "charge.updated", charge, previous)
    return charge


def capture_charge(store: Store, params: Obj, ident: str) -> Obj:
    charge = get_object(store, "charge", ident, "charge", "id")
    if charge["captured"]:
        raise state_error(
            f"Charge {ident} has already been captured.", None, "charge_already_captured"
        )
    if charge["status"] == "failed":
        raise state_error(f"Charge {ident} has failed and cannot be captured.")
    if charge["refunded"]:
        raise state_error(
            f"Charge {ident} has already been refunded.", None, "charge_already_refunded"
        )
    raise state_error(
        f"This uncaptured Charge was created by a PaymentIntent ({charge['payment_intent']}). "
        "You must capture the PaymentIntent instead. For more information, see "
        "https://stripe.com/docs/payments/place-a-hold-on-a-payment-method"
    )


def search_charges(store: Store, params: Obj) -> Obj:
    return search(store, "charge", params, CHARGE_SEARCH_FIELDS, "charges")


ROUTES = [
    route("GET", r"/v1/charges", list_charges, CHARGE_LIST),
    route("GET", r"/v1/charges/search", search_charges, SEARCH),
    route("GET", r"/v1/charges/([^/]+)", retrieve_charge, RETRIEVE),
    route("POST", r"/v1/charges/([^/]+)", update_charge, CHARGE_UPDATE),
    route("POST", r"/v1/charges/([^/]+)/capture", capture_charge, CHARGE_CAPTURE),
]
