"""Usage allowances: one counter per user, feature and billing period, and the
record of every counted call that the counters can be rebuilt from."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class UsageCounter(Model):
    """What a user used of a feature in one billing period.

    Keyed by the period's start, so a new period is a new row (the allowance
    starts at 0) and a replayed renewal lands on the same row: nothing is
    ever reset in place. ``used`` only changes through the conditional
    ``UPDATE ... SET used = used + q WHERE used + q <= limit``.
    """

    id = fields.UUIDField(primary_key=True)
    user_id = fields.CharField(max_length=255)
    feature = fields.CharField(max_length=64)
    period_start = fields.DatetimeField()
    used = fields.BigIntField(default=0)

    class Meta:
        table = "usage_counter"
        unique_together = (("user_id", "feature", "period_start"),)


class UsageRecord(Model):
    """One counted ``trackUsage`` call (refused calls leave none).

    Inserted in the same transaction as the counter's update; the unique
    (user, idempotency key) makes a repeated key count once, even when the
    repeats race. Records are kept, so keys are honoured indefinitely.
    """

    id = fields.UUIDField(primary_key=True)
    user_id = fields.CharField(max_length=255)
    feature = fields.CharField(max_length=64)
    quantity = fields.IntField()
    period_start = fields.DatetimeField()
    idempotency_key = fields.CharField(max_length=255, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "usage_record"
        unique_together = (("user_id", "idempotency_key"),)
        indexes = (("user_id", "feature", "period_start"),)
