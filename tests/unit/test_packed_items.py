"""The table's item store: what goes in comes out equal, in order, however it was kept."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from widgets import packed_items
from widgets.packed_items import PackedItems

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def customer(i: int, **fields: Any) -> dict[str, Any]:
    return {"id": f"cus_{i:04d}", "object": "customer", "name": f"Customer {i}", **fields}


@given(st.lists(st.dictionaries(st.text(), json_values, max_size=6), max_size=8))
def test_any_json_items_come_back_equal_and_in_order(items: list[dict[str, Any]]) -> None:
    store = PackedItems()
    store.extend({**item, "id": f"x{i}"} for i, item in enumerate(items))
    assert len(store) == len(items)
    assert list(store) == [{**item, "id": f"x{i}"} for i, item in enumerate(items)]


def test_items_read_after_they_left_the_parsed_cache_are_parsed_from_their_page(
    monkeypatch: Any,
) -> None:
    monkeypatch.setattr(packed_items, "PARSED", 4)
    store = PackedItems()
    pages = [[customer(p * 10 + i, note="é \u202e [b]x[/b]") for i in range(10)] for p in range(3)]
    for page in pages:
        store.extend(page)
    assert [store[i] for i in range(30)] == [item for page in pages for item in page]
    assert store[-1] == pages[-1][-1]
    assert len(store._pages) == 3  # one compressed text a page


def test_a_loaded_id_is_replaced_in_place_and_its_serial_changes() -> None:
    store = PackedItems()
    added, replaced = store.extend([customer(1), customer(2)])
    assert (added, replaced) == ([0, 1], False)
    before = store.serial(1)
    added, replaced = store.extend([customer(2, name="Renamed"), customer(3)])
    assert (added, replaced) == ([2], True)
    assert [store.key(i) for i in range(3)] == ["cus_0001", "cus_0002", "cus_0003"]
    assert store[1]["name"] == "Renamed"
    assert store.serial(1) != before


def test_insert_first_moves_a_loaded_id_to_the_top_and_remove_takes_it_out() -> None:
    store = PackedItems()
    store.extend([customer(1), customer(2), customer(3)])
    store.insert_first(customer(3, name="Newest"))
    assert [store[i]["name"] for i in range(3)] == ["Newest", "Customer 1", "Customer 2"]
    assert store.remove("cus_0001")
    assert not store.remove("cus_0001")
    assert "cus_0001" not in store
    assert [store.key(i) for i in range(len(store))] == ["cus_0003", "cus_0002"]
    assert store.index("cus_0002") == 1


def test_items_json_cannot_hold_are_kept_as_they_are() -> None:
    store = PackedItems()
    entry = {"id": "req_1", "response": b"\x78\x9c compressed"}
    store.extend([entry, customer(1)])
    store.insert_first({"id": "req_2", "response": b"more"})
    assert store[1] is entry
    assert store[0] == {"id": "req_2", "response": b"more"}
    assert store[2] == customer(1)


def test_items_without_an_id_each_get_their_own_row() -> None:
    store = PackedItems()
    store.extend([{"quantity": 1}, {"quantity": 1}])
    assert len(store) == 2
    assert store.key(0) != store.key(1)


def test_clear_empties_it() -> None:
    store = PackedItems()
    store.extend([customer(1)])
    store.clear()
    assert len(store) == 0 and "cus_0001" not in store
    store.extend([customer(2)])
    assert json.dumps(store[0]) == json.dumps(customer(2))


def test_a_repeat_inside_a_page_leaves_the_rest_of_the_page_where_it_is(
    monkeypatch: Any,
) -> None:
    """A page that repeats a loaded id (a list whose order changed between two pages): the new
    items around the repeat are read back as they came, long after the cache dropped them."""
    monkeypatch.setattr(packed_items, "PARSED", 1)
    store = PackedItems()
    store.extend([customer(1), customer(2)])
    store.extend([customer(3), customer(2, name="Renamed"), customer(4)])
    store.extend([customer(5)])
    names = [store[i]["name"] for i in range(len(store))]
    assert names == ["Customer 1", "Renamed", "Customer 3", "Customer 4", "Customer 5"]
