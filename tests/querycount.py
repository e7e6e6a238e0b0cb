"""Count the SQL statements Tortoise sends (it logs each one at DEBUG)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from billing.catalog_version import FINGERPRINT_SQL

_STATEMENTS = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = str(record.msg if not record.args else record.args[0]).strip()
        if text in FINGERPRINT_SQL:
            return  # the server's once-a-second catalog check, not part of any request
        text = text.upper()
        if text.startswith(_STATEMENTS):
            self.statements.append(text)


@contextmanager
def count_queries() -> Iterator[list[str]]:
    logger = logging.getLogger("tortoise.db_client")
    handler = _Counter()
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield handler.statements
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
