"""Schema extensions: caching, query-shape limits, error masking and logging."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import strawberry
from graphql import (
    SKIP,
    ASTValidationRule,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VisitorAction,
)
from graphql.validation import NoSchemaIntrospectionCustomRule, OverlappingFieldsCanBeMergedRule
from strawberry.extensions import (
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.types import ExecutionContext

from graph.context import Context

log = logging.getLogger("billgraph.graph")

MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 2000
# Fields once every fragment spread is expanded: no more than a document
# without fragments could hold, so fragments can't multiply execution work.
MAX_FIELDS = MAX_TOKENS
# graphql-core lets its field-overlap check spend 500,000 units, 1-2 s of
# blocked event loop on a 2,000-token document; 10,000 take under 0.1 s. A
# dashboard query with fragments spends 13, introspection 0, the 40-level
# fragment fan-out 3,360.
OVERLAP_BUDGET = 10_000


@dataclass(frozen=True, slots=True)
class Shape:
    """What a selection costs once its fragments are expanded."""

    depth: int = 0
    aliases: int = 0
    fields: int = 0

    def beside(self, other: Shape) -> Shape:
        return Shape(
            max(self.depth, other.depth), self.aliases + other.aliases, self.fields + other.fields
        )


class QueryShapeRule(ValidationRule):
    """Depth (per operation), aliases and expanded fields (per document).

    Each fragment is measured once and its shape reused at every spread, so
    the cost is linear in the document: strawberry's limiters walked every
    spread again, 2^n walks for n fragments that each spread the next twice.
    Operations are measured on entry, after graphql-core has checked that
    their fragments do not nest too deeply for the recursion below.
    """

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.fragments = {
            definition.name.value: definition
            for definition in context.document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        self.measured: dict[str, Shape] = {}
        self.measuring: set[str] = set()
        self.total = Shape()

    def enter_operation_definition(
        self, node: OperationDefinitionNode, *_args: Any
    ) -> VisitorAction:
        shape = self.measure(node.selection_set)
        if shape.depth > MAX_DEPTH:
            name = node.name.value if node.name else "anonymous"
            self.report_error(
                GraphQLError(f"'{name}' exceeds maximum operation depth of {MAX_DEPTH}", node)
            )
        self.total = self.total.beside(shape)
        return SKIP

    def enter_fragment_definition(self, *_args: Any) -> VisitorAction:
        return SKIP  # measured where it is spread

    def leave_document(self, *_args: Any) -> None:
        if self.total.aliases > MAX_ALIASES:
            self.report_error(
                GraphQLError(f"{self.total.aliases} aliases found. Allowed: {MAX_ALIASES}")
            )
        if self.total.fields > MAX_FIELDS:
            self.report_error(
                GraphQLError(
                    f"{self.total.fields} fields once fragments are expanded. Allowed: {MAX_FIELDS}"
                )
            )

    def measure(self, selection_set: SelectionSetNode) -> Shape:
        total = Shape()
        for selection in selection_set.selections:
            total = total.beside(self.measure_selection(selection))
        return total

    def measure_selection(self, selection: SelectionNode) -> Shape:
        if isinstance(selection, FragmentSpreadNode):
            return self.measure_fragment(selection.name.value)
        if isinstance(selection, InlineFragmentNode):
            return self.measure(selection.selection_set)
        assert isinstance(selection, FieldNode)
        inner = self.measure(selection.selection_set) if selection.selection_set else Shape()
        # Introspection is exempt from the depth limit: its query nests type references.
        deeper = selection.selection_set is not None and not selection.name.value.startswith("__")
        return Shape(
            inner.depth + 1 if deeper else 0,
            inner.aliases + (selection.alias is not None),
            inner.fields + 1,
        )

    def measure_fragment(self, name: str) -> Shape:
        if name in self.measured:
            return self.measured[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in self.measuring:
            return Shape()  # unknown or cyclic: graphql-core's own rules refuse those
        self.measuring.add(name)
        shape = self.measured[name] = self.measure(fragment.selection_set)
        self.measuring.discard(name)
        return shape


class BoundedOverlapRule(OverlappingFieldsCanBeMergedRule):
    """graphql-core's overlap check with a smaller work budget (OVERLAP_BUDGET)."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.rule_context.remaining_complexity_budget = OVERLAP_BUDGET


class QueryLimits(SchemaExtension):
    """The validation rules for each request: the shape limits, the bounded
    overlap check, and no introspection where settings turn it off. The rule
    classes are module-level so the validation cache, keyed by the rules,
    hits on every repeat of a query."""

    def on_operation(self) -> Iterator[None]:
        execution = self.execution_context
        context = execution.context
        introspection = not isinstance(context, Context) or context.settings.introspection
        execution.validation_rules = validation_rules(execution.validation_rules, introspection)
        yield


def validation_rules(
    rules: Iterable[type[ASTValidationRule]], introspection: bool
) -> tuple[type[ASTValidationRule], ...]:
    """graphql-core's ``rules`` with the bounded overlap check, the shape
    limits and, unless ``introspection``, no introspection."""
    limited = [
        BoundedOverlapRule if rule is OverlappingFieldsCanBeMergedRule else rule for rule in rules
    ]
    limited.append(QueryShapeRule)
    if not introspection:
        limited.append(NoSchemaIntrospectionCustomRule)
    return tuple(limited)


def is_unexpected(error: GraphQLError) -> bool:
    """Deliberate GraphQL errors (validation, auth) pass; anything else is a bug."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


UNEXPECTED = "Unexpected error."


class MaskUnexpectedErrors(MaskErrors):
    """Replace bugs with "Unexpected error" plus the request id of the log line."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected, error_message=UNEXPECTED)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        return masked(error, self.execution_context.context)


def masked(error: GraphQLError, context: object) -> GraphQLError:
    """A bug's error without its message, with the request id of its log line."""
    return GraphQLError(
        UNEXPECTED,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={
            "code": "INTERNAL_SERVER_ERROR",
            "requestId": getattr(context, "request_id", "-"),
        },
    )


def mask_unexpected(errors: list[GraphQLError], context: object) -> list[GraphQLError]:
    """What MaskUnexpectedErrors does to a result's errors."""
    return [masked(error, context) if is_unexpected(error) else error for error in errors]


_WARN_CODES = {"UNAUTHENTICATED", "FORBIDDEN"}


class BillgraphSchema(strawberry.Schema):
    """Logs a refusal (bad token, forbidden, invalid query) as one line and a
    bug with its traceback, both with the request id; strawberry's own
    logging gave every refusal a traceback."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        log_errors(errors, execution_context.context if execution_context else None)


def log_errors(errors: list[GraphQLError], context: object) -> None:
    """A refusal as one line, a bug with its traceback, with the request id."""
    request_id = getattr(context, "request_id", "-")
    for error in errors:
        if is_unexpected(error):
            log.error(
                "unexpected error request_id=%s path=%s",
                request_id,
                error.path,
                exc_info=error.original_error,
            )
            continue
        code = (error.extensions or {}).get("code") or "INVALID_QUERY"
        log.log(
            logging.WARNING if code in _WARN_CODES else logging.INFO,
            "graphql refused request_id=%s code=%s message=%r",
            request_id,
            code,
            error.message,
        )


def schema_extensions() -> list[Callable[[], SchemaExtension]]:
    """Factories: strawberry builds fresh instances per request (the parse and
    validation caches themselves are module-level and shared)."""
    return [
        partial(ParserCache, maxsize=512),
        partial(ValidationCache, maxsize=512),
        partial(MaxTokensLimiter, max_token_count=MAX_TOKENS),
        QueryLimits,
        MaskUnexpectedErrors,
    ]
