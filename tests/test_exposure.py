"""What billgraph shows the world: one-line refusals in its logs, no-store
answers, introspection and GraphiQL per deployment, CORS origins per mode."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest

from billing.errors import ConfigError
from billing.settings import load_settings
from server.graphiql import ASSET_URL_PREFIX
from server.graphiql_assets import graphiql_assets
from server.refusals import MAX_BODY_BYTES
from tests.conftest import LiveServer, bearer, make_settings, start_server

LIVE = {"stripe_secret_key": "sk_live_" + "z" * 24, "stripe_api_base": None}
INTROSPECTION = "{ __schema { queryType { name } } }"
JSON = {"Content-Type": "application/json"}


@pytest.fixture
async def server(db) -> AsyncIterator[LiveServer]:
    """Test mode (a key, Stripe never called), so the webhook endpoint is on."""
    live = await start_server(make_settings(stripe_secret_key="sk_test_x"))
    yield live
    await live.stop()


async def _serve(**settings: Any) -> LiveServer:
    return await start_server(make_settings(**settings))


# ------------------------------------------------------------------ logs


async def test_ordinary_refusals_are_one_line_each(server: LiveServer, caplog) -> None:
    forged = {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"}
    unsigned = {"Stripe-Signature": "t=1,v1=00"}
    requests = {
        "UNAUTHENTICATED": {"json": {"query": "{ me { userId } }"}, "headers": forged},
        "FORBIDDEN": {"json": {"query": "{ serviceInfo { database } }"}, "headers": bearer()},
        "INVALID_QUERY": {"json": {"query": "{ plans { nope } }"}},
        "status=400": {"content": b"{not json", "headers": JSON},
        "status=413": {"content": b" " * (MAX_BODY_BYTES + 1), "headers": JSON},
        "webhook refused": {"url": "/webhooks/stripe", "json": {}, "headers": unsigned},
    }
    with caplog.at_level(logging.INFO):
        answers = {
            what: await server.client.post(**{"url": "/graphql", **request})
            for what, request in requests.items()
        }
    for what, response in answers.items():
        request_id = response.headers["x-request-id"]
        [line] = [r for r in caplog.records if request_id in r.getMessage()]
        assert what in line.getMessage()
        assert line.levelno in (logging.INFO, logging.WARNING)
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not [r for r in caplog.records if "eyJ" in r.getMessage()]  # no token


# ------------------------------------------------------------- no-store


async def test_graphql_answers_are_never_cached(server: LiveServer) -> None:
    query = {"query": "{ plans { id } }"}
    answers = [
        await server.client.post("/graphql", json=query),
        await server.client.get("/graphql", params=query),
        await server.client.post("/graphql", content=b"[", headers=JSON),
    ]
    assert [a.status_code for a in answers] == [200, 200, 400]
    assert [a.headers.get("cache-control") for a in answers] == ["no-store"] * 3


# ---------------------------------------------- introspection and GraphiQL


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({}, True),
        ({"stripe_secret_key": "sk_test_x", "stripe_api_base": None}, True),
        (LIVE, False),
        ({**LIVE, "graphql_introspection": True}, True),
        ({"graphql_introspection": False}, False),
    ],
    ids=["sandbox", "test-key", "live-key", "live-key-enabled", "sandbox-disabled"],
)
def test_introspection_is_off_with_a_live_key_unless_enabled(settings, expected) -> None:
    assert make_settings(**settings).introspection is expected


def test_introspection_setting_is_read_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_test_x")
    monkeypatch.setenv("GRAPHQL_INTROSPECTION", "false")
    assert load_settings(_env_file=None).introspection is False


def test_a_bad_introspection_value_names_the_variable(monkeypatch) -> None:
    monkeypatch.setenv("GRAPHQL_INTROSPECTION", "perhaps")
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None)
    assert caught.value.variable == "GRAPHQL_INTROSPECTION"


async def test_live_deployment_hides_the_schema_and_graphiql(db) -> None:
    live = await _serve(**LIVE)
    try:
        schema = await live.gql(INTROSPECTION)
        plans = await live.gql("{ __typename plans { id } }")
        page = await live.client.get("/graphql", headers={"Accept": "text/html"})
        asset = await live.client.get(f"{ASSET_URL_PREFIX}/{graphiql_assets()[0].relpath}")
    finally:
        await live.stop()
    assert schema["data"] is None
    assert "introspection has been disabled" in schema["errors"][0]["message"]
    assert plans == {"data": {"__typename": "Query", "plans": []}}
    assert (page.status_code, asset.status_code) == (404, 404)


async def test_live_deployment_can_enable_them(db) -> None:
    live = await _serve(**LIVE, graphql_introspection=True)
    try:
        schema = await live.gql(INTROSPECTION)
        page = await live.client.get("/graphql", headers={"Accept": "text/html"})
        asset = await live.client.get(f"{ASSET_URL_PREFIX}/{graphiql_assets()[0].relpath}")
    finally:
        await live.stop()
    assert schema == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    assert asset.status_code == 200


# ------------------------------------------------------------------ CORS


@pytest.mark.parametrize(
    ("api_base", "mode", "allowed"),
    [
        ("http://127.0.0.1:12111", "sandbox", True),
        ("http://localhost:12111", "sandbox", True),
        ("https://stripe-proxy.example.com", "test", False),
        (None, "test", False),
    ],
)
async def test_local_dev_origins_only_in_sandbox_mode(
    db, api_base: str | None, mode: str, allowed: bool
) -> None:
    settings = {"stripe_secret_key": "sk_test_x", "stripe_api_base": api_base}
    assert make_settings(**settings).stripe_mode == mode
    live = await _serve(**settings)
    try:
        preflight = await live.client.options(
            "/graphql",
            headers={
                "Origin": "http://localhost:3000",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )
    finally:
        await live.stop()
    origin = preflight.headers.get("access-control-allow-origin")
    assert origin == ("http://localhost:3000" if allowed else None)
