"""Stripe's search query language, for the fields the sandbox searches.

``email:"a@b.c"`` exact, ``name~"ali"`` substring (case-insensitive, 3+ characters),
``metadata["key"]:"v"``, ``-field:"v"`` negation, ``created>1700000000`` numbers, clauses joined
by ``AND`` or by ``OR`` (not both).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .errors import invalid

__all__ = ["compile_query"]

Predicate = Callable[[dict[str, Any]], bool]

_TOKEN = re.compile(
    r"""\s*(?:
    (?P<neg>-)?(?P<field>[A-Za-z_][A-Za-z0-9_.]*)(?:\[\s*(?P<q>["'])(?P<key>.*?)(?P=q)\s*\])?
    \s*(?P<op>>=|<=|:|~|>|<)\s*
    (?:"(?P<dq>(?:[^"\\]|\\.)*)"|'(?P<sq>(?:[^'\\]|\\.)*)'|(?P<bare>[^\s"']+))
    )""",
    re.VERBOSE,
)
_JOIN = re.compile(r"\s+(AND|OR)\s+")


def _error(query: str, why: str) -> Exception:
    return invalid(f"Invalid search query '{query}': {why}", "query")


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def compile_query(query: str, fields: frozenset[str], resource: str) -> Predicate:
    if not query.strip():
        raise _error(query, "the query is empty.")
    clauses: list[Predicate] = []
    joins: set[str] = set()
    pos = 0
    text = query.strip()
    while True:
        m = _TOKEN.match(text, pos)
        if m is None:
            raise _error(query, f"cannot parse the query near '{text[pos : pos + 20]}'.")
        clauses.append(_clause(query, m, fields, resource))
        pos = m.end()
        if pos >= len(text):
            break
        j = _JOIN.match(text, pos)
        if j is None:
            rest = text[pos:].strip()
            if not rest:
                break
            raise _error(query, f"expected AND or OR before '{rest[:20]}'.")
        joins.add(j.group(1))
        pos = j.end()
    if len(joins) > 1:
        raise _error(query, "AND and OR cannot be used together in one query.")
    if joins == {"OR"}:
        return lambda obj: any(c(obj) for c in clauses)
    return lambda obj: all(c(obj) for c in clauses)


def _clause(query: str, m: re.Match[str], fields: frozenset[str], resource: str) -> Predicate:
    field = m.group("field")
    key = m.group("key")
    op = m.group("op")
    if (key is not None) != (field == "metadata") or field not in fields:
        raise invalid(
            f"Field `{field}` is an unsupported search field for resource `{resource}`. "
            f"See http://stripe.com/docs/search#query-fields-for-{resource} for a list of "
            "supported fields.",
            "query",
        )
    if m.group("dq") is not None:
        value: str | None = _unescape(m.group("dq"))
    elif m.group("sq") is not None:
        value = _unescape(m.group("sq"))
    else:
        bare = m.group("bare")
        value = None if bare == "null" else bare
    negate = m.group("neg") is not None

    def get(obj: dict[str, Any]) -> Any:
        if key is not None:
            return (obj.get("metadata") or {}).get(key)
        return obj.get(field)

    pred: Predicate
    if op in (">", "<", ">=", "<="):
        if field not in ("amount", "created") or value is None or not value.lstrip("-").isdigit():
            raise _error(query, f"range operator {op} needs a numeric field and value.")
        bound = int(value)
        cmp: dict[str, Callable[[int, int], bool]] = {
            ">": lambda a, b: a > b,
            "<": lambda a, b: a < b,
            ">=": lambda a, b: a >= b,
            "<=": lambda a, b: a <= b,
        }
        fn = cmp[op]

        def pred(obj: dict[str, Any]) -> bool:
            got = get(obj)
            return isinstance(got, int) and fn(got, bound)

    elif op == "~":
        if value is None or len(value) < 3:
            raise _error(query, "substring matching (~) requires at least 3 characters.")
        needle = value.casefold()

        def pred(obj: dict[str, Any]) -> bool:
            got = get(obj)
            return isinstance(got, str) and needle in got.casefold()

    else:
        exact = value

        def pred(obj: dict[str, Any]) -> bool:
            got = get(obj)
            if exact is None:
                return got is None
            if isinstance(got, bool):
                return exact == ("true" if got else "false")
            return str(got) == exact if got is not None else False

    if negate:
        inner = pred
        return lambda obj: not inner(obj)
    return pred
