"""The current time, injectable: billing periods depend on it (the free plan's
calendar month), and tests move it across a month boundary without sleeping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)
