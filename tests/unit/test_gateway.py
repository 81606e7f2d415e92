"""The gateway against the real sandbox over HTTP, through the official SDK: no mocks."""

from __future__ import annotations

import copy
import json
import pickle
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tui.gateway import (
    ErrorKind,
    Gateway,
    GatewayError,
    Page,
    customer_search_query,
    new_idempotency_key,
    redact,
)
from tui.settings import SecretKey

KEY = "sk_test_gateway_unit_tests_1234"


@pytest.fixture
def gateway(sandbox: Any) -> Gateway:
    return Gateway(SecretKey(KEY), sandbox.url, max_network_retries=0)


def _base(sandbox: Any) -> str:
    return str(sandbox.url).rstrip("/")


def add_fault(sandbox: Any, **fault: Any) -> None:
    """Arm the sandbox's fault switch, as an operator's script would."""
    request = urllib.request.Request(
        f"{_base(sandbox)}/_sandbox/faults",
        data=json.dumps(fault).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert 200 <= response.status < 300


def _error(fn: Any, *args: Any, **kwargs: Any) -> GatewayError:
    with pytest.raises(GatewayError) as info:
        fn(*args, **kwargs)
    return info.value


def _customer(gateway: Gateway, email: str, name: str | None = None) -> dict[str, Any]:
    return gateway.create_customer({"email": email, "name": name}, new_idempotency_key())


def _product(gateway: Gateway, name: str = "T-shirt") -> dict[str, Any]:
    return gateway.create_product({"name": name, "description": None}, new_idempotency_key())


def _price(gateway: Gateway, product: str, amount: int = 2000, **kw: Any) -> dict[str, Any]:
    return gateway.create_price(
        product_id=product,
        unit_amount=amount,
        currency="usd",
        idempotency_key=new_idempotency_key(),
        **kw,
    )


def _intent(gateway: Gateway, amount: int = 1000, **kw: Any) -> dict[str, Any]:
    return gateway.create_payment_intent(
        amount=amount, currency="usd", idempotency_key=new_idempotency_key(), **kw
    )


def _pages(fetch: Any, limit: int) -> Iterator[Page]:
    cursor: str | None = None
    while True:
        page = fetch(limit=limit, cursor=cursor)
        yield page
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


# Pure helpers --------------------------------------------------------------------------------


def test_idempotency_keys_are_unique_and_recognisable() -> None:
    keys = {new_idempotency_key() for _ in range(100)}
    assert len(keys) == 100
    assert all(key.startswith("stripe-tui-") for key in keys)


def test_customer_search_query_matches_name_or_email() -> None:
    assert customer_search_query(" ali ") == 'name~"ali" OR email~"ali"'


def test_customer_search_query_escapes_quotes_and_backslashes() -> None:
    assert customer_search_query('a"b\\c') == r'name~"a\"b\\c" OR email~"a\"b\\c"'


def test_gateway_repr_does_not_show_the_key() -> None:
    gateway = Gateway(SecretKey(KEY), "http://127.0.0.1:1")
    assert KEY not in repr(gateway)
    assert "sk_test_...1234" in repr(gateway)


def test_gateway_error_detail_names_codes_and_request() -> None:
    error = GatewayError(
        ErrorKind.CARD_DECLINED,
        "Your card was declined.",
        code="card_declined",
        decline_code="insufficient_funds",
        request_id="req_123",
    )
    assert str(error) == "Your card was declined."
    assert error.detail == (
        "Your card was declined. (card_declined, insufficient_funds)\nRequest req_123"
    )
    same = GatewayError(
        ErrorKind.CARD_DECLINED, "x", code="card_declined", decline_code="card_declined"
    )
    assert same.detail == "x (card_declined)"


# Customers -----------------------------------------------------------------------------------


def test_create_customer_leaves_out_empty_fields(gateway: Gateway) -> None:
    customer = gateway.create_customer(
        {"email": "ada@example.com", "name": "Ada Lovelace", "description": "", "phone": None},
        new_idempotency_key(),
    )
    assert customer["id"].startswith("cus_")
    assert customer["object"] == "customer"
    assert customer["email"] == "ada@example.com"
    assert customer["name"] == "Ada Lovelace"
    assert customer["description"] is None
    assert customer["phone"] is None
    assert customer["livemode"] is False


def test_create_customer_with_all_fields(gateway: Gateway) -> None:
    customer = gateway.create_customer(
        {
            "email": "grace@example.com",
            "name": "Grace Hopper",
            "description": "Admiral",
            "phone": "+15555550100",
        },
        new_idempotency_key(),
    )
    assert (customer["description"], customer["phone"]) == ("Admiral", "+15555550100")


def test_retrieve_customer(gateway: Gateway) -> None:
    created = _customer(gateway, "ada@example.com", "Ada")
    found = gateway.retrieve_customer(f"  {created['id']} ")
    assert found["id"] == created["id"]
    assert found["email"] == "ada@example.com"
    assert found == created


def test_retrieve_customer_with_no_id_is_refused_not_listed(gateway: Gateway) -> None:
    """An empty id would GET /v1/customers/, which is the list: the gateway must refuse it."""
    error = _error(gateway.retrieve_customer, "   ")
    assert error.kind is ErrorKind.INVALID_REQUEST
    assert "id" in error.message.lower()


def test_list_customers_newest_first(gateway: Gateway) -> None:
    ids = [_customer(gateway, f"c{i}@example.com")["id"] for i in range(3)]
    page = gateway.list_customers()
    assert [c["id"] for c in page.items] == ids[::-1]
    assert page.next_cursor is None


def test_list_customers_pages_through_next_cursor(gateway: Gateway) -> None:
    ids = [_customer(gateway, f"p{i}@example.com")["id"] for i in range(5)]
    pages = list(_pages(gateway.list_customers, limit=2))
    assert [len(p.items) for p in pages] == [2, 2, 1]
    assert [c["id"] for p in pages for c in p.items] == ids[::-1]
    assert pages[0].next_cursor == pages[0].items[-1]["id"]
    assert pages[-1].next_cursor is None


def test_list_customers_exactly_one_full_page_has_no_next(gateway: Gateway) -> None:
    for i in range(2):
        _customer(gateway, f"e{i}@example.com")
    page = gateway.list_customers(limit=2)
    assert len(page.items) == 2
    assert page.next_cursor is None


def test_list_customers_email_filter(gateway: Gateway) -> None:
    wanted = _customer(gateway, "bob@example.com", "Bob")
    _customer(gateway, "alice@example.com", "Alice")
    _customer(gateway, "bobby@example.com", "Bobby")
    page = gateway.list_customers(email="bob@example.com")
    assert [c["id"] for c in page.items] == [wanted["id"]]
    assert gateway.list_customers(email="nobody@example.com").items == []


def test_list_customers_empty_email_is_no_filter(gateway: Gateway) -> None:
    _customer(gateway, "a@example.com")
    _customer(gateway, "b@example.com")
    assert len(gateway.list_customers(email="").items) == 2


def test_search_customers_by_name_or_email(gateway: Gateway) -> None:
    alice = _customer(gateway, "alice@example.com", "Alice Smith")
    bob = _customer(gateway, "bob@alimony.example", "Bob Jones")
    _customer(gateway, "carol@example.com", "Carol White")
    page = gateway.search_customers(customer_search_query("ali"))
    assert {c["id"] for c in page.items} == {alice["id"], bob["id"]}
    assert page.next_cursor is None
    assert gateway.search_customers(customer_search_query("zzz")).items == []


def test_search_customers_exact_email(gateway: Gateway) -> None:
    alice = _customer(gateway, "alice@example.com", "Alice")
    _customer(gateway, "alice2@example.com", "Alice Two")
    page = gateway.search_customers('email:"alice@example.com"')
    assert [c["id"] for c in page.items] == [alice["id"]]


def test_search_customers_pages_through_next_cursor(gateway: Gateway) -> None:
    ids = {_customer(gateway, f"pat{i}@example.com", f"Pat {i}")["id"] for i in range(5)}
    _customer(gateway, "someone@example.com", "Someone Else")
    query = customer_search_query("pat")

    def fetch(limit: int, cursor: str | None) -> Page:
        return gateway.search_customers(query, limit=limit, cursor=cursor)

    pages = list(_pages(fetch, limit=2))
    assert [len(p.items) for p in pages] == [2, 2, 1]
    found = [c["id"] for p in pages for c in p.items]
    assert len(found) == 5
    assert set(found) == ids


def test_search_with_quotes_in_the_text(gateway: Gateway) -> None:
    bob = _customer(gateway, "bob@example.com", 'Bob "The Builder"')
    _customer(gateway, "other@example.com", "Bob Other")
    page = gateway.search_customers(customer_search_query('"The Builder'))
    assert [c["id"] for c in page.items] == [bob["id"]]


# Catalog -------------------------------------------------------------------------------------


def test_create_product(gateway: Gateway) -> None:
    product = gateway.create_product(
        {"name": "T-shirt", "description": "Cotton, blue"}, new_idempotency_key()
    )
    assert product["id"].startswith("prod_")
    assert product["object"] == "product"
    assert product["name"] == "T-shirt"
    assert product["description"] == "Cotton, blue"
    assert product["active"] is True
    assert gateway.retrieve_product(product["id"])["name"] == "T-shirt"


def test_list_products_pages(gateway: Gateway) -> None:
    ids = [_product(gateway, f"Product {i}")["id"] for i in range(3)]
    pages = list(_pages(gateway.list_products, limit=2))
    assert [p["id"] for page in pages for p in page.items] == ids[::-1]
    assert len(pages) == 2


def test_create_one_time_price(gateway: Gateway) -> None:
    product = _product(gateway)
    price = gateway.create_price(
        product_id=f" {product['id']} ",
        unit_amount=1999,
        currency="USD",
        idempotency_key=new_idempotency_key(),
    )
    assert price["id"].startswith("price_")
    assert price["object"] == "price"
    assert price["product"] == product["id"]
    assert price["unit_amount"] == 1999
    assert price["currency"] == "usd"
    assert price["type"] == "one_time"
    assert price["recurring"] is None
    assert gateway.retrieve_price(price["id"])["unit_amount"] == 1999


def test_create_recurring_price(gateway: Gateway) -> None:
    product = _product(gateway)
    price = _price(gateway, product["id"], 500, interval="month", interval_count=3)
    assert price["type"] == "recurring"
    assert price["recurring"]["interval"] == "month"
    assert price["recurring"]["interval_count"] == 3


def test_create_recurring_price_default_interval_count(gateway: Gateway) -> None:
    product = _product(gateway)
    price = _price(gateway, product["id"], 500, interval="year")
    assert price["recurring"]["interval"] == "year"
    assert price["recurring"]["interval_count"] == 1


def test_create_zero_decimal_price(gateway: Gateway) -> None:
    product = _product(gateway)
    price = gateway.create_price(
        product_id=product["id"],
        unit_amount=500,
        currency="jpy",
        idempotency_key=new_idempotency_key(),
    )
    assert (price["unit_amount"], price["currency"]) == (500, "jpy")


def test_list_prices_of_one_product(gateway: Gateway) -> None:
    shirt, mug = _product(gateway, "Shirt"), _product(gateway, "Mug")
    shirt_prices = [_price(gateway, shirt["id"], amount)["id"] for amount in (100, 200)]
    _price(gateway, mug["id"], 300)
    page = gateway.list_prices(product=shirt["id"])
    assert [p["id"] for p in page.items] == shirt_prices[::-1]
    assert len(gateway.list_prices().items) == 3


def test_create_payment_link(gateway: Gateway) -> None:
    price = _price(gateway, _product(gateway)["id"])
    link = gateway.create_payment_link(
        price_id=price["id"], quantity=2, idempotency_key=new_idempotency_key()
    )
    assert link["id"].startswith("plink_")
    assert link["object"] == "payment_link"
    assert link["active"] is True
    assert link["url"].startswith("https://")
    items = gateway.list_payment_link_items(link["id"]).items
    assert [(i["price"]["id"], i["quantity"]) for i in items] == [(price["id"], 2)]


def test_list_payment_links(gateway: Gateway) -> None:
    price = _price(gateway, _product(gateway)["id"])
    ids = [
        gateway.create_payment_link(
            price_id=price["id"], quantity=1, idempotency_key=new_idempotency_key()
        )["id"]
        for _ in range(3)
    ]
    pages = list(_pages(gateway.list_payment_links, limit=2))
    assert [link["id"] for page in pages for link in page.items] == ids[::-1]


# Payments ------------------------------------------------------------------------------------


def test_create_payment_intent_never_needs_a_return_url(gateway: Gateway) -> None:
    customer = _customer(gateway, "payer@example.com")
    intent = gateway.create_payment_intent(
        amount=1000,
        currency="EUR",
        customer_id=customer["id"],
        description="Order 42",
        idempotency_key=new_idempotency_key(),
    )
    assert intent["id"].startswith("pi_")
    assert intent["object"] == "payment_intent"
    assert intent["amount"] == 1000
    assert intent["currency"] == "eur"
    assert intent["customer"] == customer["id"]
    assert intent["description"] == "Order 42"
    assert intent["status"] == "requires_payment_method"
    assert intent["automatic_payment_methods"] == {"enabled": True, "allow_redirects": "never"}
    assert intent["client_secret"].startswith(intent["id"] + "_secret_")


def test_create_payment_intent_without_customer(gateway: Gateway) -> None:
    intent = gateway.create_payment_intent(
        amount=500, currency="usd", customer_id="", idempotency_key=new_idempotency_key()
    )
    assert intent["customer"] is None
    assert intent["description"] is None


def test_confirm_payment_intent_with_a_test_card(gateway: Gateway) -> None:
    intent = _intent(gateway, 1000)
    confirmed = gateway.confirm_payment_intent(
        intent["id"], payment_method="pm_card_visa", idempotency_key=new_idempotency_key()
    )
    assert confirmed["id"] == intent["id"]
    assert confirmed["status"] == "succeeded"
    assert confirmed["amount_received"] == 1000
    assert confirmed["latest_charge"].startswith("ch_")
    assert confirmed["payment_method"].startswith("pm_")
    charge = gateway.retrieve_charge(confirmed["latest_charge"])
    assert charge["paid"] is True
    assert charge["amount"] == 1000
    assert charge["payment_intent"] == intent["id"]
    assert gateway.retrieve_payment_intent(intent["id"])["status"] == "succeeded"


def test_confirm_requiring_authentication_leaves_requires_action(gateway: Gateway) -> None:
    intent = _intent(gateway, 1000)
    confirmed = gateway.confirm_payment_intent(
        intent["id"],
        payment_method="pm_card_authenticationRequired",
        idempotency_key=new_idempotency_key(),
    )
    assert confirmed["status"] == "requires_action"


def test_partial_then_full_refund(gateway: Gateway) -> None:
    intent = _intent(gateway, 1000)
    gateway.confirm_payment_intent(
        intent["id"], payment_method="pm_card_visa", idempotency_key=new_idempotency_key()
    )
    partial = gateway.create_refund(
        payment_intent_id=intent["id"], amount=300, idempotency_key=new_idempotency_key()
    )
    assert partial["id"].startswith("re_")
    assert partial["object"] == "refund"
    assert partial["amount"] == 300
    assert partial["status"] == "succeeded"
    assert partial["payment_intent"] == intent["id"]
    rest = gateway.create_refund(
        payment_intent_id=intent["id"], idempotency_key=new_idempotency_key()
    )
    assert rest["amount"] == 700
    charge = gateway.retrieve_charge(partial["charge"])
    assert charge["amount_refunded"] == 1000
    assert charge["refunded"] is True
    refunds = gateway.list_refunds(payment_intent=intent["id"])
    assert [r["id"] for r in refunds.items] == [rest["id"], partial["id"]]


def test_refund_more_than_is_left_is_refused(gateway: Gateway) -> None:
    intent = _intent(gateway, 1000)
    gateway.confirm_payment_intent(
        intent["id"], payment_method="pm_card_visa", idempotency_key=new_idempotency_key()
    )
    error = _error(
        gateway.create_refund,
        payment_intent_id=intent["id"],
        amount=1001,
        idempotency_key=new_idempotency_key(),
    )
    assert error.kind is ErrorKind.INVALID_REQUEST
    assert error.param == "amount"
    assert error.http_status == 400


def test_refund_twice_is_charge_already_refunded(gateway: Gateway) -> None:
    intent = _intent(gateway, 1000)
    gateway.confirm_payment_intent(
        intent["id"], payment_method="pm_card_visa", idempotency_key=new_idempotency_key()
    )
    gateway.create_refund(payment_intent_id=intent["id"], idempotency_key=new_idempotency_key())
    error = _error(
        gateway.create_refund, payment_intent_id=intent["id"], idempotency_key=new_idempotency_key()
    )
    assert error.kind is ErrorKind.INVALID_REQUEST
    assert error.code == "charge_already_refunded"


def test_list_refunds_filtered_by_intent(gateway: Gateway) -> None:
    first, second = _intent(gateway, 1000), _intent(gateway, 2000)
    for intent in (first, second):
        gateway.confirm_payment_intent(
            intent["id"], payment_method="pm_card_visa", idempotency_key=new_idempotency_key()
        )
        gateway.create_refund(payment_intent_id=intent["id"], idempotency_key=new_idempotency_key())
    page = gateway.list_refunds(payment_intent=second["id"])
    assert [(r["payment_intent"], r["amount"]) for r in page.items] == [(second["id"], 2000)]
    assert len(gateway.list_refunds().items) == 2


def test_list_payment_intents_of_one_customer(gateway: Gateway) -> None:
    ada, bob = _customer(gateway, "ada@example.com"), _customer(gateway, "bob@example.com")
    ada_ids = [_intent(gateway, 100 * i, customer_id=ada["id"])["id"] for i in (1, 2, 3)]
    _intent(gateway, 500, customer_id=bob["id"])
    _intent(gateway, 600)
    pages = list(
        _pages(
            lambda limit, cursor: gateway.list_payment_intents(limit, cursor, customer=ada["id"]), 2
        )
    )
    assert [pi["id"] for page in pages for pi in page.items] == ada_ids[::-1]
    assert len(gateway.list_payment_intents(limit=100).items) == 5


# Errors, each kind produced for real ---------------------------------------------------------


def test_not_found(gateway: Gateway) -> None:
    error = _error(gateway.retrieve_customer, "cus_x")
    assert error.kind is ErrorKind.NOT_FOUND
    assert error.message == "No such customer: 'cus_x'"
    assert str(error) == "No such customer: 'cus_x'"
    assert error.code == "resource_missing"
    assert error.http_status == 404
    assert error.request_id is not None
    assert error.request_id.startswith("req_")
    assert f"Request {error.request_id}" in error.detail
    assert "(resource_missing)" in error.detail


def test_not_found_names_the_id_param(gateway: Gateway) -> None:
    assert _error(gateway.retrieve_customer, "cus_x").param == "id"


@pytest.mark.parametrize(
    ("fn", "arg", "what"),
    [
        ("retrieve_product", "prod_x", "product"),
        ("retrieve_price", "price_x", "price"),
        ("retrieve_payment_intent", "pi_x", "payment_intent"),
        ("retrieve_charge", "ch_x", "charge"),
    ],
)
def test_not_found_for_each_resource(gateway: Gateway, fn: str, arg: str, what: str) -> None:
    error = _error(getattr(gateway, fn), arg)
    assert error.kind is ErrorKind.NOT_FOUND
    assert error.message == f"No such {what}: '{arg}'"


def test_invalid_currency_names_the_param(gateway: Gateway) -> None:
    product = _product(gateway)
    error = _error(
        gateway.create_price,
        product_id=product["id"],
        unit_amount=100,
        currency="zzz",
        idempotency_key=new_idempotency_key(),
    )
    assert error.kind is ErrorKind.INVALID_REQUEST
    assert error.param == "currency"
    assert error.http_status == 400
    assert "zzz" in error.message
    assert error.request_id is not None


def test_price_for_a_missing_product_is_an_invalid_request_on_product(gateway: Gateway) -> None:
    """A missing object named in a create's parameters is a 400 on that field, not a 404."""
    error = _error(_price, gateway, "prod_missing")
    assert error.kind is ErrorKind.INVALID_REQUEST
    assert error.param == "product"
    assert error.code == "resource_missing"
    assert error.message == "No such product: 'prod_missing'"
    assert error.http_status == 400


def test_intent_for_a_missing_customer_is_an_invalid_request_on_customer(gateway: Gateway) -> None:
    error = _error(_intent, gateway, 1000, customer_id="cus_missing")
    assert error.kind is ErrorKind.INVALID_REQUEST
    assert error.param == "customer"
    assert error.message == "No such customer: 'cus_missing'"


def test_amount_too_small(gateway: Gateway) -> None:
    error = _error(_intent, gateway, 10)
    assert error.kind is ErrorKind.INVALID_REQUEST
    assert error.code == "amount_too_small"
    assert error.param == "amount"


def test_invalid_interval(gateway: Gateway) -> None:
    product = _product(gateway)
    error = _error(_price, gateway, product["id"], 100, interval="fortnight")
    assert error.kind is ErrorKind.INVALID_REQUEST
    assert error.param == "recurring[interval]"


@pytest.mark.parametrize(
    ("payment_method", "decline_code", "message"),
    [
        ("pm_card_chargeDeclined", "generic_decline", "Your card was declined."),
        (
            "pm_card_chargeDeclinedInsufficientFunds",
            "insufficient_funds",
            "Your card has insufficient funds.",
        ),
    ],
)
def test_card_declined(
    gateway: Gateway, payment_method: str, decline_code: str, message: str
) -> None:
    intent = _intent(gateway, 2000)
    error = _error(
        gateway.confirm_payment_intent,
        intent["id"],
        payment_method=payment_method,
        idempotency_key=new_idempotency_key(),
    )
    assert error.kind is ErrorKind.CARD_DECLINED
    assert error.http_status == 402
    assert error.code == "card_declined"
    assert error.decline_code == decline_code
    assert error.message == message
    assert error.request_id is not None
    assert error.request_id.startswith("req_")
    assert error.detail.startswith(f"{message} (card_declined, {decline_code})")
    assert error.payment_intent is not None
    assert error.payment_intent["id"] == intent["id"]
    assert error.payment_intent["status"] == "requires_payment_method"
    assert error.payment_intent["last_payment_error"]["decline_code"] == decline_code
    after = gateway.retrieve_payment_intent(intent["id"])
    assert after["status"] == "requires_payment_method"
    assert after["last_payment_error"]["code"] == "card_declined"


def test_declined_intent_can_be_confirmed_again_with_another_card(gateway: Gateway) -> None:
    intent = _intent(gateway, 2000)
    _error(
        gateway.confirm_payment_intent,
        intent["id"],
        payment_method="pm_card_chargeDeclined",
        idempotency_key=new_idempotency_key(),
    )
    retried = gateway.confirm_payment_intent(
        intent["id"], payment_method="pm_card_visa", idempotency_key=new_idempotency_key()
    )
    assert retried["status"] == "succeeded"


@pytest.mark.parametrize("key", ["sk_live_51NOTaSANDBOXkeyATall9876", "sk_test_"])
def test_authentication(sandbox: Any, key: str) -> None:
    gateway = Gateway(SecretKey(key), sandbox.url, max_network_retries=0)
    error = _error(gateway.list_customers)
    assert error.kind is ErrorKind.AUTHENTICATION
    assert error.http_status == 401
    assert error.message
    if len(key) > 12:
        assert key not in error.message
        assert key not in error.detail


def test_rate_limited(gateway: Gateway, sandbox: Any) -> None:
    add_fault(sandbox, path="/v1/customers", status=429, count=1)
    error = _error(gateway.list_customers)
    assert error.kind is ErrorKind.RATE_LIMITED
    assert error.http_status == 429
    assert error.request_id is not None
    assert error.request_id.startswith("req_")
    assert gateway.list_customers().items == []  # count=1: the next one goes through


def test_api_error(gateway: Gateway, sandbox: Any) -> None:
    add_fault(sandbox, path="/v1/products", status=500, count=1)
    error = _error(_product, gateway)
    assert error.kind is ErrorKind.API
    assert error.http_status == 500
    assert error.request_id is not None
    assert gateway.list_products().items == []  # the fault answered before anything was made


def test_fault_matches_the_method(gateway: Gateway, sandbox: Any) -> None:
    add_fault(sandbox, path="/v1/customers", method="POST", status=500, count=1)
    assert gateway.list_customers().items == []
    assert _error(_customer, gateway, "a@example.com").kind is ErrorKind.API


def test_dropped_connection(gateway: Gateway, sandbox: Any) -> None:
    add_fault(sandbox, path="/v1/customers", drop=True, count=1)
    error = _error(gateway.list_customers)
    assert error.kind is ErrorKind.CONNECTION
    assert error.message.startswith(f"Could not reach {sandbox.url}: ")
    assert "\n" not in error.message and "support@" not in error.message
    assert error.http_status is None


def test_closed_port() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    gateway = Gateway(SecretKey(KEY), f"http://127.0.0.1:{port}", max_network_retries=0)
    error = _error(gateway.retrieve_customer, "cus_x")
    assert error.kind is ErrorKind.CONNECTION
    # the URL and the reason in one line: no urllib3 dump, no support address
    assert error.message == f"Could not reach http://127.0.0.1:{port}: connection refused"
    assert error.request_id is None


def test_idempotency_same_key_same_body_replays(gateway: Gateway) -> None:
    key = new_idempotency_key()
    first = gateway.create_customer({"email": "once@example.com"}, key)
    again = gateway.create_customer({"email": "once@example.com"}, key)
    assert again == first
    assert len(gateway.list_customers().items) == 1


def test_idempotency_same_key_different_body(gateway: Gateway) -> None:
    key = new_idempotency_key()
    gateway.create_customer({"email": "once@example.com"}, key)
    error = _error(gateway.create_customer, {"email": "other@example.com"}, key)
    assert error.kind is ErrorKind.IDEMPOTENCY
    assert error.http_status == 400
    assert error.request_id is not None
    assert "idempoten" in error.message.lower()
    assert [c["email"] for c in gateway.list_customers().items] == ["once@example.com"]


def test_retry_with_the_same_key_after_a_failure_past_commit(
    gateway: Gateway, sandbox: Any
) -> None:
    """The client saw a 500 although the customer exists: resubmitting must not duplicate it."""
    add_fault(sandbox, path="/v1/customers", method="POST", status=500, after=True, count=1)
    key = new_idempotency_key()
    params = {"email": "retry@example.com", "name": "Retry"}
    error = _error(gateway.create_customer, params, key)
    assert error.kind is ErrorKind.API
    customer = gateway.create_customer(params, key)
    assert customer["email"] == "retry@example.com"
    listed = gateway.list_customers().items
    assert [c["id"] for c in listed] == [customer["id"]]


def test_retries_survive_a_single_500(sandbox: Any) -> None:
    gateway = Gateway(SecretKey(KEY), sandbox.url, max_network_retries=2)
    add_fault(sandbox, path="/v1/customers", method="POST", status=500, count=1)
    customer = _customer(gateway, "resilient@example.com")
    assert customer["id"].startswith("cus_")
    assert [c["id"] for c in gateway.list_customers().items] == [customer["id"]]


def test_retries_survive_a_500_after_commit_without_duplicating(sandbox: Any) -> None:
    gateway = Gateway(SecretKey(KEY), sandbox.url, max_network_retries=2)
    add_fault(sandbox, path="/v1/customers", method="POST", status=500, after=True, count=1)
    customer = _customer(gateway, "once@example.com")
    assert [c["id"] for c in gateway.list_customers().items] == [customer["id"]]


def test_retries_survive_a_dropped_connection(sandbox: Any) -> None:
    gateway = Gateway(SecretKey(KEY), sandbox.url, max_network_retries=2)
    add_fault(sandbox, path="/v1/customers", drop=True, count=1)
    assert gateway.list_customers().items == []


def test_gateway_error_behaves_like_an_exception() -> None:
    """Hashable by identity, and copyable/picklable with its fields (worker and log plumbing)."""
    error = GatewayError(
        ErrorKind.CARD_DECLINED,
        "Your card was declined.",
        param="payment_method",
        code="card_declined",
        decline_code="generic_decline",
        request_id="req_1",
        http_status=402,
        payment_intent={"id": "pi_1"},
    )
    assert len({error, error}) == 1
    assert error != GatewayError(ErrorKind.CARD_DECLINED, "Your card was declined.")
    for clone in (copy.copy(error), pickle.loads(pickle.dumps(error))):
        assert isinstance(clone, GatewayError)
        assert (clone.kind, clone.message, clone.param, clone.code) == (
            error.kind,
            error.message,
            error.param,
            error.code,
        )
        assert (clone.decline_code, clone.request_id, clone.http_status) == (
            "generic_decline",
            "req_1",
            402,
        )
        assert clone.payment_intent == {"id": "pi_1"}
        assert str(clone) == "Your card was declined."


@pytest.mark.parametrize(
    ("payment_method", "code", "decline_code", "message"),
    [
        ("pm_card_chargeDeclinedFraudulent", "card_declined", "fraudulent", "declined"),
        ("pm_card_chargeDeclinedExpiredCard", "expired_card", "expired_card", "expired"),
    ],
)
def test_other_declines(
    gateway: Gateway, payment_method: str, code: str, decline_code: str, message: str
) -> None:
    intent = _intent(gateway, 2000)
    error = _error(
        gateway.confirm_payment_intent,
        intent["id"],
        payment_method=payment_method,
        idempotency_key=new_idempotency_key(),
    )
    assert error.kind is ErrorKind.CARD_DECLINED
    assert (error.code, error.decline_code) == (code, decline_code)
    assert message in error.message
    codes = ", ".join(dict.fromkeys((code, decline_code)))
    assert f"({codes})" in error.detail


def test_confirm_a_succeeded_intent_again_is_an_unexpected_state(gateway: Gateway) -> None:
    intent = _intent(gateway, 1000)
    gateway.confirm_payment_intent(
        intent["id"], payment_method="pm_card_visa", idempotency_key=new_idempotency_key()
    )
    error = _error(
        gateway.confirm_payment_intent,
        intent["id"],
        payment_method="pm_card_visa",
        idempotency_key=new_idempotency_key(),
    )
    assert error.kind is ErrorKind.INVALID_REQUEST
    assert error.code == "payment_intent_unexpected_state"
    assert error.http_status == 400


def test_confirm_a_missing_intent_is_not_found(gateway: Gateway) -> None:
    error = _error(
        gateway.confirm_payment_intent,
        "pi_missing",
        payment_method="pm_card_visa",
        idempotency_key=new_idempotency_key(),
    )
    assert error.kind is ErrorKind.NOT_FOUND
    assert error.message == "No such payment_intent: 'pi_missing'"


def test_refund_of_an_unpaid_intent_is_refused(gateway: Gateway) -> None:
    intent = _intent(gateway, 1000)
    error = _error(
        gateway.create_refund, payment_intent_id=intent["id"], idempotency_key=new_idempotency_key()
    )
    assert error.kind is ErrorKind.INVALID_REQUEST
    assert error.http_status == 400
    assert gateway.list_refunds().items == []


def test_payment_link_for_a_missing_price_names_the_line_item(gateway: Gateway) -> None:
    error = _error(
        gateway.create_payment_link,
        price_id="price_missing",
        quantity=1,
        idempotency_key=new_idempotency_key(),
    )
    assert error.kind is ErrorKind.INVALID_REQUEST
    assert error.param == "line_items[0][price]"
    assert error.message == "No such price: 'price_missing'"


def test_rate_limit_is_not_retried_blindly(sandbox: Any) -> None:
    """The SDK retries 5xx and dropped connections, not a 429: the operator sees it."""
    gateway = Gateway(SecretKey(KEY), sandbox.url, max_network_retries=2)
    add_fault(sandbox, path="/v1/customers", status=429, count=1)
    assert _error(gateway.list_customers).kind is ErrorKind.RATE_LIMITED
    assert gateway.list_customers().items == []


def test_faults_are_cleared(gateway: Gateway, sandbox: Any) -> None:
    add_fault(sandbox, path="/v1/customers", status=500, count=5)
    request = urllib.request.Request(
        f"{_base(sandbox)}/_sandbox/faults",
        method="DELETE",
        headers={"Authorization": f"Bearer {KEY}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert 200 <= response.status < 300
    assert gateway.list_customers().items == []


def test_fault_switch_needs_the_key(sandbox: Any) -> None:
    request = urllib.request.Request(
        f"{_base(sandbox)}/_sandbox/faults",
        data=json.dumps({"path": "/v1/customers", "status": 500}).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)
    assert info.value.code == 401


def test_fixing_a_refused_create_and_resubmitting_with_the_same_key(gateway: Gateway) -> None:
    """Stripe saves no idempotent result when parameters fail validation: the form's flow."""
    product = _product(gateway)
    key = new_idempotency_key()
    bad = _error(
        gateway.create_price,
        product_id=product["id"],
        unit_amount=100,
        currency="zzz",
        idempotency_key=key,
    )
    assert bad.param == "currency"
    price = gateway.create_price(
        product_id=product["id"], unit_amount=100, currency="usd", idempotency_key=key
    )
    assert price["currency"] == "usd"
    assert [p["id"] for p in gateway.list_prices().items] == [price["id"]]


def test_a_decline_is_replayed_for_the_same_key_and_body(gateway: Gateway) -> None:
    intent = _intent(gateway, 2000)
    key = new_idempotency_key()
    first = _error(
        gateway.confirm_payment_intent,
        intent["id"],
        payment_method="pm_card_chargeDeclined",
        idempotency_key=key,
    )
    again = _error(
        gateway.confirm_payment_intent,
        intent["id"],
        payment_method="pm_card_chargeDeclined",
        idempotency_key=key,
    )
    assert again.kind is ErrorKind.CARD_DECLINED
    assert (again.message, again.decline_code) == (first.message, first.decline_code)


def test_a_slow_answer_times_out_as_a_connection_error(sandbox: Any) -> None:
    gateway = Gateway(SecretKey(KEY), sandbox.url, max_network_retries=0, timeout=0.5)
    add_fault(sandbox, path="/v1/customers", status=500, delay_ms=3000, count=1)
    error = _error(gateway.list_customers)
    assert error.kind is ErrorKind.CONNECTION
    assert error.message == f"Could not reach {sandbox.url}: timed out"


def test_currency_is_sent_trimmed_and_lower_case(gateway: Gateway) -> None:
    product = _product(gateway)
    price = gateway.create_price(
        product_id=product["id"], unit_amount=100, currency=" GBP ", idempotency_key="k-1"
    )
    intent = gateway.create_payment_intent(amount=100, currency=" Gbp\n", idempotency_key="k-2")
    assert (price["currency"], intent["currency"]) == ("gbp", "gbp")


# An unknown outcome ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "unknown"),
    [
        ({"status": 500}, True),
        ({"status": 503}, True),
        ({"status": 409}, True),
        ({"drop": True}, True),
        ({"status": 429}, False),
        ({"status": 400}, False),
        ({"status": 402}, False),
    ],
)
def test_which_failures_leave_the_outcome_unknown(
    gateway: Gateway, sandbox: Any, fault: dict[str, Any], unknown: bool
) -> None:
    add_fault(sandbox, path="/v1/customers", method="POST", count=1, **fault)
    assert _error(_customer, gateway, "a@example.com").outcome_unknown is unknown


def test_a_refusal_is_a_known_outcome(gateway: Gateway) -> None:
    error = _error(gateway.create_refund, payment_intent_id="pi_missing", idempotency_key="k1")
    assert not error.outcome_unknown


# Secrets ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "sk_test_abcdefgh\nSECRETTAIL",
        "sk_test_abcdefgh\rSECRETTAIL",
        "sk_test_abcdefgh\x00SECRETTAIL",
        "sk_test_abcdefgh SECRETTAIL",
    ],
    ids=["newline", "return", "nul", "space"],
)
def test_no_error_text_shows_the_key(sandbox: Any, key: str) -> None:
    """The SDK and requests quote the Authorization header in their errors: the gateway
    takes the key out of every text it raises."""
    gateway = Gateway(SecretKey(key), sandbox.url, max_network_retries=0)
    error = _error(gateway.list_customers)
    texts = [error.message, error.detail, str(error), repr(error), str(error.param)]
    for text in texts:
        assert "SECRETTAIL" not in text, text
        assert "abcdefgh" not in text, text
    assert error.__cause__ is None and error.__context__ is None  # no SDK exception attached


def test_redact_takes_out_credentials_in_any_form() -> None:
    key = "sk_test_51Abc\nTail1234"
    text = (
        "InvalidHeader: 'Bearer sk_test_51Abc\\nTail1234' b'Authorization: Basic c2tfdGVzdA=='"
        " other sk_live_0123456789abcdef and sk_test_51Abc\nTail1234"
    )
    clean = redact(text, key)
    for secret in ("sk_test_51Abc", "Tail1234", "c2tfdGVzdA==", "0123456789abcdef"):
        assert secret not in clean, clean
    assert "Bearer [redacted]" in clean and "Basic [redacted]" in clean
    assert "sk_live_...cdef" in clean
