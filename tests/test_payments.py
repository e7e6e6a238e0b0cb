"""One-time payments through GraphQL over HTTP, with the sandbox's signed webhooks."""

from __future__ import annotations

import base64
import json
from dataclasses import fields
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import UUID, uuid4

import pytest
from graphql.execution.executor import Executor
from tortoise.models import Model

from billing.pagination import decode_cursor, encode_cursor, paginate_rows
from billing.payments import PaymentRow
from billing.refunds import RefundRow, refunds_of
from billing.tokens import Role
from graph.money import Money
from models.customers import Customer
from models.payments import Payment, Refund
from sandbox.process import SandboxError, SandboxProcess
from tests.conftest import (
    LiveServer,
    bearer,
    make_settings,
    start_server,
    stripe_get,
    stripe_post,
)
from tests.querycount import count_queries

CREATE = """
mutation($input: CreatePaymentIntentInput!) {
  createPaymentIntent(input: $input) {
    payment { id status amount { amount currency } failureMessage stripePaymentIntentId }
    clientSecret customerId ephemeralKey
    errors { code message field }
  }
}"""

PAYMENTS = """
query($userId: ID, $status: PaymentStatus, $first: Int, $after: String) {
  payments(userId: $userId, status: $status, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id status description failureMessage disputed
      amount { amount currency formatted } amountRefunded { amount }
      refunds { amount { amount } status reason } } }
  }
}"""


def payment_input(key: str = "order-1", **overrides: Any) -> dict[str, Any]:
    return {"amount": 2500, "currency": "usd", "idempotencyKey": key, **overrides}


async def create(api: LiveServer, user: str = "user-a", **overrides: Any) -> dict[str, Any]:
    body = await api.gql(CREATE, {"input": payment_input(**overrides)}, bearer(user))
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["createPaymentIntent"]
    return result


async def confirm(sandbox: SandboxProcess, intent_id: str, card: str) -> None:
    try:
        await sandbox.helper_async(f"payment_intents/{intent_id}/confirm", payment_method=card)
    except SandboxError as declined:
        assert declined.status == 402  # a decline answers like Stripe; the webhook follows
    await sandbox.drain_async()


async def history(api: LiveServer, user: str = "user-a", **variables: Any) -> dict[str, Any]:
    body = await api.gql(PAYMENTS, variables, bearer(user))
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["payments"]
    return result


async def sandbox_intents(sandbox: SandboxProcess) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = (await stripe_get(sandbox, "/v1/payment_intents", limit=100))[
        "data"
    ]
    return data


# ------------------------------------------------------------------ create


async def test_good_card_ends_succeeded_in_the_history(api: LiveServer, sandbox) -> None:
    created = await create(api, description="Poster")
    assert created["errors"] == []
    assert created["payment"]["status"] == "REQUIRES_PAYMENT_METHOD"
    assert created["clientSecret"].startswith(created["payment"]["stripePaymentIntentId"])
    assert created["customerId"].startswith("cus_") and created["ephemeralKey"] is None

    await confirm(sandbox, created["payment"]["stripePaymentIntentId"], "pm_card_visa")

    page = await history(api)
    assert page["totalCount"] == 1
    node = page["edges"][0]["node"]
    assert node["status"] == "SUCCEEDED" and node["description"] == "Poster"
    assert node["amount"] == {"amount": 2500, "currency": "usd", "formatted": "$25.00"}
    assert node["failureMessage"] is None and node["refunds"] == []
    intent = (await sandbox_intents(sandbox))[0]
    assert intent["automatic_payment_methods"]["enabled"] is True
    assert intent["metadata"]["user_id"] == "user-a"


async def test_declined_card_fails_with_a_readable_message(api: LiveServer, sandbox) -> None:
    created = await create(api)
    await confirm(
        sandbox, created["payment"]["stripePaymentIntentId"], "pm_card_chargeCustomerFail"
    )

    node = (await history(api))["edges"][0]["node"]
    assert node["status"] == "FAILED"
    assert node["failureMessage"] and "declined" in node["failureMessage"].lower()


async def test_three_d_secure_card_requires_action(api: LiveServer, sandbox) -> None:
    created = await create(api)
    intent_id = created["payment"]["stripePaymentIntentId"]
    await confirm(sandbox, intent_id, "pm_card_threeDSecure2Required")
    assert (await history(api))["edges"][0]["node"]["status"] == "REQUIRES_ACTION"

    await sandbox.helper_async(f"payment_intents/{intent_id}/authenticate")
    await sandbox.drain_async()
    assert (await history(api))["edges"][0]["node"]["status"] == "SUCCEEDED"


async def test_mobile_gets_an_ephemeral_key_for_its_api_version(api: LiveServer, sandbox) -> None:
    mobile = await create(api, key="m-1", mobileApiVersion="2020-08-27")
    assert mobile["ephemeralKey"].startswith("ek_")
    assert mobile["customerId"].startswith("cus_")

    web = await create(api, key="w-1")
    assert web["ephemeralKey"] is None
    assert web["customerId"] == mobile["customerId"]  # one customer per user
    assert await Customer.filter(user_id="user-a").count() == 1


async def test_customer_is_created_once_when_first_requests_race(api: LiveServer, sandbox) -> None:
    import asyncio

    results = await asyncio.gather(*(create(api, key=f"race-{i}") for i in range(5)))
    assert {r["customerId"] for r in results} == {results[0]["customerId"]}
    assert await Customer.filter(user_id="user-a").count() == 1


async def test_email_change_in_the_token_updates_the_stripe_customer(
    api: LiveServer, sandbox
) -> None:
    from billing.tokens import mint_token

    async def as_email(email: str, key: str) -> str:
        headers = {"Authorization": f"Bearer {mint_token(api.settings, 'user-a', email=email)}"}
        body = await api.gql(CREATE, {"input": payment_input(key)}, headers)
        return str(body["data"]["createPaymentIntent"]["customerId"])

    customer_id = await as_email("old@example.com", "e-1")
    assert await as_email("new@example.com", "e-2") == customer_id
    customer = await stripe_get(sandbox, f"/v1/customers/{customer_id}")
    assert customer["email"] == "new@example.com"
    assert customer["metadata"]["user_id"] == "user-a"


# ------------------------------------------------------------- idempotency


async def test_same_key_returns_the_first_payment_and_one_intent(api: LiveServer, sandbox) -> None:
    first = await create(api, key="same")
    again = await create(api, key="same")
    assert again["payment"]["id"] == first["payment"]["id"]
    assert again["clientSecret"] == first["clientSecret"]
    assert len(await sandbox_intents(sandbox)) == 1

    conflict = await create(api, key="same", amount=9999)
    assert conflict["payment"] is None
    assert conflict["errors"] == [
        {
            "code": "IDEMPOTENCY_CONFLICT",
            "message": "This idempotency key was already used for a different payment.",
            "field": "idempotencyKey",
        }
    ]
    assert (await create(api, key="same", currency="eur"))["errors"][0]["code"] == (
        "IDEMPOTENCY_CONFLICT"
    )
    assert len(await sandbox_intents(sandbox)) == 1
    # Keys belong to their user: another user's "same" is their own payment.
    other = await create(api, user="user-b", key="same")
    assert other["payment"]["id"] != first["payment"]["id"]


async def test_same_key_racing_makes_one_payment(api: LiveServer, sandbox) -> None:
    import asyncio

    results = await asyncio.gather(*(create(api, key="double-click") for _ in range(6)))
    assert {r["payment"]["id"] for r in results} == {results[0]["payment"]["id"]}
    assert len(await sandbox_intents(sandbox)) == 1
    assert await Payment.all().count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": 49}, "amount"),  # below Stripe's 50 cent minimum
        ({"amount": 0}, "amount"),
        ({"amount": -100}, "amount"),
        ({"amount": 100_000_000}, "amount"),
        ({"currency": "xyz"}, "currency"),
        ({"currency": "jpy"}, "currency"),  # a real currency, but not configured
        ({"currency": "gbp", "amount": 29}, "amount"),  # GBP minimum is 30p
        ({"description": "x" * 501}, "description"),
        ({"idempotencyKey": ""}, "idempotencyKey"),
        ({"idempotencyKey": "k" * 256}, "idempotencyKey"),
        ({"idempotencyKey": "tab\there"}, "idempotencyKey"),
        ({"mobileApiVersion": ""}, "mobileApiVersion"),
    ],
)
async def test_invalid_input_names_the_field_and_writes_nothing(
    api: LiveServer, sandbox, overrides: dict[str, Any], field: str
) -> None:
    body = await api.gql(CREATE, {"input": payment_input(**overrides)}, bearer("user-a"))
    result = body["data"]["createPaymentIntent"]
    assert result["payment"] is None and result["clientSecret"] is None
    [error] = result["errors"]
    assert (error["code"], error["field"]) == ("INVALID_INPUT", field)
    assert error["message"]
    assert await Payment.all().count() == 0 and await Customer.all().count() == 0
    assert await sandbox_intents(sandbox) == []


async def test_currency_is_case_insensitive_and_lower_case_in_answers(api: LiveServer) -> None:
    created = await create(api, currency="EUR")
    assert created["payment"]["amount"] == {"amount": 2500, "currency": "eur"}


async def test_anonymous_callers_are_refused(api: LiveServer) -> None:
    body = await api.gql(CREATE, {"input": payment_input()})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await Payment.all().count() == 0


async def test_stripe_down_is_stripe_unavailable_and_nothing_is_stored(db) -> None:
    stripe = SandboxProcess().start()
    port = int(stripe.url.rsplit(":", 1)[1])
    live = await start_server(make_settings(stripe))
    try:
        stripe.stop()
        body = await live.gql(CREATE, {"input": payment_input()}, bearer("user-a"))
        result = body["data"]["createPaymentIntent"]
        assert result["payment"] is None
        assert [e["code"] for e in result["errors"]] == ["STRIPE_UNAVAILABLE"]
        assert await Payment.all().count() == 0 and await Customer.all().count() == 0

        stripe = SandboxProcess(port=port).start()  # the same address comes back
        body = await live.gql(CREATE, {"input": payment_input()}, bearer("user-a"))
        result = body["data"]["createPaymentIntent"]
        assert result["errors"] == [] and result["payment"]["status"] == "REQUIRES_PAYMENT_METHOD"
        assert await Payment.all().count() == 1
    finally:
        stripe.stop()
        await live.stop()


# ----------------------------------------------------------------- history


async def _stored_payments(user: str, count: int, refunds_each: int = 0) -> list[Payment]:
    """Rows as the webhooks would leave them, for history tests that need many."""
    payments = [
        await Payment.create(
            user_id=user,
            stripe_payment_intent_id=f"pi_{user}_{i}",
            amount=1000 + i,
            currency="usd",
            status="succeeded",
        )
        for i in range(count)
    ]
    for payment in payments:
        for n in range(refunds_each):
            await Refund.create(
                payment=payment,
                stripe_refund_id=f"re_{payment.stripe_payment_intent_id}_{n}",
                amount=10,
                currency="usd",
                status="succeeded",
            )
    return payments


async def test_pages_of_20_walk_45_payments_without_gaps_or_repeats(db: str, sandbox) -> None:
    # 45 payments in a row: above the default budget of 30 per 15 minutes.
    api = await start_server(make_settings(sandbox, rate_limit_payments="45 per 15 minutes"))
    try:
        await _walk_45_payments(api)
    finally:
        await api.stop()


async def _walk_45_payments(api: LiveServer) -> None:
    for i in range(45):
        await create(api, key=f"walk-{i}", amount=1000 + i)
    seen: list[int] = []
    after = None
    pages = 0
    while True:
        page = await history(api, first=20, after=after)
        assert page["totalCount"] == 45
        seen += [edge["node"]["amount"]["amount"] for edge in page["edges"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]
    assert pages == 3
    assert seen == [1000 + i for i in reversed(range(45))]  # newest first, each once


@pytest.mark.parametrize(
    "when",
    [
        datetime(2026, 1, 1, tzinfo=UTC),
        datetime(2026, 3, 9, 4, 5, 6, 789, tzinfo=UTC),
        datetime(2026, 3, 9, 4, 5, 6, tzinfo=timezone(timedelta(hours=-5, minutes=-30))),
    ],
)
def test_cursors_keep_the_text_clients_already_hold(when: datetime) -> None:
    row_id = uuid4()
    held = base64.urlsafe_b64encode(json.dumps([when.isoformat(), str(row_id)]).encode())
    assert encode_cursor(when, row_id) == held.decode().rstrip("=")
    assert decode_cursor(encode_cursor(when, row_id)) == (when, row_id)


async def test_page_size_is_capped_and_cursors_checked(api: LiveServer) -> None:
    await _stored_payments("user-a", 120)
    page = await history(api, first=500)
    assert len(page["edges"]) == 100 and page["pageInfo"]["hasNextPage"] is True
    assert len((await history(api, first=0))["edges"]) == 0

    body = await api.gql(PAYMENTS, {"after": "not a cursor"}, bearer("user-a"))
    assert body["errors"][0]["extensions"] == {"code": "INVALID_INPUT", "field": "after"}
    body = await api.gql(PAYMENTS, {"first": -1}, bearer("user-a"))
    assert body["errors"][0]["extensions"] == {"code": "INVALID_INPUT", "field": "first"}


async def test_status_filter(api: LiveServer, sandbox) -> None:
    good = await create(api, key="good")
    await create(api, key="open")
    await confirm(sandbox, good["payment"]["stripePaymentIntentId"], "pm_card_visa")

    succeeded = await history(api, status="SUCCEEDED")
    assert [e["node"]["id"] for e in succeeded["edges"]] == [good["payment"]["id"]]
    assert succeeded["totalCount"] == 1
    assert (await history(api, status="REQUIRES_PAYMENT_METHOD"))["totalCount"] == 1


async def test_users_see_only_their_own_payments(api: LiveServer, sandbox) -> None:
    await create(api, user="user-a", key="a")
    await create(api, user="user-b", key="b")

    assert (await history(api, "user-a"))["totalCount"] == 1
    assert (await history(api, "user-b"))["totalCount"] == 1
    assert (await history(api, "user-a", userId="user-a"))["totalCount"] == 1

    body = await api.gql(PAYMENTS, {"userId": "user-a"}, bearer("user-b"))
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    for role in (Role.ADMIN, Role.SERVICE):
        body = await api.gql(PAYMENTS, {"userId": "user-a"}, bearer("ops", roles=(role,)))
        assert body["data"]["payments"]["totalCount"] == 1


@pytest.mark.parametrize("size", [10, 100])
async def test_query_count_does_not_grow_with_the_page(api: LiveServer, size: int) -> None:
    await _stored_payments("user-a", size, refunds_each=2)
    with count_queries() as statements:
        page = await history(api, first=size)
    assert len(page["edges"]) == size
    assert all(len(e["node"]["refunds"]) == 2 for e in page["edges"])
    # count, page, refunds of the whole page
    assert len(statements) == 3, statements


async def test_the_page_and_its_refunds_are_read_as_values(
    api: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Building a page of model instances cost more than its SQL: the history
    (the caller's and admin allPayments) reads values, no Tortoise models."""
    built: list[str] = []
    original = Model._init_from_db.__func__  # type: ignore[attr-defined]

    def counted(cls: type[Model], **kwargs: Any) -> Model:
        built.append(cls.__name__)
        return original(cls, **kwargs)  # type: ignore[no-any-return]

    await _stored_payments("user-a", 3, refunds_each=2)
    monkeypatch.setattr(Model, "_init_from_db", classmethod(counted))
    page = await history(api, first=2)
    assert [len(e["node"]["refunds"]) for e in page["edges"]] == [2, 2]
    body = await api.gql(ALL_PAYMENTS, {}, bearer("ops", roles=(Role.ADMIN,)))
    assert [len(e["node"]["refunds"]) for e in body["data"]["allPayments"]["edges"]] == [2] * 3
    assert built == []


async def test_listed_values_are_what_tortoise_reads(api: LiveServer) -> None:
    """The page's and its refunds' values (converted by Tortoise's own split of
    the fields, once per query) equal the model instances' own, type and all."""
    stored = await _stored_payments("user-a", 3, refunds_each=1)
    await Payment.filter(id=stored[0].id).update(description="first", disputed=True)
    page = await paginate_rows(
        Payment, PaymentRow, PaymentRow, [("user_id", "=", "user-a")], 10, None
    )
    for row in page.items:
        model = await Payment.get(id=row.id)
        for field in fields(PaymentRow):
            value = getattr(row, field.name)
            expected = getattr(model, field.name)
            assert value == expected and type(value) is type(expected), field.name
    listed = await refunds_of([p.id for p in stored])
    for payment, [refund] in zip(stored, listed, strict=True):
        model_refund = await Refund.get(payment_id=payment.id)
        for field in fields(RefundRow):
            value, expected = getattr(refund, field.name), getattr(model_refund, field.name)
            assert value == expected and type(value) is type(expected), field.name


async def test_payments_created_at_the_same_instant_page_by_id(api: LiveServer) -> None:
    """Ties on created_at are ordered by id (descending), and a cursor inside
    a tie continues after it: every payment once."""
    stored = await _stored_payments("user-a", 5)
    same = datetime(2026, 3, 1, tzinfo=UTC)
    await Payment.filter(user_id="user-a").update(created_at=same)
    seen: list[str] = []
    after = None
    for _ in range(3):
        page = await history(api, first=2, after=after)
        seen += [e["node"]["id"] for e in page["edges"]]
        after = page["pageInfo"]["endCursor"]
    assert seen == sorted((str(p.id) for p in stored), key=UUID, reverse=True)
    assert page["pageInfo"]["hasNextPage"] is False


FRAGMENTED = """
fragment Money on Money { amount }
fragment Node on Payment { id given: refunds { amount { ...Money } status } }
query { payments(first: 10) { edges { ... on PaymentEdge { node { ...Node } } } } }"""
ALL_PAYMENTS = "query { allPayments { edges { node { id refunds { id amount { amount } } } } } }"
WITHOUT_REFUNDS = "query { payments(first: 10) { totalCount edges { node { id status } } } }"


async def test_refunds_load_with_the_page_through_fragments_and_only_when_asked(
    api: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's refunds are loaded ahead (one query) wherever the query asks
    for them, so each refunds field answers without awaiting; and not at all
    when the query doesn't ask."""
    awaited: list[str] = []
    original = Executor.complete_awaitable_value

    def counted(self: Any, return_type: Any, *args: Any, **kwargs: Any) -> Any:
        awaited.append(str(return_type))
        return original(self, return_type, *args, **kwargs)

    monkeypatch.setattr(Executor, "complete_awaitable_value", counted)
    stored = await _stored_payments("user-a", 5, refunds_each=2)
    with count_queries() as statements:
        body = await api.gql(FRAGMENTED, {}, bearer("user-a"))
    assert "errors" not in body, body
    assert awaited == ["PaymentConnection!"]  # the root field only
    nodes = [edge["node"] for edge in body["data"]["payments"]["edges"]]
    assert {node["id"] for node in nodes} == {str(p.id) for p in stored}
    assert all(n["given"] == [{"amount": {"amount": 10}, "status": "succeeded"}] * 2 for n in nodes)
    assert len(statements) == 3, statements  # count, page, the page's refunds
    with count_queries() as statements:
        body = await api.gql(WITHOUT_REFUNDS, {}, bearer("user-a"))
    assert body["data"]["payments"]["totalCount"] == 5
    assert len(statements) == 2, statements  # count, page


BY_ID = "query($id: ID!) { payment(id: $id) { id refunds { amount { amount } status } } }"


async def test_refunds_of_a_payment_outside_a_page_are_read_only_when_asked(
    api: LiveServer,
) -> None:
    """Outside a page a payment's refunds are loaded when the field is awaited,
    so a query that doesn't select them doesn't read them."""
    first, second = await _stored_payments("user-a", 2, refunds_each=2)
    await Refund.filter(payment_id=second.id).delete()
    with count_queries() as statements:
        body = await api.gql(BY_ID, {"id": str(first.id)}, bearer("user-a"))
    assert (
        body["data"]["payment"]["refunds"]
        == [{"amount": {"amount": 10}, "status": "succeeded"}] * 2
    )
    assert len(statements) == 2, statements  # the payment, its refunds
    body = await api.gql(BY_ID, {"id": str(second.id)}, bearer("user-a"))
    assert body["data"]["payment"] == {"id": str(second.id), "refunds": []}
    with count_queries() as statements:
        body = await api.gql(
            "query($id: ID!) { payment(id: $id) { id } }", {"id": str(first.id)}, bearer("user-a")
        )
    assert body["data"]["payment"] == {"id": str(first.id)}
    assert len(statements) == 1, statements


def test_money_is_formatted_once_per_amount_and_currency() -> None:
    """A page repeats a few amounts: each (amount, currency) is one shared object."""
    assert Money.of(1999, "usd") is Money.of(1999, "usd")
    assert Money.of(1999, "usd").formatted == "$19.99"
    assert (Money.of(1999, "chf").currency, Money.of(1999, "chf").formatted) == ("chf", "19.99 CHF")
    assert Money.of(-5, "jpy").formatted == "-¥5"


async def test_canceled_intent_is_mirrored(api: LiveServer, sandbox) -> None:
    created = await create(api)
    await stripe_post(
        sandbox, f"/v1/payment_intents/{created['payment']['stripePaymentIntentId']}/cancel"
    )
    await sandbox.drain_async()
    assert (await history(api))["edges"][0]["node"]["status"] == "CANCELED"


async def test_slow_payment_is_processing_until_it_settles(api: LiveServer, sandbox) -> None:
    created = await create(api)
    intent_id = created["payment"]["stripePaymentIntentId"]
    await confirm(sandbox, intent_id, "pm_card_processing")
    assert (await history(api))["edges"][0]["node"]["status"] == "PROCESSING"

    await sandbox.helper_async(f"payment_intents/{intent_id}/settle")
    await sandbox.drain_async()
    assert (await history(api))["edges"][0]["node"]["status"] == "SUCCEEDED"
