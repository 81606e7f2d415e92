"""Stripe Dashboard URLs: which object an id or a pasted Dashboard URL names, and the other way.

A Dashboard page of one object is `https://dashboard.stripe.com[/acct_...][/test]/<path>/<id>`:
the account segment when viewing a connected account, `/test` in test mode. Charges show under
`payments`, as payment intents do. Anything else (another host or scheme, markup, control
characters, an id of a kind the console does not open) is refused with a message that says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

DASHBOARD_HOST = "dashboard.stripe.com"
DASHBOARD = f"https://{DASHBOARD_HOST}"
MAX_INPUT = 2000
"""Longer than any Dashboard URL of one object: anything longer is refused before parsing."""
SHOWN_CHARS = 60
"""How much of refused input a message quotes."""

_ID_RE = re.compile(r"[a-z]+_[A-Za-z0-9_]{1,250}")
_ACCOUNT_RE = re.compile(r"acct_[A-Za-z0-9]{1,250}")


@dataclass(frozen=True)
class Kind:
    """A kind of object the console opens: its id prefix and its Dashboard path."""

    prefix: str
    name: str
    path: str
    aliases: tuple[str, ...] = ()
    """Other Dashboard paths that show it (read, never written)."""


KINDS: tuple[Kind, ...] = (
    Kind("cus_", "customer", "customers"),
    Kind("prod_", "product", "products"),
    Kind("price_", "price", "prices"),
    Kind("plink_", "payment link", "payment-links", ("payment_links",)),
    Kind("pi_", "payment intent", "payments", ("payment_intents",)),
    Kind("ch_", "charge", "payments", ("charges",)),
    Kind("re_", "refund", "refunds"),
    Kind("pm_", "payment method", "payment_methods", ("payment-methods",)),
    Kind("evt_", "event", "events"),
)
BY_PREFIX = {kind.prefix: kind for kind in KINDS}
PREFIXES = ", ".join(kind.prefix for kind in KINDS)


class GotoError(ValueError):
    """Input that names no object the console can open; str() says why, for the operator."""


@dataclass(frozen=True)
class Target:
    """One object to open: its kind and id, and what a pasted URL said about the mode."""

    kind: Kind
    id: str
    test: bool | None = None
    """True for a test-mode URL, False for a live one, None for a bare id."""


def quoted(text: str) -> str:
    """Refused input as a message shows it: its start, as Python writes it (escapes visible)."""
    shown = text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"
    return repr(shown)


def kind_of(object_id: str) -> Kind:
    """The kind an id names, by its prefix (`cus_` -> customer)."""
    if not _ID_RE.fullmatch(object_id):
        raise GotoError(f"Not a Stripe id: {quoted(object_id)}.")
    prefix = object_id[: object_id.index("_") + 1]
    kind = BY_PREFIX.get(prefix)
    if kind is None:
        raise GotoError(f"The console opens {PREFIXES} ids, not {prefix}: {quoted(object_id)}.")
    return kind


def parse(text: str) -> Target:
    """What an id or a Dashboard URL names; raise GotoError with the operator's message."""
    if len(text) > MAX_INPUT:
        raise GotoError(
            f"Too long ({len(text):,} characters): an id or a Dashboard URL is at most "
            f"{MAX_INPUT:,}."
        )
    text = text.strip()
    if not text:
        raise GotoError("Type an id (cus_..., pi_...) or paste a Stripe Dashboard URL.")
    if "/" not in text and ":" not in text:
        kind = kind_of(text)
        return Target(kind, text)
    return _parse_url(text)


def _parse_url(text: str) -> Target:
    if text.lower().startswith(DASHBOARD_HOST + "/"):
        text = "https://" + text  # pasted without its scheme
    not_dashboard = GotoError(
        f"Not a Stripe Dashboard URL: {quoted(text)}. Paste one that starts with {DASHBOARD}/, "
        "or type the id."
    )
    if any(ch.isspace() or not ch.isprintable() for ch in text):
        raise not_dashboard
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise not_dashboard from None
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() != "https" or host != DASHBOARD_HOST or parts.username or port:
        raise not_dashboard
    segments = [segment for segment in parts.path.split("/") if segment]
    if segments and _ACCOUNT_RE.fullmatch(segments[0]):
        segments = segments[1:]
    test = bool(segments) and segments[0] == "test"
    if test:
        segments = segments[1:]
    if len(segments) < 2:
        raise GotoError(f"That Dashboard URL is not the page of one object: {quoted(text)}.")
    path, object_id = segments[0], segments[1]
    kind = kind_of(object_id)
    if path not in (kind.path, *kind.aliases):
        raise GotoError(
            f"That Dashboard URL shows {object_id} under /{path}: a {kind.name}'s page is "
            f"/{kind.path}/{object_id}."
        )
    return Target(kind, object_id, test)


def dashboard_url(object_id: str, *, live: bool, account: str | None = None) -> str:
    """The Dashboard page of an object: the test-mode path unless `live`."""
    kind = kind_of(object_id)
    base = DASHBOARD
    if account:
        if not _ACCOUNT_RE.fullmatch(account):
            raise GotoError(f"Not an account id: {quoted(account)}.")
        base += f"/{account}"
    if not live:
        base += "/test"
    return f"{base}/{kind.path}/{object_id}"
