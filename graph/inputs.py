"""Input objects built from their GraphQL value with what is known at schema
build time.

strawberry converts an input object's value on every call by resolving each
field's type annotation and GraphQL name again (``convert_argument``): ~9 %
of a ``trackUsage`` call's CPU. ``from_input`` (the hook strawberry offers
for types that build their own value) is set here on every input type: the
fields' names and types are resolved once; a field of a built-in scalar type
(or an optional one) takes its value as graphql-core coerced it, which is
what strawberry does for leaf types; any other field (enums, lists, nested
inputs, custom scalars) is converted by strawberry itself
(``InputContext.convert``). As strawberry's own path, a field the client
omitted and that has no default is None, and the class is called with the
fields as keyword arguments.

strawberry skips its ``Maybe`` null check for types that set ``from_input``,
so a type with a ``Maybe`` field keeps strawberry's path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import MISSING
from typing import Any

from strawberry import ID
from strawberry.schema.schema import Schema
from strawberry.types.arguments import InputContext
from strawberry.types.base import StrawberryMaybe, StrawberryObjectDefinition, StrawberryOptional

# Values strawberry passes on unchanged (graphql-core has coerced them).
_BUILT_IN = frozenset({str, int, float, bool, ID})

Builder = Callable[[type, Mapping[str, Any], InputContext], Any]


def _plain(type_: Any) -> bool:
    inner = type_.of_type if isinstance(type_, StrawberryOptional) else type_
    return inner in _BUILT_IN


def _builder(schema: Schema, definition: StrawberryObjectDefinition) -> Builder | None:
    """The definition's ``from_input``, or None where strawberry's path stays."""
    fields = []
    for field in definition.fields:
        type_ = field.resolve_type(type_definition=definition)
        if isinstance(type_, StrawberryMaybe):
            return None
        name = schema.config.name_converter.from_field(field)
        fields.append((name, field.python_name, type_, _plain(type_)))
    absent = {
        field.python_name: None
        for field in definition.fields
        if field.default_value is MISSING and field.default_factory is MISSING
    }

    def build(cls: type, value: Mapping[str, Any], context: InputContext) -> Any:
        kwargs: dict[str, Any] = dict(absent)
        for name, python_name, type_, plain in fields:
            if name in value:
                given = value[name]
                kwargs[python_name] = given if plain else context.convert(given, type_, name)
        return cls(**kwargs)

    return build


def build_inputs_once(schema: Schema) -> None:
    """Set ``from_input`` on every input type of ``schema`` that has none."""
    for entry in schema.schema_converter.type_map.values():
        definition = entry.definition
        if (
            isinstance(definition, StrawberryObjectDefinition)
            and definition.is_input
            and definition.from_input is None
        ):
            definition.from_input = _builder(schema, definition)
