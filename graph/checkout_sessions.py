"""The ``checkoutSession`` lookup: where a checkout stands, and what it made."""

from __future__ import annotations

from datetime import datetime

import strawberry

from billing.checkout import find_checkout_session
from graph.catalog import BillingInterval, Plan
from graph.context import Info
from graph.permissions import IsAuthenticated, require_caller
from graph.subscriptions import Subscription
from models.checkout import CheckoutSession as CheckoutSessionRow
from models.checkout import CheckoutStatus

CheckoutSessionStatus = strawberry.enum(CheckoutStatus, name="CheckoutSessionStatus")


@strawberry.type
class CheckoutSession:
    id: strawberry.ID = strawberry.field(description="Stripe's cs_... id.")
    status: CheckoutSessionStatus  # type: ignore[valid-type]
    interval: BillingInterval | None
    url: str | None = strawberry.field(
        description="Where to send the browser while the session is open."
    )
    expires_at: datetime
    row: strawberry.Private[CheckoutSessionRow]

    @strawberry.field
    async def plan(self, info: Info) -> Plan | None:
        row = await info.context.loaders.plans.load(self.row.plan_id)  # type: ignore[attr-defined]
        return Plan.from_row(row) if row is not None else None

    @strawberry.field(
        description="Set once the session completed and the subscription is mirrored."
    )
    async def subscription(self, info: Info) -> Subscription | None:
        if self.row.stripe_subscription_id is None:
            return None
        loader = info.context.loaders.subscriptions_by_stripe_id
        row = await loader.load(self.row.stripe_subscription_id)
        return Subscription.from_row(row) if row is not None else None

    @classmethod
    def from_row(cls, row: CheckoutSessionRow) -> CheckoutSession:
        return cls(
            id=strawberry.ID(row.stripe_session_id),
            status=row.status,
            interval=BillingInterval(row.interval) if row.interval in ("month", "year") else None,
            url=row.url if row.status is CheckoutStatus.OPEN else None,
            expires_at=row.expires_at,
            row=row,
        )


@strawberry.type
class CheckoutSessionQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    async def checkout_session(self, info: Info, id: strawberry.ID) -> CheckoutSession | None:
        row = await find_checkout_session(require_caller(info), id, info.context.gateway)
        return CheckoutSession.from_row(row) if row is not None else None
