"""Outgoing notifications: the application's endpoints and one delivery row per
(event, endpoint), the log that retries, resends and the admin views read."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class DeliveryStatus(StrEnum):
    PENDING = "PENDING"
    DELIVERED = "DELIVERED"
    FAILED = "FAILED"


class NotificationEndpoint(Model):
    id = fields.UUIDField(primary_key=True)
    url = fields.CharField(max_length=2048)
    # Event types it receives; empty: all.
    events: list[str] = fields.JSONField(default=list)
    # Kept in clear because every delivery is signed with it (HMAC needs the
    # key itself); it is shown once, at creation, and never logged.
    secret = fields.CharField(max_length=128)
    enabled = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "notification_endpoint"


class NotificationDelivery(Model):
    """An event for an endpoint. ``payload`` holds the exact body bytes, fixed at
    fan-out, so every retry and resend sends the same bytes. A sender claims
    the row by setting ``locked_until`` (a lease: a crashed sender's claim
    expires) and sends after committing the claim."""

    id = fields.UUIDField(primary_key=True)
    endpoint: fields.ForeignKeyRelation[NotificationEndpoint] = fields.ForeignKeyField(
        "models.NotificationEndpoint", related_name="deliveries", on_delete=fields.CASCADE
    )
    event_id = fields.UUIDField()
    event_type = fields.CharField(max_length=64)
    payload = fields.TextField()
    status = fields.CharEnumField(DeliveryStatus, default=DeliveryStatus.PENDING, max_length=16)
    attempts = fields.IntField(default=0)
    last_response_status = fields.IntField(null=True)
    next_attempt_at = fields.DatetimeField(null=True)
    locked_until = fields.DatetimeField(null=True)
    # Retries go on for RETRY_WINDOW from here: the fan-out, or the last resend.
    retry_from = fields.DatetimeField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "notification_delivery"
        unique_together = (("event_id", "endpoint"),)
        indexes = (("status", "next_attempt_at"), ("created_at", "id"))
