"""models.transaction.atomic and models.sql's statements on the driver: one
connection for fixed SQL and the ORM alike, savepoints when nested, errors and
the statement log as Tortoise's own (on SQLite, Tortoise's path throughout)."""

from __future__ import annotations

import pytest
from tortoise.exceptions import IntegrityError

from models.credits import CreditBalance
from models.sql import Statement, execute, fetch
from models.transaction import atomic
from tests.querycount import count_queries

INSERT = Statement("INSERT INTO credit_balance (user_id, balance) VALUES (?, ?)")
BALANCE = Statement("SELECT balance FROM credit_balance WHERE user_id = ?")


class _Undo(Exception):
    pass


async def _stored() -> list[str]:
    return sorted(await CreditBalance.all().values_list("user_id", flat=True))


async def test_fixed_sql_and_the_orm_share_one_transaction(db: str) -> None:
    with pytest.raises(_Undo):
        async with atomic():
            await execute(INSERT, ["fixed", 1])
            await CreditBalance.create(user_id="orm", balance=2)
            # Each sees the other's uncommitted row: the same connection.
            assert (await CreditBalance.get(user_id="fixed")).balance == 1
            assert await fetch(BALANCE, ["orm"]) == [{"balance": 2}]
            raise _Undo
    assert await _stored() == []  # both rolled back
    async with atomic():
        await execute(INSERT, ["fixed", 1])
        await CreditBalance.create(user_id="orm", balance=2)
    assert await _stored() == ["fixed", "orm"]


async def test_a_nested_block_is_a_savepoint(db: str) -> None:
    async with atomic():
        await execute(INSERT, ["outer", 1])
        with pytest.raises(_Undo):
            async with atomic():
                await execute(INSERT, ["inner", 1])
                raise _Undo
        assert await fetch(BALANCE, ["inner"]) == []
    assert await _stored() == ["outer"]


async def test_a_duplicate_is_tortoises_integrity_error_and_every_statement_is_logged(
    db: str,
) -> None:
    await execute(INSERT, ["taken", 1])  # outside a transaction: a pool connection
    with count_queries() as statements:
        with pytest.raises(IntegrityError):
            async with atomic():
                await execute(INSERT, ["free", 1])
                await execute(INSERT, ["taken", 1])
        with pytest.raises(IntegrityError):
            await execute(INSERT, ["taken", 1])
        assert await fetch(BALANCE, ["taken"]) == [{"balance": 1}]
    assert [s.split()[0] for s in statements] == ["INSERT", "INSERT", "INSERT", "SELECT"]
    assert await _stored() == ["taken"]
