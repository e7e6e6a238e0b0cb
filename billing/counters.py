"""The guarded counter: check and change a number in ONE conditional UPDATE.

``UPDATE t SET n = n + d WHERE <row> AND n + d BETWEEN floor AND ceiling``
either changes the row or matches nothing, so concurrent callers in any
number of processes can never push the number past its bound on SQLite or
PostgreSQL (there is no read to race with). On PostgreSQL the UPDATE also
locks the row until commit, which callers use to serialise what goes with
the number (usage records, the credit ledger's lots). Usage counts against
a ceiling (the allowance), credits against a floor (zero).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from tortoise.expressions import F
from tortoise.models import Model
from tortoise.queryset import QuerySet

M = TypeVar("M", bound=Model)


async def guarded_add(
    row: QuerySet[M],
    column: str,
    delta: int,
    *,
    floor: int | None = None,
    ceiling: int | None = None,
    create: Callable[[], M] | None = None,
) -> bool:
    """Add ``delta`` to ``column`` of the one row ``row`` selects unless the
    result would leave [floor, ceiling]; False (nothing changed) if it would.
    ``create`` makes the row (at its default) when it does not exist yet; a
    racing twin creating it too is fine (the insert ignores the conflict)."""
    guarded = row
    if ceiling is not None:
        guarded = guarded.filter(**{f"{column}__lte": ceiling - delta})
    if floor is not None:
        guarded = guarded.filter(**{f"{column}__gte": floor - delta})
    if await guarded.update(**{column: F(column) + delta}):
        return True
    if create is None:
        return False
    await row.model.bulk_create([create()], ignore_conflicts=True)
    return bool(await guarded.update(**{column: F(column) + delta}))
