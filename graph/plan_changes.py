"""Plan changes: the preview, changePlan, cancelScheduledChange and resumeSubscription."""

from __future__ import annotations

from datetime import datetime

import strawberry

from billing.plan_changes import (
    cancel_scheduled_change,
    change_plan,
    preview_plan_change,
    resume_subscription,
)
from graph.catalog import BillingInterval
from graph.context import Info
from graph.errors import BillingErrorType, payload_or_errors
from graph.money import Money
from graph.payments import Payment
from graph.permissions import IsAuthenticated, require_caller
from graph.subscriptions import Subscription


@strawberry.type
class InvoiceLine:
    description: str
    amount: Money
    proration: bool


@strawberry.type
class PlanChangePreview:
    immediate: bool = strawberry.field(
        description="true: applied now and charged now; false: takes effect at the period end."
    )
    effective_at: datetime
    amount_due_now: Money = strawberry.field(
        description="What changePlan with the same input charges at once "
        "(0 for a scheduled change)."
    )
    next_invoice_amount: Money
    next_invoice_at: datetime
    lines: list[InvoiceLine]


@strawberry.input
class ChangePlanInput:
    subscription_id: strawberry.ID
    plan_id: strawberry.ID
    interval: BillingInterval | None = BillingInterval.MONTH
    idempotency_key: str | None = None


@strawberry.type
class PlanChangePreviewPayload:
    preview: PlanChangePreview | None = None
    errors: list[BillingErrorType] = strawberry.field(default_factory=list)


@strawberry.type
class ChangePlanPayload:
    subscription: Subscription | None = None
    payment: Payment | None = strawberry.field(
        default=None,
        description="Charged at once for an immediate change; null for a scheduled one.",
    )
    errors: list[BillingErrorType] = strawberry.field(default_factory=list)


@strawberry.input
class SubscriptionIdInput:
    subscription_id: strawberry.ID


@strawberry.type
class SubscriptionPayload:
    subscription: Subscription | None = None
    errors: list[BillingErrorType] = strawberry.field(default_factory=list)


@strawberry.type
class PlanChangeQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    async def plan_change_preview(
        self, info: Info, input: ChangePlanInput
    ) -> PlanChangePreviewPayload:
        async def work() -> PlanChangePreviewPayload:
            preview = await preview_plan_change(
                require_caller(info),
                info.context.stripe(),
                subscription_id=input.subscription_id,
                plan_id=input.plan_id,
                interval=(input.interval or BillingInterval.MONTH).value,
                now=info.context.clock(),
            )
            currency = preview.currency
            return PlanChangePreviewPayload(
                preview=PlanChangePreview(
                    immediate=preview.immediate,
                    effective_at=preview.effective_at,
                    amount_due_now=Money.of(preview.amount_due_now, currency),
                    next_invoice_amount=Money.of(preview.next_invoice_amount, currency),
                    next_invoice_at=preview.next_invoice_at,
                    lines=[
                        InvoiceLine(
                            description=line.description,
                            amount=Money.of(line.amount, currency),
                            proration=line.proration,
                        )
                        for line in preview.lines
                    ],
                )
            )

        return await payload_or_errors(PlanChangePreviewPayload, work())


@strawberry.type
class PlanChangeMutation:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Upgrades apply now, prorated and charged at once; downgrades wait for "
        "the period end.",
    )
    async def change_plan(self, info: Info, input: ChangePlanInput) -> ChangePlanPayload:
        async def work() -> ChangePlanPayload:
            changed = await change_plan(
                require_caller(info),
                info.context.stripe(),
                subscription_id=input.subscription_id,
                plan_id=input.plan_id,
                interval=(input.interval or BillingInterval.MONTH).value,
                idempotency_key=input.idempotency_key,
                now=info.context.clock(),
            )
            return ChangePlanPayload(
                subscription=Subscription.from_row(changed.subscription),
                payment=Payment.from_row(changed.payment, info) if changed.payment else None,
            )

        return await payload_or_errors(ChangePlanPayload, work())

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def cancel_scheduled_change(
        self, info: Info, input: SubscriptionIdInput
    ) -> SubscriptionPayload:
        async def work() -> SubscriptionPayload:
            row = await cancel_scheduled_change(
                require_caller(info), info.context.stripe(), input.subscription_id
            )
            return SubscriptionPayload(subscription=Subscription.from_row(row))

        return await payload_or_errors(SubscriptionPayload, work())

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Undo a cancellation at period end while the period lasts.",
    )
    async def resume_subscription(
        self, info: Info, input: SubscriptionIdInput
    ) -> SubscriptionPayload:
        async def work() -> SubscriptionPayload:
            row = await resume_subscription(
                require_caller(info),
                info.context.stripe(),
                input.subscription_id,
                info.context.clock(),
            )
            return SubscriptionPayload(subscription=Subscription.from_row(row))

        return await payload_or_errors(SubscriptionPayload, work())
