"""Metadata as key/value rows: an editor a form holds as a field of kind "metadata".

The editor's value is its rows as JSON (`[["key", "value"], ...]`), so that a form compares and
restores it like any typed text; `parse_metadata` checks Stripe's limits and `metadata_changes`
turns the rows into an update's `metadata` parameter: only what changed, `""` for a removed key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input

MAX_KEYS = 50
MAX_KEY_LENGTH = 40
MAX_VALUE_LENGTH = 500


def rows_json(metadata: Mapping[str, Any] | None) -> str:
    """An object's metadata as the editor's value."""
    return json.dumps([[str(k), str(v)] for k, v in (metadata or {}).items()])


def parse_metadata(raw: str) -> dict[str, str]:
    """The rows as a dict, or ValueError naming the first row Stripe would refuse."""
    try:
        rows = json.loads(raw) if raw.strip() else []
    except json.JSONDecodeError:
        raise ValueError("Unreadable metadata.") from None
    result: dict[str, str] = {}
    for number, (key, value) in enumerate(rows, start=1):
        key = key.strip()
        if not key:
            if value.strip():
                raise ValueError(f"Row {number}: a value needs a key.")
            continue  # an empty row is nothing
        if "[" in key or "]" in key:
            raise ValueError(f"Row {number}: a key cannot contain square brackets.")
        if len(key) > MAX_KEY_LENGTH:
            raise ValueError(f"Row {number}: a key is at most {MAX_KEY_LENGTH} characters.")
        if len(value) > MAX_VALUE_LENGTH:
            raise ValueError(f"Row {number}: a value is at most {MAX_VALUE_LENGTH} characters.")
        if key in result:
            raise ValueError(f"Row {number}: the key {key} is given twice.")
        result[key] = value
    if len(result) > MAX_KEYS:
        raise ValueError(f"At most {MAX_KEYS} keys.")
    return result


def metadata_changes(old: Mapping[str, Any] | None, new: Mapping[str, str]) -> dict[str, str]:
    """What to send to turn `old` into `new`: changed and new keys, and `""` for removed ones."""
    old = {str(k): str(v) for k, v in (old or {}).items()}
    changes = {k: v for k, v in new.items() if old.get(k) != v}
    changes.update({k: "" for k in old if k not in new})
    return changes


class MetadataRow(Horizontal):
    """One key, its value, and a button that removes the row."""

    DEFAULT_CSS = """
    MetadataRow { height: 1; }
    MetadataRow > .metadata-key { width: 2fr; margin-right: 1; }
    MetadataRow > .metadata-value { width: 3fr; margin-right: 1; }
    MetadataRow > Button { min-width: 3; width: 3; }
    """

    def __init__(self, key: str = "", value: str = "") -> None:
        super().__init__(classes="metadata-row")
        self._key = key
        self._value = value

    def compose(self) -> ComposeResult:
        yield Input(
            self._key,
            placeholder="key",
            max_length=MAX_KEY_LENGTH,
            classes="metadata-key",
            compact=True,
        )
        yield Input(
            self._value,
            placeholder="value",
            max_length=MAX_VALUE_LENGTH,
            classes="metadata-value",
            compact=True,
        )
        yield Button("✕", classes="metadata-remove", compact=True, tooltip="Remove this key")

    @property
    def pair(self) -> list[str]:
        return [
            self.query_one(".metadata-key", Input).value,
            self.query_one(".metadata-value", Input).value,
        ]


class MetadataEditor(Vertical):
    """Rows of key/value inputs: `+ Add a key` or ctrl+n adds one, `✕` or ctrl+r removes one."""

    DEFAULT_CSS = """
    MetadataEditor { height: auto; width: 1fr; }
    MetadataEditor Input { background: $boost; }
    MetadataEditor Input:focus { background-tint: $primary 20%; }
    MetadataEditor > #metadata-add { margin-top: 0; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "add_row", "Add key", id="metadata.add"),
        Binding("ctrl+r", "remove_row", "Remove key", id="metadata.remove"),
    ]

    class Changed(Message):
        """The rows changed (typed, added or removed)."""

        def __init__(self, editor: MetadataEditor) -> None:
            super().__init__()
            self.editor = editor

        @property
        def control(self) -> MetadataEditor:
            return self.editor

    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        try:
            self._initial = [(str(k), str(v)) for k, v in json.loads(value or "[]")]
        except (json.JSONDecodeError, ValueError, TypeError):
            self._initial = []

    def compose(self) -> ComposeResult:
        for key, value in self._initial:
            yield MetadataRow(key, value)
        yield Button("+ Add a key", id="metadata-add", compact=True)

    @property
    def value(self) -> str:
        return json.dumps([row.pair for row in self.query(MetadataRow)])

    def focus(self, scroll_visible: bool = True) -> MetadataEditor:
        first = self.query(Input).first() if self.query(Input) else self.query_one(Button)
        first.focus(scroll_visible)
        return self

    async def add_row(self) -> None:
        row = MetadataRow()
        await self.mount(row, before=self.query_one("#metadata-add"))
        row.query_one(".metadata-key", Input).focus()
        self.post_message(self.Changed(self))

    async def remove_row(self, row: MetadataRow) -> None:
        rows = list(self.query(MetadataRow))
        index = rows.index(row)
        await row.remove()
        rest = list(self.query(MetadataRow))
        if rest:
            rest[min(index, len(rest) - 1)].query_one(".metadata-key", Input).focus()
        else:
            self.query_one("#metadata-add", Button).focus()
        self.post_message(self.Changed(self))

    @on(Button.Pressed, "#metadata-add")
    async def _add(self, event: Button.Pressed) -> None:
        event.stop()
        await self.add_row()

    @on(Button.Pressed, ".metadata-remove")
    async def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        row = event.button.parent
        if isinstance(row, MetadataRow):
            await self.remove_row(row)

    async def action_add_row(self) -> None:
        await self.add_row()

    async def action_remove_row(self) -> None:
        focused = self.screen.focused
        row = focused.parent if focused is not None else None
        if isinstance(row, MetadataRow):
            await self.remove_row(row)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self))

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.focus_next()
