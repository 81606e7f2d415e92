"""What the Payments screen does to payment intents: create, confirm, refund, capture, cancel,
and attach a payment method to a customer.

Each opens a form. Refund, capture and cancel act on one intent: the selected one is loaded
first, as the server has it now (the keys typed meanwhile are held for the form), and the form
shows what it allows. Moving money asks for the amount to be typed in LIVE mode.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from textual import work
from textual.message import Message

from screens.base import ConsoleScreen
from screens.common import money, text
from screens.payments.columns import payment_method_label, refundable
from screens.payments.forms import (
    TEST_PAYMENT_METHODS,
    Check,
    ConfirmOutcome,
    attach_form,
    cancel_form,
    capture_amount_field,
    capture_form,
    confirm_form,
    create_form,
    declined_text,
    intent_note,
    refund_amount_field,
    refund_form,
    requires_action_text,
)
from tui.gateway import ErrorKind, GatewayError, Obj
from widgets.dialogs import OutcomeScreen
from widgets.form import Field, FormScreen, FormSpec, Lookup

if TYPE_CHECKING:
    from widgets.resource_table import ResourceTable

Known = dict[str, tuple[Obj, Obj | None]]
"""The intents a form has loaded since it opened, by id, with their latest charge."""


@dataclass(frozen=True)
class IntentForm:
    """A form that acts on one payment intent, ready to open."""

    spec: FormSpec
    submit: Callable[[dict[str, Any], str], Obj]
    confirm: Callable[[dict[str, Any]], tuple[str, str] | None]
    done: Callable[[Obj | None], None]


class PaymentActions(ConsoleScreen):
    """The write actions of the Payments screen (PaymentsScreen adds the list and the detail)."""

    customer_filter: str | None
    _shown: Obj | None
    _charges: dict[str, Obj]
    _looked_up: dict[str, Obj]
    _tried: dict[str, str]

    if TYPE_CHECKING:

        @property
        def table(self) -> ResourceTable: ...

        def show_intent(self, intent: Obj, charge: Obj | None = None) -> None: ...

        def _select(self, intent: Obj) -> None: ...

        def _refresh_intent(self, payment_intent_id: str) -> None: ...

    # What the workers answer, posted to the screen.

    @dataclass
    class SavedMethodsLoaded(Message):
        """A customer's saved payment methods (id, label), for the confirm form of `intent`."""

        intent: Obj
        saved: tuple[tuple[str, str], ...]

    @dataclass
    class IntentPrepared(Message):
        """The intent a form acts on (and its charge if asked for), loaded: open `form`."""

        form: Callable[[Obj | None, Obj | None], IntentForm]
        intent: Obj
        charge: Obj | None

    def action_new_payment_intent(self) -> None:
        self.new_payment_intent()

    def action_confirm_payment_intent(self) -> None:
        self.confirm_payment_intent()

    def action_refund_payment(self) -> None:
        self.refund_payment()

    def action_capture_payment_intent(self) -> None:
        self.capture_payment_intent()

    def action_cancel_payment_intent(self) -> None:
        self.cancel_payment_intent()

    def action_attach_payment_method(self) -> None:
        self.attach_payment_method()

    def _known_intent(self, payment_intent_id: str) -> Obj | None:
        if payment_intent_id in self._looked_up:  # looked up by a form: the newest
            return self._looked_up[payment_intent_id]
        if self._shown is not None and self._shown.get("id") == payment_intent_id:
            return self._shown
        return self.table.find(payment_intent_id)

    def _selected_intent(self) -> Obj | None:
        return self.table.selected or self._shown

    def _intent_with_charge(self, payment_intent_id: str) -> tuple[Obj, Obj | None]:
        """An intent and its latest charge as the server has them now (in a worker thread)."""
        intent = self.gateway.retrieve_payment_intent(payment_intent_id)
        charge_id = intent.get("latest_charge")
        charge = self.gateway.retrieve_charge(charge_id) if charge_id else None
        return intent, charge

    # Create ----------------------------------------------------------------------------------

    def new_payment_intent(self) -> None:
        """Open "Create a payment intent"."""
        if self.refuse_writes():
            return
        gateway = self.gateway
        prefill = {"customer_id": self.customer_filter} if self.customer_filter else {}

        def submit(values: dict[str, Any], key: str) -> Obj:
            return gateway.create_payment_intent(
                amount=values["amount"],
                currency=values["currency"],
                customer_id=values.get("customer_id") or None,
                description=values.get("description") or None,
                capture_method="manual" if values.get("capture_method") == "manual" else None,
                idempotency_key=key,
            )

        def confirm(values: dict[str, Any]) -> tuple[str, str] | None:
            who = values.get("customer_id")
            what = f"create a payment intent for {who}" if who else "create a payment intent"
            return self.live_confirmation(money(values["amount"], values["currency"]), what)

        def created(intent: Obj | None) -> None:
            if intent is None:
                return
            if self.customer_filter in (None, intent.get("customer")):
                self.table.prepend(intent)
            self.show_intent(intent)
            amount = money(intent.get("amount"), intent.get("currency"))
            hold = " (a hold: p captures it)" if intent.get("capture_method") == "manual" else ""
            self.notify(
                f"Created {intent['id']} for {amount}{hold}. Press c to confirm it.",
                title="Payment intent created",
            )

        self.app.push_screen(
            FormScreen(
                create_form(gateway, self.default_currency), submit, values=prefill, confirm=confirm
            ),
            created,
        )

    # Confirm ---------------------------------------------------------------------------------

    def confirm_payment_intent(self) -> None:
        """Open "Confirm a payment intent"; for a customer's intent, once their saved payment
        methods are loaded (they are offered first)."""
        if self.refuse_writes():
            return
        selected = self._selected_intent()
        if selected is not None and selected.get("customer"):
            self.console.keys.hold_for(self._load_saved_methods(selected))
            return
        self._open_confirm_form(selected, ())

    @work(
        thread=True,
        exclusive=True,
        group="payments-saved-methods",
        exit_on_error=False,
        description="Load the customer's saved payment methods",
    )
    def _load_saved_methods(self, intent: Obj) -> None:
        page = self.gateway.list_customer_payment_methods(str(intent["customer"]), 100)
        saved = tuple((m["id"], f"{payment_method_label(m)} (saved)") for m in page.items)
        self.post_message(self.SavedMethodsLoaded(intent, saved))

    def on_payment_actions_saved_methods_loaded(self, message: SavedMethodsLoaded) -> None:
        self._open_confirm_form(message.intent, message.saved)

    def _open_confirm_form(self, selected: Obj | None, saved: tuple[tuple[str, str], ...]) -> None:
        gateway = self.gateway
        prefill = {"payment_intent_id": selected["id"]} if selected else {}
        tried = self._tried.get(selected["id"]) if selected else None
        if tried in dict(saved + TEST_PAYMENT_METHODS):
            prefill["payment_method"] = tried
        elif tried:
            prefill["other_payment_method"] = tried

        def submit(values: dict[str, Any], key: str) -> ConfirmOutcome:
            intent_id = values["payment_intent_id"]
            method = values.get("other_payment_method") or values["payment_method"]
            try:
                intent = gateway.confirm_payment_intent(
                    intent_id, payment_method=method, idempotency_key=key
                )
            except GatewayError as error:
                if error.kind is not ErrorKind.CARD_DECLINED:
                    raise
                declined = error.payment_intent or gateway.retrieve_payment_intent(intent_id)
                return ConfirmOutcome(declined, error=error, payment_method=method)
            charge_id = intent.get("latest_charge")
            charge = gateway.retrieve_charge(charge_id) if charge_id else None
            return ConfirmOutcome(intent, charge)

        def confirm(values: dict[str, Any]) -> tuple[str, str] | None:
            intent_id = values["payment_intent_id"]
            method = values.get("other_payment_method") or values["payment_method"]
            known = self._known_intent(intent_id) or {}
            return self.live_confirmation(
                money(known.get("amount"), known.get("currency")),
                f"charge {intent_id} with {method}",
            )

        def says(values: dict[str, Any]) -> str:
            intent = self._known_intent(values.get("payment_intent_id") or "")
            if intent is None:
                return ""
            verb = "Authorize" if intent.get("capture_method") == "manual" else "Charge"
            return f"{verb} {money(intent.get('amount'), intent.get('currency'))}"

        spec = confirm_form(self._intent_lookup({}, lambda _i, _c: ()), says, saved)
        if self.live_confirmation("", "") is not None:
            spec = replace(spec, check=self._live_needs_loaded_intent)
        self.app.push_screen(
            FormScreen(spec, submit, values=prefill, confirm=confirm), self._confirmed
        )

    def _live_needs_loaded_intent(self, values: dict[str, Any]) -> dict[str, str]:
        """LIVE mode confirms by typing the amount, so the intent must be loaded to know it."""
        if self._known_intent(values["payment_intent_id"]) is None:
            return {
                "payment_intent_id": "LIVE mode: select this intent in the list first, so that "
                "you can confirm its amount."
            }
        return {}

    def _confirmed(self, outcome: ConfirmOutcome | None) -> None:
        if outcome is None:
            return
        intent = outcome.intent
        if intent.get("id"):
            if outcome.charge is not None:
                self._charges[outcome.charge["id"]] = outcome.charge
            self._select(intent)
        amount = money(intent.get("amount"), intent.get("currency"))
        state = intent.get("status")
        if outcome.error is not None:
            self._tried[str(intent.get("id"))] = outcome.payment_method
            self.notify(
                f"{intent.get('id')}: {outcome.error.message} "
                f"({outcome.error.decline_code or outcome.error.code})",
                title="Card declined",
                severity="warning",
                timeout=8,
            )
            self.app.push_screen(
                OutcomeScreen("Card declined", declined_text(outcome), declined=True)
            )
        elif state == "succeeded":
            self.notify(
                f"{intent['id']}: {amount} charged, charge {intent.get('latest_charge')}.",
                title="Payment succeeded",
            )
        elif state == "requires_action":
            self.notify(
                f"{intent['id']} waits for the customer's 3-D Secure authentication.",
                title="Requires action",
                severity="warning",
            )
            self.app.push_screen(OutcomeScreen("3-D Secure required", requires_action_text(intent)))
        else:
            self.notify(
                f"{intent.get('id')} is now {text(state)}.", title="Payment intent confirmed"
            )

    # Refund, capture, cancel: the intent is loaded, then its form opens ----------------------

    def refund_payment(self) -> None:
        """Open "Refund a Stripe payment" for the selected intent, with what is left to refund."""
        self._prepare_then_open(
            self._refund, "payments-refund-prepare", "Load the payment to refund", with_charge=True
        )

    def capture_payment_intent(self) -> None:
        """Open "Capture a payment intent" for the selected intent, with what the hold allows."""
        self._prepare_then_open(self._capture, "payments-prepare", "Load the payment intent")

    def cancel_payment_intent(self) -> None:
        """Open "Cancel a payment intent" for the selected intent, as the server has it now."""
        self._prepare_then_open(self._cancel, "payments-prepare", "Load the payment intent")

    def _prepare_then_open(
        self,
        form: Callable[[Obj | None, Obj | None], IntentForm],
        group: str,
        description: str,
        *,
        with_charge: bool = False,
    ) -> None:
        """Open `form` for the selected intent once it is loaded (with its latest charge if
        `with_charge`); with none selected, at once, for an id typed in the form."""
        if self.refuse_writes():
            return
        selected = self._selected_intent()
        if selected is None:
            self._open_intent_form(form, None, None)
            return

        def prepare() -> None:
            intent_id = selected["id"]
            if with_charge:
                intent, charge = self._intent_with_charge(intent_id)
            else:
                intent, charge = self.gateway.retrieve_payment_intent(intent_id), None
            self.post_message(self.IntentPrepared(form, intent, charge))

        # The form opens once the intent is loaded: the keys typed meanwhile are for it.
        worker = self.run_worker(
            prepare,
            thread=True,
            exclusive=True,
            group=group,
            exit_on_error=False,
            description=description,
        )
        self.console.keys.hold_for(worker)

    def on_payment_actions_intent_prepared(self, message: IntentPrepared) -> None:
        self._open_intent_form(message.form, message.intent, message.charge)

    def _open_intent_form(
        self,
        form: Callable[[Obj | None, Obj | None], IntentForm],
        intent: Obj | None,
        charge: Obj | None,
    ) -> None:
        if intent is not None:
            if charge is not None:
                self._charges[charge["id"]] = charge
            if intent != self._shown:  # it changed since shown: show what the form acts on
                self._select(intent)
        prefill = {"payment_intent_id": intent["id"]} if intent is not None else {}
        opened = form(intent, charge)
        self.app.push_screen(
            FormScreen(opened.spec, opened.submit, values=prefill, confirm=opened.confirm),
            opened.done,
        )

    def _intent_lookup(
        self, known: Known, fields: Callable[[Obj | None, Obj | None], tuple[Field, ...]]
    ) -> Callable[[str], Lookup]:
        """A form's lookup of the intent it acts on: notes it, keeps it in `known`, and
        replaces the `fields` that depend on it."""

        def lookup(intent_id: str) -> Lookup:
            try:
                found, charge = self._intent_with_charge(intent_id)
            except GatewayError as error:
                known.pop(intent_id, None)
                return Lookup(error.message, error=True, fields=fields(None, None))
            known[intent_id] = (found, charge)
            self._looked_up[intent_id] = found
            return Lookup(intent_note(found, charge), fields=fields(found, charge))

        return lookup

    def _needs_known(self, known: Known, partial: str = "", instead: str = "") -> Check:
        """A form's check: LIVE mode types the amount, so the intent must be loaded; so must it
        for a partial amount (field `partial`), whose limit and currency it gives."""
        live = self.live_confirmation("", "") is not None

        def check(values: dict[str, Any]) -> dict[str, str]:
            if values["payment_intent_id"] in known:
                return {}
            if live:
                return {
                    "payment_intent_id": "LIVE mode: select this intent in the list first, "
                    "so that you can confirm the amount."
                }
            if partial and values.get(partial) is not None:
                return {partial: f"A partial amount needs the intent selected first; {instead}."}
            return {}

        return check

    def _refund(self, intent: Obj | None, charge: Obj | None) -> IntentForm:
        gateway = self.gateway
        known: Known = {} if intent is None else {intent["id"]: (intent, charge)}

        def says(values: dict[str, Any]) -> str:
            if "amount" not in values or values.get("payment_intent_id") not in known:
                return ""  # no amount that can be said yet
            found, found_charge = known[values["payment_intent_id"]]
            amount = values["amount"]
            if amount is None and found_charge and found_charge.get("status") == "succeeded":
                amount = refundable(found_charge)  # empty: all that is left
            return f"Refund {money(amount, found.get('currency'))}" if amount else ""

        def submit(values: dict[str, Any], key: str) -> Obj:
            return gateway.create_refund(
                payment_intent_id=values["payment_intent_id"],
                amount=values.get("amount"),
                reason=values.get("reason") or None,
                idempotency_key=key,
            )

        def confirm(values: dict[str, Any]) -> tuple[str, str] | None:
            intent_id = values["payment_intent_id"]
            amount = values.get("amount")
            if intent_id not in known:
                # The form's check refuses this in LIVE mode: there is no amount to type.
                return self.live_confirmation(intent_id, f"refund {intent_id}")
            found, found_charge = known[intent_id]
            if amount is None:
                left = refundable(found_charge) if found_charge is not None else None
                amount = left if left is not None else found.get("amount")
            shown = money(amount, found.get("currency"))
            return self.live_confirmation(shown, f"refund {shown} of {intent_id}")

        def refunded(refund: Obj | None) -> None:
            if refund is None:
                return
            amount = money(refund.get("amount"), refund.get("currency"))
            self.notify(
                f"Refunded {amount} of {refund.get('payment_intent')} ({refund['id']}).",
                title="Refund created",
            )
            if refund.get("payment_intent"):
                self._refresh_intent(str(refund["payment_intent"]))

        lookup = self._intent_lookup(known, lambda i, c: (refund_amount_field(i, c),))
        check = self._needs_known(known, "amount", "leave it empty to refund all")
        return IntentForm(
            refund_form(intent, charge, lookup, check, says), submit, confirm, refunded
        )

    def _capture(self, intent: Obj | None, _charge: Obj | None) -> IntentForm:
        gateway = self.gateway
        known: Known = {} if intent is None else {intent["id"]: (intent, None)}

        def says(values: dict[str, Any]) -> str:
            found = known.get(values.get("payment_intent_id") or "", (None, None))[0]
            if found is None or "amount_to_capture" not in values:
                return ""
            amount = values["amount_to_capture"]
            if amount is None:
                amount = found.get("amount_capturable")
            return f"Capture {money(amount, found.get('currency'))}" if amount else ""

        def submit(values: dict[str, Any], key: str) -> Obj:
            return gateway.capture_payment_intent(
                values["payment_intent_id"],
                amount_to_capture=values.get("amount_to_capture"),
                idempotency_key=key,
            )

        def confirm(values: dict[str, Any]) -> tuple[str, str] | None:
            intent_id = values["payment_intent_id"]
            found = known.get(intent_id, ({}, None))[0]
            amount = values.get("amount_to_capture")
            if amount is None:
                amount = found.get("amount_capturable")
            shown = money(amount, found.get("currency"))
            return self.live_confirmation(shown, f"capture {shown} of {intent_id}")

        def captured(done: Obj | None) -> None:
            if done is None:
                return
            amount = money(done.get("amount_received"), done.get("currency"))
            self.notify(f"Captured {amount} of {done['id']}.", title="Payment captured")
            self._refresh_intent(done["id"])

        lookup = self._intent_lookup(known, lambda i, _c: (capture_amount_field(i),))
        check = self._needs_known(known, "amount_to_capture", "leave it empty for all")
        return IntentForm(capture_form(intent, lookup, check, says), submit, confirm, captured)

    def _cancel(self, intent: Obj | None, _charge: Obj | None) -> IntentForm:
        gateway = self.gateway
        known: Known = {} if intent is None else {intent["id"]: (intent, None)}

        def says(values: dict[str, Any]) -> str:
            found = known.get(values.get("payment_intent_id") or "", (None, None))[0]
            if found is None:
                return ""
            amount = money(found.get("amount"), found.get("currency"))
            if found.get("status") == "requires_capture":
                return f"Release the {amount} hold"
            return f"Cancel the {amount} intent"

        def submit(values: dict[str, Any], key: str) -> Obj:
            return gateway.cancel_payment_intent(
                values["payment_intent_id"],
                cancellation_reason=values.get("cancellation_reason") or None,
                idempotency_key=key,
            )

        def confirm(values: dict[str, Any]) -> tuple[str, str] | None:
            intent_id = values["payment_intent_id"]
            found = known.get(intent_id, ({}, None))[0]
            shown = money(found.get("amount"), found.get("currency"))
            return self.live_confirmation(shown, f"cancel {intent_id} ({shown})")

        def canceled(done: Obj | None) -> None:
            if done is None:
                return
            amount = money(done.get("amount"), done.get("currency"))
            self.notify(f"Canceled {done['id']} ({amount}).", title="Payment intent canceled")
            self._refresh_intent(done["id"])

        lookup = self._intent_lookup(known, lambda _i, _c: ())
        spec = cancel_form(lookup, self._needs_known(known), says)
        return IntentForm(spec, submit, confirm, canceled)

    # Attach ----------------------------------------------------------------------------------

    def attach_payment_method(self) -> None:
        """Open "Attach a payment method", for the selected intent's customer if it has one."""
        if self.refuse_writes():
            return
        gateway = self.gateway
        selected = self._selected_intent()
        customer = (selected or {}).get("customer") or self.customer_filter
        prefill = {"customer_id": str(customer)} if customer else {}

        def submit(values: dict[str, Any], key: str) -> Obj:
            method = values.get("other_payment_method") or values["payment_method"]
            return gateway.attach_payment_method(
                method, customer_id=values["customer_id"], idempotency_key=key
            )

        def attached(method: Obj | None) -> None:
            if method is None:
                return
            self.notify(
                f"{payment_method_label(method)} is now saved for {method.get('customer')}.",
                title="Payment method attached",
            )

        self.app.push_screen(FormScreen(attach_form(gateway), submit, values=prefill), attached)
