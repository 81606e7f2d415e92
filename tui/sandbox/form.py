"""Decoding of Stripe's form encoding (``a[b][0][c]=v``, ``expand[]=x``) into nested values."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

__all__ = ["FormError", "decode_form", "split_key"]


class FormError(ValueError):
    """A key that cannot be merged into the decoded structure (``a=1&a[b]=2``)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


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


def _listify(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    for k, v in node.items():
        node[k] = _listify(v)
    if node and all(k.isdigit() and (k == "0" or k[0] != "0") for k in node):
        indexes = sorted(int(k) for k in node)
        if indexes == list(range(len(indexes))):
            return [node[str(i)] for i in indexes]
    return node


def decode_pairs(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = split_key(key)
        node = root
        for depth, part in enumerate(parts):
            last = depth == len(parts) - 1
            if part == "":
                # "[]": append a new element (only meaningful after a name).
                if depth == 0:
                    raise FormError(key)
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
    result = _listify(root)
    assert isinstance(result, dict)
    return result


def decode_form(data: bytes | str) -> dict[str, Any]:
    """Decode an ``application/x-www-form-urlencoded`` body or query string."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    if not text:
        return {}
    return decode_pairs(parse_qsl(text, keep_blank_values=True))
