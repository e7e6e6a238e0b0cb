"""Per-request DataLoaders: related rows for a whole page in one query."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from uuid import UUID

from strawberry.dataloader import DataLoader
from tortoise.query_utils import Prefetch

from billing.finance import lifetime_paid
from billing.refunds import RefundRow, refunds_of
from billing.subscriptions import with_plans
from models.catalog import Plan, PlanPrice
from models.credits import CreditBalance
from models.customers import PaymentMethod
from models.payments import Dispute, Payment
from models.subscriptions import LIVE_STATUSES, Subscription


async def _disputes_of(payment_ids: Sequence[UUID]) -> list[Dispute | None]:
    found = {d.payment_id: d for d in await Dispute.filter(payment_id__in=payment_ids)}  # type: ignore[attr-defined]
    return [found.get(payment_id) for payment_id in payment_ids]


async def _payments(payment_ids: Sequence[UUID]) -> list[Payment | None]:
    found = {p.id: p for p in await Payment.filter(id__in=payment_ids)}
    return [found.get(payment_id) for payment_id in payment_ids]


async def _prices_by_stripe_id(stripe_ids: Sequence[str]) -> list[PlanPrice | None]:
    found = {p.stripe_price_id: p for p in await PlanPrice.filter(stripe_price_id__in=stripe_ids)}
    return [found.get(stripe_id) for stripe_id in stripe_ids]


async def _plans(keys: Sequence[str]) -> list[Plan | None]:
    """Plans by key with their prices on sale (as the Plan type needs them)."""
    rows = await Plan.filter(key__in=keys).prefetch_related(
        Prefetch("prices", queryset=PlanPrice.on_sale())
    )
    by_key = {row.key: row for row in rows}
    return [by_key.get(key) for key in keys]


async def _subscriptions_by_stripe_id(ids: Sequence[str]) -> list[Subscription | None]:
    rows = await with_plans(Subscription.filter(stripe_subscription_id__in=ids))
    by_id = {row.stripe_subscription_id: row for row in rows}
    return [by_id.get(id) for id in ids]


async def _current_subscriptions(user_ids: Sequence[str]) -> list[Subscription | None]:
    """Each user's newest live subscription, with its plan (three queries)."""
    rows = await with_plans(
        Subscription.filter(user_id__in=user_ids, status__in=LIVE_STATUSES).order_by(
            "created_at", "id"
        )
    )
    newest = {row.user_id: row for row in rows}
    return [newest.get(user_id) for user_id in user_ids]


async def _lifetime_paid(user_ids: Sequence[str]) -> list[list[tuple[str, int]]]:
    paid = await lifetime_paid(user_ids)
    return [paid.get(user_id, []) for user_id in user_ids]


async def _payment_methods_by_stripe_id(ids: Sequence[str]) -> list[PaymentMethod | None]:
    found = {
        m.stripe_payment_method_id: m
        for m in await PaymentMethod.filter(stripe_payment_method_id__in=ids)
    }
    return [found.get(stripe_id) for stripe_id in ids]


async def _credit_balances(user_ids: Sequence[str]) -> list[int]:
    found = {row.user_id: row.balance for row in await CreditBalance.filter(user_id__in=user_ids)}
    return [found.get(user_id, 0) for user_id in user_ids]


class Loaders:
    """Created with each request's context, so nothing is cached across users."""

    @cached_property
    def refunds(self) -> DataLoader[UUID, list[RefundRow]]:
        return DataLoader(load_fn=refunds_of)

    @cached_property
    def disputes(self) -> DataLoader[UUID, Dispute | None]:
        return DataLoader(load_fn=_disputes_of)

    @cached_property
    def payments(self) -> DataLoader[UUID, Payment | None]:
        return DataLoader(load_fn=_payments)

    @cached_property
    def prices(self) -> DataLoader[str, PlanPrice | None]:
        """Plan prices by Stripe id, inactive ones included."""
        return DataLoader(load_fn=_prices_by_stripe_id)

    @cached_property
    def plans(self) -> DataLoader[str, Plan | None]:
        """Plans by key with their prices on sale, as the Plan type needs them."""
        return DataLoader(load_fn=_plans)

    @cached_property
    def subscriptions_by_stripe_id(self) -> DataLoader[str, Subscription | None]:
        return DataLoader(load_fn=_subscriptions_by_stripe_id)

    @cached_property
    def current_subscriptions(self) -> DataLoader[str, Subscription | None]:
        """By user id: the newest live subscription."""
        return DataLoader(load_fn=_current_subscriptions)

    @cached_property
    def lifetime_paid(self) -> DataLoader[str, list[tuple[str, int]]]:
        """By user id: (currency, amount kept) pairs."""
        return DataLoader(load_fn=_lifetime_paid)

    @cached_property
    def payment_methods_by_stripe_id(self) -> DataLoader[str, PaymentMethod | None]:
        return DataLoader(load_fn=_payment_methods_by_stripe_id)

    @cached_property
    def credit_balances(self) -> DataLoader[str, int]:
        """By user id: the wallet's balance (0 without one)."""
        return DataLoader(load_fn=_credit_balances)
