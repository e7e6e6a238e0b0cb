"""Newest-first keyset pagination with opaque cursors.

A cursor names the last row seen by (created_at, id), so pages stay free of
gaps and repeats while rows are inserted, and a page costs one indexed query
however deep it is (no OFFSET).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from billing.errors import BillingError, ErrorCode

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
M = TypeVar("M", bound=Model)


@dataclass(frozen=True, slots=True)
class Page(Generic[M]):
    items: list[M]
    cursors: list[str]
    has_next_page: bool
    total_count: int

    @property
    def end_cursor(self) -> str | None:
        return self.cursors[-1] if self.cursors else None


def encode_cursor(created_at: datetime, row_id: UUID) -> str:
    # json.dumps' text for these two strings (neither needs escaping), written
    # directly: a page encodes one per row.
    raw = f'["{created_at.isoformat()}", "{row_id}"]'.encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, UUID]:
    """The position a cursor names; anything else a client sends is malformed."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        position = json.loads(raw)
        if not (isinstance(position, list) and all(isinstance(p, str) for p in position)):
            raise ValueError
        created, row_id = position
        when = datetime.fromisoformat(created)
        if when.tzinfo is None:
            raise ValueError
        return when, UUID(row_id)
    except (ValueError, binascii.Error, RecursionError):
        raise BillingError(ErrorCode.INVALID_INPUT, "Malformed cursor.", "after") from None


def check_page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE_SIZE
    if first < 0:
        raise BillingError(ErrorCode.INVALID_INPUT, "first must not be negative.", "first")
    return min(first, MAX_PAGE_SIZE)


async def paginate(
    query: QuerySet[M], first: int | None, after: str | None, by: str = "created_at"
) -> Page[M]:
    """One page of ``query`` (rows with a UUID ``id`` and the timestamp ``by``)."""
    size = check_page_size(first)
    total = await query.count()
    if after is not None:
        created, row_id = decode_cursor(after)
        before: dict[str, Any] = {f"{by}__lt": created}
        tied: dict[str, Any] = {by: created, "id__lt": row_id}
        query = query.filter(Q(**before) | Q(**tied))
    rows = await query.order_by(f"-{by}", "-id").limit(size + 1)
    items = rows[:size]
    cursors = [encode_cursor(getattr(row, by), row.pk) for row in items]
    return Page(items, cursors, len(rows) > size, total)
