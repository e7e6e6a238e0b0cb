"""The transactional outbox: every domain event, written in the transaction of
the change that caused it, so an event row exists if and only if the change
committed. Consumers read it after commit (billing.events.Relay)."""

from __future__ import annotations

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
