"""Domain events and the transactional outbox: an event exists iff its change
committed, the relay hands each event to every subscriber once, and
trackUsage reports usage.updated and usage.limit_reached."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
from tortoise.transactions import in_transaction

from billing.events import (
    CHANNEL,
    MAX_ATTEMPTS,
    RETRY_CAP,
    RETRY_FIRST,
    DomainEvent,
    Relay,
    Subscribers,
    prune,
    record,
    retry_delay,
)
from models.events import OutboxEvent, OutboxRetry, RetryStatus
from models.notifications import NotificationDelivery, NotificationEndpoint
from models.usage import UsageRecord
from server.background import asyncpg_dsn, durable_subscribers
from tests.conftest import (
    ADMIN,
    DATABASE_URL,
    IS_POSTGRES,
    LiveServer,
    bearer,
    billgraph_env,
    start_server,
)
from tests.processes import run_billgraph
from tests.test_usage import USER, track


async def test_track_usage_records_exactly_one_usage_updated_event(shop: LiveServer) -> None:
    first = await track(shop, idempotencyKey="k1")
    assert first["errors"] == []
    assert (await track(shop, idempotencyKey="k1"))["errors"] == []  # repeated key: no change

    events = await OutboxEvent.all()
    assert [(e.type, e.user_id) for e in events] == [("usage.updated", USER)]
    assert events[0].payload == first["usage"]  # the public UsageLimit shape, camelCase
    assert events[0].processed_at is None


async def test_a_refusal_records_one_limit_reached_however_often_it_is_retried(
    shop: LiveServer,
) -> None:
    for _ in range(3):
        await track(shop)
    for _ in range(3):
        refused = await track(shop, quantity=2)
        assert [e["code"] for e in refused["errors"]] == ["LIMIT_EXCEEDED"]

    assert await UsageRecord.filter(user_id=USER).count() == 3  # refusals counted nothing
    reached = await OutboxEvent.filter(type="usage.limit_reached")
    assert len(reached) == 1
    assert reached[0].user_id == USER
    assert reached[0].payload | {"periodStart": None, "resetsAt": None} == {
        "feature": "images", "used": 3, "limit": 3, "remaining": 0, "requested": 2,
        "periodStart": None, "resetsAt": None,
    }  # fmt: skip
    assert await OutboxEvent.filter(type="usage.updated").count() == 3
    # Another feature's limit is another event.
    await track(shop, "models")
    await track(shop, "models")
    assert await OutboxEvent.filter(type="usage.limit_reached").count() == 2


async def test_admin_tracking_for_a_user_records_the_users_event(shop: LiveServer) -> None:
    body = await shop.gql(
        "mutation($i: TrackUsageInput!) { trackUsage(input: $i) { errors { code } } }",
        {"i": {"feature": "images", "userId": "someone"}},
        bearer(ADMIN[0], roles=ADMIN[1]),
    )
    assert body["data"]["trackUsage"]["errors"] == []
    assert await OutboxEvent.filter(user_id="someone", type="usage.updated").count() == 1


class Boom(Exception):
    pass


async def test_a_transaction_that_fails_after_recording_leaves_no_event(db: str) -> None:
    with pytest.raises(Boom):
        async with in_transaction():
            await record([DomainEvent("usage.updated", "u", {"used": 1})])
            assert await OutboxEvent.all().count() == 1  # visible inside
            raise Boom
    assert await OutboxEvent.all().count() == 0

    async with in_transaction():
        await record([DomainEvent("usage.updated", "u", {"used": 2})])
    assert await OutboxEvent.all().count() == 1


async def test_recording_outside_a_transaction_is_refused(db: str) -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        await record([DomainEvent("usage.updated", "u", {})])
    assert await OutboxEvent.all().count() == 0


async def test_the_relay_hands_each_event_to_every_subscriber_once(db: str) -> None:
    seen: dict[str, list[str]] = {"all": [], "usage": [], "payments": []}

    def collector(name: str) -> Any:
        async def subscriber(events: Sequence[DomainEvent]) -> None:
            seen[name].extend(event.type for event in events)

        return subscriber

    subscribers = Subscribers()
    subscribers.add(collector("all"))
    subscribers.add(collector("usage"), ["usage.updated", "usage.limit_reached"])
    subscribers.add(collector("payments"), ["payment.succeeded"])
    published: list[str] = []

    def publish(events: Sequence[DomainEvent]) -> None:
        published.extend(e.type for e in events)

    relay = Relay(subscribers, batch=2, after_commit=publish)

    async with in_transaction():
        await record(
            [
                DomainEvent("usage.updated", "u", {}),
                DomainEvent("payment.succeeded", "u", {}),
                DomainEvent("usage.limit_reached", "u", {}),
            ]
        )
    now = datetime.now(UTC)
    assert await relay.run_once(now) == 2
    assert await relay.run_once(now) == 1
    assert await relay.run_once(now) == 0

    assert sorted(seen["all"]) == ["payment.succeeded", "usage.limit_reached", "usage.updated"]
    assert sorted(seen["usage"]) == ["usage.limit_reached", "usage.updated"]
    assert seen["payments"] == ["payment.succeeded"]
    assert sorted(published) == sorted(seen["all"])
    assert await OutboxEvent.filter(processed_at=None).count() == 0


async def usage_events(count: int) -> list[DomainEvent]:
    events = [DomainEvent("usage.updated", "u", {"used": n}) for n in range(count)]
    async with in_transaction():
        await record(events)
    return events


def writer(name: str, fails: Callable[[DomainEvent], bool]) -> Any:
    """A subscriber that writes one row per event (an outbox row no one relays),
    then fails where ``fails`` says: what it wrote must roll back with it."""

    async def subscriber(events: Sequence[DomainEvent]) -> None:
        for event in events:
            await OutboxEvent.create(
                id=uuid.uuid4(), type="test.written", user_id=name, occurred_at=event.occurred_at,
                payload={"event": str(event.id)}, processed_at=event.occurred_at,
            )  # fmt: skip
            if fails(event):
                raise Boom(f"{name} cannot take {event.payload['used']}")

    subscriber.__qualname__ = name
    return subscriber


async def written(name: str) -> list[str]:
    rows = await OutboxEvent.filter(type="test.written", user_id=name).order_by("occurred_at")
    return [str(row.payload["event"]) for row in rows]


async def test_a_failing_subscriber_holds_back_no_one_and_is_retried_alone(db: str) -> None:
    """One subscriber always fails, another fails on one event until it is fixed:
    every event is relayed at once to the others (later events too), and each failed
    (event, subscriber) is recorded and retried alone with backoff until it gives up."""
    fixed = False
    subscribers = Subscribers()
    subscribers.add(writer("good", lambda _: False), ["usage.updated"])
    subscribers.add(writer("broken", lambda _: True), ["usage.updated"])
    subscribers.add(
        writer("picky", lambda event: event.payload["used"] == 1 and not fixed), ["usage.updated"]
    )
    relay = Relay(subscribers)
    events = await usage_events(3)
    ids = [str(event.id) for event in events]
    t0 = datetime.now(UTC)

    assert await relay.run_once(t0) == 3
    assert await OutboxEvent.filter(processed_at=None).count() == 0
    assert await written("good") == ids
    assert await written("broken") == []  # its writes rolled back with it
    assert sorted(await written("picky")) == sorted([ids[0], ids[2]])
    retries = await OutboxRetry.all().order_by("id")
    assert [(str(r.event_id), r.subscriber.rsplit(".", 1)[-1]) for r in retries] == [  # type: ignore[attr-defined]
        *((event_id, "broken") for event_id in ids),
        (ids[1], "picky"),
    ]
    assert {(r.status, r.attempts, r.next_attempt_at) for r in retries} == {
        (RetryStatus.PENDING, 1, t0 + RETRY_FIRST)
    }
    assert retries[-1].last_error == "Boom: picky cannot take 1"

    later = await usage_events(1)  # a later event is not held back either
    assert await relay.run_once(t0 + timedelta(seconds=1)) == 1
    assert (await written("good"))[-1] == str(later[0].id)

    assert await relay.retry_due(t0 + timedelta(seconds=29)) == 0  # not due yet
    fixed = True
    t1 = t0 + RETRY_FIRST
    assert await relay.retry_due(t1) == 4
    picky = await OutboxRetry.get(subscriber__endswith="picky")
    assert (picky.status, picky.attempts) == (RetryStatus.DONE, 1)
    assert sorted(await written("picky")) == sorted([*ids, str(later[0].id)])
    broken = await OutboxRetry.filter(subscriber__endswith="broken", event_id=events[0].id).get()
    assert (broken.status, broken.attempts) == (RetryStatus.PENDING, 2)
    assert broken.next_attempt_at == t1 + 2 * RETRY_FIRST  # doubled

    now = t1
    while broken.status is RetryStatus.PENDING:
        now = broken.next_attempt_at
        await relay.retry_due(now)
        await broken.refresh_from_db()
    assert (broken.attempts, broken.status) == (MAX_ATTEMPTS, RetryStatus.FAILED)
    assert broken.last_error == "Boom: broken cannot take 0"
    assert max(retry_delay(n) for n in range(1, MAX_ATTEMPTS)) == RETRY_CAP
    assert await written("broken") == []


async def test_prune_drops_relayed_events_past_the_retention_only(db: str) -> None:
    """Relayed before the cutoff: gone (their failed retries too); not yet relayed,
    relayed since, or still being retried: kept. Notification deliveries stay."""
    endpoint = await NotificationEndpoint.create(url="http://127.0.0.1:9/x", secret="whsec_x")
    subscribers = durable_subscribers()
    subscribers.add(writer("failing", lambda event: event.payload["used"] == 2))
    old = await usage_events(3)
    long_ago = datetime.now(UTC) - timedelta(days=40)
    await Relay(subscribers).run_once(long_ago)
    await OutboxRetry.filter(event_id=old[1].id).update(status=RetryStatus.FAILED)
    recent = await usage_events(1)
    await Relay(subscribers).run_once(datetime.now(UTC))
    waiting = await usage_events(1)  # not relayed yet
    assert await NotificationDelivery.filter(endpoint=endpoint).count() == 4

    cutoff = datetime.now(UTC) - timedelta(days=30)
    assert await prune(cutoff) == 2  # old[0] and old[1]; old[2] still retried
    left = set(await OutboxEvent.exclude(type="test.written").values_list("id", flat=True))
    assert left == {old[2].id, recent[0].id, waiting[0].id}
    assert await OutboxRetry.filter(event_id=old[1].id).count() == 0
    assert await NotificationDelivery.filter(endpoint=endpoint).count() == 4

    result = run_billgraph("events", "prune", "--older-than-days", "1", env=billgraph_env())
    assert result.returncode == 0, result.stderr
    assert "events prune: 0 relayed event(s) older than 1 days deleted" in result.stdout
    await OutboxEvent.filter(id=recent[0].id).update(processed_at=cutoff)
    result = run_billgraph("events", "prune", env=billgraph_env())  # 30 days by default
    assert "events prune: 1 relayed event(s) older than 30 days deleted" in result.stdout
    assert not await OutboxEvent.filter(id=recent[0].id).exists()


async def test_the_background_loop_prunes_past_the_retention(shop: LiveServer) -> None:
    await usage_events(1)
    await Relay(Subscribers()).run_once(datetime.now(UTC) - timedelta(days=31))
    server = await start_server(shop.settings, background=True)
    try:
        for _ in range(200):
            if not await OutboxEvent.exists():
                break
            await asyncio.sleep(0.05)
        assert not await OutboxEvent.exists()
    finally:
        await server.stop()


@pytest.mark.skipif(not IS_POSTGRES, reason="NOTIFY is PostgreSQL's")
async def test_postgres_is_notified_of_committed_events_only(db: str) -> None:
    heard: asyncio.Queue[str] = asyncio.Queue()
    listener = await asyncpg.connect(asyncpg_dsn(DATABASE_URL))
    try:
        await listener.add_listener(CHANNEL, lambda *args: heard.put_nowait(args[3]))
        rolled_back = DomainEvent("usage.updated", "u", {})
        with pytest.raises(Boom):
            async with in_transaction():
                await record([rolled_back])
                raise Boom
        committed = DomainEvent("usage.updated", "u", {})
        async with in_transaction():
            await record([committed])
            await asyncio.sleep(0.2)
            assert heard.empty()  # not before the commit
        assert await asyncio.wait_for(heard.get(), 5) == str(committed.id)
        await asyncio.sleep(0.2)
        assert heard.empty()
    finally:
        await listener.close()


def test_the_listener_connects_with_the_database_url_less_tortoise_options() -> None:
    assert (
        asyncpg_dsn("postgres://u:p%40ss@db:5432/billing?maxsize=20&sslmode=require")
        == "postgresql://u:p%40ss@db:5432/billing?sslmode=require"
    )
