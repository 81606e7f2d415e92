"""Parameter checking against a small schema, with Stripe's error messages.

A spec is one of: ``"str"`` (at most 5000 characters, or ``Str(n)``), ``"int"`` (an int64),
``"decimal"`` (at most 12 decimal places), ``"float"``, ``"bool"``, ``"map"`` (string to string,
like ``metadata``: 50 keys of 40 characters, values of 500), ``"any"`` (accepted as is, within
the same string bound), ``"strs"`` (a list of strings), a ``OneOf``, a ``ListOf`` or a ``dict``
mapping each known key to its spec. Every bound is checked before any arithmetic, so that no
value can cost more than its length.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import StripeError, invalid, unknown_param

__all__ = ["INT64_MAX", "MAX_STRING", "ListOf", "OneOf", "Spec", "Str", "check", "integer"]

INT64_MAX = 2**63 - 1
MAX_STRING = 5000
"""Stripe's ``maxLength`` for most strings."""
MAX_ITEMS = 256
"""Entries of a list or mapping sent to a free-form (``"any"``) parameter."""
MAX_DECIMALS = 12

_INT = re.compile(r"-?[0-9]{1,30}")
_DECIMAL = re.compile(r"([0-9]{1,20})(?:\.([0-9]{1,30}))?")
_FLOAT = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,15})?")
_SHOWN = 100


def _shown(value: str) -> str:
    """A value as echoed in an error message: cut after 100 characters."""
    return value if len(value) <= _SHOWN else value[:_SHOWN] + "..."


class Str:
    """A string of at most ``max`` characters."""

    __slots__ = ("max",)

    def __init__(self, max: int) -> None:
        self.max = max


class OneOf:
    """One of a fixed set of strings (Stripe's enums)."""

    __slots__ = ("_sorted", "values")

    def __init__(self, *values: str) -> None:
        self.values = frozenset(values)
        self._sorted = sorted(values)

    def message(self, path: str) -> str:
        vals = self._sorted
        listed = vals[0] if len(vals) == 1 else ", ".join(vals[:-1]) + ", or " + vals[-1]
        return f"Invalid {path}: must be one of {listed}"


class ListOf:
    """A list (or an indexed mapping) of items of one spec."""

    __slots__ = ("item",)

    def __init__(self, item: Spec) -> None:
        self.item = item


Spec = str | Str | OneOf | ListOf | dict[str, Any]


def _sub(path: str, key: str) -> str:
    return f"{path}[{key}]" if path else key


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        text = "{" + ", ".join(f":{k}=>{_describe(v)!s}" for k, v in value.items()) + "}"
    elif isinstance(value, list):
        text = "[" + ", ".join(_describe(v) for v in value) + "]"
    else:
        text = f'"{value}"'
    return _shown(text)


def _string(value: Any, path: str, limit: int) -> str:
    if not isinstance(value, str):
        raise invalid(f"Invalid string: {_describe(value)}", path)
    if len(value) > limit:
        raise invalid(f"Invalid string: {_shown(value)}; must be at most {limit} characters", path)
    return value


def integer(value: Any, path: str) -> int | None:
    """A form value as an int64 (``""`` -> None), else Stripe's ``parameter_invalid_integer``."""
    if isinstance(value, str):
        if value == "":
            return None
        if _INT.fullmatch(value):
            number = int(value)
            if -INT64_MAX - 1 <= number <= INT64_MAX:
                return number
    shown = _shown(value) if isinstance(value, str) else _describe(value)
    raise StripeError(
        400, f"Invalid integer: {shown}", code="parameter_invalid_integer", param=path
    )


def _decimal(value: Any, path: str) -> str | None:
    if value == "":
        return None
    m = _DECIMAL.fullmatch(value) if isinstance(value, str) else None
    if m is None:
        shown = _shown(value) if isinstance(value, str) else _describe(value)
        raise invalid(f"Invalid decimal: {shown}", path)
    if m.group(2) is not None and len(m.group(2)) > MAX_DECIMALS:
        raise invalid(
            f"Invalid decimal: {value}; must contain at most {MAX_DECIMALS} decimal places", path
        )
    return str(value)


def _float(value: Any, path: str) -> float | None:
    if value == "":
        return None
    if isinstance(value, str) and _FLOAT.fullmatch(value):
        return float(value)
    shown = _shown(value) if isinstance(value, str) else _describe(value)
    raise invalid(f"Invalid float: {shown}", path)


def _free(value: Any, path: str) -> Any:
    """A free-form value: any shape the form can give, within the string and size bounds."""
    if isinstance(value, str):
        return _string(value, path, MAX_STRING)
    items = value.items() if isinstance(value, dict) else enumerate(value)
    if len(value) > MAX_ITEMS:
        raise invalid(f"Invalid {path}: at most {MAX_ITEMS} entries are accepted.", path)
    for k, v in items:
        _free(v, f"{path}[{k}]")
    return value


def _as_list(value: Any, path: str) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict) and all(k.isdigit() and len(k) < 10 for k in value):
        return [value[k] for k in sorted(value, key=int)]
    raise invalid("Invalid array", path)


def check(spec: Spec, value: Any, path: str = "") -> Any:
    """Validate ``value`` against ``spec``; return it coerced (ints, bools, ``""`` -> None)."""
    if isinstance(spec, Str):
        return _string(value, path, spec.max) or None
    if isinstance(spec, str):
        if spec == "str":
            return _string(value, path, MAX_STRING) or None
        if spec == "int":
            return integer(value, path)
        if spec == "decimal":
            return _decimal(value, path)
        if spec == "float":
            return _float(value, path)
        if spec == "bool":
            if value == "true":
                return True
            if value == "false":
                return False
            if value == "":
                return None
            shown = _shown(value) if isinstance(value, str) else _describe(value)
            raise invalid(f"Invalid boolean: {shown}", path)
        if spec == "map":
            if value == "":
                return {}
            if isinstance(value, list):
                value = {str(i): v for i, v in enumerate(value)}
            if not isinstance(value, dict):
                raise invalid("Invalid object", path)
            if len(value) > 50:
                raise invalid("Metadata can have up to 50 keys.", path)
            for k, v in value.items():
                if not isinstance(v, str):
                    raise invalid(f"Invalid string: {_describe(v)}", _sub(path, k))
                if len(k) > 40:
                    raise invalid(
                        f"Metadata keys can have up to 40 characters; {_shown(k)!r} has {len(k)}.",
                        _sub(path, k),
                    )
                if len(v) > 500:
                    raise invalid(
                        "Metadata values can have up to 500 characters, but you passed in a "
                        f"value that is {len(v)} characters.",
                        _sub(path, k),
                    )
            return value
        if spec == "strs":
            if value == "":
                return []
            items = _as_list(value, path)
            for i, item in enumerate(items):
                _string(item, f"{path}[{i}]", MAX_STRING)
            return items
        # "any"
        return _free(value, path)
    if isinstance(spec, OneOf):
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
