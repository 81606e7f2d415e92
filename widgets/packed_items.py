"""The loaded items of a list, kept as JSON text: a page of them is one compressed string.

A customer as parsed JSON is about 16 objects and 1.7 KB; as compact JSON text, 0.6 KB, and
50 to 100 bytes compressed with the rest of its page (one allocation a page, which also keeps
the heap from fragmenting). Browsing 10,000 customers kept 16.8 MiB of parsed items, and the
app's RSS grew by 17.5 to 23 MiB; packed, by 11 to 12.6 MiB (bench/bench.py, budget 5).
An item is parsed again when it is read (10 to 20 microseconds for a customer, and its page
decompressed, about 0.2 ms for 100 customers, unless it is one of the last pages read); the
items read last are kept parsed (the rows on screen and around them, and the page just added).
An item JSON cannot hold (bytes, say) is kept as it is.

Each item has a key (its id, or a made-up one), and a serial that changes when the item at
that key is replaced: what was made from an item (a row's cells) is current while its serial is.
"""

from __future__ import annotations

import json
import zlib
from array import array
from collections.abc import Iterable, Iterator
from itertools import count
from typing import Any

from textual.cache import LRUCache

Item = dict[str, Any]

PARSED = 128
"""Items kept parsed, the newest read or added: a few screens of rows and the last page."""

PAGES = 4
"""Pages kept decompressed, the newest read: the rows on screen are from one or two."""

LOOSE = 0xFFFFFFFF
"""The page number of an item kept as it is, not as text."""

_decode = json.JSONDecoder().raw_decode
_encode = json.JSONEncoder(separators=(",", ":")).encode  # ASCII: anything else is escaped


def _compress(text: str) -> bytes:
    return zlib.compress(text.encode("ascii"), 1)


class PackedItems:
    """A list of JSON items (dicts) in table order, kept packed; `len`, `[index]`, keys."""

    def __init__(self) -> None:
        self._pages: list[bytes] = []  # each page's items' texts, one after the other
        self._texts: LRUCache[int, str] = LRUCache(PAGES)
        self._page = array("I")  # per item: its page (LOOSE: in `_loose`) and where it starts
        self._start = array("I")
        self._serial = array("Q")  # per item: what it is now (a replaced item gets a new one)
        self._keys: list[str] = []
        self._known: set[str] = set()
        self._loose: dict[int, Item] = {}
        self._parsed: LRUCache[int, Item] = LRUCache(PARSED)
        self._serials = count(1)

    def __len__(self) -> int:
        return len(self._keys)

    def __getitem__(self, index: int) -> Item:
        if not -len(self._keys) <= index < len(self._keys):
            raise IndexError(index)
        serial = self._serial[index]
        item = self._parsed.get(serial)
        if item is None:
            page = self._page[index]
            if page == LOOSE:
                item = self._loose[serial]
            else:
                item = _decode(self._text_of(page), self._start[index])[0]
            self._parsed[serial] = item
        return item

    def __iter__(self) -> Iterator[Item]:
        return (self[index] for index in range(len(self._keys)))

    def key(self, index: int) -> str:
        return self._keys[index]

    def serial(self, index: int) -> int:
        return self._serial[index]

    def __contains__(self, key: object) -> bool:
        return key in self._known

    def index(self, key: str) -> int:
        """The position of the item with this key (ValueError if none)."""
        return self._keys.index(key)

    @staticmethod
    def key_of(item: Item) -> str | None:
        ident = item.get("id")
        return str(ident) if ident else None

    def extend(self, items: Iterable[Item]) -> tuple[list[int], bool]:
        """Append the items whose keys are new, as one page; an item whose key is loaded
        replaces that one in place. The positions appended, and whether any was replaced."""
        added: list[int] = []
        repeated: list[tuple[str, Item]] = []
        texts: list[str] = []
        length = 0
        page_no = len(self._pages)
        for item in items:
            key = self.key_of(item) or self._made_up_key()
            if key in self._known:
                repeated.append((key, item))  # after this page is in place: it adds a page
                continue
            serial = next(self._serials)
            text = self._text(item)
            if text is None:
                self._loose[serial] = item
                self._page.append(LOOSE)
                self._start.append(0)
            else:
                self._page.append(page_no)
                self._start.append(length)
                texts.append(text)
                length += len(text)
            self._serial.append(serial)
            self._keys.append(key)
            self._known.add(key)
            self._parsed[serial] = item
            added.append(len(self._keys) - 1)
        if texts:
            self._pages.append(_compress("".join(texts)))
        for key, item in repeated:
            self.replace(self._keys.index(key), item)
        return added, bool(repeated)

    def insert_first(self, item: Item) -> None:
        """Put an item at the top, taking out the one with its key if loaded."""
        key = self.key_of(item) or self._made_up_key()
        if key in self._known:
            self._remove_at(self._keys.index(key))
        serial, page = self._place(item)
        self._page.insert(0, page)
        self._start.insert(0, 0)
        self._serial.insert(0, serial)
        self._keys.insert(0, key)
        self._known.add(key)

    def replace(self, index: int, item: Item) -> None:
        """Put `item` at `index` in place of the one there (a new serial)."""
        self._loose.pop(self._serial[index], None)
        self._serial[index], self._page[index] = self._place(item)
        self._start[index] = 0

    def remove(self, key: str) -> bool:
        """Take out the item with this key; whether there was one."""
        if key not in self._known:
            return False
        self._remove_at(self._keys.index(key))
        return True

    def clear(self) -> None:
        self._pages.clear()
        self._texts.clear()
        del self._page[:], self._start[:], self._serial[:]
        self._keys.clear()
        self._known.clear()
        self._loose.clear()
        self._parsed.clear()

    # ----------------------------------------------------------------------------- inside

    def _made_up_key(self) -> str:
        return f"_row{next(self._serials)}"

    @staticmethod
    def _text(item: Item) -> str | None:
        try:
            return _encode(item)
        except (TypeError, ValueError):  # not JSON (bytes, a Decimal...): kept as it is
            return None

    def _place(self, item: Item) -> tuple[int, int]:
        """A serial for a single item, and its page: one of its own (it starts at 0), or
        LOOSE."""
        serial = next(self._serials)
        self._parsed[serial] = item
        text = self._text(item)
        if text is None:
            self._loose[serial] = item
            return serial, LOOSE
        self._pages.append(_compress(text))
        return serial, len(self._pages) - 1

    def _text_of(self, page: int) -> str:
        text = self._texts.get(page)
        if text is None:
            text = self._texts[page] = zlib.decompress(self._pages[page]).decode("ascii")
        return text

    def _remove_at(self, index: int) -> None:
        self._loose.pop(self._serial[index], None)
        self._known.discard(self._keys[index])
        del self._page[index], self._start[index], self._serial[index], self._keys[index]
