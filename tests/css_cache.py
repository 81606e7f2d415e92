"""Textual's CSS parsed once per test process, not once per app.

Every test starts an app, and every app parses the same CSS (app.tcss and each widget's
DEFAULT_CSS) into rule sets: about 7% of the suite's CPU. Textual caches a parse per
`Stylesheet` only (64 entries); in tests one cache is shared by all, keyed also on the CSS
variables (a theme changes them). Textual treats parsed rule sets as read-only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from textual.css.model import RuleSet
from textual.css.stylesheet import CSSLocation, Stylesheet

_parsed: dict[tuple[Any, ...], list[RuleSet]] = {}


def _parse_rules(
    self: Stylesheet,
    css: str,
    read_from: CSSLocation,
    is_default_rules: bool = False,
    tie_breaker: int = 0,
    scope: str = "",
) -> list[RuleSet]:
    key = (css, read_from, is_default_rules, tie_breaker, scope, frozenset(self._variables.items()))
    rules = _parsed.get(key)
    if rules is None:
        rules = _parsed[key] = _original(self, css, read_from, is_default_rules, tie_breaker, scope)
    return rules


_original = Stylesheet._parse_rules


@contextmanager
def css_parsed_once() -> Iterator[None]:
    Stylesheet._parse_rules = _parse_rules  # type: ignore[method-assign]
    try:
        yield
    finally:
        Stylesheet._parse_rules = _original  # type: ignore[method-assign]
