"""The console's own config file: `$XDG_CONFIG_HOME/stripe-tui/config.toml`.

It is never the Stripe CLI's file. Every key is optional and a missing file is no config at all:

    theme = "nord"                # a Textual theme; saved here when changed from the palette
    page_size = 25                # items a list asks Stripe for at a time, 1 to 100
    default_currency = "eur"      # prefilled in new prices and payment intents

    [keymap]                      # binding id = keys (comma-separated), as Textual's set_keymap
    "customers.new" = "N"

A file that cannot be used is refused with the line it is about (`ConfigError`, exit status 2).
The names of the themes and binding ids are Textual's, so the caller passes them in: this module
imports no textual.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from tui.money import MoneyError, normalize_currency
from tui.settings import APP_NAME, SettingsError

MAX_PAGE_SIZE = 100
"""Stripe's own limit on `limit`."""

KNOWN_KEYS = ("theme", "page_size", "default_currency", "keymap")


class ConfigError(SettingsError):
    """A config file the console refuses to start with; str() names the file and line."""


@dataclass(frozen=True)
class Config:
    """What the config file says; None (or empty) where it says nothing."""

    path: Path | None = None
    """Where it was read from, and where a theme change is saved; None saves nothing."""
    theme: str | None = None
    page_size: int | None = None
    default_currency: str | None = None
    keymap: Mapping[str, str] = field(default_factory=dict)
    """Binding id -> keys, for `App.set_keymap`."""


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    """`$XDG_CONFIG_HOME/stripe-tui/config.toml`, else the platform's user config folder."""
    env = os.environ if environ is None else environ
    if base := env.get("XDG_CONFIG_HOME"):
        return Path(base) / APP_NAME / "config.toml"
    return platformdirs.user_config_path(APP_NAME) / "config.toml"


def _key_of(line: str) -> str | None:
    """The key a `key = value` line sets, quotes and spaces removed (dotted keys kept)."""
    name, sep, _ = line.partition("=")
    if not sep or line.lstrip().startswith(("#", "[")):
        return None
    return ".".join(part.strip().strip("\"'") for part in name.split("."))


def line_of(text: str, key: str, table: str = "") -> int | None:
    """The 1-based line that sets `key` in `table` ("" is the top level), or None."""
    current = ""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if header := re.match(r"^\[\s*([^\]]+?)\s*\]", stripped):
            current = ".".join(p.strip().strip("\"'") for p in header.group(1).split("."))
            if current == table and not key:
                return number
            continue
        name = _key_of(stripped)
        if name is None:
            continue
        if table and current == "" and name == f"{table}.{key}":
            return number
        if current == table and (name == key or (not table and name.startswith(f"{key}."))):
            return number
        # `[keymap.customers]` then `new = ...` sets keymap's "customers.new".
        if (
            table
            and current.startswith(f"{table}.")
            and f"{current[len(table) + 1 :]}.{name}" == key
        ):
            return number
    return None


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """`customers.new = "N"` (a dotted key, so a nested table) and `"customers.new" = "N"` alike."""
    flat: dict[str, Any] = {}
    for name, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{name}."))
        else:
            flat[f"{prefix}{name}"] = value
    return flat


def load_config(
    path: Path,
    *,
    themes: Callable[[], Collection[str]] | None = None,
    binding_ids: Callable[[], Collection[str]] | None = None,
) -> Config:
    """Read and check the file; a missing file is an empty Config (that saves to `path`).

    `themes` and `binding_ids` give the known names; they are called only when the file names a
    theme or a binding (collecting the bindings imports every screen).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(path=path)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Cannot read {path}: {exc}") from None
    import tomllib  # only when there is a file: not before the first paint otherwise

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11 to 3.13 say "Invalid value (at line 2, column 5)"; 3.14 adds .lineno.
        found = re.match(r"(.*) \(at line (\d+), column \d+\)$", str(exc))
        if found is None:
            raise ConfigError(f"{path}: {exc}") from None
        raise ConfigError(f"{path} line {found.group(2)}: {found.group(1)}") from None

    def refuse(key: str, message: str, table: str = "") -> ConfigError:
        line = line_of(text, key, table)
        if line is None and not table:
            line = line_of(text, "", key)  # a [key] table
        where = f" line {line}" if line is not None else ""
        return ConfigError(f"{path}{where}: {message}")

    for key in data:
        if key not in KNOWN_KEYS:
            raise refuse(key, f"unknown key '{key}' (the keys are: {', '.join(KNOWN_KEYS)})")

    theme = data.get("theme")
    if theme is not None:
        if not isinstance(theme, str):
            raise refuse("theme", "theme must be a string, the name of a theme")
        if themes is not None and theme not in (names := themes()):
            raise refuse("theme", f"unknown theme '{theme}' (themes: {', '.join(sorted(names))})")

    page_size = data.get("page_size")
    if page_size is not None:
        if not isinstance(page_size, int) or isinstance(page_size, bool):
            raise refuse("page_size", f"page_size must be a whole number, 1 to {MAX_PAGE_SIZE}")
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise refuse(
                "page_size", f"page_size {page_size} is out of range: 1 to {MAX_PAGE_SIZE}"
            )

    currency = data.get("default_currency")
    if currency is not None:
        if not isinstance(currency, str):
            raise refuse("default_currency", 'default_currency must be a string, e.g. "eur"')
        try:
            currency = normalize_currency(currency)
        except MoneyError as exc:
            raise refuse("default_currency", f"default_currency: {exc}") from None

    keymap_table = data.get("keymap", {})
    if not isinstance(keymap_table, dict):
        raise refuse("keymap", 'keymap must be a table: [keymap] then "binding.id" = "keys"')
    keymap = _flatten(keymap_table)
    known_ids = binding_ids() if keymap and binding_ids is not None else None
    for binding_id, keys in keymap.items():
        if not isinstance(keys, str) or not keys.strip():
            raise refuse(binding_id, f"keymap: '{binding_id}' needs its keys as a string", "keymap")
        if known_ids is not None and binding_id not in known_ids:
            raise refuse(
                binding_id,
                f"keymap: unknown binding id '{binding_id}' (the README lists them)",
                "keymap",
            )
    return Config(
        path=path,
        theme=theme,
        page_size=page_size,
        default_currency=currency,
        keymap={binding_id: keys.replace(" ", "") for binding_id, keys in keymap.items()},
    )


_TOP_THEME = re.compile(r"^\s*(theme|\"theme\"|'theme')\s*=")


def with_theme(text: str, theme: str) -> str:
    """The file's text with its top-level `theme` set; every other line is kept as it was."""
    line = f"theme = {json.dumps(theme)}"
    lines = text.splitlines(keepends=True)
    first_table = len(lines)
    for index, existing in enumerate(lines):
        if existing.lstrip().startswith("["):
            first_table = index
            break
        if _TOP_THEME.match(existing):
            ending = existing[len(existing.rstrip("\r\n")) :] or "\n"
            comment = re.search(r"\s+#[^\"']*$", existing.rstrip("\r\n"))
            lines[index] = line + (comment.group(0) if comment else "") + ending
            return "".join(lines)
    # No theme yet: add it where the top-level keys end (before the first table).
    before = "".join(lines[:first_table])
    if before and not before.endswith("\n"):
        before += "\n"
    added = line + "\n" + ("\n" if first_table < len(lines) else "")
    return before + added + "".join(lines[first_table:])


def save_theme(path: Path, theme: str) -> None:
    """Set `theme` in the config file (created if missing), keeping the rest of it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    new_text = with_theme(text, theme)
    import tomllib

    if tomllib.loads(new_text).get("theme") != theme:  # never write what would not read back
        raise ConfigError(f"{path}: could not set the theme without changing other lines")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(new_text, encoding="utf-8")
    temporary.replace(path)
