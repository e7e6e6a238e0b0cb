"""The Money type shared by every priced object."""

from __future__ import annotations

import strawberry

from billing.money import format_money


@strawberry.type
class Money:
    amount: int
    currency: str
    formatted: str = strawberry.field(description='Human-readable, e.g. "$9.99".')

    @classmethod
    def of(cls, amount: int, currency: str) -> Money:
        return cls(amount=amount, currency=currency, formatted=format_money(amount, currency))
