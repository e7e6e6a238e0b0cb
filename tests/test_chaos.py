"""The same flows, delivered in order and delivered like Stripe (late, out of order, twice,
retried), end in the same state.

`make test-chaos` runs the payments, subscriptions and usage suites with the whole session
in chaos mode; this module compares one representative flow's final state both ways.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from billing.catalog import sync_catalog
from billing.plans_file import load_catalog
from billing.stripe_gateway import StripeGateway
from models.payments import Payment, Refund
from models.subscriptions import Subscription
from models.webhooks import WebhookEvent
from sandbox.process import SandboxError, SandboxProcess
from tests.conftest import LiveServer, _empty_tables
from tests.test_payments import create
from tests.test_refunds import refund
from tests.test_subscriptions import cancel, listed, subscribe
from tests.test_usage import limits, track


async def _flow(shop: LiveServer, sandbox: SandboxProcess) -> dict[str, Any]:
    """A subscriber who uses, renews and cancels; a buyer refunded in part; a declined
    buyer. The final state, without ids or times."""
    node = await subscribe(shop, sandbox, "user-a")
    await track(shop, quantity=40, user="user-a")
    await sandbox.helper_async(f"subscriptions/{node['stripeSubscriptionId']}/advance")
    await sandbox.drain_async()
    await track(shop, quantity=7, user="user-a")
    assert (await cancel(shop, "user-a", node["id"], at_period_end=True))["errors"] == []

    bought = await create(shop, user="user-b", amount=2500)
    intent = bought["payment"]["stripePaymentIntentId"]
    await sandbox.helper_async(f"payment_intents/{intent}/confirm", payment_method="pm_card_visa")
    await sandbox.drain_async()
    assert (await refund(shop, bought["payment"]["id"], amount=1000))["errors"] == []

    declined = await create(shop, user="user-c", amount=900)
    intent = declined["payment"]["stripePaymentIntentId"]
    try:
        await sandbox.helper_async(
            f"payment_intents/{intent}/confirm", payment_method="pm_card_chargeDeclined"
        )
    except SandboxError as error:
        assert error.status == 402
    await sandbox.drain_async()

    [subscription] = await listed(shop, "user-a")
    renewed = subscription["currentPeriodStart"] == node["currentPeriodEnd"]
    return {
        "subscription": (
            subscription["status"],
            subscription["plan"]["id"],
            subscription["cancelAtPeriodEnd"],
            renewed,
        ),
        "subscriptions": await Subscription.all().count(),
        "usage": {k: (v["used"], v["limit"]) for k, v in (await limits(shop, "user-a")).items()},
        "payments": sorted(
            (p.user_id, p.status, p.amount, p.amount_refunded) for p in await Payment.all()
        ),
        "refunds": sorted((r.amount, r.status) for r in await Refund.all()),
        "event types": Counter(e.payload["type"] for e in await WebhookEvent.all()),
        "event statuses": Counter(str(e.status) for e in await WebhookEvent.all()),
    }


async def test_a_flow_ends_the_same_in_order_and_in_chaos(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    await sandbox.chaos_async(enabled=False)
    in_order = await _flow(shop, sandbox)

    sandbox.reset()
    await _empty_tables()
    await sync_catalog(load_catalog(None), StripeGateway(shop.settings))
    await sandbox.chaos_async(duplicate=0.5, delay=0.1, retries=6, backoff=0.05, seed=5)
    try:
        in_chaos = await _flow(shop, sandbox)
    finally:
        await sandbox.chaos_async(enabled=False)

    assert in_chaos == in_order
    assert in_order["subscription"] == ("ACTIVE", "premium", True, True)
    assert set(in_order["event statuses"]) <= {"processed", "ignored"}  # none failed or stuck
