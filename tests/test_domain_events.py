"""Payment and subscription changes announce themselves: real sandbox flows,
real signed webhooks, a real receiver and a real WebSocket client. Each change
is one outbox event, however often and in whatever order Stripe repeats it,
and none when the write rolls back."""

from __future__ import annotations

import importlib.abc
import json
import sys
from collections.abc import AsyncIterator
from typing import Any

import pytest
import stripe

from billing.stripe_gateway import StripeGateway
from models.events import OutboxEvent
from models.payments import Payment, PaymentStatus
from models.subscriptions import Subscription
from models.webhooks import WebhookEvent
from notifications.dispatcher import Dispatcher
from sandbox.process import SandboxProcess
from tests.conftest import (
    IS_POSTGRES,
    LiveServer,
    make_settings,
    start_server,
    stripe_get,
    stripe_post,
    token,
)
from tests.querycount import count_queries
from tests.test_disputes import open_dispute
from tests.test_live import PAYMENTS, Watcher, stop, watching
from tests.test_notifications import Receiver, create_endpoint, deliver, readme_verify, serving
from tests.test_payments import confirm, create
from tests.test_refunds import paid, refund
from tests.test_subscriptions import cancel, subscribe
from tests.test_webhooks import deliver as post_signed
from webhooks.pipeline import ingest
from webhooks.recovery import replay
from webhooks.registry import Event, Handler, registry

USER = "user-a"


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with serving(Receiver()) as receiver:
        yield receiver


@pytest.fixture
async def dispatcher() -> AsyncIterator[Dispatcher]:
    dispatcher = Dispatcher()
    yield dispatcher
    await dispatcher.aclose()


async def outbox(prefix: str = "") -> list[OutboxEvent]:
    return await OutboxEvent.filter(type__startswith=prefix).order_by("occurred_at")


def again(event: dict[str, Any], created_shift: int = 0) -> dict[str, Any]:
    """``event`` as Stripe would send it once more: a new id, maybe older."""
    return {
        **event,
        "id": f"{event['id']}_again{created_shift}",
        "created": event["created"] + created_shift,
    }


async def test_a_sandbox_payment_is_announced_and_delivered_once(
    shop: LiveServer, sandbox: SandboxProcess, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    endpoint = await create_endpoint(shop, receiver.url)
    created = (await create(shop, description="Course"))["payment"]
    await confirm(sandbox, created["stripePaymentIntentId"], "pm_card_visa")

    [event] = await outbox()
    payment = await Payment.get(id=created["id"])
    assert (event.type, event.user_id) == ("payment.succeeded", USER)
    assert event.payload == {
        "id": created["id"],
        "amount": {"amount": 2500, "currency": "usd"},
        "amountRefunded": {"amount": 0, "currency": "usd"},
        "status": "SUCCEEDED",
        "description": "Course",
        "failureMessage": None,
        "disputed": False,
        "stripePaymentIntentId": created["stripePaymentIntentId"],
        "createdAt": payment.created_at.isoformat(),
    }

    # Stripe repeats itself: the same change under new ids, late and on time.
    stored = await WebhookEvent.filter(type__startswith="payment_intent.").order_by("created")
    assert "payment_intent.succeeded" in [row.type for row in stored]
    for row in stored:
        for shift in (0, -60):
            response = await post_signed(shop, again(dict(row.payload), shift))
            assert response.status_code == 200, response.text
    assert [e.id for e in await outbox()] == [event.id]

    assert await deliver(dispatcher) == 1
    assert await deliver(dispatcher) == 0
    [(headers, body)] = receiver.requests
    assert readme_verify()(endpoint["secret"], headers["billgraph-signature"], body)
    assert headers["idempotency-key"] == str(event.id)
    sent = json.loads(body)
    assert (sent["type"], sent["data"]) == ("payment.succeeded", event.payload)


class Searches(importlib.abc.MetaPathFinder):
    """Every module name the import system searches for (finding none itself)."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def find_spec(self, name: str, path: Any, target: Any = None) -> None:
        self.names.append(name)


async def test_a_payment_succeeded_event_takes_fixed_statements_and_builds_no_stripe_object(
    quiet: LiveServer, sandbox: SandboxProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The webhook's hot path: the intent comes back as Stripe's JSON (no SDK
    object built and turned back into a dict), the payment is read, locked and
    written by fixed statements, and on PostgreSQL the outbox row and its
    NOTIFY are one statement. httpcore's per-request ``import sniffio`` (not
    installed) no longer searches sys.path each time."""
    created = (await create(quiet))["payment"]
    await confirm(sandbox, created["stripePaymentIntentId"], "pm_card_visa")
    events = (await stripe_get(sandbox, "/v1/events", limit=100))["data"]
    succeeded = next(e for e in events if e["type"] == "payment_intent.succeeded")
    built: list[str] = []
    real_init = stripe.StripeObject.__init__

    def counting(self: stripe.StripeObject, *args: Any, **kwargs: Any) -> None:
        built.append(type(self).__name__)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(stripe.StripeObject, "__init__", counting)
    searched = Searches()
    monkeypatch.setattr(sys, "meta_path", [searched, *sys.meta_path])
    with count_queries() as statements:
        outcome = await ingest(succeeded, StripeGateway(quiet.settings))
    assert (outcome.status.value, built, searched.names) == ("processed", [], [])
    lock = " FOR UPDATE" if IS_POSTGRES else ""
    payment = 'FROM "PAYMENT" WHERE "STRIPE_PAYMENT_INTENT_ID"=' + ("$1" if IS_POSTGRES else "?")
    assert [q.split()[0] for q in statements] == [
        "WITH" if IS_POSTGRES else "INSERT",  # the event row
        "SELECT",  # fetch step: the payment as it is
        "UPDATE",  # the transaction: claim the event
        "SELECT",  # the payment, locked
        "UPDATE",  # its new status
        "WITH" if IS_POSTGRES else "INSERT",  # the outbox row (+ NOTIFY)
    ], statements
    assert statements[1].endswith(payment) and statements[3].endswith(payment + lock)
    assert statements[4].startswith('UPDATE "PAYMENT" SET "STATUS"=')
    assert "OUTBOX_EVENT" in statements[5]
    assert ("PG_NOTIFY" in statements[5]) is IS_POSTGRES
    [event] = await outbox()
    assert (event.type, (await Payment.get(id=created["id"])).status) == (
        "payment.succeeded",
        PaymentStatus.SUCCEEDED,
    )


class Boom(Exception):
    pass


@pytest.fixture
async def quiet(db: str, sandbox: SandboxProcess) -> AsyncIterator[LiveServer]:
    """The API with the sandbox's webhook delivery off: the test feeds the
    pipeline the sandbox's events itself."""
    server = await start_server(make_settings(sandbox))
    yield server
    await server.stop()


async def test_a_handler_failing_after_its_write_leaves_no_event_and_replay_records_one(
    quiet: LiveServer, sandbox: SandboxProcess
) -> None:
    created = (await create(quiet))["payment"]
    await confirm(sandbox, created["stripePaymentIntentId"], "pm_card_visa")
    events = (await stripe_get(sandbox, "/v1/events", limit=100))["data"]  # newest first
    succeeded = next(e for e in events if e["type"] == "payment_intent.succeeded")
    gateway = StripeGateway(quiet.settings)

    handler = registry.get("payment_intent.succeeded")
    assert handler is not None

    async def fails_after_writing(event: Event, fetched: Any) -> None:
        await handler.apply(event, fetched)
        assert await OutboxEvent.filter(type="payment.succeeded").count() == 1  # written...
        raise Boom("after the write")

    registry.remove("payment_intent.succeeded")
    registry.add("payment_intent.succeeded", Handler(fails_after_writing, handler.fetch))
    try:
        assert (await ingest(succeeded, gateway)).error
    finally:
        registry.remove("payment_intent.succeeded")
        registry.add("payment_intent.succeeded", handler)
    assert await outbox() == []  # ...and rolled back with the payment's write
    assert (await Payment.get(id=created["id"])).status is not PaymentStatus.SUCCEEDED

    await replay(gateway, progress=lambda *_: None)
    [event] = await outbox()
    assert (event.type, event.payload["id"]) == ("payment.succeeded", created["id"])

    # Every event of the payment again, newest first, through the pipeline.
    for stripe_event in events:
        await ingest(again(stripe_event, -1), gateway)
        await ingest(again(stripe_event), gateway)
    assert [e.id for e in await outbox()] == [event.id]


async def test_refunds_and_disputes_are_announced_once_each(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    payment_id = await paid(shop, sandbox)
    assert (await refund(shop, payment_id, amount=1000))["errors"] == []
    await sandbox.drain_async()  # the refund's webhooks confirm it: nothing new
    [partly] = await outbox("payment.refunded")
    assert partly.payload["amountRefunded"] == {"amount": 1000, "currency": "usd"}
    assert partly.payload["status"] == "PARTIALLY_REFUNDED"

    assert (await refund(shop, payment_id))["errors"] == []
    await sandbox.drain_async()
    [_, fully] = await outbox("payment.refunded")
    assert fully.payload["amountRefunded"]["amount"] == 2500
    assert fully.payload["status"] == "REFUNDED"

    disputed_id = await paid(shop, sandbox, key="order-2")
    await open_dispute(sandbox, disputed_id)
    [disputed] = await outbox("payment.disputed")
    assert (disputed.payload["id"], disputed.payload["disputed"]) == (disputed_id, True)
    assert [e.payload["id"] for e in await outbox("payment.succeeded")] == [
        payment_id,
        disputed_id,
    ]


async def test_subscriptions_announce_creation_changes_and_cancellation(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    later = await subscribe(shop, sandbox, USER)
    [created] = await outbox("subscription.created")
    assert created.payload["id"] == later["id"] and created.user_id == USER
    assert created.payload["plan"] == {"id": "premium"}
    assert created.payload["status"] == later["status"]
    [first_invoice] = await outbox("payment.succeeded")  # its invoice's payment
    invoice_payment = await Payment.get(user_id=USER)
    assert invoice_payment.stripe_invoice_id is not None
    assert first_invoice.payload["id"] == str(invoice_payment.id)
    seen = {e.id for e in await outbox()}

    assert (await cancel(shop, USER, later["id"], at_period_end=True))["errors"] == []
    await sandbox.drain_async()  # Stripe's confirming webhook changes nothing more
    [updated] = [e for e in await outbox() if e.id not in seen]
    assert updated.type == "subscription.updated"
    assert updated.payload["changed"] == ["cancelAtPeriodEnd", "canceledAt"]
    assert updated.payload["cancelAtPeriodEnd"] is True
    seen.add(updated.id)

    assert (await cancel(shop, USER, later["id"], at_period_end=False))["errors"] == []
    await sandbox.drain_async()
    [canceled] = [e for e in await outbox() if e.id not in seen]
    assert canceled.type == "subscription.canceled"
    assert "status" in canceled.payload["changed"]
    assert (canceled.payload["id"], canceled.payload["status"]) == (later["id"], "CANCELED")


async def test_a_discount_added_or_removed_in_stripe_is_named_in_changed(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    """A coupon applied to the subscription in Stripe (dashboard, API), then removed:
    each webhook's write is one subscription.updated naming ``discount``."""
    node = await subscribe(shop, sandbox, USER)
    sub_id = node["stripeSubscriptionId"]
    await stripe_post(sandbox, "/v1/coupons", id="loyal", percent_off="15", duration="forever")
    seen = {e.id for e in await outbox()}

    await stripe_post(sandbox, f"/v1/subscriptions/{sub_id}", **{"discounts[0][coupon]": "loyal"})
    await sandbox.drain_async()
    [added] = [e for e in await outbox() if e.id not in seen]
    assert (added.type, added.payload["changed"]) == ("subscription.updated", ["discount"])
    row = await Subscription.get(id=node["id"])
    assert row.discount_percent_off == 15.0
    seen.add(added.id)

    await stripe_post(sandbox, f"/v1/subscriptions/{sub_id}", discounts="")
    await sandbox.drain_async()
    [removed] = [e for e in await outbox() if e.id not in seen]
    assert (removed.type, removed.payload["changed"]) == ("subscription.updated", ["discount"])
    assert (await Subscription.get(id=node["id"])).discount_percent_off is None


@pytest.fixture
async def live(shop: LiveServer) -> AsyncIterator[LiveServer]:
    """A server on the same database running the background work (Live feed)."""
    server = await start_server(shop.settings, background=True)
    yield server
    await server.stop()


async def test_a_sandbox_payment_is_pushed_to_a_live_client(
    shop: LiveServer, live: LiveServer, sandbox: SandboxProcess
) -> None:
    mine = Watcher(live, token(USER), query=PAYMENTS)
    other = Watcher(live, token("someone-else"), query=PAYMENTS)
    await watching(live, mine, other)
    try:
        created = (await create(shop))["payment"]
        await confirm(sandbox, created["stripePaymentIntentId"], "pm_card_visa")
        assert await mine.next() == {
            "id": created["id"],
            "status": "SUCCEEDED",
            "amount": {"amount": 2500, "currency": "usd"},
        }
        assert other.seen.empty()
    finally:
        await stop(mine, other)
