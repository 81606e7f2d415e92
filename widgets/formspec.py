"""What a form is made of: `Field`s in a `FormSpec` (the modal that shows one is widgets.form).

Screens describe their actions with these at import time; the form itself (and the widgets it
needs) is imported when a form is first opened, not before the first paint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

FieldKind = Literal["text", "email", "amount", "currency", "choice", "integer", "id", "metadata"]


@dataclass(frozen=True)
class Lookup:
    """What an id typed in a field names, as the server has it now: a note shown under the
    field, and fields of the form that depend on it (e.g. a refund's limit) to replace."""

    note: str
    error: bool = False
    fields: tuple[Field, ...] = ()


@dataclass(frozen=True)
class Field:
    """One input of a form; `name` is the key of its value."""

    name: str
    label: str
    kind: FieldKind = "text"
    required: bool = False
    placeholder: str = ""
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    default: str = ""
    prefix: str = ""
    currency_field: str = "currency"
    currency: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    params: tuple[str, ...] = ()
    suggest: Callable[[str], list[tuple[str, str]]] | None = None
    lookup: Callable[[str], Lookup] | None = None
    """Run (in a thread) when the value changes and after a failed submission."""
    replaces: str = ""
    """The field this one stands in for when filled (a typed id instead of a listed choice):
    Stripe's errors about that field's parameter then belong to this one."""


@dataclass(frozen=True)
class FormSpec:
    """A whole form: its title (the action's palette title), fields and cross-field check."""

    title: str
    fields: tuple[Field, ...]
    submit_label: str = "Submit"
    check: Callable[[dict[str, Any]], dict[str, str]] | None = None
    says: Callable[[dict[str, Any]], str] | None = None
    """For a form that moves money: the submit button's label for the values typed so far (the
    valid ones), what will happen ("Charge 5.00 USD"). Enter on its last field then focuses the
    button instead of submitting."""
    writes: bool = True
    """False for a form that only reads: its failures never leave an outcome to resolve."""
