"""Decoding of Stripe's form encoding (``a[b][0][c]=v``, ``expand[]=x``) into nested values.

Hostile input is refused here, before any handler sees it: bodies that are not UTF-8, too many
fields, malformed or numeric top-level names, names with control characters and names nested
deeper than :data:`MAX_DEPTH` brackets all raise :class:`FormError`.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

__all__ = ["MAX_DEPTH", "MAX_FIELDS", "FormError", "decode_form", "split_key"]

MAX_DEPTH = 8
"""Brackets a parameter name may have (Stripe's deepest are about five)."""
MAX_FIELDS = 2000
"""Fields one request may send (a query string and a body each)."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class FormError(ValueError):
    """A body or parameter name that cannot be decoded; ``str()`` says why, without echoing
    control characters."""

    def __init__(self, key: str, message: str | None = None) -> None:
        super().__init__(
            message or f"Invalid request: the parameter `{key}` conflicts with another one."
        )
        self.key = key
        self.message = str(self)


def split_key(key: str) -> list[str]:
    """``"a[b][0][]"`` -> ``["a", "b", "0", ""]``; a malformed key is returned whole."""
    start = key.find("[")
    if start <= 0 or not key.endswith("]"):
        return [key]
    parts = [key[:start]]
    inner = key[start + 1 : -1]
    pieces = inner.split("][")
    for piece in pieces:
        if "[" in piece or "]" in piece:
            return [key]
        parts.append(piece)
    return parts


def _parts(key: str) -> list[str]:
    """The parts of a parameter name, or a FormError for a name Stripe would refuse."""
    if _CONTROL.search(key):
        raise FormError("", "Invalid parameter name: it contains a control character.")
    parts = split_key(key)
    name = parts[0]
    if len(parts) == 1 and ("[" in name or "]" in name):
        raise FormError(key, f"Invalid parameter name: {key} (malformed brackets).")
    if name == "":
        raise FormError(key, "Invalid parameter name: a name cannot be empty.")
    if name.isdigit():
        raise FormError(key, f"Invalid parameter name: {key} (a name cannot be a number).")
    if len(parts) > MAX_DEPTH + 1:
        raise FormError(
            key[: key.find("[")],
            f"Invalid parameter name: parameters can be nested at most {MAX_DEPTH} levels "
            f"deep, but {name} is nested {len(parts) - 1} levels deep.",
        )
    return parts


def _listify(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    for k, v in node.items():
        node[k] = _listify(v)
    if node and all(k.isdigit() and len(k) < 10 and (k == "0" or k[0] != "0") for k in node):
        indexes = sorted(int(k) for k in node)
        if indexes == list(range(len(indexes))):
            return [node[str(i)] for i in indexes]
    return node


def decode_pairs(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = _parts(key)
        node = root
        for depth, part in enumerate(parts):
            last = depth == len(parts) - 1
            if part == "":
                # "[]": append a new element (only meaningful after a name).
                part = str(len(node))
            if last:
                existing = node.get(part)
                if isinstance(existing, dict):
                    raise FormError(key)
                node[part] = value
            else:
                child = node.get(part)
                if child is None:
                    child = node[part] = {}
                elif not isinstance(child, dict):
                    raise FormError(key)
                node = child
    # the top level is never turned into a list: its names are never numbers
    return {k: _listify(v) for k, v in root.items()}


def decode_form(data: bytes | str) -> dict[str, Any]:
    """Decode an ``application/x-www-form-urlencoded`` body or query string."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        if not text:
            return {}
        pairs = parse_qsl(text, keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS)
    except UnicodeDecodeError:
        raise FormError("", "Invalid request: the parameters are not valid UTF-8.") from None
    except ValueError:  # max_num_fields
        raise FormError(
            "", f"Invalid request: a request can send at most {MAX_FIELDS} parameters."
        ) from None
    return decode_pairs(pairs)
