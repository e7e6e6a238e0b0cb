"""The event log's hot statements as fixed SQL on the connection.

Every delivery runs them, so each is one statement whose text is built once
per dialect (Tortoise would rebuild a query per call, and a duplicate would
cost a failed INSERT, its exception, then a SELECT):

- ``insert``: the row, or the stored status when the Stripe id is already
  there (a duplicate) - ``ON CONFLICT DO NOTHING``, no error. On PostgreSQL the
  stored status comes back in the same statement.
- ``claim``: at the start of the applying transaction, mark the event
  processed unless it already is; the UPDATE takes the row lock, so a
  concurrent delivery of the same event waits and then finds it done. The
  handler's failure rolls the mark back with its writes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from models.sql import insert_statement, marks, row_values
from models.webhooks import EventStatus, WebhookEvent

_BY_DIALECT: dict[str, dict[str, Any]] = {}


def statements(connection: BaseDBAsyncClient) -> dict[str, Any]:
    """The statements of the connection's dialect (built once; bench/webhooks.py
    runs the same text in its raw baseline)."""
    dialect = connection.capabilities.dialect
    if dialect not in _BY_DIALECT:
        _BY_DIALECT[dialect] = _build(connection, postgres=dialect == "postgres")
    return _BY_DIALECT[dialect]


def _build(connection: BaseDBAsyncClient, *, postgres: bool) -> dict[str, Any]:
    # Only identifiers and placeholders are spliced in, never a value: S608 is moot.
    returning = '"id"' if postgres else '"id", NULL "status"'
    insert, columns = insert_statement(WebhookEvent, "stripe_event_id", returning)
    key = marks(connection, len(columns))[columns.index("stripe_event_id")]
    stored = f'FROM "webhook_event" WHERE "stripe_event_id"={key}'
    # Alone, its one parameter is the first: a "$3" here would leave $1 untyped.
    [only] = marks(connection, 1)
    status = f'SELECT "status" FROM "webhook_event" WHERE "stripe_event_id"={only}'  # noqa: S608
    if postgres:  # one statement: the new id, or the stored status
        insert = (
            f'WITH "new" AS ({insert}) SELECT "id", NULL "status" FROM "new" '  # noqa: S608
            f'UNION ALL SELECT "id", "status" {stored} AND NOT EXISTS (SELECT 1 FROM "new")'
        )
    first, at, event = marks(connection, 3)
    claim = (
        f'UPDATE "webhook_event" SET "status"={first},"attempts"="attempts"+1,'  # noqa: S608
        f'"last_error"=NULL,"processed_at"={at} WHERE "id"={event} '
        "AND \"status\" NOT IN ('processed','ignored')"
    )
    return {"columns": columns, "insert": insert, "status": status, "claim": claim}


def _connection() -> BaseDBAsyncClient:
    """The current one: the transaction's inside ``in_transaction``."""
    return WebhookEvent._meta.db


async def insert(fields: dict[str, Any]) -> tuple[WebhookEvent, EventStatus | None]:
    """Store the event: (row, None) when new, (row, stored status) when its
    Stripe id was already stored (the row is then not the stored one)."""
    connection = _connection()
    sql = statements(connection)
    row = WebhookEvent(**fields)
    _count, found = await connection.execute_query(sql["insert"], row_values(row, sql["columns"]))
    if not found:  # SQLite's duplicate; on PostgreSQL one whose first delivery
        # committed after this statement's snapshot was taken
        _count, found = await connection.execute_query(sql["status"], [fields["stripe_event_id"]])
    status = found[0]["status"]
    return row, EventStatus(status) if status is not None else None


async def claim(event_id: Any) -> bool:
    """In the applying transaction: mark the event processed and lock it;
    False when it already was processed or ignored (another delivery won)."""
    connection = _connection()
    sql = statements(connection)
    now = WebhookEvent._meta.fields_map["processed_at"].to_db_value(datetime.now(UTC), WebhookEvent)
    count, _rows = await connection.execute_query(
        sql["claim"], [EventStatus.PROCESSED.value, now, str(event_id)]
    )
    return count == 1
