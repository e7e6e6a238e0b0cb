"""Catalog types and the public ``plans`` query."""

from __future__ import annotations

from enum import Enum

import strawberry

from billing.catalog import active_plans
from graph.money import Money
from models.catalog import Plan as PlanRow
from models.catalog import PlanPrice as PlanPriceRow


@strawberry.enum
class BillingInterval(Enum):
    MONTH = "month"
    YEAR = "year"


@strawberry.type
class PlanLimit:
    feature: str = strawberry.field(description='Metered feature key, e.g. "images" or "models".')
    limit: int | None = strawberry.field(
        description="Allowance per month; null means unlimited. A yearly subscription's "
        "allowance still resets every month (on the subscription's anniversary day)."
    )
    overage_credits: int | None = strawberry.field(
        default=None,
        description="Credits charged per unit used beyond the allowance; null: usage stops "
        "at the limit.",
    )


@strawberry.type
class PlanPrice:
    """One way to pay for a plan (the monthly one is also ``Plan.price``)."""

    interval: BillingInterval
    price: Money
    stripe_price_id: str

    @classmethod
    def from_row(cls, row: PlanPriceRow) -> PlanPrice:
        return cls(
            interval=BillingInterval(row.interval),
            price=Money.of(row.amount, row.currency),
            stripe_price_id=row.stripe_price_id,
        )


@strawberry.type
class Plan:
    id: strawberry.ID = strawberry.field(
        description="Stable catalog key: free, premium, pro, enterprise (plus any configured)."
    )
    name: str
    description: str | None
    price: Money = strawberry.field(description="Price per interval; amount 0 for the free plan.")
    interval: BillingInterval
    trial_days: int
    limits: list[PlanLimit]
    features: list[str] = strawberry.field(
        description='Non-metered perks, e.g. "priority-support", "api-access".'
    )
    stripe_price_id: str | None = strawberry.field(description="Null for the free plan.")
    prices: list[PlanPrice] = strawberry.field(
        description="Every active price of the plan (monthly and, where offered, yearly)."
    )
    credits_per_period: int = strawberry.field(
        description="Credits granted with every paid period (0: none); they expire when that "
        "period ends."
    )

    @classmethod
    def from_row(cls, row: PlanRow) -> Plan:
        prices = [PlanPrice.from_row(p) for p in row.prices]
        primary = next((p for p in prices if p.interval is BillingInterval.MONTH), None)
        primary = primary or (prices[0] if prices else None)
        return cls(
            id=strawberry.ID(row.key),
            name=row.name,
            description=row.description,
            price=primary.price if primary else Money.of(0, row.currency),
            interval=primary.interval if primary else BillingInterval.MONTH,
            trial_days=row.trial_days,
            limits=[
                PlanLimit(
                    feature=str(x["feature"]),
                    limit=x["limit"],  # type: ignore[arg-type]
                    overage_credits=x.get("overage_credits"),  # type: ignore[arg-type]
                )
                for x in row.limits
            ],
            features=list(row.features),
            stripe_price_id=primary.stripe_price_id if primary else None,
            prices=prices,
            credits_per_period=row.credits_per_period,
        )


@strawberry.type
class CatalogQuery:
    @strawberry.field(description="Public: no token needed.")
    async def plans(self) -> list[Plan]:
        return [Plan.from_row(row) for row in await active_plans()]
