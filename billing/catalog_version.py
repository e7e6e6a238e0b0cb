"""The catalog's version, for caches of public catalog answers (``plans``).

A process learns of a change two ways: its own catalog writes call
``changed()`` (at once), and ``CatalogWatch.poll`` re-reads a fingerprint of
the catalog tables at most once a second, which catches every other process
(``billgraph catalog sync``, webhooks delivered to a sibling server, a hand
edit in SQL). The fingerprint is the tables' whole content, so no write path
can move the catalog without moving it.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time

from tortoise import Tortoise

log = logging.getLogger(__name__)

POLL_INTERVAL = 1.0
# A cached answer is served only while the last poll is this recent, so a
# stalled or failing poll can't keep a stale answer alive.
FRESH_FOR = 2.5 * POLL_INTERVAL

# Every column of both tables, in a stable order: the same text on SQLite and PostgreSQL.
FINGERPRINT_SQL = (
    "SELECT * FROM plan ORDER BY key",
    "SELECT * FROM plan_price ORDER BY stripe_price_id",
)

_local_generation = 0


def changed() -> None:
    """This process wrote the catalog: answers cached before now are stale."""
    global _local_generation
    _local_generation += 1


class CatalogWatch:
    """``version`` moves whenever the catalog may have moved; ``fresh()`` says
    whether it is recent enough to trust a cached answer."""

    def __init__(self) -> None:
        self._polled_generation = 0
        self._fingerprint: bytes | None = None
        self._checked_at = float("-inf")

    @property
    def version(self) -> tuple[int, int]:
        return (_local_generation, self._polled_generation)

    def fresh(self) -> bool:
        return time.monotonic() - self._checked_at < FRESH_FOR

    async def poll(self) -> None:
        """Read the fingerprint; a difference from the last one (or a failed
        read) moves the version."""
        try:
            fingerprint = await _fingerprint()
        except Exception:
            self._polled_generation += 1
            self._checked_at = float("-inf")
            raise
        if fingerprint != self._fingerprint:
            self._fingerprint = fingerprint
            self._polled_generation += 1
        self._checked_at = time.monotonic()


async def _fingerprint() -> bytes:
    connection = Tortoise.get_connection("default")
    digest = hashlib.blake2b(digest_size=16)
    for sql in FINGERPRINT_SQL:
        _count, rows = await connection.execute_query(sql)
        digest.update(repr([tuple(row) for row in rows]).encode())
    return digest.digest()


async def watch_catalog(watch: CatalogWatch) -> None:
    """Poll for as long as the server runs (its lifespan cancels this)."""
    while True:
        try:
            await watch.poll()
        except Exception:
            log.warning("catalog version check failed; cached catalog answers bypassed")
        await asyncio.sleep(POLL_INTERVAL)
