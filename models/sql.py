"""Fixed SQL for the hot paths: the text is written once, only values change.

Tortoise builds every statement anew per call (pypika copies, ``get_sql``,
filter processing), which cost more than the statement itself on
``trackUsage``, ``spendCredits`` and webhook ingestion. A ``Statement`` is
written with ``?`` placeholders and rendered once per dialect (``$n`` on
PostgreSQL, where asyncpg then reuses its prepared statement). It runs on the
connection Tortoise gives the caller, so it joins the caller's transaction and
is logged (and counted by tests) like any other statement; on PostgreSQL it
goes straight to that asyncpg connection (``_run``: Tortoise's client path per
statement cost about as much Python as the rest of the statement). Values are passed
through the model field's ``to_db_value``, so a row reads back as if Tortoise
had written it.

``find_row`` and ``update_row``: a model's row by one column (locked, if
asked) and the UPDATE of some of its fields, for the hot paths that read a
row, decide, and write it back (the webhook's payment mirror); the row is a
real model instance, so the code around them is the ORM's.

``insert_new``: ``INSERT ... ON CONFLICT DO NOTHING`` in one statement, for
rows whose unique key a concurrent writer may take first: no failed INSERT to
catch (on PostgreSQL it would abort the transaction), and the caller learns
whether its row went in. Its text is the Tortoise executor's own INSERT, built
once per model, dialect and conflict column.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

import asyncpg
from tortoise import connections
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError, OperationalError, TransactionManagementError
from tortoise.models import Model

M = TypeVar("M", bound=Model)


class Statement:
    """One SQL text with ``?`` placeholders, rendered per dialect on first use."""

    __slots__ = ("_postgres", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._postgres: str | None = None

    def render(self, dialect: str) -> str:
        if dialect != "postgres":
            return self.text
        if self._postgres is None:
            parts = self.text.split("?")
            self._postgres = parts[0] + "".join(
                f"${n}{part}" for n, part in enumerate(parts[1:], 1)
            )
        return self._postgres


def marks(connection: BaseDBAsyncClient, count: int) -> list[str]:
    """The dialect's placeholders for ``count`` parameters (for texts built
    around the executor's own, which already carry the dialect's)."""
    postgres = connection.capabilities.dialect == "postgres"
    return [f"${n}" if postgres else "?" for n in range(1, count + 1)]


def db_values(model: Model | type[Model], values: dict[str, Any]) -> list[Any]:
    """``values`` (field name: value) as the database stores them; given a row,
    as Tortoise converts its own (``auto_now`` fields set on it)."""
    fields = model._meta.fields_map
    return [fields[name].to_db_value(value, model) for name, value in values.items()]


def column(model: type[Model], name: str) -> str:
    return model._meta.fields_db_projection[name]


async def _run(statement: Statement, values: list[Any], rows: bool) -> list[dict[str, Any]]:
    """The statement on the caller's connection. On PostgreSQL straight on the
    driver: the transaction's asyncpg connection, or outside one a pool
    connection for the statement, as Tortoise takes it (Tortoise's client adds a
    lock or pool wrapper, an exception wrapper and two coroutines per statement).
    SQLite, or before the pool exists: Tortoise's own path."""
    client = connections.get("default")
    kind = type(client)
    if kind is TransactionWrapper:
        return await _on_driver(client, client._connection, statement, values, rows)
    pool = client._pool if kind is AsyncpgDBClient else None
    if pool is not None:
        async with pool.acquire() as connection:
            return await _on_driver(client, connection, statement, values, rows)
    sql = statement.render(client.capabilities.dialect)
    if rows:
        found: list[dict[str, Any]] = await client.execute_query_dict(sql, values)
        return found
    await client.execute_query(sql, values)
    return []


async def _on_driver(
    client: BaseDBAsyncClient, connection: Any, statement: Statement, values: list[Any], rows: bool
) -> list[dict[str, Any]]:
    """As Tortoise runs it: logged first (tests count statements in that log),
    the driver's errors translated as Tortoise translates them (callers catch
    IntegrityError)."""
    sql = statement.render("postgres")
    client.log.debug("%s: %s", sql, values)
    try:
        if rows:
            return [dict(record) for record in await connection.fetch(sql, *values)]
        await connection.execute(sql, *values)
        return []
    except (asyncpg.SyntaxOrAccessError, asyncpg.exceptions.DataError) as exc:
        raise OperationalError(exc) from exc
    except asyncpg.IntegrityConstraintViolationError as exc:
        raise IntegrityError(exc) from exc
    except asyncpg.InvalidTransactionStateError as exc:
        raise TransactionManagementError(exc) from exc


async def fetch(statement: Statement, values: list[Any]) -> list[dict[str, Any]]:
    """The rows (a SELECT, or a write with RETURNING) on the caller's connection."""
    return await _run(statement, values, rows=True)


async def execute(statement: Statement, values: list[Any]) -> None:
    """A statement whose rows are not needed, on the caller's connection."""
    await _run(statement, values, rows=False)


def python_row(model: type[Model], row: dict[str, Any]) -> dict[str, Any]:
    """A fetched row's columns (named as the model's fields) as Tortoise reads them."""
    return python_rows(model, [row])[0]


def python_rows(model: type[Model], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fetched rows' columns (named as the model's fields) as Tortoise reads
    them, by its own split of the fields, taken once for all rows: what the
    driver already gives as the field's type kept as it is, plain types through
    their class, the rest through the field's ``to_python_value``."""
    meta = model._meta
    read: dict[str, Callable[[Any], Any] | None] = {n: None for _, n, _ in meta.db_native_fields}
    read.update((n, _plain(f.field_type)) for _, n, f in meta.db_default_fields)
    read.update((n, f.to_python_value) for _, n, f in meta.db_complex_fields)
    return [
        {
            name: value if (convert := read[name]) is None else convert(value)
            for name, value in row.items()
        }
        for row in rows
    ]


def _plain(field_type: type) -> Callable[[Any], Any]:
    return lambda value: value if value is None else field_type(value)


_INSERTS: dict[tuple[type[Model], str, str, str], tuple[str, list[str]]] = {}


def insert_statement(model: type[Model], conflict: str, returning: str) -> tuple[str, list[str]]:
    """The SQL text and the columns its parameters follow."""
    connection = model._meta.db
    key = (model, connection.capabilities.dialect, conflict, returning)
    if key not in _INSERTS:
        executor = connection.executor_class(model=model, db=connection)
        text = (
            f'{executor.insert_query} ON CONFLICT ("{conflict}") DO NOTHING RETURNING {returning}'
        )
        _INSERTS[key] = (text, list(executor.regular_columns))
    return _INSERTS[key]


def row_values(row: Model, columns: list[str]) -> list[Any]:
    """The row's parameters for ``columns``, converted as Tortoise converts them."""
    return db_values(row, {name: getattr(row, name) for name in columns})


async def insert_new(row: Model, conflict: str) -> bool:
    """Insert ``row`` unless its ``conflict`` column's value is stored already."""
    text, columns = insert_statement(type(row), conflict, f'"{row._meta.db_pk_column}"')
    return bool(await row._meta.db.execute_query_dict(text, row_values(row, columns)))


@cache
def select_by(model: type[Model], name: str, lock: bool = False) -> Statement:
    """SELECT every column of the row whose field ``name`` is given (``lock``:
    FOR UPDATE); identifiers only, built once per model and field."""
    meta = model._meta
    columns = ", ".join(f'"{c}"' for c in meta.db_fields)
    text = f'SELECT {columns} FROM "{meta.db_table}" WHERE "{column(model, name)}"=?'  # noqa: S608
    return Statement(text + (" FOR UPDATE" if lock else ""))


@cache
def update_by_pk(model: type[Model], names: tuple[str, ...]) -> Statement:
    """UPDATE ``names`` of the row with the given primary key."""
    meta = model._meta
    sets = ", ".join(f'"{column(model, name)}"=?' for name in names)
    return Statement(f'UPDATE "{meta.db_table}" SET {sets} WHERE "{meta.db_pk_column}"=?')  # noqa: S608


async def find_row(model: type[M], name: str, value: Any, *, lock: bool = False) -> M | None:
    """The row whose field ``name`` is ``value`` (a unique one), or None;
    ``lock``: FOR UPDATE on PostgreSQL (SQLite's one writer needs none)."""
    lock = lock and connections.get("default").capabilities.dialect == "postgres"
    rows = await fetch(select_by(model, name, lock), db_values(model, {name: value}))
    return model._init_from_db(**rows[0]) if rows else None


async def update_row(row: Model, names: list[str]) -> None:
    """Write ``names`` of ``row`` (its auto_now fields are set, as ``save`` sets them)."""
    model = type(row)
    values = db_values(row, {name: getattr(row, name) for name in names})
    values += db_values(model, {model._meta.pk_attr: row.pk})
    await execute(update_by_pk(model, tuple(names)), values)
