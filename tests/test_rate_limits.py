"""Rate limits: per caller and operation class, refused before any side effect,
shared across server processes through Redis."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
import pytest
from limits import parse
from limits.aio.strategies import MovingWindowRateLimiter

from billing.errors import ConfigError
from billing.ratelimits import SweptMemoryStorage
from models.payments import Payment
from sandbox.process import SandboxProcess
from tests.conftest import (
    IS_POSTGRES,
    LiveServer,
    bearer,
    billgraph_env,
    make_settings,
    start_server,
    stripe_get,
)
from tests.processes import servers
from tests.redisserver import redis_server
from tests.test_payments import CREATE, payment_input

PAY = CREATE.replace("errors { code message field }", "errors { code message field retryAfter }")
ME = "{ me { userId } }"
PLANS = "{ plans { id } }"


async def _pay(client: httpx.AsyncClient, key: str, user: str = "user-a") -> dict[str, Any]:
    answer = await client.post(
        "/graphql",
        json={"query": PAY, "variables": {"input": payment_input(key)}},
        headers=bearer(user),
    )
    assert answer.status_code == 200, answer.text
    payload: dict[str, Any] = answer.json()["data"]["createPaymentIntent"]
    return payload


async def _in_stripe(sandbox: SandboxProcess) -> tuple[int, int]:
    """How many payment intents and customers the sandbox holds."""
    intents = await stripe_get(sandbox, "/v1/payment_intents", limit=100)
    customers = await stripe_get(sandbox, "/v1/customers", limit=100)
    return len(intents["data"]), len(customers["data"])


def _refused(payload: dict[str, Any]) -> None:
    """The payload carries RATE_LIMITED with retryAfter, and nothing else."""
    assert payload["payment"] is None and payload["clientSecret"] is None, payload
    [error] = payload["errors"]
    assert error["code"] == "RATE_LIMITED", error
    assert "30 per 15 min" in error["message"]
    assert 0 < error["retryAfter"] <= 15 * 60


async def test_the_31st_payment_in_15_minutes_is_refused_before_stripe(
    api: LiveServer, sandbox: SandboxProcess, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "billgraph.ratelimits")
    for n in range(30):
        assert (await _pay(api.client, f"order-{n}"))["errors"] == []
    assert await _in_stripe(sandbox) == (30, 1)

    _refused(await _pay(api.client, "order-30"))
    assert await _in_stripe(sandbox) == (30, 1)  # nothing sent to Stripe
    assert await Payment.filter(user_id="user-a").count() == 30  # nothing written
    [logged] = [r.getMessage() for r in caplog.records if r.name == "billgraph.ratelimits"]
    assert logged.startswith("rate limited user:user-a operation=createPaymentIntent")

    # Another user's budget and this user's other operations are untouched.
    assert (await _pay(api.client, "order-0", user="user-b"))["errors"] == []
    assert (await api.gql(ME, headers=bearer("user-a")))["data"]["me"]["userId"] == "user-a"


async def test_queries_get_a_top_level_rate_limited_error_and_budgets_are_settings(
    db: str, sandbox: SandboxProcess
) -> None:
    live = await start_server(make_settings(sandbox, rate_limit_default="2 per minute"))
    try:
        for _ in range(2):
            assert "errors" not in await live.gql(ME, headers=bearer("user-a"))
        body = await live.gql(ME, headers=bearer("user-a"))
        # A payment is another class, with its own (default) budget.
        paid = await _pay(live.client, "order-1")
    finally:
        await live.stop()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["path"] == ["me"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert 0 < error["extensions"]["retryAfter"] <= 60
    assert "2 per 1 min" in error["message"]
    assert paid["errors"] == []


async def test_calls_without_a_valid_token_share_one_budget_per_address(
    db: str, sandbox: SandboxProcess
) -> None:
    live = await start_server(make_settings(sandbox, rate_limit_anonymous="3 per minute"))
    try:
        first = [await live.gql(PLANS) for _ in range(2)]
        # A bad token is no identity: it spends the address's budget too.
        first.append(await live.gql(PLANS, headers={"Authorization": "Bearer not-a-token"}))
        refused = await live.gql(PLANS)
        signed_in = await live.gql(PLANS, headers=bearer("user-a"))
    finally:
        await live.stop()
    assert all("errors" not in body for body in first)
    assert refused["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert "errors" not in signed_in


async def test_rate_limits_can_be_turned_off(db: str, sandbox: SandboxProcess) -> None:
    live = await start_server(
        make_settings(sandbox, rate_limit_anonymous="1 per minute", rate_limit_enabled=False)
    )
    try:
        answers = [await live.gql(PLANS) for _ in range(3)]
    finally:
        await live.stop()
    assert all("errors" not in body for body in answers)


def test_bad_rate_limit_settings_name_the_variable() -> None:
    with pytest.raises(ConfigError) as bad_budget:
        make_settings(rate_limit_payments="lots")
    assert bad_budget.value.variable == "RATE_LIMIT_PAYMENTS"
    with pytest.raises(ConfigError) as bad_storage:
        make_settings(rate_limit_storage="memcached://127.0.0.1:11211")
    assert bad_storage.value.variable == "RATE_LIMIT_STORAGE"


async def test_an_unreachable_redis_does_not_stop_the_api(db: str, sandbox: SandboxProcess) -> None:
    """The budget store is an aid, not a dependency: calls are served (and a warning logged)."""
    with redis_server() as url:
        pass  # stopped: its port now refuses connections
    live = await start_server(make_settings(sandbox, rate_limit_storage=url))
    try:
        body = await live.gql(ME, headers=bearer("user-a"))
    finally:
        await live.stop()
    assert body["data"]["me"]["userId"] == "user-a"


@pytest.mark.skipif(not IS_POSTGRES, reason="several processes share one PostgreSQL")
async def test_two_processes_share_one_budget_in_redis(db: str, sandbox: SandboxProcess) -> None:
    """15 payments through each process, then the 31st is refused by either: with
    per-process (memory) budgets each would still have 15 left."""
    with redis_server() as redis:
        async with servers(2, billgraph_env(sandbox) | {"RATE_LIMIT_STORAGE": redis}) as clients:
            for n in range(30):
                assert (await _pay(clients[n % 2], f"order-{n}"))["errors"] == []
            assert await _in_stripe(sandbox) == (30, 1)
            refused = [await _pay(client, f"order-{30 + n}") for n, client in enumerate(clients)]
    for payload in refused:
        _refused(payload)
    assert await _in_stripe(sandbox) == (30, 1)
    assert await Payment.filter(user_id="user-a").count() == 30


async def test_the_memory_storage_sweeps_once_a_second_not_after_every_hit() -> None:
    """limits calls our schedule (its private name): a sweep task, then none for a second."""
    storage = SweptMemoryStorage()
    limiter = MovingWindowRateLimiter(storage)
    await limiter.hit(parse("10 per minute"), "test")
    first = storage.timer
    assert storage.swept > 0 and first is not None
    for _ in range(5):
        await asyncio.sleep(0)  # the sweep finishes
        assert await limiter.hit(parse("10 per minute"), "test")
    assert storage.timer is first
