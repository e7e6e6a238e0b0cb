"""How a domain ``BillingError`` reaches the client.

Mutations return it as data in their payload's ``errors``; queries (which
have no payload) raise it as a top-level error carrying the code.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Protocol, TypeVar

import strawberry
from strawberry.exceptions import StrawberryGraphQLError

from billing.errors import BillingError, ErrorCode

BillingErrorCode = strawberry.enum(ErrorCode, name="BillingErrorCode")

T = TypeVar("T")


@strawberry.type(name="BillingError")
class BillingErrorType:
    code: BillingErrorCode  # type: ignore[valid-type]
    message: str
    field: str | None = strawberry.field(
        description='camelCase path of the offending input field, e.g. "amount".'
    )
    retry_after: int | None = strawberry.field(
        default=None, description="For RATE_LIMITED: seconds until the call may succeed."
    )

    @classmethod
    def of(cls, error: BillingError) -> BillingErrorType:
        return cls(
            code=error.code, message=error.message, field=error.field, retry_after=error.retry_after
        )


class Payload(Protocol):
    def __init__(self, *, errors: list[BillingErrorType]) -> None: ...


P = TypeVar("P", bound=Payload)


async def payload_or_errors(payload: type[P], work: Awaitable[P]) -> P:
    """The mutation's payload, or the same payload type carrying the error."""
    try:
        return await work
    except BillingError as error:
        return payload(errors=[BillingErrorType.of(error)])


async def query_or_error(work: Awaitable[T]) -> T:
    """A query's result, or its BillingError as a top-level error with the code."""
    try:
        return await work
    except BillingError as error:
        raise top_level_error(error) from None


def top_level_error(error: BillingError) -> StrawberryGraphQLError:
    """A BillingError as a GraphQL error: the code (and field, retryAfter) in extensions."""
    extensions: dict[str, object] = {"code": error.code.value}
    if error.field:
        extensions["field"] = error.field
    if error.retry_after is not None:
        extensions["retryAfter"] = error.retry_after
    return StrawberryGraphQLError(error.message, extensions=extensions)
