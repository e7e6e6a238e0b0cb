"""The audit log of administrative actions.

``record`` is the one way in: called inside the transaction that commits the
action (or, for an action that calls Stripe, the transaction that records
Stripe's answer), so an action that failed or rolled back leaves no row, and
one that took effect always has one. Where that transaction belongs to a
shared helper (a mirror write, the webhook pipeline), the caller hands it an
``AuditNote`` to record there.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from billing.errors import BillingError, ErrorCode
from billing.pagination import Page, paginate
from billing.tokens import Caller
from models.audit import AuditEntry

# Input fields whose names contain one of these never reach the log.
SECRET_MARKERS = ("secret", "token", "key", "password")


def scrubbed(value: Any) -> Any:
    """``value`` as JSON data without any field named like a secret, at any depth."""
    if isinstance(value, Mapping):
        return {
            str(name): scrubbed(item)
            for name, item in value.items()
            if not any(marker in str(name).lower() for marker in SECRET_MARKERS)
        }
    if isinstance(value, list | tuple):
        return [scrubbed(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)  # datetimes, UUIDs, enums


async def record(
    caller: Caller, action: str, subject_user_id: str | None, details: Mapping[str, Any]
) -> AuditEntry:
    """Log ``action`` by ``caller``; call it inside the action's own transaction."""
    return await AuditEntry.create(
        actor=caller.user_id,
        action=action,
        subject_user_id=subject_user_id,
        details=json.loads(json.dumps(scrubbed(details))),
    )


@dataclass(frozen=True, slots=True)
class AuditNote:
    """An action to record in a transaction that a shared helper opens."""

    caller: Caller
    action: str
    subject_user_id: str | None
    details: Mapping[str, Any]

    async def record(self) -> None:
        await record(self.caller, self.action, self.subject_user_id, self.details)


def for_another_user(
    caller: Caller, action: str, subject_user_id: str, details: Mapping[str, Any]
) -> AuditNote | None:
    """A note when an admin or service acts on another user's billing; users
    acting on their own are not administrative actions."""
    if not caller.is_privileged or subject_user_id == caller.user_id:
        return None
    return AuditNote(caller, action, subject_user_id, details)


async def list_audit(
    caller: Caller,
    actor: str | None,
    action: str | None,
    subject_user_id: str | None,
    first: int | None,
    after: str | None,
) -> Page[AuditEntry]:
    """The log, newest first; one query for the count and one for the page."""
    if not caller.is_admin:
        raise BillingError(ErrorCode.FORBIDDEN, "The audit log is for administrators.")
    query = AuditEntry.all()
    if actor is not None:
        query = query.filter(actor=actor)
    if action is not None:
        query = query.filter(action=action)
    if subject_user_id is not None:
        query = query.filter(subject_user_id=subject_user_id)
    return await paginate(query, first, after)
