"""Usage allowances: metering per plan and billing period.

The limit comes from the user's effective plan at call time; the counter
belongs to the billing period (``entitlement``): a counter row per user,
feature and period start. So:

- a renewal starts a new period, hence a new counter at 0, and a replayed
  renewal event finds the same period, hence the same counter (nothing is
  ever reset in place, so nothing can be reset twice);
- the free plan's calendar month rolls over the same way at 00:00 UTC on
  the 1st;
- changing paid plans keeps Stripe's period, so the usage so far carries
  over and the new limit applies at once;
- going from free to paid does NOT carry usage over: the subscription's
  period is a new period that the customer just paid for, counted from 0.
  Falling back to free (a cancellation taking effect) returns to the
  calendar month's counter, which holds only what was used on the free plan.

``trackUsage`` checks and counts in one conditional UPDATE (``used + q <=
limit``): concurrent calls, from any number of processes, never count past
the limit on SQLite or PostgreSQL. The call's ``UsageRecord`` is inserted in
the same transaction; its unique (user, idempotency key) makes a repeated
key count once, and the records let ``verify_counters`` rebuild every counter.

The counting transaction runs fixed SQL (models.sql): the guarded UPDATE
first (it answers ``used``), then, only if it counted, the record's INSERT; a
repeated key fails that INSERT and rolls everything back. So there is no
savepoint, and a refusal has nothing to undo: it checks whether its key was
counted before, then records its event.

Events: a counted call records ``usage.updated`` in its transaction. A refused
call commits ``usage.limit_reached`` instead (in the same transaction, or in
its own once an overage payment was refused and rolled back): so the event
exists exactly when a refusal was decided. Its id is derived from (user, feature, period, limit),
so retried refusals keep the one event: the application hears once per period
and limit, not once per attempt.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.functions import Count, Sum

from billing.access import acting_for
from billing.catalog import active_plans
from billing.clock import utcnow
from billing.counters import guarded_add
from billing.credits import overage_spent, pay_overage
from billing.entitlements import Entitlement, Entitlements, entitlement
from billing.errors import BillingError, ErrorCode
from billing.events import DomainEvent, once_id, record
from billing.idempotency import check_client_key
from billing.tokens import Caller
from models.catalog import Plan
from models.sql import Statement, db_values, execute, fetch
from models.transaction import atomic
from models.usage import UsageCounter, UsageRecord

MAX_QUANTITY = 10_000


@dataclass(frozen=True, slots=True)
class Allowance:
    """A feature's allowance in the current period; ``limit`` None = unlimited."""

    feature: str
    used: int
    limit: int | None
    period_start: datetime
    resets_at: datetime
    # What the call that answered with this allowance spent on overage.
    credits_spent: int = 0

    @property
    def remaining(self) -> int | None:
        # A downgrade can leave ``used`` above the new limit: nothing remains.
        return None if self.limit is None else max(0, self.limit - self.used)


class LimitExceeded(BillingError):
    """A refused ``trackUsage``: nothing was counted. Carries the unchanged
    allowance and the cheapest plan that would have allowed the request."""

    def __init__(self, allowance: Allowance, upgrade_to: Plan | None) -> None:
        super().__init__(
            ErrorCode.LIMIT_EXCEEDED,
            f"This would exceed your {allowance.feature} allowance "
            f"({allowance.used} of {allowance.limit} used this period).",
            "quantity",
        )
        self.allowance = allowance
        self.upgrade_to = upgrade_to


class _Refused(Exception):
    """Raised inside the counting transaction to roll the count back."""


def limit_of(plan: Plan, feature: str) -> int | None:
    """The plan's limit for ``feature``; a feature the plan doesn't list is not
    allowed on it (0), as in the plans file."""
    for item in plan.limits:
        if item.get("feature") == feature:
            limit = item.get("limit")
            return int(limit) if isinstance(limit, int) else None
    return 0


def overage_of(plan: Plan, feature: str) -> int | None:
    """Credits per unit beyond the plan's limit; None: usage stops at the limit."""
    for item in plan.limits:
        if item.get("feature") == feature:
            cost = item.get("overage_credits")
            return cost if isinstance(cost, int) and item.get("limit") is not None else None
    return None


async def metered_features(plan: Plan) -> list[str]:
    """Every feature the catalog meters, in catalog order (one query), plus any
    the user's own plan still meters should it have been retired."""
    seen: dict[str, None] = {}
    for limits in await Plan.filter(active=True).values_list("limits", flat=True):
        seen.update(dict.fromkeys(str(item["feature"]) for item in limits))
    seen.update(dict.fromkeys(str(item["feature"]) for item in plan.limits))
    return list(seen)


def _allowance(
    plan_period: Entitlement, feature: str, used: int, credits_spent: int = 0
) -> Allowance:
    return Allowance(
        feature=feature,
        used=used,
        limit=limit_of(plan_period.plan, feature),
        period_start=plan_period.period_start,
        resets_at=plan_period.period_end,
        credits_spent=credits_spent,
    )


async def _entitlement(user: str, now: datetime, cache: Entitlements | None) -> Entitlement:
    return await (entitlement(user, now) if cache is None else cache.get(user, now))


async def usage_limits(
    caller: Caller, user_id: str | None, now: datetime, entitlements: Entitlements | None = None
) -> list[Allowance]:
    """Every metered feature's allowance (a constant number of queries)."""
    user = acting_for(caller, user_id)
    current = await _entitlement(user, now, entitlements)
    features = await metered_features(current.plan)
    used = dict(
        await UsageCounter.filter(
            user_id=user, period_start=current.period_start, feature__in=features
        ).values_list("feature", "used")
    )
    return [_allowance(current, feature, int(used.get(feature, 0))) for feature in features]


def _check_input(quantity: int, idempotency_key: str | None) -> None:
    if not 1 <= quantity <= MAX_QUANTITY:
        raise BillingError(
            ErrorCode.INVALID_INPUT, f"quantity must be 1 to {MAX_QUANTITY}.", "quantity"
        )
    check_client_key(idempotency_key)


async def _check_feature(feature: str, plan: Plan) -> None:
    # An active plan lists every metered feature (the catalog sync writes
    # them all), so the common case needs no query.
    if plan.active and any(item.get("feature") == feature for item in plan.limits):
        return
    features = await metered_features(plan)
    if feature not in features:
        raise BillingError(
            ErrorCode.INVALID_INPUT,
            f"Unknown feature; metered features are: {', '.join(features)}.",
            "feature",
        )


async def _count(
    user_id: str, feature: str, period_start: datetime, quantity: int, limit: int | None
) -> int | None:
    """Add ``quantity`` unless it would pass ``limit``, in one statement; the
    counter row is created on the period's first call. Returns ``used``, or
    None when refused."""
    return await guarded_add(
        UsageCounter,
        {"user_id": user_id, "feature": feature, "period_start": period_start},
        "used",
        quantity,
        ceiling=limit,
        create=lambda: UsageCounter(user_id=user_id, feature=feature, period_start=period_start),
    )


USED = Statement(
    "SELECT used FROM usage_counter WHERE user_id = ? AND feature = ? AND period_start = ?"
)
INSERT_RECORD = Statement(
    "INSERT INTO usage_record (id, user_id, feature, quantity, period_start, "
    "idempotency_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
KEY_COUNTED = Statement(
    "SELECT 1 AS hit FROM usage_record WHERE user_id = ? AND idempotency_key = ?"
)


async def _used(user_id: str, feature: str, period_start: datetime) -> int:
    values = db_values(
        UsageCounter, {"user_id": user_id, "feature": feature, "period_start": period_start}
    )
    rows = await fetch(USED, values)
    return int(rows[0]["used"]) if rows else 0


async def _insert_record(
    user_id: str, feature: str, quantity: int, period_start: datetime, key: str | None
) -> uuid.UUID:
    """The counted call's record; IntegrityError if ``key`` was counted before."""
    record_id = uuid.uuid4()
    values = {
        "id": record_id,
        "user_id": user_id,
        "feature": feature,
        "quantity": quantity,
        "period_start": period_start,
        "idempotency_key": key,
        "created_at": utcnow(),
    }
    await execute(INSERT_RECORD, db_values(UsageRecord, values))
    return record_id


async def _counted_before(user_id: str, key: str | None) -> bool:
    if key is None:
        return False
    values = db_values(UsageRecord, {"user_id": user_id, "idempotency_key": key})
    return bool(await fetch(KEY_COUNTED, values))


def _monthly_amount(plan: Plan) -> float:
    """What a plan costs per month, for ranking (its prices are prefetched)."""
    per_month = [p.amount if p.interval == "month" else p.amount / 12 for p in plan.prices]
    return min(per_month, default=0.0)


async def cheapest_upgrade(
    current: Entitlement,
    feature: str,
    quantity: int,
    used: int,
    entitlements: Entitlements | None = None,
) -> Plan | None:
    """The cheapest plan on sale that would allow the request, prices
    prefetched (kept by the server's ``entitlements`` per catalog version: every
    refusal asks). Between paid plans the period, and so the usage so far,
    carries over; a first subscription starts a new period from 0."""
    needed = quantity + (used if current.subscription is not None else 0)
    on_sale = await (active_plans() if entitlements is None else entitlements.on_sale(active_plans))
    candidates = [
        plan
        for plan in on_sale
        if plan.key != current.plan.key
        and plan.prices
        and ((limit := limit_of(plan, feature)) is None or needed <= limit)
    ]
    return min(candidates, key=lambda p: (_monthly_amount(p), p.position), default=None)


class _Repeated(Exception):
    """The call's idempotency key was counted before."""


async def track_usage(
    caller: Caller,
    *,
    feature: str,
    quantity: int,
    user_id: str | None,
    idempotency_key: str | None,
    now: datetime,
    entitlements: Entitlements | None = None,
) -> Allowance:
    """Count ``quantity`` of ``feature`` for the user, or raise LimitExceeded
    having counted nothing. A repeated idempotency key counts once and
    answers with the allowance as it stands. With ``overage_credits`` on the
    limit, units beyond it are paid in credits in the same transaction
    (billing.credits); too few credits is LIMIT_EXCEEDED, nothing spent."""
    user = acting_for(caller, user_id)
    _check_input(quantity, idempotency_key)
    current = await _entitlement(user, now, entitlements)
    await _check_feature(feature, current.plan)
    limit = limit_of(current.plan, feature)
    overage = overage_of(current.plan, feature)
    start = current.period_start
    refused: Allowance | None = None
    try:
        async with atomic():
            used = await _count(user, feature, start, quantity, limit if overage is None else None)
            if used is None:
                if await _counted_before(user, idempotency_key):
                    raise _Repeated
                refused = _allowance(current, feature, await _used(user, feature, start))
                await record([_limit_reached(user, refused, quantity)])
            else:
                record_id = await _insert_record(user, feature, quantity, start, idempotency_key)
                spent = 0
                if overage is not None and limit is not None and used > limit:
                    spent = min(quantity, used - limit) * overage
                    if not await pay_overage(user, spent, record_id, now):
                        raise _Refused  # rolls the count and the record back
                allowance = _allowance(current, feature, used, spent)
                await record([DomainEvent("usage.updated", user, usage_payload(allowance))])
    except IntegrityError:
        if idempotency_key is None:
            raise
        return await _repeated(user, feature, quantity, idempotency_key, current)
    except _Repeated:
        assert idempotency_key is not None
        return await _repeated(user, feature, quantity, idempotency_key, current)
    except _Refused:
        async with atomic():
            refused = _allowance(current, feature, await _used(user, feature, start))
            await record([_limit_reached(user, refused, quantity)])
    if refused is not None:
        upgrade_to = await cheapest_upgrade(current, feature, quantity, refused.used, entitlements)
        raise LimitExceeded(refused, upgrade_to)
    return allowance


def usage_payload(allowance: Allowance) -> dict[str, Any]:
    """The allowance in the public API's shape (``UsageLimit``)."""
    return {
        "feature": allowance.feature,
        "used": allowance.used,
        "limit": allowance.limit,
        "remaining": allowance.remaining,
        "periodStart": allowance.period_start.isoformat(),
        "resetsAt": allowance.resets_at.isoformat(),
    }


def _limit_reached(user_id: str, allowance: Allowance, quantity: int) -> DomainEvent:
    return DomainEvent(
        "usage.limit_reached",
        user_id,
        {**usage_payload(allowance), "requested": quantity},
        id=once_id("limit", user_id, allowance.feature, allowance.period_start, allowance.limit),
    )


async def _repeated(
    user_id: str, feature: str, quantity: int, idempotency_key: str, current: Entitlement
) -> Allowance:
    """The key was counted before (possibly by a racing twin that just won)."""
    first = await UsageRecord.get(user_id=user_id, idempotency_key=idempotency_key)
    if (first.feature, first.quantity) != (feature, quantity):
        raise BillingError(
            ErrorCode.IDEMPOTENCY_CONFLICT,
            "This idempotencyKey was already used for a different feature or quantity.",
            "idempotencyKey",
        )
    used = await _used(user_id, feature, current.period_start)
    return _allowance(current, feature, used, await overage_spent(first.id, user_id))


@dataclass(frozen=True, slots=True)
class Mismatch:
    user_id: str
    feature: str
    period_start: datetime
    counted: int
    recorded: int


@dataclass(frozen=True, slots=True)
class Verification:
    counters: int
    records: int
    mismatches: list[Mismatch]


async def verify_counters() -> Verification:
    """Recompute every counter from the usage records and compare."""
    counted: dict[tuple[str, str, datetime], int] = {
        (user, feature, start): int(used)
        for user, feature, start, used in await UsageCounter.all().values_list(
            "user_id", "feature", "period_start", "used"
        )
    }
    recorded: dict[tuple[str, str, datetime], int] = {}
    records = 0
    for user, feature, start, total, n in (
        await UsageRecord.annotate(total=Sum("quantity"), n=Count("id"))
        .group_by("user_id", "feature", "period_start")
        .values_list("user_id", "feature", "period_start", "total", "n")
    ):
        recorded[(user, feature, start)] = int(total)
        records += int(n)
    mismatches = [
        Mismatch(*key, counted=counted.get(key, 0), recorded=recorded.get(key, 0))
        for key in sorted(counted.keys() | recorded.keys())
        if counted.get(key, 0) != recorded.get(key, 0)
    ]
    return Verification(counters=len(counted), records=records, mismatches=mismatches)
