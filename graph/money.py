"""The Money type shared by every priced object."""

from __future__ import annotations

from functools import lru_cache

import strawberry

from billing.money import format_money


@strawberry.type
class Money:
    amount: int
    currency: str
    formatted: str = strawberry.field(description='Human-readable, e.g. "$9.99".')

    @classmethod
    def of(cls, amount: int, currency: str) -> Money:
        """One shared, never-changed object per recent (amount, currency): a
        page of payments repeats a few amounts, each formatted once."""
        return _money(amount, currency)


@lru_cache(maxsize=4096)
def _money(amount: int, currency: str) -> Money:
    return Money(amount=amount, currency=currency, formatted=format_money(amount, currency))
