"""Which plan a user has right now, and the billing period it is counted in.

The effective plan is the plan of the user's live subscription (trialing,
active or past_due), else the catalog's free plan. Allowances are monthly, so
its period is the subscription's current period when billed monthly, the
month of a yearly period that holds ``now`` (billing.periods), or the
calendar month in UTC on the free plan.

``Entitlements`` caches, per server process, what the effective plan is made
of (the plan, the live subscription, whether it is billed yearly); the period
is still computed from ``now`` on every call. An entry is dropped

- at once when this process records a subscription change of the user
  (``subscription_changed``, called in the change's transaction) and again
  after the commit (on SQLite the relay's hook, ``committed``; on PostgreSQL
  the LISTEN connection, to which ``record`` NOTIFYs the user of every
  ``subscription.*`` event: how a change made by another process arrives);
- when the catalog version moves (plan limits, the free plan, prices:
  billing.catalog_version, at once for this process's catalog writes, at
  most a second later for anyone else's), and no entry is used while that
  version is not fresh;
- ``ttl`` seconds after it was read, whatever happened: the bound
  for a change nothing announces (a hand edit in SQL, a lost notification).

A read that overlaps a change is never stored (the generation check).
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from billing.periods import monthly_slice
from models.catalog import Plan, PlanPrice
from models.subscriptions import LIVE_STATUSES, Subscription

if TYPE_CHECKING:
    from billing.catalog_version import CatalogWatch
    from billing.events import DomainEvent

# The longest a cached entitlement is used after it was read (seconds;
# ENTITLEMENT_CACHE_SECONDS).
ENTITLEMENT_TTL = 5.0
MAX_ENTRIES = 100_000


@dataclass(frozen=True, slots=True)
class Entitlement:
    plan: Plan
    period_start: datetime
    period_end: datetime
    subscription: Subscription | None


def calendar_month(now: datetime) -> tuple[datetime, datetime]:
    """The UTC calendar month holding ``now``: [first day, first day of next)."""
    now = now.astimezone(UTC)
    start = datetime(now.year, now.month, 1, tzinfo=UTC)
    end = datetime(now.year + now.month // 12, now.month % 12 + 1, 1, tzinfo=UTC)
    return start, end


async def live_subscription(user_id: str) -> Subscription | None:
    """The newest live subscription (checkout refuses a second one, but a
    subscription made in the Stripe dashboard could still overlap)."""
    return (
        await Subscription.filter(user_id=user_id, status__in=LIVE_STATUSES)
        .order_by("-created_at")
        .select_related("plan")
        .first()
    )


async def billed_yearly(subscription: Subscription) -> bool:
    """Whether the subscription's price (inactive ones too) recurs yearly."""
    return await PlanPrice.exists(stripe_price_id=subscription.stripe_price_id, interval="year")


async def free_plan() -> Plan:
    """The catalog's active free plan (a retired one no longer counts)."""
    return await Plan.get(free=True, active=True)


@dataclass(frozen=True, slots=True)
class _Basis:
    """What an entitlement is made of, whatever the time."""

    plan: Plan
    subscription: Subscription | None
    yearly: bool

    def at(self, now: datetime) -> Entitlement:
        if self.subscription is None:
            start, end = calendar_month(now)
        else:
            start, end = (
                self.subscription.current_period_start,
                self.subscription.current_period_end,
            )
            if self.yearly:
                start, end = monthly_slice(start, end, now)
        return Entitlement(self.plan, start, end, self.subscription)


async def _basis(user_id: str) -> _Basis:
    subscription = await live_subscription(user_id)
    if subscription is None:
        return _Basis(await free_plan(), None, False)
    return _Basis(subscription.plan, subscription, await billed_yearly(subscription))


async def entitlement(user_id: str, now: datetime) -> Entitlement:
    return (await _basis(user_id)).at(now)


@dataclass(frozen=True, slots=True)
class _Entry:
    basis: _Basis
    catalog: tuple[int, int]
    read_at: float


_caches: weakref.WeakSet[Entitlements] = weakref.WeakSet()


class Entitlements:
    """One server's cache of its users' entitlements (see the module's doc)."""

    def __init__(
        self,
        watch: CatalogWatch,
        ttl: float = ENTITLEMENT_TTL,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.watch = watch
        self.ttl = ttl
        self.monotonic = monotonic
        self._entries: dict[str, _Entry] = {}
        self._generation = 0
        self._on_sale: tuple[tuple[int, int], list[Plan]] | None = None
        _caches.add(self)

    async def get(self, user_id: str, now: datetime) -> Entitlement:
        catalog, started = self.watch.version, self.monotonic()
        entry = self._entries.get(user_id)
        if (
            entry is not None
            and entry.catalog == catalog
            and started - entry.read_at < self.ttl
            and self.watch.fresh()
        ):
            return entry.basis.at(now)
        generation = self._generation
        basis = await _basis(user_id)
        if generation == self._generation and self.watch.fresh() and self.ttl > 0:
            if len(self._entries) >= MAX_ENTRIES:
                del self._entries[next(iter(self._entries))]  # the oldest
            self._entries.pop(user_id, None)
            self._entries[user_id] = _Entry(basis, catalog, started)
        return basis.at(now)

    async def on_sale(self, read: Callable[[], Awaitable[list[Plan]]]) -> list[Plan]:
        """The plans on sale (``read``: billing.catalog.active_plans, passed in
        to keep this module below the catalog's), kept while the catalog version
        stands and is fresh: its fingerprint covers plans and prices, so a kept
        list is never served after they changed (at most a poll late, as every
        catalog cache). A read that overlaps a version move is not kept."""
        version = self.watch.version
        kept = self._on_sale
        if kept is not None and kept[0] == version and self.watch.fresh():
            return kept[1]
        plans = await read()
        if version == self.watch.version and self.watch.fresh() and self.ttl > 0:
            self._on_sale = (version, plans)
        return plans

    def forget(self, user_ids: Iterable[str]) -> None:
        self._generation += 1  # a read in flight may have seen the old state
        for user_id in user_ids:
            self._entries.pop(user_id, None)


def subscription_changed(user_ids: Iterable[str]) -> None:
    """These users' subscriptions changed (or are changing): every cache of
    the process drops them."""
    users = list(user_ids)
    for cache in list(_caches):
        cache.forget(users)


def committed(events: Sequence[DomainEvent]) -> None:
    """Committed domain events (of any process): subscription changes drop
    their users' entries."""
    users = {e.user_id for e in events if e.type.startswith("subscription.") and e.user_id}
    if users:
        subscription_changed(users)
