"""The log of every Stripe event billgraph has received or fetched."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class EventStatus(StrEnum):
    RECEIVED = "received"
    PROCESSED = "processed"
    IGNORED = "ignored"
    FAILED = "failed"


class WebhookEvent(Model):
    """One Stripe event. The unique ``stripe_event_id`` is what makes delivery
    exactly-once: a duplicate loses the insert and reads the stored outcome."""

    id = fields.UUIDField(primary_key=True)
    stripe_event_id = fields.CharField(max_length=255, unique=True)
    type = fields.CharField(max_length=100, db_index=True)
    api_version = fields.CharField(max_length=64, null=True)
    created = fields.BigIntField(db_index=True)
    livemode = fields.BooleanField(default=False)
    payload: fields.Field[dict[str, object]] = fields.JSONField()
    status = fields.CharEnumField(EventStatus, max_length=16, default=EventStatus.RECEIVED)
    attempts = fields.IntField(default=0)
    last_error = fields.TextField(null=True)
    received_at = fields.DatetimeField(auto_now_add=True)
    processed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "webhook_event"
        # Recovery scans by status and Stripe's time; the admin log lists
        # newest received first, optionally by status.
        indexes = (("status", "created"), ("received_at", "id"), ("status", "received_at"))
