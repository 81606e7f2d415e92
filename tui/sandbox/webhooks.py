"""Webhook options and signatures, as `stripe listen --forward-to` gives them (no aiohttp here).

`WebhookConfig` is what the sandbox forwards, where, and how it retries; `forward.py` delivers.
A delivery is signed as Stripe signs one: the header `Stripe-Signature: t=<unix>,v1=<hex>` where
the hex is HMAC-SHA256 of `f"{t}.{body}"` keyed with the whole signing secret (`whsec_...`), so
that `stripe.Webhook.construct_event(body, header, secret)` accepts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = [
    "SECRET_PREFIX",
    "WebhookConfig",
    "WebhookOptionError",
    "check_secret",
    "event_filter",
    "forward_url",
    "new_secret",
    "parse_events",
    "sign",
]

SECRET_PREFIX = "whsec_"
RETRY_DELAYS = (0.5, 1.0, 2.0)
"""Seconds before each retry of a failed delivery (so at most four attempts)."""
TIMEOUT = 10.0
"""Seconds a receiver has to answer one delivery."""


class WebhookOptionError(ValueError):
    """A `--forward-to`, `--webhook-secret` or `--events` that cannot be used; str() says why."""


@dataclass(frozen=True)
class WebhookConfig:
    """Forward events to `url`, signed with `secret`."""

    url: str
    secret: str
    events: tuple[str, ...] = ()
    """Event types to forward (`*` is any characters); empty: every event."""
    retry_delays: tuple[float, ...] = RETRY_DELAYS
    timeout: float = TIMEOUT

    def __repr__(self) -> str:  # the secret is not for logs
        return f"WebhookConfig(url={self.url!r}, events={self.events!r})"


def new_secret() -> str:
    """A fresh signing secret: `whsec_` and 64 hex digits, as the Stripe CLI makes them."""
    import secrets  # here and below: OpenSSL is not loaded before the console's first paint

    return SECRET_PREFIX + secrets.token_hex(32)


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """The `Stripe-Signature` header for `payload` sent at `timestamp` (unix seconds)."""
    import hashlib
    import hmac

    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def forward_url(text: str) -> str:
    """`--forward-to`'s URL: `localhost:4242/hook` is `http://localhost:4242/hook`, as
    `stripe listen` reads it."""
    url = text.strip()
    bare = "://" not in url
    if bare:
        url = "http://" + url
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (a port that is not a number raises here)
    except ValueError:
        raise WebhookOptionError(f"--forward-to {text!r} is not a URL") from None
    # Without a scheme, `mailto:x@host` would read as a user and password at host.
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or (bare and "@" in parts.netloc)
    ):
        raise WebhookOptionError(
            f"--forward-to {text!r}: expected an http:// or https:// URL with a host"
        )
    return url


def check_secret(secret: str) -> str:
    """Refuse a `--webhook-secret` that is not one (the secret is never repeated)."""
    if (
        not secret.startswith(SECRET_PREFIX)
        or len(secret) <= len(SECRET_PREFIX)
        or not (secret.isascii() and secret.isprintable())
        or any(ch.isspace() for ch in secret)
    ):
        raise WebhookOptionError(
            "--webhook-secret must be a signing secret: whsec_ then printable characters"
        )
    return secret


_EVENT_TYPE = re.compile(r"[a-z0-9_.*]+")


def parse_events(text: str) -> tuple[str, ...]:
    """`--events customer.created,payment_intent.*` -> the types; `*` alone is every event."""
    types = tuple(part.strip() for part in text.split(",") if part.strip())
    if not types:
        raise WebhookOptionError("--events needs at least one event type, e.g. customer.created")
    for kind in types:
        if not _EVENT_TYPE.fullmatch(kind):
            raise WebhookOptionError(
                f"--events: {kind!r} is not an event type (e.g. customer.created, payment_intent.*)"
            )
    return () if "*" in types else types


def event_filter(types: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern that matches the wanted types in full; None: every type."""
    if not types:
        return None
    alternatives = (".*".join(re.escape(part) for part in kind.split("*")) for kind in types)
    return re.compile("|".join(f"(?:{alt})" for alt in alternatives))
