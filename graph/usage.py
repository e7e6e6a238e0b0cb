"""Usage allowances: the ``usageLimits`` query and the ``trackUsage`` mutation."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import UNSET

from billing.tokens import Caller
from billing.usage import Allowance, LimitExceeded, track_usage, usage_limits
from graph.arguments import given
from graph.catalog import Plan
from graph.context import Info
from graph.errors import BillingErrorType, payload_or_errors, query_or_error
from graph.permissions import require_caller

UNLIMITED = "Null means unlimited."


@strawberry.type
class UsageLimit:
    feature: str
    used: int
    limit: int | None = strawberry.field(description=UNLIMITED)
    remaining: int | None = strawberry.field(description=UNLIMITED)
    period_start: datetime
    resets_at: datetime

    @classmethod
    def of(cls, allowance: Allowance) -> UsageLimit:
        return cls(
            feature=allowance.feature,
            used=allowance.used,
            limit=allowance.limit,
            remaining=allowance.remaining,
            period_start=allowance.period_start,
            resets_at=allowance.resets_at,
        )


@strawberry.input
class TrackUsageInput:
    feature: str
    quantity: int = 1
    user_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only admins and services may track for another user."
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description="The same key is counted once."
    )


@strawberry.type
class TrackUsagePayload:
    usage: UsageLimit | None = strawberry.field(
        default=None, description="The allowance after this call (unchanged when refused)."
    )
    upgrade_to: Plan | None = strawberry.field(
        default=None,
        description=(
            "When refused with LIMIT_EXCEEDED: the cheapest plan whose limit would allow it."
        ),
    )
    credits_spent: int = strawberry.field(
        default=0, description="Credits this call spent on overage (0 within the allowance)."
    )
    errors: list[BillingErrorType] = strawberry.field(default_factory=list)


async def _track(caller: Caller, info: Info, data: TrackUsageInput) -> TrackUsagePayload:
    try:
        allowance = await track_usage(
            caller,
            feature=data.feature,
            quantity=data.quantity,
            user_id=data.user_id,
            idempotency_key=data.idempotency_key,
            now=info.context.clock(),
            entitlements=info.context.entitlements,
        )
    except LimitExceeded as refused:
        return TrackUsagePayload(
            usage=UsageLimit.of(refused.allowance),
            upgrade_to=Plan.from_row(refused.upgrade_to) if refused.upgrade_to else None,
            errors=[BillingErrorType.of(refused)],
        )
    return TrackUsagePayload(usage=UsageLimit.of(allowance), credits_spent=allowance.credits_spent)


@strawberry.type
class UsageQuery:
    @strawberry.field(description="Every metered feature's allowance in the current period.")
    async def usage_limits(
        self, info: Info, user_id: strawberry.ID | None = UNSET
    ) -> list[UsageLimit]:
        caller = require_caller(info)
        allowances = await query_or_error(
            usage_limits(caller, given(user_id), info.context.clock(), info.context.entitlements)
        )
        return [UsageLimit.of(allowance) for allowance in allowances]


@strawberry.type
class UsageMutation:
    @strawberry.mutation(
        description=(
            "Count usage of a metered feature, refused (nothing counted) past the limit "
            "unless paid in credits."
        )
    )
    async def track_usage(self, info: Info, input: TrackUsageInput) -> TrackUsagePayload:
        caller = require_caller(info)
        return await payload_or_errors(TrackUsagePayload, _track(caller, info, input))
