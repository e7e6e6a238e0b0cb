"""One open checkout per user, and a second subscription undone anyway.

Two tabs must not end in two subscriptions: the same checkout again reuses
the open session, another one expires it in Stripe (so it can't be paid),
racing requests leave one open session. A second live subscription made
anyway (both sessions paid before any webhook, or one made in the
dashboard) is canceled and refunded after the webhook, once, however often
its events are replayed. Everything through the sandbox and signed webhooks.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from billing.catalog import sync_catalog
from billing.customers import ensure_customer
from billing.plans_file import load_catalog
from billing.stripe_gateway import StripeGateway
from billing.tokens import Caller
from models.catalog import PlanPrice
from models.checkout import CheckoutSession, CheckoutStatus
from models.duplicates import DuplicateSubscription, ResolutionStatus
from models.payments import Payment, PaymentStatus
from models.subscriptions import LIVE_STATUSES, Subscription, SubscriptionStatus
from models.webhooks import EventStatus, WebhookEvent
from sandbox.process import SandboxError, SandboxProcess
from tests.conftest import (
    WEBHOOK_SECRET,
    LiveServer,
    make_settings,
    start_server,
    stripe_get,
    stripe_post,
)
from tests.test_subscriptions import CANCEL_URL, checkout, codes, plan_of, sessions_in_stripe
from tests.test_usage import Clock
from tests.test_webhooks import deliver
from webhooks.recovery import replay


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime.now(UTC))


@pytest.fixture
async def store(db: str, sandbox: SandboxProcess, clock: Clock) -> AsyncIterator[LiveServer]:
    """The API on the test's clock, receiving the sandbox's webhooks, catalog synced."""
    live = await start_server(make_settings(sandbox), clock=clock)
    await sandbox.configure_webhook_async(f"{live.url}/webhooks/stripe", WEBHOOK_SECRET)
    await sync_catalog(load_catalog(None), StripeGateway(live.settings))
    await sandbox.drain_async()
    yield live
    await sandbox.remove_webhook_async()
    await live.stop()


async def pay(sandbox: SandboxProcess, session_id: str) -> None:
    await sandbox.helper_async(
        f"checkout/sessions/{session_id}/complete", payment_method="pm_card_visa"
    )


async def open_sessions(sandbox: SandboxProcess) -> list[str]:
    return [s["id"] for s in await sessions_in_stripe(sandbox) if s["status"] == "open"]


# --------------------------------------------------------- one open checkout


async def test_the_same_checkout_later_reuses_the_open_session(
    store: LiveServer, sandbox: SandboxProcess, clock: Clock
) -> None:
    first = await checkout(store, "user-a")
    clock.now += timedelta(hours=3)  # past the hour that shares a Stripe idempotency key
    again = await checkout(store, "user-a")
    assert first["errors"] == again["errors"] == []
    assert (again["sessionId"], again["url"]) == (first["sessionId"], first["url"])
    assert await open_sessions(sandbox) == [first["sessionId"]]
    (row,) = await CheckoutSession.filter(user_id="user-a")
    assert (row.status, row.open_slot, row.plan_id) == (CheckoutStatus.OPEN, "user-a", "premium")  # type: ignore[attr-defined]
    assert row.interval == "month" and row.url == first["url"]

    # Close to its end, a session is not handed out again: a fresh one replaces it.
    clock.now = row.expires_at - timedelta(minutes=30)
    fresh = await checkout(store, "user-a")
    assert fresh["sessionId"] != first["sessionId"]
    assert await open_sessions(sandbox) == [fresh["sessionId"]]

    # Paid: the webhook completes the row and frees the slot. Stripe signs its
    # webhooks with the real time, which the endpoint checks against our clock:
    # back to the real time for the delivery.
    clock.now = datetime.now(UTC)
    await pay(sandbox, fresh["sessionId"])
    await sandbox.drain_async()
    done = await CheckoutSession.get(stripe_session_id=fresh["sessionId"])
    (subscription,) = await Subscription.filter(user_id="user-a")
    assert (done.status, done.open_slot, done.url) == (CheckoutStatus.COMPLETE, None, None)
    assert done.stripe_subscription_id == subscription.stripe_subscription_id
    assert (await CheckoutSession.get(stripe_session_id=first["sessionId"])).status == "expired"
    assert not await WebhookEvent.filter(status=EventStatus.FAILED).exists()


async def test_another_plan_expires_the_older_session_which_can_no_longer_be_paid(
    store: LiveServer, sandbox: SandboxProcess
) -> None:
    premium = await checkout(store, "user-a", "premium")
    pro = await checkout(store, "user-a", "pro")
    assert premium["errors"] == pro["errors"] == []
    assert pro["sessionId"] != premium["sessionId"]
    assert await open_sessions(sandbox) == [pro["sessionId"]]

    with pytest.raises(SandboxError) as refused:  # the first tab tries to pay
        await pay(sandbox, premium["sessionId"])
    assert refused.value.status == 400 and "expired" in str(refused.value)
    await sandbox.drain_async()
    older = await CheckoutSession.get(stripe_session_id=premium["sessionId"])
    assert (older.status, older.open_slot) == (CheckoutStatus.EXPIRED, None)

    # Back to premium: a new session (the expired one is never handed back).
    back = await checkout(store, "user-a", "premium")
    assert back["sessionId"] not in (premium["sessionId"], pro["sessionId"])
    assert await open_sessions(sandbox) == [back["sessionId"]]
    await pay(sandbox, back["sessionId"])
    await sandbox.drain_async()
    (subscription,) = await Subscription.filter(user_id="user-a")
    assert subscription.plan_id == "premium"  # type: ignore[attr-defined]
    assert await open_sessions(sandbox) == []


async def test_an_older_session_paid_meanwhile_refuses_the_new_checkout(
    store: LiveServer, sandbox: SandboxProcess
) -> None:
    """Paid in one tab, its webhook not yet in: the other tab's checkout for
    another plan finds the older session complete and creates nothing."""
    await sandbox.remove_webhook_async()
    premium = await checkout(store, "user-a", "premium")
    await pay(sandbox, premium["sessionId"])
    pro = await checkout(store, "user-a", "pro")
    assert codes(pro) == [("ALREADY_SUBSCRIBED", None)] and pro["sessionId"] is None
    assert [s["id"] for s in await sessions_in_stripe(sandbox)] == [premium["sessionId"]]
    row = await CheckoutSession.get(stripe_session_id=premium["sessionId"])
    assert row.status == CheckoutStatus.COMPLETE and row.stripe_subscription_id
    assert not await Subscription.exists()  # refused before any webhook told us
    await sandbox.configure_webhook_async(f"{store.url}/webhooks/stripe", WEBHOOK_SECRET)


@pytest.mark.parametrize("same", [True, False], ids=["same request", "other requests"])
async def test_racing_checkouts_leave_one_open_session(
    store: LiveServer, sandbox: SandboxProcess, same: bool
) -> None:
    """Eight tabs at once, each on its own connection (and, on PostgreSQL, its
    own database connection): one session stays open."""
    await ensure_customer(Caller("user-a"), StripeGateway(store.settings))  # race to the slot
    plans = ["premium", "pro", "enterprise"]
    requests = [
        ("premium", {}) if same else (plans[n % 3], {"cancelUrl": f"{CANCEL_URL}?tab={n}"})
        for n in range(8)
    ]
    clients = [httpx.AsyncClient(base_url=store.url, timeout=30) for _ in requests]
    try:
        answers = await asyncio.gather(
            *(
                checkout(dataclasses.replace(store, client=client), "user-a", plan, **fields)
                for client, (plan, fields) in zip(clients, requests, strict=True)
            )
        )
    finally:
        for client in clients:
            await client.aclose()
    assert all(answer["errors"] == [] for answer in answers), answers
    if same:
        assert len({answer["sessionId"] for answer in answers}) == 1
    (open_id,) = await open_sessions(sandbox)
    assert open_id in {answer["sessionId"] for answer in answers}
    (held,) = await CheckoutSession.filter(open_slot="user-a")
    assert held.stripe_session_id == open_id
    await sandbox.drain_async()
    assert await CheckoutSession.filter(status=CheckoutStatus.OPEN).count() == 1
    assert not await WebhookEvent.filter(status=EventStatus.FAILED).exists()


# -------------------------------------------------- a second subscription anyway


async def session_outside_billgraph(sandbox: SandboxProcess, user: str, plan_price: str) -> str:
    """A session made in Stripe directly (as before the one-open rule, or by
    another integration) for the user's customer."""
    customer = (await stripe_get(sandbox, "/v1/customers"))["data"][0]["id"]
    session = await stripe_post(
        sandbox,
        "/v1/checkout/sessions",
        mode="subscription",
        customer=customer,
        success_url="http://localhost:3000/ok",
        **{
            "line_items[0][price]": plan_price,
            "line_items[0][quantity]": 1,
            "metadata[user_id]": user,
            "subscription_data[metadata][user_id]": user,
        },
    )
    session_id: str = session["id"]
    return session_id


async def price_of(plan: str) -> str:
    return (await PlanPrice.get(plan_id=plan, interval="month", active=True)).stripe_price_id


async def refunds_of(sandbox: SandboxProcess, payment_intent: str) -> list[dict]:
    listed: list[dict] = (
        await stripe_get(sandbox, "/v1/refunds", payment_intent=payment_intent, limit=100)
    )["data"]
    return listed


async def test_two_subscriptions_paid_before_any_webhook_end_as_one(
    store: LiveServer, sandbox: SandboxProcess, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="billing.duplicates")
    ours = await checkout(store, "user-a", "premium")
    theirs = await session_outside_billgraph(sandbox, "user-a", await price_of("pro"))
    await pay(sandbox, ours["sessionId"])  # both tabs pay at once
    await pay(sandbox, theirs)
    await sandbox.drain_async()

    subscriptions = {s.stripe_subscription_id: s for s in await Subscription.filter()}
    assert len(subscriptions) == 2
    (record,) = await DuplicateSubscription.all()
    assert record.status == ResolutionStatus.RESOLVED and record.user_id == "user-a"
    assert {record.kept_stripe_subscription_id, record.duplicate_stripe_subscription_id} == set(
        subscriptions
    )
    kept = await stripe_get(sandbox, f"/v1/subscriptions/{record.kept_stripe_subscription_id}")
    duplicate = await stripe_get(
        sandbox, f"/v1/subscriptions/{record.duplicate_stripe_subscription_id}"
    )
    assert (kept["status"], duplicate["status"]) == ("active", "canceled")
    assert kept["created"] <= duplicate["created"]  # the older one stays
    live = await Subscription.filter(user_id="user-a", status__in=LIVE_STATUSES)
    assert [s.stripe_subscription_id for s in live] == [kept["id"]]
    assert subscriptions[duplicate["id"]].status == SubscriptionStatus.CANCELED

    (refund,) = await refunds_of(sandbox, record.stripe_payment_intent_id or "")
    (paid,) = (
        await stripe_get(sandbox, "/v1/invoice_payments", invoice=duplicate["latest_invoice"])
    )["data"]
    assert paid["payment"]["payment_intent"] == record.stripe_payment_intent_id
    assert (refund["id"], refund["amount"], refund["reason"], refund["status"]) == (
        record.stripe_refund_id,
        paid["amount_paid"],
        "duplicate",
        "succeeded",
    )
    assert (record.refunded_amount, record.currency) == (paid["amount_paid"], "usd")
    payment = await Payment.get(stripe_payment_intent_id=record.stripe_payment_intent_id)
    assert payment.status == PaymentStatus.REFUNDED
    assert any(
        record.duplicate_stripe_subscription_id in line
        and record.kept_stripe_subscription_id in line
        for line in caplog.messages
    )
    assert not await WebhookEvent.filter(status=EventStatus.FAILED).exists()


async def dashboard_subscription(sandbox: SandboxProcess, of: str, plan: str) -> dict:
    """A second subscription made in Stripe for the customer of subscription
    ``of`` (no billgraph metadata), paid with its card."""
    first = await stripe_get(sandbox, f"/v1/subscriptions/{of}")
    created: dict = await stripe_post(
        sandbox,
        "/v1/subscriptions",
        customer=first["customer"],
        default_payment_method=first["default_payment_method"],
        **{"items[0][price]": await price_of(plan)},
    )
    assert created["status"] == "active"
    return created


async def test_a_later_subscription_is_the_one_undone_and_replays_refund_once(
    store: LiveServer, sandbox: SandboxProcess
) -> None:
    session = await checkout(store, "user-a", "premium")
    await pay(sandbox, session["sessionId"])
    await sandbox.drain_async()
    (first,) = await Subscription.filter(user_id="user-a")
    second = await dashboard_subscription(sandbox, first.stripe_subscription_id, "pro")
    await sandbox.drain_async()

    (record,) = await DuplicateSubscription.all()
    assert (record.kept_stripe_subscription_id, record.duplicate_stripe_subscription_id) == (
        first.stripe_subscription_id,
        second["id"],
    )
    assert record.status == ResolutionStatus.RESOLVED and record.refunded_amount == 2999
    assert (await stripe_get(sandbox, f"/v1/subscriptions/{second['id']}"))["status"] == "canceled"
    assert await plan_of("user-a") == "premium"
    (refund,) = await refunds_of(sandbox, record.stripe_payment_intent_id or "")
    assert refund["id"] == record.stripe_refund_id

    # Every event again (``webhooks replay``), then once more as if the first
    # resolution had died before recording Stripe's answer.
    gateway = StripeGateway(store.settings)
    await WebhookEvent.all().update(status=EventStatus.FAILED)
    summary = await replay(gateway, progress=lambda line: None)
    assert summary["processed"] > 10 and "failed" not in summary
    await DuplicateSubscription.all().update(
        status=ResolutionStatus.PENDING, stripe_refund_id=None, refunded_amount=0
    )
    await WebhookEvent.filter(type="invoice.paid").update(status=EventStatus.FAILED)
    summary = await replay(gateway, progress=lambda line: None)
    assert summary == {"processed": 2}  # both subscriptions' first invoices
    await sandbox.drain_async()

    (again,) = await DuplicateSubscription.all()
    assert (again.status, again.stripe_refund_id) == (ResolutionStatus.RESOLVED, refund["id"])
    assert [r["id"] for r in await refunds_of(sandbox, again.stripe_payment_intent_id or "")] == [
        refund["id"]
    ]
    live = await Subscription.filter(user_id="user-a", status__in=LIVE_STATUSES)
    assert [s.stripe_subscription_id for s in live] == [first.stripe_subscription_id]
    assert not await WebhookEvent.filter(status=EventStatus.FAILED).exists()


async def test_stripe_down_during_the_resolution_fails_the_event_and_its_retry_resolves(
    store: LiveServer, sandbox: SandboxProcess
) -> None:
    session = await checkout(store, "user-a", "premium")
    await pay(sandbox, session["sessionId"])
    await sandbox.drain_async()
    (first,) = await Subscription.filter(user_id="user-a")
    await sandbox.remove_webhook_async()
    second = await dashboard_subscription(sandbox, first.stripe_subscription_id, "pro")
    (activated,) = (
        await stripe_get(sandbox, "/v1/events", type="customer.subscription.updated", limit=1)
    )["data"]
    assert activated["data"]["object"]["id"] == second["id"]
    assert activated["data"]["object"]["status"] == "active"

    down = await start_server(
        make_settings(sandbox, stripe_api_base="http://127.0.0.1:9", stripe_secret_key="sk_test_x")
    )
    try:
        assert (await deliver(down, activated)).status_code == 500
    finally:
        await down.stop()
    stored = await WebhookEvent.get(stripe_event_id=activated["id"])
    assert stored.status == EventStatus.FAILED and "STRIPE_UNAVAILABLE" in (stored.last_error or "")
    assert (await stripe_get(sandbox, f"/v1/subscriptions/{second['id']}"))["status"] == "active"

    await sandbox.configure_webhook_async(f"{store.url}/webhooks/stripe", WEBHOOK_SECRET)
    summary = await replay(StripeGateway(store.settings), failed_only=True, progress=print)
    assert summary == {"processed": 1}
    (record,) = await DuplicateSubscription.all()
    assert record.duplicate_stripe_subscription_id == second["id"]
    assert record.status == ResolutionStatus.RESOLVED and record.stripe_refund_id
    assert (await stripe_get(sandbox, f"/v1/subscriptions/{second['id']}"))["status"] == "canceled"
