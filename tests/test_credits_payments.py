"""Credits that money moves: packs bought with buyCredits (added exactly once
whichever of the webhooks, a replay or payment(refresh: true) sees the
success first), plan grants per paid period, and clawbacks on refunds and
lost disputes, with the sandbox's real signed webhooks."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tortoise.transactions import in_transaction

from billing.credits import grant_plan_credits, payment_changed
from billing.stripe_gateway import StripeGateway
from models.credits import CreditBalance, CreditKind, CreditPack, CreditTransaction
from models.payments import Payment, PaymentPurpose, PaymentStatus, Refund
from models.webhooks import WebhookEvent
from sandbox.process import SandboxProcess
from tests.conftest import LiveServer, bearer, stripe_get, stripe_post
from tests.test_credits import USER, account, codes, grant, ledger, spend, verify_clean
from tests.test_disputes import open_dispute
from tests.test_payment_methods import save_card
from tests.test_payments import confirm
from tests.test_refunds import refund
from tests.test_subscriptions import subscribe
from tests.test_usage import use_catalog
from tests.test_webhooks import deliver, event
from webhooks.pipeline import apply

BUY = """
mutation($input: BuyCreditsInput!) {
  buyCredits(input: $input) {
    payment { id purpose status amount { amount currency } description }
    clientSecret customerId ephemeralKey
    errors { code message field }
  }
}"""
PACKS = "{ creditPacks { id name credits price { amount currency } } }"
REFRESH = "query($id: ID!) { payment(id: $id, refresh: true) { status } }"
REFUNDED = "query($id: ID!) { payment(id: $id) { amountRefunded { amount } } }"


async def buy(
    api: LiveServer, pack: str = "small", key: str = "buy-1", user: str = USER, **fields: Any
) -> dict[str, Any]:
    body = await api.gql(
        BUY, {"input": {"packId": pack, "idempotencyKey": key, **fields}}, bearer(user)
    )
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["buyCredits"]
    return result


async def bought(
    api: LiveServer, sandbox: SandboxProcess, pack: str = "small", key: str = "buy-1"
) -> str:
    """Buy ``pack`` and pay with a good card; the payment's id."""
    created = await buy(api, pack, key)
    assert created["errors"] == [], created
    await confirm(sandbox, _intent(created), "pm_card_visa")
    payment_id: str = created["payment"]["id"]
    return payment_id


def _intent(created: dict[str, Any]) -> str:
    return str(created["clientSecret"]).split("_secret_")[0]


async def purchases() -> int:
    return await CreditTransaction.filter(kind=CreditKind.PURCHASE).count()


# ------------------------------------------------------------------ packs


async def test_packs_are_public_and_synced_to_stripe(shop: LiveServer, sandbox) -> None:
    body = await shop.gql(PACKS)
    assert body["data"]["creditPacks"] == [
        {
            "id": "small",
            "name": "100 credits",
            "credits": 100,
            "price": {"amount": 1000, "currency": "usd"},
        },
        {
            "id": "large",
            "name": "1,200 credits",
            "credits": 1200,
            "price": {"amount": 10000, "currency": "usd"},
        },
    ]
    pack = await CreditPack.get(key="large")
    price = await stripe_get(sandbox, f"/v1/prices/{pack.stripe_price_id}")
    assert (price["unit_amount"], price["product"], price["recurring"]) == (
        10000,
        "billgraph_pack_large",
        None,
    )


async def test_a_retired_or_unknown_pack_is_not_sold(
    shop: LiveServer, sandbox: SandboxProcess, tmp_path: Path
) -> None:
    await use_catalog(
        shop,
        sandbox,
        '[plans.free]\nname = "Free"\n[packs.small]\nname = "Ten"\ncredits = 10\nprice = 500\n',
        tmp_path,
    )
    assert [p["id"] for p in (await shop.gql(PACKS))["data"]["creditPacks"]] == ["small"]
    assert codes(await buy(shop, "large")) == [("NOT_FOUND", "packId")]
    assert await Payment.all().count() == 0


# ------------------------------------------------------------------ buying


async def test_good_card_adds_the_pack_once(shop: LiveServer, sandbox: SandboxProcess) -> None:
    created = await buy(shop)
    assert created["payment"]["purpose"] == "CREDIT_PACK"
    assert created["payment"]["amount"] == {"amount": 1000, "currency": "usd"}
    assert (await account(shop))["balance"] == 0  # not before it succeeds

    await confirm(sandbox, _intent(created), "pm_card_visa")
    shown = await account(shop)
    assert shown["balance"] == 100
    [node] = [edge["node"] for edge in shown["transactions"]["edges"]]
    assert (node["kind"], node["amount"], node["reason"]) == ("PURCHASE", 100, "100 credits")
    assert node["payment"] == {"id": created["payment"]["id"], "purpose": "CREDIT_PACK"}

    # The same key returns the same payment; nothing is bought twice.
    again = await buy(shop)
    assert again["payment"]["id"] == created["payment"]["id"]
    assert codes(await buy(shop, "large")) == [("IDEMPOTENCY_CONFLICT", "idempotencyKey")]
    # A replayed success event (applied again), a fresh event naming the same
    # intent and payment(refresh: true) all find the credits already added.
    stored = await WebhookEvent.get(type="payment_intent.succeeded")
    await apply(stored, StripeGateway(shop.settings))
    fresh = event("payment_intent.succeeded", {"id": _intent(created), "object": "payment_intent"})
    assert (await deliver(shop, fresh)).status_code == 200
    body = await shop.gql(REFRESH, {"id": created["payment"]["id"]}, bearer(USER))
    assert body["data"]["payment"]["status"] == "SUCCEEDED"
    assert (await account(shop))["balance"] == 100
    assert await purchases() == 1
    verify_clean()


async def test_declined_card_adds_nothing(shop: LiveServer, sandbox: SandboxProcess) -> None:
    created = await buy(shop)
    await confirm(sandbox, _intent(created), "pm_card_chargeCustomerFail")
    payment = await Payment.get(id=created["payment"]["id"])
    assert payment.status.value == "failed"
    assert (await account(shop))["balance"] == 0
    assert await CreditTransaction.all().count() == 0


async def test_refresh_adds_the_credits_when_the_webhook_is_lost(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    created = await buy(shop)
    await sandbox.remove_webhook_async()
    await confirm(sandbox, _intent(created), "pm_card_visa")
    assert (await account(shop))["balance"] == 0  # the success was never delivered

    body = await shop.gql(REFRESH, {"id": created["payment"]["id"]}, bearer(USER))
    assert body["data"]["payment"]["status"] == "SUCCEEDED"
    assert (await account(shop))["balance"] == 100

    # The webhooks arrive late, out of order and twice: nothing more is added.
    events = (await stripe_get(sandbox, "/v1/events", limit=100))["data"]
    mine = [e for e in events if e["type"].startswith(("payment_intent.", "charge."))]
    for payload in [*mine, *reversed(mine)]:
        assert (await deliver(shop, payload)).status_code == 200
    assert (await account(shop))["balance"] == 100
    assert await purchases() == 1


async def test_duplicated_and_reordered_deliveries_add_once(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    await sandbox.chaos_async(duplicate=1.0, delay=0.2, seed=15)
    try:
        for n in range(3):
            await bought(shop, sandbox, key=f"chaos-{n}")
        await sandbox.drain_async()
    finally:
        await sandbox.chaos_async(enabled=False)
    assert (await account(shop))["balance"] == 300
    assert await purchases() == 3
    verify_clean()


async def test_server_side_with_a_saved_card_and_mobile(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    card = await save_card(shop, sandbox, USER)
    paid = await buy(shop, "large", key="saved", paymentMethodId=card)
    assert paid["errors"] == [] and paid["payment"]["status"] == "SUCCEEDED"
    # Confirmed here, with no webhook needed: the credits are already in.
    assert (await account(shop))["balance"] == 1200
    await sandbox.drain_async()
    assert (await account(shop))["balance"] == 1200 and await purchases() == 1

    mobile = await buy(shop, key="phone", mobileApiVersion="2026-10-28.endive")
    assert mobile["errors"] == [] and mobile["ephemeralKey"] and mobile["customerId"]


# ------------------------------------------------------------------ clawback


async def test_partial_then_full_refund_take_back_in_proportion(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    payment_id = await bought(shop, sandbox)
    assert (await refund(shop, payment_id, amount=250))["errors"] == []
    await sandbox.drain_async()
    assert (await account(shop))["balance"] == 75
    assert (await refund(shop, payment_id))["errors"] == []  # the remaining 750
    await sandbox.drain_async()
    shown = await account(shop)
    assert shown["balance"] == 0
    assert ledger(shown) == [("PURCHASE", 100, 100), ("CLAWBACK", -25, 75), ("CLAWBACK", -75, 0)]
    assert all(e["node"]["shortfall"] == 0 for e in shown["transactions"]["edges"])
    verify_clean()


async def test_refund_after_the_credits_were_spent_records_the_shortfall(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    payment_id = await bought(shop, sandbox)
    await grant(shop, 5)
    await spend(shop, 98, "spent")  # 7 left: 2 of the pack and the 5 granted
    assert (await refund(shop, payment_id))["errors"] == []
    await sandbox.drain_async()
    shown = await account(shop)
    last = shown["transactions"]["edges"][0]["node"]
    assert (last["kind"], last["amount"], last["shortfall"], last["balanceAfter"]) == (
        "CLAWBACK",
        -7,
        93,
        0,
    )
    assert shown["balance"] == 0
    # Redelivered refund events take nothing more.
    events = (await stripe_get(sandbox, "/v1/events", limit=100))["data"]
    for payload in [e for e in events if e["type"].startswith(("charge.refund", "refund."))]:
        assert (await deliver(shop, payload)).status_code == 200
    assert await CreditTransaction.filter(kind=CreditKind.CLAWBACK).count() == 1
    verify_clean()


async def fail_refund(sandbox: SandboxProcess, refund_id: str) -> None:
    """The bank returns the refund billgraph made (``refund_id``: ours)."""
    stripe_refund = (await Refund.get(id=refund_id)).stripe_refund_id
    await sandbox.helper_async(f"refunds/{stripe_refund}/fail")
    await sandbox.drain_async()


async def refunded(api: LiveServer, payment_id: str) -> int:
    body = await api.gql(REFUNDED, {"id": payment_id}, bearer(USER))
    assert "errors" not in body, body
    amount: int = body["data"]["payment"]["amountRefunded"]["amount"]
    return amount


async def redeliver_refund_events(api: LiveServer, sandbox: SandboxProcess) -> None:
    events = (await stripe_get(sandbox, "/v1/events", limit=100))["data"]
    for payload in [e for e in events if e["type"].startswith(("charge.refund", "refund."))]:
        assert (await deliver(api, payload)).status_code == 200


async def test_a_failed_refund_gives_back_what_it_took_once(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    """What was spent stays a debt first: the failed refund's claim forgives the
    shortfall, then gives back the credits it took; a later refund takes again."""
    payment_id = await bought(shop, sandbox)
    await spend(shop, 60, "spent")  # 40 left
    half = await refund(shop, payment_id, amount=500)  # due 50: takes 40, 10 short
    assert half["errors"] == []
    await sandbox.drain_async()
    assert (await account(shop))["balance"] == 0

    await fail_refund(sandbox, half["refund"]["id"])
    assert await refunded(shop, payment_id) == 0
    shown = await account(shop)
    assert shown["balance"] == 40
    last = shown["transactions"]["edges"][0]["node"]
    assert (last["kind"], last["amount"], last["shortfall"], last["balanceAfter"]) == (
        "REVERSAL",
        40,
        10,
        40,
    )
    assert last["payment"]["id"] == payment_id
    await redeliver_refund_events(shop, sandbox)  # every refund event again: nothing new
    assert await CreditTransaction.filter(kind=CreditKind.REVERSAL).count() == 1
    assert (await account(shop))["balance"] == 40

    # Refunded again, in full: the pack's credits are claimed once more.
    again = await refund(shop, payment_id)
    assert again["errors"] == [] and again["refund"]["amount"] == {"amount": 1000}
    await sandbox.drain_async()
    shown = await account(shop)
    last = shown["transactions"]["edges"][0]["node"]
    assert (last["kind"], last["amount"], last["shortfall"]) == ("CLAWBACK", -40, 60)
    assert shown["balance"] == 0
    assert await refunded(shop, payment_id) == 1000
    verify_clean()


async def test_when_one_of_two_refunds_fails_the_other_keeps_its_share(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    payment_id = await bought(shop, sandbox)
    first = await refund(shop, payment_id, amount=250, idempotencyKey="r1")
    second = await refund(shop, payment_id, amount=250, idempotencyKey="r2")
    assert first["errors"] == second["errors"] == []
    await sandbox.drain_async()
    assert (await account(shop))["balance"] == 50
    await fail_refund(sandbox, first["refund"]["id"])
    await redeliver_refund_events(shop, sandbox)
    shown = await account(shop)
    assert shown["balance"] == 75  # 250 of 1000 still refunded: 25 credits stay claimed
    assert ledger(shown)[-1] == ("REVERSAL", 25, 75)
    assert await refunded(shop, payment_id) == 250
    verify_clean()


async def test_a_refund_failing_after_a_lost_dispute_gives_nothing_back(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    """The lost dispute took the money, so the whole pack stays claimed even when a
    refund made before it fails."""
    payment_id = await bought(shop, sandbox)
    partial = await refund(shop, payment_id, amount=250)
    await sandbox.drain_async()
    dispute_id = await open_dispute(sandbox, payment_id)
    await stripe_post(sandbox, f"/v1/disputes/{dispute_id}/close")  # conceded: lost
    await sandbox.drain_async()
    assert (await account(shop))["balance"] == 0
    await fail_refund(sandbox, partial["refund"]["id"])
    assert await refunded(shop, payment_id) == 0
    shown = await account(shop)
    assert shown["balance"] == 0
    assert [kind for kind, _, _ in ledger(shown)] == ["PURCHASE", "CLAWBACK", "CLAWBACK"]
    verify_clean()


async def test_a_lost_dispute_takes_back_what_is_left(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    payment_id = await bought(shop, sandbox)
    await spend(shop, 30, "before-dispute")
    dispute_id = await open_dispute(sandbox, payment_id)
    assert (await account(shop))["balance"] == 70  # an open dispute takes nothing yet
    await stripe_post(sandbox, f"/v1/disputes/{dispute_id}/close")  # conceded: lost
    await sandbox.drain_async()
    shown = await account(shop)
    assert shown["balance"] == 0
    last = shown["transactions"]["edges"][0]["node"]
    assert (last["kind"], last["amount"], last["shortfall"]) == ("CLAWBACK", -70, 30)
    assert last["payment"]["id"] == payment_id
    verify_clean()


async def test_a_won_dispute_takes_nothing(shop: LiveServer, sandbox: SandboxProcess) -> None:
    payment_id = await bought(shop, sandbox)
    dispute_id = await open_dispute(sandbox, payment_id, reason="product_not_received")
    await stripe_post(
        sandbox,
        f"/v1/disputes/{dispute_id}",
        **{"evidence[uncategorized_text]": "winning_evidence"},
    )
    await sandbox.drain_async()
    assert (await account(shop))["balance"] == 100


# ------------------------------------------------------------------ plans

MONTHLY_CREDITS = """
currency = "usd"
[plans.free]
name = "Free"
limits = { images = 3 }
[plans.premium]
name = "Premium"
monthly = 999
credits_per_period = 500
limits = { images = 100 }
"""


async def test_each_paid_period_grants_the_plans_credits_once(
    shop: LiveServer, sandbox: SandboxProcess, tmp_path: Path
) -> None:
    await use_catalog(shop, sandbox, MONTHLY_CREDITS, tmp_path)
    plans = (await shop.gql("{ plans { id creditsPerPeriod } }"))["data"]["plans"]
    assert {p["id"]: p["creditsPerPeriod"] for p in plans} == {"free": 0, "premium": 500}

    subscription = await subscribe(shop, sandbox, USER)
    first = await account(shop)
    assert first["balance"] == 500
    [grant_row] = [edge["node"] for edge in first["transactions"]["edges"]]
    assert (grant_row["kind"], grant_row["reason"]) == ("PLAN_GRANT", "Premium")
    assert grant_row["expiresAt"] == subscription["currentPeriodEnd"]

    # A redelivered invoice.paid (fresh event id, same invoice) grants nothing.
    paid = [
        e
        for e in (await stripe_get(sandbox, "/v1/events", limit=100))["data"]
        if e["type"] == "invoice.paid"
    ]
    for payload in paid:
        again = event("invoice.paid", payload["data"]["object"])
        assert (await deliver(shop, again)).status_code == 200
    assert (await account(shop))["balance"] == 500

    await spend(shop, 100, "used-some")
    await sandbox.helper_async(f"subscriptions/{subscription['stripeSubscriptionId']}/advance")
    await sandbox.drain_async()
    grants = await CreditTransaction.filter(kind=CreditKind.PLAN_GRANT).order_by("created_at")
    assert [g.amount for g in grants] == [500, 500]
    assert grants[1].expires_at is not None and grants[0].expires_at is not None
    assert grants[1].expires_at > grants[0].expires_at  # the new period's end
    verify_clean()


async def test_anonymous_callers_cannot_buy(shop: LiveServer) -> None:
    body = await shop.gql(
        BUY, {"input": {"packId": "small", "idempotencyKey": "k"}}, {"Authorization": "x"}
    )
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await Payment.filter(purpose=PaymentPurpose.CREDIT_PACK).count() == 0


async def test_racing_twins_of_one_success_or_invoice_grant_once(db) -> None:
    """Two deliveries that both saw the payment before it succeeded (or the same
    invoice) race to grant: the unique key lets one through, not a read first."""
    payment = await Payment.create(
        user_id=USER,
        stripe_payment_intent_id="pi_twin",
        amount=1000,
        currency="usd",
        status=PaymentStatus.SUCCEEDED,
        purpose=PaymentPurpose.CREDIT_PACK,
        credits=100,
    )
    before = {"status": PaymentStatus.PROCESSING, "amountRefunded": 0, "disputed": False}
    period_end = datetime.now(UTC) + timedelta(days=30)

    async def twin() -> None:
        async with in_transaction():
            await payment_changed(before, payment)
            await grant_plan_credits(USER, "in_twin", 500, period_end, "Premium")

    await asyncio.gather(*(twin() for _ in range(8)))
    assert await purchases() == 1
    assert await CreditTransaction.filter(kind=CreditKind.PLAN_GRANT).count() == 1
    assert (await CreditBalance.get(user_id=USER)).balance == 600
    verify_clean()


async def test_racing_twins_of_a_refund_and_its_failure_settle_once(db) -> None:
    """Twin deliveries of a refund, then of its failure, race to settle the claim:
    one CLAWBACK, then one REVERSAL, and the balance is whole again."""
    payment = await Payment.create(
        user_id=USER,
        stripe_payment_intent_id="pi_twin_refund",
        amount=1000,
        currency="usd",
        status=PaymentStatus.SUCCEEDED,
        purpose=PaymentPurpose.CREDIT_PACK,
        credits=100,
    )
    async with in_transaction():
        await payment_changed(None, payment)

    async def twins(before: dict[str, Any], refunded: int) -> None:
        payment.amount_refunded = refunded

        async def twin() -> None:
            async with in_transaction():
                await payment_changed(before, payment)

        await asyncio.gather(*(twin() for _ in range(8)))

    settled = {"status": PaymentStatus.SUCCEEDED, "disputed": False}
    await twins({**settled, "amountRefunded": 0}, 1000)
    assert (await CreditBalance.get(user_id=USER)).balance == 0
    await twins({**settled, "amountRefunded": 1000}, 0)
    kinds = (
        await CreditTransaction.filter(user_id=USER).order_by("id").values_list("kind", "amount")
    )
    assert kinds == [
        (CreditKind.PURCHASE, 100),
        (CreditKind.CLAWBACK, -100),
        (CreditKind.REVERSAL, 100),
    ]
    assert (await CreditBalance.get(user_id=USER)).balance == 100
    verify_clean()
