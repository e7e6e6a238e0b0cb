"""A leaner graphql-core execution for fields that only read an attribute.

graphql-core runs every field through the same machinery: a resolve-info
object, the resolver, awaitable checks and ``complete_value``'s type dispatch,
5-8 us per field. A page of 100 payments has ~3,000 fields and nearly all of
them are "basic" strawberry fields (no resolver, permission or extension:
the value is an attribute of the parent object). For each selection of a
request this context compiles, once, a completer for every basic field whose
whole sub-selection is basic too: an attribute read, then the leaf's own
``coerce_output_value`` or the nested objects' completers. A basic field of
an object type whose selection has resolvers (an edge's ``node``) skips only
``execute_field``'s own work and executes the object's fields. Any other field
(resolvers, abstract types, ``is_type_of``, ``@defer``/``@stream``) runs
through graphql-core as before.

Identical answers by construction: a completer gives up (raises) on anything
that is not a plain success (null for a non-null type, an error value, an
awaitable, a failed coercion, a non-list for a list) and the field then runs
through graphql-core's ``execute_field`` from the start, which reports it
exactly as before. Re-reading attributes is harmless: basic fields have no
resolver that could have done anything.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from operator import attrgetter
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    is_leaf_type,
)
from graphql.execution.collect_fields import DeferUsage, FieldDetailsList
from graphql.execution.executor import to_nodes
from graphql.pyutils import Path, Undefined, gather_with_cancel
from graphql.type.scalars import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    serialize_boolean,
    serialize_id,
    serialize_int,
    serialize_string,
)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

Completer = Callable[[Any], Any]
# A field run here beside graphql-core's own steps: given the request's
# execution context, the source, the field group and the path, its result, or
# _NOT_TAKEN (graphql-core runs it). The context is an argument, not captured,
# so that a plan's runners serve every request of its document.
Runner = Callable[["LeanExecutionContext", Any, FieldDetailsList, Path], Any]
# One selected field: its response name, its field group, its completer (None:
# graphql-core executes it) and, for a field that is not all basic but can
# still skip graphql-core's field machinery, its runner.
Step = tuple[str, FieldDetailsList, Completer | None, Runner | None]

# Values that are never awaitable, an error or a list: leaves read as they are.
_PLAIN = frozenset({str, int, float, bool})
# Directives field collection already applied; any other (@stream) leaves the
# field to graphql-core.
_COLLECTED = frozenset({"skip", "include"})
# The built-in scalars' coercions, with the class each returns unchanged.
_SAME: dict[Callable[[Any], Any], type] = {
    serialize_string: str,
    serialize_id: str,
    serialize_boolean: bool,
    serialize_int: int,
}


_NOT_TAKEN = object()  # a shortcut declined: graphql-core executes the field


class GiveUp(Exception):
    """This field's value is not a plain success: graphql-core executes it."""


def _checked(value: Any, is_awaitable: Callable[[Any], bool]) -> Any:
    """``value`` unless graphql-core would treat it specially (an error value
    to raise, an awaitable to await)."""
    if value.__class__ not in _PLAIN and (isinstance(value, Exception) or is_awaitable(value)):
        raise GiveUp
    return value


class Plan:
    """What a document's executions share: its root fields as first collected,
    graphql-core's memo of sub-selections and the compiled steps, so that each
    selection is collected and compiled once per document, not per request.

    Only for a document whose selections read no variables (no directive on
    any selection: ``@skip``/``@include`` are the ones that would) and so are
    the same in every request; fields with arguments are never compiled."""

    def __init__(self) -> None:
        self.root: Mapping[str, FieldDetailsList] | None = None
        self.sub_fields: dict[Any, Any] = {}
        self.steps: dict[int, tuple[Mapping[str, FieldDetailsList], list[Step]]] = {}


class LeanExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's execution context with compiled basic fields."""

    def __init__(self, *args: Any, plan: Plan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        self._lean = manager is None or not manager.middlewares
        self._plan = plan if self._lean else None
        if self._plan is not None:
            self._relevant_sub_fields = self._plan.sub_fields
            self._steps = self._plan.steps
        else:
            # By the id of a grouped field set (kept alive beside its steps:
            # graphql-core memoizes sub-selections the same way).
            self._steps = {}

    def execute_collected_root_fields(
        self,
        root_type: GraphQLObjectType,
        root_value: Any,
        grouped_field_set: Mapping[str, FieldDetailsList],
        serially: bool,
        new_defer_usages: Sequence[DeferUsage],
    ) -> Any:
        """With a plan, the root fields as its first request collected them (the
        same fields: nothing in the document reads variables), so that the
        shared memos, keyed by the identity of field groups, find them."""
        plan = self._plan
        if plan is not None and not new_defer_usages:
            if plan.root is None:
                plan.root = grouped_field_set
            grouped_field_set = plan.root
        return super().execute_collected_root_fields(
            root_type,
            root_value,
            grouped_field_set,  # type: ignore[arg-type]
            serially,
            new_defer_usages,
        )

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Mapping[str, FieldDetailsList],
        position_context: Any,
    ) -> Any:
        """graphql-core's ``execute_fields`` running compiled fields inline."""
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for name, field_details_list, complete, run in self._steps_of(
                parent_type, grouped_field_set
            ):
                if complete is not None:
                    try:
                        results[name] = complete(source_value)
                        continue
                    except Exception:  # noqa: S110 - graphql-core executes it below
                        pass
                field_path = Path(path, name, parent_type.name)
                result = _NOT_TAKEN
                if run is not None and position_context is None:
                    result = run(self, source_value, field_details_list, field_path)
                if result is _NOT_TAKEN:
                    result = self.execute_field(
                        parent_type, source_value, field_details_list, field_path, position_context
                    )
                if result is not Undefined:
                    results[name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[field] for field in awaitable_fields])
            raise
        if not awaitable_fields:
            return results
        return self._awaited(results, awaitable_fields)

    def _objects(
        self, object_type: GraphQLObjectType, read: Completer, type_: GraphQLOutputType
    ) -> Runner:
        """What ``execute_field`` does for a basic field of an object type, or a
        list of one, minus the resolve-info and the dispatch: each object's
        fields executed, errors handled where graphql-core handles them (the
        item, then the field). Anything but plain objects: not taken."""
        inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
        item_type = inner.of_type if isinstance(inner, GraphQLList) else None

        def run(
            ctx: LeanExecutionContext, source: Any, details: FieldDetailsList, path: Path
        ) -> Any:
            try:
                value = read(source)
            except Exception:
                return _NOT_TAKEN  # graphql-core reads it again and reports the error
            values: list[Any] | tuple[Any, ...]
            if item_type is None:
                values = [value]
            elif value.__class__ is list or value.__class__ is tuple:
                values = value
            else:
                return _NOT_TAKEN
            if not all(map(ctx._plain_object, values)):
                return _NOT_TAKEN
            grouped, defer_usages, _ = ctx.collect_subfields(object_type, details)
            if defer_usages:
                return _NOT_TAKEN
            if item_type is None:
                return ctx._object(object_type, value, grouped, type_, details, path)
            try:
                completed = ctx._list(object_type, values, grouped, item_type, details, path)
            except Exception as raw_error:
                ctx.handle_field_error(raw_error, type_, details, path)
                return None
            if ctx.is_awaitable(completed):
                return ctx._settled(completed, type_, details, path)
            return completed

        return run

    def _plain_object(self, value: Any) -> bool:
        return not (
            value is None
            or value is Undefined
            or value.__class__ in _PLAIN
            or isinstance(value, Exception)
            or self.is_awaitable(value)
        )

    def _object(
        self,
        object_type: GraphQLObjectType,
        value: Any,
        grouped: Mapping[str, FieldDetailsList],
        type_: GraphQLOutputType,
        details: FieldDetailsList,
        path: Path,
    ) -> Any:
        """``value``'s fields, an error handled at ``path`` as of ``type_``."""
        try:
            completed = self.execute_fields(object_type, value, path, grouped, None)
        except Exception as raw_error:
            self.handle_field_error(raw_error, type_, details, path)
            return None
        if self.is_awaitable(completed):
            return self._settled(completed, type_, details, path)
        return completed

    def _list(
        self,
        object_type: GraphQLObjectType,
        values: list[Any] | tuple[Any, ...],
        grouped: Mapping[str, FieldDetailsList],
        item_type: GraphQLOutputType,
        details: FieldDetailsList,
        path: Path,
    ) -> Any:
        """The objects completed as graphql-core's ``complete_iterable_value``
        does: in order, awaitable ones gathered, pending ones settled when an
        item's error bubbles up."""
        completed: list[Any] = []
        pending: list[int] = []
        try:
            for index, value in enumerate(values):
                item = self._object(
                    object_type, value, grouped, item_type, details, path.add_key(index, None)
                )
                if self.is_awaitable(item):
                    pending.append(index)
                completed.append(item)
        except Exception:
            if pending:
                self.settle_in_background([completed[index] for index in pending])
            raise
        if not pending:
            return completed
        return self._gathered(completed, pending)

    async def _gathered(self, completed: list[Any], pending: list[int]) -> list[Any]:
        if len(pending) == 1:
            completed[pending[0]] = await completed[pending[0]]
        else:
            awaited = await gather_with_cancel(*(completed[index] for index in pending))
            for index, value in zip(pending, awaited, strict=True):
                completed[index] = value
        return completed

    def _resolved(
        self, parent_type: GraphQLObjectType, field: GraphQLField, complete: Completer
    ) -> Runner:
        """What ``execute_field`` does for a field with a resolver (and no
        arguments) whose value can be completed here: the resolver called as
        graphql-core calls it; a plain result completed here, anything else
        (an awaitable, an error, a value the completer declines) by graphql-core."""
        resolve = field.resolve
        return_type = field.type

        def run(
            ctx: LeanExecutionContext, source: Any, details: FieldDetailsList, path: Path
        ) -> Any:
            info = ctx.build_resolve_info(field, to_nodes(details), parent_type, path)
            try:
                result = resolve(source, info)  # type: ignore[misc]
                if ctx.is_awaitable(result):
                    return ctx.complete_awaitable_value(
                        return_type, details, info, path, result, None
                    )
                try:
                    return complete(result)
                except Exception:  # noqa: S110 - graphql-core completes it below
                    pass
                completed = ctx.complete_value(return_type, details, info, path, result, None)
                if ctx.is_awaitable(completed):
                    return ctx._settled(completed, return_type, details, path)
                return completed
            except Exception as raw_error:
                ctx.handle_field_error(raw_error, return_type, details, path)
                return None

        return run

    async def _settled(
        self, completed: Any, return_type: GraphQLOutputType, details: FieldDetailsList, path: Path
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, details, path)
            return None

    async def _awaited(self, results: dict[str, Any], awaitable_fields: list[str]) -> Any:
        """Return ``results`` once each awaitable field has its value, as
        graphql-core's ``execute_fields`` does."""
        if len(awaitable_fields) == 1:
            field = awaitable_fields[0]
            results[field] = await results[field]
        else:
            awaited = await gather_with_cancel(*(results[field] for field in awaitable_fields))
            results.update(zip(awaitable_fields, awaited, strict=True))
        return results

    def _steps_of(
        self, parent_type: GraphQLObjectType, grouped_field_set: Mapping[str, FieldDetailsList]
    ) -> list[Step]:
        cached = self._steps.get(id(grouped_field_set))
        if cached is not None:
            return cached[1]
        steps: list[Step] = [
            (name, details, *self._compiled(parent_type, details))
            for name, details in grouped_field_set.items()
        ]
        self._steps[id(grouped_field_set)] = (grouped_field_set, steps)
        return steps

    def _compiled(
        self, parent_type: GraphQLObjectType, details: FieldDetailsList
    ) -> tuple[Completer | None, Runner | None]:
        """The completer of a basic field whose sub-selection is all basic; the
        runner of a basic field of objects whose sub-selection isn't, or of a
        field with a resolver whose value can be completed here; for any other
        field, neither."""
        if not self._lean or any(d.defer_usage is not None for d in details):
            return None, None
        node = details[0].node
        name = node.name.value
        if name == "__typename":
            type_name = parent_type.name
            return (lambda _source: type_name), None
        field = self.schema.get_field(parent_type, name)
        if (
            field is None
            or field.args
            or node.arguments
            or any(d.name.value not in _COLLECTED for d in node.directives or ())
        ):
            return None, None
        definition = field.extensions.get("strawberry-definition")
        if definition is None:
            return None, None
        if not getattr(field.resolve, "_is_default", False):
            value = self._value_completer(field.type, details)
            if value is None or field.resolve is None:
                return None, None
            return None, self._resolved(parent_type, field, value)
        if definition.default_resolver is getattr:
            read: Completer = attrgetter(definition.python_name)
        else:
            resolver, python_name = definition.default_resolver, definition.python_name

            def read(source: Any) -> Any:
                return resolver(source, python_name)

        value = self._value_completer(field.type, details)
        if value is not None:
            return (lambda source: value(read(source))), None
        object_type = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        if isinstance(object_type, GraphQLList):  # a list of objects, each non-null or not
            item = object_type.of_type
            object_type = item.of_type if isinstance(item, GraphQLNonNull) else item
        if isinstance(object_type, GraphQLObjectType) and not object_type.is_type_of:
            return None, self._objects(object_type, read, field.type)
        return None, None

    def _value_completer(
        self, type_: GraphQLOutputType, details: FieldDetailsList
    ) -> Completer | None:
        """What ``complete_value`` does for ``type_``, or None where it can't be compiled."""
        non_null = isinstance(type_, GraphQLNonNull)
        inner = type_.of_type if non_null else type_  # type: ignore[union-attr]
        if is_leaf_type(inner):
            return self._leaf(inner, non_null)
        if isinstance(inner, GraphQLList):
            item = self._value_completer(inner.of_type, details)
            if item is None:
                return None

            def many(value: Any) -> Any:
                if value.__class__ is list or value.__class__ is tuple:
                    return [item(v) for v in value]
                if non_null or (value is not None and value is not Undefined):
                    raise GiveUp
                return None

            return many
        if isinstance(inner, GraphQLObjectType) and not inner.is_type_of:
            grouped, defer_usages, _ = self.collect_subfields(inner, details)
            if defer_usages:
                return None
            steps = self._steps_of(inner, grouped)
            if any(complete is None for _, _, complete, _ in steps):
                return None
            fields = [(name, complete) for name, _, complete, _ in steps]
            is_awaitable = self.is_awaitable

            def obj(value: Any) -> Any:
                if value is None or value is Undefined:
                    if non_null:
                        raise GiveUp
                    return None
                _checked(value, is_awaitable)
                return {name: complete(value) for name, complete in fields}  # type: ignore[misc]

            return obj
        return None

    def _leaf(self, type_: GraphQLLeafType, non_null: bool) -> Completer:
        """A scalar or enum value: graphql-core's ``coerce_output_value``, skipped
        where that returns the value itself (a ``str`` for the built-in String
        and ID, a ``bool`` for Boolean, an ``int`` in range for Int), and
        remembered per enum member (an enum's is a search through its values)."""
        coerce = type_.coerce_output_value
        same: type | None = _SAME.get(coerce)
        memo: dict[int, Any] | None = {} if isinstance(type_, GraphQLEnumType) else None
        is_awaitable = self.is_awaitable

        def leaf(value: Any) -> Any:
            if value.__class__ is same and (
                same is not int or GRAPHQL_MIN_INT <= value <= GRAPHQL_MAX_INT  # type: ignore[operator]
            ):
                return value
            if value is None or value is Undefined:
                if non_null:
                    raise GiveUp
                return None
            if memo is not None and isinstance(value, Enum):
                coerced = memo.get(id(value))  # members live as long as their class
                if coerced is None:
                    coerced = memo[id(value)] = coerce(value)
            else:
                coerced = coerce(_checked(value, is_awaitable))
            if coerced is None or coerced is Undefined:
                raise GiveUp
            return coerced

        return leaf
