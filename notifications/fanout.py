"""The notifications subscriber: one delivery row per (event, matching endpoint),
for a relay batch in two statements.

It runs in the relay's transaction, so the rows commit together with the
event's ``processed_at``; the unique (event, endpoint) keeps it at one row
even if an event were handed over twice. The body is fixed here, once: every
retry and resend sends these bytes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from billing.events import DomainEvent
from models.notifications import NotificationDelivery, NotificationEndpoint


def body_of(event: DomainEvent) -> str:
    return json.dumps(event.envelope(), separators=(",", ":"), sort_keys=True)


async def fan_out(events: Sequence[DomainEvent]) -> None:
    endpoints = await NotificationEndpoint.filter(enabled=True).values_list("id", "events")
    rows = [
        NotificationDelivery(
            endpoint_id=endpoint_id,
            event_id=event.id,
            event_type=event.type,
            payload=body,
            next_attempt_at=event.occurred_at,
            retry_from=event.occurred_at,
        )
        for event in events
        for body in [body_of(event)]
        for endpoint_id, types in endpoints
        if not types or event.type in types
    ]
    if rows:
        await NotificationDelivery.bulk_create(rows, ignore_conflicts=True)
