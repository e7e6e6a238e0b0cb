"""Plan changes billgraph made, one row per changePlan that reached Stripe."""

from __future__ import annotations

from tortoise import fields

from models.base import TimestampedModel
from models.subscriptions import Subscription


class PlanChange(TimestampedModel):
    """What a changePlan did, so that the same client key returns it again
    (and the same key with another request is a conflict)."""

    id = fields.UUIDField(primary_key=True)
    user_id = fields.CharField(max_length=255)
    subscription: fields.ForeignKeyRelation[Subscription] = fields.ForeignKeyField(
        "models.Subscription", related_name="plan_changes", on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=16)  # upgrade | downgrade | cancel
    stripe_price_id = fields.CharField(max_length=255, null=True)  # null: the free plan
    # The proration invoice an upgrade was charged with.
    stripe_invoice_id = fields.CharField(max_length=255, null=True)
    request_digest = fields.CharField(max_length=64)
    idempotency_key = fields.CharField(max_length=255, null=True)

    class Meta:
        table = "plan_change"
        unique_together = (("user_id", "idempotency_key"),)
