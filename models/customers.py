"""The Stripe customer of each application user."""

from __future__ import annotations

from tortoise import fields

from models.base import TimestampedModel


class Customer(TimestampedModel):
    """Exactly one per user: the unique ``user_id`` settles a race between a
    user's first two requests (both reach Stripe with the same idempotency
    key, so Stripe creates one customer too)."""

    id = fields.UUIDField(primary_key=True)
    user_id = fields.CharField(max_length=255, unique=True)
    stripe_customer_id = fields.CharField(max_length=255, unique=True)
    email = fields.CharField(max_length=320, null=True)

    class Meta:
        table = "customer"
