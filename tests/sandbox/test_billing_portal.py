"""Billing portal sessions: today's shape, the event, and the hosted page's cancellation."""

import httpx
import pytest
import stripe

from sandbox.process import SandboxProcess
from tests.sandbox.billing import customer_paying_with, monthly_price


async def test_portal_session_and_its_page(
    client: stripe.StripeClient, sandbox_server: SandboxProcess
) -> None:
    customer = await customer_paying_with(client)
    price = await monthly_price(client)
    subscription = await client.v1.subscriptions.create_async(
        params={"customer": customer, "items": [{"price": price.id}]}
    )
    session = await client.v1.billing_portal.sessions.create_async(
        params={"customer": customer, "return_url": "https://app.example.com/account"}
    )
    assert session.id.startswith("bps_")
    assert session.object == "billing_portal.session"
    assert session.customer == customer
    assert session.return_url == "https://app.example.com/account"
    assert session.livemode is False
    assert isinstance(session.created, int)
    assert isinstance(session.configuration, str)
    assert session.url.startswith(f"{sandbox_server.url}/p/session/")
    (event,) = (
        await client.v1.events.list_async(params={"type": "billing_portal.session.created"})
    ).data
    assert event.data.object["id"] == session.id

    async with httpx.AsyncClient() as browser:
        page = await browser.get(session.url)
        assert page.status_code == 200
        assert "Pro" in page.text
        assert "https://app.example.com/account" in page.text
        canceled = await browser.post(f"{session.url}/cancel/{subscription.id}")
    assert canceled.status_code == 303
    scheduled = await client.v1.subscriptions.retrieve_async(subscription.id)
    assert scheduled.cancel_at_period_end is True
    (updated,) = (
        await client.v1.events.list_async(
            params={"type": "customer.subscription.updated", "limit": 1}
        )
    ).data
    assert updated.data.object["cancel_at_period_end"] is True


async def test_customer_is_required(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as missing:
        await client.v1.billing_portal.sessions.create_async(params={})
    assert missing.value.param == "customer"
    with pytest.raises(stripe.InvalidRequestError) as unknown:
        await client.v1.billing_portal.sessions.create_async(params={"customer": "cus_missing"})
    assert unknown.value.param == "customer"
