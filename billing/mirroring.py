"""Order safety for rows mirrored from Stripe objects.

Stripe delivers events late, twice and out of order. Each mirrored row keeps
the ``created`` time of the event it was last written from
(``StripeMirror.stripe_version``). An event is applied from its own payload
only when it is strictly newer; when the order can't be decided (same
second, or the row was last written from an API answer) the object is
fetched from Stripe, whose current state is by definition the newest.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from billing.stripe_gateway import StripeObject, StripeObjectMissing


@dataclass(frozen=True, slots=True)
class Newest:
    """The state to write and the version to stamp it with."""

    state: StripeObject
    version: int


async def newest_state(
    *,
    exists: bool,
    stored_version: int | None,
    event_created: int,
    payload: StripeObject,
    fetch: Callable[[], Awaitable[StripeObject]],
) -> Newest | None:
    """What an event about a mirrored object should write; None means skip it
    (older than what is stored, or the object is gone from Stripe)."""
    if not exists:
        return Newest(payload, event_created)
    if stored_version is not None and event_created < stored_version:
        return None
    if stored_version is not None and event_created > stored_version:
        return Newest(payload, event_created)
    try:
        return Newest(await fetch(), max(event_created, stored_version or 0))
    except StripeObjectMissing:
        return None
