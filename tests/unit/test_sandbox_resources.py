"""Customers, products, prices, payment links through the official SDK over real HTTP."""

from __future__ import annotations

import pytest
import stripe

Client = stripe.StripeClient


def invalid_request(exc: pytest.ExceptionInfo[stripe.InvalidRequestError]) -> tuple[str, ...]:
    err = exc.value
    return (str(err.code), str(err.user_message), str(err.param), str(err.http_status))


# --- the nine actions ---------------------------------------------------------------------


def test_customer_create_retrieve_list(stripe_client: Client) -> None:
    created = stripe_client.v1.customers.create(
        params={"email": "ada@example.com", "name": "Ada", "metadata": {"tier": "gold"}}
    )
    assert created.id.startswith("cus_") and len(created.id) >= 20
    assert created.object == "customer"
    assert created.metadata.to_dict() == {"tier": "gold"}
    assert created.livemode is False
    assert isinstance(created.created, int)
    assert created.address is None and created.balance == 0 and created.invoice_prefix

    fetched = stripe_client.v1.customers.retrieve(created.id)
    assert fetched.to_dict() == created.to_dict()

    page = stripe_client.v1.customers.list(params={"email": "ada@example.com"})
    assert page.object == "list" and page.url == "/v1/customers"
    assert [c.id for c in page.data] == [created.id]
    assert stripe_client.v1.customers.list(params={"email": "nobody@example.com"}).data == []


def test_customer_update_merges_metadata(stripe_client: Client) -> None:
    c = stripe_client.v1.customers.create(params={"name": "A", "metadata": {"a": "1", "b": "2"}})
    updated = stripe_client.v1.customers.update(
        c.id, params={"name": "B", "metadata": {"a": "", "c": "3"}, "description": "vip"}
    )
    assert updated.name == "B" and updated.description == "vip"
    assert updated.metadata.to_dict() == {"b": "2", "c": "3"}


def test_customer_objects_have_every_field(stripe_client: Client) -> None:
    c = stripe_client.v1.customers.create()
    expected = {
        "address", "balance", "created", "currency", "default_source", "delinquent",
        "description", "discount", "email", "id", "invoice_prefix", "invoice_settings",
        "livemode", "metadata", "name", "next_invoice_sequence", "object", "phone",
        "preferred_locales", "shipping", "tax_exempt", "test_clock",
    }  # fmt: skip
    assert expected <= set(c.to_dict())


def test_product_and_prices(stripe_client: Client) -> None:
    product = stripe_client.v1.products.create(params={"name": "T-shirt"})
    assert product.id.startswith("prod_") and product.active and product.name == "T-shirt"

    one_time = stripe_client.v1.prices.create(
        params={"product": product.id, "unit_amount": 2000, "currency": "usd"}
    )
    assert one_time.id.startswith("price_")
    assert (one_time.type, one_time.recurring, str(one_time.unit_amount_decimal)) == (
        "one_time",
        None,
        "2000",
    )

    monthly = stripe_client.v1.prices.create(
        params={
            "product": product.id,
            "unit_amount": 900,
            "currency": "EUR",
            "recurring": {"interval": "month", "interval_count": 3},
        }
    )
    assert monthly.type == "recurring" and monthly.currency == "eur"
    assert monthly.recurring is not None
    assert monthly.recurring.interval == "month" and monthly.recurring.interval_count == 3

    listed = stripe_client.v1.prices.list(params={"product": product.id})
    assert [p.id for p in listed.data] == [monthly.id, one_time.id]
    assert stripe_client.v1.prices.retrieve(monthly.id).id == monthly.id
    assert stripe_client.v1.products.retrieve(product.id).name == "T-shirt"


def test_price_with_product_data(stripe_client: Client) -> None:
    price = stripe_client.v1.prices.create(
        params={"product_data": {"name": "Mug"}, "unit_amount": 1500, "currency": "usd"}
    )
    product = stripe_client.v1.products.retrieve(str(price.product))
    assert product.name == "Mug"


def test_products_list_active_filter(stripe_client: Client) -> None:
    a = stripe_client.v1.products.create(params={"name": "A"})
    b = stripe_client.v1.products.create(params={"name": "B", "active": False})
    actives = stripe_client.v1.products.list(params={"active": True}).data
    inactives = stripe_client.v1.products.list(params={"active": False}).data
    assert [p.id for p in actives] == [a.id]
    assert [p.id for p in inactives] == [b.id]


def test_payment_link(stripe_client: Client) -> None:
    price = stripe_client.v1.prices.create(
        params={"product_data": {"name": "Course"}, "unit_amount": 5000, "currency": "usd"}
    )
    link = stripe_client.v1.payment_links.create(
        params={"line_items": [{"price": price.id, "quantity": 2}], "metadata": {"k": "v"}}
    )
    assert link.id.startswith("plink_")
    assert link.url.startswith("https://buy.stripe.com/test_")
    assert link.active and link.currency == "usd" and link.metadata.to_dict() == {"k": "v"}
    assert "sandbox_line_items" not in link.to_dict()
    assert stripe_client.v1.payment_links.retrieve(link.id).url == link.url
    assert [p.id for p in stripe_client.v1.payment_links.list().data] == [link.id]
    items = stripe_client.v1.payment_links.line_items.list(link.id)
    assert [(i.price.id, i.quantity, i.amount_total) for i in items.data] == [(price.id, 2, 10000)]


def test_expand(stripe_client: Client) -> None:
    product = stripe_client.v1.products.create(params={"name": "X"})
    price = stripe_client.v1.prices.create(
        params={
            "product": product.id,
            "unit_amount": 100,
            "currency": "usd",
            "expand": ["product"],
        }
    )
    assert price.product.name == "X"  # type: ignore[union-attr]
    listed = stripe_client.v1.prices.list(params={"expand": ["data.product"]})
    assert listed.data[0].product.id == product.id  # type: ignore[union-attr]


# --- parameter errors ---------------------------------------------------------------------


def test_unknown_param(stripe_client: Client) -> None:
    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.customers.create(params={"emial": "x@example.com"})  # type: ignore[typeddict-unknown-key]
    assert invalid_request(exc) == (
        "parameter_unknown",
        "Received unknown parameter: emial",
        "emial",
        "400",
    )
    assert exc.value.error is not None
    assert exc.value.error.doc_url == "https://stripe.com/docs/error-codes/parameter-unknown"


def test_unknown_nested_param(stripe_client: Client) -> None:
    product = stripe_client.v1.products.create(params={"name": "P"})
    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.prices.create(
            params={
                "product": product.id,
                "currency": "usd",
                "unit_amount": 100,
                "recurring": {"interval": "month", "foo": "1"},  # type: ignore[typeddict-unknown-key]
            }
        )
    assert invalid_request(exc)[:3] == (
        "parameter_unknown",
        "Received unknown parameter: recurring[foo]",
        "recurring[foo]",
    )


@pytest.mark.parametrize(
    ("resource", "params", "missing"),
    [
        ("products", {}, "name"),
        ("prices", {"unit_amount": 100, "product": "prod_x"}, "currency"),
        ("prices", {"unit_amount": 100, "currency": "usd"}, "product"),
        ("payment_intents", {"currency": "usd"}, "amount"),
        ("payment_intents", {"amount": 100}, "currency"),
        ("payment_links", {}, "line_items"),
    ],
)
def test_missing_required_param(
    stripe_client: Client, resource: str, params: dict[str, object], missing: str
) -> None:
    service = getattr(stripe_client.v1, resource)
    with pytest.raises(stripe.InvalidRequestError) as exc:
        service.create(params=params)
    assert invalid_request(exc)[:3] == (
        "parameter_missing",
        f"Missing required param: {missing}.",
        missing,
    )


def test_missing_nested_quantity(stripe_client: Client) -> None:
    price = stripe_client.v1.prices.create(
        params={"product_data": {"name": "N"}, "unit_amount": 100, "currency": "usd"}
    )
    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.payment_links.create(params={"line_items": [{"price": price.id}]})  # type: ignore[typeddict-item]
    assert exc.value.param == "line_items[0][quantity]"
    assert exc.value.code == "parameter_missing"


def test_invalid_integer_enum_and_currency(stripe_client: Client) -> None:
    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.payment_intents.create(params={"amount": "abc", "currency": "usd"})  # type: ignore[typeddict-item]
    assert invalid_request(exc)[:3] == (
        "parameter_invalid_integer",
        "Invalid integer: abc",
        "amount",
    )
    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.prices.create(
            params={
                "product_data": {"name": "N"},
                "unit_amount": 100,
                "currency": "usd",
                "recurring": {"interval": "fortnight"},  # type: ignore[typeddict-item]
            }
        )
    assert exc.value.param == "recurring[interval]"
    assert "must be one of day, month, week, or year" in str(exc.value.user_message)
    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.prices.create(
            params={"product_data": {"name": "N"}, "unit_amount": 100, "currency": "xyz"}
        )
    assert exc.value.param == "currency"
    assert str(exc.value.user_message).startswith("Invalid currency: xyz.")


def test_invalid_email(stripe_client: Client) -> None:
    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.customers.create(params={"email": "not-an-email"})
    assert (exc.value.code, exc.value.param) == ("email_invalid", "email")


@pytest.mark.parametrize(
    ("resource", "ident", "message", "param"),
    [
        ("customers", "cus_missing", "No such customer: 'cus_missing'", "id"),
        ("products", "prod_missing", "No such product: 'prod_missing'", "id"),
        ("prices", "price_missing", "No such price: 'price_missing'", "price"),
        ("payment_intents", "pi_missing", "No such payment_intent: 'pi_missing'", "intent"),
        ("charges", "ch_missing", "No such charge: 'ch_missing'", "id"),
        ("refunds", "re_missing", "No such refund: 're_missing'", "id"),
    ],
)
def test_missing_object(
    stripe_client: Client, resource: str, ident: str, message: str, param: str
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as exc:
        getattr(stripe_client.v1, resource).retrieve(ident)
    assert invalid_request(exc) == ("resource_missing", message, param, "404")


def test_reference_to_missing_object_is_a_400(stripe_client: Client) -> None:
    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.prices.create(
            params={"product": "prod_nope", "unit_amount": 100, "currency": "usd"}
        )
    assert invalid_request(exc) == (
        "resource_missing",
        "No such product: 'prod_nope'",
        "product",
        "400",
    )


# --- lists --------------------------------------------------------------------------------


def test_list_order_limit_and_cursors(stripe_client: Client) -> None:
    ids = [stripe_client.v1.customers.create(params={"name": f"c{i}"}).id for i in range(5)]
    newest_first = list(reversed(ids))

    default = stripe_client.v1.customers.list()
    assert [c.id for c in default.data] == newest_first and default.has_more is False

    first = stripe_client.v1.customers.list(params={"limit": 2})
    assert [c.id for c in first.data] == newest_first[:2] and first.has_more is True
    second = stripe_client.v1.customers.list(
        params={"limit": 2, "starting_after": first.data[-1].id}
    )
    assert [c.id for c in second.data] == newest_first[2:4] and second.has_more is True
    last = stripe_client.v1.customers.list(
        params={"limit": 2, "starting_after": second.data[-1].id}
    )
    assert [c.id for c in last.data] == newest_first[4:] and last.has_more is False

    back = stripe_client.v1.customers.list(params={"limit": 2, "ending_before": ids[0]})
    assert [c.id for c in back.data] == [ids[2], ids[1]] and back.has_more is True

    everything = list(stripe_client.v1.customers.list(params={"limit": 2}).auto_paging_iter())
    assert [c.id for c in everything] == newest_first


@pytest.mark.parametrize("limit", ["0", "101", "abc"])
def test_limit_bounds(stripe_client: Client, limit: str) -> None:
    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.customers.list(params={"limit": limit})  # type: ignore[typeddict-item]
    assert exc.value.param == "limit" and exc.value.http_status == 400


def test_limit_one_and_hundred(stripe_client: Client) -> None:
    stripe_client.v1.customers.create()
    assert len(stripe_client.v1.customers.list(params={"limit": 1}).data) == 1
    assert len(stripe_client.v1.customers.list(params={"limit": 100}).data) == 1


def test_missing_cursor(stripe_client: Client) -> None:
    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.customers.list(params={"starting_after": "cus_gone"})
    assert invalid_request(exc)[:3] == (
        "resource_missing",
        "No such customer: 'cus_gone'",
        "starting_after",
    )


# --- search -------------------------------------------------------------------------------


@pytest.fixture
def people(stripe_client: Client) -> dict[str, str]:
    made = {}
    for name, email, plan in [
        ("Alice Smith", "alice@example.com", "pro"),
        ("Alicia Keys", "alicia@example.org", "free"),
        ("Bob Stone", "bob@example.com", "pro"),
    ]:
        c = stripe_client.v1.customers.create(
            params={"name": name, "email": email, "metadata": {"plan": plan}}
        )
        made[name.split()[0].lower()] = c.id
    return made


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ('email:"alice@example.com"', ["alice"]),
        ('name~"ali"', ["alicia", "alice"]),
        ('name~"ALI"', ["alicia", "alice"]),
        ('metadata["plan"]:"pro"', ["bob", "alice"]),
        ('name~"ali" AND metadata["plan"]:"pro"', ["alice"]),
        ('email:"bob@example.com" OR email:"alicia@example.org"', ["bob", "alicia"]),
        ('-metadata["plan"]:"pro"', ["alicia"]),
        ('name:"nobody"', []),
    ],
)
def test_search(stripe_client: Client, people: dict[str, str], query: str, who: list[str]) -> None:
    result = stripe_client.v1.customers.search(params={"query": query})
    assert result.object == "search_result"
    assert [c.id for c in result.data] == [people[w] for w in who]


def test_search_pages(stripe_client: Client, people: dict[str, str]) -> None:
    first = stripe_client.v1.customers.search(params={"query": 'email~"example"', "limit": 2})
    assert first.has_more is True and first.next_page
    second = stripe_client.v1.customers.search(
        params={"query": 'email~"example"', "limit": 2, "page": first.next_page}
    )
    assert second.has_more is False and second.next_page is None
    ids = [c.id for c in first.data] + [c.id for c in second.data]
    assert ids == [people["bob"], people["alicia"], people["alice"]]


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ('name~"al"', "at least 3 characters"),
        ('colour:"red"', "unsupported search field"),
        ('name:"a" AND email:"b" OR phone:"c"', "AND and OR"),
        ("name:", "cannot parse"),
        ('name:"a" email:"b"', "expected AND or OR"),
    ],
)
def test_bad_search_query(stripe_client: Client, query: str, fragment: str) -> None:
    with pytest.raises(stripe.InvalidRequestError) as exc:
        stripe_client.v1.customers.search(params={"query": query})
    assert exc.value.param == "query" and exc.value.http_status == 400
    assert fragment in str(exc.value.user_message)


def test_unit_amount_decimal_is_exact(stripe_client: Client) -> None:
    product = stripe_client.v1.products.create(params={"name": "Metered"})
    whole = stripe_client.v1.prices.create(
        params={"product": product.id, "unit_amount_decimal": "1200", "currency": "usd"}
    )
    assert whole.unit_amount == 1200
    # Twelve decimal places, Stripe's most: not a whole amount.
    nearly = stripe_client.v1.prices.create(
        params={
            "product": product.id,
            "unit_amount_decimal": "1.000000000001",
            "currency": "usd",
        }
    )
    assert nearly.unit_amount is None
    assert str(nearly.unit_amount_decimal) == "1.000000000001"
    for bad in ("-1", "abc", "NaN", "1.0000000000001", "1e999999999", "100000000"):
        with pytest.raises(stripe.InvalidRequestError) as exc:
            stripe_client.v1.prices.create(
                params={"product": product.id, "unit_amount_decimal": bad, "currency": "usd"}
            )
        assert exc.value.param == "unit_amount_decimal"
