"""What a GraphQL request costs: graph/execution.py's lean execution answers
exactly what graphql-core's answers, errors and their paths included, while
running far fewer fields through graphql-core's machinery; and the server keeps
what startup built out of the garbage collector's walks."""

from __future__ import annotations

import asyncio
import gc
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import pytest
import strawberry
from graphql.execution.executor import Executor as GraphQLCoreExecution

from graph.execution import LeanExecutionContext
from server.app import YOUNG_COLLECTION_THRESHOLD
from tests.conftest import LiveServer


@strawberry.enum
class Colour(Enum):
    RED = "red"
    GREEN = "green"


@strawberry.type
class Tag:
    name: str
    weight: int | None


@strawberry.type
class Item:
    id: strawberry.ID
    title: str
    note: str | None
    count: int
    ratio: float
    flag: bool
    colour: Colour
    when: datetime
    tags: list[Tag]
    maybe_tags: list[Tag | None] | None
    best: Tag | None
    required: Tag

    @strawberry.field
    def shout(self) -> str:
        return self.title.upper()

    @strawberry.field
    async def later(self) -> int:
        await asyncio.sleep(0)
        return self.count * 2

    @strawberry.field
    def fails(self) -> str:
        if self.count == 1:
            raise ValueError("item 1 fails")
        return "fine"

    @strawberry.field
    async def fails_later(self) -> str | None:
        await asyncio.sleep(0)
        if self.count == 2:
            raise ValueError("item 2 fails later")
        return "fine"

    @strawberry.field
    async def fails_later_non_null(self) -> str:
        await asyncio.sleep(0)
        if self.count == 3:
            raise ValueError("item 3 fails later, for its holder")
        return "fine"

    @strawberry.field(graphql_type=list[Tag])
    def resolved_tags(self) -> list[Tag] | Awaitable[list[Tag]]:
        """Synchronous (as a primed loader's ``refunds``), awaitable for item 2."""
        return self._tags_later() if self.count == 2 else self.tags

    async def _tags_later(self) -> list[Tag]:
        await asyncio.sleep(0)
        return self.tags

    @strawberry.field
    def pick(self) -> Tag:
        return self.required


@strawberry.type
class Holder:
    """Basic fields of an object type whose selection has resolvers."""

    item: Item
    maybe: Item | None


@strawberry.type
class Shelf:
    """Basic lists of object types whose selections have resolvers."""

    items: list[Item]
    holders: list[Holder]
    maybe_holders: list[Holder | None] | None
    some_holders: list[Holder] | None


def _item(n: int, **overrides: Any) -> Item:
    fields: dict[str, Any] = {
        "id": strawberry.ID(f"item-{n}"),
        "title": f"title {n}",
        "note": None if n % 2 else f"note {n}",
        "count": n,
        "ratio": n / 4,
        "flag": n % 3 == 0,
        "colour": Colour.RED if n % 2 else Colour.GREEN,
        "when": datetime(2026, 1, 1, n % 24, tzinfo=UTC),
        "tags": [Tag(name=f"t{n}", weight=n), Tag(name="x", weight=None)],
        "maybe_tags": None if n % 4 == 0 else [Tag(name="m", weight=1), None],
        "best": None if n % 2 else Tag(name="best", weight=9),
        "required": Tag(name="req", weight=0),
    }
    fields.update(overrides)
    return Item(**fields)


def _settled(value: Any) -> asyncio.Future[Any]:
    """An awaitable value (a future: unlike a coroutine it may stay unawaited)."""
    future = asyncio.get_running_loop().create_future()
    future.set_result(value)
    return future


# Values graphql-core treats specially: each must give the same answer and errors.
ODD: dict[str, Callable[[], dict[str, Any]]] = {
    "null in a non-null leaf": lambda: {"title": None},
    "null in a non-null object": lambda: {"required": None},
    "null inside a non-null list": lambda: {"tags": [Tag(name="a", weight=1), None]},
    "error value": lambda: {"title": ValueError("broken")},
    "awaitable value": lambda: {"title": _settled("awaited")},
    "awaitable object": lambda: {"best": _settled(Tag(name="awaited", weight=3))},
    "Int out of range": lambda: {"count": 2**40},
    "bool as Int": lambda: {"count": True},
    "int as String": lambda: {"title": 12},
    "float as Int": lambda: {"count": 3.0},
    "not a list": lambda: {"tags": Tag(name="lonely", weight=1)},
    "tuple as list": lambda: {"tags": (Tag(name="tuple", weight=2),)},
    "generator as list": lambda: {"tags": (Tag(name=n, weight=1) for n in "ab")},
    "wrong enum": lambda: {"colour": "purple"},
    "enum value for enum": lambda: {"colour": "red"},
    "null weight deep": lambda: {"maybe_tags": [Tag(name="m", weight=None)]},
}


def make_query(items: list[Item]) -> type:
    @strawberry.type
    class Query:
        @strawberry.field
        def items(self) -> list[Item]:
            return items

        @strawberry.field
        def first(self) -> Item:
            return items[0]

        @strawberry.field
        def holders(self) -> list[Holder | None]:
            return [Holder(item=item, maybe=item if item.count % 2 else None) for item in items]

        @strawberry.field
        def shelf(self) -> Shelf:
            holders = [Holder(item=item, maybe=item if item.count % 2 else None) for item in items]
            return Shelf(
                items=items,
                holders=holders,
                maybe_holders=[h if h.item.count % 3 else None for h in holders],
                some_holders=holders,
            )

    return Query


DOCUMENTS = [
    "{ items { id title note count ratio flag colour when } }",
    "{ items { __typename id tags { name weight } maybeTags { name weight } best { name } } }",
    "{ items { title shout later required { weight } } }",
    "{ first { a: title b: title c: count tags { n: name } } items { count } }",
    "fragment T on Tag { name weight } "
    "query { items { id tags { ...T } ... on Item { best { ...T } colour } } }",
    "query($s: Boolean!) { items { id @skip(if: $s) title @include(if: $s) "
    "tags @skip(if: $s) { name } } }",
    "{ holders { item { title shout required { name } } maybe { count later } } }",
    "{ holders { maybe { fails } item { count failsLater } } }",
    "{ holders { item { fails } } }",
    "{ holders { item { failsLaterNonNull } maybe { failsLaterNonNull } } }",
    "{ items { resolvedTags { name weight } pick { name } fails shout } }",
    "{ shelf { items { title shout later resolvedTags { name } } "
    "holders { item { count fails } maybe { failsLater } } } }",
    "{ shelf { maybeHolders { item { failsLaterNonNull } maybe { fails } } items { fails } } }",
    "{ shelf { holders { item { failsLaterNonNull } } } }",
    "{ shelf { items { count } someHolders { item { failsLaterNonNull count } } } }",
    "{ shelf { someHolders { item { fails } maybe { failsLaterNonNull } } } }",
]


async def _answers(items: Callable[[], list[Item]], document: str) -> tuple[str, str]:
    """The answer of the lean schema and of graphql-core's own execution, each
    over its own items."""
    answers = []
    for execution in (LeanExecutionContext, None):
        schema = strawberry.Schema(query=make_query(items()), execution_context_class=execution)
        result = await schema.execute(document, variable_values={"s": True})
        answers.append(
            json.dumps(
                {
                    "data": result.data,
                    "errors": [e.formatted for e in result.errors or ()],
                }
            )
        )
    return answers[0], answers[1]


@pytest.mark.parametrize("document", DOCUMENTS)
async def test_plain_values_answer_the_same(document: str) -> None:
    lean, stock = await _answers(lambda: [_item(n) for n in range(6)], document)
    assert lean == stock
    assert ('"errors": []' in lean) is ("fails" not in document)  # resolvers that raise


@pytest.mark.parametrize("case", sorted(ODD))
@pytest.mark.parametrize("document", DOCUMENTS)
async def test_odd_values_answer_the_same(case: str, document: str) -> None:
    lean, stock = await _answers(lambda: [_item(0), _item(1, **ODD[case]()), _item(2)], document)
    assert lean == stock


async def test_plain_fields_skip_graphql_cores_field_execution(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """50 items of 8 leaves and 2 nested lists, then lists of objects whose
    fields mix leaves with synchronous resolvers: graphql-core executes none
    of their fields; the stock execution runs every field through it."""
    executed: list[str] = []
    original = GraphQLCoreExecution.execute_field

    def counted(self: Any, parent_type: Any, *args: Any, **kwargs: Any) -> Any:
        executed.append(parent_type.name)
        return original(self, parent_type, *args, **kwargs)

    monkeypatch.setattr(GraphQLCoreExecution, "execute_field", counted)
    plain = DOCUMENTS[0].replace("when", "when tags { name weight } best { name }")
    mixed = "{ shelf { holders { item { title shout resolvedTags { name } pick { name } } } } }"
    # The root fields: ``items`` completes here; ``shelf`` (mixed objects) not yet.
    for document, lean, stock in (
        (plain, 0, 1 + 50 * 10 + 50 * 2 * 2 + 25),
        (mixed, 1, 2 + 50 * 8),
    ):
        for execution, expected in ((LeanExecutionContext, lean), (None, stock)):
            executed.clear()
            schema = strawberry.Schema(
                query=make_query([_item(n) for n in range(50)]), execution_context_class=execution
            )
            result = await schema.execute(document)
            assert result.errors is None
            assert len(executed) == expected, (execution, len(executed))


async def test_the_running_server_keeps_startup_objects_out_of_the_collector(
    api: LiveServer,
) -> None:
    """Frozen while the app runs: a full collection would walk every module,
    type and schema object again (about 1.5 ms of each payments page); and
    young collections are rarer than Python's default (every 700 allocations
    walked a page's live objects three times)."""
    assert gc.get_freeze_count() > 10_000
    assert gc.get_threshold()[0] == YOUNG_COLLECTION_THRESHOLD > 700
