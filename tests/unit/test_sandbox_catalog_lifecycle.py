"""The life of customers, products, prices and payment links after creation, through the
official SDK over HTTP: updates, deletes, searches, Stripe's state rules and errors, and the
events each change writes (read from the sandbox's SQLite file)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import stripe

from tests.unit.test_sandbox_http import call, error_of
from tui.sandbox import SandboxServer

KEY = "sk_test_sandbox_tests"
Client = stripe.StripeClient


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[SandboxServer, Path]]:
    db = tmp_path / "catalog.sqlite3"
    with SandboxServer(port=0, db_path=str(db)) as server:
        yield server, db


@pytest.fixture
def client(served: tuple[SandboxServer, Path]) -> Client:
    return stripe.StripeClient(KEY, base_addresses={"api": served[0].url}, max_network_retries=0)


@pytest.fixture
def db(served: tuple[SandboxServer, Path]) -> Path:
    return served[1]


def stored(db: Path, kind: str) -> list[dict[str, Any]]:
    """The objects of one type as the sandbox committed them, oldest first."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT data FROM objects WHERE type = ? ORDER BY seq", (kind,))
        return [json.loads(r[0]) for r in rows]


def events(db: Path, type: str) -> list[dict[str, Any]]:
    return [e for e in stored(db, "event") if e["type"] == type]


def refused(fn: Any, *args: Any, **kwargs: Any) -> stripe.StripeError:
    with pytest.raises(stripe.StripeError) as info:
        fn(*args, **kwargs)
    return info.value


def what(err: stripe.StripeError) -> tuple[int | None, str | None, str | None, str]:
    body = err.json_body or {}
    e = body.get("error", {})
    return err.http_status, e.get("code"), e.get("param"), e.get("message", "")


# --- customers ----------------------------------------------------------------------------


def test_customer_update_sets_and_unsets_with_an_event(client: Client, db: Path) -> None:
    c = client.v1.customers.create(
        params={"email": "a@example.com", "name": "A", "metadata": {"a": "1", "b": "2"}}
    )
    updated = client.v1.customers.update(
        c.id, params={"name": "B", "email": "", "metadata": {"a": "", "c": "3"}}
    )
    assert (updated.name, updated.email) == ("B", None)
    assert updated.metadata.to_dict() == {"b": "2", "c": "3"}
    [event] = events(db, "customer.updated")
    assert event["data"]["object"]["id"] == c.id
    assert event["data"]["object"]["name"] == "B"
    assert event["data"]["previous_attributes"] == {
        "name": "A",
        "email": "a@example.com",
        "metadata": {"a": "1", "c": None},
    }
    cleared = client.v1.customers.update(c.id, params={"metadata": ""})
    assert cleared.metadata.to_dict() == {}
    # an update that changes nothing writes no event
    client.v1.customers.update(c.id, params={"name": "B"})
    assert len(events(db, "customer.updated")) == 2


def test_default_payment_method_must_be_attached(client: Client, db: Path) -> None:
    owner = client.v1.customers.create(params={"payment_method": "pm_card_visa"})
    other = client.v1.customers.create()
    [pm] = [p for p in stored(db, "payment_method") if p["customer"] == owner.id]
    param = "invoice_settings[default_payment_method]"

    err = refused(
        client.v1.customers.update,
        other.id,
        params={"invoice_settings": {"default_payment_method": pm["id"]}},
    )
    assert what(err) == (
        400,
        "resource_missing",
        param,
        f"The customer does not have a payment method with the ID {pm['id']}. "
        "The payment method must be attached to the customer.",
    )
    err = refused(
        client.v1.customers.update,
        owner.id,
        params={"invoice_settings": {"default_payment_method": "pm_missing"}},
    )
    assert what(err) == (400, "resource_missing", param, "No such PaymentMethod: 'pm_missing'")
    assert events(db, "customer.updated") == []

    set_ = client.v1.customers.update(
        owner.id, params={"invoice_settings": {"default_payment_method": pm["id"]}}
    )
    assert set_.invoice_settings.default_payment_method == pm["id"]
    [event] = events(db, "customer.updated")
    assert event["data"]["previous_attributes"] == {
        "invoice_settings": {"default_payment_method": None}
    }
    unset = client.v1.customers.update(
        owner.id, params={"invoice_settings": {"default_payment_method": ""}}
    )
    assert unset.invoice_settings.default_payment_method is None


def test_deleted_customer(client: Client) -> None:
    c = client.v1.customers.create(params={"email": "gone@example.com"})
    gone = client.v1.customers.delete(c.id)
    assert gone.to_dict() == {"id": c.id, "object": "customer", "deleted": True}
    assert client.v1.customers.retrieve(c.id).to_dict() == gone.to_dict()
    for attempt in (
        lambda: client.v1.customers.update(c.id, params={"name": "x"}),
        lambda: client.v1.customers.delete(c.id),
    ):
        err = refused(attempt)
        assert what(err)[:2] == (404, "resource_missing")
    assert client.v1.customers.list().data == []
    assert client.v1.customers.search(params={"query": 'email:"gone@example.com"'}).data == []


# --- products -----------------------------------------------------------------------------


def test_product_update_with_an_event(client: Client, db: Path) -> None:
    p = client.v1.products.create(
        params={"name": "Tee", "description": "cotton", "metadata": {"size": "m"}}
    )
    updated = client.v1.products.update(
        p.id,
        params={
            "name": "T-shirt",
            "description": "",
            "metadata": {"size": "", "color": "grey"},
            "active": False,
            "images": ["https://example.com/t.png"],
        },
    )
    assert (updated.name, updated.description, updated.active) == ("T-shirt", None, False)
    assert updated.metadata.to_dict() == {"color": "grey"}
    assert updated.images == ["https://example.com/t.png"]
    assert updated.updated >= p.updated
    assert client.v1.products.retrieve(p.id).to_dict() == updated.to_dict()
    [event] = events(db, "product.updated")
    assert event["data"]["object"] == updated.to_dict()
    assert event["data"]["previous_attributes"] == {
        "name": "Tee",
        "description": "cotton",
        "metadata": {"size": "m", "color": None},
        "active": True,
        "images": [],
        "updated": p.updated,
    }
    archived = client.v1.products.list(params={"active": False})
    assert [x.id for x in archived.data] == [p.id]
    assert client.v1.products.list(params={"active": True}).data == []


@pytest.mark.parametrize("field", ["name", "active"])
def test_product_fields_that_cannot_be_unset(client: Client, field: str) -> None:
    p = client.v1.products.create(params={"name": "Tee"})
    err = refused(client.v1.products.update, p.id, params={field: ""})
    status, _, param, message = what(err)
    assert (status, param) == (400, field)
    assert message.startswith(f"You passed an empty string for '{field}'.")
    assert client.v1.products.retrieve(p.id).name == "Tee"


def test_product_default_price_rules(client: Client) -> None:
    p = client.v1.products.create(
        params={"name": "Tee", "default_price_data": {"currency": "usd", "unit_amount": 500}}
    )
    other = client.v1.products.create(params={"name": "Mug"})
    foreign = client.v1.prices.create(
        params={"product": other.id, "currency": "usd", "unit_amount": 900}
    )
    second = client.v1.prices.create(
        params={"product": p.id, "currency": "usd", "unit_amount": 700, "active": False}
    )
    err = refused(client.v1.products.update, p.id, params={"default_price": foreign.id})
    assert what(err)[:3] == (400, None, "default_price")
    err = refused(client.v1.products.update, p.id, params={"default_price": second.id})
    assert what(err) == (
        400,
        None,
        "default_price",
        "The price specified is inactive. This field only accepts active prices.",
    )
    err = refused(client.v1.products.update, p.id, params={"default_price": "price_nope"})
    assert what(err) == (400, "resource_missing", "default_price", "No such price: 'price_nope'")

    # the default price cannot be archived until the product lets go of it
    default = str(p.default_price)
    err = refused(client.v1.prices.update, default, params={"active": False})
    assert what(err) == (
        400,
        None,
        "active",
        "This price cannot be archived because it is the default price of its product.",
    )
    client.v1.prices.update(second.id, params={"active": True})
    moved = client.v1.products.update(p.id, params={"default_price": second.id})
    assert moved.default_price == second.id
    assert client.v1.prices.update(default, params={"active": False}).active is False
    assert client.v1.products.update(p.id, params={"default_price": ""}).default_price is None


def test_product_delete_is_refused_while_it_has_prices(client: Client, db: Path) -> None:
    p = client.v1.products.create(params={"name": "Tee"})
    client.v1.prices.create(
        params={"product": p.id, "currency": "usd", "unit_amount": 500, "active": False}
    )
    err = refused(client.v1.products.delete, p.id)
    assert what(err) == (
        400,
        None,
        None,
        "This product cannot be deleted because it has one or more user-created prices.",
    )
    assert client.v1.products.retrieve(p.id).id == p.id

    bare = client.v1.products.create(params={"name": "Bare"})
    gone = client.v1.products.delete(bare.id)
    assert gone.to_dict() == {"id": bare.id, "object": "product", "deleted": True}
    assert what(refused(client.v1.products.retrieve, bare.id)) == (
        404,
        "resource_missing",
        "id",
        f"No such product: '{bare.id}'",
    )
    assert what(refused(client.v1.products.delete, bare.id))[0] == 404
    assert what(refused(client.v1.products.update, bare.id, params={"name": "x"}))[0] == 404
    assert [x.id for x in client.v1.products.list().data] == [p.id]
    err = refused(
        client.v1.prices.create, params={"product": bare.id, "currency": "usd", "unit_amount": 1}
    )
    assert what(err)[:3] == (400, "resource_missing", "product")
    [event] = events(db, "product.deleted")
    assert event["data"]["object"]["id"] == bare.id
    assert event["data"]["object"]["name"] == "Bare"


def test_product_search(client: Client) -> None:
    tee = client.v1.products.create(params={"name": "Grey T-shirt", "metadata": {"line": "a"}})
    mug = client.v1.products.create(params={"name": "Mug", "active": False})
    hat = client.v1.products.create(params={"name": "Hat", "description": "a grey hat"})

    def ids(query: str, **extra: Any) -> list[str]:
        result = client.v1.products.search(params={"query": query, **extra})
        assert result.object == "search_result" and result.url == "/v1/products/search"
        return [x.id for x in result.data]

    assert ids('name~"shirt"') == [tee.id]
    assert ids('active:"false"') == [mug.id]
    assert ids("active:'true'") == [hat.id, tee.id]
    assert ids('metadata["line"]:"a"') == [tee.id]
    assert ids('description~"grey"') == [hat.id]
    first = client.v1.products.search(params={"query": 'active:"true"', "limit": 1})
    assert first.has_more and [x.id for x in first.data] == [hat.id]
    assert ids('active:"true"', page=first.next_page) == [tee.id]
    err = refused(client.v1.products.search, params={"query": 'email:"x"'})
    assert what(err)[:3] == (400, None, "query")
    assert "unsupported search field" in what(err)[3]


# --- prices -------------------------------------------------------------------------------


def test_price_update_archive_and_unarchive(client: Client, db: Path) -> None:
    p = client.v1.products.create(params={"name": "Tee"})
    price = client.v1.prices.create(
        params={"product": p.id, "currency": "usd", "unit_amount": 500, "nickname": "std"}
    )
    archived = client.v1.prices.update(
        price.id, params={"active": False, "nickname": "", "metadata": {"k": "v"}}
    )
    assert (archived.active, archived.nickname) == (False, None)
    assert archived.metadata.to_dict() == {"k": "v"}
    assert archived.unit_amount == 500
    [event] = events(db, "price.updated")
    assert event["data"]["previous_attributes"] == {
        "active": True,
        "nickname": "std",
        "metadata": {"k": None},
    }
    assert [x.id for x in client.v1.prices.list(params={"active": False}).data] == [price.id]
    assert client.v1.prices.list(params={"active": True}).data == []
    again = client.v1.prices.update(price.id, params={"active": True})
    assert again.active is True
    assert events(db, "price.updated")[-1]["data"]["previous_attributes"] == {"active": False}
    # amounts cannot be changed on a price
    err = refused(client.v1.prices.update, price.id, params={"unit_amount": 700})
    assert what(err) == (
        400,
        "parameter_unknown",
        "unit_amount",
        "Received unknown parameter: unit_amount",
    )


def test_lookup_keys_are_unique_among_active_prices(client: Client, db: Path) -> None:
    p = client.v1.products.create(params={"name": "Tee"})
    base = {"product": p.id, "currency": "usd", "unit_amount": 500}
    first = client.v1.prices.create(params={**base, "lookup_key": "std"})
    message = f"A price (`{first.id}`) already uses that lookup key."

    err = refused(client.v1.prices.create, params={**base, "lookup_key": "std"})
    assert what(err) == (400, None, "lookup_key", message)
    second = client.v1.prices.create(params=base)
    err = refused(client.v1.prices.update, second.id, params={"lookup_key": "std"})
    assert what(err) == (400, None, "lookup_key", message)
    assert client.v1.prices.retrieve(second.id).lookup_key is None

    moved = client.v1.prices.create(
        params={**base, "lookup_key": "std", "transfer_lookup_key": True}
    )
    assert moved.lookup_key == "std"
    assert client.v1.prices.retrieve(first.id).lookup_key is None
    [taken] = [e for e in events(db, "price.updated") if e["data"]["object"]["id"] == first.id]
    assert taken["data"]["previous_attributes"] == {"lookup_key": "std"}
    found = client.v1.prices.list(params={"lookup_keys": ["std", "other"]})
    assert [x.id for x in found.data] == [moved.id]

    # an archived price keeps its key without blocking it, and cannot come back while it is used
    client.v1.prices.update(moved.id, params={"active": False})
    third = client.v1.prices.create(params={**base, "lookup_key": "std"})
    err = refused(client.v1.prices.update, moved.id, params={"active": True})
    assert what(err)[2:] == ("lookup_key", f"A price (`{third.id}`) already uses that lookup key.")
    back = client.v1.prices.update(moved.id, params={"active": True, "transfer_lookup_key": True})
    assert back.active and back.lookup_key == "std"
    assert client.v1.prices.retrieve(third.id).lookup_key is None


def test_tax_behavior_is_set_once(client: Client) -> None:
    p = client.v1.products.create(params={"name": "Tee"})
    price = client.v1.prices.create(params={"product": p.id, "currency": "usd", "unit_amount": 5})
    assert client.v1.prices.update(price.id, params={"tax_behavior": "exclusive"}).tax_behavior == (
        "exclusive"
    )
    err = refused(client.v1.prices.update, price.id, params={"tax_behavior": "inclusive"})
    assert what(err)[:3] == (400, None, "tax_behavior")


def test_price_search(client: Client) -> None:
    p = client.v1.products.create(params={"name": "Tee"})
    usd = client.v1.prices.create(
        params={"product": p.id, "currency": "usd", "unit_amount": 5, "lookup_key": "tee_usd"}
    )
    eur = client.v1.prices.create(
        params={
            "product": p.id,
            "currency": "eur",
            "unit_amount": 5,
            "recurring": {"interval": "month"},
            "active": False,
        }
    )

    def ids(query: str) -> list[str]:
        return [x.id for x in client.v1.prices.search(params={"query": query}).data]

    assert ids('lookup_key:"tee_usd"') == [usd.id]
    assert ids(f'product:"{p.id}"') == [eur.id, usd.id]
    assert ids('currency:"eur" AND type:"recurring"') == [eur.id]
    assert ids('active:"true"') == [usd.id]
    assert what(refused(client.v1.prices.search, params={"query": 'name:"x"'}))[2] == "query"


# --- payment links ------------------------------------------------------------------------


def _link(client: Client) -> Any:
    p = client.v1.products.create(params={"name": "Tee"})
    price = client.v1.prices.create(params={"product": p.id, "currency": "usd", "unit_amount": 5})
    return client.v1.payment_links.create(
        params={"line_items": [{"price": price.id, "quantity": 2}]}
    )


def test_payment_link_deactivate_and_activate(client: Client, db: Path) -> None:
    link = _link(client)
    off = client.v1.payment_links.update(
        link.id,
        params={"active": False, "inactive_message": "Sold out", "metadata": {"k": "v"}},
    )
    assert (off.active, off.inactive_message) == (False, "Sold out")
    assert off.metadata.to_dict() == {"k": "v"}
    [event] = events(db, "payment_link.updated")
    assert event["data"]["object"] == off.to_dict()
    assert event["data"]["previous_attributes"] == {
        "active": True,
        "inactive_message": None,
        "metadata": {"k": None},
    }
    assert [x.id for x in client.v1.payment_links.list(params={"active": False}).data] == [link.id]
    assert client.v1.payment_links.list(params={"active": True}).data == []
    on = client.v1.payment_links.update(link.id, params={"active": True})
    assert on.active is True
    err = refused(client.v1.payment_links.update, "plink_nope", params={"active": True})
    assert what(err)[:3] == (404, "resource_missing", "id")


def test_payment_link_line_items_and_expand(client: Client) -> None:
    link = _link(client)
    [item] = client.v1.payment_links.line_items.list(link.id).data
    assert item.quantity == 2

    updated = client.v1.payment_links.update(
        link.id,
        params={"line_items": [{"id": item.id, "quantity": 3}], "expand": ["line_items"]},
    )
    items = updated.to_dict()["line_items"]
    assert items["object"] == "list" and items["url"] == f"/v1/payment_links/{link.id}/line_items"
    assert [(i["id"], i["quantity"], i["amount_total"]) for i in items["data"]] == [
        (item.id, 3, 15)
    ]
    fetched = client.v1.payment_links.retrieve(link.id, params={"expand": ["line_items"]})
    assert fetched.to_dict()["line_items"] == items
    assert "line_items" not in client.v1.payment_links.retrieve(link.id).to_dict()
    listed = client.v1.payment_links.list(params={"expand": ["data.line_items"]})
    assert listed.data[0].to_dict()["line_items"] == items

    for line, expected in (
        ({"id": "li_nope", "quantity": 1}, (400, "resource_missing", "line_items[0][id]")),
        ({"quantity": 1}, (400, "parameter_missing", "line_items[0][id]")),
        ({"id": item.id, "quantity": 0}, (400, None, "line_items[0][quantity]")),
    ):
        err = refused(client.v1.payment_links.update, link.id, params={"line_items": [line]})
        assert what(err)[:3] == expected
    assert client.v1.payment_links.line_items.list(link.id).data[0].quantity == 3


# --- idempotency and durability -----------------------------------------------------------


def test_updates_replay_under_their_idempotency_key(
    served: tuple[SandboxServer, Path], db: Path
) -> None:
    url = served[0].url
    _, _, body = call(url, "POST", "/v1/products", "name=Tee")
    pid = json.loads(body)["id"]
    key = {"Idempotency-Key": "rename-1"}
    s1, _, b1 = call(url, "POST", f"/v1/products/{pid}", "name=Shirt", key)
    s2, h2, b2 = call(url, "POST", f"/v1/products/{pid}", "name=Shirt", key)
    assert (s1, s2) == (200, 200) and b1 == b2 and h2["Idempotent-Replayed"] == "true"
    assert len(events(db, "product.updated")) == 1
    s3, _, b3 = call(url, "POST", f"/v1/products/{pid}", "name=Other", key)
    assert s3 == 400 and error_of(b3)["type"] == "idempotency_error"
    # a refusal by state is replayed too
    _, _, body = call(url, "POST", "/v1/prices", f"product={pid}&currency=usd&unit_amount=5")
    s4, _, b4 = call(url, "DELETE", f"/v1/products/{pid}")
    assert s4 == 400 and "user-created prices" in error_of(b4)["message"]


def test_lifecycle_changes_survive_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "durable.sqlite3"
    with SandboxServer(port=0, db_path=str(db)) as first:
        c = stripe.StripeClient(KEY, base_addresses={"api": first.url}, max_network_retries=0)
        p = c.v1.products.create(params={"name": "Tee"})
        price = c.v1.prices.create(params={"product": p.id, "currency": "usd", "unit_amount": 5})
        link = c.v1.payment_links.create(
            params={"line_items": [{"price": price.id, "quantity": 1}]}
        )
        c.v1.prices.update(price.id, params={"lookup_key": "tee", "nickname": "T"})
        c.v1.payment_links.update(link.id, params={"active": False})
        c.v1.products.update(p.id, params={"name": "Shirt"})
        gone = c.v1.products.create(params={"name": "Gone"})
        c.v1.products.delete(gone.id)
    with SandboxServer(port=0, db_path=str(db)) as second:
        c = stripe.StripeClient(KEY, base_addresses={"api": second.url}, max_network_retries=0)
        assert c.v1.products.retrieve(p.id).name == "Shirt"
        assert c.v1.prices.list(params={"lookup_keys": ["tee"]}).data[0].nickname == "T"
        assert c.v1.payment_links.retrieve(link.id).active is False
        assert what(refused(c.v1.products.retrieve, gone.id))[0] == 404


def test_update_events_have_stripes_shapes(client: Client, db: Path) -> None:
    found = [d / "shared/reference/stripe-object-examples.json" for d in Path(__file__).parents]
    examples = next((f for f in found if f.is_file()), None)
    if examples is None:
        pytest.skip("shared/reference/stripe-object-examples.json is not beside this checkout")
    reference = json.loads(examples.read_text())["resources"]
    link = _link(client)
    price_id = client.v1.payment_links.line_items.list(link.id).data[0].price.id
    product_id = client.v1.prices.retrieve(price_id).product
    customer = client.v1.customers.create()
    client.v1.customers.update(customer.id, params={"name": "N"})
    client.v1.products.update(str(product_id), params={"name": "N"})
    client.v1.prices.update(price_id, params={"nickname": "N"})
    client.v1.payment_links.update(link.id, params={"active": False})
    for kind in ("customer", "product", "price", "payment_link"):
        [event] = events(db, f"{kind}.updated")
        assert set(event) == set(reference["event"])
        assert event["id"].startswith("evt_") and event["object"] == "event"
        assert set(reference[kind]) <= set(event["data"]["object"])
        assert not any(k.startswith("sandbox_") for k in event["data"]["object"])
