"""The one helper through which data reaches the screen: nothing parsed, nothing raw."""

from __future__ import annotations

import io
import unicodedata

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from textual.content import Content

from widgets.literal import ESCAPES, literal, literal_str

HOSTILE = (
    "[/]",
    "[bold]x[/bold]",
    "[@click=app.quit]x[/]",
    "[link=https://evil]x[/link]",
    ":smile: :cross_mark:",
    "\x1b[31mred\x1b[0m",
    "\x1b]52;c;aGVsbG8=\x07",
    "".join(chr(code) for code in range(0x20)),
    "\x7f\x9b",
    "\u202eevil\u202c \u2066x\u2069 \u200f",
    "\u2028\u2029\ufeff\u200b",
    "\ud800",
)

# Bidi controls are format characters (Cf): only the ones that show nothing are escaped, so that
# emoji keep their joiners and tag sequences.
RAW = {"Cc", "Cs", "Zl", "Zp"}


def shown(text: str) -> str:
    """What a Rich console with markup and emoji codes on writes for a Text of `text`."""
    console = Console(file=io.StringIO(), width=20_000, markup=True, emoji=True, color_system=None)
    console.print(literal(text), end="")
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]


def test_examples() -> None:
    assert literal_str("\x1b[31mred") == "\\x1b[31mred"
    assert literal_str("a\tb\nc\rd\x00") == "a\\tb\\nc\\rd\\x00"
    assert literal_str("a\nb", multiline=True) == "a\nb"
    assert literal_str("a\tb\r\n", multiline=True) == "a\\tb\\r\n"
    assert literal_str("\u202eabc") == "\\u202eabc"
    assert literal_str("\x9b") == "\\x9b"
    assert literal_str(None) == "None"
    assert literal_str(12) == "12"


def test_ordinary_text_is_untouched() -> None:
    for text in ("Jenny Rosen", "Zoë Ångström", "東京", "שלום עליכם", "👩‍👩‍👧 ❤️ 🏴󠁧󠁢󠁳󠁣󠁴󠁿"):
        assert literal_str(text) == text
        assert literal(text).plain == text


def test_markup_is_never_parsed() -> None:
    for text in HOSTILE:
        assert literal(text).spans == []
        assert shown(text) == literal_str(text)
        # Textual's path: a Text becomes Content without parsing.
        assert Content.from_rich_text(literal(text)).plain == literal_str(text)


def test_a_long_string_is_kept_whole() -> None:
    text = "[/]\x1b" * 2500
    assert literal_str(text) == "[/]\\x1b" * 2500


@given(st.text())
def test_nothing_raw_and_markup_never_interpreted(text: str) -> None:
    safe = literal_str(text)
    assert not any(unicodedata.category(ch) in RAW for ch in safe)
    assert not any(ord(ch) in ESCAPES for ch in safe)
    assert literal_str(safe) == safe  # idempotent
    assert literal(text).plain == safe
    assert literal(text).spans == []
    assert shown(text) == safe


@given(st.text())
def test_multiline_keeps_only_newlines(text: str) -> None:
    safe = literal_str(text, multiline=True)
    assert safe.split("\n") == [literal_str(line) for line in text.split("\n")]


@given(st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp", "Cf"))))
def test_visible_text_is_unchanged(text: str) -> None:
    assert literal_str(text) == text
