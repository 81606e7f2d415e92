"""A declarative form in a modal: a list of `Field`s makes the inputs, validation and values.

Screens describe an action with a `FormSpec` and push `FormScreen(spec, submit)`. The form
validates as the operator types, sends nothing while anything is invalid, runs `submit(values,
idempotency_key)` in a thread worker and dismisses with its result. A `GatewayError` keeps the
form open with every value and marks the field Stripe named.

An unknown outcome is resolved before anything else is sent: when a write fails in a way that may
have been committed (5xx, 409, no answer), the form replays the original request with its
original idempotency key and parameters, and says "It was done: <id>" (then dismisses with the
object) or "It was not done" (then the next submission gets a new key). While the answer is still
unknown, every submit checks again instead of sending, and the submission outlives the modal:
reopening the same action's form restores what was typed and checks first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar
from weakref import WeakKeyDictionary

from textual import on, work
from textual.actions import SkipAction
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.timer import Timer
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import (
    Button,
    Footer,
    Input,
    Label,
    LoadingIndicator,
    OptionList,
    Select,
    Static,
)
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from tui import money
from tui.gateway import ErrorKind, GatewayError, new_idempotency_key
from widgets.dialogs import TypedConfirm
from widgets.formspec import Field as Field  # (re-exported: screens import them from here)
from widgets.formspec import FormSpec as FormSpec
from widgets.formspec import Lookup as Lookup
from widgets.literal import literal
from widgets.metadata import MetadataEditor, parse_metadata

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
SUGGEST_DELAY = 0.25
LOOKUP_DELAY = 0.4
FIX_FIELDS = "Fix the marked fields."


@dataclass
class Unresolved:
    """A write whose outcome is unknown: what was sent, with which key, and what was typed."""

    values: dict[str, Any]
    typed: dict[str, str]
    key: str
    error: GatewayError | None = None


_UNRESOLVED: WeakKeyDictionary[App[Any], dict[str, Unresolved]] = WeakKeyDictionary()


def unresolved_submissions(app: App[Any]) -> dict[str, Unresolved]:
    """The app's unresolved writes by form title: they outlive the form that sent them."""
    return _UNRESOLVED.setdefault(app, {})


def result_id(result: Any) -> str:
    """The id of what a submission returned (a Stripe object, or anything with an `id`)."""
    if isinstance(result, Mapping):
        return str(result.get("id") or "")
    return str(getattr(result, "id", "") or "")


class Invalid(ValueError):
    """A field value that cannot be used; str() is the message shown under the field."""


class _FieldValidator(Validator):
    """Runs the form's own parsing of one field, so Input marks itself `-invalid`."""

    def __init__(self, form: FormScreen, field: Field) -> None:
        super().__init__()
        self.form = form
        self.field = field

    def validate(self, value: str) -> ValidationResult:
        try:
            self.form.parse_field(self.field, value)
        except Invalid as exc:
            return self.failure(str(exc), value)
        return self.success()


class _FieldInput(Input):
    """An Input that can move down into its suggestion list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "suggest_down", "Suggestions", show=False, id="form.suggestions"),
    ]

    def __init__(self, field: Field, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.field = field

    def pick(self, value: str) -> None:
        """Take a picked suggestion, with the cursor after it: selected, the next key would
        replace it."""
        self.value = value
        self.cursor_position = len(value)
        if not self.has_focus:
            self.select_on_focus = False  # for this focus only: see on_focus
            self.focus()

    def on_focus(self) -> None:
        # Runs before Input's own focus handler, which reads select_on_focus.
        self.call_later(setattr, self, "select_on_focus", True)

    def action_suggest_down(self) -> None:
        screen = self.screen
        if not isinstance(screen, FormScreen) or not screen.enter_suggestions(self.field):
            raise SkipAction()


class FormScreen(ModalScreen[Any]):
    """A modal form made from a `FormSpec`; dismisses with what `submit` returned, or None."""

    DEFAULT_CSS = """
    FormScreen {
        align: center middle;
    }
    FormScreen > #form-dialog {
        width: 72;
        max-width: 90%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    FormScreen #form-error {
        display: none;
        height: auto;
        color: $text-error;
        background: $error-muted;
        padding: 0 1;
        margin-bottom: 1;
    }
    FormScreen #form-error.-shown {
        display: block;
    }
    FormScreen #form-body {
        height: auto;
        scrollbar-size-vertical: 1;
    }
    FormScreen .form-field {
        height: auto;
        margin-bottom: 1;
    }
    FormScreen .field-row {
        height: auto;
    }
    FormScreen .field-label {
        width: 18;
        color: $text;
        text-style: bold;
    }
    FormScreen .field-row Input, FormScreen .field-row Select {
        width: 1fr;
    }
    FormScreen .field-row Input {
        background: $boost;
    }
    FormScreen .field-row Input:focus {
        background-tint: $primary 20%;
    }
    FormScreen .field-row Input.-invalid {
        background-tint: $error 25%;
    }
    FormScreen .field-help, FormScreen .field-message, FormScreen .field-suggestions {
        margin-left: 18;
    }
    FormScreen .field-help {
        color: $text-muted;
    }
    FormScreen .field-message {
        display: none;
        color: $text-muted;
    }
    FormScreen .field-message.-shown {
        display: block;
    }
    FormScreen .field-message.-error {
        color: $text-error;
    }
    FormScreen .form-field.-error Select > SelectCurrent {
        background-tint: $error 20%;
    }
    FormScreen .field-suggestions {
        display: none;
        height: auto;
        max-height: 6;
    }
    FormScreen .field-suggestions.-shown {
        display: block;
    }
    FormScreen #form-buttons {
        height: auto;
        margin-bottom: 1;
    }
    FormScreen #form-buttons Button {
        margin-left: 2;
        min-width: 10;
    }
    FormScreen #form-status {
        width: 1fr;
        height: auto;
        color: $text-muted;
    }
    FormScreen #form-busy {
        display: none;
        width: 4;
        height: 1;
    }
    FormScreen.-busy #form-busy {
        display: block;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Submit", id="form.submit"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        # Inside the metadata rows the editor's own ctrl+n answers; from any other field, this.
        Binding("ctrl+n", "add_metadata_key", "Add key", show=False, id="form.metadata_add"),
    ]

    # What the lookup and suggestion workers answer (a submission's outcome is its worker's
    # state: an error there is what the form explains).

    @dataclass
    class LookedUp(Message):
        """What an id field names (`raw`: the field's text when it was asked)."""

        field: Field
        raw: str
        found: Lookup

    @dataclass
    class Suggested(Message):
        """The matches (id, label) for the text typed in a field."""

        field: Field
        text: str
        matches: list[tuple[str, str]]

    def __init__(
        self,
        spec: FormSpec,
        submit: Callable[[dict[str, Any], str], Any],
        *,
        values: Mapping[str, str] | None = None,
        confirm: Callable[[dict[str, Any]], tuple[str, str] | None] | None = None,
    ) -> None:
        super().__init__()
        self.spec = spec
        self.submit_fn = submit
        self.confirm_fn = confirm
        self.initial: dict[str, str] = {f.name: self._initial_value(f, values) for f in spec.fields}
        self.busy = False
        """True while the submission is in flight."""
        self.idempotency_key: str | None = None
        self._key_values: dict[str, Any] | None = None
        self.unresolved: Unresolved | None = None
        """The last write, while its outcome is unknown; nothing else is sent until resolved."""
        self._sent: Unresolved | None = None
        self._checking = False
        self._refocus: Widget | None = None
        self._touched: set[str] = set()
        self._errors: dict[str, str] = {}
        self._suggest_timers: dict[str, Timer] = {}
        self._suggest_skip: dict[str, str] = {}
        self._lookup_timers: dict[str, Timer] = {}
        self._discard_asked = False

    # ----------------------------------------------------------------------------- layout

    @staticmethod
    def _initial_value(field: Field, values: Mapping[str, str] | None) -> str:
        if values is not None and field.name in values and values[field.name] is not None:
            return str(values[field.name])
        if field.default:
            return field.default
        if field.kind == "currency":
            return "usd"
        if field.kind == "choice" and field.required and field.choices:
            return field.choices[0][0]
        return ""

    def compose(self) -> ComposeResult:
        self._restore_unresolved()
        with Vertical(id="form-dialog") as dialog:
            dialog.border_title = self.spec.title
            yield Static("", id="form-error", markup=False)
            with VerticalScroll(id="form-body"):
                for field in self.spec.fields:
                    with Vertical(id=f"field-{field.name}", classes="form-field"):
                        mark = " *" if field.required else ""
                        with Horizontal(classes="field-row"):
                            yield Label(f"{field.label}{mark}", classes="field-label")
                            yield self._make_control(field)
                        if field.suggest is not None:
                            yield OptionList(
                                id=f"suggest-{field.name}", classes="field-suggestions"
                            )
                        yield Static(
                            "", id=f"message-{field.name}", classes="field-message", markup=False
                        )
                        help_text = Static(
                            literal(field.help, multiline=True),
                            id=f"help-{field.name}",
                            classes="field-help",
                        )
                        help_text.display = bool(field.help)
                        yield help_text
            with Horizontal(id="form-buttons"):
                yield Static("", id="form-status", markup=False)
                yield LoadingIndicator(id="form-busy")
                yield Button(
                    self.spec.submit_label, variant="primary", id="form-submit", compact=True
                )
                yield Button("Cancel", id="form-cancel", compact=True)
        yield Footer()

    def _make_control(self, field: Field) -> Widget:
        value = self.initial[field.name]
        control_id = f"input-{field.name}"
        if field.kind == "metadata":
            return MetadataEditor(value, id=control_id)
        if field.kind == "choice":
            options = [(label, choice) for choice, label in field.choices]
            if not field.required:
                options.insert(0, ("(none)", ""))
            known = {choice for _, choice in options}
            start = value if value in known else options[0][1] if options else ""
            return Select(options, allow_blank=False, value=start, id=control_id, compact=True)
        suggester = None
        if field.kind == "currency":
            offered = [code for code, _ in field.choices] + list(money.COMMON_CURRENCIES)
            suggester = SuggestFromList(dict.fromkeys(offered), case_sensitive=False)
        return _FieldInput(
            field,
            value=value,
            placeholder=field.placeholder,
            suggester=suggester,
            validators=[_FieldValidator(self, field)],
            validate_on=[],
            type="integer" if field.kind == "integer" else "text",
            id=control_id,
            compact=True,
        )

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Cap the scrolling body so the error area and the buttons always stay in view."""
        try:
            error = self.query_one("#form-error")
            buttons = self.query_one("#form-buttons")
            body = self.query_one("#form-body")
        except NoMatches:
            return  # dismissed (or being removed) since this was scheduled
        used = 1 + 2 + max(2, buttons.outer_size.height)  # footer, dialog border, buttons
        if error.display:
            used += error.outer_size.height
        body.styles.max_height = max(3, self.size.height - used)

    def on_mount(self) -> None:
        self._fit()
        self._relabel()
        for field in self.spec.fields:
            if field.kind == "amount" and self.initial[field.name]:
                self._validate(field)
        # Start after the prefilled ids, so that typing does not replace the selection's id.
        open_fields = [f for f in self.spec.fields if not (f.kind == "id" and self.initial[f.name])]
        candidates = open_fields or list(self.spec.fields)
        if candidates:
            self.control(candidates[0]).focus()
        self._resume_unresolved()

    # ----------------------------------------------------------------------------- lookups

    def control(self, field: Field | str) -> Widget:
        """The Input or Select of a field."""
        name = field if isinstance(field, str) else field.name
        return self.query_one(f"#input-{name}")

    def field_named(self, name: str) -> Field | None:
        return next((f for f in self.spec.fields if f.name == name), None)

    def raw_value(self, field: Field) -> str:
        """What the operator has typed or chosen, unparsed."""
        widget = self.control(field)
        if isinstance(widget, Select):
            value = widget.value
            return value if isinstance(value, str) else ""
        if isinstance(widget, MetadataEditor):
            return widget.value
        assert isinstance(widget, Input)
        return widget.value

    def field_for_param(self, param: str | None) -> Field | None:
        """The field Stripe means by an error's `param` ("recurring[interval]" -> "interval"):
        the one whose value was sent for it."""
        field = self._field_for_param(param)
        if field is None:
            return None
        standing_in = (f for f in self.spec.fields if f.replaces == field.name)
        return next((f for f in standing_in if self.raw_value(f).strip()), field)

    def _field_for_param(self, param: str | None) -> Field | None:
        if not param:
            return None
        for field in self.spec.fields:
            if param == field.name or param in field.params:
                return field
        base = param.split("[", 1)[0]
        leaf = param.rstrip("]").rsplit("[", 1)[-1]
        for candidate in (base, leaf):
            for field in self.spec.fields:
                if candidate == field.name or candidate in field.params:
                    return field
        return None

    # ----------------------------------------------------------------------------- parsing

    def _currency_for(self, field: Field) -> str:
        if field.currency:
            return field.currency
        other = self.field_named(field.currency_field)
        if other is None:
            return "usd"
        return self.raw_value(other)

    def parse_field(self, field: Field, raw: str) -> Any:
        """The parsed value of one field, or raise `Invalid` with the operator's message."""
        if field.kind == "metadata":
            try:
                return parse_metadata(raw)
            except ValueError as exc:
                raise Invalid(str(exc)) from None
        text = raw.strip()
        if not text:
            if field.required:
                raise Invalid("Required.")
            if field.kind in ("integer", "amount"):
                return None
            return ""
        kind = field.kind
        if kind == "email":
            if not EMAIL_RE.match(text):
                raise Invalid("Type an email address like name@example.com.")
            return text
        if kind == "id":
            if field.prefix and not text.startswith(field.prefix):
                raise Invalid(f"Must start with {field.prefix}")
            if any(ch.isspace() for ch in text):
                raise Invalid("An id has no spaces.")
            return text
        if kind == "integer":
            try:
                number = int(text.replace("_", "").replace(",", ""))
            except ValueError:
                raise Invalid("Type a whole number.") from None
            low, high = field.minimum, field.maximum
            if (low is not None and number < low) or (high is not None and number > high):
                if low is not None and high is not None:
                    raise Invalid(f"Type a whole number from {low} to {high}.")
                if low is not None:
                    raise Invalid(f"At least {low}.")
                raise Invalid(f"At most {high}.")
            return number
        if kind == "amount":
            currency = self._currency_for(field)
            try:
                code = money.normalize_currency(currency)
            except money.MoneyError:
                raise Invalid("Choose a valid currency first.") from None
            try:
                # A field with minimum 0 takes a free amount (a price of 0.00 is valid).
                amount = money.parse_amount(text, code, allow_zero=field.minimum == 0)
            except money.MoneyError as exc:
                raise Invalid(str(exc)) from None
            if field.maximum is not None and amount > field.maximum:
                raise Invalid(f"At most {money.format_amount(field.maximum, code)}.")
            if field.minimum is not None and amount < field.minimum:
                raise Invalid(f"At least {money.format_amount(field.minimum, code)}.")
            return amount
        if kind == "currency":
            try:
                return money.normalize_currency(text)
            except money.MoneyError as exc:
                raise Invalid(str(exc)) from None
        return text

    # ----------------------------------------------------------------------------- marking

    def _show_message(self, field: Field, text: str, *, error: bool) -> None:
        message = self.query_one(f"#message-{field.name}", Static)
        message.update(literal(text, multiline=True))
        message.set_class(bool(text), "-shown")
        message.set_class(error, "-error")
        invalid = error and bool(text)
        self.query_one(f"#field-{field.name}").set_class(invalid, "-error")
        control = self.control(field)
        if isinstance(control, Input):
            control.set_class(invalid, "-invalid")
            control.set_class(not invalid, "-valid")

    def mark(self, field: Field, message: str) -> None:
        """Show an error under a field (e.g. from Stripe or the cross-field check)."""
        self._errors[field.name] = message
        self._show_message(field, message, error=True)

    def is_search(self, field: Field, raw: str) -> bool:
        """Whether an id field holds text to search for (a name) rather than an id."""
        text = raw.strip()
        return (
            field.kind == "id"
            and field.suggest is not None
            and bool(text)
            and not text.startswith(field.prefix)
        )

    def _validate(self, field: Field, *, submitting: bool = False) -> tuple[bool, Any]:
        """Validate one field, update its message; returns (valid, parsed value). While typed,
        a name in an id field is a search, not an error: only a submission refuses it."""
        control = self.control(field)
        raw = self.raw_value(field)
        if not submitting and self.is_search(field, raw):
            self._errors.pop(field.name, None)
            hint = f"A name: down picks a match, or type a {field.prefix}… id."
            self._show_message(field, hint, error=False)
            return False, None
        if isinstance(control, Input):
            control.validate(raw)
        try:
            value = self.parse_field(field, raw)
        except Invalid as exc:
            self.mark(field, str(exc))
            return False, None
        self._errors.pop(field.name, None)
        if not self._errors and self.query_one("#form-status", Static).content == FIX_FIELDS:
            self.set_status("")  # every marked field is fixed now
        if field.kind == "amount" and value is not None:
            hint = money.describe_smallest_unit(
                value, money.normalize_currency(self._currency_for(field))
            )
            self._show_message(field, hint, error=False)
        else:
            self._show_message(field, "", error=False)
        return True, value

    def _dependent_amounts(self, field: Field) -> list[Field]:
        return [
            f
            for f in self.spec.fields
            if f.kind == "amount" and f.currency is None and f.currency_field == field.name
        ]

    def _field_changed(self, field: Field, value: str) -> None:
        if field.name not in self._touched and value == self.initial[field.name]:
            return
        self._discard_asked = False
        self._touched.add(field.name)
        self._validate(field)
        for amount in self._dependent_amounts(field):
            if amount.name in self._touched or self.raw_value(amount).strip():
                self._validate(amount)
        self._relabel()

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if not isinstance(event.input, _FieldInput):
            return
        event.stop()
        field = event.input.field
        self._field_changed(field, event.value)
        # A prefilled id the operator has not touched needs no suggestions.
        if field.suggest is not None and field.name in self._touched:
            self._schedule_suggest(field, event.value)
        if field.lookup is not None and field.name in self._touched:
            self._schedule_lookup(field)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        name = (event.select.id or "").removeprefix("input-")
        field = self.field_named(name)
        if field is not None:
            value = event.value if isinstance(event.value, str) else ""
            self._field_changed(field, value)

    @on(MetadataEditor.Changed)
    def _metadata_changed(self, event: MetadataEditor.Changed) -> None:
        event.stop()
        field = self.field_named((event.editor.id or "").removeprefix("input-"))
        if field is not None:
            self._field_changed(field, event.editor.value)

    @on(Input.Submitted)
    def _input_submitted(self, event: Input.Submitted) -> None:
        if not isinstance(event.input, _FieldInput):
            return
        event.stop()
        if event.input.field is not self.spec.fields[-1]:
            self.focus_next()
        elif self.spec.says is not None:  # money moves: the button says how much, then enter
            self.query_one("#form-submit", Button).focus()
        else:
            self.action_submit()

    # ----------------------------------------------------------------------------- submit

    def collect(self) -> tuple[dict[str, Any], list[Field]]:
        """Validate every field: (parsed values, fields in error, in form order)."""
        values: dict[str, Any] = {}
        invalid: list[Field] = []
        for field in self.spec.fields:
            self._touched.add(field.name)
            ok, value = self._validate(field, submitting=True)
            if ok:
                values[field.name] = value
            else:
                invalid.append(field)
        if not invalid and self.spec.check is not None:
            problems = self.spec.check(values)
            for field in self.spec.fields:
                if field.name in problems:
                    self.mark(field, problems[field.name])
                    invalid.append(field)
            unknown = [msg for name, msg in problems.items() if self.field_named(name) is None]
            if unknown:
                self.show_error("\n".join(unknown))
                if not invalid and self.spec.fields:
                    invalid.append(self.spec.fields[0])
        return values, invalid

    def _first_to_fix(self, invalid: list[Field]) -> Field:
        """The first wrong field that is wrong by itself: a typed amount waits for its currency,
        which it cannot be read without."""
        wrong = {field.name for field in invalid}
        for field in invalid:
            in_wrong_currency = (
                field.kind == "amount" and field.currency is None and field.currency_field in wrong
            )
            if not (in_wrong_currency and self.raw_value(field).strip()):
                return field
        return invalid[0]

    def focus_field(self, field: Field) -> None:
        """Focus a field's control and bring it into view."""
        self.control(field).focus()
        self.query_one(f"#field-{field.name}").scroll_visible()

    def show_error(self, text: str) -> None:
        """Show (or with "" hide) the error area at the top of the form."""
        area = self.query_one("#form-error", Static)
        area.update(literal(text, multiline=True))
        area.set_class(bool(text), "-shown")
        self.call_after_refresh(self._fit)

    def set_status(self, text: str) -> None:
        self.query_one("#form-status", Static).update(text)
        self.call_after_refresh(self._fit)

    async def action_add_metadata_key(self) -> None:
        """ctrl+n from any field of a form with metadata adds a key row, as its hint says."""
        editors = self.query(MetadataEditor)
        if editors:
            await editors.first().add_row()

    def action_submit(self) -> None:
        if self.busy:
            self.notify("Still sending…", severity="warning")
            return
        if self.unresolved is not None:
            # Whatever was changed, the earlier request is resolved first.
            self._check()
            return
        self.show_error("")
        self.set_status("")
        values, invalid = self.collect()
        if invalid:
            self.set_status(FIX_FIELDS)
            self.focus_field(self._first_to_fix(invalid))
            return
        if self._key_values != values or self.idempotency_key is None:
            self.idempotency_key = new_idempotency_key()
            self._key_values = dict(values)
        sent = Unresolved(dict(values), self._typed(), self.idempotency_key)
        if self.confirm_fn is not None:
            ask = self.confirm_fn(values)
            if ask is not None:
                prompt, expected = ask

                def confirmed(ok: bool | None) -> None:
                    if ok:
                        self._send(sent)
                    else:
                        self.set_status("Not sent.")

                self.app.push_screen(TypedConfirm(prompt, expected), confirmed)
                return
        self._send(sent)

    def _typed(self) -> dict[str, str]:
        return {field.name: self.raw_value(field) for field in self.spec.fields}

    def submit_label(self) -> str:
        """What the submit button says: what will happen, for a form that moves money."""
        if self.spec.says is None:
            return self.spec.submit_label
        values: dict[str, Any] = {}
        for field in self.spec.fields:
            try:
                values[field.name] = self.parse_field(field, self.raw_value(field))
            except Invalid:
                continue
        return self.spec.says(values) or self.spec.submit_label

    def _relabel(self) -> None:
        if self.spec.says is not None and not self.busy:
            self._label_button(self.submit_label())

    def _label_button(self, label: str) -> None:
        button = self.query_one("#form-submit", Button)
        button.label = literal(label)
        button.refresh(layout=True)  # its width follows the label

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.set_class(busy, "-busy")
        label = "Checking…" if self._checking else "Sending…"
        self.query_one("#form-submit", Button).disabled = busy
        self._label_button(label if busy else self.submit_label())
        self.set_status(label if busy else "")
        if busy:
            self._refocus = self.focused
        # Disabled while sending: nothing typed now can be lost or mistaken for what was sent.
        for field in self.spec.fields:
            self.control(field).disabled = busy
        if not busy and self._refocus is not None and self._refocus.is_attached:
            self._refocus.focus()
            self._refocus = None

    def _send(self, sent: Unresolved) -> None:
        self._sent = sent
        self._set_busy(True)
        self._run_submit(sent.values, sent.key)

    def _check(self) -> None:
        """Replay the unresolved request: same key, same parameters, to learn what happened."""
        unresolved = self.unresolved
        assert unresolved is not None
        unresolved.typed = self._typed()
        self._checking = True
        self._send(unresolved)

    @work(thread=True, exclusive=True, group="form-submit", exit_on_error=False)
    def _run_submit(self, values: dict[str, Any], key: str) -> Any:
        return self.submit_fn(values, key)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "form-submit":
            return
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        checking, self._checking = self._checking, False
        sent, self._sent = self._sent, None
        self._set_busy(False)
        if event.state == WorkerState.SUCCESS:
            if checking:
                self._forget_unresolved()
                self.notify(f"It was done: {result_id(worker.result)}", title=self.spec.title)
            self.dismiss(worker.result)
        elif event.state == WorkerState.ERROR:
            error = worker.error
            self.refresh_lookups()  # whatever happened, show what the server has now
            if isinstance(error, GatewayError) and error.outcome_unknown and self.spec.writes:
                assert sent is not None
                self._unknown(sent, error, checked=checking)
            elif checking:
                self._not_done(error)
            else:
                self._failed(error)

    # ----------------------------------------------------------------------------- outcomes

    def _restore_unresolved(self) -> None:
        """Opened while this action has an unresolved submission: show what was typed."""
        saved = unresolved_submissions(self.app).get(self.spec.title)
        if saved is not None:
            self.unresolved = saved
            self.initial.update(saved.typed)

    def _resume_unresolved(self) -> None:
        if self.unresolved is not None:
            error = self.unresolved.error
            detail = error.detail if error is not None else ""
            self.show_error(f"The outcome of the last submission is unknown: {detail}")
            self._check()

    def _forget_unresolved(self) -> None:
        self.unresolved = None
        unresolved_submissions(self.app).pop(self.spec.title, None)

    def _unknown(self, sent: Unresolved, error: GatewayError, *, checked: bool) -> None:
        """A failure that may have been committed: remember it, and find out (once at once)."""
        sent.error = error
        self.unresolved = sent
        unresolved_submissions(self.app)[self.spec.title] = sent
        if not checked:
            self.show_error(
                f"The outcome is unknown: {error.detail}\n"
                "Stripe may have done it. Checking (the same request, the same idempotency key)…"
            )
            self._check()
            return
        self.show_error(
            f"Still unknown whether it was done: {error.detail}\n"
            "Nothing else will be sent until Stripe answers. ctrl+s checks again."
        )
        self.set_status("Unresolved: ctrl+s checks again.")
        self.notify(
            "Still unknown whether it was done. ctrl+s checks again.",
            title=self.spec.title,
            severity="warning",
        )

    def _not_done(self, error: BaseException | None) -> None:
        """The replay was refused for good: the request was not done; the next one is new."""
        self._forget_unresolved()
        self.idempotency_key = None
        self._key_values = None
        message = error.message if isinstance(error, GatewayError) else str(error)
        self._failed(error)
        self.show_error(f"It was not done: {message}")
        self.set_status("Not done: submit to send it as a new request.")
        self.notify(f"It was not done: {message}", title=self.spec.title, severity="warning")

    def _failed(self, error: BaseException | None) -> None:
        if isinstance(error, GatewayError):
            self.show_error(error.detail)
            if error.kind is ErrorKind.RATE_LIMITED:
                self.set_status("Rate limited: not done. Resubmit in a moment.")
            elif error.outcome_unknown:
                self.set_status("Resubmit to retry: nothing will be done twice.")
            else:
                self.set_status("Refused: fix and resubmit.")
            field = self.field_for_param(error.param)
            if field is not None:
                self.mark(field, error.message)
                self.focus_field(field)
            return
        self.log.error("form submit failed", repr(error))
        self.show_error(str(error) or error.__class__.__name__ if error else "Failed.")
        self.set_status("Failed.")

    # ----------------------------------------------------------------------------- lookups

    def replace_field(self, new: Field) -> None:
        """Swap a field's description (limits, help) for a new one with the same name."""
        self.spec = replace(
            self.spec, fields=tuple(new if f.name == new.name else f for f in self.spec.fields)
        )
        control = self.control(new.name)
        if isinstance(control, _FieldInput):
            control.field = new
            for validator in control.validators:
                if isinstance(validator, _FieldValidator):
                    validator.field = new
        help_text = self.query_one(f"#help-{new.name}", Static)
        help_text.update(literal(new.help, multiline=True))
        help_text.display = bool(new.help)
        if new.name in self._touched or self.raw_value(new).strip():
            self._validate(new)

    def _schedule_lookup(self, field: Field) -> None:
        timer = self._lookup_timers.pop(field.name, None)
        if timer is not None:
            timer.stop()
        self._lookup_timers[field.name] = self.set_timer(
            LOOKUP_DELAY, lambda: self.refresh_lookups(field.name)
        )

    def refresh_lookups(self, only: str | None = None) -> None:
        """Look up again what the id fields name (all, or one), so hints are the server's."""
        for field in self.spec.fields:
            if field.lookup is None or (only is not None and field.name != only):
                continue
            raw = self.raw_value(field)
            try:
                value = self.parse_field(field, raw)
            except Invalid:
                continue
            if value:
                self._run_lookup(field, raw, str(value))

    @work(thread=True, group="form-lookup", exit_on_error=False)
    def _run_lookup(self, field: Field, raw: str, value: str) -> None:
        assert field.lookup is not None
        found = field.lookup(value)
        if not get_current_worker().is_cancelled:
            self.post_message(self.LookedUp(field, raw, found))

    def on_form_screen_looked_up(self, message: LookedUp) -> None:
        field, raw, found = message.field, message.raw, message.found
        if self.raw_value(field) != raw:
            return  # typed on since: a newer lookup is on its way
        for other in found.fields:
            self.replace_field(other)
        self._relabel()
        if field.name not in self._errors:  # Stripe's word on the field stays until it changes
            self._show_message(field, found.note, error=found.error)

    def action_cancel(self) -> None:
        for field in self.spec.fields:
            if field.suggest is not None and self._suggestions(field).has_class("-shown"):
                self._hide_suggestions(field)
                self.control(field).focus()
                return
        if self.busy:
            self.notify(
                "Still sending: the request may still land. Wait for the answer.",
                severity="warning",
            )
            return
        if self.unresolved is None and not self.may_discard("escape"):
            return
        if self.unresolved is not None:
            # Kept for the next opening of this action's form, which checks before sending.
            self.unresolved.typed = self._typed()
            self.notify(
                "Unresolved: Stripe may have done it. Open this form again to check; nothing "
                "else will be sent before.",
                title=self.spec.title,
                severity="warning",
                timeout=10,
            )
        self.dismiss(None)

    @property
    def changed(self) -> bool:
        """Whether anything differs from what the form opened with."""
        return self._typed() != {f.name: self.initial[f.name] for f in self.spec.fields}

    def may_discard(self, key: str) -> bool:
        """Whether leaving loses nothing typed, or was asked about once already (`key` is what
        the operator pressed, and presses again to discard)."""
        if self._discard_asked or not self.changed:
            return True
        self._discard_asked = True
        self.set_status(f"Discard what you typed? {key} again to discard.")
        return False

    @on(Button.Pressed, "#form-submit")
    def _submit_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    # ----------------------------------------------------------------------------- suggestions

    def _suggestions(self, field: Field) -> OptionList:
        return self.query_one(f"#suggest-{field.name}", OptionList)

    def _hide_suggestions(self, field: Field) -> None:
        self._suggestions(field).remove_class("-shown")

    def enter_suggestions(self, field: Field) -> bool:
        """Move the focus into a field's visible suggestion list; False if there is none."""
        if field.suggest is None:
            return False
        options = self._suggestions(field)
        if not options.has_class("-shown") or options.option_count == 0:
            return False
        options.focus()
        options.highlighted = 0
        return True

    def _schedule_suggest(self, field: Field, text: str) -> None:
        if self._suggest_skip.pop(field.name, None) == text:
            return
        timer = self._suggest_timers.pop(field.name, None)
        if timer is not None:
            timer.stop()
        if not text.strip():
            self._hide_suggestions(field)
            return
        self._suggest_timers[field.name] = self.set_timer(
            SUGGEST_DELAY, lambda: self._run_suggest(field, text.strip())
        )

    @work(thread=True, exclusive=True, group="form-suggest", exit_on_error=False)
    def _run_suggest(self, field: Field, text: str) -> None:
        assert field.suggest is not None
        matches = field.suggest(text)
        if not get_current_worker().is_cancelled:  # a newer suggestion replaced this one
            self.post_message(self.Suggested(field, text, matches))

    def on_form_screen_suggested(self, message: Suggested) -> None:
        field, text, matches = message.field, message.text, message.matches
        if self.raw_value(field).strip() != text:
            return  # typed on since: a newer suggestion is on its way
        options = self._suggestions(field)
        options.clear_options()
        options.add_options(
            [Option(literal(f"{id_}  {label}"), id=id_) for id_, label in matches[:20]]
        )
        options.set_class(bool(matches), "-shown")
        if not matches and self.is_search(field, text) and field.name not in self._errors:
            hint = f"Nothing matches: type another name, or a {field.prefix}… id."
            self._show_message(field, hint, error=False)

    @on(OptionList.OptionSelected, ".field-suggestions")
    def _suggestion_picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        name = (event.option_list.id or "").removeprefix("suggest-")
        field = self.field_named(name)
        if field is None or event.option.id is None:
            return
        control = self.control(field)
        assert isinstance(control, _FieldInput)
        self._suggest_skip[field.name] = event.option.id
        self._hide_suggestions(field)
        control.pick(event.option.id)
