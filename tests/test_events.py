"""Domain events and the transactional outbox: an event exists iff its change
committed, the relay hands each event to every subscriber once, and
trackUsage reports usage.updated and usage.limit_reached."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest
from tortoise.transactions import in_transaction

from billing.events import CHANNEL, DomainEvent, Relay, Subscribers, record
from models.events import OutboxEvent
from models.usage import UsageRecord
from server.background import asyncpg_dsn
from tests.conftest import ADMIN, DATABASE_URL, IS_POSTGRES, LiveServer, bearer
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


async def test_a_failing_subscriber_leaves_the_event_for_the_next_run(db: str) -> None:
    calls: list[str] = []

    async def flaky(events: Sequence[DomainEvent]) -> None:
        calls.extend(event.type for event in events)
        if len(calls) == 1:
            raise Boom

    subscribers = Subscribers()
    subscribers.add(flaky)
    relay = Relay(subscribers)
    async with in_transaction():
        await record([DomainEvent("usage.updated", "u", {})])
    with pytest.raises(Boom):
        await relay.run_once(datetime.now(UTC))
    assert await OutboxEvent.filter(processed_at=None).count() == 1
    assert await relay.run_once(datetime.now(UTC)) == 1
    assert await OutboxEvent.filter(processed_at=None).count() == 0


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
