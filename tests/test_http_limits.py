"""Abusive or malformed requests get a 4xx or a GraphQL error, never a 500."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import strawberry
from httpx import ASGITransport, AsyncClient
from starlette.applications import Starlette
from starlette.routing import Route, Router
from strawberry.asgi import GraphQL
from strawberry.extensions.validation_cache import _get_validate_cache
from tortoise.context import TortoiseContext

from graph.extensions import MAX_ALIASES, MAX_DEPTH, BillgraphSchema, schema_extensions
from graph.prepared import prepare
from models.database import tortoise_config
from models.webhooks import WebhookEvent
from server.app import RequestIds
from server.refusals import MAX_BODY_BYTES
from tests.conftest import DATABASE_URL, LiveServer, bearer, make_settings, start_server
from tests.test_webhooks import deliver, event


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
    first, second = [(await server.client.get("/healthz")).headers["x-request-id"] for _ in "ab"]
    assert first != second and all(len(i) == 32 and int(i, 16) >= 0 for i in (first, second))


async def test_graphql_posts_skip_the_router(
    server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A POST to /graphql goes straight to the view, under the request id, CORS
    and body-limit middlewares (server/app.py GraphQLPosts); anything else is
    routed as before."""
    routed: list[tuple[str, str]] = []
    original = Router.__call__

    async def counting(self: Router, scope: Any, receive: Any, send: Any) -> None:
        routed.append((scope["method"], scope["path"]))
        await original(self, scope, receive, send)

    monkeypatch.setattr(Router, "__call__", counting)
    query = {"query": "{ plans { id } }"}
    posted = await server.client.post("/graphql", json=query)
    got = await server.client.get("/graphql", params=query)
    put = await server.client.put("/graphql", json=query)
    too_big = await server.client.post("/graphql", content=b" " * (MAX_BODY_BYTES + 1))
    assert posted.json() == got.json() == {"data": {"plans": []}}
    assert len(posted.headers["x-request-id"]) == 32
    assert (put.status_code, too_big.status_code) == (405, 413)
    assert routed == [("GET", "/graphql"), ("PUT", "/graphql")]


def test_a_forked_worker_draws_its_own_request_ids() -> None:
    """Ids are a per-process prefix and a counter: a forked child (a worker)
    must not repeat its parent's."""
    ids = RequestIds()
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        os.write(writing, ids.next().encode())
        os._exit(0)
    os.waitpid(child, 0)
    theirs = os.read(reading, 64).decode()
    os.close(reading), os.close(writing)
    ours = ids.next()
    assert len(theirs) == len(ours) == 32 and theirs[:16] != ours[:16]


async def test_readyz_checks_the_database(server: LiveServer) -> None:
    response = await server.client.get("/readyz")
    assert response.json() == {"status": "ok", "database": "up"}


async def test_unexpected_errors_are_masked_and_logged(caplog) -> None:
    @strawberry.type
    class Query:
        @strawberry.field
        def broken(self) -> str:
            raise RuntimeError("secret detail sk_test_123")

    schema = BillgraphSchema(query=Query, extensions=schema_extensions())

    class View(GraphQL):
        async def get_context(self, request, response):
            return type("Ctx", (), {"request_id": "req-42"})()

    app = Starlette(routes=[Route("/graphql", View(schema))])
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as client:
        with caplog.at_level(logging.INFO):
            response = await client.post("/graphql", json={"query": "{ broken }"})
    error = response.json()["errors"][0]
    assert error["message"] == "Unexpected error."
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-42"}
    assert "sk_test_123" not in response.text
    # One record, with the traceback and the request id (strawberry logged a second).
    [record] = [r for r in caplog.records if r.exc_info]
    assert record.name == "billgraph.graph" and "req-42" in record.getMessage()


async def test_graphiql_introspection_fits_the_limits(server: LiveServer) -> None:
    from graphql import get_introspection_query

    body = await server.gql(get_introspection_query(descriptions=True))
    assert "errors" not in body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_a_repeated_query_is_validated_once(server: LiveServer) -> None:
    """POSTed, a document is prepared (parsed and validated) once; over GET,
    strawberry's validation cache, keyed by the rule classes, hits: per-request
    classes would make every request validate the query again. (With a token,
    so that the answer does not come from the response cache.)"""
    query = "query Repeated { plans { id name prices { interval } } }"
    for cache, send in (
        (prepare, lambda: server.gql(query, headers=bearer())),
        (
            _get_validate_cache(512),
            lambda: server.client.get("/graphql", params={"query": query}, headers=bearer()),
        ),
    ):
        await send()
        before = cache.cache_info()
        for _ in range(3):
            await send()
        after = cache.cache_info()
        assert (after.hits - before.hits, after.misses - before.misses) == (3, 0)


# ------------------------------------------------------- fragment fan-out


def fan_out(levels: int) -> str:
    """Each fragment spreads the next twice: 2^(levels+1) fields once expanded,
    in a document of about 42 bytes per level."""
    fragments = " ".join(
        f"fragment F{i} on Plan {{ ...F{i + 1} ...F{i + 1} id }}" for i in range(levels)
    )
    return f"{{ plans {{ ...F0 }} }} {fragments} fragment F{levels} on Plan {{ id }}"


@contextmanager
def server_on_its_own_loop() -> Iterator[str]:
    """A live server on a thread with its own event loop: if a request blocks
    that loop, the test's loop still runs and sees it as timeouts, not a hang.
    It opens its own connections: the session's belong to the test's loop (a
    connection used from another loop is replaced, and the replaced one's
    worker thread would keep pytest from exiting)."""
    started: list[LiveServer] = []
    ready = threading.Event()

    async def serve() -> None:
        async with TortoiseContext() as context:
            await context.init(config=tortoise_config(DATABASE_URL))
            live = await start_server(make_settings())
            started.append(live)
            ready.set()
            await live.task
            await live.client.aclose()

    thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
    thread.start()
    assert ready.wait(timeout=30), "the server did not start"
    try:
        yield started[0].url
    finally:
        started[0].server.should_exit = True
        thread.join(timeout=10)


async def test_fragment_fan_out_is_refused_at_once_while_healthz_answers() -> None:
    document = fan_out(40)
    assert len(document) < 2048
    with server_on_its_own_loop() as url:
        async with httpx.AsyncClient(base_url=url, timeout=5) as client:
            started = time.perf_counter()
            refused, *probes = await asyncio.gather(
                client.post("/graphql", json={"query": document}),
                *(client.get("/healthz") for _ in range(5)),
            )
            elapsed = time.perf_counter() - started
    assert [p.status_code for p in probes] == [200] * 5
    [error] = refused.json()["errors"]
    assert error["message"] == f"{2**41} fields once fragments are expanded. Allowed: 2000"
    assert elapsed < 1  # 0.1 s here; before, 20 levels took 7.5 s and 40 never ended


async def test_fragments_reused_a_few_times_still_run(server: LiveServer) -> None:
    body = await server.gql(fan_out(5))  # 64 fields once expanded
    assert body == {"data": {"plans": []}}


def _chain(levels: int) -> str:
    """Fragments nesting one field deeper each: depth counts through spreads."""
    fragments = " ".join(
        f"fragment D{i} on Plan {{ prices {{ ...D{i + 1} }} }}" for i in range(levels)
    )
    return f"{{ plans {{ ...D0 }} }} {fragments} fragment D{levels} on Plan {{ id }}"


ALIASES = "fragment A on Plan { " + " ".join(f"a{i}: id" for i in range(10)) + " }"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (_chain(11), f"'anonymous' exceeds maximum operation depth of {MAX_DEPTH}"),
        ("{ plans { ...A ...A ...A ...A } } " + ALIASES,
         f"40 aliases found. Allowed: {MAX_ALIASES}"),
        (
            "{ plans { ...A } } fragment A on Plan { ...B } fragment B on Plan { ...A }",
            "Cannot spread fragment 'A' within itself via 'B'.",
        ),
        ("{ plans { ...Nowhere } }", "Unknown fragment 'Nowhere'."),
    ],
)  # fmt: skip
async def test_fragments_are_measured_where_spread(
    server: LiveServer, document: str, message: str
) -> None:
    body = await server.gql(document)
    assert body["data"] is None
    assert message in [e["message"] for e in body["errors"]]
    await _still_serving(server)


async def test_overlap_check_work_is_bounded(server: LiveServer) -> None:
    """A valid 2,000-token document that keeps graphql-core's overlap check
    busy for 0.7 s: refused once it spends OVERLAP_BUDGET."""
    document = "{ plans { " + "limits { feature } prices { interval } " * 240 + "} }"
    body = await server.gql(document)
    assert body["data"] is None
    assert body["errors"][0]["message"] == "Validation aborted."


# ------------------------------------------------------------- body size


async def _raw_request(server: LiveServer, head: str) -> bytes:
    """Send only a request head; return what the server answers within 5 s."""
    host, port = server.url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(head.encode())
        await writer.drain()
        return await asyncio.wait_for(reader.read(65536), timeout=5)
    finally:
        writer.close()


async def test_declared_large_body_is_refused_before_it_is_sent(server: LiveServer) -> None:
    answer = await _raw_request(
        server,
        "POST /graphql HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        f"Content-Length: {150 * 1024 * 1024}\r\n\r\n",
    )
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413")
    assert json.loads(body) == {"error": f"body larger than {MAX_BODY_BYTES} bytes"}
    await _still_serving(server)


async def test_chunked_large_body_is_refused_while_streaming(server: LiveServer) -> None:
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        yield b'{"query": "{ plans { id } }", "variables": {"pad": "'
        for _ in range(32):  # 2 MiB in 64 KiB chunks
            sent += 65536
            yield b"x" * 65536
        yield b'"}}'

    response = await server.client.post(
        "/graphql", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in response.request.headers  # really chunked
    assert response.status_code == 413
    assert response.json()["error"].startswith("body larger than")
    await _still_serving(server)


async def test_body_at_the_cap_is_accepted(server: LiveServer) -> None:
    head = b'{"query": "{ plans { id } }", "variables": {"pad": "'
    tail = b'"}}'
    body = head + b"x" * (MAX_BODY_BYTES - len(head) - len(tail)) + tail
    response = await server.client.post(
        "/graphql", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"data": {"plans": []}}


# ------------------------------------------------------ malformed input


@pytest.mark.parametrize(
    "body",
    [
        b'{"query": "{ plans { id } }", "variables": {"x": ' + b"[" * 100_000 + b"]" * 100_000
        + b"}}",
        b'{"query": "{ plans { id } }", "variables": {"x": "\xff\xfe"}}',
    ],
    ids=["deeply-nested", "invalid-utf8"],
)  # fmt: skip
async def test_unparsable_bodies_are_a_400_with_a_json_reason(
    server: LiveServer, body: bytes
) -> None:
    response = await server.client.post(
        "/graphql", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json() == {"error": "Unable to parse request body as UTF-8 JSON"}
    await _still_serving(server)


@pytest.mark.parametrize(
    "position",
    [
        ["2026-01-01T00:00:00+00:00", 5],
        ["2026-01-01T00:00:00+00:00", {"hex": "00"}],
        ["2026-01-01T00:00:00", "00000000-0000-0000-0000-000000000000"],
        "[" * 50_000 + "]" * 50_000,
    ],
    ids=["int-id", "object-id", "naive-time", "deeply-nested"],
)
async def test_malformed_cursor_is_invalid_input(server: LiveServer, position: object) -> None:
    raw = position.encode() if isinstance(position, str) else json.dumps(position).encode()
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    body = await server.gql(
        "query ($after: String) { payments(after: $after) { totalCount } }",
        {"after": cursor},
        headers=bearer("user-1"),
    )
    [error] = body["errors"]
    assert (error["message"], error["extensions"]["code"]) == ("Malformed cursor.", "INVALID_INPUT")


@pytest.mark.parametrize(
    ("change", "invalid"),
    [
        ({"created": 10**30}, "created"),
        ({"created": -1}, "created"),
        ({"created": "1700000000"}, "created"),
        ({"created": True}, "created"),
        ({"id": "evt_" + "x" * 300}, "id"),
        ({"type": ["charge.succeeded"]}, "type"),
        ({"api_version": {"v": 1}}, "api_version"),
        # 930 levels parsed, then failed to be stored (RecursionError, a 500)
        ({"data": {"object": {"id": "b", "deep": json.loads("[" * 930 + "]" * 930)}}},
         "nesting (at most 64 levels)"),
    ],
    ids=["created-huge", "created-negative", "created-text", "created-bool", "id-long",
         "type-list", "version-object", "nested-930"],
)  # fmt: skip
async def test_signed_webhook_with_fields_that_do_not_fit_is_a_400(
    db, sandbox, change: dict[str, object], invalid: str
) -> None:
    live = await start_server(make_settings(sandbox))
    try:
        response = await deliver(live, {**event("balance.available", {"id": "b"}), **change})
    finally:
        await live.stop()
    assert response.status_code == 400, response.text
    assert response.json() == {"error": f"not a Stripe event: invalid {invalid}"}
    assert await WebhookEvent.all().count() == 0
