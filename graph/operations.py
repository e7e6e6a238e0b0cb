"""What every query and mutation goes through: the caller's rate limit, then
the resolver, counted and timed by operation and outcome.

A field extension on each root field of Query and Mutation (attached by
``guard_operations`` when the schema is built, so fields added later are
covered too): one limiter hit per operation, none per nested field, and an
operation refused by the limiter never reaches its resolver, so it neither
writes anything nor calls Stripe. Mutations (and queries returning a payload)
get RATE_LIMITED in their payload's ``errors``; other queries as a top-level
error with the code and ``retryAfter`` in its extensions.
"""

from __future__ import annotations

import time
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import FieldExtension
from strawberry.extensions.field_extension import AsyncExtensionResolver
from strawberry.types.base import get_object_definition
from strawberry.types.field import StrawberryField
from strawberry.utils.str_converters import to_camel_case

from billing.errors import BillingError
from billing.metrics import LATENCY, REQUESTS
from billing.request_log import CURRENT
from graph.context import Info
from graph.errors import BillingErrorType, top_level_error


class Operation(FieldExtension):
    """The wrapper of one root field; ``payload`` is its payload type, if any."""

    def __init__(self, name: str, payload: type | None) -> None:
        self.name = name
        self.payload = payload
        self.latency = LATENCY.labels(name)
        # Each outcome's counter, looked up once (``labels`` locks and hashes).
        self.outcomes: dict[str, Any] = {}

    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: Info, **kwargs: Any
    ) -> Any:
        fields = CURRENT.get()
        if fields is not None:
            fields.add_operation(self.name)
        started = time.perf_counter()
        try:
            if info.context.limiter is None:
                result = await next_(source, info, **kwargs)
            else:
                result = await self._limited(next_, source, info, kwargs)
        except GraphQLError as error:
            self._count(str((error.extensions or {}).get("code", "ERROR")), started)
            raise
        except Exception:
            self._count("INTERNAL", started)
            raise
        errors = getattr(result, "errors", None)
        self._count(str(getattr(errors[0], "code", "ERROR")) if errors else "OK", started)
        return result

    async def _limited(
        self, next_: AsyncExtensionResolver, source: Any, info: Info, kwargs: dict[str, Any]
    ) -> Any:
        context = info.context
        assert context.limiter is not None
        caller = context.caller
        try:
            await context.limiter.check(
                self.name, caller.user_id if caller else None, context.client_address
            )
        except BillingError as error:
            if self.payload is not None:
                return self.payload(errors=[BillingErrorType.of(error)])
            raise top_level_error(error) from None
        return await next_(source, info, **kwargs)

    def _count(self, outcome: str, started: float) -> None:
        counter = self.outcomes.get(outcome)
        if counter is None:
            counter = self.outcomes[outcome] = REQUESTS.labels(self.name, outcome)
        counter.inc()
        self.latency.observe(time.perf_counter() - started)


def _payload(field: StrawberryField) -> type | None:
    """The field's payload type (one with ``errors``), if it returns one."""
    definition = get_object_definition(field.type)
    if definition is None or not any(f.python_name == "errors" for f in definition.fields):
        return None
    return field.type  # type: ignore[return-value]


def guard_operations(*roots: type) -> None:
    """Put the Operation extension on every root field of ``roots``."""
    for root in roots:
        definition = get_object_definition(root, strict=True)
        for field in definition.fields:
            name = field.graphql_name or to_camel_case(field.python_name)
            field.extensions.append(Operation(name, _payload(field)))
