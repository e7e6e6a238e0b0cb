"""Stripe is never called while a database transaction or row lock is held.

The sandbox holds Stripe's answers (its ``/_sandbox/hold`` hook) for as long as
the test wants; while a webhook or a refund waits on Stripe, other requests,
including writes to the very payment it is about, must complete. Before the
fix they waited for Stripe: every request on SQLite (one writer), the locked
payment row on PostgreSQL. Nothing here sleeps: the sandbox says when a
request is held, and ``PROMPTLY`` only bounds a wait that would otherwise
last until the release (forever).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from tortoise.transactions import in_transaction

from billing.stripe_gateway import StripeGateway, StripeInTransaction
from sandbox.process import SandboxProcess
from tests.conftest import LiveServer, make_settings, stripe_get
from tests.test_payments import confirm, create, history
from tests.test_refunds import paid, refund
from tests.test_usage import track
from tests.test_webhooks import deliver

PROMPTLY = 10.0  # seconds; the requests below take milliseconds when nothing blocks them


async def hold(sandbox: SandboxProcess, prefix: str) -> None:
    await sandbox.helper_async("hold", prefix=prefix)


async def held(sandbox: SandboxProcess, count: int = 1) -> int:
    """How many requests the sandbox holds, once ``count`` are (or after 10 s)."""
    answer: dict[str, Any] = await sandbox.helper_async("hold/wait", count=count)
    return int(answer["held"])


async def promptly(request: Any) -> Any:
    return await asyncio.wait_for(request, PROMPTLY)


async def test_a_webhook_waiting_on_stripe_blocks_nobody(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    created = await create(shop)
    intent = created["payment"]["stripePaymentIntentId"]
    await confirm(sandbox, intent, "pm_card_visa")
    (succeeded,) = (await stripe_get(sandbox, "/v1/events", type="payment_intent.succeeded"))[
        "data"
    ]
    await hold(sandbox, f"/v1/payment_intents/{intent}")
    # Stripe sends the event again, under a new id: the handler reads the intent.
    delivery = asyncio.create_task(deliver(shop, {**succeeded, "id": succeeded["id"] + "_2"}))
    assert await held(sandbox) == 1

    plans = await promptly(shop.gql("{ plans { id } }"))
    tracked = await promptly(track(shop, user="someone-else"))  # a write (SQLite: one writer)
    refunded = await promptly(refund(shop, created["payment"]["id"], amount=500))  # same row
    assert not delivery.done()

    await sandbox.helper_async("release")
    assert (await delivery).status_code == 200
    assert len(plans["data"]["plans"]) == 4
    assert tracked["errors"] == [] and tracked["usage"]["used"] == 1
    assert refunded["errors"] == [] and refunded["payment"]["status"] == "PARTIALLY_REFUNDED"
    node = (await history(shop))["edges"][0]["node"]
    assert node["status"] == "PARTIALLY_REFUNDED"  # the late event did not undo the refund


async def test_a_refund_waiting_on_stripe_blocks_nobody_and_shows_nothing_yet(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    payment_id = await paid(shop, sandbox)
    await hold(sandbox, "/v1/refunds")
    first = asyncio.create_task(refund(shop, payment_id, amount=1000, idempotencyKey="a"))
    assert await held(sandbox) == 1

    node = (await promptly(history(shop)))["edges"][0]["node"]
    assert node["amountRefunded"] == {"amount": 0} and node["refunds"] == []
    # A second refund of the same payment gets past its lock and reaches Stripe too.
    second = asyncio.create_task(refund(shop, payment_id, amount=1000, idempotencyKey="b"))
    assert await held(sandbox, 2) == 2
    # What the two attempts reserve is not refundable meanwhile: 500 of 2500 are left.
    third = await promptly(refund(shop, payment_id, amount=1000, idempotencyKey="c"))
    assert third["errors"][0]["code"] == "NOT_REFUNDABLE"
    assert "between 1 and 500" in third["errors"][0]["message"]
    await promptly(track(shop, user="someone-else"))
    assert not first.done() and not second.done()

    await sandbox.helper_async("release")
    results = [await first, await second]
    assert [r["errors"] for r in results] == [[], []]
    node = (await history(shop))["edges"][0]["node"]
    assert node["amountRefunded"] == {"amount": 2000}


async def test_the_gateway_refuses_to_call_stripe_inside_a_transaction(
    db: str, sandbox: SandboxProcess, caplog: pytest.LogCaptureFixture
) -> None:
    """The safety net under both tests above: the test settings make a Stripe
    call inside a transaction raise; production logs it as an error."""
    strict = StripeGateway(make_settings(sandbox))
    lenient = StripeGateway(make_settings(sandbox, stripe_in_transaction="log"))
    async with in_transaction():
        with pytest.raises(StripeInTransaction):
            await strict.list_refunds("ch_none")
        with caplog.at_level(logging.ERROR, logger="billing.stripe_gateway"):
            assert await lenient.list_refunds("ch_none") == []
    assert "Stripe called inside a database transaction" in caplog.text
    assert await strict.list_refunds("ch_none") == []  # outside: fine
