"""Domain events and the transactional outbox: the seam every consumer uses.

A state change returns the events it caused and ``record``s them inside its
own transaction, so an event exists if and only if the change committed
(Tortoise's ``in_transaction`` binds the connection in a contextvar, so the
insert joins the caller's transaction; ``record`` refuses to run outside one).
On PostgreSQL ``record`` also issues ``pg_notify`` in that transaction (and,
for ``subscription.*`` events, the user id on SUBSCRIPTIONS_CHANNEL):
PostgreSQL delivers it only on commit, so listeners in every process hear of
committed events and never of rolled-back ones.

Consumers never act inside the change's transaction. The ``Relay`` claims
unprocessed outbox rows after commit and hands each event to every durable
subscriber registered for its type (many per type), in one transaction that
also marks the row processed: each event reaches each subscriber once.
Each subscriber runs in a savepoint: one that fails (a bug, a constraint)
loses only its own writes for the events it failed on, which are recorded
(``OutboxRetry``) and retried alone with backoff, so it never holds back the
other subscribers or later events. ``prune`` drops relayed events after a
retention period (deliveries keep their own copy of the body).

Payloads: ``usage.*`` carry the ``UsageLimit`` fields; ``payment.*`` and
``subscription.*`` the public ``Payment`` and ``Subscription`` (built in
billing.changes), whose ``id`` the Live fields load the current row by.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import TransactionalDBClient
from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from billing.clock import utcnow
from models.events import OutboxEvent, OutboxRetry, RetryStatus
from models.sql import Statement, db_values, execute, fetch, python_rows
from models.transaction import atomic

log = logging.getLogger("billgraph.events")

# PostgreSQL NOTIFY channel carrying the ids of committed events.
CHANNEL = "billgraph_events"
# ... and the one carrying the user id of every committed subscription.* event,
# so each process's entitlement cache hears of it without reading the outbox.
SUBSCRIPTIONS_CHANNEL = "billgraph_subscriptions"
_ONCE_NAMESPACE = uuid.UUID("6f1c2a53-5a0e-4f36-9d2b-0c7e4cfb1e21")
# A failed (event, subscriber) is tried again after 30 s, 1, 2, 4 ... minutes,
# at most an hour apart; after MAX_ATTEMPTS (about 13 hours) it is FAILED.
RETRY_FIRST = timedelta(seconds=30)
RETRY_CAP = timedelta(hours=1)
MAX_ATTEMPTS = 20


@dataclass(frozen=True, slots=True)
class DomainEvent:
    """Something that changed. ``payload`` is in the public API's shape
    (camelCase keys, money as ``{"amount", "currency"}``)."""

    type: str
    user_id: str | None
    payload: dict[str, Any]
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    occurred_at: datetime = field(default_factory=utcnow)

    @classmethod
    def of_row(cls, row: OutboxEvent) -> DomainEvent:
        return cls(row.type, row.user_id, dict(row.payload), row.id, row.occurred_at)

    def envelope(self) -> dict[str, Any]:
        """The event as consumers outside the process see it."""
        return {
            "id": str(self.id),
            "type": self.type,
            "userId": self.user_id,
            "occurredAt": self.occurred_at.isoformat(),
            "data": self.payload,
        }


def once_id(*key: object) -> uuid.UUID:
    """A deterministic event id: recording the same key twice keeps one event."""
    return uuid.uuid5(_ONCE_NAMESPACE, "\x1f".join(str(part) for part in key))


def _transaction() -> TransactionalDBClient:
    connection = connections.get("default")
    if not isinstance(connection, TransactionalDBClient):
        raise RuntimeError("record() must run inside the transaction of the change it reports")
    return connection


_COLUMNS = ("id", "type", "user_id", "occurred_at", "payload")
_SCAN = (
    f"SELECT {', '.join(_COLUMNS)} FROM outbox_event "  # noqa: S608 (constants)
    "WHERE processed_at IS NULL ORDER BY occurred_at LIMIT ?"
)
# The relay's batch and its mark, per dialect (True: PostgreSQL, whose relays
# skip each other's rows; SQLite's one writer serialises them anyway).
UNPROCESSED = {True: Statement(f"{_SCAN} FOR UPDATE SKIP LOCKED"), False: Statement(_SCAN)}
MARK_PROCESSED = {
    True: Statement("UPDATE outbox_event SET processed_at = ? WHERE id = ANY(?::uuid[])"),
    False: Statement(
        "UPDATE outbox_event SET processed_at = ? WHERE id IN (SELECT value FROM json_each(?))"
    ),
}
NOTIFY = Statement("SELECT pg_notify(c, p) FROM unnest(?::text[], ?::text[]) AS t(c, p)")


@cache
def insert_events(rows: int) -> Statement:
    """The outbox INSERT of ``rows`` events (fixed SQL: one text per row count)."""
    row = f"({', '.join('?' * len(_COLUMNS))})"
    return Statement(
        f"INSERT INTO outbox_event ({', '.join(_COLUMNS)}) VALUES "  # noqa: S608 (constants)
        f"{', '.join([row] * rows)} ON CONFLICT DO NOTHING"
    )


@cache
def notify_events(rows: int) -> Statement:
    """PostgreSQL: the outbox INSERT and its NOTIFYs in one statement (one round
    trip; a data-modifying WITH runs whether or not the SELECT reads it)."""
    return Statement(f"WITH new AS ({insert_events(rows).text}) {NOTIFY.text}")


async def record(events: Iterable[DomainEvent]) -> None:
    """Write ``events`` to the outbox in the caller's transaction. Events with
    an id already in the outbox (``once_id``) are skipped (their NOTIFY still
    goes out; Live then pushes the object's unchanged state once more)."""
    rows = list(events)
    if not rows:
        return
    connection = _transaction()
    values: list[Any] = []
    for e in rows:
        values += db_values(
            OutboxEvent,
            {
                "id": e.id,
                "type": e.type,
                "user_id": e.user_id,
                "occurred_at": e.occurred_at,
                "payload": e.payload,
            },
        )
    if connection.capabilities.dialect != "postgres":
        await execute(insert_events(len(rows)), values)
        return
    notes = [(CHANNEL, str(e.id)) for e in rows]
    notes += [
        (SUBSCRIPTIONS_CHANNEL, e.user_id)
        for e in rows
        if e.type.startswith("subscription.") and e.user_id
    ]
    values += [list(column) for column in zip(*notes, strict=True)]
    await execute(notify_events(len(rows)), values)


# ------------------------------------------------------------------ consumers

# Called with the events of one relay batch that it subscribed to, in order.
Subscriber = Callable[[Sequence[DomainEvent]], Awaitable[None]]
ALL = "*"


def subscriber_name(subscriber: Subscriber) -> str:
    """A stable name (module.function): what a recorded retry calls it by."""
    return f"{subscriber.__module__}.{subscriber.__qualname__}"


class Subscribers:
    """Durable subscribers per event type (``ALL`` for every type). They run in
    the relay's transaction, so their writes commit with the events'
    ``processed_at``: exactly once per event. A batch at a time, so a
    subscriber can write a batch's rows in a few statements."""

    def __init__(self) -> None:
        self._by_type: dict[str, list[Subscriber]] = defaultdict(list)
        self.by_name: dict[str, Subscriber] = {}

    def add(self, subscriber: Subscriber, types: Sequence[str] = (ALL,)) -> None:
        self.by_name[subscriber_name(subscriber)] = subscriber
        for event_type in types:
            self._by_type[event_type].append(subscriber)

    def batches(self, events: Sequence[DomainEvent]) -> dict[Subscriber, list[DomainEvent]]:
        """Each subscriber and the events, in order, it subscribed to."""
        batches: dict[Subscriber, list[DomainEvent]] = defaultdict(list)
        for event in events:
            for subscriber in (*self._by_type.get(ALL, ()), *self._by_type.get(event.type, ())):
                batches[subscriber].append(event)
        return batches


PublishHook = Callable[[Sequence[DomainEvent]], None]


def retry_delay(attempts: int) -> timedelta:
    """The wait before attempt ``attempts + 1``: doubling from RETRY_FIRST, capped."""
    doubled: timedelta = RETRY_FIRST * 2 ** min(attempts - 1, 16)
    return min(doubled, RETRY_CAP)


class Relay:
    """Hands committed outbox events to the durable subscribers. Every process
    may run one: rows are claimed with ``FOR UPDATE SKIP LOCKED`` (a no-op on
    SQLite, whose single writer serialises relays anyway)."""

    def __init__(
        self,
        subscribers: Subscribers,
        *,
        batch: int = 100,
        after_commit: PublishHook | None = None,
    ) -> None:
        self.subscribers = subscribers
        self.batch = batch
        self.after_commit = after_commit

    async def run_once(self, now: datetime) -> int:
        """Process one batch, then the retries due; returns how many new events
        it handled. The batch is read and marked with fixed SQL as values (it
        runs after almost every commit: the ORM's query building and model
        instances were most of the relay's cost)."""
        async with atomic() as connection:
            postgres = connection.capabilities.dialect == "postgres"
            rows = await fetch(UNPROCESSED[postgres], [self.batch])
            # _COLUMNS are DomainEvent's fields.
            events = [DomainEvent(**row) for row in python_rows(OutboxEvent, rows)]
            for subscriber, subscribed in self.subscribers.batches(events).items():
                await self._hand(subscriber, subscribed, now)
            if events:
                ids = [e.id for e in events]
                marked = ids if postgres else json.dumps([str(i) for i in ids])
                await execute(
                    MARK_PROCESSED[postgres],
                    [*db_values(OutboxEvent, {"processed_at": now}), marked],
                )
        if events and self.after_commit is not None:
            self.after_commit(events)
        await self.retry_due(now)
        return len(events)

    async def _hand(
        self, subscriber: Subscriber, events: Sequence[DomainEvent], now: datetime
    ) -> None:
        """The batch in a savepoint; if it fails, each event alone, recording
        the ones that fail (their writes rolled back) for a retry."""
        error = await _attempt(subscriber, events)
        if error is None:
            return
        for event in events:
            if len(events) > 1:
                error = await _attempt(subscriber, [event])
            if error is not None:
                name = subscriber_name(subscriber)
                log.warning("subscriber %s failed on event %s: %s", name, event.id, error)
                await OutboxRetry.create(
                    event_id=event.id,
                    subscriber=name,
                    next_attempt_at=now + retry_delay(1),
                    last_error=error,
                )

    async def retry_due(self, now: datetime) -> int:
        """Retry the (event, subscriber) pairs that are due, each alone, in one
        transaction; returns how many were tried."""
        due_now = OutboxRetry.filter(status=RetryStatus.PENDING, next_attempt_at__lte=now)
        if not await due_now.exists():  # the usual case: no transaction to open
            return 0
        async with in_transaction() as connection:
            due = (
                await due_now.order_by("next_attempt_at")
                .limit(self.batch)
                .select_for_update(skip_locked=True)
                .using_db(connection)
                .prefetch_related("event")
            )
            for retry in due:
                await self._retry(retry, now)
        return len(due)

    async def _retry(self, retry: OutboxRetry, now: datetime) -> None:
        subscriber = self.subscribers.by_name.get(retry.subscriber)
        event = DomainEvent.of_row(retry.event)
        if subscriber is None:
            error: str | None = "no such subscriber in this version"
        else:
            error = await _attempt(subscriber, [event])
        if error is None:
            retry.status = RetryStatus.DONE
        else:
            retry.attempts += 1
            retry.last_error = error
            if subscriber is None or retry.attempts >= MAX_ATTEMPTS:
                retry.status = RetryStatus.FAILED
                log.error(
                    "subscriber %s gave up on event %s: %s", retry.subscriber, event.id, error
                )
            else:
                retry.next_attempt_at = now + retry_delay(retry.attempts)
        await retry.save()


async def _attempt(subscriber: Subscriber, events: Sequence[DomainEvent]) -> str | None:
    """``subscriber(events)`` in a savepoint of the relay's transaction: None,
    or what went wrong (its writes rolled back, the transaction still usable)."""
    try:
        async with in_transaction():
            await subscriber(events)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"[:2000]
    return None


async def prune(before: datetime) -> int:
    """Delete the events relayed before ``before`` that no subscriber still
    retries; returns how many. Notification deliveries are rows of their own
    (with the body they send), so they stay."""
    waiting = Subquery(OutboxRetry.filter(status=RetryStatus.PENDING).values("event_id"))
    return await OutboxEvent.filter(processed_at__lt=before).exclude(id__in=waiting).delete()
