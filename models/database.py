"""Tortoise configuration and where each dialect's migrations live."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tortoise.backends.base.config_generator import expand_db_url

MODEL_MODULES = [
    "models.catalog",
    "models.credits",
    "models.checkout",
    "models.customers",
    "models.duplicates",
    "models.payments",
    "models.plan_changes",
    "models.subscriptions",
    "models.usage",
    "models.webhooks",
    "models.events",
    "models.notifications",
    "models.audit",
    "aerich.models",
]

MIGRATIONS_ROOT = Path(__file__).resolve().parent.parent / "migrations"


def dialect_of(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgres"


def migrations_location(database_url: str, root: Path | None = None) -> Path:
    """aerich writes dialect-specific SQL, so each dialect keeps its own chain."""
    return (root or MIGRATIONS_ROOT) / dialect_of(database_url)


async def keep_session(connection: Any) -> None:
    """asyncpg's pool ``reset``: nothing beyond its own rollback of an open
    transaction. billgraph sets no session state on pooled connections (no SET,
    advisory lock, cursor or LISTEN: the listener has its own connection), so the
    default reset query (``pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *;
    RESET ALL``) was a round trip per statement Tortoise runs outside a
    transaction, for nothing."""


def server_config(database_url: str) -> dict[str, Any]:
    """``tortoise_config`` for a server process: on PostgreSQL, connections go
    back to the pool without the reset query (``keep_session``)."""
    config = tortoise_config(database_url)
    if dialect_of(database_url) == "postgres":
        connection = expand_db_url(config["connections"]["default"])
        connection["credentials"]["reset"] = keep_session
        config["connections"]["default"] = connection
    return config


def tortoise_config(database_url: str) -> dict[str, Any]:
    url = database_url
    if url.startswith("postgresql://"):
        url = "postgres://" + url.removeprefix("postgresql://")
    return {
        "connections": {"default": url},
        "apps": {"models": {"models": MODEL_MODULES, "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }
