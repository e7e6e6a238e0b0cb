"""Tortoise configuration and where each dialect's migrations live."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
