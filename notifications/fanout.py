"""The notifications subscriber: one delivery row per (event, matching endpoint).

It runs in the relay's transaction, so the rows commit together with the
event's ``processed_at``; the unique (event, endpoint) keeps it at one row
even if an event were handed over twice. The body is fixed here, once: every
retry and resend sends these bytes.
"""

from __future__ import annotations

import json

from billing.events import DomainEvent
from models.notifications import NotificationDelivery, NotificationEndpoint


def body_of(event: DomainEvent) -> str:
    return json.dumps(event.envelope(), separators=(",", ":"), sort_keys=True)


async def fan_out(event: DomainEvent) -> None:
    endpoints = await NotificationEndpoint.filter(enabled=True).values_list("id", "events")
    matching = [id_ for id_, types in endpoints if not types or event.type in types]
    if not matching:
        return
    body = body_of(event)
    await NotificationDelivery.bulk_create(
        [
            NotificationDelivery(
                endpoint_id=endpoint_id,
                event_id=event.id,
                event_type=event.type,
                payload=body,
                next_attempt_at=event.occurred_at,
                retry_from=event.occurred_at,
            )
            for endpoint_id in matching
        ],
        ignore_conflicts=True,
    )
