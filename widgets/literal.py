"""Text is text: the one way a string from Stripe, the sandbox or the operator reaches the screen.

`literal(value)` is a `rich.text.Text` that Rich and Textual draw character for character: no
markup is parsed (so no `[@click=...]` or `[link=...]` in data can ever fire) and characters that
would act on the terminal, or change what the operator reads without being seen, are shown as
visible escapes, written the way Python writes them:

- C0 controls, DEL and C1 controls: `\\x1b`, `\\x00`, `\\x7f`, `\\x9b`; tab, newline and carriage
  return as `\\t`, `\\n`, `\\r`. An ANSI or OSC sequence therefore shows as `\\x1b[31m`.
- bidirectional controls and marks (which reorder what is read), line and paragraph separators,
  zero-width spaces, word joiners and byte order marks, and lone surrogates (which cannot be
  written to a terminal): `\\u202e`, `\\u200f`, `\\u2028`, `\\u200b`, `\\ufeff`, `\\ud800`.

With `multiline=True` a newline stays a line break (detail values, dialogs, notifications).
Everything else is shown as it is: emoji (with their zero-width joiners and variation selectors),
accents, any script. A backslash is not escaped: data that already reads `\\x1b` looks the same
as an escaped ESC, which is readable and harmless. Escaping is idempotent.

`literal_str` is the same text as a `str`, for widgets that take a str and draw it unparsed.
"""

from __future__ import annotations

from typing import Final

from rich.style import StyleType
from rich.text import Text

_SHORT: Final = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
_CONTROLS: Final = (*range(0x20), 0x7F, *range(0x80, 0xA0))
_INVISIBLE: Final = (
    0x061C,  # Arabic letter mark
    0x200B,  # zero-width space
    0x200E,  # left-to-right mark
    0x200F,  # right-to-left mark
    0x2028,  # line separator
    0x2029,  # paragraph separator
    *range(0x202A, 0x202F),  # bidi embeddings and overrides, pop directional formatting
    *range(0x2060, 0x2065),  # word joiner, invisible operators
    *range(0x2066, 0x206A),  # bidi isolates
    0xFEFF,  # byte order mark / zero-width no-break space
    *range(0xD800, 0xE000),  # surrogates (only ever alone in a Python str)
)

ESCAPES: Final[dict[int, str]] = {
    **{code: f"\\x{code:02x}" for code in _CONTROLS},
    **_SHORT,
    **{code: f"\\u{code:04x}" for code in _INVISIBLE},
}
"""Every character that is never drawn as itself, and how it is shown instead."""

_MULTILINE: Final = {code: escape for code, escape in ESCAPES.items() if code != 0x0A}


def literal_str(value: object, *, multiline: bool = False) -> str:
    """`value` as a str that is safe to draw unparsed: see the module's docstring."""
    text = value if isinstance(value, str) else str(value)
    if text.isascii() and text.isprintable():
        return text  # the common case: nothing to escape
    return text.translate(_MULTILINE if multiline else ESCAPES)


def literal(value: object, *, multiline: bool = False, style: StyleType = "") -> Text:
    """`value` as a Text that is drawn exactly as `literal_str` gives it, never parsed.

    A one-line Text does not wrap (as DataTable draws a str cell); a multi-line one wraps.
    """
    return Text(literal_str(value, multiline=multiline), style=style, no_wrap=not multiline, end="")
