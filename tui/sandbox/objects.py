"""Ids, currencies and object shapes modelled on Stripe's (test cards: ``cards.py``)."""

from __future__ import annotations

import os
import random
import string
import time
from typing import Any

_ALNUM = string.ascii_letters + string.digits
_rng = random.Random(os.urandom(16))


def rand(n: int = 24, alphabet: str = _ALNUM) -> str:
    return "".join(_rng.choices(alphabet, k=n))


def new_id(prefix: str) -> str:
    return f"{prefix}_{rand()}"


def now() -> int:
    return int(time.time())


ZERO_DECIMAL = frozenset(
    [
        "bif",
        "clp",
        "djf",
        "gnf",
        "jpy",
        "kmf",
        "krw",
        "mga",
        "pyg",
        "rwf",
        "ugx",
        "vnd",
        "vuv",
        "xaf",
        "xof",
        "xpf",
    ]
)

CURRENCIES = frozenset(
    [
        "usd",
        "aed",
        "afn",
        "all",
        "amd",
        "ang",
        "aoa",
        "ars",
        "aud",
        "awg",
        "azn",
        "bam",
        "bbd",
        "bdt",
        "bgn",
        "bhd",
        "bif",
        "bmd",
        "bnd",
        "bob",
        "brl",
        "bsd",
        "bwp",
        "byn",
        "bzd",
        "cad",
        "cdf",
        "chf",
        "clp",
        "cny",
        "cop",
        "crc",
        "cve",
        "czk",
        "djf",
        "dkk",
        "dop",
        "dzd",
        "egp",
        "etb",
        "eur",
        "fjd",
        "fkp",
        "gbp",
        "gel",
        "gip",
        "gmd",
        "gnf",
        "gtq",
        "gyd",
        "hkd",
        "hnl",
        "htg",
        "huf",
        "idr",
        "ils",
        "inr",
        "isk",
        "jmd",
        "jod",
        "jpy",
        "kes",
        "kgs",
        "khr",
        "kmf",
        "krw",
        "kwd",
        "kyd",
        "kzt",
        "lak",
        "lbp",
        "lkr",
        "lrd",
        "lsl",
        "mad",
        "mdl",
        "mga",
        "mkd",
        "mmk",
        "mnt",
        "mop",
        "mur",
        "mvr",
        "mwk",
        "mxn",
        "myr",
        "mzn",
        "nad",
        "ngn",
        "nio",
        "nok",
        "npr",
        "nzd",
        "omr",
        "pab",
        "pen",
        "pgk",
        "php",
        "pkr",
        "pln",
        "pyg",
        "qar",
        "ron",
        "rsd",
        "rub",
        "rwf",
        "sar",
        "sbd",
        "scr",
        "sek",
        "sgd",
        "shp",
        "sle",
        "sos",
        "srd",
        "std",
        "szl",
        "thb",
        "tjs",
        "tnd",
        "top",
        "try",
        "ttd",
        "twd",
        "tzs",
        "uah",
        "ugx",
        "uyu",
        "uzs",
        "vnd",
        "vuv",
        "wst",
        "xaf",
        "xcd",
        "xof",
        "xpf",
        "yer",
        "zar",
        "zmw",
    ]
)

# Minimum charge amounts in the smallest unit (Stripe's docs); 50 when not listed.
MINIMUMS = {
    "gbp": 30, "hkd": 400, "jpy": 50, "mxn": 1000, "nok": 300, "sek": 300, "dkk": 250,
    "czk": 1500, "huf": 17500, "thb": 1000, "aed": 200, "myr": 200, "pln": 200, "ron": 200,
    "bgn": 100,
}  # fmt: skip

MAXIMUM = 99_999_999

THREE_DECIMAL = frozenset(["bhd", "jod", "kwd", "omr", "tnd"])

_SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "jpy": "¥", "cad": "$", "aud": "$", "nzd": "$"}


def format_amount(amount: int, currency: str, *, suffix: bool = False) -> str:
    """``1050, "usd"`` -> ``"$10.50"`` (``"$10.50 usd"`` with ``suffix``)."""
    symbol = _SYMBOLS.get(currency, "")
    if currency in ZERO_DECIMAL:
        text = f"{symbol}{amount:,}"
    elif currency in THREE_DECIMAL:
        text = f"{symbol}{amount // 1000:,}.{amount % 1000:03d}"
    else:
        text = f"{symbol}{amount // 100:,}.{amount % 100:02d}"
    return f"{text} {currency}" if suffix or not symbol else text


def address(src: dict[str, Any] | None) -> dict[str, Any] | None:
    if src is None:
        return None
    keys = ("city", "country", "line1", "line2", "postal_code", "state")
    return {k: src.get(k) for k in keys}


def public(obj: dict[str, Any]) -> dict[str, Any]:
    """The object without the sandbox's private bookkeeping keys."""
    if any(k.startswith("sandbox_") for k in obj):
        return {k: v for k, v in obj.items() if not k.startswith("sandbox_")}
    return obj
