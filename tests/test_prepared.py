"""graph/prepared.py: POSTed operations answered as strawberry's Schema.execute
answers them, refusals left to strawberry."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import pytest
import strawberry
from strawberry.http import process_result
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graph.execution import LeanExecutionContext
from graph.extensions import MAX_ALIASES, MAX_TOKENS, BillgraphSchema, schema_extensions
from graph.prepared import execute, executor_class, prepare
from tests.conftest import LiveServer, bearer, make_settings, start_server


@strawberry.type
class Stamp:
    note: str

    @strawberry.field
    def seen_by(self, info: strawberry.Info) -> str:
        return str(info.context.request_id)


@strawberry.type
class Query:
    @strawberry.field
    def hello(self, name: str) -> str:
        return f"hi {name}"

    @strawberry.field
    def stamps(self) -> list[Stamp]:
        return [Stamp(note="a"), Stamp(note="b")]

    @strawberry.field
    async def later(self) -> int:
        return 3

    @strawberry.field
    def broken(self) -> str:
        raise RuntimeError("secret detail sk_test_123")


@strawberry.type
class Mutation:
    @strawberry.mutation
    def bump(self, by: int) -> int:
        return by + 1

    @strawberry.mutation
    async def stamp(self, note: str) -> Stamp:
        return Stamp(note=note)


SCHEMA = BillgraphSchema(
    query=Query,
    mutation=Mutation,
    extensions=schema_extensions(),
    execution_context_class=LeanExecutionContext,
)
# Not a graph.context.Context: QueryLimits then allows introspection.
CONTEXT = SimpleNamespace(request_id="req-7")
TWO = 'query A { later } query B { hello(name: "x") }'


@pytest.mark.parametrize(
    ("query", "variables", "name"),
    [
        ('{ hello(name: "a") later }', None, None),
        ("query Q($n: String!) { hello(name: $n) }", {"n": "b"}, None),
        ("query Q($n: String!) { hello(name: $n) }", {"n": 3}, None),  # a bad variable
        ("query Q($n: String!) { hello(name: $n) }", {}, None),  # a missing one
        ("{ broken later }", None, None),  # a bug: masked, logged with its request id
        (TWO, None, "B"),
        (TWO, None, None),  # strawberry runs the first operation
        ("mutation { bump(by: 2) }", None, None),
    ],
)
async def test_answers_and_logs_as_schema_execute(
    query: str, variables: dict[str, Any] | None, name: str | None, caplog: Any
) -> None:
    prepared = prepare(SCHEMA, query, name, True)
    assert prepared is not None
    with caplog.at_level(logging.INFO, logger="billgraph.graph"):
        ours = process_result(await execute(SCHEMA, prepared, variables, CONTEXT, None))
        ours_logged = [(r.levelno, r.getMessage(), bool(r.exc_info)) for r in caplog.records]
        caplog.clear()
        theirs = process_result(await SCHEMA.execute(query, variables, CONTEXT, None, name))
        theirs_logged = [(r.levelno, r.getMessage(), bool(r.exc_info)) for r in caplog.records]
    assert ours == theirs
    assert ours_logged == theirs_logged
    assert "sk_test_123" not in repr(ours)


@pytest.mark.parametrize(
    ("query", "name", "introspection"),
    [
        ("{ hello(", None, True),  # syntax
        ("{ nope }", None, True),  # unknown field
        ("query A { later }", "B", True),  # no such operation
        ("{ __schema { queryType { name } } }", None, False),  # introspection off
        ("{ " + "later " * MAX_TOKENS + "}", None, True),  # too many tokens
        ("{ " + " ".join(f"a{n}: later" for n in range(MAX_ALIASES + 1)) + " }", None, True),
        ("subscription { later }", None, True),  # no subscription root; never over POST
    ],
)
def test_documents_strawberry_would_refuse_are_not_prepared(
    query: str, name: str | None, introspection: bool
) -> None:
    assert prepare(SCHEMA, query, name, introspection) is None


def test_introspection_is_prepared_where_it_is_on() -> None:
    assert prepare(SCHEMA, "{ __schema { queryType { name } } }", None, True) is not None


@pytest.fixture
async def server(db: str) -> AsyncIterator[LiveServer]:
    live = await start_server(make_settings())
    yield live
    await live.stop()


async def test_a_post_answers_as_strawberrys_view(server: LiveServer) -> None:
    """The same query POSTed (prepared) and over GET (strawberry's view)."""
    query = "query Me { me { userId roles } }"
    posted = await server.client.post("/graphql", json={"query": query}, headers=bearer())
    got = await server.client.get("/graphql", params={"query": query}, headers=bearer())
    assert posted.status_code == got.status_code == 200
    assert posted.content == got.content
    assert posted.json() == {"data": {"me": {"userId": "user-1", "roles": []}}}
    for header in ("content-type", "content-length", "cache-control"):
        assert posted.headers[header] == got.headers[header]
    assert posted.headers["x-request-id"] != got.headers["x-request-id"]
    # A bad variable: the errors as strawberry's view gives them.
    query = "query L($u: ID) { usageLimits(userId: $u) { feature } }"
    posted = await server.client.post(
        "/graphql", json={"query": query, "variables": {"u": [1]}}, headers=bearer()
    )
    got = await server.client.get(
        "/graphql", params={"query": query, "variables": '{"u": [1]}'}, headers=bearer()
    )
    assert posted.content == got.content and "errors" in posted.json()


def test_a_plan_where_no_selection_reads_variables() -> None:
    """Compiled once per document (a plan) where the fields collected are the
    same whatever the variables; a mutation without one is not worth compiling
    for its one payload (graph/execution.py), a query's pages are."""
    mutation = prepare(SCHEMA, "mutation { bump(by: 1) }", None, True)
    skipping = prepare(SCHEMA, "mutation M($s: Boolean!) { bump(by: 1) @skip(if: $s) }", None, True)
    query = prepare(SCHEMA, "query Q($s: Boolean!) { later @include(if: $s) }", None, True)
    assert mutation is not None and skipping is not None and query is not None
    assert mutation.plan is not None and skipping.plan is None and query.plan is None
    assert executor_class(SCHEMA, mutation) is LeanExecutionContext
    assert executor_class(SCHEMA, skipping) is StrawberryGraphQLCoreExecutionContext
    assert executor_class(SCHEMA, query) is LeanExecutionContext


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("mutation M($n: String!) { stamp(note: $n) { note seenBy } }", {"n": "x"}),
        ("{ stamps { note seenBy } later }", None),
    ],
)
async def test_a_plan_serves_each_request_with_its_own_context(
    query: str, variables: dict[str, Any] | None
) -> None:
    """The plan's compiled fields run with each request's context (``seenBy``
    reads it), answer as Schema.execute does, and are compiled by the first
    request only."""
    prepared = prepare(SCHEMA, query, None, True)
    assert prepared is not None and prepared.plan is not None
    sizes = []
    for n in range(3):
        context = SimpleNamespace(request_id=f"req-{n}")
        values = {"n": f"note {n}"} if variables else None
        ours = process_result(await execute(SCHEMA, prepared, values, context, None))
        theirs = process_result(await SCHEMA.execute(query, values, context))
        assert ours == theirs and f"req-{n}" in repr(ours) and "errors" not in ours
        sizes.append((len(prepared.plan.sub_fields), len(prepared.plan.steps)))
    assert sizes[0] == sizes[1] == sizes[2] and sizes[0][1] > 0
