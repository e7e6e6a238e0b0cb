"""The one exception type the domain raises for expected failures.

Resolvers turn it into a payload's ``errors``; anything else that escapes is a
bug and gets masked. Codes mirror the contract's ``BillingErrorCode`` enum.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID_INPUT = "INVALID_INPUT"
    NOT_FOUND = "NOT_FOUND"
    FORBIDDEN = "FORBIDDEN"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
    CARD_DECLINED = "CARD_DECLINED"
    PAYMENT_FAILED = "PAYMENT_FAILED"
    ALREADY_SUBSCRIBED = "ALREADY_SUBSCRIBED"
    NOT_REFUNDABLE = "NOT_REFUNDABLE"
    INSUFFICIENT_CREDITS = "INSUFFICIENT_CREDITS"
    IDEMPOTENCY_CONFLICT = "IDEMPOTENCY_CONFLICT"
    STRIPE_UNAVAILABLE = "STRIPE_UNAVAILABLE"
    RATE_LIMITED = "RATE_LIMITED"


class BillingError(Exception):
    """An expected failure with a code, a message fit for the caller and the
    camelCase input field it concerns (if any); RATE_LIMITED says in how many
    seconds the call may succeed."""

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        field: str | None = None,
        *,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.retry_after = retry_after

    def __repr__(self) -> str:
        return f"BillingError({self.code.value}, {self.message!r}, field={self.field!r})"


class ConfigError(Exception):
    """Bad configuration: one line that names the offending variable."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable
