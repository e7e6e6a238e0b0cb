"""Schema extensions: caching, query-shape limits and error masking."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

log = logging.getLogger("billgraph.graph")

MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 2000


def is_unexpected(error: GraphQLError) -> bool:
    """Deliberate GraphQL errors (validation, auth) pass; anything else is a bug."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


class MaskUnexpectedErrors(MaskErrors):
    """Replace bugs with "Unexpected error" plus a request id, logging the original."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected, error_message="Unexpected error.")

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        request_id = getattr(self.execution_context.context, "request_id", "-")
        log.error(
            "unexpected error request_id=%s path=%s",
            request_id,
            error.path,
            exc_info=error.original_error,
        )
        masked = super().anonymise_error(error)
        masked.extensions = {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
        return masked


def _built_once(limiter: AddValidationRules) -> Callable[[], SchemaExtension]:
    """A limiter whose rule classes are made once, not per request: the
    validation cache is keyed by the rules, so a new class per request (what
    ``partial(QueryDepthLimiter, ...)`` makes) missed it on every request."""
    return partial(AddValidationRules, limiter.validation_rules)


def schema_extensions() -> list[Callable[[], SchemaExtension]]:
    """Factories: strawberry builds fresh instances per request (the parse and
    validation caches themselves are module-level and shared)."""
    return [
        partial(ParserCache, maxsize=512),
        partial(ValidationCache, maxsize=512),
        partial(MaxTokensLimiter, max_token_count=MAX_TOKENS),
        _built_once(QueryDepthLimiter(max_depth=MAX_DEPTH)),
        _built_once(MaxAliasesLimiter(max_alias_count=MAX_ALIASES)),
        MaskUnexpectedErrors,
    ]
