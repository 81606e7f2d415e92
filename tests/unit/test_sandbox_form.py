"""The sandbox's form decoder against the stripe SDK's own encoder."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stripe._encode import _api_encode

from tui.sandbox.form import MAX_DEPTH, MAX_FIELDS, FormError, decode_form, split_key


def sdk_encode(params: dict[str, Any]) -> str:
    """Exactly what stripe's requestor sends (brackets left unescaped)."""
    return urlencode(list(_api_encode(params))).replace("%5B", "[").replace("%5D", "]")


def expected(value: Any, in_list: bool = False) -> Any:
    """What a decoded form gives back: every leaf a string, booleans as true/false (except
    directly inside a list, where the SDK sends Python's str(): True/False)."""
    if isinstance(value, dict):
        return {k: expected(v) for k, v in value.items()}
    if isinstance(value, list):
        # a list inside a list is sent as a mapping {0: .., 1: ..}: its items are not "in a list"
        return [expected(v, in_list=not in_list) for v in value]
    if isinstance(value, bool) and not in_list:
        return "true" if value else "false"
    return str(value)


keys = st.text(
    alphabet=st.characters(blacklist_characters="[]", blacklist_categories=("Cs", "Cc")),
    min_size=1,
    max_size=8,
).filter(lambda k: not k.isdigit())
leaves = st.one_of(st.text(max_size=12), st.integers(), st.booleans())
values = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=4),
        st.dictionaries(keys, inner, min_size=1, max_size=4),
    ),
    max_leaves=12,
)


def depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    return 0


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(keys, values, max_size=5).filter(lambda p: depth(p) <= MAX_DEPTH + 1))
def test_decode_inverts_the_sdk_encoder(params: dict[str, Any]) -> None:
    assert decode_form(sdk_encode(params)) == expected(params)


def test_nested_and_indexed_keys() -> None:
    body = sdk_encode(
        {
            "metadata": {"order": "42"},
            "line_items": [{"price": "price_1", "quantity": 2}],
            "recurring": {"interval": "month"},
            "expand": ["customer", "latest_charge"],
        }
    )
    assert decode_form(body) == {
        "metadata": {"order": "42"},
        "line_items": [{"price": "price_1", "quantity": "2"}],
        "recurring": {"interval": "month"},
        "expand": ["customer", "latest_charge"],
    }


def test_empty_brackets_append() -> None:
    assert decode_form("expand[]=a&expand[]=b") == {"expand": ["a", "b"]}


def test_percent_encoded_brackets_and_blank_values() -> None:
    assert decode_form("metadata%5Bk%5D=v&description=") == {
        "metadata": {"k": "v"},
        "description": "",
    }


def test_non_contiguous_indexes_stay_a_mapping() -> None:
    assert decode_form("metadata[5]=x") == {"metadata": {"5": "x"}}


def test_conflicting_keys_are_an_error() -> None:
    with pytest.raises(FormError):
        decode_form("a=1&a[b]=2")
    with pytest.raises(FormError):
        decode_form("a[b]=2&a=1")


def test_split_key() -> None:
    assert split_key("a[b][0][]") == ["a", "b", "0", ""]
    assert split_key("plain") == ["plain"]
    assert split_key("bad[key") == ["bad[key"]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"a%00b=1", "control character"),
        (b"name\x01=1", "control character"),
        (b"0=a&1=b", "cannot be a number"),
        (b"=a", "cannot be empty"),
        (b"[]=a", "malformed"),
        (b"a[b=1", "malformed"),
        (b"a]b[=1", "malformed"),
        (b"metadata" + b"[a]" * (MAX_DEPTH + 1) + b"=1", "nested at most"),
        (b"name=%ff%fe", "UTF-8"),
        (b"name=\xff", "UTF-8"),
        (b"&".join([b"a=1"] * (MAX_FIELDS + 1)), "at most"),
    ],
)
def test_hostile_bodies_are_refused_without_echoing_control_characters(
    body: bytes, says: str
) -> None:
    with pytest.raises(FormError) as caught:
        decode_form(body)
    assert says in caught.value.message
    assert "\x00" not in caught.value.message and "\x01" not in caught.value.message


def test_nesting_up_to_the_limit_is_accepted() -> None:
    key = "metadata" + "[a]" * MAX_DEPTH
    assert decode_form(f"{key}=1")["metadata"]["a"]["a"]
