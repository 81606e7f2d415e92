"""Parameter checking against a small schema, with Stripe's error messages.

A spec is one of: ``"str"``, ``"int"``, ``"bool"``, ``"map"`` (string to string, like
``metadata``), ``"any"`` (accepted as is), ``"strs"`` (a list of strings), an ``Enum``, a
``ListOf`` or a ``dict`` mapping each known key to its spec.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import StripeError, invalid, unknown_param

__all__ = ["Enum", "ListOf", "Spec", "check"]

_INT = re.compile(r"-?[0-9]+")


class Enum:
    __slots__ = ("_sorted", "values")

    def __init__(self, *values: str) -> None:
        self.values = frozenset(values)
        self._sorted = sorted(values)

    def message(self, path: str) -> str:
        vals = self._sorted
        listed = vals[0] if len(vals) == 1 else ", ".join(vals[:-1]) + ", or " + vals[-1]
        return f"Invalid {path}: must be one of {listed}"


class ListOf:
    __slots__ = ("item",)

    def __init__(self, item: Spec) -> None:
        self.item = item


Spec = str | Enum | ListOf | dict[str, Any]


def _sub(path: str, key: str) -> str:
    return f"{path}[{key}]" if path else key


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f":{k}=>{_describe(v)!s}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_describe(v) for v in value) + "]"
    return f'"{value}"'


def _as_list(value: Any, path: str) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict) and all(k.isdigit() for k in value):
        return [value[k] for k in sorted(value, key=int)]
    raise invalid("Invalid array", path)


def check(spec: Spec, value: Any, path: str = "") -> Any:
    """Validate ``value`` against ``spec``; return it coerced (ints, bools, ``""`` -> None)."""
    if isinstance(spec, str):
        if spec == "str":
            if isinstance(value, str):
                return value if value != "" else None
            raise invalid(f"Invalid string: {_describe(value)}", path)
        if spec == "int":
            if isinstance(value, str):
                if value == "":
                    return None
                if _INT.fullmatch(value):
                    return int(value)
            raise StripeError(
                400,
                f"Invalid integer: {value if isinstance(value, str) else _describe(value)}",
                code="parameter_invalid_integer",
                param=path,
            )
        if spec == "bool":
            if value == "true":
                return True
            if value == "false":
                return False
            if value == "":
                return None
            raise invalid(f"Invalid boolean: {value}", path)
        if spec == "map":
            if value == "":
                return {}
            if isinstance(value, list):
                value = {str(i): v for i, v in enumerate(value)}
            if not isinstance(value, dict):
                raise invalid("Invalid object", path)
            for k, v in value.items():
                if not isinstance(v, str):
                    raise invalid(f"Invalid string: {_describe(v)}", _sub(path, k))
                if len(k) > 40:
                    raise invalid(
                        f"Metadata keys can have up to 40 characters; {k!r} has {len(k)}.",
                        _sub(path, k),
                    )
                if len(v) > 500:
                    raise invalid(
                        "Metadata values can have up to 500 characters, but you passed in a "
                        f"value that is {len(v)} characters.",
                        _sub(path, k),
                    )
            if len(value) > 50:
                raise invalid("Metadata can have up to 50 keys.", path)
            return value
        if spec == "strs":
            if value == "":
                return []
            items = _as_list(value, path)
            for i, item in enumerate(items):
                if not isinstance(item, str):
                    raise invalid(f"Invalid string: {_describe(item)}", f"{path}[{i}]")
            return items
        # "any"
        return value
    if isinstance(spec, Enum):
        if value == "":
            return None
        if not isinstance(value, str) or value not in spec.values:
            raise invalid(spec.message(path), path)
        return value
    if isinstance(spec, ListOf):
        if value == "":
            return []
        items = _as_list(value, path)
        return [check(spec.item, item, f"{path}[{i}]") for i, item in enumerate(items)]
    # dict spec
    if value == "":
        return None
    if not isinstance(value, dict):
        raise invalid("Invalid object", path)
    out: dict[str, Any] = {}
    for key, item in value.items():
        sub = spec.get(key)
        if sub is None:
            raise unknown_param(_sub(path, key))
        out[key] = check(sub, item, _sub(path, key))
    return out
