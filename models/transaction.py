"""``atomic()``: Tortoise's ``in_transaction()`` with less around it, for the hot paths.

On PostgreSQL, outside any transaction, it takes a pool connection, starts
asyncpg's transaction on it and binds Tortoise's own ``TransactionWrapper`` for
it in Tortoise's context variable, as ``in_transaction()`` does: every ORM call
and every ``models.sql`` statement inside joins it (one connection), and a
nested ``in_transaction()`` is a savepoint of it (asyncpg nests its
transactions). What it leaves out is only Tortoise's path to get there (the
connection lookup, the pool's lazy creation, the wrapped ``begin``), which
cost more per ``trackUsage`` than the BEGIN itself. Anywhere else (SQLite,
already in a transaction, the pool not made yet) it is ``in_transaction()``.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from types import TracebackType

from tortoise import connections
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import TransactionalDBClient
from tortoise.connection import get_connections


class _Pooled:
    """One transaction on a pool connection of ``parent`` (PostgreSQL)."""

    __slots__ = ("_client", "_parent", "_token")

    def __init__(self, parent: AsyncpgDBClient) -> None:
        self._parent = parent

    async def __aenter__(self) -> TransactionalDBClient:
        parent = self._parent
        pool = parent._pool
        assert pool is not None
        client = self._client = TransactionWrapper(parent)
        client._connection = connection = await pool.acquire()
        try:
            client.transaction = connection.transaction()
            await client.transaction.start()
        except BaseException:
            await pool.release(connection)
            raise
        self._token = get_connections().set(parent.connection_name, client)
        return client

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        client = self._client
        try:
            if not client._finalized:
                client._finalized = True
                transaction = client.transaction
                assert transaction is not None
                await (transaction.rollback() if exc_type else transaction.commit())
        finally:
            get_connections().reset(self._token)
            pool = self._parent._pool
            assert pool is not None
            await pool.release(client._connection)


def atomic() -> AbstractAsyncContextManager[TransactionalDBClient]:
    """An async context manager running its block in one transaction (or, inside
    one, a savepoint), as ``tortoise.transactions.in_transaction()``."""
    client = connections.get("default")
    if type(client) is AsyncpgDBClient and client._pool is not None:
        return _Pooled(client)
    context: AbstractAsyncContextManager[TransactionalDBClient] = client._in_transaction()
    return context
