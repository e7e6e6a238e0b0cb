"""The per-process background work behind domain events: the outbox relay, the
notification dispatcher and, on PostgreSQL, the LISTEN connection that feeds
the Live hub and wakes the relay when any process commits an event.

Every ``billgraph serve`` process may run one, and ``billgraph notifications
run`` runs one without a hub; claiming with SKIP LOCKED keeps them from
sending anything twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import asyncpg

from billing import entitlements
from billing.clock import Clock
from billing.events import (
    CHANNEL,
    SUBSCRIPTIONS_CHANNEL,
    DomainEvent,
    Relay,
    Subscribers,
    prune,
)
from billing.live import Hub
from billing.settings import Settings
from models.events import OutboxEvent
from notifications.dispatcher import Dispatcher
from notifications.fanout import fan_out

log = logging.getLogger("billgraph.background")

POLL_SQLITE = 0.25
POLL_POSTGRES = 1.0
RECONNECT_DELAY = 2.0
PRUNE_EVERY = timedelta(hours=1)


def durable_subscribers() -> Subscribers:
    """Every consumer that must see each event exactly once."""
    subscribers = Subscribers()
    subscribers.add(fan_out)
    return subscribers


def _subscription_changed(_connection: object, _pid: int, _channel: str, user_id: str) -> None:
    """A committed subscription change, of any process (PostgreSQL)."""
    entitlements.subscription_changed([user_id])


def asyncpg_dsn(database_url: str) -> str:
    """DATABASE_URL for a plain asyncpg connection: Tortoise's own query
    parameters (pool sizes) dropped, TLS settings kept."""
    parts = urlsplit(database_url)
    tls = [(k, v) for k, v in parse_qsl(parts.query) if k.startswith("ssl")]
    return urlunsplit(("postgresql", parts.netloc, parts.path, urlencode(tls), ""))


class Background:
    """The loop (relay, then dispatcher; again when woken or after a short
    poll) and, on PostgreSQL, the listener. An async context manager: the
    server's lifespan and the worker command enter it."""

    def __init__(self, settings: Settings, clock: Clock, hub: Hub | None = None) -> None:
        self.settings = settings
        self.clock = clock
        self.hub = hub
        self.postgres = settings.dialect == "postgres"
        # On SQLite (one process) the relay feeds the hub after its commit.
        self.relay = Relay(
            durable_subscribers(), after_commit=None if self.postgres else self._committed
        )
        self.wake = asyncio.Event()
        self.dispatcher = Dispatcher(on_slot_free=self.wake.set)
        self.tasks: list[asyncio.Task[None]] = []
        self.pending: list[str] = []
        self.publishing: set[asyncio.Task[None]] = set()
        self.pruned_at: datetime | None = None

    async def __aenter__(self) -> Background:
        self.tasks.append(asyncio.create_task(self._loop()))
        if self.postgres:
            self.tasks.append(asyncio.create_task(self._listen()))
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.dispatcher.aclose()

    async def _loop(self) -> None:
        interval = POLL_POSTGRES if self.postgres else POLL_SQLITE
        while True:
            self.wake.clear()  # what happens from here on wakes the next round
            try:
                while await self.relay.run_once(self.clock()) == self.relay.batch:
                    pass
                await self.dispatcher.pump(self.clock)
                await self._prune()
            except Exception:
                log.exception("outbox relay or dispatcher failed; retrying")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), interval)

    async def _prune(self) -> None:
        """Relayed events past OUTBOX_RETENTION_DAYS go, once an hour per process."""
        now = self.clock()
        if self.pruned_at is not None and now - self.pruned_at < PRUNE_EVERY:
            return
        self.pruned_at = now
        pruned = await prune(now - timedelta(days=self.settings.outbox_retention_days))
        if pruned:
            log.info("pruned %d relayed outbox events", pruned)

    async def _listen(self) -> None:
        """LISTEN on the outbox channel, reconnecting if the connection drops."""
        while True:
            try:
                connection = await asyncpg.connect(asyncpg_dsn(self.settings.database_url))
            except (OSError, asyncpg.PostgresError):
                log.warning("outbox listener cannot connect; retrying")
                await asyncio.sleep(RECONNECT_DELAY)
                continue
            lost = asyncio.Event()
            connection.add_termination_listener(lambda _c, lost=lost: lost.set())
            try:
                await connection.add_listener(CHANNEL, self._notified)
                await connection.add_listener(SUBSCRIPTIONS_CHANNEL, _subscription_changed)
                self.wake.set()  # catch up with what was missed while away
                await lost.wait()
            finally:
                with contextlib.suppress(Exception):
                    await connection.close()

    def _notified(self, _connection: object, _pid: int, _channel: str, event_id: str) -> None:
        self.wake.set()
        if self.hub is None or not self.hub.streams:
            return  # no live stream to feed: no need to read the event
        self.pending.append(event_id)
        if len(self.pending) == 1:  # one fetch per burst of notifications
            task = asyncio.create_task(self._publish())
            self.publishing.add(task)
            task.add_done_callback(self.publishing.discard)

    async def _publish(self) -> None:
        assert self.hub is not None
        await asyncio.sleep(0)
        event_ids, self.pending = self.pending, []
        try:
            rows = await OutboxEvent.filter(id__in=event_ids).order_by("occurred_at")
        except Exception:
            log.exception("cannot load %d committed events for live streams", len(event_ids))
            return
        self._committed([DomainEvent.of_row(row) for row in rows])

    def _committed(self, events: Sequence[DomainEvent]) -> None:
        """Events committed (by any process on PostgreSQL): to the Live hub,
        and subscription changes to the entitlement caches (SQLite: on
        PostgreSQL, SUBSCRIPTIONS_CHANNEL told them already)."""
        if self.hub is not None:
            self.hub.publish(events)
        entitlements.committed(events)
