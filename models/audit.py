"""The audit log: what administrators and services did, one row per action."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class AuditEntry(Model):
    """One administrative action, written in the transaction of the action
    itself (billing.audit), so a row exists if and only if the action took
    effect. ``details`` is the action's input with secrets removed."""

    id = fields.UUIDField(primary_key=True)
    actor = fields.CharField(max_length=255)
    action = fields.CharField(max_length=64)
    subject_user_id = fields.CharField(max_length=255, null=True)
    details: fields.Field[dict[str, object]] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "audit_entry"
        # The log's filters, each newest first.
        indexes = (
            ("actor", "created_at"),
            ("action", "created_at"),
            ("subject_user_id", "created_at"),
            ("created_at", "id"),
        )
