"""The cached public ``plans`` answer: served without SQL, never stale once the
catalog version moved (in this process at once, in another within a poll),
never for a request with a token or a private field, bounded."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import httpx

from billing.catalog import sync_catalog
from billing.catalog_version import CatalogWatch
from billing.plans_file import load_catalog
from billing.stripe_gateway import StripeGateway
from models.catalog import Plan
from server.response_cache import Lru, ResponseCache
from tests.conftest import DATABASE_URL, LiveServer, bearer, make_settings
from tests.processes import clean_env, free_port, wait_until_ready
from tests.querycount import count_queries

PLANS = "{ plans { id name price { amount } } }"


def _names(body: dict[str, object]) -> dict[str, str]:
    return {p["id"]: p["name"] for p in body["data"]["plans"]}  # type: ignore[index]


async def test_a_repeated_plans_query_is_answered_without_sql(shop: LiveServer) -> None:
    with count_queries() as first_statements:
        first = await shop.gql(PLANS)
    # Spacing, comments and a different variables object order do not make another entry.
    respaced = "# the catalog\nquery {\n  plans { id   name price { amount } }\n}"
    with count_queries() as repeat_statements:
        again = await shop.gql(PLANS)
        respaced_answer = await shop.gql(respaced)
    assert len(first_statements) == 2, first_statements
    assert repeat_statements == []
    assert again == first == respaced_answer
    assert len(first["data"]["plans"]) == 4


async def test_a_catalog_change_in_this_process_is_served_at_once(
    shop: LiveServer, tmp_path: Path
) -> None:
    assert (await shop.gql(PLANS))["data"]["plans"][1]["price"]["amount"] == 999
    changed = tmp_path / "plans.toml"
    text = Path("billing/default_catalog.toml").read_text()
    changed.write_text(text.replace("monthly = 999\n", "monthly = 1299\n"))

    await sync_catalog(load_catalog(changed), StripeGateway(shop.settings))

    premium = (await shop.gql(PLANS))["data"]["plans"][1]
    assert (premium["id"], premium["price"]["amount"]) == ("premium", 1299)


async def test_requests_with_a_token_or_a_private_field_are_never_cached(shop: LiveServer) -> None:
    mixed = "{ plans { id } me { userId } }"
    for _ in range(2):
        with count_queries() as with_token:
            body = await shop.gql(PLANS, headers=bearer("user-1"))
        assert len(with_token) == 2 and len(body["data"]["plans"]) == 4
    first = await shop.gql(mixed, headers=bearer("user-1"))
    second = await shop.gql(mixed, headers=bearer("user-2"))
    anonymous = await shop.gql(mixed)
    assert first["data"]["me"]["userId"] == "user-1"
    assert second["data"]["me"]["userId"] == "user-2"
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_the_caches_are_bounded() -> None:
    lru: Lru[int, int] = Lru(3)
    for n in range(10):
        lru.put(n, n)
    assert len(lru) == 3 and lru.get(6) is None and lru.get(9) == 9

    cache = ResponseCache(CatalogWatch())
    headers = [(b"content-type", b"application/json")]
    # An answer with errors is never kept.
    refused = cache.key(headers, b'{"query": "{ plans { nope } }"}')
    assert refused is not None
    cache.put(refused, cache.watch.version, b'{"data": null, "errors": [{"message": "x"}]}', [])
    assert len(cache.answers) == 0
    keys = {
        cache.key(headers, b'{"query": "{ a%d: plans { id } }"}' % n)
        for n in range(cache.documents.maxsize + 50)
    }
    assert None not in keys and len(cache.documents) == cache.documents.maxsize
    for key in keys:
        assert key is not None
        cache.put(key, cache.watch.version, b'{"data": {"plans": []}}', [])
    assert len(cache.answers) == cache.answers.maxsize


def _plans_from(port: int) -> dict[str, str]:
    answer = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": PLANS}, timeout=30)
    assert answer.status_code == 200, answer.text
    return _names(answer.json())


async def test_a_change_made_by_another_process_is_served_within_a_poll(
    db: str, sandbox, tmp_path: Path
) -> None:
    """A real `billgraph serve` caches plans; this process renames a plan in the
    database behind its back (no hook of the server's runs). The server must
    answer the new name within a few polls and never the old one after."""
    await sync_catalog(load_catalog(None), StripeGateway(make_settings(sandbox)))
    port = free_port()
    server = await asyncio.to_thread(
        subprocess.Popen,
        [sys.executable, "-m", "server", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=clean_env(
            DATABASE_URL=DATABASE_URL,
            STRIPE_SECRET_KEY=sandbox.secret_key,
            STRIPE_API_BASE=sandbox.url,
            STRIPE_WEBHOOK_SECRET="whsec_unused",
            JWT_SECRET="x" * 40,
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        await asyncio.to_thread(wait_until_ready, server, f"http://127.0.0.1:{port}")
        before = await asyncio.to_thread(_plans_from, port)
        assert before["premium"] == "Premium"
        assert await asyncio.to_thread(_plans_from, port) == before  # now from its cache

        await Plan.filter(key="premium").update(name="Premium 2027")

        deadline = time.monotonic() + 10
        while (names := await asyncio.to_thread(_plans_from, port))["premium"] == "Premium":
            assert time.monotonic() < deadline, "the server kept serving the old catalog"
            await asyncio.sleep(0.05)
        assert names["premium"] == "Premium 2027"
        for _ in range(20):
            assert (await asyncio.to_thread(_plans_from, port))["premium"] == "Premium 2027"
    finally:
        server.terminate()
        server.communicate(timeout=30)
