"""Idempotency-Key: replay of the first answer, conflicts, concurrency, per-API-key scope."""

import asyncio

import pytest
import stripe

from sandbox.process import SandboxProcess


def _options(key: str) -> stripe.RequestOptions:
    return {"idempotency_key": key}


async def test_same_key_replays_the_first_answer(client: stripe.StripeClient) -> None:
    params = {"name": "Pro"}
    first = await client.v1.products.create_async(params=params, options=_options("k1"))
    again = await client.v1.products.create_async(params=params, options=_options("k1"))
    assert again.id == first.id
    assert again.to_dict() == first.to_dict()
    assert first.last_response is not None and again.last_response is not None
    assert "Idempotent-Replayed" not in first.last_response.headers
    assert again.last_response.headers["Idempotent-Replayed"] == "true"
    listed = await client.v1.products.list_async()
    assert [p.id for p in listed.data] == [first.id]
    assert len((await client.v1.events.list_async()).data) == 1


async def test_same_key_with_other_parameters_is_a_conflict(client: stripe.StripeClient) -> None:
    await client.v1.products.create_async(params={"name": "Pro"}, options=_options("k2"))
    with pytest.raises(stripe.IdempotencyError) as conflict:
        await client.v1.products.create_async(params={"name": "Team"}, options=_options("k2"))
    assert conflict.value.http_status == 400
    assert "same parameters" in str(conflict.value.user_message)
    assert [p.name for p in (await client.v1.products.list_async()).data] == ["Pro"]


async def test_same_key_on_another_endpoint_is_a_conflict(
    client: stripe.StripeClient,
) -> None:
    await client.v1.customers.create_async(params={"email": "a@example.com"}, options=_options("k"))
    with pytest.raises(stripe.IdempotencyError):
        await client.v1.products.create_async(params={"name": "Pro"}, options=_options("k"))


async def test_concurrent_requests_with_one_key_run_once(client: stripe.StripeClient) -> None:
    results = await asyncio.gather(
        *(
            client.v1.products.create_async(params={"name": "Pro"}, options=_options("k3"))
            for _ in range(5)
        )
    )
    assert len({product.id for product in results}) == 1
    assert len((await client.v1.products.list_async()).data) == 1


async def test_refused_parameters_are_not_stored(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError):
        await client.v1.products.create_async(params={"name": ""}, options=_options("k4"))
    fixed = await client.v1.products.create_async(params={"name": "Pro"}, options=_options("k4"))
    assert fixed.name == "Pro"


async def test_keys_are_scoped_per_api_key(
    client: stripe.StripeClient, sandbox_server: SandboxProcess
) -> None:
    other_account = stripe.StripeClient(
        "sk_test_other_account",
        base_addresses={"api": sandbox_server.url},
        max_network_retries=0,
    )
    mine = await client.v1.products.create_async(params={"name": "A"}, options=_options("k5"))
    theirs = await other_account.v1.products.create_async(
        params={"name": "B"}, options=_options("k5")
    )
    assert theirs.id != mine.id


async def test_reset_forgets_keys(
    client: stripe.StripeClient, sandbox_server: SandboxProcess
) -> None:
    first = await client.v1.products.create_async(params={"name": "Pro"}, options=_options("k6"))
    await sandbox_server.reset_async()
    second = await client.v1.products.create_async(params={"name": "Pro"}, options=_options("k6"))
    assert second.id != first.id
    assert "Idempotent-Replayed" not in (
        second.last_response.headers if second.last_response else {}
    )
