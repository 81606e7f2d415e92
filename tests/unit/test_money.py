"""Money parsing and formatting: what the operator types against what Stripe is sent."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.money import (
    COMMON_CURRENCIES,
    KNOWN_CURRENCIES,
    MAX_AMOUNT,
    THREE_DECIMAL,
    ZERO_DECIMAL,
    MoneyError,
    describe_smallest_unit,
    exponent,
    format_amount,
    normalize_currency,
    parse_amount,
    to_major,
)

currencies = st.sampled_from(sorted(KNOWN_CURRENCIES))
amounts = st.integers(min_value=1, max_value=MAX_AMOUNT)


def _refused(text: str, currency: str, **kwargs: bool) -> str:
    with pytest.raises(MoneyError) as info:
        parse_amount(text, currency, **kwargs)
    return str(info.value)


# Round trips ---------------------------------------------------------------------------------


@given(amount=amounts, currency=currencies)
def test_to_major_parses_back_to_the_same_smallest_unit(amount: int, currency: str) -> None:
    assert parse_amount(to_major(amount, currency), currency) == amount


@given(amount=amounts, currency=currencies)
def test_format_amount_with_separators_parses_back(amount: int, currency: str) -> None:
    shown = format_amount(amount, currency)
    number, code = shown.rsplit(" ", 1)
    assert code == currency.upper()
    assert parse_amount(number, code) == amount


@given(amount=amounts, currency=currencies)
def test_to_major_has_exactly_the_currency_decimals(amount: int, currency: str) -> None:
    text = to_major(amount, currency)
    _, dot, decimals = text.partition(".")
    if exponent(currency) == 0:
        assert dot == ""
    else:
        assert len(decimals) == exponent(currency)


@given(amount=amounts, currency=currencies)
def test_underscore_and_space_separators_parse_back(amount: int, currency: str) -> None:
    major = to_major(amount, currency)
    assert parse_amount(major.replace(",", "_"), currency) == amount
    assert parse_amount(major.replace(",", " "), currency) == amount


@given(whole=st.integers(min_value=1, max_value=999_999), cents=st.integers(0, 99))
def test_usd_typed_with_two_decimals(whole: int, cents: int) -> None:
    assert parse_amount(f"{whole}.{cents:02d}", "usd") == whole * 100 + cents


# Exponents -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "digits"),
    [("usd", 2), ("eur", 2), ("jpy", 0), ("krw", 0), ("kwd", 3), ("bhd", 3), ("USD", 2)],
)
def test_exponent(currency: str, digits: int) -> None:
    assert exponent(currency) == digits


def test_currency_tables_are_consistent() -> None:
    assert ZERO_DECIMAL <= KNOWN_CURRENCIES
    assert THREE_DECIMAL <= KNOWN_CURRENCIES
    assert not ZERO_DECIMAL & THREE_DECIMAL
    assert set(COMMON_CURRENCIES) <= KNOWN_CURRENCIES


# Zero, two and three decimals ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "currency", "expected"),
    [
        ("500", "jpy", 500),
        ("1,000", "jpy", 1000),
        ("5.00", "usd", 500),
        ("5", "usd", 500),
        ("5.5", "usd", 550),
        (".5", "usd", 50),
        ("5.", "usd", 500),
        ("0.01", "usd", 1),
        ("12.50", "eur", 1250),
        ("1,234.56", "usd", 123456),
        ("  7.25  ", "gbp", 725),
        ("1.234", "kwd", 1234),
        ("1.2", "kwd", 1200),
        ("0.001", "kwd", 1),
        ("999,999.99", "usd", MAX_AMOUNT),
        ("99,999,999", "jpy", MAX_AMOUNT),
    ],
)
def test_parse_amount(text: str, currency: str, expected: int) -> None:
    assert parse_amount(text, currency) == expected


def test_zero_decimal_refuses_decimals_and_says_so() -> None:
    message = _refused("5.5", "jpy")
    assert "JPY" in message
    assert "no decimals" in message
    assert "whole number" in message


def test_two_decimal_refuses_a_third_and_says_how_many() -> None:
    message = _refused("5.001", "usd")
    assert "USD" in message
    assert "2 decimals" in message


def test_three_decimal_refuses_a_fourth() -> None:
    message = _refused("1.2345", "kwd")
    assert "KWD" in message
    assert "3 decimals" in message


def test_trailing_zeros_beyond_the_exponent_are_harmless() -> None:
    assert parse_amount("5.000", "usd") == 500
    assert parse_amount("500.0", "jpy") == 500


def test_decimal_error_names_the_currency_in_upper_case_whatever_was_typed() -> None:
    assert "USD has 2 decimals" in _refused("1.999", " Usd ")


# Refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["-5", "-0.50", " - 5", "-1,000"])
def test_negative_is_refused(text: str) -> None:
    assert "negative" in _refused(text, "usd")


@pytest.mark.parametrize("text", ["0", "0.00", "0.0", "000"])
def test_zero_is_refused_unless_allowed(text: str) -> None:
    assert "greater than zero" in _refused(text, "usd")
    assert parse_amount(text, "usd", allow_zero=True) == 0


def test_above_max_amount_is_refused_with_the_cap_in_major_units() -> None:
    message = _refused("1,000,000.00", "usd")
    assert "too large" in message
    assert "999,999.99 USD" in message
    assert "99,999,999 JPY" in _refused("100000000", "jpy")
    assert "99,999.999 KWD" in _refused("100000", "kwd")


def test_absurdly_large_is_refused_not_crashing() -> None:
    assert "too large" in _refused("9" * 60, "usd")
    assert "too large" in _refused("1" + "0" * 400, "jpy")


@pytest.mark.parametrize(
    "text",
    ["1e3", "1E3", "abc", "5 dollars", "$5", "5$", "1.2.3", "+5", "0x10", "nan", "inf", "½"],
)
def test_garbage_is_refused_quoting_what_was_typed(text: str) -> None:
    message = _refused(text, "usd")
    assert f"'{text}'" in message
    assert "is not an amount" in message
    assert "12.50" in message


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_is_refused_as_required(text: str) -> None:
    assert "required" in _refused(text, "usd")


@pytest.mark.parametrize("text", [".", ",", "_", ". ", ",."])
def test_punctuation_alone_is_not_an_amount(text: str) -> None:
    message = _refused(text, "usd")
    assert "is not an amount" in message or "required" in message


@pytest.mark.parametrize("text", ["1,5", "12,50", "1,00", "1,0000", "1,234,56", "1.000,50"])
def test_misplaced_thousands_separators_are_refused(text: str) -> None:
    """'12,50' typed the European way must not become 1,250.00: the separator is misplaced."""
    with pytest.raises(MoneyError):
        parse_amount(text, "usd")


@pytest.mark.parametrize("text", ["1,000", "12,345", "1 000", "100_000", "100,000.25", "999,999"])
def test_well_placed_thousands_separators_are_accepted(text: str) -> None:
    expected = int(text.replace(",", "").replace("_", "").replace(" ", "").replace(".", ""))
    if "." not in text:
        expected *= 100
    assert parse_amount(text, "usd") == expected


# Currencies ----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["usd", "USD", "Usd", " usd ", "\tuSD\n"])
def test_currency_codes_in_any_case(code: str) -> None:
    assert normalize_currency(code) == "usd"
    assert parse_amount("5.00", code) == 500


def test_unknown_currency_is_named_in_the_message() -> None:
    with pytest.raises(MoneyError, match=r"'XYZ' is not a currency Stripe supports"):
        normalize_currency("xyz")
    with pytest.raises(MoneyError, match=r"'XYZ' is not a currency Stripe supports"):
        parse_amount("5.00", "xyz")


@pytest.mark.parametrize("code", ["us", "usdd", "12a", "u$d", "€"])
def test_malformed_currency_code_is_not_a_three_letter_code(code: str) -> None:
    with pytest.raises(MoneyError) as info:
        normalize_currency(code)
    assert f"'{code}' is not a three-letter ISO currency code" in str(info.value)


@pytest.mark.parametrize("code", ["", "  "])
def test_missing_currency_is_required(code: str) -> None:
    with pytest.raises(MoneyError, match="A currency is required"):
        parse_amount("5.00", code)


def test_money_error_is_a_value_error() -> None:
    assert issubclass(MoneyError, ValueError)


# Display -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (500, "usd", "5.00 USD"),
        (500, "jpy", "500 JPY"),
        (1234, "kwd", "1.234 KWD"),
        (123456789, "usd", "1,234,567.89 USD"),
        (1, "eur", "0.01 EUR"),
        (0, "usd", "0.00 USD"),
        (500, "USD", "5.00 USD"),
        (500, " usd ", "5.00 USD"),
    ],
)
def test_format_amount(amount: int, currency: str, expected: str) -> None:
    assert format_amount(amount, currency) == expected


def test_to_major() -> None:
    assert to_major(500, "usd") == "5.00"
    assert to_major(500, "jpy") == "500"
    assert to_major(1, "kwd") == "0.001"
    assert to_major(100000, "jpy") == "100,000"


def test_describe_smallest_unit() -> None:
    assert describe_smallest_unit(500, "usd") == "= 500 in the smallest unit (1/100 USD)"
    assert describe_smallest_unit(1234, "kwd") == "= 1234 in the smallest unit (1/1000 KWD)"
    assert describe_smallest_unit(500, "jpy") == "= 500 JPY (no minor unit)"


def test_misplaced_separator_message_says_what_to_type() -> None:
    message = _refused("12,50", "eur")
    assert "'12,50'" in message
    assert "misplaced thousands separator" in message
    assert "dot" in message
