"""Webhook delivery: signed like Stripe, in creation order, waited for with drain."""

import json

import pytest
import stripe

from sandbox.process import SandboxProcess
from sandbox.versioning import API_VERSION
from tests.sandbox.conftest import WEBHOOK_SECRET, Receiver


async def test_price_created_is_delivered_signed(
    client: stripe.StripeClient, sandbox_server: SandboxProcess, receiver: Receiver
) -> None:
    product = await client.v1.products.create_async(params={"name": "Pro"})
    price = await client.v1.prices.create_async(
        params={"product": product.id, "currency": "usd", "unit_amount": 500}
    )
    await sandbox_server.drain_async()

    assert len(receiver.requests) == 2
    headers, body = receiver.requests[1]
    assert headers["Content-Type"].startswith("application/json")
    signature = headers["Stripe-Signature"]
    assert stripe.WebhookSignature.verify_header(body.decode(), signature, WEBHOOK_SECRET)
    event = stripe.Webhook.construct_event(body, signature, WEBHOOK_SECRET)
    assert event.type == "price.created"
    assert event.api_version == API_VERSION
    assert event.data.object["id"] == price.id
    assert event.data.object["unit_amount"] == 500
    assert event.data.object["object"] == "price"


async def test_signature_does_not_verify_with_another_secret(
    client: stripe.StripeClient, sandbox_server: SandboxProcess, receiver: Receiver
) -> None:
    await client.v1.products.create_async(params={"name": "Pro"})
    await sandbox_server.drain_async()
    (headers, body) = receiver.requests[0]
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(body.decode(), headers["Stripe-Signature"], "whsec_x")


async def test_events_arrive_in_creation_order(
    client: stripe.StripeClient, sandbox_server: SandboxProcess, receiver: Receiver
) -> None:
    product = await client.v1.products.create_async(params={"name": "Pro"})
    prices = [
        await client.v1.prices.create_async(
            params={"product": product.id, "currency": "usd", "unit_amount": n}
        )
        for n in range(1, 6)
    ]
    await client.v1.prices.update_async(prices[0].id, params={"active": False})
    await sandbox_server.drain_async()

    delivered = [json.loads(body) for _, body in receiver.requests]
    assert [(e["type"], e["data"]["object"]["id"]) for e in delivered] == [
        ("product.created", product.id),
        *[("price.created", p.id) for p in prices],
        ("price.updated", prices[0].id),
    ]
    listed = (await client.v1.events.list_async(params={"limit": 100})).data
    assert [e["id"] for e in delivered] == [e.id for e in reversed(listed)]
    assert delivered[-1]["data"]["previous_attributes"] == {"active": True}


async def test_delivered_events_are_no_longer_pending(
    client: stripe.StripeClient, sandbox_server: SandboxProcess, receiver: Receiver
) -> None:
    await client.v1.products.create_async(params={"name": "Delivered"})
    await sandbox_server.drain_async()
    receiver.status = 500
    await client.v1.products.create_async(params={"name": "Refused"})
    await sandbox_server.drain_async()

    failed, delivered = (await client.v1.events.list_async()).data
    assert json.loads(receiver.requests[0][1])["pending_webhooks"] == 1
    assert delivered.pending_webhooks == 0
    assert failed.pending_webhooks == 1
    pending = await client.v1.events.list_async(params={"delivery_success": False})
    assert [e.id for e in pending.data] == [failed.id]


async def test_endpoint_receives_only_its_event_types(
    client: stripe.StripeClient, sandbox_server: SandboxProcess, receiver: Receiver
) -> None:
    await sandbox_server.configure_webhook_async(
        receiver.url, WEBHOOK_SECRET, events=["price.created"]
    )
    product = await client.v1.products.create_async(params={"name": "Pro"})
    await client.v1.prices.create_async(
        params={"product": product.id, "currency": "usd", "unit_amount": 1}
    )
    await sandbox_server.drain_async()
    assert [json.loads(body)["type"] for _, body in receiver.requests] == ["price.created"]
