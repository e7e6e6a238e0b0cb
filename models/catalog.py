"""The plan catalog as mirrored from the plans file and Stripe."""

from __future__ import annotations

from tortoise import fields
from tortoise.queryset import QuerySet

from models.base import StripeMirror

# The recurrences billgraph sells (every 1 month or 1 year); Stripe also has
# day and week, and any count up to three years.
SOLD_INTERVALS = ("month", "year")


class Plan(StripeMirror):
    """A sellable plan. ``key`` is the stable catalog id (free, premium, ...);
    ``stripe_version`` tracks its Stripe Product."""

    key = fields.CharField(max_length=64, primary_key=True)
    name = fields.CharField(max_length=200)
    description = fields.TextField(null=True)
    position = fields.IntField(default=0)
    trial_days = fields.IntField(default=0)
    currency = fields.CharField(max_length=3, default="usd")
    # [{"feature": "images", "limit": 100, "overage_credits": 2}, ...]; limit null =
    # unlimited; overage_credits (optional): credits per unit beyond the limit.
    limits: fields.Field[list[dict[str, object]]] = fields.JSONField(default=list)
    features: fields.Field[list[str]] = fields.JSONField(default=list)
    # Credits granted with every paid period, expiring at its end.
    credits_per_period = fields.IntField(default=0)
    active = fields.BooleanField(default=True)
    # The one active plan without prices: everyone without a live subscription
    # has it. Retiring a plan clears the flag (billing.catalog).
    free = fields.BooleanField(default=False)
    stripe_product_id = fields.CharField(max_length=255, null=True, unique=True)
    prices: fields.ReverseRelation[PlanPrice]

    class Meta:
        table = "plan"
        ordering = ["position", "key"]


class PlanPrice(StripeMirror):
    """One Stripe Price of a plan's product, whatever its kind: a dashboard user
    may add weekly or one-time prices, which are mirrored but never sold (see
    ``on_sale``). Inactive rows stay so that existing subscribers on an old
    price still resolve to their plan."""

    id = fields.UUIDField(primary_key=True)
    plan: fields.ForeignKeyRelation[Plan] = fields.ForeignKeyField(
        "models.Plan", related_name="prices", on_delete=fields.RESTRICT
    )
    type = fields.CharField(max_length=16, default="recurring")  # recurring | one_time
    interval = fields.CharField(max_length=8)  # day | week | month | year; "" if one_time
    # Null if one_time; rows from before this column were all every 1 month or year.
    interval_count = fields.IntField(null=True, default=1)
    amount = fields.IntField()
    currency = fields.CharField(max_length=3)
    active = fields.BooleanField(default=True)
    stripe_price_id = fields.CharField(max_length=255, unique=True)
    lookup_key = fields.CharField(max_length=200, null=True)

    class Meta:
        table = "plan_price"
        indexes = (("plan_id", "interval", "active"),)

    @classmethod
    def on_sale(cls) -> QuerySet[PlanPrice]:
        """The prices sold and shown as plan prices, monthly first: active and
        recurring every month or every year."""
        return cls.filter(
            active=True, type="recurring", interval__in=SOLD_INTERVALS, interval_count=1
        ).order_by("interval")
