"""Payments an app can look up: charging a saved card server-side, one payment
by id (checked with Stripe on request), every subscription invoice payment
including failed renewals, filters and cursors together, and query counts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from billing.tokens import Role
from models.catalog import PlanPrice
from models.events import OutboxEvent
from models.payments import Dispute, DisputeStatus, Payment, PaymentPurpose, PaymentStatus
from models.subscriptions import Subscription, SubscriptionStatus
from sandbox.process import SandboxProcess
from tests.conftest import LiveServer, bearer, stripe_get, stripe_post
from tests.querycount import count_queries
from tests.test_payment_methods import gql, save_card
from tests.test_payments import CREATE, payment_input
from tests.test_subscriptions import subscribe

NODE = """id userId purpose status failureMessage disputed stripePaymentIntentId createdAt
  amount { amount currency }
  subscription { id status stripeSubscriptionId plan { id name } }
  dispute { amount { amount } status reason }"""
PAYMENT = (
    f"query($id: ID!, $refresh: Boolean) {{ payment(id: $id, refresh: $refresh) {{ {NODE} }} }}"
)
PAYMENTS = f"""query($userId: ID, $purpose: PaymentPurpose, $createdAfter: DateTime,
  $createdBefore: DateTime, $first: Int, $after: String) {{
  payments(userId: $userId, purpose: $purpose, createdAfter: $createdAfter,
    createdBefore: $createdBefore, first: $first, after: $after) {{
    totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {NODE} }} }} }} }}"""
ADMIN = bearer("admin", roles=(Role.ADMIN,))


async def charge(api: LiveServer, user: str, method: str, key: str) -> dict[str, Any]:
    data = await gql(api, CREATE, user, input=payment_input(key, paymentMethodId=method))
    result: dict[str, Any] = data["createPaymentIntent"]
    return result


async def intents(sandbox: SandboxProcess) -> list[dict]:
    data: list[dict] = (await stripe_get(sandbox, "/v1/payment_intents", limit=100))["data"]
    return data


# ------------------------------------------------------- charging saved cards


async def test_a_saved_card_is_charged_at_once(api: LiveServer, sandbox: SandboxProcess) -> None:
    visa = await save_card(api, sandbox, "user-a")
    paid = await charge(api, "user-a", visa, "charge-visa")
    assert paid["errors"] == []
    assert paid["payment"]["status"] == "SUCCEEDED"
    [intent] = await intents(sandbox)
    assert (intent["payment_method"], intent["status"]) == (visa, "succeeded")
    await sandbox.drain_async()  # payment_intent.succeeded: nothing new to announce
    [announced] = await OutboxEvent.filter(type="payment.succeeded")
    assert announced.payload["id"] == paid["payment"]["id"]

    secure = await save_card(api, sandbox, "user-a", "pm_card_threeDSecure2Required")
    pending = await charge(api, "user-a", secure, "charge-3ds")
    assert pending["errors"] == []
    assert pending["payment"]["status"] == "REQUIRES_ACTION"
    assert pending["clientSecret"].startswith(pending["payment"]["stripePaymentIntentId"])

    failing = await save_card(api, sandbox, "user-a", "pm_card_chargeCustomerFail")
    declined = await charge(api, "user-a", failing, "charge-fail")
    assert [e["code"] for e in declined["errors"]] == ["CARD_DECLINED"]
    assert declined["payment"] is None
    assert "declined" in declined["errors"][0]["message"]


async def test_a_declined_saved_card_charge_is_listed_failed_with_its_message(
    api: LiveServer, sandbox: SandboxProcess
) -> None:
    """Stripe made the PaymentIntent and refused its charge (the 402 carries it): the
    payment is in the history as FAILED with Stripe's message, announced once, and
    the same key answers the same refusal without a second intent."""
    failing = await save_card(api, sandbox, "user-a", "pm_card_chargeCustomerFail")
    declined = await charge(api, "user-a", failing, "charge-fail")
    assert [e["code"] for e in declined["errors"]] == ["CARD_DECLINED"]
    [intent] = await intents(sandbox)
    listed = (await gql(api, PAYMENTS, "user-a"))["payments"]
    [node] = [edge["node"] for edge in listed["edges"]]
    assert (node["status"], node["purpose"]) == ("FAILED", "ONE_TIME")
    assert node["failureMessage"] == intent["last_payment_error"]["message"]
    assert node["failureMessage"] == "Your card was declined."
    assert node["stripePaymentIntentId"] == intent["id"]
    assert node["amount"] == {"amount": 2500, "currency": "usd"}

    await sandbox.drain_async()  # payment_intent.payment_failed changes nothing more
    again = await charge(api, "user-a", failing, "charge-fail")
    assert [(e["code"], e["message"]) for e in again["errors"]] == [
        ("CARD_DECLINED", "Your card was declined.")
    ]
    assert len(await intents(sandbox)) == 1
    assert await Payment.filter(user_id="user-a").count() == 1
    failed = await OutboxEvent.filter(type="payment.failed")
    assert [event.payload["id"] for event in failed] == [node["id"]]


async def test_another_users_card_cannot_be_charged(
    api: LiveServer, sandbox: SandboxProcess
) -> None:
    card = await save_card(api, sandbox, "user-a")
    refused = await charge(api, "user-b", card, "steal")
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [
        ("NOT_FOUND", "paymentMethodId")
    ]
    unknown = await charge(api, "user-b", "pm_card_visa", "unknown")
    assert [e["code"] for e in unknown["errors"]] == ["NOT_FOUND"]
    assert await intents(sandbox) == []
    assert await Payment.all().count() == 0


# ------------------------------------------------------------- one payment


async def test_payment_by_id_is_the_owners_only(api: LiveServer, sandbox: SandboxProcess) -> None:
    card = await save_card(api, sandbox, "user-a")
    paid = (await charge(api, "user-a", card, "one"))["payment"]
    found = (await gql(api, PAYMENT, "user-a", id=paid["id"]))["payment"]
    assert (found["userId"], found["purpose"], found["subscription"]) == (
        "user-a",
        "ONE_TIME",
        None,
    )
    for user, missing in (("user-b", paid["id"]), ("user-a", str(uuid.uuid4())), ("user-a", "x")):
        assert (await gql(api, PAYMENT, user, id=missing))["payment"] is None
    assert (await gql(api, PAYMENT, "user-b", id=paid["id"], refresh=True))["payment"] is None
    admin = await api.gql(PAYMENT, {"id": paid["id"]}, ADMIN)
    assert admin["data"]["payment"]["id"] == paid["id"]


async def test_refresh_corrects_a_mirror_whose_webhook_was_lost(
    api: LiveServer, sandbox: SandboxProcess
) -> None:
    created = await gql(api, CREATE, "user-a", input=payment_input("lost"))
    payment = created["createPaymentIntent"]["payment"]
    await sandbox.remove_webhook_async()  # Stripe's events never arrive
    await sandbox.helper_async(
        f"payment_intents/{payment['stripePaymentIntentId']}/confirm", payment_method="pm_card_visa"
    )
    stale = (await gql(api, PAYMENT, "user-a", id=payment["id"]))["payment"]
    assert stale["status"] == "REQUIRES_PAYMENT_METHOD"
    fresh = (await gql(api, PAYMENT, "user-a", id=payment["id"], refresh=True))["payment"]
    assert fresh["status"] == "SUCCEEDED"
    row = await Payment.get(id=payment["id"])
    assert row.status == PaymentStatus.SUCCEEDED


# ----------------------------------------------------- subscription payments


async def test_every_renewal_is_listed_failed_ones_with_their_message(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    node = await subscribe(shop, sandbox, "user-r")
    sub_id = node["stripeSubscriptionId"]
    customer = (await stripe_get(sandbox, f"/v1/subscriptions/{sub_id}"))["customer"]
    failing = await stripe_post(
        sandbox, "/v1/payment_methods/pm_card_chargeCustomerFail/attach", customer=customer
    )
    await stripe_post(sandbox, f"/v1/subscriptions/{sub_id}", default_payment_method=failing["id"])
    await sandbox.helper_async(f"subscriptions/{sub_id}/advance")
    await sandbox.drain_async()

    listed = (await gql(shop, PAYMENTS, "user-r"))["payments"]
    nodes = [edge["node"] for edge in listed["edges"]]
    assert [(n["purpose"], n["status"]) for n in nodes] == [
        ("SUBSCRIPTION", "FAILED"),
        ("SUBSCRIPTION", "SUCCEEDED"),
    ]
    assert nodes[0]["failureMessage"] == "Your card was declined."
    assert {n["subscription"]["stripeSubscriptionId"] for n in nodes} == {sub_id}
    assert nodes[0]["subscription"]["plan"]["id"] == "premium"
    only = (await gql(shop, PAYMENTS, "user-r", purpose="ONE_TIME"))["payments"]
    assert only["totalCount"] == 0


# ------------------------------------------------------- filters and cursors


async def _history(user: str, count: int, start: datetime) -> list[Payment]:
    purposes = list(PaymentPurpose)
    made = []
    for n in range(count):
        row = await Payment.create(
            user_id=user,
            stripe_payment_intent_id=f"pi_{user}_{n}",
            amount=1000 + n,
            currency="usd",
            status=PaymentStatus.SUCCEEDED,
            purpose=purposes[n % len(purposes)],
        )
        row.created_at = start + timedelta(hours=n)
        await Payment.filter(id=row.id).update(created_at=row.created_at)
        made.append(row)
    return made


async def test_filters_and_cursors_together_over_45_payments(api: LiveServer) -> None:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    rows = await _history("user-h", 45, start)
    await _history("user-other", 5, start)
    since, until = start + timedelta(hours=5), start + timedelta(hours=40)
    expected = [
        str(r.id)
        for r in sorted(rows, key=lambda r: r.created_at, reverse=True)
        if r.purpose == PaymentPurpose.SUBSCRIPTION and since <= r.created_at < until
    ]
    seen: list[str] = []
    after = None
    while True:
        page = (
            await gql(
                api, PAYMENTS, "user-h", purpose="SUBSCRIPTION", createdAfter=since.isoformat(),
                createdBefore=until.isoformat(), first=4, after=after,
            )
        )["payments"]  # fmt: skip
        assert page["totalCount"] == len(expected)
        seen += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(expected) == 11
    assert seen == expected

    body = await api.gql(
        PAYMENTS,
        {"createdAfter": until.isoformat(), "createdBefore": since.isoformat()},
        bearer("user-h"),
    )
    [error] = body["errors"]
    assert error["extensions"] == {"code": "INVALID_INPUT", "field": "createdAfter"}


async def test_payments_with_subscriptions_and_disputes_cost_the_same_queries(
    shop: LiveServer,
) -> None:
    prices = await PlanPrice.filter(interval="month", active=True)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(30):
        price = prices[n % len(prices)]
        await Subscription.create(
            user_id="user-q",
            stripe_subscription_id=f"sub_q_{n}",
            stripe_customer_id="cus_q",
            plan_id=price.plan_id,  # type: ignore[attr-defined]
            stripe_price_id=price.stripe_price_id,
            status=SubscriptionStatus.ACTIVE,
            current_period_start=start,
            current_period_end=start + timedelta(days=31),
        )
        payment = await Payment.create(
            user_id="user-q",
            stripe_payment_intent_id=f"pi_q_{n}",
            stripe_invoice_id=f"in_q_{n}",
            stripe_subscription_id=f"sub_q_{n}",
            amount=999,
            currency="usd",
            status=PaymentStatus.SUCCEEDED,
            purpose=PaymentPurpose.SUBSCRIPTION,
        )
        await Dispute.create(
            payment=payment,
            stripe_dispute_id=f"dp_q_{n}",
            amount=999,
            currency="usd",
            status=DisputeStatus.NEEDS_RESPONSE,
            reason="fraudulent",
            opened_at=start,
        )
    counts = []
    for size in (2, 25):
        with count_queries() as statements:
            page = (await gql(shop, PAYMENTS, "user-q", first=size))["payments"]
        nodes = [edge["node"] for edge in page["edges"]]
        assert len(nodes) == size
        assert all(n["subscription"]["plan"]["id"] and n["dispute"]["reason"] for n in nodes)
        counts.append(len(statements))
    # count, the page, disputes, subscriptions, their plans, the plans' prices.
    assert counts == [6, 6]
