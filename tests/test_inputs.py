"""graph/inputs.py: input objects built once-resolved give what strawberry's own
conversion gives."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry

from graph.inputs import build_inputs_once
from graph.schema import schema as billgraph_schema


@strawberry.enum
class Size(Enum):
    SMALL = "small"
    LARGE = "large"


@strawberry.input
class Inner:
    label: str
    size: Size = Size.SMALL


@strawberry.input
class Outer:
    name: str
    count: int = 1
    ratio: float | None = None
    flag: bool | None = None
    user_id: strawberry.ID | None = strawberry.field(default=None, name="owner")
    inner: Inner | None = None
    many: list[Inner] = strawberry.field(default_factory=list)
    sizes: list[Size] | None = None


@strawberry.type
class Query:
    @strawberry.field
    def echo(self, value: Outer) -> str:
        return repr(value)


SCHEMA = strawberry.Schema(query=Query)
ECHO = "query($v: Outer!) { echo(value: $v) }"
VALUES: list[dict[str, Any]] = [
    {"name": "a"},
    {"name": "b", "count": 3, "ratio": 0.5, "flag": False, "owner": "u-1"},
    {"name": "c", "ratio": None, "inner": {"label": "x"}, "sizes": ["LARGE", "SMALL"]},
    {"name": "d", "inner": None, "many": [{"label": "y", "size": "LARGE"}, {"label": "z"}]},
]


def _echoes() -> list[str]:
    answers = []
    for value in VALUES:
        result = SCHEMA.execute_sync(ECHO, {"v": value})
        assert result.errors is None, result.errors
        answers.append(result.data["echo"])  # type: ignore[index]
        # a literal in the document as well as a variable
        result = SCHEMA.execute_sync('{ echo(value: {name: "lit", owner: 7}) }')
        assert result.errors is None, result.errors
        answers.append(result.data["echo"])  # type: ignore[index]
    return answers


def test_built_inputs_equal_strawberrys() -> None:
    definition = Outer.__strawberry_definition__  # type: ignore[attr-defined]
    assert definition.from_input is None
    theirs = _echoes()
    build_inputs_once(SCHEMA)
    try:
        assert definition.from_input is not None
        assert _echoes() == theirs
    finally:
        for type_ in (Outer, Inner):
            type_.__strawberry_definition__.from_input = None  # type: ignore[attr-defined]


def test_every_billgraph_input_is_built_once() -> None:
    inputs = [
        entry.definition
        for entry in billgraph_schema.schema_converter.type_map.values()
        if getattr(entry.definition, "is_input", False)
    ]
    assert inputs and all(definition.from_input is not None for definition in inputs)
