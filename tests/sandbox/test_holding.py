"""The hold hook: Stripe's answers held for as long as a test needs, on events, not time."""

import asyncio

import pytest
import stripe

from sandbox.process import SandboxError, SandboxProcess


async def test_held_requests_wait_for_the_release_and_others_do_not(
    sandbox_server: SandboxProcess, client: stripe.StripeClient
) -> None:
    paid = await client.v1.payment_intents.create_async(
        params={
            "amount": 5000,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": True,
        }
    )
    await sandbox_server.helper_async("hold", prefix="/v1/refunds")
    refund = asyncio.create_task(
        client.v1.refunds.create_async(params={"payment_intent": paid.id, "amount": 100})
    )
    assert (await sandbox_server.helper_async("hold/wait", count=1))["held"] == 1

    await client.v1.payment_intents.retrieve_async(paid.id)  # another path: not held
    short = await sandbox_server.helper_async("hold/wait", count=2, timeout=0.2)
    assert short["held"] == 1 and not refund.done()

    await sandbox_server.helper_async("release")  # answers once the held request ran
    listed = await client.v1.refunds.list_async()  # no longer held
    assert [r.amount for r in listed.data] == [100]
    assert (await refund).amount == 100


async def test_only_api_paths_can_be_held(sandbox_server: SandboxProcess) -> None:
    with pytest.raises(SandboxError) as refused:
        await sandbox_server.helper_async("hold", prefix="/_sandbox/")
    assert refused.value.status == 400
