"""API versions (the Stripe-Version header both ways) and the 404 of URLs Stripe does not have."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest
import stripe
from stripe.params import WebhookEndpointCreateParams

from tests.unit.test_sandbox_http import call, error_of
from tui.sandbox import SandboxServer
from tui.sandbox.versions import API_VERSION, KNOWN

Client = stripe.StripeClient
README = Path(__file__).parents[2] / "README.md"


def test_the_sandbox_follows_the_version_the_sdk_pins() -> None:
    assert stripe.api_version == API_VERSION
    assert API_VERSION in README.read_text()


def test_the_known_versions_are_stripes_list_in_the_sdk() -> None:
    hint = WebhookEndpointCreateParams.__annotations__["api_version"]  # NotRequired[Literal]
    (literal,) = typing.get_args(hint)
    assert frozenset(typing.get_args(literal)) == KNOWN


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/v1/customers", None),
        ("POST", "/v1/customers", "email=v@example.com"),
        ("GET", "/v1/customers/cus_missing", None),  # a 404
        ("POST", "/v1/customers", "nope=1"),  # a 400
        ("GET", "/v1/nowhere", None),  # an unknown route
    ],
)
def test_every_response_carries_the_version_it_was_served_with(
    sandbox: SandboxServer, method: str, path: str, body: str | None
) -> None:
    _, headers, _ = call(sandbox.url, method, path, body)
    assert headers["Stripe-Version"] == API_VERSION
    _, headers, _ = call(sandbox.url, "GET", "/v1/customers", key="sk_live_nope")
    assert headers["Stripe-Version"] == API_VERSION


def test_an_older_version_stripe_knows_is_served_with_the_sandboxs(
    sandbox: SandboxServer,
) -> None:
    status, headers, _ = call(
        sandbox.url, "GET", "/v1/customers", None, {"Stripe-Version": "2020-08-27"}
    )
    assert status == 200
    assert headers["Stripe-Version"] == API_VERSION


@pytest.mark.parametrize("version", ["2019-2-19", "2099-01-01", "2024-06-20; beta=v1", "latest"])
def test_an_unknown_version_is_stripes_400(
    stripe_client: Client, sandbox: SandboxServer, version: str
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        stripe_client.v1.customers.create(
            params={"email": "x@example.com"}, options={"stripe_version": version}
        )
    assert info.value.http_status == 400
    assert info.value.user_message == f"Invalid Stripe API version: {version}"
    assert info.value.code is None
    assert stripe_client.v1.customers.list().data == []  # nothing was created


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/payment_links/search?query=active:'true'"),
        ("GET", "/v1/refunds/search?query=amount>1"),
        ("GET", "/v1/events/search?query=type:'x'"),
        ("GET", "/v1/payment_methods/search"),
        ("POST", "/v1/customers/search"),
        ("DELETE", "/v1/customers/search"),
        ("GET", "/v1/nowhere"),
        ("GET", "/v1/customers/cus_x/nothing"),
        ("DELETE", "/v1/customers"),
        ("PUT", "/v1/customers"),
    ],
)
def test_unknown_urls_are_a_404_before_any_parameter_is_read(
    sandbox: SandboxServer, method: str, path: str
) -> None:
    # A body that would be a 400 on any route: the URL is refused first, as Stripe does.
    status, _, body = call(sandbox.url, method, path, "bad[=1&x=" + "[" * 100)
    assert status == 404, body
    route = path.split("?", 1)[0]
    assert error_of(body) == {
        "message": f"Unrecognized request URL ({method}: {route}). Please see "
        "https://stripe.com/docs or we can help at https://support.stripe.com/.",
        "type": "invalid_request_error",
    }


def test_customer_search_is_still_a_route(stripe_client: Client) -> None:
    stripe_client.v1.customers.create(params={"email": "found@example.com"})
    result = stripe_client.v1.customers.search(params={"query": 'email:"found@example.com"'})
    assert [c.email for c in result.data] == ["found@example.com"]
