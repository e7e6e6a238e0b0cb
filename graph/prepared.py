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

from graphql import (
    BREAK,
    SKIP,
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    VariableDefinitionNode,
    Visitor,
    VisitorAction,
    parse,
    specified_rules,
    visit,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql.execution import Executor
from strawberry.execution import optimized_is_awaitable
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext, validate_document
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.utils.operation import get_first_operation, get_operation_type

from graph.execution import LeanExecutionContext, Plan
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
# A schema with these answers in parts: strawberry's path then.
INCREMENTAL = ("defer", "stream")


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document that parses and validates, the operation to run and, where
    its selections read no variables, the plan its executions share."""

    document: DocumentNode
    operation_type: OperationType
    operation_name: str | None
    plan: Plan | None = None


@lru_cache(maxsize=MAX_PREPARED)
def prepare(
    schema: BillgraphSchema, query: str, operation_name: str | None, introspection: bool
) -> Prepared | None:
    """The prepared operation, or None where strawberry would refuse it (or
    where it is not a query or mutation)."""
    if schema.directives or any(map(schema._schema.get_directive, INCREMENTAL)):
        return None  # strawberry adds its directives extension, or streams, then
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
    plan = Plan() if _reads_no_variables(document) else None
    return Prepared(document, operation_type, operation_name, plan)


class _Directives(Visitor):
    found = False

    def enter_directive(self, *_args: Any) -> VisitorAction:
        self.found = True
        return BREAK

    def enter_variable_definition(self, node: VariableDefinitionNode, *_args: Any) -> Any:
        return SKIP  # a variable's own directives don't select anything


def _reads_no_variables(document: DocumentNode) -> bool:
    """No directive anywhere (``@skip``/``@include`` select by variables) and
    no fragment with variables of its own: the fields collected are the same
    whatever the variables."""
    if any(
        isinstance(definition, FragmentDefinitionNode) and definition.variable_definitions
        for definition in document.definitions
    ):
        return False
    visitor = _Directives()
    visit(document, visitor)
    return not visitor.found


def executor_class(schema: BillgraphSchema, prepared: Prepared) -> type[Executor[Any]]:
    """The schema's (lean) execution context, except for a mutation without a
    plan: graphql-core's own, as strawberry configures it. A mutation answers
    one payload, whose selection the lean context would compile for that one
    use (compiling cost more than it saved: trackUsage ~900 -> ~780 us of CPU);
    with a plan it is compiled once per document. Both give the same answers
    (tests/test_execution.py)."""
    if prepared.operation_type is OperationType.MUTATION and prepared.plan is None:
        return StrawberryGraphQLCoreExecutionContext
    return schema.execution_context_class or StrawberryGraphQLCoreExecutionContext


async def execute(
    schema: BillgraphSchema,
    prepared: Prepared,
    variables: dict[str, Any] | None,
    context: Any,
    extensions: dict[str, Any] | None,
) -> ExecutionResult:
    """``prepared`` run as ``Schema.execute`` runs it: graphql-core's
    ``execute`` is its executor's ``build`` and ``execute_operation`` (the
    schema has no incremental directives, so the result is a single one)."""
    cls = executor_class(schema, prepared)
    shared: dict[str, Any] = (
        {"plan": prepared.plan} if issubclass(cls, LeanExecutionContext) else {}
    )
    errors: list[GraphQLError] | None
    try:
        executor = cls.build(
            schema._schema,
            prepared.document,
            context_value=context,
            raw_variable_values=variables,
            operation_name=prepared.operation_name,
            is_awaitable=optimized_is_awaitable,  # type: ignore[arg-type]
            operation_extensions=extensions,
            **shared,
        )
        if isinstance(executor, list):  # variables that do not coerce
            data, errors = None, executor
        else:
            result: Any = executor.execute_operation()
            if optimized_is_awaitable(result):
                result = await result
            if not isinstance(result, GraphQLExecutionResult):  # incremental: never here
                raise TypeError(f"expected one result, not {type(result).__name__}")
            data, errors = result.data, result.errors
    except Exception as exc:  # as Schema.execute: an error in the answer, not a 500
        data, errors = None, [GraphQLError(str(exc), original_error=exc)]
    if errors:
        log_errors(errors, context)
        errors = mask_unexpected(errors, context)
    return ExecutionResult(data=data, errors=errors or None)
