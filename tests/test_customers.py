"""A stored Stripe customer that Stripe no longer knows is created again, not a failure."""

from __future__ import annotations

import asyncio
from typing import Any

from billing.catalog import sync_catalog
from billing.plans_file import load_catalog
from billing.stripe_gateway import StripeGateway
from billing.tokens import mint_token
from models.customers import Customer
from sandbox.process import SandboxProcess
from tests.conftest import LiveServer, stripe_get
from tests.test_payments import create
from tests.test_subscriptions import checkout


async def _customers(sandbox: SandboxProcess) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = (await stripe_get(sandbox, "/v1/customers", limit=100))["data"]
    return data


async def test_a_reset_sandbox_gets_the_customer_created_again(
    api: LiveServer, sandbox: SandboxProcess
) -> None:
    first = await create(api, key="before")
    sandbox.reset()  # the dev sandbox forgot everything, the database did not

    second = await create(api, key="after")

    assert second["errors"] == [] and second["clientSecret"]
    assert second["customerId"] != first["customerId"]
    row = await Customer.get(user_id="user-a")
    assert row.stripe_customer_id == second["customerId"]
    [customer] = await _customers(sandbox)
    assert customer["id"] == second["customerId"]
    assert customer["metadata"] == {"user_id": "user-a"}
    intent = await stripe_get(
        sandbox, f"/v1/payment_intents/{second['payment']['stripePaymentIntentId']}"
    )
    assert intent["customer"] == second["customerId"]


async def test_requests_racing_to_replace_a_missing_customer_make_one(
    api: LiveServer, sandbox: SandboxProcess
) -> None:
    await create(api, key="before")
    sandbox.reset()

    results = await asyncio.gather(*(create(api, key=f"race-{i}") for i in range(4)))

    assert all(r["errors"] == [] for r in results), results
    assert len({r["customerId"] for r in results}) == 1
    assert [c["id"] for c in await _customers(sandbox)] == [results[0]["customerId"]]
    assert (await Customer.get(user_id="user-a")).stripe_customer_id == results[0]["customerId"]


async def test_an_email_change_for_a_missing_customer_creates_it_again(
    api: LiveServer, sandbox: SandboxProcess
) -> None:
    await create(api, key="before")
    sandbox.reset()
    headers = {"Authorization": f"Bearer {mint_token(api.settings, 'user-a', email='n@x.io')}"}

    body = await api.gql(
        """mutation { createPaymentIntent(input: {amount: 900, currency: "usd",
             idempotencyKey: "after"}) { customerId errors { code } } }""",
        headers=headers,
    )

    result = body["data"]["createPaymentIntent"]
    assert result["errors"] == []
    [customer] = await _customers(sandbox)
    assert (customer["id"], customer["email"]) == (result["customerId"], "n@x.io")
    assert (await Customer.get(user_id="user-a")).email == "n@x.io"


async def test_a_checkout_for_a_missing_customer_creates_it_again(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    await create(shop, key="before")
    sandbox.reset()
    await sync_catalog(load_catalog(None), StripeGateway(shop.settings))  # prices again

    session = await checkout(shop, "user-a")

    assert session["errors"] == []
    [customer] = await _customers(sandbox)
    sent = await stripe_get(sandbox, f"/v1/checkout/sessions/{session['sessionId']}")
    assert sent["customer"] == customer["id"]
    assert (await Customer.get(user_id="user-a")).stripe_customer_id == customer["id"]
