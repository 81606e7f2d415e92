"""Currency exponents, and amounts between what an operator types and Stripe's smallest units.

Everything here is `Decimal` and `int`: a float never touches money.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Word lists read better than 150 quoted literals, hence the SIM905 exemptions.
ZERO_DECIMAL = frozenset(
    "bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split()  # noqa: SIM905
)
THREE_DECIMAL = frozenset("bhd jod kwd omr tnd".split())  # noqa: SIM905

# ISO 4217 codes that Stripe settles or presents (its "supported currencies" page).
KNOWN_CURRENCIES = frozenset(
    """
    usd aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bhd bif bmd bnd bob brl bsd bwp
    byn bzd cad cdf chf clp cny cop crc cve czk djf dkk dop dzd egp etb eur fjd fkp gbp gel gip
    gmd gnf gtq gyd hkd hnl htg huf idr ils inr isk jmd jod jpy kes kgs khr kmf krw kwd kyd kzt
    lak lbp lkr lrd lsl mad mdl mga mkd mmk mnt mop mur mvr mwk mxn myr mzn nad ngn nio nok npr
    nzd omr pab pen pgk php pkr pln pyg qar ron rsd rub rwf sar sbd scr sek sgd shp sle sos srd
    std szl thb tjs tnd top try ttd twd tzs uah ugx uyu uzs vnd vuv wst xaf xcd xof xpf yer zar
    zmw
    """.split()  # noqa: SIM905
)

# The currencies offered first in a picker; any other known code may be typed.
COMMON_CURRENCIES = ("usd", "eur", "gbp", "cad", "aud", "jpy", "chf", "sek", "kwd")

# Stripe refuses amounts of eight digits and more in the smallest unit (99,999,999 is the cap).
MAX_AMOUNT = 99_999_999

_SEPARATORS = re.compile(r"[,_ ]")


class MoneyError(ValueError):
    """A typed amount or currency that cannot be used; str() is a message for the operator."""


def normalize_currency(code: str) -> str:
    """Return the lower-case ISO code, or raise MoneyError naming what is wrong."""
    cleaned = code.strip().lower()
    if not cleaned:
        raise MoneyError("A currency is required.")
    if len(cleaned) != 3 or not cleaned.isalpha():
        raise MoneyError(f"'{code.strip()}' is not a three-letter ISO currency code.")
    if cleaned not in KNOWN_CURRENCIES:
        raise MoneyError(f"'{cleaned.upper()}' is not a currency Stripe supports.")
    return cleaned


def exponent(currency: str) -> int:
    """How many decimals the currency has in major units (JPY 0, USD 2, KWD 3)."""
    code = normalize_currency(currency)
    if code in ZERO_DECIMAL:
        return 0
    if code in THREE_DECIMAL:
        return 3
    return 2


def parse_amount(text: str, currency: str, *, allow_zero: bool = False) -> int:
    """Parse an amount typed in major units ("5.00" USD) to Stripe's smallest unit (500).

    Thousands separators (",", "_", spaces) between groups of three digits are accepted; a
    misplaced separator ("12,50"), a sign, an exponent, more decimals
    than the currency has, zero (unless allowed) or more than Stripe accepts is a MoneyError.
    """
    digits = exponent(currency)
    raw = text.strip()
    if not raw:
        raise MoneyError("An amount is required.")
    cleaned = raw.replace(",", "").replace("_", "").replace(" ", "")
    if cleaned.startswith("-"):
        raise MoneyError("The amount cannot be negative.")
    if not all(ch.isdigit() or ch == "." for ch in cleaned) or cleaned.count(".") > 1:
        raise MoneyError(f"'{raw}' is not an amount (type it like 12.50).")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise MoneyError(f"'{raw}' is not an amount (type it like 12.50).") from None
    if cleaned == "." or not value.is_finite():
        raise MoneyError(f"'{raw}' is not an amount (type it like 12.50).")
    _check_separators(raw)
    _, _, decimals = cleaned.partition(".")
    if len(decimals.rstrip("0")) > digits:
        code = currency.strip().upper()
        if digits == 0:
            raise MoneyError(f"{code} has no decimals: type a whole number.")
        raise MoneyError(f"{code} has {digits} decimals at most.")
    smallest = int(value.scaleb(digits))
    if smallest == 0 and not allow_zero:
        raise MoneyError("The amount must be greater than zero.")
    if smallest > MAX_AMOUNT:
        raise MoneyError(f"The amount is too large: at most {format_amount(MAX_AMOUNT, currency)}.")
    return smallest


def _check_separators(raw: str) -> None:
    """Thousands separators only between groups of three digits, and none after the point.

    "12,50" typed the European way would otherwise silently become 1,250.00.
    """
    whole, _, decimals = raw.partition(".")
    groups = _SEPARATORS.split(whole)
    misplaced = _SEPARATORS.search(decimals) is not None or (
        len(groups) > 1
        and (not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:]))
    )
    if misplaced:
        raise MoneyError(
            f"'{raw}' has a misplaced thousands separator "
            "(separate thousands by three digits; type decimals with a dot, like 1,234.50)."
        )


def to_major(amount: int, currency: str) -> str:
    """The smallest-unit amount in major units, with the currency's decimals: 500 usd -> '5.00'."""
    digits = exponent(currency)
    value = Decimal(amount).scaleb(-digits)
    return f"{value:,.{digits}f}"


def format_amount(amount: int, currency: str) -> str:
    """A display form: 500 usd -> '5.00 USD', 500 jpy -> '500 JPY'."""
    return f"{to_major(amount, currency)} {normalize_currency(currency).upper()}"


def describe_smallest_unit(amount: int, currency: str) -> str:
    """What is sent to Stripe, for a live hint under an amount field."""
    digits = exponent(currency)
    if digits == 0:
        return f"= {amount} {currency.upper()} (no minor unit)"
    return f"= {amount} in the smallest unit (1/{10**digits} {currency.upper()})"
