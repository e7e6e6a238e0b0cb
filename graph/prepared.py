"""Operations prepared once per document, executed without strawberry's
per-request machinery.

strawberry's ``Schema.execute`` builds, for every request, an instance of
each schema extension (five), a runner that enters every hook of every
extension (operation, parse, validate, execute) as a context manager, and a
middleware manager; with the parse and validation caches hit, that is most
of what a small mutation pays above its resolver. Here a document is parsed
(token limit), its operation found and validated with the same rules
(graphql-core's, strawberry's two, ``QueryLimits``') once per (text,
operation name, introspection setting), in a bounded LRU. A document that
would be refused at any of those steps is not prepared: it goes through
``Schema.execute`` as before, so every refusal is strawberry's own.

Execution is graphql-core's with the schema's execution context, as
strawberry runs it (the first operation's name when none is given); the
result's errors are logged, then masked, by the functions the schema's
``process_errors`` and ``MaskUnexpectedErrors`` use. No extension of ours
takes part in resolving (none implements ``resolve``), so the answer is the
one ``Schema.execute`` gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import DocumentNode, GraphQLError, parse, specified_rules
from graphql import execute as graphql_execute
from graphql.execution import Executor
from strawberry.execution import optimized_is_awaitable
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext, validate_document
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.utils.await_maybe import await_maybe
from strawberry.utils.operation import get_first_operation, get_operation_type

from graph.extensions import (
    MAX_TOKENS,
    BillgraphSchema,
    log_errors,
    mask_unexpected,
    validation_rules,
)

MAX_PREPARED = 512
# Over HTTP POST: subscriptions stream, so they keep strawberry's path.
EXECUTABLE = frozenset({OperationType.QUERY, OperationType.MUTATION})


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document that parses and validates, and the operation to run."""

    document: DocumentNode
    operation_type: OperationType
    operation_name: str | None


@lru_cache(maxsize=MAX_PREPARED)
def prepare(
    schema: BillgraphSchema, query: str, operation_name: str | None, introspection: bool
) -> Prepared | None:
    """The prepared operation, or None where strawberry would refuse it (or
    where it is not a query or mutation)."""
    if schema.directives:
        return None  # strawberry adds its directives extension then
    try:
        document = parse(query, max_tokens=MAX_TOKENS)
        operation_type = get_operation_type(document, operation_name)
    except (GraphQLError, RuntimeError):
        return None
    if operation_type not in EXECUTABLE:
        return None
    rules = validation_rules(specified_rules, introspection)
    if validate_document(schema._schema, document, rules):
        return None
    if operation_name is None:
        first = get_first_operation(document)
        operation_name = first.name.value if first and first.name else None
    return Prepared(document, operation_type, operation_name)


def executor_class(schema: BillgraphSchema, prepared: Prepared) -> type[Executor[Any]]:
    """The schema's (lean) execution context for queries; graphql-core's own,
    as strawberry configures it, for a mutation: it answers one payload, whose
    selection the lean context would compile for a single use (compiling
    costs more than it saves there: trackUsage ~900 -> ~780 us of CPU). Both
    give the same answers (tests/test_execution.py)."""
    if prepared.operation_type is OperationType.MUTATION:
        return StrawberryGraphQLCoreExecutionContext
    return schema.execution_context_class or StrawberryGraphQLCoreExecutionContext


async def execute(
    schema: BillgraphSchema,
    prepared: Prepared,
    variables: dict[str, Any] | None,
    context: Any,
    extensions: dict[str, Any] | None,
) -> ExecutionResult:
    """``prepared`` run as ``Schema.execute`` runs it."""
    try:
        result = await await_maybe(
            graphql_execute(
                schema._schema,
                prepared.document,
                variable_values=variables,
                operation_name=prepared.operation_name,
                context_value=context,
                is_awaitable=optimized_is_awaitable,  # type: ignore[arg-type]
                executor_class=executor_class(schema, prepared),
                operation_extensions=extensions,
            )
        )
        data, errors = result.data, result.errors
    except Exception as exc:  # as Schema.execute: an error in the answer, not a 500
        data, errors = None, [GraphQLError(str(exc), original_error=exc)]
    if errors:
        log_errors(errors, context)
        errors = mask_unexpected(errors, context)
    return ExecutionResult(data=data, errors=errors or None)
