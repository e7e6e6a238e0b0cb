"""Schema migrations with aerich, one chain per dialect.

aerich renders SQL for the dialect it is connected to, so migrations made on
SQLite fail on PostgreSQL. Each dialect gets its own folder under
migrations/, generated from the same models offline (no database needed),
and ``billgraph migrate`` applies the chain that matches DATABASE_URL.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from aerich import Command
from aerich.ddl.sqlite import SqliteDDL
from aerich.migrate import Migrate
from tortoise import Model

from models.database import migrations_location, tortoise_config

# Offline generation only needs the dialect, never a live server.
GENERATION_URLS = {
    "sqlite": "sqlite://:memory:",
    "postgres": "postgres://billgraph:unused@127.0.0.1:1/billgraph",
}


class _SqliteDDL(SqliteDDL):
    """aerich refuses to alter a column comment on SQLite, which keeps none
    (tortoise writes them as SQL comments inside CREATE TABLE): a changed
    comment, such as an enum column's new member, needs no statement there."""

    def set_comment(self, model: type[Model], field_describe: dict[str, object]) -> str:
        return ""


def _command(database_url: str, root: Path | None = None) -> Command:
    location = migrations_location(database_url, root)
    return Command(tortoise_config(database_url), app="models", location=str(location))


class NoMigrationChain(Exception):
    """The dialect's migration folder is missing or empty: a broken install or
    checkout, which must stop a deploy rather than pass as "nothing to apply"."""


async def upgrade(database_url: str) -> list[str]:
    """Apply every pending migration; returns the names applied."""
    chain = migrations_location(database_url) / "models"
    if not any(chain.glob("*.py")):
        raise NoMigrationChain(f"migrate: no migration chain in {chain}: is the install complete?")
    async with _command(database_url) as command:
        return await command.upgrade(run_in_transaction=True)


async def make_migration(dialect: str, name: str, root: Path | None = None) -> str | None:
    """Write the next migration for ``dialect`` from the models into ``root``
    (default: the project's migrations/); None when the models already match."""
    url = GENERATION_URLS[dialect]
    location = migrations_location(url, root)
    command = _command(url, root)
    if not (location / "models").exists():
        await command.init_migrations(safe=True)
        await command.aclose()
        return "initial"
    await command.init(offline=True)
    if dialect == "sqlite":
        Migrate.ddl = _SqliteDDL(Migrate.ddl.client)
    try:
        return await command.migrate(name, no_input=True, offline=True) or None
    finally:
        await command.aclose()


def dialects() -> tuple[str, ...]:
    return tuple(GENERATION_URLS)


def main(argv: list[str]) -> int:
    """``python -m server.migrations make DIALECT NAME [ROOT]``: one dialect per process."""
    if len(argv) not in (3, 4) or argv[0] != "make" or argv[1] not in GENERATION_URLS:
        print(
            "usage: python -m server.migrations make {sqlite,postgres} NAME [ROOT]", file=sys.stderr
        )
        return 2
    root = Path(argv[3]) if len(argv) == 4 else None
    written = asyncio.run(make_migration(argv[1], argv[2], root))
    print(f"{argv[1]}: {written or 'no changes'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
