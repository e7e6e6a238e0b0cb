"""Sending deliveries: claim, commit, send, record.

A claim is a short transaction: due rows are selected ``FOR UPDATE SKIP
LOCKED`` (so N processes never pick the same row) and leased by setting
``locked_until``; it commits before any request is made, so no lock or
transaction is held while an endpoint answers. The result is written only if
the lease is still ours. A crashed sender's lease simply expires.

A slow or dead endpoint costs at most ``per_endpoint`` of ``concurrency``
slots for at most ``TIMEOUT`` each: it never holds up API requests (this runs
in a background task) nor, beyond that, other endpoints.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from uuid import UUID

import httpx
from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from billing.clock import Clock
from billing.metrics import NOTIFICATION_ATTEMPTS
from models.notifications import DeliveryStatus, NotificationDelivery
from notifications.signing import HEADER, signature

log = logging.getLogger("billgraph.notifications")

LEASE = timedelta(seconds=60)
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
FIRST_RETRY = timedelta(seconds=20)
MAX_DELAY = timedelta(hours=2)
RETRY_WINDOW = timedelta(days=3)
MAX_ANSWER = 64 * 1024


def retry_delay(elapsed: timedelta, rng: random.Random) -> timedelta:
    """Exponential backoff keyed on the time since the retry window opened:
    each wait is 0.5-1x everything waited so far (at least FIRST_RETRY, so
    the first retry comes within 20 s), capped at MAX_DELAY. Jitter spreads
    a burst of failures over time."""
    base = min(max(elapsed, FIRST_RETRY), MAX_DELAY)
    return base * rng.uniform(0.5, 1.0)


@dataclass(frozen=True, slots=True)
class Claim:
    id: UUID
    endpoint_id: UUID
    url: str
    secret: str
    body: bytes
    event_id: UUID
    retry_from: datetime
    lease: datetime


class Dispatcher:
    def __init__(
        self,
        client: httpx.AsyncClient | None = None,
        *,
        concurrency: int = 32,
        per_endpoint: int = 10,
        rng: random.Random | None = None,
        on_slot_free: Callable[[], None] | None = None,
    ) -> None:
        self.client = client or httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False)
        # The background loop refills a freed slot at once instead of at its next poll.
        self.on_slot_free = on_slot_free
        self.concurrency = concurrency
        self.per_endpoint = per_endpoint
        self.rng = rng or random.Random()  # noqa: S311 - jitter, not security
        self.in_flight: Counter[UUID] = Counter()
        self.tasks: set[asyncio.Task[None]] = set()

    async def aclose(self) -> None:
        if self.tasks:
            await asyncio.wait(self.tasks)
        await self.client.aclose()

    async def claim(self, now: datetime, limit: int) -> list[Claim]:
        """Lease up to ``limit`` due deliveries of enabled endpoints, leaving
        endpoints that already use ``per_endpoint`` slots here alone."""
        busy = [e for e, n in self.in_flight.items() if n >= self.per_endpoint]
        async with in_transaction() as connection:
            rows = (
                await NotificationDelivery.filter(
                    Q(locked_until=None) | Q(locked_until__lte=now),
                    status=DeliveryStatus.PENDING,
                    next_attempt_at__lte=now,
                    endpoint__enabled=True,
                )
                .exclude(endpoint_id__in=busy)
                .order_by("next_attempt_at")
                .limit(limit)
                .select_for_update(skip_locked=True, of=("notification_delivery",))
                .select_related("endpoint")
                .using_db(connection)
            )
            taken: list[NotificationDelivery] = []
            slots = Counter(self.in_flight)
            for row in rows:
                if slots[row.endpoint.id] < self.per_endpoint:
                    slots[row.endpoint.id] += 1
                    taken.append(row)
            lease = now + LEASE
            if taken:
                await (
                    NotificationDelivery.filter(id__in=[row.id for row in taken])
                    .using_db(connection)
                    .update(locked_until=lease)
                )
        return [
            Claim(
                id=row.id,
                endpoint_id=row.endpoint.id,
                url=row.endpoint.url,
                secret=row.endpoint.secret,
                body=row.payload.encode(),
                event_id=row.event_id,
                retry_from=row.retry_from,
                lease=lease,
            )
            for row in taken
        ]

    async def send(self, claim: Claim, clock: Clock) -> None:
        """POST it and record the answer (2xx: delivered; else retry later)."""
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "billgraph-notifications",
            HEADER: signature(claim.secret, claim.body, int(clock().timestamp())),
            "Idempotency-Key": str(claim.event_id),
        }
        status: int | None = None
        try:
            async with self.client.stream(
                "POST", claim.url, content=claim.body, headers=headers
            ) as response:
                status = response.status_code
                # Read a short answer to the end so the connection is reused; a
                # long one is cut off (closing the connection), never buffered.
                read = 0
                async for chunk in response.aiter_raw():
                    read += len(chunk)
                    if read > MAX_ANSWER:
                        break
        except httpx.HTTPError as exc:
            log.info("notification %s to endpoint %s: %s", claim.id, claim.endpoint_id, type(exc))
        await self._record(claim, status, clock())

    async def _record(self, claim: Claim, status: int | None, now: datetime) -> None:
        changes: dict[str, object] = {"last_response_status": status, "locked_until": None}
        if status is not None and 200 <= status < 300:
            changes |= {"status": DeliveryStatus.DELIVERED, "next_attempt_at": None}
            outcome = "delivered"
        elif now - claim.retry_from >= RETRY_WINDOW:
            changes |= {"status": DeliveryStatus.FAILED, "next_attempt_at": None}
            outcome = "failed"
        else:
            changes["next_attempt_at"] = now + retry_delay(now - claim.retry_from, self.rng)
            outcome = "retrying"
        # Only while the lease is ours: a resend or an expired lease wins.
        if await NotificationDelivery.filter(id=claim.id, locked_until=claim.lease).update(
            attempts=F("attempts") + 1, **changes
        ):
            NOTIFICATION_ATTEMPTS.labels(outcome).inc()

    async def pump(self, clock: Clock) -> int:
        """Claim what the free slots allow and start sending; don't wait for
        the answers. Returns how many it started."""
        free = self.concurrency - len(self.tasks)
        if free <= 0:
            return 0
        claims = await self.claim(clock(), free)
        for claim in claims:
            self.in_flight[claim.endpoint_id] += 1
            task = asyncio.create_task(self.send(claim, clock))
            self.tasks.add(task)
            task.add_done_callback(partial(self._done, claim=claim))
        return len(claims)

    def _done(self, task: asyncio.Task[None], *, claim: Claim) -> None:
        self.tasks.discard(task)
        self.in_flight[claim.endpoint_id] -= 1
        if self.in_flight[claim.endpoint_id] <= 0:
            del self.in_flight[claim.endpoint_id]
        if not task.cancelled() and task.exception() is not None:
            log.error("sending notification %s failed", claim.id, exc_info=task.exception())
        if self.on_slot_free is not None:
            self.on_slot_free()

    async def run_once(self, now: datetime) -> int:
        """Send everything due at ``now`` and wait for the answers (tests and
        the CLI drive this with their own clock). Returns the number sent."""
        sent = 0
        while claimed := await self.pump(lambda: now):
            sent += claimed
            await asyncio.wait(self.tasks)
        return sent
