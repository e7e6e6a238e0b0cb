"""Per-request DataLoaders: related rows for a whole page in one query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cached_property
from uuid import UUID

from strawberry.dataloader import DataLoader

from billing.subscriptions import with_plans
from models.payments import Dispute, Refund
from models.subscriptions import Subscription


async def _refunds_of(payment_ids: Sequence[UUID]) -> list[list[Refund]]:
    grouped: dict[UUID, list[Refund]] = defaultdict(list)
    for refund in await Refund.filter(payment_id__in=payment_ids).order_by("created_at", "id"):
        grouped[refund.payment_id].append(refund)  # type: ignore[attr-defined]
    return [grouped[payment_id] for payment_id in payment_ids]


async def _disputes_of(payment_ids: Sequence[UUID]) -> list[Dispute | None]:
    found = {d.payment_id: d for d in await Dispute.filter(payment_id__in=payment_ids)}  # type: ignore[attr-defined]
    return [found.get(payment_id) for payment_id in payment_ids]


async def _subscriptions_of(stripe_ids: Sequence[str]) -> list[Subscription | None]:
    rows = await with_plans(Subscription.filter(stripe_subscription_id__in=stripe_ids))
    found = {row.stripe_subscription_id: row for row in rows}
    return [found.get(stripe_id) for stripe_id in stripe_ids]


class Loaders:
    """Created with each request's context, so nothing is cached across users."""

    @cached_property
    def refunds(self) -> DataLoader[UUID, list[Refund]]:
        return DataLoader(load_fn=_refunds_of)

    @cached_property
    def disputes(self) -> DataLoader[UUID, Dispute | None]:
        return DataLoader(load_fn=_disputes_of)

    @cached_property
    def subscriptions(self) -> DataLoader[str, Subscription | None]:
        """By Stripe subscription id, with plans and prices (for payments)."""
        return DataLoader(load_fn=_subscriptions_of)
