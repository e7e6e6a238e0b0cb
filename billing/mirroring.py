"""Fetch first, then lock: how every row mirrored from Stripe is written.

Stripe may take seconds to answer, so it is never called while a
transaction is open (on SQLite one open transaction stops every writer).
A mirror runs in two steps:

1. ``newest_state`` (no transaction): read the row as it is, decide with the
   order rule below, and fetch the object from Stripe when needed;
2. in the transaction: lock the row, ``ensure_unchanged`` (the row must be
   the one step 1 saw, else ``VersionMoved``: the caller fetches and applies
   once more), write.

Order rule. Stripe delivers events late, twice and out of order. Each row
keeps the ``created`` time of the event it was last written from
(``StripeMirror.stripe_version``). An event older than that is skipped.
Otherwise the state to write is Stripe's current one, fetched by id (the
newest by definition, and not a payload an attacker holding the webhook
secret could write); only mirrors that grant nothing (catalog) may take a
strictly newer event's payload as it is.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.models import Model

from billing.stripe_gateway import StripeObject, StripeObjectMissing
from models.base import StripeMirror, TimestampedModel


class VersionMoved(Exception):
    """The row changed between the fetch and the lock; fetch again."""


class EventContradicted(Exception):
    """Stripe's state of an object contradicts what the event says of it."""


@dataclass(frozen=True, slots=True)
class Seen:
    """The row as the fetch step saw it: absent (None) or its last write."""

    written_at: datetime | None

    @classmethod
    def of(cls, row: TimestampedModel | None) -> Seen:
        return cls(row.updated_at if row is not None else None)


@dataclass(frozen=True, slots=True)
class Newest:
    """The state to write, the version to stamp it with, and the row it was
    decided against."""

    state: StripeObject
    version: int
    seen: Seen


def changes(row: Model | None, values: Mapping[str, Any]) -> bool:
    """Whether writing ``values`` would change ``row`` (a new row always does).
    A new ``stripe_version`` alone is no change for a mirror that always
    fetches: it only spares fetches of older events."""
    return row is None or any(
        getattr(row, key) != value for key, value in values.items() if key != "stripe_version"
    )


def ensure_unchanged(locked: TimestampedModel | None, seen: Seen) -> None:
    """Under the row lock: the row is still the one the decision was made on."""
    if Seen.of(locked) != seen:
        raise VersionMoved(f"{type(locked).__name__} changed while Stripe was asked")


def must_write(locked: TimestampedModel | None, seen: Seen, values: Mapping[str, Any]) -> bool:
    """Under the row lock: False when ``values`` would change nothing (always
    safe to skip, even on a moved row: handlers that fetched the same state,
    a burst of events about one object, don't make each other fetch again);
    True when the row is as it was seen; else VersionMoved."""
    if locked is not None and not changes(locked, values):
        return False
    ensure_unchanged(locked, seen)
    return True


def _older(row: StripeMirror | None, event_created: int) -> bool:
    stored = row.stripe_version if row is not None else None
    return stored is not None and event_created < stored


def stamped(
    row: StripeMirror | None,
    state: StripeObject,
    *,
    event_created: int,
    guard: TimestampedModel | None = None,
) -> Newest | None:
    """Stripe's ``state``, already fetched, decided against ``row``.

    ``guard`` is the row to lock and check when it is not ``row`` itself (a
    refund or dispute is written under its payment's lock)."""
    if _older(row, event_created):
        return None
    stored = row.stripe_version if row is not None else None
    seen = Seen.of(guard if guard is not None else row)
    return Newest(state, max(event_created, stored or 0), seen)


async def newest_state(
    row: StripeMirror | None,
    *,
    event_created: int,
    fetch: Callable[[], Awaitable[StripeObject]],
    payload: StripeObject | None = None,
    skip_missing: bool = False,
) -> Newest | None:
    """What an event about a mirrored object should write; None means skip it.

    ``payload`` is given only by mirrors that may trust it (see above).
    ``skip_missing``: an object gone from Stripe is skipped rather than an
    error."""
    if _older(row, event_created):
        return None
    stored = row.stripe_version if row is not None else None
    if payload is not None and (row is None or (stored is not None and event_created > stored)):
        return Newest(payload, event_created, Seen.of(row))
    try:
        state = await fetch()
    except StripeObjectMissing:
        if skip_missing:
            return None
        raise
    return stamped(row, state, event_created=event_created)
