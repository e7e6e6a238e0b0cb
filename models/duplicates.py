"""What billgraph did about a user's second live subscription."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from models.base import TimestampedModel


class ResolutionStatus(StrEnum):
    PENDING = "pending"  # recorded; Stripe not yet (fully) answered
    RESOLVED = "resolved"  # canceled in Stripe, and refunded if it was paid
    FAILED = "failed"  # the last attempt failed (``error``); the next event retries


class DuplicateSubscription(TimestampedModel):
    """One subscription canceled and refunded because the user already had an
    older live one. Recorded before Stripe is called: the unique duplicate id
    makes every later event about it find this row instead of acting again."""

    id = fields.UUIDField(primary_key=True)
    user_id = fields.CharField(max_length=255)
    kept_stripe_subscription_id = fields.CharField(max_length=255)
    duplicate_stripe_subscription_id = fields.CharField(max_length=255, unique=True)
    status = fields.CharEnumField(ResolutionStatus, max_length=16, default=ResolutionStatus.PENDING)
    stripe_payment_intent_id = fields.CharField(max_length=255, null=True)
    stripe_refund_id = fields.CharField(max_length=255, null=True)
    refunded_amount = fields.IntField(default=0)
    currency = fields.CharField(max_length=3, null=True)
    error: fields.Field[str | None] = fields.TextField(null=True)  # type: ignore[assignment]
    resolved_at = fields.DatetimeField(null=True)

    class Meta:
        table = "duplicate_subscription"
        indexes = (("user_id", "created_at"),)
