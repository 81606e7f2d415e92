"""The gateway's lifecycle operations for customers and the catalog, against the sandbox over
HTTP through the official SDK: what a console's update, delete, archive and deactivate forms
will call, their errors, and their idempotency keys."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.test_gateway import KEY, _error, add_fault
from tui.gateway import ErrorKind, Gateway, new_idempotency_key
from tui.settings import SecretKey


@pytest.fixture
def gateway(sandbox: Any) -> Gateway:
    return Gateway(SecretKey(KEY), sandbox.url, max_network_retries=0)


def _price(gateway: Gateway, product_id: str, amount: int = 500) -> dict[str, Any]:
    return gateway.create_price(
        product_id=product_id,
        unit_amount=amount,
        currency="usd",
        idempotency_key=new_idempotency_key(),
    )


def _catalog(gateway: Gateway) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    product = gateway.create_product({"name": "Tee"}, new_idempotency_key())
    price = _price(gateway, product["id"])
    link = gateway.create_payment_link(
        price_id=price["id"], quantity=2, idempotency_key=new_idempotency_key()
    )
    return product, price, link


# --- customers ----------------------------------------------------------------------------


def test_update_customer_sets_unsets_and_leaves_alone(gateway: Gateway) -> None:
    c = gateway.create_customer(
        {"email": "a@example.com", "name": "Ada", "phone": "+100"}, new_idempotency_key()
    )
    updated = gateway.update_customer(
        f" {c['id']} ",
        {"name": "Ada L.", "phone": "", "email": None, "metadata": {"tier": "gold"}},
        new_idempotency_key(),
    )
    assert updated["name"] == "Ada L."
    assert updated["phone"] is None  # "" unsets
    assert updated["email"] == "a@example.com"  # None leaves it as it is
    assert updated["metadata"] == {"tier": "gold"}
    again = gateway.update_customer(c["id"], {"metadata": {"tier": ""}}, new_idempotency_key())
    assert again["metadata"] == {}
    assert gateway.retrieve_customer(c["id"]) == again


def test_update_customer_errors(gateway: Gateway) -> None:
    c = gateway.create_customer({"email": "a@example.com"}, new_idempotency_key())
    err = _error(gateway.update_customer, c["id"], {"email": "nope"}, new_idempotency_key())
    assert (err.kind, err.param, err.code) == (
        ErrorKind.INVALID_REQUEST,
        "email",
        "email_invalid",
    )
    err = _error(
        gateway.update_customer,
        c["id"],
        {"invoice_settings": {"default_payment_method": "pm_missing"}},
        new_idempotency_key(),
    )
    assert err.kind is ErrorKind.INVALID_REQUEST
    assert err.param == "invoice_settings[default_payment_method]"
    err = _error(gateway.update_customer, "cus_missing", {"name": "x"}, new_idempotency_key())
    assert err.kind is ErrorKind.NOT_FOUND and err.message == "No such customer: 'cus_missing'"
    err = _error(gateway.update_customer, "  ", {"name": "x"}, new_idempotency_key())
    assert (err.kind, err.param) == (ErrorKind.INVALID_REQUEST, "id")


def test_delete_customer(gateway: Gateway) -> None:
    c = gateway.create_customer({"email": "a@example.com"}, new_idempotency_key())
    assert gateway.delete_customer(c["id"]) == {
        "id": c["id"],
        "object": "customer",
        "deleted": True,
    }
    assert gateway.retrieve_customer(c["id"])["deleted"] is True
    assert gateway.list_customers().items == []
    err = _error(gateway.delete_customer, c["id"])
    assert err.kind is ErrorKind.NOT_FOUND


def test_an_update_whose_answer_was_lost_is_replayed_with_its_key(
    sandbox: Any, gateway: Gateway
) -> None:
    c = gateway.create_customer({"email": "a@example.com"}, new_idempotency_key())
    key = new_idempotency_key()
    add_fault(sandbox, path=f"/v1/customers/{c['id']}", method="POST", status=500, after=True)
    err = _error(gateway.update_customer, c["id"], {"name": "Ada"}, key)
    assert err.outcome_unknown
    replayed = gateway.update_customer(c["id"], {"name": "Ada"}, key)
    assert replayed["name"] == "Ada"
    err = _error(gateway.update_customer, c["id"], {"name": "Other"}, key)
    assert err.kind is ErrorKind.IDEMPOTENCY
    assert gateway.retrieve_customer(c["id"])["name"] == "Ada"


# --- products -----------------------------------------------------------------------------


def test_update_product_and_list_archived(gateway: Gateway) -> None:
    kept = gateway.create_product({"name": "Mug"}, new_idempotency_key())
    p = gateway.create_product({"name": "Tee", "description": "cotton"}, new_idempotency_key())
    updated = gateway.update_product(
        p["id"], {"name": "T-shirt", "description": "", "active": False}, new_idempotency_key()
    )
    assert (updated["name"], updated["description"], updated["active"]) == (
        "T-shirt",
        None,
        False,
    )
    assert [x["id"] for x in gateway.list_products(active=False).items] == [p["id"]]
    assert [x["id"] for x in gateway.list_products(active=True).items] == [kept["id"]]
    assert len(gateway.list_products().items) == 2
    err = _error(gateway.update_product, p["id"], {"name": ""}, new_idempotency_key())
    assert (err.kind, err.param) == (ErrorKind.INVALID_REQUEST, "name")


def test_delete_product(gateway: Gateway) -> None:
    product, _, _ = _catalog(gateway)
    err = _error(gateway.delete_product, product["id"])
    assert err.kind is ErrorKind.INVALID_REQUEST
    assert err.message == (
        "This product cannot be deleted because it has one or more user-created prices."
    )
    bare = gateway.create_product({"name": "Bare"}, new_idempotency_key())
    assert gateway.delete_product(bare["id"])["deleted"] is True
    assert _error(gateway.retrieve_product, bare["id"]).kind is ErrorKind.NOT_FOUND


def test_search_products_pages(gateway: Gateway) -> None:
    made = [
        gateway.create_product({"name": f"Shirt {n}"}, new_idempotency_key())["id"]
        for n in range(3)
    ]
    gateway.create_product({"name": "Mug"}, new_idempotency_key())
    first = gateway.search_products('name~"shirt"', limit=2)
    assert [x["id"] for x in first.items] == made[:0:-1] and first.next_cursor
    second = gateway.search_products('name~"shirt"', limit=2, cursor=first.next_cursor)
    assert [x["id"] for x in second.items] == made[:1] and second.next_cursor is None
    err = _error(gateway.search_products, 'colour:"red"')
    assert (err.kind, err.param) == (ErrorKind.INVALID_REQUEST, "query")


# --- prices -------------------------------------------------------------------------------


def test_archive_and_unarchive_a_price(gateway: Gateway) -> None:
    product = gateway.create_product({"name": "Tee"}, new_idempotency_key())
    price = _price(gateway, product["id"])
    archived = gateway.update_price(price["id"], {"active": False}, new_idempotency_key())
    assert archived["active"] is False
    assert [x["id"] for x in gateway.list_prices(active=False).items] == [price["id"]]
    assert gateway.list_prices(product=product["id"], active=True).items == []
    # an archived price cannot be sold on a new link
    err = _error(
        gateway.create_payment_link,
        price_id=price["id"],
        quantity=1,
        idempotency_key=new_idempotency_key(),
    )
    assert err.param == "line_items[0][price]"
    unarchived = gateway.update_price(price["id"], {"active": True}, new_idempotency_key())
    assert unarchived["active"] is True


def test_the_default_price_cannot_be_archived(gateway: Gateway) -> None:
    product = gateway.create_product(
        {"name": "Tee", "default_price_data": {"currency": "usd", "unit_amount": 500}},
        new_idempotency_key(),
    )
    err = _error(
        gateway.update_price, product["default_price"], {"active": False}, new_idempotency_key()
    )
    assert err.kind is ErrorKind.INVALID_REQUEST and err.param == "active"
    assert "default price" in err.message


def test_lookup_keys_through_the_gateway(gateway: Gateway) -> None:
    product = gateway.create_product({"name": "Tee"}, new_idempotency_key())
    old, new = _price(gateway, product["id"]), _price(gateway, product["id"], 700)
    gateway.update_price(old["id"], {"lookup_key": "std"}, new_idempotency_key())
    err = _error(gateway.update_price, new["id"], {"lookup_key": "std"}, new_idempotency_key())
    assert (err.kind, err.param) == (ErrorKind.INVALID_REQUEST, "lookup_key")
    moved = gateway.update_price(
        new["id"], {"lookup_key": "std", "transfer_lookup_key": True}, new_idempotency_key()
    )
    assert moved["lookup_key"] == "std"
    assert [x["id"] for x in gateway.list_prices(lookup_keys=["std"]).items] == [new["id"]]
    assert [x["id"] for x in gateway.search_prices('lookup_key:"std"').items] == [new["id"]]
    assert gateway.retrieve_price(old["id"])["lookup_key"] is None


# --- payment links ------------------------------------------------------------------------


def test_deactivate_and_activate_a_payment_link(gateway: Gateway) -> None:
    _, _, link = _catalog(gateway)
    off = gateway.update_payment_link(
        link["id"], {"active": False, "inactive_message": "Sold out"}, new_idempotency_key()
    )
    assert (off["active"], off["inactive_message"]) == (False, "Sold out")
    assert [x["id"] for x in gateway.list_payment_links(active=False).items] == [link["id"]]
    assert gateway.list_payment_links(active=True).items == []
    on = gateway.update_payment_link(link["id"], {"active": True}, new_idempotency_key())
    assert on["active"] is True
    err = _error(gateway.update_payment_link, "plink_missing", {"active": False}, "k")
    assert err.kind is ErrorKind.NOT_FOUND


def test_payment_link_line_items_expanded(gateway: Gateway) -> None:
    _, price, link = _catalog(gateway)
    assert "line_items" not in gateway.retrieve_payment_link(link["id"])
    expanded = gateway.retrieve_payment_link(f" {link['id']} ", expand_line_items=True)
    [item] = expanded["line_items"]["data"]
    assert (item["price"]["id"], item["quantity"]) == (price["id"], 2)
    gateway.update_payment_link(
        link["id"], {"line_items": [{"id": item["id"], "quantity": 5}]}, new_idempotency_key()
    )
    [listed] = gateway.list_payment_links(expand_line_items=True).items
    assert [i["quantity"] for i in listed["line_items"]["data"]] == [5]
    assert gateway.list_payment_link_items(link["id"]).items[0]["quantity"] == 5
