"""Subscription types, the ``subscriptions`` query, checkout and cancellation."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import UNSET

from billing.checkout import create_checkout_session
from billing.pagination import DEFAULT_PAGE_SIZE
from billing.portal import create_portal_session
from billing.subscribing import SubscriptionRequest, create_subscription
from billing.subscriptions import cancel_subscription, find_subscription, list_subscriptions
from graph.arguments import given
from graph.catalog import BillingInterval, Plan, PlanPrice
from graph.context import Info
from graph.errors import BillingErrorType, payload_or_errors, query_or_error
from graph.money import Money
from graph.pagination import Connection
from graph.permissions import IsAuthenticated, require_caller
from models.subscriptions import Subscription as SubscriptionRow
from models.subscriptions import SubscriptionStatus as SubscriptionStatusValue

SubscriptionStatus = strawberry.enum(SubscriptionStatusValue, name="SubscriptionStatus")


@strawberry.type(
    description="A plan change that takes effect later (a downgrade waits for the period end)."
)
class ScheduledChange:
    plan: Plan
    interval: BillingInterval
    effective_at: datetime


@strawberry.type(description="A promotion code or coupon applied to the subscription.")
class Discount:
    code: str | None
    percent_off: float | None = strawberry.field(
        description="Exactly one of percentOff and amountOff is set."
    )
    amount_off: Money | None
    ends_at: datetime | None

    @classmethod
    def of(cls, row: SubscriptionRow) -> Discount | None:
        if row.discount_percent_off is None and row.discount_amount_off is None:
            return None
        amount_off = None
        if row.discount_amount_off is not None and row.discount_currency:
            amount_off = Money.of(row.discount_amount_off, row.discount_currency)
        return cls(
            code=row.discount_code,
            percent_off=row.discount_percent_off,
            amount_off=amount_off,
            ends_at=row.discount_ends_at,
        )


@strawberry.type
class Subscription:
    id: strawberry.ID
    plan: Plan
    status: SubscriptionStatus  # type: ignore[valid-type]
    current_period_start: datetime
    current_period_end: datetime
    cancel_at_period_end: bool
    canceled_at: datetime | None
    ended_at: datetime | None = strawberry.field(
        description="When it ended (canceled now, or at the end of its last period)."
    )
    trial_end: datetime | None
    discount: Discount | None
    stripe_subscription_id: str
    created_at: datetime
    stripe_price_id: strawberry.Private[str]
    scheduled_price_id: strawberry.Private[str | None]
    scheduled_at: strawberry.Private[datetime | None]

    @strawberry.field(
        description="What this subscription is billed: interval and amount before discounts."
    )
    async def price(self, info: Info) -> PlanPrice:
        row = await info.context.loaders.prices.load(self.stripe_price_id)
        if row is None:
            raise LookupError(f"subscription {self.id} is on an unknown price")
        return PlanPrice.from_row(row)

    @strawberry.field
    async def scheduled_change(self, info: Info) -> ScheduledChange | None:
        if self.scheduled_price_id is None or self.scheduled_at is None:
            return None
        price = await info.context.loaders.prices.load(self.scheduled_price_id)
        plan = await info.context.loaders.plans.load(price.plan_id) if price else None  # type: ignore[attr-defined]
        if price is None or plan is None:
            return None
        return ScheduledChange(
            plan=Plan.from_row(plan),
            interval=BillingInterval(price.interval),
            effective_at=self.scheduled_at,
        )

    @classmethod
    def from_row(cls, row: SubscriptionRow) -> Subscription:
        """``row.plan`` must be loaded with its prices (billing.subscriptions.with_plans)."""
        return cls(
            id=strawberry.ID(str(row.pk)),
            plan=Plan.from_row(row.plan),
            status=row.status,
            current_period_start=row.current_period_start,
            current_period_end=row.current_period_end,
            cancel_at_period_end=row.cancel_at_period_end,
            canceled_at=row.canceled_at,
            ended_at=row.ended_at,
            trial_end=row.trial_end,
            discount=Discount.of(row),
            stripe_subscription_id=row.stripe_subscription_id,
            created_at=row.created_at,
            stripe_price_id=row.stripe_price_id,
            scheduled_price_id=row.scheduled_price_id,
            scheduled_at=row.scheduled_at,
        )


@strawberry.type
class SubscriptionQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    async def subscription(self, info: Info, id: strawberry.ID) -> Subscription | None:
        row = await find_subscription(require_caller(info), id)
        return Subscription.from_row(row) if row is not None else None

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def subscriptions(
        self,
        info: Info,
        user_id: strawberry.ID | None = UNSET,
        status: SubscriptionStatus | None = UNSET,  # type: ignore[valid-type]
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = UNSET,
    ) -> Connection[Subscription]:
        page = await query_or_error(
            list_subscriptions(
                require_caller(info),
                given(user_id),
                given(status),
                first,
                given(after),
            )
        )
        return Connection.of(page, Subscription.from_row)


@strawberry.input
class CreateCheckoutSessionInput:
    plan_id: strawberry.ID
    interval: BillingInterval | None = BillingInterval.MONTH
    success_url: str
    cancel_url: str
    idempotency_key: str | None = None


@strawberry.type
class CreateCheckoutSessionPayload:
    session_id: str | None = None
    url: str | None = strawberry.field(default=None, description="Where to send the browser.")
    errors: list[BillingErrorType] = strawberry.field(default_factory=list)


@strawberry.input
class CreateSubscriptionInput:
    plan_id: strawberry.ID
    idempotency_key: str
    interval: BillingInterval | None = BillingInterval.MONTH
    payment_method_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="A saved card to charge; without it the payload's clientSecret collects one.",
    )
    mobile_api_version: str | None = strawberry.field(
        default=None,
        description="Mobile clients pass their Stripe SDK API version to receive an ephemeral key.",
    )


@strawberry.type
class CreateSubscriptionPayload:
    subscription: Subscription | None = strawberry.field(
        default=None,
        description="INCOMPLETE until the first payment succeeds (TRIALING for a trial).",
    )
    client_secret: str | None = strawberry.field(
        default=None,
        description="Confirm the first payment (or, for a trial, save a card) with Stripe.js or "
        "the PaymentSheet.",
    )
    customer_id: str | None = None
    ephemeral_key: str | None = None
    errors: list[BillingErrorType] = strawberry.field(default_factory=list)


@strawberry.input
class CancelSubscriptionInput:
    subscription_id: strawberry.ID
    at_period_end: bool = strawberry.field(
        default=True, description="true: keep access until the period ends; false: end it now."
    )


@strawberry.type
class CancelSubscriptionPayload:
    subscription: Subscription | None = None
    errors: list[BillingErrorType] = strawberry.field(default_factory=list)


@strawberry.input
class CreateBillingPortalSessionInput:
    return_url: str = strawberry.field(description="Where the portal's back link leads.")


@strawberry.type
class CreateBillingPortalSessionPayload:
    url: str | None = strawberry.field(default=None, description="Where to send the browser.")
    errors: list[BillingErrorType] = strawberry.field(default_factory=list)


@strawberry.type
class SubscriptionMutation:
    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def create_checkout_session(
        self, info: Info, input: CreateCheckoutSessionInput
    ) -> CreateCheckoutSessionPayload:
        async def work() -> CreateCheckoutSessionPayload:
            session = await create_checkout_session(
                require_caller(info),
                info.context.stripe(),
                plan_id=input.plan_id,
                interval=(input.interval or BillingInterval.MONTH).value,
                success_url=input.success_url,
                cancel_url=input.cancel_url,
                idempotency_key=input.idempotency_key,
                allowed_hosts=info.context.settings.allowed_redirect_hosts,
                now=info.context.clock(),
                app_schemes=info.context.settings.allowed_redirect_schemes,
            )
            return CreateCheckoutSessionPayload(
                session_id=session.stripe_session_id, url=session.url
            )

        return await payload_or_errors(CreateCheckoutSessionPayload, work())

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Mobile and custom web flows: the subscription is created here and paid with "
        "clientSecret.",
    )
    async def create_subscription(
        self, info: Info, input: CreateSubscriptionInput
    ) -> CreateSubscriptionPayload:
        async def work() -> CreateSubscriptionPayload:
            created = await create_subscription(
                require_caller(info),
                SubscriptionRequest(
                    plan_id=input.plan_id,
                    interval=(input.interval or BillingInterval.MONTH).value,
                    idempotency_key=input.idempotency_key,
                    payment_method_id=input.payment_method_id,
                    mobile_api_version=input.mobile_api_version,
                ),
                info.context.stripe(),
            )
            return CreateSubscriptionPayload(
                subscription=Subscription.from_row(created.subscription),
                client_secret=created.client_secret,
                customer_id=created.customer_id,
                ephemeral_key=created.ephemeral_key,
            )

        return await payload_or_errors(CreateSubscriptionPayload, work())

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def cancel_subscription(
        self, info: Info, input: CancelSubscriptionInput
    ) -> CancelSubscriptionPayload:
        async def work() -> CancelSubscriptionPayload:
            row = await cancel_subscription(
                require_caller(info),
                info.context.stripe(),
                input.subscription_id,
                at_period_end=input.at_period_end,
            )
            return CancelSubscriptionPayload(subscription=Subscription.from_row(row))

        return await payload_or_errors(CancelSubscriptionPayload, work())

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Stripe's billing portal for the caller: card, invoices, plan changes.",
    )
    async def create_billing_portal_session(
        self, info: Info, input: CreateBillingPortalSessionInput
    ) -> CreateBillingPortalSessionPayload:
        async def work() -> CreateBillingPortalSessionPayload:
            url = await create_portal_session(
                require_caller(info),
                info.context.stripe(),
                input.return_url,
                info.context.settings.allowed_redirect_hosts,
                info.context.settings.allowed_redirect_schemes,
            )
            return CreateBillingPortalSessionPayload(url=url)

        return await payload_or_errors(CreateBillingPortalSessionPayload, work())
