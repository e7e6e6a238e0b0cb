"""The guarded counter: check and change a number in ONE conditional UPDATE.

``UPDATE t SET n = n + d WHERE <row> AND n <= ceiling - d AND n >= floor - d
RETURNING n`` either changes the row (and answers the new number) or matches
nothing, so concurrent callers in any number of processes can never push the
number past its bound on SQLite or PostgreSQL (there is no read to race
with). On PostgreSQL the UPDATE also locks the row until commit, which
callers use to serialise what goes with the number (usage records, the
credit ledger's lots). Usage counts against a ceiling (the allowance),
credits against a floor (zero).

The statement is fixed SQL (models.sql): one text per (table, row key,
column, bounds), values only.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

from tortoise.models import Model

from models.sql import Statement, column, db_values, fetch

M = TypeVar("M", bound=Model)


@cache
def guarded_update(
    model: type[Model], keys: tuple[str, ...], field: str, floor: bool, ceiling: bool
) -> Statement:
    """The UPDATE's text; values: delta, the key values, then ceiling - delta
    and floor - delta (those given)."""
    n = column(model, field)
    where = [f"{column(model, key)} = ?" for key in keys]
    if ceiling:
        where.append(f"{n} <= ?")
    if floor:
        where.append(f"{n} >= ?")
    return Statement(
        f"UPDATE {model._meta.db_table} SET {n} = {n} + ? WHERE {' AND '.join(where)} "  # noqa: S608 (model names)
        f"RETURNING {n}"
    )


async def guarded_add(
    model: type[M],
    row: dict[str, Any],
    field: str,
    delta: int,
    *,
    floor: int | None = None,
    ceiling: int | None = None,
    create: Callable[[], M] | None = None,
) -> int | None:
    """Add ``delta`` to ``field`` of the one row of ``model`` whose fields
    equal ``row`` unless the result would leave [floor, ceiling]: the new
    value, or None (nothing changed) if it would. ``create`` makes the row (at
    its default) when it does not exist yet; a racing twin creating it too is
    fine (the insert ignores the conflict)."""
    statement = guarded_update(model, tuple(row), field, floor is not None, ceiling is not None)
    values = [delta, *db_values(model, row)]
    if ceiling is not None:
        values.append(ceiling - delta)
    if floor is not None:
        values.append(floor - delta)
    changed = await fetch(statement, values)
    if not changed and create is not None:
        await model.bulk_create([create()], ignore_conflicts=True)
        changed = await fetch(statement, values)
    return int(changed[0][column(model, field)]) if changed else None
