"""Dashboard URLs: ids and pasted URLs of every kind, the URLs built for each mode, and refusals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.dashboard import (
    KINDS,
    MAX_INPUT,
    SHOWN_CHARS,
    GotoError,
    dashboard_url,
    kind_of,
    parse,
)

# What the Dashboard shows at each path (see the report of issue 14 for the sources).
PAGES = {
    "cus_NffrFeUfNV2Hib": "customers",
    "prod_NWjs8kKbJWmuuc": "products",
    "price_1MoBy5LkdIwHu7ixZhnattbh": "prices",
    "plink_1MoC3ULkdIwHu7ixZjtGpVl2": "payment-links",
    "pi_3MtwBwLkdIwHu7ix28a3tqPa": "payments",
    "ch_3MmlLrLkdIwHu7ix0snN0B15": "payments",
    "re_1Nispe2eZvKYlo2Cd31jOCgZ": "refunds",
    "pm_1Q0PsIJvEtkwdCNYMSaVuRz6": "payment_methods",
    "evt_1NG8Du2eZvKYlo2CUI79vXWy": "events",
}


def test_every_kind_has_a_page() -> None:
    assert {kind.prefix for kind in KINDS} == {i[: i.index("_") + 1] for i in PAGES}


@pytest.mark.parametrize(("ident", "path"), PAGES.items())
def test_an_id_names_its_kind(ident: str, path: str) -> None:
    target = parse(f"  {ident}\n")
    assert (target.kind.path, target.id, target.test) == (path, ident, None)


@pytest.mark.parametrize(("ident", "path"), PAGES.items())
def test_urls_of_every_kind_in_both_modes(ident: str, path: str) -> None:
    test_url = f"https://dashboard.stripe.com/test/{path}/{ident}"
    live_url = f"https://dashboard.stripe.com/{path}/{ident}"
    assert dashboard_url(ident, live=False) == test_url
    assert dashboard_url(ident, live=True) == live_url
    assert (parse(test_url).id, parse(test_url).test) == (ident, True)
    assert (parse(live_url).id, parse(live_url).test) == (ident, False)


@pytest.mark.parametrize(
    "url",
    [
        "https://dashboard.stripe.com/acct_1Nv0FGQ9RKHgCVdK/test/customers/cus_NffrFeUfNV2Hib",
        "https://dashboard.stripe.com/test/customers/cus_NffrFeUfNV2Hib?tab=payments#events",
        "https://DASHBOARD.stripe.com/test/customers/cus_NffrFeUfNV2Hib/",
        "dashboard.stripe.com/test/customers/cus_NffrFeUfNV2Hib",
        "https://dashboard.stripe.com/test/customers/cus_NffrFeUfNV2Hib/edit",
    ],
)
def test_account_query_fragment_and_extra_segments_are_read_past(url: str) -> None:
    target = parse(url)
    assert (target.kind.name, target.id, target.test) == ("customer", "cus_NffrFeUfNV2Hib", True)


def test_the_paths_the_dashboard_also_uses_are_read() -> None:
    assert parse("https://dashboard.stripe.com/test/charges/ch_1").kind.name == "charge"
    assert parse("https://dashboard.stripe.com/payment_links/plink_1").kind.name == "payment link"


def test_a_connected_account_url() -> None:
    url = dashboard_url("evt_123", live=False, account="acct_123")
    assert url == "https://dashboard.stripe.com/acct_123/test/events/evt_123"


def test_the_test_card_shortcuts_are_payment_methods() -> None:
    assert kind_of("pm_card_visa").name == "payment method"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Type an id"),
        ("   ", "Type an id"),
        ("in_1MtHbELkdIwHu7ixl4OzzPMv", "not in_"),
        ("javascript:alert(1)", "Not a Stripe Dashboard URL: 'javascript:alert(1)'"),
        ("JavaScript://dashboard.stripe.com/%0aalert(1)", "Not a Stripe Dashboard URL"),
        ("http://dashboard.stripe.com/test/customers/cus_1", "Not a Stripe Dashboard URL"),
        ("https://evil.example/test/customers/cus_1", "Not a Stripe Dashboard URL"),
        ("https://dashboard.stripe.com.evil.example/customers/cus_1", "Not a Stripe Dashboard"),
        ("https://dashboard.stripe.com@evil.example/customers/cus_1", "Not a Stripe Dashboard"),
        ("https://dashboard.stripe.com:8443/customers/cus_1", "Not a Stripe Dashboard URL"),
        ("https://dashboard.stripe.com/test/customers", "not the page of one object"),
        ("https://dashboard.stripe.com/test/customers/pi_1", "a payment intent's page is"),
        ("https://dashboard.stripe.com/test/customers/cus_%3Cb%3E", "Not a Stripe id"),
        ("[b]cus_1[/b]", "Not a Stripe Dashboard URL: '[b]cus_1[/b]'"),
        ("[red]cus_1", "Not a Stripe id: '[red]cus_1'"),
        ("cus_1\x1b[31m", r"Not a Stripe id: 'cus_1\x1b[31m'"),
        ("cus_1\u202e", r"Not a Stripe id: 'cus_1\u202e'"),
        ("https://dashboard.stripe.com/test/customers/cus_1\x00", "Not a Stripe Dashboard URL"),
        ("cus_" + "a" * 300, "Not a Stripe id"),
    ],
)
def test_refusals_say_why(text: str, says: str) -> None:
    with pytest.raises(GotoError) as raised:
        parse(text)
    assert says in str(raised.value)


def test_huge_input_is_refused_before_it_is_read() -> None:
    with pytest.raises(GotoError, match="Too long \\(1,000,001 characters\\)"):
        parse("cus_" + "a" * 999_997)
    with pytest.raises(GotoError) as raised:
        parse("https://dashboard.stripe.com/" + "x/" * (MAX_INPUT // 3))
    assert len(str(raised.value)) < SHOWN_CHARS + 200  # quoted, not echoed whole


def test_no_dashboard_url_for_other_kinds_or_bad_accounts() -> None:
    with pytest.raises(GotoError):
        dashboard_url("req_123", live=False)
    with pytest.raises(GotoError):
        dashboard_url("cus_1", live=False, account="../evil")


_KIND = st.sampled_from(KINDS)
_SUFFIX = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_",
    min_size=1,
    max_size=40,
)
_ACCOUNT = st.none() | st.text(alphabet="abcdefXYZ0123456789", min_size=1, max_size=20).map(
    lambda s: f"acct_{s}"
)


@given(kind=_KIND, suffix=_SUFFIX, live=st.booleans(), account=_ACCOUNT)
def test_build_then_parse_round_trips(
    kind: object, suffix: str, live: bool, account: str | None
) -> None:
    from tui.dashboard import Kind

    assert isinstance(kind, Kind)
    ident = kind.prefix + suffix
    target = parse(dashboard_url(ident, live=live, account=account))
    assert (target.kind, target.id, target.test) == (kind, ident, not live)
    assert parse(ident).kind == kind


@given(st.text(max_size=300))
def test_anything_typed_is_a_target_or_a_refusal(text: str) -> None:
    try:
        target = parse(text)
    except GotoError as error:
        message = str(error)
        assert all(ch.isprintable() or ch == "\n" for ch in message)
        return
    assert target.id.isascii() and target.id.replace("_", "").isalnum()
