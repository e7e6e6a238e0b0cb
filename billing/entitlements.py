"""Which plan a user has right now, and the billing period it is counted in.

The effective plan is the plan of the user's live subscription (trialing,
active or past_due), else the catalog's free plan. Allowances are monthly, so
its period is the subscription's current period when billed monthly, the
month of a yearly period that holds ``now`` (billing.periods), or the
calendar month in UTC on the free plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from billing.periods import monthly_slice
from models.catalog import Plan, PlanPrice
from models.subscriptions import LIVE_STATUSES, Subscription


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


async def entitlement(user_id: str, now: datetime) -> Entitlement:
    subscription = await live_subscription(user_id)
    if subscription is not None:
        start, end = subscription.current_period_start, subscription.current_period_end
        if await billed_yearly(subscription):
            start, end = monthly_slice(start, end, now)
        return Entitlement(
            plan=subscription.plan, period_start=start, period_end=end, subscription=subscription
        )
    start, end = calendar_month(now)
    return Entitlement(
        plan=await free_plan(), period_start=start, period_end=end, subscription=None
    )
