"""Subscriptions to catalog plans, mirrored from Stripe."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from models.base import StripeMirror
from models.catalog import Plan


class SubscriptionStatus(StrEnum):
    TRIALING = "trialing"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    UNPAID = "unpaid"
    CANCELED = "canceled"
    INCOMPLETE = "incomplete"
    INCOMPLETE_EXPIRED = "incomplete_expired"
    PAUSED = "paused"


# The statuses that grant the plan: a past_due subscriber keeps access while
# Stripe retries the payment (Smart Retries), as Stripe recommends.
LIVE_STATUSES = (
    SubscriptionStatus.TRIALING,
    SubscriptionStatus.ACTIVE,
    SubscriptionStatus.PAST_DUE,
)


class Subscription(StripeMirror):
    id = fields.UUIDField(primary_key=True)
    user_id = fields.CharField(max_length=255)
    stripe_subscription_id = fields.CharField(max_length=255, unique=True)
    stripe_customer_id = fields.CharField(max_length=255)
    plan: fields.ForeignKeyRelation[Plan] = fields.ForeignKeyField(
        "models.Plan", related_name="subscriptions", on_delete=fields.RESTRICT
    )
    stripe_price_id = fields.CharField(max_length=255)
    status = fields.CharEnumField(SubscriptionStatus, max_length=32)
    current_period_start = fields.DatetimeField()
    current_period_end = fields.DatetimeField()
    cancel_at_period_end = fields.BooleanField(default=False)
    canceled_at = fields.DatetimeField(null=True)
    ended_at = fields.DatetimeField(null=True)
    trial_end = fields.DatetimeField(null=True)
    # A downgrade waiting for the period end: the price the subscription's
    # schedule puts in place then (billing.plan_changes).
    stripe_schedule_id = fields.CharField(max_length=255, null=True)
    scheduled_price_id = fields.CharField(max_length=255, null=True)
    scheduled_at = fields.DatetimeField(null=True)
    # The last upgrade preview: its price and Stripe's proration date, which
    # changePlan reuses so that it charges exactly what was previewed.
    quoted_price_id = fields.CharField(max_length=255, null=True)
    quoted_proration_date = fields.DatetimeField(null=True)
    # The subscription's discount (a promotion code or coupon), from Stripe's
    # ``discounts``: exactly one of percent_off and amount_off is set.
    discount_code = fields.CharField(max_length=500, null=True)
    discount_percent_off = fields.FloatField(null=True)
    discount_amount_off = fields.BigIntField(null=True)
    discount_currency = fields.CharField(max_length=3, null=True)
    discount_ends_at = fields.DatetimeField(null=True)
    # Set on subscriptions created by createSubscription: the client's key and
    # what it asked for, so a retry returns this one (see billing.subscribing).
    idempotency_key = fields.CharField(max_length=255, null=True)
    request_digest = fields.CharField(max_length=64, null=True)

    class Meta:
        table = "subscription"
        unique_together = (("user_id", "idempotency_key"),)
        indexes = (("user_id", "created_at"), ("user_id", "status"))
