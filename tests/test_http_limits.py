"""Abusive or malformed requests get a 4xx or a GraphQL error, never a 500."""

from __future__ import annotations

import logging

import pytest
import strawberry
from httpx import ASGITransport, AsyncClient
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.extensions import AddValidationRules

from graph.extensions import MAX_ALIASES, MAX_DEPTH, schema_extensions
from tests.conftest import LiveServer, make_settings, start_server


@pytest.fixture
async def server(db):
    live = await start_server(make_settings())
    yield live
    await live.stop()


async def _still_serving(server: LiveServer) -> None:
    body = await server.gql("{ plans { id } }")
    assert body == {"data": {"plans": []}}


async def test_query_deeper_than_the_limit(server: LiveServer) -> None:
    # Our types are not that deep; the depth rule reads the document, not the types.
    query = "{ plans " + "{ prices " * 11 + "{ interval }" + " }" * 11 + " }"
    body = await server.gql(query)
    assert body["data"] is None
    assert any("exceeds maximum operation depth" in e["message"] for e in body["errors"])
    assert MAX_DEPTH == 10
    await _still_serving(server)


async def test_too_many_aliases(server: LiveServer) -> None:
    query = "{ " + " ".join(f"a{i}: plans {{ id }}" for i in range(100)) + " }"
    body = await server.gql(query)
    assert body["data"] is None
    assert f"{MAX_ALIASES}" in body["errors"][0]["message"]
    await _still_serving(server)


async def test_too_many_tokens(server: LiveServer) -> None:
    query = "{ plans { " + "id " * 3000 + "} }"
    body = await server.gql(query)
    assert body["data"] is None
    assert "token" in body["errors"][0]["message"].lower()


async def test_mutation_over_get_is_refused(server: LiveServer) -> None:
    response = await server.client.get("/graphql", params={"query": "mutation { x }"})
    assert 400 <= response.status_code < 500
    await _still_serving(server)


async def test_malformed_json(server: LiveServer) -> None:
    response = await server.client.post(
        "/graphql", content=b'{"query": "{ plans', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert "JSON" in response.text
    await _still_serving(server)


async def test_batching_is_off(server: LiveServer) -> None:
    response = await server.client.post(
        "/graphql", json=[{"query": "{ plans { id } }"}, {"query": "{ plans { id } }"}]
    )
    assert 400 <= response.status_code < 500


async def test_every_response_carries_a_request_id(server: LiveServer) -> None:
    response = await server.client.get("/healthz")
    assert response.status_code == 200 and len(response.headers["x-request-id"]) == 32


async def test_readyz_checks_the_database(server: LiveServer) -> None:
    response = await server.client.get("/readyz")
    assert response.json() == {"status": "ok", "database": "up"}


async def test_unexpected_errors_are_masked_and_logged(caplog) -> None:
    @strawberry.type
    class Query:
        @strawberry.field
        def broken(self) -> str:
            raise RuntimeError("secret detail sk_test_123")

    schema = strawberry.Schema(query=Query, extensions=schema_extensions())

    class View(GraphQL):
        async def get_context(self, request, response):
            return type("Ctx", (), {"request_id": "req-42"})()

    app = Starlette(routes=[Route("/graphql", View(schema))])
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as client:
        with caplog.at_level(logging.ERROR, logger="billgraph.graph"):
            response = await client.post("/graphql", json={"query": "{ broken }"})
    error = response.json()["errors"][0]
    assert error["message"] == "Unexpected error."
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-42"}
    assert "sk_test_123" not in response.text
    assert any("req-42" in r.getMessage() for r in caplog.records)


async def test_graphiql_introspection_fits_the_limits(server: LiveServer) -> None:
    from graphql import get_introspection_query

    body = await server.gql(get_introspection_query(descriptions=True))
    assert "errors" not in body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


def test_limiter_rules_are_built_once_so_validation_stays_cached() -> None:
    """The validation cache is keyed by the rule classes: per-request classes
    would make every request validate the query again."""
    factories = schema_extensions()  # once, as the schema does

    def rules_of_a_request() -> list[type]:
        extensions = [factory() for factory in factories]
        return [
            r for e in extensions if isinstance(e, AddValidationRules) for r in e.validation_rules
        ]

    assert len(rules_of_a_request()) == 2
    assert rules_of_a_request() == rules_of_a_request()
