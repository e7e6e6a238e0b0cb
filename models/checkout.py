"""Checkout sessions billgraph created, mirrored from Stripe."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from models.base import StripeMirror
from models.catalog import Plan


class CheckoutStatus(StrEnum):
    OPEN = "open"
    COMPLETE = "complete"
    EXPIRED = "expired"


class CheckoutSession(StripeMirror):
    """A subscription checkout session.

    ``open_slot`` holds the user id on the one session the user is currently
    handed (null on every other row): its unique index is what makes "at
    most one open subscription checkout per user" hold when two tabs race,
    without a lock held across a Stripe call. A row that lost its slot while
    still open in Stripe is expired there by the next checkout of the user.
    """

    id = fields.UUIDField(primary_key=True)
    user_id = fields.CharField(max_length=255)
    stripe_session_id = fields.CharField(max_length=255, unique=True)
    plan: fields.ForeignKeyRelation[Plan] = fields.ForeignKeyField(
        "models.Plan", related_name="checkout_sessions", on_delete=fields.RESTRICT
    )
    stripe_price_id = fields.CharField(max_length=255)
    interval = fields.CharField(max_length=8)  # month | year
    status = fields.CharEnumField(CheckoutStatus, max_length=16, default=CheckoutStatus.OPEN)
    url = fields.CharField(max_length=2048, null=True)
    expires_at = fields.DatetimeField()
    stripe_subscription_id = fields.CharField(max_length=255, null=True)
    # What was asked (price and return URLs) and the client's key, if any: a
    # repeat of the same request gets this session back.
    request_digest = fields.CharField(max_length=64)
    idempotency_key = fields.CharField(max_length=255, null=True)
    open_slot = fields.CharField(max_length=255, null=True, unique=True)

    class Meta:
        table = "checkout_session"
        unique_together = (("user_id", "idempotency_key"),)
        indexes = (("user_id", "status"),)
