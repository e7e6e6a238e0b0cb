"""The transactional outbox: every domain event, written in the transaction of
the change that caused it, so an event row exists if and only if the change
committed. Consumers read it after commit (billing.events.Relay); a consumer
that fails on an event is retried for that event alone (``OutboxRetry``)."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class OutboxEvent(Model):
    """One domain event. ``processed_at`` is set, once, by the relay that handed
    it to every durable subscriber (notifications today; credits and audit
    later) in the same transaction as their writes."""

    id = fields.UUIDField(primary_key=True)
    type = fields.CharField(max_length=64)
    user_id = fields.CharField(max_length=255, null=True)
    occurred_at = fields.DatetimeField()
    # The public API's shape: camelCase keys, money as {amount, currency}.
    payload: dict[str, object] = fields.JSONField()
    processed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outbox_event"
        # The relay's scan: WHERE processed_at IS NULL ORDER BY occurred_at.
        indexes = (("processed_at", "occurred_at"),)


class RetryStatus(StrEnum):
    PENDING = "pending"  # due again at next_attempt_at
    DONE = "done"  # a later attempt succeeded
    FAILED = "failed"  # gave up after the last attempt


class OutboxRetry(Model):
    """One subscriber that failed on one event: the relay moved on (the event is
    processed for everyone else) and retries this pair alone, with backoff.
    The attempts and the last error stay recorded; pruning the event removes it."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[OutboxEvent] = fields.ForeignKeyField(
        "models.OutboxEvent", related_name="retries", on_delete=fields.CASCADE
    )
    subscriber = fields.CharField(max_length=200)
    status = fields.CharEnumField(RetryStatus, max_length=16, default=RetryStatus.PENDING)
    attempts = fields.IntField(default=1)
    next_attempt_at = fields.DatetimeField()
    last_error = fields.TextField()
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "outbox_retry"
        unique_together = (("event", "subscriber"),)
        # The retry scan: WHERE status = 'pending' AND next_attempt_at <= now.
        indexes = (("status", "next_attempt_at"),)
