"""Refunds: admin only, partial then full, idempotent, race-free, mirrored
from the refund and charge webhooks."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from billing.stripe_gateway import StripeGateway
from billing.tokens import Role
from models.payments import AttemptStatus, Payment, Refund, RefundAttempt
from sandbox.process import SandboxProcess
from tests.conftest import (
    IS_POSTGRES,
    LiveServer,
    bearer,
    make_settings,
    start_server,
    stripe_get,
)
from tests.test_payments import confirm, create, history
from tests.test_usage import Clock

REFUND = """
mutation($input: RefundPaymentInput!) {
  refundPayment(input: $input) {
    refund { id amount { amount } reason status }
    payment { id status amountRefunded { amount } }
    errors { code message field }
  }
}"""

ADMIN = bearer("admin-1", roles=(Role.ADMIN,))


async def paid(api: LiveServer, sandbox: SandboxProcess, amount: int = 2500, **kw: Any) -> str:
    created = await create(api, amount=amount, **kw)
    await confirm(sandbox, created["payment"]["stripePaymentIntentId"], "pm_card_visa")
    payment_id: str = created["payment"]["id"]
    return payment_id


async def refund(
    api: LiveServer, payment_id: str, headers: dict[str, str] = ADMIN, **fields: Any
) -> dict[str, Any]:
    body = await api.gql(REFUND, {"input": {"paymentId": payment_id, **fields}}, headers)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["refundPayment"]
    return result


async def test_partial_then_full_then_nothing_left(api: LiveServer, sandbox) -> None:
    payment_id = await paid(api, sandbox)

    partial = await refund(api, payment_id, amount=1000, reason="REQUESTED_BY_CUSTOMER")
    assert partial["errors"] == []
    assert partial["refund"]["amount"] == {"amount": 1000}
    assert partial["refund"]["reason"] == "REQUESTED_BY_CUSTOMER"
    assert partial["payment"]["status"] == "PARTIALLY_REFUNDED"  # from Stripe's answer
    assert partial["payment"]["amountRefunded"] == {"amount": 1000}

    rest = await refund(api, payment_id)  # no amount: whatever is left
    assert rest["refund"]["amount"] == {"amount": 1500}
    assert rest["payment"]["status"] == "REFUNDED"
    assert rest["payment"]["amountRefunded"] == {"amount": 2500}

    third = await refund(api, payment_id, amount=1)
    assert [(e["code"], e["field"]) for e in third["errors"]] == [("NOT_REFUNDABLE", None)]

    await sandbox.drain_async()  # the webhooks confirm what the answers said
    node = (await history(api))["edges"][0]["node"]
    assert node["status"] == "REFUNDED" and node["amountRefunded"] == {"amount": 2500}
    assert [r["amount"]["amount"] for r in node["refunds"]] == [1000, 1500]
    assert {r["status"] for r in node["refunds"]} == {"succeeded"}
    assert await Refund.all().count() == 2


@pytest.mark.parametrize("amount", [0, -5, 2501])
async def test_amount_outside_what_is_refundable(api: LiveServer, sandbox, amount: int) -> None:
    payment_id = await paid(api, sandbox)
    result = await refund(api, payment_id, amount=amount)
    assert [(e["code"], e["field"]) for e in result["errors"]] == [("NOT_REFUNDABLE", "amount")]
    assert await Refund.all().count() == 0


async def test_only_succeeded_payments_are_refundable(api: LiveServer, sandbox) -> None:
    unpaid = await create(api)
    result = await refund(api, unpaid["payment"]["id"])
    assert result["errors"][0]["code"] == "NOT_REFUNDABLE"
    assert "requires_payment_method" in result["errors"][0]["message"]


async def test_unknown_payment_is_not_found(api: LiveServer) -> None:
    for payment_id in ("not-a-uuid", "00000000-0000-4000-8000-000000000000"):
        result = await refund(api, payment_id)
        assert [(e["code"], e["field"]) for e in result["errors"]] == [("NOT_FOUND", "paymentId")]


async def test_users_cannot_refund_at_all(api: LiveServer, sandbox) -> None:
    payment_id = await paid(api, sandbox)
    for user in ("user-a", "user-b"):
        body = await api.gql(REFUND, {"input": {"paymentId": payment_id}}, bearer(user))
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await Refund.all().count() == 0


async def test_same_key_refunds_once(api: LiveServer, sandbox) -> None:
    payment_id = await paid(api, sandbox)
    first = await refund(api, payment_id, amount=500, idempotencyKey="r-1")
    again = await refund(api, payment_id, amount=500, idempotencyKey="r-1")
    assert again["refund"]["id"] == first["refund"]["id"]
    assert again["payment"]["amountRefunded"] == {"amount": 500}

    other = await refund(api, payment_id, amount=700, idempotencyKey="r-1")
    assert other["errors"][0]["code"] == "IDEMPOTENCY_CONFLICT"
    await sandbox.drain_async()
    assert await Refund.all().count() == 1


async def test_racing_identical_refunds_are_one_refund(api: LiveServer, sandbox) -> None:
    """Without a key, the same request twice is the same refund (a double click)."""
    payment_id = await paid(api, sandbox)
    results = await asyncio.gather(*(refund(api, payment_id) for _ in range(2)))
    assert [r["errors"] for r in results] == [[], []]
    assert results[0]["refund"] == results[1]["refund"]
    assert results[0]["refund"]["amount"] == {"amount": 2500}
    await sandbox.drain_async()
    assert (await Payment.get(id=payment_id)).amount_refunded == 2500
    assert await Refund.all().count() == 1
    intent = (await Payment.get(id=payment_id)).stripe_payment_intent_id
    assert len((await stripe_get(sandbox, "/v1/refunds", payment_intent=intent))["data"]) == 1


async def test_racing_full_refunds_with_their_own_keys_refund_once(
    api: LiveServer, sandbox
) -> None:
    payment_id = await paid(api, sandbox)
    results = await asyncio.gather(
        *(refund(api, payment_id, idempotencyKey=f"full-{i}") for i in range(2))
    )
    winners = [r for r in results if not r["errors"]]
    losers = [r for r in results if r["errors"]]
    assert len(winners) == 1 and winners[0]["refund"]["amount"] == {"amount": 2500}
    assert [e["code"] for r in losers for e in r["errors"]] == ["NOT_REFUNDABLE"]
    await sandbox.drain_async()
    payment = await Payment.get(id=payment_id)
    assert payment.amount_refunded == 2500
    assert await Refund.all().count() == 1


@pytest.mark.skipif(not IS_POSTGRES, reason="row locks only race on PostgreSQL")
async def test_racing_partial_refunds_never_exceed_the_payment(api: LiveServer, sandbox) -> None:
    payment_id = await paid(api, sandbox, amount=1000)
    results = await asyncio.gather(
        *(refund(api, payment_id, amount=300, idempotencyKey=f"part-{i}") for i in range(8))
    )
    assert sum(1 for r in results if not r["errors"]) == 3  # 900 of 1000; a 4th would exceed
    await sandbox.drain_async()
    assert (await Payment.get(id=payment_id)).amount_refunded == 900


async def test_the_same_request_within_ten_minutes_is_the_same_refund(
    api: LiveServer, sandbox
) -> None:
    payment_id = await paid(api, sandbox)
    clock = Clock(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    server = await start_server(api.settings, clock=clock)
    try:
        asked = {"amount": 500, "reason": "REQUESTED_BY_CUSTOMER"}
        first = await refund(server, payment_id, **asked)
        clock.now += timedelta(minutes=9, seconds=59)
        again = await refund(server, payment_id, **asked)
        other_reason = await refund(server, payment_id, amount=500, reason="DUPLICATE")
        own_key = await refund(server, payment_id, **asked, idempotencyKey="second-500")
        clock.now += timedelta(seconds=2)  # ten minutes after the first
        later = await refund(server, payment_id, **asked)
    finally:
        await server.stop()
    assert again["refund"]["id"] == first["refund"]["id"]
    ids = {r["refund"]["id"] for r in (first, other_reason, own_key, later)}
    assert len(ids) == 4
    await sandbox.drain_async()
    assert (await Payment.get(id=payment_id)).amount_refunded == 2000
    intent = (await Payment.get(id=payment_id)).stripe_payment_intent_id
    assert len((await stripe_get(sandbox, "/v1/refunds", payment_intent=intent))["data"]) == 4


async def test_a_lost_answer_is_the_same_refund_when_asked_again(
    api: LiveServer, sandbox: SandboxProcess
) -> None:
    """Stripe made the refund but its answer never came back (a timeout): the
    attempt stays open and reserved, shows no refund, and asking again
    re-sends its idempotency key, so Stripe answers with the refund it made."""
    payment_id = await paid(api, sandbox)
    intent = (await Payment.get(id=payment_id)).stripe_payment_intent_id
    await sandbox.remove_webhook_async()  # no refund webhook settles it meanwhile
    impatient = await start_server(make_settings(sandbox, stripe_timeout=0.5))
    try:
        await sandbox.helper_async("hold", prefix="/v1/refunds")
        lost = await refund(impatient, payment_id, amount=700)
        assert [e["code"] for e in lost["errors"]] == ["STRIPE_UNAVAILABLE"]
        await sandbox.helper_async("release")  # Stripe goes on and makes the refund
        made = (await stripe_get(sandbox, "/v1/refunds", payment_intent=intent))["data"]
        assert [r["amount"] for r in made] == [700]

        node = (await history(impatient))["edges"][0]["node"]
        assert node["amountRefunded"] == {"amount": 0} and node["refunds"] == []
        reserved = await refund(impatient, payment_id, amount=1900, idempotencyKey="too-much")
        assert "1800" in reserved["errors"][0]["message"]  # 700 are held back for the attempt

        again = await refund(impatient, payment_id, amount=700)
    finally:
        await impatient.stop()
    assert again["errors"] == [] and again["payment"]["amountRefunded"] == {"amount": 700}
    made = (await stripe_get(sandbox, "/v1/refunds", payment_intent=intent))["data"]
    assert [r["id"] for r in made] == [(await Refund.get()).stripe_refund_id]


async def test_failed_refund_gives_the_amount_back(api: LiveServer, sandbox) -> None:
    payment_id = await paid(api, sandbox)
    made = await refund(api, payment_id, amount=2500)
    await sandbox.drain_async()
    stripe_refund = (await Refund.get(id=made["refund"]["id"])).stripe_refund_id

    await sandbox.helper_async(f"refunds/{stripe_refund}/fail")
    await sandbox.drain_async()

    node = (await history(api))["edges"][0]["node"]
    assert node["status"] == "SUCCEEDED" and node["amountRefunded"] == {"amount": 0}
    assert node["refunds"][0]["status"] == "failed"
    again = await refund(api, payment_id)  # refundable once more
    assert again["refund"]["amount"] == {"amount": 2500}


async def test_dashboard_refund_shows_up_from_the_webhooks(api: LiveServer, sandbox) -> None:
    payment_id = await paid(api, sandbox)
    payment = await Payment.get(id=payment_id)
    dashboard = StripeGateway(api.settings)  # someone refunding in Stripe's dashboard
    await dashboard.create_refund(payment.stripe_payment_intent_id, 400, None, {}, "dash-1")
    await sandbox.drain_async()
    node = (await history(api))["edges"][0]["node"]
    assert node["status"] == "PARTIALLY_REFUNDED" and node["amountRefunded"] == {"amount": 400}


async def test_dispute_flags_the_payment_and_blocks_refunds(api: LiveServer, sandbox) -> None:
    payment_id = await paid(api, sandbox)
    payment = await Payment.get(id=payment_id)
    intent = await StripeGateway(api.settings).retrieve_payment_intent(
        payment.stripe_payment_intent_id
    )
    await sandbox.helper_async(f"charges/{intent['latest_charge']}/dispute")
    await sandbox.drain_async()

    assert (await history(api))["edges"][0]["node"]["disputed"] is True
    result = await refund(api, payment_id)
    assert result["errors"][0]["code"] == "NOT_REFUNDABLE"


async def test_a_refund_stripe_refuses_frees_its_amount(api: LiveServer, sandbox) -> None:
    payment_id = await paid(api, sandbox)
    intent = (await Payment.get(id=payment_id)).stripe_payment_intent_id
    await sandbox.remove_webhook_async()  # billgraph never hears of the dashboard refund
    await StripeGateway(api.settings).create_refund(intent, 2500, None, {}, "dashboard-all")

    refused = await refund(api, payment_id, amount=1000, idempotencyKey="k")
    assert [e["code"] for e in refused["errors"]] == ["PAYMENT_FAILED"]
    again = await refund(api, payment_id, amount=1000, idempotencyKey="k")
    assert again["errors"] == refused["errors"]  # the same key, the same answer
    (attempt,) = await RefundAttempt.all()
    assert (attempt.status, attempt.amount) == (AttemptStatus.REFUSED, 1000)
    # Nothing stays reserved: billgraph lets the whole amount be asked for (Stripe refuses).
    rest = await refund(api, payment_id)
    assert [e["code"] for e in rest["errors"]] == ["PAYMENT_FAILED"]
    assert await Refund.all().count() == 0
