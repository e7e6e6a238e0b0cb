"""Newest-first keyset pagination with opaque cursors.

A cursor names the last row seen by (created_at, id), so pages stay free of
gaps and repeats while rows are inserted, and a page costs one indexed query
however deep it is (no OFFSET).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from functools import cache
from typing import Any, Generic, TypeVar
from uuid import UUID

from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from billing.errors import BillingError, ErrorCode
from models.sql import Statement, column, fetch, python_rows

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
M = TypeVar("M", bound=Model)
T = TypeVar("T")
# A condition of a fixed-SQL listing: field name, SQL operator, Python value
# (the field converts it as it stores it).
Condition = tuple[str, str, Any]


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
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


@cache
def _listing(
    model: type[Model], selected: tuple[str, ...], where: tuple[tuple[str, str], ...], by: str
) -> tuple[Statement, Statement, Statement]:
    """The count, first-page and next-page statements of one shape of listing
    (which fields are compared with which operators): a text per shape."""
    table = model._meta.db_table
    filters = [f'"{column(model, name)}" {op} ?' for name, op in where]
    key = column(model, by)
    chosen = ", ".join(f'"{column(model, name)}" "{name}"' for name in selected)

    def select(what: str, conditions: list[str], tail: str = "") -> Statement:
        found = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        return Statement(f'SELECT {what} FROM "{table}"{found}{tail}')  # noqa: S608 (names)

    order = f' ORDER BY "{key}" DESC, "id" DESC LIMIT ?'
    after = f'("{key}" < ? OR ("{key}" = ? AND "id" < ?))'
    return (
        select('COUNT(*) "count"', filters),
        select(chosen, filters, order),
        select(chosen, [*filters, after], order),
    )


async def paginate_rows(
    model: type[Model],
    columns: type[Any],
    build: Callable[..., T],
    conditions: list[Condition],
    first: int | None,
    after: str | None,
    by: str = "created_at",
) -> Page[T]:
    """``paginate`` in fixed SQL for hot lists: the rows of ``model`` meeting
    every condition, the fields ``columns`` (a dataclass) names, converted by
    the model's fields and given to ``build`` as keyword arguments: no model
    instance (it cost more to build than the SQL takes to run), and no copy
    between the values and what the caller shows."""
    size = check_page_size(first)
    selected = tuple(f.name for f in fields(columns))
    shape = tuple((name, op) for name, op, _ in conditions)
    count, first_page, next_page = _listing(model, selected, shape, by)
    stored = model._meta.fields_map
    values = [stored[name].to_db_value(value, model) for name, _, value in conditions]
    position: list[Any] = []
    if after is not None:
        created, row_id = decode_cursor(after)
        when = stored[by].to_db_value(created, model)
        position = [when, when, stored["id"].to_db_value(row_id, model)]
    total = (await fetch(count, values))[0]["count"]
    rows = await fetch(next_page if position else first_page, [*values, *position, size + 1])
    read = python_rows(model, rows[:size])
    cursors = [encode_cursor(row[by], row["id"]) for row in read]
    return Page([build(**row) for row in read], cursors, len(rows) > size, int(total))
