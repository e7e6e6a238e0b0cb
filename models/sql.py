"""Fixed SQL for hot statements, where Tortoise's per-call query building costs
more than the statement. ``insert_new``: ``INSERT ... ON CONFLICT DO NOTHING``
in one statement, for rows whose unique key a concurrent writer may take first:
no failed INSERT to catch (on PostgreSQL it would abort the transaction), and
the caller learns whether its row went in. Its text is the Tortoise executor's
own INSERT, built once per model, dialect and conflict column."""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

_STATEMENTS: dict[tuple[type[Model], str, str, str], tuple[str, list[str]]] = {}


def marks(connection: BaseDBAsyncClient, count: int) -> list[str]:
    """The dialect's placeholders for ``count`` parameters."""
    postgres = connection.capabilities.dialect == "postgres"
    return [f"${n}" if postgres else "?" for n in range(1, count + 1)]


def insert_statement(model: type[Model], conflict: str, returning: str) -> tuple[str, list[str]]:
    """The SQL text and the columns its parameters follow."""
    connection = model._meta.db
    key = (model, connection.capabilities.dialect, conflict, returning)
    if key not in _STATEMENTS:
        executor = connection.executor_class(model=model, db=connection)
        text = (
            f'{executor.insert_query} ON CONFLICT ("{conflict}") DO NOTHING RETURNING {returning}'
        )
        _STATEMENTS[key] = (text, list(executor.regular_columns))
    return _STATEMENTS[key]


def db_values(row: Model, columns: list[str]) -> list[Any]:
    """The row's parameters, converted as Tortoise converts them (auto_now fields set)."""
    fields_map = row._meta.fields_map
    return [fields_map[column].to_db_value(getattr(row, column), row) for column in columns]


async def insert_new(row: Model, conflict: str) -> bool:
    """Insert ``row`` unless its ``conflict`` column's value is stored already."""
    text, columns = insert_statement(type(row), conflict, f'"{row._meta.db_pk_column}"')
    return bool(await row._meta.db.execute_query_dict(text, db_values(row, columns)))
