"""Ephemeral keys for the mobile PaymentSheet: shape, the Stripe-Version rule, deletion."""

import httpx
import pytest
import stripe

from sandbox.process import SandboxProcess

MOBILE_VERSION = "2020-08-27"


async def test_create_and_delete(client: stripe.StripeClient) -> None:
    customer = await client.v1.customers.create_async(params={"email": "a@example.com"})
    key = await client.v1.ephemeral_keys.create_async(
        params={"customer": customer.id}, options={"stripe_version": MOBILE_VERSION}
    )
    assert key.id.startswith("ephkey_")
    assert key.object == "ephemeral_key"
    assert key.secret is not None
    assert key.secret.startswith("ek_test_")
    associated = [o.to_dict() for o in key["associated_objects"]]
    assert associated == [{"id": customer.id, "type": "customer"}]
    assert key.expires > key.created
    assert key.livemode is False

    deleted = await client.v1.ephemeral_keys.delete_async(key.id)
    assert deleted.id == key.id
    assert deleted.expires <= key.expires
    with pytest.raises(stripe.InvalidRequestError) as gone:
        await client.v1.ephemeral_keys.delete_async(key.id)
    assert gone.value.http_status == 404


async def test_stripe_version_header_is_required(
    client: stripe.StripeClient, sandbox_server: SandboxProcess
) -> None:
    customer = await client.v1.customers.create_async(params={"email": "a@example.com"})
    async with httpx.AsyncClient(base_url=sandbox_server.url) as http:
        answer = await http.post(
            "/v1/ephemeral_keys",
            data={"customer": customer.id},
            headers={"Authorization": f"Bearer {sandbox_server.secret_key}"},
        )
    assert answer.status_code == 400
    assert answer.json()["error"]["type"] == "invalid_request_error"
    assert "Stripe-Version" in answer.json()["error"]["message"]


async def test_customer_is_required_and_must_exist(client: stripe.StripeClient) -> None:
    options: stripe.RequestOptions = {"stripe_version": MOBILE_VERSION}
    with pytest.raises(stripe.InvalidRequestError) as missing:
        await client.v1.ephemeral_keys.create_async(params={}, options=options)
    assert missing.value.param == "customer"
    with pytest.raises(stripe.InvalidRequestError) as unknown:
        await client.v1.ephemeral_keys.create_async(
            params={"customer": "cus_missing"}, options=options
        )
    assert unknown.value.http_status == 400
    assert unknown.value.param == "customer"
