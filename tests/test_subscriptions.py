"""Subscriptions end to end: checkout over GraphQL, the sandbox's signed webhooks,
renewals, trials, cancellation, ownership, event order and query counts."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from billing.catalog import sync_catalog
from billing.entitlements import entitlement
from billing.plans_file import load_catalog
from billing.stripe_gateway import StripeGateway
from billing.tokens import Role
from models.catalog import PlanPrice
from models.payments import Payment
from models.subscriptions import Subscription, SubscriptionStatus
from models.webhooks import EventStatus, WebhookEvent
from sandbox.process import SandboxProcess
from tests.conftest import LiveServer, bearer, make_settings, start_server, stripe_get, stripe_post
from tests.querycount import count_queries
from tests.test_webhooks import deliver

CHECKOUT = """mutation($input: CreateCheckoutSessionInput!) {
  createCheckoutSession(input: $input) { sessionId url errors { code message field } } }"""
NODE = """id status plan { id name price { amount } } currentPeriodStart currentPeriodEnd
  cancelAtPeriodEnd canceledAt endedAt trialEnd stripeSubscriptionId createdAt"""
SUBSCRIPTIONS = f"""query($userId: ID, $status: SubscriptionStatus, $first: Int, $after: String) {{
  subscriptions(userId: $userId, status: $status, first: $first, after: $after) {{
    totalCount pageInfo {{ hasNextPage endCursor }} edges {{ cursor node {{ {NODE} }} }} }} }}"""
CANCEL = f"""mutation($input: CancelSubscriptionInput!) {{
  cancelSubscription(input: $input) {{
    subscription {{ {NODE} }} errors {{ code message field }} }} }}"""

OK_URL = "http://localhost:3000/billing/ok?session={CHECKOUT_SESSION_ID}"
CANCEL_URL = "http://localhost:3000/billing"


# ------------------------------------------------------------------ helpers


def iso(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat()


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def checkout(api: LiveServer, user: str, plan: str = "premium", **fields: Any) -> dict:
    variables = {"input": {"planId": plan, "successUrl": OK_URL, "cancelUrl": CANCEL_URL, **fields}}
    body = await api.gql(CHECKOUT, variables, headers=bearer(user))
    assert "errors" not in body, body
    result: dict = body["data"]["createCheckoutSession"]
    return result


async def listed(api: LiveServer, user: str, **variables: Any) -> list[dict]:
    body = await api.gql(SUBSCRIPTIONS, variables, headers=bearer(user))
    assert "errors" not in body, body
    return [edge["node"] for edge in body["data"]["subscriptions"]["edges"]]


async def cancel(api: LiveServer, user: str, subscription_id: str, at_period_end: bool) -> dict:
    variables = {"input": {"subscriptionId": subscription_id, "atPeriodEnd": at_period_end}}
    body = await api.gql(CANCEL, variables, headers=bearer(user))
    assert "errors" not in body, body
    result: dict = body["data"]["cancelSubscription"]
    return result


async def subscribe(
    api: LiveServer, sandbox: SandboxProcess, user: str, plan: str = "premium"
) -> dict:
    """Check out, pay in the sandbox, wait for the webhooks: the user's subscription."""
    session = await checkout(api, user, plan)
    assert session["errors"] == []
    await sandbox.helper_async(
        f"checkout/sessions/{session['sessionId']}/complete", payment_method="pm_card_visa"
    )
    await sandbox.drain_async()
    nodes = await listed(api, user)
    return nodes[0]


async def plan_of(user: str) -> str:
    return (await entitlement(user, datetime.now(UTC))).plan.key


async def sessions_in_stripe(sandbox: SandboxProcess) -> list[dict]:
    data: list[dict] = (await stripe_get(sandbox, "/v1/checkout/sessions", limit=100))["data"]
    return data


def period_of(subscription: dict) -> tuple[str, str]:
    item = subscription["items"]["data"][0]
    return iso(item["current_period_start"]), iso(item["current_period_end"])


# ----------------------------------------------------------------- checkout


async def test_checkout_makes_an_active_premium_subscriber(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    assert await plan_of("user-a") == "free"
    session = await checkout(shop, "user-a")
    assert session["errors"] == []
    assert session["url"].startswith(sandbox.url)
    sent = await stripe_get(sandbox, f"/v1/checkout/sessions/{session['sessionId']}")
    assert sent["mode"] == "subscription"
    assert sent["client_reference_id"] == "user-a"
    assert sent["metadata"] == {"user_id": "user-a"}
    assert sent["allow_promotion_codes"] is True
    assert sent["success_url"] == OK_URL
    assert sent["amount_total"] == 999

    await sandbox.helper_async(
        f"checkout/sessions/{session['sessionId']}/complete", payment_method="pm_card_visa"
    )
    await sandbox.drain_async()

    (node,) = await listed(shop, "user-a")
    stripe_sub = await stripe_get(sandbox, f"/v1/subscriptions/{node['stripeSubscriptionId']}")
    assert stripe_sub["metadata"] == {"user_id": "user-a"}
    assert node["status"] == "ACTIVE"
    assert node["plan"] == {"id": "premium", "name": "Premium", "price": {"amount": 999}}
    start, end = period_of(stripe_sub)
    assert (parse(node["currentPeriodStart"]), parse(node["currentPeriodEnd"])) == (
        parse(start),
        parse(end),
    )
    assert parse(node["currentPeriodEnd"]) - parse(node["currentPeriodStart"]) >= timedelta(days=28)
    assert node["cancelAtPeriodEnd"] is False
    assert node["trialEnd"] is None
    assert await plan_of("user-a") == "premium"
    assert not await WebhookEvent.filter(status=EventStatus.FAILED).exists()

    (payment,) = await Payment.filter(user_id="user-a")
    assert (payment.amount, payment.currency, payment.status) == (999, "usd", "succeeded")
    assert payment.description == "Premium"
    assert payment.stripe_invoice_id == stripe_sub["latest_invoice"]


async def test_a_plan_with_trial_days_starts_trialing(
    shop: LiveServer, sandbox: SandboxProcess, tmp_path: Path
) -> None:
    default = load_catalog(None)
    plans_file = tmp_path / "plans.toml"
    plans_file.write_text(
        (Path(__file__).parent.parent / "billing" / "default_catalog.toml").read_text()
        + '\n[plans.studio]\nname = "Studio"\nmonthly = 1999\ntrial_days = 14\n'
        + "limits = { images = 500, models = 100 }\n"
    )
    assert len(load_catalog(plans_file).plans) == len(default.plans) + 1
    await sync_catalog(load_catalog(plans_file), StripeGateway(shop.settings))
    await sandbox.drain_async()

    node = await subscribe(shop, sandbox, "user-t", "studio")
    stripe_sub = await stripe_get(sandbox, f"/v1/subscriptions/{node['stripeSubscriptionId']}")
    assert stripe_sub["status"] == "trialing"
    assert node["status"] == "TRIALING"
    assert node["plan"]["id"] == "studio"
    assert parse(node["trialEnd"]) == parse(iso(stripe_sub["trial_end"]))
    assert parse(node["trialEnd"]) - parse(node["createdAt"]) > timedelta(days=13)
    assert await plan_of("user-t") == "studio"
    assert not await Payment.filter(user_id="user-t").exists()  # the trial invoice is free

    await sandbox.helper_async(f"subscriptions/{node['stripeSubscriptionId']}/trial_will_end")
    await sandbox.drain_async()
    (notice,) = await WebhookEvent.filter(type="customer.subscription.trial_will_end")
    assert notice.status == EventStatus.PROCESSED

    await sandbox.helper_async(f"subscriptions/{node['stripeSubscriptionId']}/advance")
    await sandbox.drain_async()
    (after,) = await listed(shop, "user-t")
    assert after["status"] == "ACTIVE"
    assert parse(after["currentPeriodStart"]) == parse(node["trialEnd"])
    assert [p.amount for p in await Payment.filter(user_id="user-t")] == [1999]


async def test_renewal_moves_the_period_and_a_declined_one_is_past_due(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    node = await subscribe(shop, sandbox, "user-r")
    sub_id = node["stripeSubscriptionId"]

    await sandbox.helper_async(f"subscriptions/{sub_id}/advance")
    await sandbox.drain_async()
    (renewed,) = await listed(shop, "user-r")
    assert renewed["status"] == "ACTIVE"
    assert parse(renewed["currentPeriodStart"]) == parse(node["currentPeriodEnd"])
    assert parse(renewed["currentPeriodEnd"]) > parse(node["currentPeriodEnd"])
    assert sorted(p.amount for p in await Payment.filter(user_id="user-r")) == [999, 999]

    customer = (await stripe_get(sandbox, f"/v1/subscriptions/{sub_id}"))["customer"]
    failing = await stripe_post(
        sandbox, "/v1/payment_methods/pm_card_chargeCustomerFail/attach", customer=customer
    )
    await stripe_post(sandbox, f"/v1/subscriptions/{sub_id}", default_payment_method=failing["id"])
    await sandbox.helper_async(f"subscriptions/{sub_id}/advance")
    await sandbox.drain_async()
    (overdue,) = await listed(shop, "user-r")
    assert overdue["status"] == "PAST_DUE"
    assert parse(overdue["currentPeriodStart"]) == parse(renewed["currentPeriodEnd"])
    assert await plan_of("user-r") == "premium"  # access stays while Stripe retries
    statuses = sorted(p.status for p in await Payment.filter(user_id="user-r"))
    assert statuses == ["failed", "succeeded", "succeeded"]  # the declined renewal is listed


async def test_cancel_at_period_end_keeps_access_and_cancel_now_ends_it(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    later = await subscribe(shop, sandbox, "user-a")
    answer = await cancel(shop, "user-a", later["id"], at_period_end=True)
    assert answer["errors"] == []
    assert answer["subscription"]["cancelAtPeriodEnd"] is True
    assert answer["subscription"]["status"] == "ACTIVE"
    await sandbox.drain_async()
    (confirmed,) = await listed(shop, "user-a")
    assert confirmed["cancelAtPeriodEnd"] is True
    assert confirmed["status"] == "ACTIVE"
    assert await plan_of("user-a") == "premium"
    stripe_sub = await stripe_get(sandbox, f"/v1/subscriptions/{later['stripeSubscriptionId']}")
    assert stripe_sub["cancel_at_period_end"] is True

    await sandbox.helper_async(f"subscriptions/{later['stripeSubscriptionId']}/advance")
    await sandbox.drain_async()
    (ended,) = await listed(shop, "user-a")
    assert ended["status"] == "CANCELED"
    assert parse(ended["endedAt"]) == parse(later["currentPeriodEnd"])
    assert await plan_of("user-a") == "free"

    now = await subscribe(shop, sandbox, "user-b")
    answer = await cancel(shop, "user-b", now["id"], at_period_end=False)
    assert answer["errors"] == []
    assert answer["subscription"]["status"] == "CANCELED"  # from Stripe's answer, before webhooks
    assert answer["subscription"]["canceledAt"] is not None
    assert await plan_of("user-b") == "free"
    await sandbox.drain_async()
    (confirmed,) = await listed(shop, "user-b")
    assert confirmed["status"] == "CANCELED"
    stripe_sub = await stripe_get(sandbox, f"/v1/subscriptions/{now['stripeSubscriptionId']}")
    assert stripe_sub["status"] == "canceled"

    again = await cancel(shop, "user-b", now["id"], at_period_end=False)
    assert again["subscription"] is None
    assert [(e["code"], e["field"]) for e in again["errors"]] == [
        ("INVALID_INPUT", "subscriptionId")
    ]


async def test_plan_changes_in_stripe_follow_the_price_even_an_inactive_one(
    shop: LiveServer, sandbox: SandboxProcess, tmp_path: Path
) -> None:
    """A change made outside billgraph (API, portal) arrives as
    customer.subscription.updated; the plan follows the item's price."""
    node = await subscribe(shop, sandbox, "user-a")
    row = await Subscription.get(id=node["id"])
    old_premium = row.stripe_price_id
    plans_file = tmp_path / "plans.toml"
    plans_file.write_text(
        (Path(__file__).parent.parent / "billing" / "default_catalog.toml")
        .read_text()
        .replace("monthly = 999", "monthly = 1099")
    )
    await sync_catalog(load_catalog(plans_file), StripeGateway(shop.settings))
    await sandbox.drain_async()
    assert not (await PlanPrice.get(stripe_price_id=old_premium)).active

    # A change made in Stripe while on the now inactive price keeps the plan;
    # moving to another price moves the plan. (Events are mirrored from
    # Stripe's state, so the changes are made in Stripe.)
    stripe_id = node["stripeSubscriptionId"]
    await stripe_post(sandbox, f"/v1/subscriptions/{stripe_id}", cancel_at_period_end="true")
    await sandbox.drain_async()
    (current,) = await listed(shop, "user-a")
    assert (current["plan"]["id"], current["cancelAtPeriodEnd"]) == ("premium", True)
    assert await plan_of("user-a") == "premium"

    item = (await stripe_get(sandbox, f"/v1/subscriptions/{stripe_id}"))["items"]["data"][0]
    pro = (await PlanPrice.get(plan_id="pro", interval="month", active=True)).stripe_price_id
    await stripe_post(
        sandbox,
        f"/v1/subscriptions/{stripe_id}",
        **{"items[0][id]": item["id"], "items[0][price]": pro},
    )
    await sandbox.drain_async()
    (current,) = await listed(shop, "user-a")
    assert current["plan"]["id"] == "pro"
    assert await plan_of("user-a") == "pro"


async def test_upgrade_mid_period_through_stripe_keeps_the_period_and_bills_the_difference(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    node = await subscribe(shop, sandbox, "user-a")
    stripe_id = node["stripeSubscriptionId"]
    item = (await stripe_get(sandbox, f"/v1/subscriptions/{stripe_id}"))["items"]["data"][0]
    pro = (await PlanPrice.get(plan_id="pro", interval="month", active=True)).stripe_price_id

    await stripe_post(
        sandbox,
        f"/v1/subscriptions/{stripe_id}",
        **{"items[0][id]": item["id"], "items[0][price]": pro},
        proration_behavior="always_invoice",
    )
    await sandbox.drain_async()

    (current,) = await listed(shop, "user-a")
    assert current["plan"]["id"] == "pro" and current["status"] == "ACTIVE"
    assert (current["currentPeriodStart"], current["currentPeriodEnd"]) == (
        node["currentPeriodStart"],
        node["currentPeriodEnd"],
    )
    assert await plan_of("user-a") == "pro"
    # The first invoice and the proration invoice, both in the payment history.
    paid = await Payment.filter(user_id="user-a").order_by("created_at")
    assert len(paid) == 2 and paid[0].amount == 999
    assert 0 < paid[1].amount <= 2999 - 999


# ------------------------------------------------------------------ refusals


def codes(result: dict) -> list[tuple[str, str | None]]:
    return [(e["code"], e["field"]) for e in result["errors"]]


async def test_refused_checkouts_create_nothing_in_stripe(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    customers_before = (await stripe_get(sandbox, "/v1/customers"))["data"]
    refusals: list[tuple[dict[str, Any], tuple[str, str]]] = [
        ({"plan": "free"}, ("INVALID_INPUT", "planId")),
        ({"plan": "platinum"}, ("NOT_FOUND", "planId")),
        ({"successUrl": "/billing/ok"}, ("INVALID_INPUT", "successUrl")),
        ({"successUrl": "javascript:alert(document.cookie)"}, ("INVALID_INPUT", "successUrl")),
        ({"cancelUrl": "ftp://localhost/billing"}, ("INVALID_INPUT", "cancelUrl")),
        ({"successUrl": "localhost:3000/ok"}, ("INVALID_INPUT", "successUrl")),
        ({"successUrl": "https://evil.example.com/ok"}, ("INVALID_INPUT", "successUrl")),
        ({"cancelUrl": "https://evil.example.com\\@localhost/"}, ("INVALID_INPUT", "cancelUrl")),
        ({"cancelUrl": "https://localhost:99999/"}, ("INVALID_INPUT", "cancelUrl")),
        ({"idempotencyKey": " "}, ("INVALID_INPUT", "idempotencyKey")),
    ]
    for fields, expected in refusals:
        result = await checkout(shop, "user-a", **fields)
        assert (result["sessionId"], result["url"]) == (None, None), fields
        assert codes(result) == [expected], fields
        assert result["errors"][0]["message"]
    assert await sessions_in_stripe(sandbox) == []
    assert (await stripe_get(sandbox, "/v1/customers"))["data"] == customers_before

    await subscribe(shop, sandbox, "user-a")
    (first,) = await sessions_in_stripe(sandbox)
    second = await checkout(shop, "user-a", "pro")
    assert codes(second) == [("ALREADY_SUBSCRIBED", None)]
    assert [s["id"] for s in await sessions_in_stripe(sandbox)] == [first["id"]]


async def test_redirect_hosts_come_from_settings(db: str, sandbox: SandboxProcess) -> None:
    server = await start_server(make_settings(sandbox, allowed_redirect_hosts="app.example.com"))
    try:
        await sync_catalog(load_catalog(None), StripeGateway(server.settings))
        local = await checkout(server, "user-a")
        assert codes(local) == [("INVALID_INPUT", "successUrl")]
        allowed = await checkout(
            server,
            "user-a",
            successUrl="https://APP.example.com/done",
            cancelUrl="https://app.example.com/pricing",
        )
        assert allowed["errors"] == []
        (session,) = await sessions_in_stripe(sandbox)
        assert session["id"] == allowed["sessionId"]
    finally:
        await server.stop()


async def test_idempotency_keys_make_a_double_click_safe(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    first, again = [await checkout(shop, "user-a") for _ in range(2)]
    assert first["errors"] == [] and again["sessionId"] == first["sessionId"]
    keyed = await checkout(shop, "user-a", idempotencyKey="k1")
    keyed_again = await checkout(shop, "user-a", idempotencyKey="k1")
    other = await checkout(shop, "user-a", idempotencyKey="k2")
    assert keyed["sessionId"] == keyed_again["sessionId"]
    assert len({first["sessionId"], keyed["sessionId"], other["sessionId"]}) == 3
    conflict = await checkout(shop, "user-a", "pro", idempotencyKey="k1")
    assert codes(conflict) == [("IDEMPOTENCY_CONFLICT", "idempotencyKey")]
    # Another key is another checkout: it replaced the older one (one open at a time).
    assert {s["id"]: s["status"] for s in await sessions_in_stripe(sandbox)} == {
        first["sessionId"]: "expired",
        keyed["sessionId"]: "expired",
        other["sessionId"]: "open",
    }

    # Subscribed, canceled, and back: the same request is a new checkout.
    await sandbox.helper_async(
        f"checkout/sessions/{other['sessionId']}/complete", payment_method="pm_card_visa"
    )
    await sandbox.drain_async()
    (node,) = await listed(shop, "user-a")
    assert (await cancel(shop, "user-a", node["id"], at_period_end=False))["errors"] == []
    comeback = await checkout(shop, "user-a")
    assert comeback["errors"] == []
    assert comeback["sessionId"] != first["sessionId"]
    session = await stripe_get(sandbox, f"/v1/checkout/sessions/{comeback['sessionId']}")
    assert session["status"] == "open"


# ----------------------------------------------------------------- ownership


async def test_users_see_and_cancel_only_their_own(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    mine = await subscribe(shop, sandbox, "user-a")

    peek = await shop.gql(SUBSCRIPTIONS, {"userId": "user-a"}, headers=bearer("user-b"))
    assert peek["data"] is None
    assert peek["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await listed(shop, "user-b") == []
    anonymous = await shop.gql(SUBSCRIPTIONS)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    stolen = await cancel(shop, "user-b", mine["id"], at_period_end=False)
    assert stolen["subscription"] is None
    assert codes(stolen) == [("FORBIDDEN", None)]
    for unknown in (str(uuid.uuid4()), "sub_not_an_id"):
        missing = await cancel(shop, "user-b", unknown, at_period_end=True)
        assert codes(missing) == [("NOT_FOUND", "subscriptionId")]
    stripe_sub = await stripe_get(sandbox, f"/v1/subscriptions/{mine['stripeSubscriptionId']}")
    assert (stripe_sub["status"], stripe_sub["cancel_at_period_end"]) == ("active", False)
    assert (await listed(shop, "user-a"))[0]["status"] == "ACTIVE"

    admin = await shop.gql(
        SUBSCRIPTIONS, {"userId": "user-a"}, headers=bearer("ops", roles=(Role.ADMIN,))
    )
    assert [e["node"]["id"] for e in admin["data"]["subscriptions"]["edges"]] == [mine["id"]]
    by_admin = await cancel_as(shop, "ops", (Role.ADMIN,), mine["id"])
    assert by_admin["subscription"]["cancelAtPeriodEnd"] is True


async def cancel_as(
    api: LiveServer, subject: str, roles: tuple[Role, ...], subscription_id: str
) -> dict:
    variables = {"input": {"subscriptionId": subscription_id}}  # atPeriodEnd defaults to true
    body = await api.gql(CANCEL, variables, headers=bearer(subject, roles=roles))
    result: dict = body["data"]["cancelSubscription"]
    return result


# ---------------------------------------------------------------- event order


@pytest.fixture
async def quiet(db: str, sandbox: SandboxProcess) -> AsyncIterator[LiveServer]:
    """The API with the catalog synced and the sandbox's own webhook delivery
    off: the test delivers the (signed) events itself, in the order it picks."""
    server = await start_server(make_settings(sandbox))
    await sync_catalog(load_catalog(None), StripeGateway(server.settings))
    yield server
    await server.stop()


async def _events_since(sandbox: SandboxProcess, marker: str | None) -> list[dict]:
    """Events after ``marker``, oldest first."""
    newest_first = (await stripe_get(sandbox, "/v1/events", limit=100))["data"]
    ids = [e["id"] for e in newest_first]
    return list(reversed(newest_first[: ids.index(marker)] if marker else newest_first))


async def _snapshot(api: LiveServer, user: str) -> tuple:
    nodes = await listed(api, user)
    payments = await Payment.filter(user_id=user).order_by("stripe_payment_intent_id")
    return (
        [{k: v for k, v in n.items() if k not in ("id", "createdAt")} for n in nodes],
        [(p.stripe_payment_intent_id, p.amount, p.status, p.stripe_invoice_id) for p in payments],
    )


@pytest.mark.parametrize("timing", ["as sent", "a second apart"])
async def test_a_checkouts_events_in_reverse_end_as_in_order(
    quiet: LiveServer, sandbox: SandboxProcess, timing: str
) -> None:
    marker = (await stripe_get(sandbox, "/v1/events", limit=1))["data"][0]["id"]
    session = await checkout(quiet, "user-a")
    await sandbox.helper_async(
        f"checkout/sessions/{session['sessionId']}/complete", payment_method="pm_card_visa"
    )
    events = await _events_since(sandbox, marker)
    assert "customer.subscription.created" in [e["type"] for e in events]
    if timing == "a second apart":  # payloads decide instead of re-fetches
        for offset, item in enumerate(events):
            item["created"] = events[0]["created"] + offset

    for item in reversed(events):
        assert (await deliver(quiet, item)).status_code == 200
    reverse = await _snapshot(quiet, "user-a")

    await WebhookEvent.all().delete()
    await Payment.all().delete()
    await Subscription.all().delete()
    for item in events:
        assert (await deliver(quiet, item)).status_code == 200
    in_order = await _snapshot(quiet, "user-a")

    assert reverse == in_order
    (node,) = reverse[0]
    stripe_sub = await stripe_get(sandbox, f"/v1/subscriptions/{node['stripeSubscriptionId']}")
    assert node["status"] == "ACTIVE" == stripe_sub["status"].upper()
    assert node["plan"]["id"] == "premium"
    assert [amount for _, amount, _, _ in reverse[1]] == [999]
    assert not await WebhookEvent.filter(status=EventStatus.FAILED).exists()


async def test_a_checkouts_events_delivered_at_once_all_apply(
    quiet: LiveServer, sandbox: SandboxProcess
) -> None:
    """Stripe delivers concurrently: events racing to create the same new row
    must not fail (and wait for Stripe's retry) for losing the insert."""
    marker = (await stripe_get(sandbox, "/v1/events", limit=1))["data"][0]["id"]
    session = await checkout(quiet, "user-a")
    await sandbox.helper_async(
        f"checkout/sessions/{session['sessionId']}/complete", payment_method="pm_card_visa"
    )
    events = await _events_since(sandbox, marker)
    clients = [httpx.AsyncClient(base_url=quiet.url) for _ in events]
    try:
        answers = await asyncio.gather(
            *(
                deliver(dataclasses.replace(quiet, client=client), item)  # own connection each
                for client, item in zip(clients, events, strict=True)
            )
        )
    finally:
        for client in clients:
            await client.aclose()
    assert [a.status_code for a in answers] == [200] * len(events)
    (node,) = await listed(quiet, "user-a")
    assert (node["status"], node["plan"]["id"]) == ("ACTIVE", "premium")
    assert await Payment.filter(user_id="user-a").count() == 1


async def test_invoice_paid_reads_the_invoice_and_its_payments_from_stripe(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    """``payments`` is includable on Stripe's Invoice: events never carry it."""
    await subscribe(shop, sandbox, "user-a")
    (paid,) = (await stripe_get(sandbox, "/v1/events", type="invoice.paid"))["data"]
    assert "payments" not in paid["data"]["object"]
    (before,) = await Payment.filter(user_id="user-a").values_list(
        "stripe_payment_intent_id", "amount", "stripe_invoice_id"
    )
    await Payment.all().delete()
    again = {**paid, "id": paid["id"] + "_again"}
    assert (await deliver(shop, again)).status_code == 200
    after = await Payment.filter(user_id="user-a").values_list(
        "stripe_payment_intent_id", "amount", "stripe_invoice_id"
    )
    assert after == [before]


async def test_an_invoice_paid_out_of_band_recovers_the_subscription(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    """Paid outside Stripe: no PaymentIntent, nothing for the payment history,
    but the subscription is paid up (not a 500 that Stripe retries for days)."""
    node = await subscribe(shop, sandbox, "user-o")
    sub_id = node["stripeSubscriptionId"]
    customer = (await stripe_get(sandbox, f"/v1/subscriptions/{sub_id}"))["customer"]
    failing = await stripe_post(
        sandbox, "/v1/payment_methods/pm_card_chargeCustomerFail/attach", customer=customer
    )
    await stripe_post(sandbox, f"/v1/subscriptions/{sub_id}", default_payment_method=failing["id"])
    await sandbox.helper_async(f"subscriptions/{sub_id}/advance")
    await sandbox.drain_async()
    assert (await listed(shop, "user-o"))[0]["status"] == "PAST_DUE"

    invoice = (await stripe_get(sandbox, f"/v1/subscriptions/{sub_id}"))["latest_invoice"]
    await stripe_post(sandbox, f"/v1/invoices/{invoice}/pay", paid_out_of_band="true")
    await sandbox.drain_async()

    assert (await listed(shop, "user-o"))[0]["status"] == "ACTIVE"
    (event_row,) = await WebhookEvent.filter(type="invoice.paid").order_by("-created").limit(1)
    assert event_row.status == EventStatus.PROCESSED
    assert not await WebhookEvent.filter(status=EventStatus.FAILED).exists()
    # The first invoice's payment and the declined attempt; nothing for the out-of-band one.
    statuses = sorted(p.status for p in await Payment.filter(user_id="user-o"))
    assert statuses == ["canceled", "succeeded"], statuses


# ------------------------------------------------------- pagination and N+1


async def test_pages_of_subscriptions_cost_the_same_few_queries(shop: LiveServer) -> None:
    prices = await PlanPrice.filter(interval="month", active=True)
    statuses = list(SubscriptionStatus)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(30):
        price = prices[n % len(prices)]
        await Subscription.create(
            user_id="user-p",
            stripe_subscription_id=f"sub_many_{n}",
            stripe_customer_id="cus_many",
            plan_id=price.plan_id,  # type: ignore[attr-defined]
            stripe_price_id=price.stripe_price_id,
            status=statuses[n % len(statuses)],
            current_period_start=start,
            current_period_end=start + timedelta(days=31),
        )
    await Subscription.create(
        user_id="someone-else",
        stripe_subscription_id="sub_other",
        stripe_customer_id="cus_other",
        plan_id=prices[0].plan_id,  # type: ignore[attr-defined]
        stripe_price_id=prices[0].stripe_price_id,
        status=SubscriptionStatus.ACTIVE,
        current_period_start=start,
        current_period_end=start + timedelta(days=31),
    )

    counts = []
    for size in (2, 25):
        with count_queries() as statements:
            nodes = await listed(shop, "user-p", first=size)
        assert len(nodes) == size
        assert all(node["plan"]["price"]["amount"] > 0 for node in nodes)
        counts.append(len(statements))
    # count, the page, its plans, their prices: however many subscriptions.
    assert counts == [4, 4]

    seen: list[str] = []
    after = None
    while True:
        body = await shop.gql(SUBSCRIPTIONS, {"first": 7, "after": after}, headers=bearer("user-p"))
        page = body["data"]["subscriptions"]
        assert page["totalCount"] == 30
        seen += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    rows = await Subscription.filter(user_id="user-p").order_by("-created_at", "-id")
    assert seen == [str(row.id) for row in rows]

    canceled = await listed(shop, "user-p", status="CANCELED", first=100)
    expected = [r for r in rows if r.status == SubscriptionStatus.CANCELED]
    assert [n["id"] for n in canceled] == [str(r.id) for r in expected]
    assert expected and all(n["status"] == "CANCELED" for n in canceled)


# ------------------------------------------------------------ billing portal

PORTAL = """mutation($input: CreateBillingPortalSessionInput!) {
  createBillingPortalSession(input: $input) { url errors { code message field } } }"""


async def portal_sessions(sandbox: SandboxProcess) -> list[dict]:
    """Stripe can't list portal sessions; its events name each one made."""
    events = await stripe_get(sandbox, "/v1/events", type="billing_portal.session.created")
    return [e["data"]["object"] for e in events["data"]]


async def portal(api: LiveServer, user: str, return_url: str) -> dict:
    body = await api.gql(PORTAL, {"input": {"returnUrl": return_url}}, headers=bearer(user))
    assert "errors" not in body, body
    result: dict = body["data"]["createBillingPortalSession"]
    return result


async def test_billing_portal_for_a_customer_only_returning_to_allowed_hosts(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    nobody = await portal(shop, "user-new", CANCEL_URL)
    assert [(e["code"], e["field"]) for e in nobody["errors"]] == [("NOT_FOUND", None)]

    node = await subscribe(shop, sandbox, "user-a")
    offsite = await portal(shop, "user-a", "https://evil.example/billing")
    assert codes(offsite) == [("INVALID_INPUT", "returnUrl")] and offsite["url"] is None
    assert await portal_sessions(sandbox) == []

    opened = await portal(shop, "user-a", CANCEL_URL)
    assert opened["errors"] == []
    (session,) = await portal_sessions(sandbox)
    assert session["url"] == opened["url"] and session["return_url"] == CANCEL_URL
    stripe_sub = await stripe_get(sandbox, f"/v1/subscriptions/{node['stripeSubscriptionId']}")
    assert session["customer"] == stripe_sub["customer"]  # the caller's own customer
    async with httpx.AsyncClient() as browser:
        assert (await browser.get(opened["url"])).status_code == 200
