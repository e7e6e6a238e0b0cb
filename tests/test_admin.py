"""The admin API over HTTP: every admin field refuses users and services,
customer search by each key, every payment with its filters, the Stripe event
log with a failed event replayed once its cause is fixed, the audit log
written for every administrative action (and not for failed ones), and a
constant number of SQL queries per page."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from billing.audit import record
from billing.stripe_gateway import StripeGateway
from billing.tokens import Caller, Role
from models.audit import AuditEntry
from models.catalog import Plan, PlanPrice
from models.credits import CreditBalance
from models.customers import Customer, PaymentMethod
from models.notifications import DeliveryStatus, NotificationDelivery
from models.payments import Payment, PaymentStatus, Refund
from models.subscriptions import Subscription, SubscriptionStatus
from models.webhooks import EventStatus, WebhookEvent
from sandbox.process import SandboxProcess
from tests.conftest import LiveServer, bearer, make_settings, start_server, stripe_get, token
from tests.querycount import count_queries
from tests.test_credits import grant
from tests.test_disputes import open_dispute
from tests.test_payments import confirm, create
from tests.test_plan_changes import CANCEL_SCHEDULED, CHANGE, RESUME
from tests.test_refunds import paid, refund
from tests.test_subscriptions import CANCEL, subscribe
from tests.test_webhooks import deliver
from tests.test_webhooks import event as webhook_event
from webhooks.registry import Event, Handler, registry

ADMIN = bearer("admin-1", roles=(Role.ADMIN,))
ERRORS = "errors { code message field }"

CUSTOMERS = """query($search: String, $first: Int, $after: String) {
  customers(search: $search, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { userId email name stripeCustomerId
      defaultPaymentMethod { id last4 }
      currentSubscription { id status plan { id } } creditBalance
      lifetimePaid { amount currency } } } } }"""
ALL_PAYMENTS = """query($status: PaymentStatus, $purpose: PaymentPurpose, $disputed: Boolean,
    $createdAfter: DateTime, $createdBefore: DateTime, $first: Int, $after: String) {
  allPayments(status: $status, purpose: $purpose, disputed: $disputed,
      createdAfter: $createdAfter, createdBefore: $createdBefore, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id userId status amount { amount currency } disputed
      refunds { amount { amount } status createdAt }
      dispute { status amount { amount } createdAt closedAt } } } } }"""
EVENTS = """query($status: WebhookEventStatus, $type: String, $first: Int, $after: String) {
  webhookEvents(status: $status, type: $type, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id stripeEventId type status attempts lastError receivedAt processedAt } } } }"""
REPLAY = f"""mutation($input: ReplayWebhookEventInput!) {{ replayWebhookEvent(input: $input) {{
  event {{ id stripeEventId status attempts lastError processedAt }} {ERRORS} }} }}"""
AUDIT = """query($actor: ID, $action: String, $subjectUserId: ID, $first: Int, $after: String) {
  auditLog(actor: $actor, action: $action, subjectUserId: $subjectUserId, first: $first,
      after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id actor action subjectUserId details createdAt } } } }"""
SUMMARY = """query($from: DateTime!, $to: DateTime!) { financialSummary(from: $from, to: $to) {
  newSubscriptions } }"""
UPDATE_CUSTOMER = f"""mutation($input: UpdateCustomerInput!) {{ updateCustomer(input: $input) {{
  customer {{ userId name address {{ country }} }} {ERRORS} }} }}"""
CREATE_ENDPOINT = f"""mutation($input: CreateNotificationEndpointInput!) {{
  createNotificationEndpoint(input: $input) {{ endpoint {{ id url }} secret {ERRORS} }} }}"""
RESEND = f"""mutation($input: ResendNotificationInput!) {{
  resendNotification(input: $input) {{ delivery {{ id status }} {ERRORS} }} }}"""
DISABLE_ENDPOINT = f"""mutation($input: NotificationEndpointIdInput!) {{
  disableNotificationEndpoint(input: $input) {{ endpoint {{ id enabled }} {ERRORS} }} }}"""


async def data(
    api: LiveServer, query: str, headers: dict[str, str] = ADMIN, **variables: Any
) -> dict[str, Any]:
    body = await api.gql(query, variables, headers)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]
    return result


async def mutate(
    api: LiveServer, query: str, headers: dict[str, str] = ADMIN, **fields: Any
) -> dict:
    result = await data(api, query, headers, input=fields)
    (payload,) = result.values()
    assert isinstance(payload, dict)
    return payload


async def audit_rows(action: str | None = None) -> list[AuditEntry]:
    query = AuditEntry.all() if action is None else AuditEntry.filter(action=action)
    return await query.order_by("created_at")


# ------------------------------------------------------------- permissions


ADMIN_FIELDS = {
    "financialSummary": (SUMMARY, {"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"}),
    "customers": (CUSTOMERS, {}),
    "allPayments": (ALL_PAYMENTS, {}),
    "webhookEvents": (EVENTS, {}),
    "auditLog": (AUDIT, {}),
    "replayWebhookEvent": (REPLAY, {"input": {"id": "00000000-0000-0000-0000-000000000000"}}),
}


@pytest.mark.parametrize("field", sorted(ADMIN_FIELDS))
async def test_users_and_services_get_forbidden_on_every_admin_field(
    api: LiveServer, field: str
) -> None:
    query, variables = ADMIN_FIELDS[field]
    for headers in (bearer("user-a"), bearer("svc", roles=(Role.SERVICE,))):
        body = await api.gql(query, variables, headers)
        assert body["data"] is None, body
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
        assert body["errors"][0]["path"] == [field]
    anonymous = await api.gql(query, variables)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    admin = await api.gql(query, variables, ADMIN)
    assert admin["data"] is not None and admin["data"][field] is not None, admin


async def test_arguments_are_checked(api: LiveServer) -> None:
    backwards = {"from": "2026-02-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}
    body = await api.gql(SUMMARY, backwards, ADMIN)
    assert body["errors"][0]["extensions"] == {"code": "INVALID_INPUT", "field": "to"}
    body = await api.gql(
        SUMMARY, {"from": "2026-01-01T00:00:00", "to": "2026-02-01T00:00:00Z"}, ADMIN
    )
    assert body["errors"][0]["extensions"] == {"code": "INVALID_INPUT", "field": "from"}
    for query, variables, field in (
        (CUSTOMERS, {"first": -1}, "first"),
        (EVENTS, {"after": "nope"}, "after"),
        (AUDIT, {"after": "nope"}, "after"),
        (CUSTOMERS, {"search": "x" * 321}, "search"),
        (
            ALL_PAYMENTS,
            {"createdAfter": "2026-02-01T00:00:00Z", "createdBefore": "2026-01-01T00:00:00Z"},
            "createdAfter",
        ),
    ):
        body = await api.gql(query, variables, ADMIN)
        assert body["errors"][0]["extensions"] == {"code": "INVALID_INPUT", "field": field}, body


# --------------------------------------------------------------- customers


async def test_search_finds_a_customer_by_each_key(
    api: LiveServer, sandbox: SandboxProcess
) -> None:
    alice = {"Authorization": f"Bearer {token('user-alice', email='alice@example.com')}"}
    bob = {"Authorization": f"Bearer {token('user-bob', email='bob@example.org')}"}
    for headers, name in ((alice, "Alice Liddell"), (bob, "Robert Tables")):
        updated = await mutate(api, UPDATE_CUSTOMER, headers, name=name)
        assert updated["errors"] == []
    paid_id = await paid(api, sandbox, amount=1800, user="user-alice", key="a1")
    assert (await refund(api, paid_id, amount=300))["errors"] == []
    await paid(api, sandbox, amount=700, user="user-alice", key="a2", currency="eur")
    assert (await grant(api, 40, user="user-alice"))["errors"] == []
    alice_row = await Customer.get(user_id="user-alice")

    for search in ("user-alice", "ALICE@example", "liddell", alice_row.stripe_customer_id):
        found = (await data(api, CUSTOMERS, search=search))["customers"]
        assert [e["node"]["userId"] for e in found["edges"]] == ["user-alice"], search
        assert found["totalCount"] == 1
    node = found["edges"][0]["node"]
    assert node["email"] == "alice@example.com" and node["name"] == "Alice Liddell"
    assert node["currentSubscription"] is None
    assert node["creditBalance"] == 40
    assert node["lifetimePaid"] == [
        {"amount": 700, "currency": "eur"},
        {"amount": 1500, "currency": "usd"},
    ]
    for nothing in ("nobody", "%", "_"):  # LIKE's wildcards are plain characters here
        assert (await data(api, CUSTOMERS, search=nothing))["customers"]["totalCount"] == 0
    # "user-" is part of both ids, but ids match whole: nobody.
    assert (await data(api, CUSTOMERS, search="user-"))["customers"]["totalCount"] == 0
    everyone = (await data(api, CUSTOMERS))["customers"]
    assert [e["node"]["userId"] for e in everyone["edges"]] == ["user-bob", "user-alice"]
    assert everyone["edges"][0]["node"]["creditBalance"] == 0


async def _stored_customers(count: int) -> None:
    """Rows as the flows leave them (each with a card, a subscription and a
    payment): enough of them to show the query count does not grow."""
    price = await PlanPrice.filter(plan_id="premium", interval="month", active=True).first()
    assert price is not None
    now = datetime.now(UTC)
    for i in range(count):
        customer = await Customer.create(
            user_id=f"user-{i}",
            stripe_customer_id=f"cus_{i}",
            email=f"u{i}@example.com",
            default_payment_method=f"pm_{i}",
        )
        await PaymentMethod.create(
            customer=customer, user_id=customer.user_id, stripe_payment_method_id=f"pm_{i}",
            type="card", brand="visa", last4="4242",
        )  # fmt: skip
        await Subscription.create(
            user_id=customer.user_id, stripe_subscription_id=f"sub_{i}",
            stripe_customer_id=customer.stripe_customer_id, plan_id="premium",
            stripe_price_id=price.stripe_price_id, status=SubscriptionStatus.ACTIVE,
            current_period_start=now, current_period_end=now + timedelta(days=30),
        )  # fmt: skip
        await Payment.create(
            user_id=customer.user_id, stripe_payment_intent_id=f"pi_{i}", amount=999,
            currency="usd", status=PaymentStatus.SUCCEEDED,
        )  # fmt: skip
        await CreditBalance.create(user_id=customer.user_id, balance=i)


@pytest.mark.parametrize("size", [3, 30])
async def test_a_customers_page_costs_the_same_queries_whatever_its_size(
    shop: LiveServer, size: int
) -> None:
    await _stored_customers(size)
    with count_queries() as statements:
        page = (await data(shop, CUSTOMERS, first=size))["customers"]
    assert len(page["edges"]) == size
    assert all(
        e["node"]["currentSubscription"]["plan"]["id"] == "premium"
        and e["node"]["lifetimePaid"] == [{"amount": 999, "currency": "usd"}]
        and e["node"]["defaultPaymentMethod"]["last4"] == "4242"
        for e in page["edges"]
    )
    assert sorted(e["node"]["creditBalance"] for e in page["edges"]) == list(range(size))
    # count, page, payment methods, subscriptions + plans + plan prices, credit
    # balances, lifetime paid
    assert len(statements) == 8, statements


# ------------------------------------------------------------ allPayments


async def test_all_payments_lists_every_user_with_filters(
    api: LiveServer, sandbox: SandboxProcess
) -> None:
    first = await paid(api, sandbox, amount=1000, user="user-a", key="k1")
    middle = datetime.now(UTC)
    second = await paid(api, sandbox, amount=2000, user="user-b", key="k2", currency="eur")
    declined = await create(api, user="user-c", key="k3", amount=500)
    await confirm(
        sandbox, declined["payment"]["stripePaymentIntentId"], "pm_card_chargeCustomerFail"
    )
    await open_dispute(sandbox, second)

    def ids(result: dict) -> list[str]:
        return [e["node"]["id"] for e in result["allPayments"]["edges"]]

    every = await data(api, ALL_PAYMENTS)
    assert ids(every) == [declined["payment"]["id"], second, first]
    assert every["allPayments"]["totalCount"] == 3
    assert ids(await data(api, ALL_PAYMENTS, status="SUCCEEDED")) == [second, first]
    assert ids(await data(api, ALL_PAYMENTS, status="FAILED")) == [declined["payment"]["id"]]
    assert ids(await data(api, ALL_PAYMENTS, disputed=True)) == [second]
    assert ids(await data(api, ALL_PAYMENTS, disputed=False)) == [declined["payment"]["id"], first]
    assert ids(await data(api, ALL_PAYMENTS, purpose="ONE_TIME")) == ids(every)
    assert ids(await data(api, ALL_PAYMENTS, purpose="SUBSCRIPTION")) == []
    assert ids(await data(api, ALL_PAYMENTS, createdBefore=middle.isoformat())) == [first]
    after_middle = await data(api, ALL_PAYMENTS, createdAfter=middle.isoformat(), first=1)
    assert ids(after_middle) == [declined["payment"]["id"]]
    assert after_middle["allPayments"]["pageInfo"]["hasNextPage"] is True
    cursor = after_middle["allPayments"]["pageInfo"]["endCursor"]
    rest = await data(api, ALL_PAYMENTS, createdAfter=middle.isoformat(), after=cursor)
    assert ids(rest) == [second]


@pytest.mark.parametrize("size", [5, 50])
async def test_an_all_payments_page_costs_the_same_queries(api: LiveServer, size: int) -> None:
    for i in range(size):
        await Payment.create(
            user_id=f"user-{i}", stripe_payment_intent_id=f"pi_{i}", amount=100 + i,
            currency="usd", status=PaymentStatus.SUCCEEDED,
        )  # fmt: skip
    with count_queries() as statements:
        page = (await data(api, ALL_PAYMENTS, first=size))["allPayments"]
    assert len(page["edges"]) == size
    assert len(statements) == 4, statements  # count, page, refunds, disputes


# -------------------------------------------------- event log and replay


async def test_a_failed_event_is_listed_and_replayed_once_stripe_is_back(
    api: LiveServer, sandbox: SandboxProcess
) -> None:
    created = await create(api, key="late")
    await sandbox.remove_webhook_async()  # the test delivers the payment's events itself
    await confirm(sandbox, created["payment"]["stripePaymentIntentId"], "pm_card_visa")
    (event,) = (await stripe_get(sandbox, "/v1/events", type="payment_intent.succeeded"))["data"]

    # The cause: while this server reaches no Stripe, it cannot read the
    # payment that the event names, so the event fails (and Stripe would retry).
    outage = await start_server(make_settings(sandbox, stripe_api_base="http://127.0.0.1:9"))
    try:
        assert (await deliver(outage, event)).status_code == 500
        failed = (await data(api, EVENTS, status="FAILED"))["webhookEvents"]
        (node,) = [e["node"] for e in failed["edges"]]
        assert node["stripeEventId"] == event["id"] and node["status"] == "FAILED"
        assert node["lastError"].startswith("STRIPE_UNAVAILABLE") and node["attempts"] == 1
        assert (await data(api, EVENTS, type="payment_intent.succeeded"))["webhookEvents"][
            "totalCount"
        ] == 1
        assert (await data(api, EVENTS, status="PROCESSED"))["webhookEvents"]["totalCount"] == 0

        # Replayed where Stripe is still unreachable: it fails again, nothing is logged.
        again = await mutate(outage, REPLAY, id=node["id"])
        assert [e["code"] for e in again["errors"]] == ["INVALID_INPUT"]
        assert "failed again" in again["errors"][0]["message"]
        assert again["event"]["status"] == "FAILED" and again["event"]["attempts"] == 2
        assert await audit_rows() == []
    finally:
        await outage.stop()

    # The cause fixed (this server reaches Stripe): the replay applies it.
    replayed = await mutate(api, REPLAY, id=node["id"])
    assert replayed["errors"] == []
    assert replayed["event"]["status"] == "PROCESSED" and replayed["event"]["lastError"] is None
    assert replayed["event"]["processedAt"] is not None
    assert (await Payment.get(id=created["payment"]["id"])).status is PaymentStatus.SUCCEEDED
    (entry,) = await audit_rows("replayWebhookEvent")
    assert (entry.actor, entry.subject_user_id) == ("admin-1", "user-a")
    assert entry.details == {"id": node["id"], "stripeEventId": event["id"], "type": event["type"]}

    # Once processed, a replay is a no-op that says so (and is not logged).
    noop = await mutate(api, REPLAY, id=node["id"])
    assert [(e["code"], e["field"]) for e in noop["errors"]] == [("INVALID_INPUT", "id")]
    assert "already processed" in noop["errors"][0]["message"]
    assert noop["event"]["attempts"] == replayed["event"]["attempts"]
    assert len(await audit_rows()) == 1
    unknown = await mutate(api, REPLAY, id="not-an-id")
    assert [(e["code"], e["field"]) for e in unknown["errors"]] == [("NOT_FOUND", "id")]


async def test_a_replay_whose_follow_up_fails_is_failed_and_not_audited(
    api: LiveServer,
) -> None:
    """The handler commits, then what must follow it in Stripe fails: the answer
    says the event failed again, and no audit row says the replay happened; once
    the follow-up works, the replay is answered and audited once."""
    await Plan.create(key="free", name="Free")
    fault = {"on": True}

    async def handled(event: Event, fetched: None) -> None:
        await Plan.filter(key="free").update(name="replayed")

    async def follow_up(event: Event, gateway: StripeGateway) -> None:
        if fault["on"]:
            raise RuntimeError("Stripe hiccup")

    registry.add("balance.available", Handler(handled))
    registry.after_commit("balance.available")(follow_up)
    try:
        payload = webhook_event("balance.available", {"id": "bal"})
        assert (await deliver(api, payload)).status_code == 500
        assert (await Plan.get(key="free")).name == "replayed"  # committed before it failed
        row = await WebhookEvent.get(stripe_event_id=payload["id"])
        again = await mutate(api, REPLAY, id=str(row.id))
        assert "failed again" in again["errors"][0]["message"]
        assert "Stripe hiccup" in again["event"]["lastError"]
        assert (again["event"]["status"], again["event"]["attempts"]) == ("FAILED", 2)
        assert await audit_rows() == []

        fault["on"] = False
        replayed = await mutate(api, REPLAY, id=str(row.id))
    finally:
        registry.remove("balance.available")
    assert replayed["errors"] == []
    assert (replayed["event"]["status"], replayed["event"]["attempts"]) == ("PROCESSED", 3)
    (entry,) = await audit_rows("replayWebhookEvent")
    assert entry.details["stripeEventId"] == payload["id"]


@pytest.mark.parametrize("size", [4, 40])
async def test_an_event_log_page_costs_the_same_queries(api: LiveServer, size: int) -> None:
    for i in range(size):
        await WebhookEvent.create(
            stripe_event_id=f"evt_{i}", type="charge.refunded", created=1_700_000_000 + i,
            payload={}, status=EventStatus.PROCESSED,
        )  # fmt: skip
    seen: list[str] = []
    after = None
    with count_queries() as statements:
        page = (await data(api, EVENTS, first=size // 2))["webhookEvents"]
    assert len(statements) == 2, statements  # count, page
    while True:
        seen += [e["node"]["stripeEventId"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
        page = (await data(api, EVENTS, first=size // 2, after=after))["webhookEvents"]
    assert seen == [f"evt_{i}" for i in reversed(range(size))]  # newest received first, once


# -------------------------------------------------------------- audit log


def details(entry: AuditEntry) -> dict[str, Any]:
    return dict(entry.details)


async def test_refunds_are_audited_and_failed_ones_are_not(
    api: LiveServer, sandbox: SandboxProcess
) -> None:
    payment_id = await paid(api, sandbox, amount=2500)
    refused = await refund(api, payment_id, amount=9999)
    assert refused["errors"][0]["code"] == "NOT_REFUNDABLE"
    assert await audit_rows() == []
    # Refused by Stripe (refunded in the dashboard, unknown to billgraph): the
    # attempt was committed before Stripe was asked, the log has nothing.
    other = await paid(api, sandbox, amount=900, key="other")
    await sandbox.remove_webhook_async()
    intent = (await Payment.get(id=other)).stripe_payment_intent_id
    await StripeGateway(api.settings).create_refund(intent, 900, None, {}, "dashboard-all")
    declined = await refund(api, other, amount=100)
    assert [e["code"] for e in declined["errors"]] == ["PAYMENT_FAILED"]
    assert await audit_rows() == []

    done = await refund(api, payment_id, amount=1000, reason="DUPLICATE", idempotencyKey="r-1")
    assert done["errors"] == []
    again = await refund(api, payment_id, amount=1000, reason="DUPLICATE", idempotencyKey="r-1")
    assert again["refund"]["id"] == done["refund"]["id"]  # the same refund: logged once
    (entry,) = await audit_rows()
    assert (entry.actor, entry.action, entry.subject_user_id) == (
        "admin-1",
        "refundPayment",
        "user-a",
    )
    assert details(entry) == {
        "paymentId": payment_id,
        "amount": 1000,
        "reason": "duplicate",
        "refundId": done["refund"]["id"],
        "refunded": 1000,
    }  # the idempotency key is left out with anything named like a secret

    shown = (await data(api, AUDIT, action="refundPayment"))["auditLog"]
    assert shown["totalCount"] == 1
    node = shown["edges"][0]["node"]
    assert json.loads(node["details"]) == details(entry)
    assert (node["actor"], node["subjectUserId"]) == ("admin-1", "user-a")
    for filters, count in (
        ({"actor": "admin-1"}, 1),
        ({"actor": "someone"}, 0),
        ({"subjectUserId": "user-a"}, 1),
        ({"action": "changePlan"}, 0),
    ):
        assert (await data(api, AUDIT, **filters))["auditLog"]["totalCount"] == count


async def test_subscription_actions_for_another_user_are_audited(
    shop: LiveServer, sandbox: SandboxProcess
) -> None:
    user = "user-sub"
    node = await subscribe(shop, sandbox, user)
    own = await mutate(shop, CANCEL, bearer(user), subscriptionId=node["id"], atPeriodEnd=True)
    assert own["errors"] == []
    assert await audit_rows() == []  # a user acting on their own is not an admin action

    resumed = await mutate(shop, RESUME, subscriptionId=node["id"])
    assert resumed["errors"] == []
    refused = await mutate(shop, RESUME, subscriptionId=node["id"])  # nothing to resume now
    assert refused["errors"][0]["code"] == "INVALID_INPUT"
    changed = await mutate(shop, CHANGE, subscriptionId=node["id"], planId="pro")
    assert changed["errors"] == [], changed
    unchanged = await mutate(shop, CHANGE, subscriptionId=node["id"], planId="no-such-plan")
    assert unchanged["errors"] != []
    downgrade = await mutate(shop, CHANGE, subscriptionId=node["id"], planId="premium")
    assert downgrade["subscription"]["scheduledChange"]["plan"]["id"] == "premium"
    called_off = await mutate(shop, CANCEL_SCHEDULED, subscriptionId=node["id"])
    assert called_off["errors"] == []
    nothing_left = await mutate(shop, CANCEL_SCHEDULED, subscriptionId=node["id"])
    assert nothing_left["errors"][0]["code"] == "INVALID_INPUT"
    canceled = await mutate(shop, CANCEL, subscriptionId=node["id"], atPeriodEnd=False)
    assert canceled["errors"] == []
    ended = await mutate(shop, CANCEL, subscriptionId=node["id"], atPeriodEnd=False)
    assert ended["errors"][0]["code"] == "INVALID_INPUT"  # already ended

    entries = await audit_rows()
    assert [(e.actor, e.action, e.subject_user_id) for e in entries] == [
        ("admin-1", "resumeSubscription", user),
        ("admin-1", "changePlan", user),
        ("admin-1", "changePlan", user),
        ("admin-1", "cancelScheduledChange", user),
        ("admin-1", "cancelSubscription", user),
    ]
    assert details(entries[1]) == {
        "subscriptionId": node["id"],
        "planId": "pro",
        "interval": "month",
        "kind": "upgrade",
    }
    assert details(entries[2])["kind"] == "downgrade"
    assert details(entries[3]) == {"subscriptionId": node["id"]}
    assert details(entries[4]) == {"subscriptionId": node["id"], "atPeriodEnd": False}


async def test_customer_updates_by_an_admin_are_audited(api: LiveServer, sandbox) -> None:
    own = await mutate(api, UPDATE_CUSTOMER, bearer("user-c"), name="Carol")
    assert own["errors"] == [] and await audit_rows() == []
    bad = await mutate(api, UPDATE_CUSTOMER, userId="user-c", address={"country": "XX"})
    assert bad["errors"][0]["field"] == "address.country"
    assert await audit_rows() == []
    done = await mutate(api, UPDATE_CUSTOMER, userId="user-c", address={"country": "de"})
    assert done["customer"]["address"]["country"] == "DE"
    (entry,) = await audit_rows()
    assert (entry.actor, entry.action, entry.subject_user_id) == (
        "admin-1",
        "updateCustomer",
        "user-c",
    )
    assert details(entry)["userId"] == "user-c"
    assert details(entry)["address"]["country"] == "de"
    # A service acting for a user is recorded too (as the actor it is).
    service = bearer("svc-billing", roles=(Role.SERVICE,))
    assert (await mutate(api, UPDATE_CUSTOMER, service, userId="user-c", name="C."))["errors"] == []
    assert [(e.actor, e.action) for e in await audit_rows()][-1] == (
        "svc-billing",
        "updateCustomer",
    )


async def test_notification_endpoint_changes_are_audited_without_the_secret(
    api: LiveServer,
) -> None:
    refused = await mutate(api, CREATE_ENDPOINT, url="ftp://example.com/hook")
    assert refused["errors"][0]["field"] == "url"
    assert await audit_rows() == []
    created = await mutate(
        api, CREATE_ENDPOINT, url="http://localhost:9999/hook", events=["payment.succeeded"]
    )
    endpoint_id = created["endpoint"]["id"]
    assert created["secret"].startswith("whsec_")
    missing = await mutate(api, DISABLE_ENDPOINT, id="00000000-0000-0000-0000-000000000000")
    assert missing["errors"][0]["code"] == "NOT_FOUND"
    # A delivery in the log (as the fan-out leaves it) sent again.
    delivery = await NotificationDelivery.create(
        endpoint_id=endpoint_id, event_id=uuid.uuid4(), event_type="payment.succeeded",
        payload="{}", status=DeliveryStatus.FAILED, retry_from=datetime.now(UTC),
    )  # fmt: skip
    resent = await mutate(api, RESEND, deliveryId=str(delivery.id))
    assert resent["delivery"]["status"] == "PENDING"
    unknown = await mutate(api, RESEND, deliveryId=str(uuid.uuid4()))
    assert unknown["errors"][0]["code"] == "NOT_FOUND"
    disabled = await mutate(api, DISABLE_ENDPOINT, id=endpoint_id)
    assert disabled["endpoint"]["enabled"] is False

    entries = await audit_rows()
    assert [(e.action, e.subject_user_id) for e in entries] == [
        ("createNotificationEndpoint", None),
        ("resendNotification", None),
        ("disableNotificationEndpoint", None),
    ]
    assert details(entries[0]) == {
        "endpointId": endpoint_id,
        "url": "http://localhost:9999/hook",
        "events": ["payment.succeeded"],
    }
    logged = (await data(api, AUDIT))["auditLog"]
    assert created["secret"] not in json.dumps(logged)


async def test_record_removes_secrets_at_any_depth(db: str) -> None:
    entry = await record(
        Caller("svc-1"),
        "grantCredits",
        "user-x",
        {
            "amount": 5,
            "apiKey": "k",
            "Authorization_Token": "t",
            "nested": {"signingSecret": "s", "keep": [{"password": "p", "ok": 1}]},
            "at": datetime(2026, 1, 1, tzinfo=UTC),
        },
    )
    stored = await AuditEntry.get(id=entry.id)
    assert stored.details == {
        "amount": 5,
        "nested": {"keep": [{"ok": 1}]},
        "at": "2026-01-01 00:00:00+00:00",
    }


@pytest.mark.parametrize("size", [3, 30])
async def test_an_audit_page_costs_the_same_queries(api: LiveServer, size: int) -> None:
    for i in range(size):
        await record(Caller("admin-1"), "refundPayment", f"user-{i}", {"n": i})
    with count_queries() as statements:
        page = (await data(api, AUDIT, first=size))["auditLog"]
    assert [json.loads(e["node"]["details"])["n"] for e in page["edges"]] == list(
        reversed(range(size))
    )
    assert len(statements) == 2, statements  # count, page


@pytest.mark.parametrize("size", [2, 20])
async def test_the_summary_costs_the_same_queries_whatever_the_rows(
    shop: LiveServer, size: int
) -> None:
    await _stored_customers(size)
    for i, payment in enumerate(await Payment.all()):
        await Refund.create(
            payment=payment, stripe_refund_id=f"re_{i}", amount=100, currency="usd",
            status="succeeded",
        )  # fmt: skip
    window = {
        "from": (datetime.now(UTC) - timedelta(days=1)).isoformat(),
        "to": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
    }
    query = """query($from: DateTime!, $to: DateTime!) { financialSummary(from: $from, to: $to) {
      currencies { gross { amount } refunded { amount } mrr { amount } }
      plans { plan { id prices { interval } } activeSubscriptions } newSubscriptions } }"""
    with count_queries() as statements:
        shown = (await data(shop, query, **window))["financialSummary"]
    assert shown["currencies"] == [
        {
            "gross": {"amount": 999 * size},
            "refunded": {"amount": 100 * size},
            "mrr": {"amount": 999 * size},
        }
    ]
    assert shown["newSubscriptions"] == size
    assert {p["plan"]["id"]: p["activeSubscriptions"] for p in shown["plans"]}["premium"] == size
    # payments, refunds, disputes; MRR groups and their prices; new/churned/live;
    # credits; plan counts and plan keys; the plans with their prices
    assert len(statements) == 11, statements
