"""Refunds: whole and partial, refused amounts, failure, events with the charge."""

import pytest
import stripe

from tests.sandbox.conftest import call_helper


@pytest.fixture
async def paid(client: stripe.StripeClient) -> stripe.PaymentIntent:
    return await client.v1.payment_intents.create_async(
        params={
            "amount": 5000,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": True,
        }
    )


async def test_full_refund_of_a_payment_intent(
    client: stripe.StripeClient, paid: stripe.PaymentIntent
) -> None:
    refund = await client.v1.refunds.create_async(
        params={
            "payment_intent": paid.id,
            "reason": "requested_by_customer",
            "metadata": {"ticket": "7"},
        }
    )
    assert refund.id.startswith("re_")
    assert refund.object == "refund"
    assert refund.status == "succeeded"
    assert refund.amount == 5000
    assert refund.currency == "usd"
    assert refund.payment_intent == paid.id
    assert refund.charge == paid.latest_charge
    assert refund.reason == "requested_by_customer"
    assert refund.metadata.to_dict() == {"ticket": "7"}
    assert refund.failure_reason is None
    charge = await client.v1.charges.retrieve_async(str(paid.latest_charge))
    assert charge.amount_refunded == 5000
    assert charge.refunded is True

    events = (await client.v1.events.list_async(params={"limit": 2})).data
    assert [e.type for e in events] == ["charge.refunded", "refund.created"]
    refunded = events[0]
    assert refunded.data.object["amount_refunded"] == 5000
    assert refunded.data.object["refunded"] is True
    assert refunded.data.previous_attributes is not None
    assert refunded.data.previous_attributes.to_dict() == {
        "amount_refunded": 0,
        "refunded": False,
    }
    assert events[1].data.object["id"] == refund.id


async def test_partial_refunds_up_to_the_charge(
    client: stripe.StripeClient, paid: stripe.PaymentIntent
) -> None:
    await client.v1.refunds.create_async(params={"payment_intent": paid.id, "amount": 2000})
    with pytest.raises(stripe.InvalidRequestError) as too_much:
        await client.v1.refunds.create_async(params={"payment_intent": paid.id, "amount": 3001})
    assert too_much.value.param == "amount"
    assert too_much.value.code == "amount_too_large"
    assert "$30.01" in str(too_much.value.user_message)
    assert "$30.00" in str(too_much.value.user_message)

    rest = await client.v1.refunds.create_async(params={"charge": str(paid.latest_charge)})
    assert rest.amount == 3000
    assert rest.payment_intent == paid.id
    with pytest.raises(stripe.InvalidRequestError) as done:
        await client.v1.refunds.create_async(params={"payment_intent": paid.id, "amount": 1})
    assert done.value.code == "charge_already_refunded"
    listed = await client.v1.refunds.list_async(params={"payment_intent": paid.id})
    assert [r.amount for r in listed.data] == [3000, 2000]


async def test_refusals(client: stripe.StripeClient, paid: stripe.PaymentIntent) -> None:
    unpaid = await client.v1.payment_intents.create_async(
        params={"amount": 5000, "currency": "usd"}
    )
    with pytest.raises(stripe.InvalidRequestError) as not_paid:
        await client.v1.refunds.create_async(params={"payment_intent": unpaid.id})
    assert not_paid.value.param == "payment_intent"
    with pytest.raises(stripe.InvalidRequestError) as bad_reason:
        await client.v1.refunds.create_async(
            params={"payment_intent": paid.id, "reason": "changed_mind"}
        )
    assert bad_reason.value.param == "reason"
    with pytest.raises(stripe.InvalidRequestError):
        await client.v1.refunds.create_async(params={})
    assert (await client.v1.refunds.list_async()).data == []


async def test_failed_refund_returns_the_amount(
    client: stripe.StripeClient, paid: stripe.PaymentIntent
) -> None:
    refund = await client.v1.refunds.create_async(params={"payment_intent": paid.id})
    failed = await call_helper(client, f"refunds/{refund.id}/fail")
    assert failed.status == "failed"
    assert failed.failure_reason == "expired_or_canceled_card"
    charge = await client.v1.charges.retrieve_async(str(paid.latest_charge))
    assert charge.amount_refunded == 0
    assert charge.refunded is False

    events = (await client.v1.events.list_async(params={"type": "refund.*"})).data
    assert [e.type for e in events] == ["refund.failed", "refund.updated", "refund.created"]
    updated = events[1]
    assert updated.data.object["status"] == "failed"
    assert updated.data.previous_attributes is not None
    assert updated.data.previous_attributes["status"] == "succeeded"
    with pytest.raises(stripe.InvalidRequestError):
        await call_helper(client, f"refunds/{refund.id}/fail")
    again = await client.v1.refunds.create_async(params={"payment_intent": paid.id})
    assert again.amount == 5000


async def test_update_metadata(client: stripe.StripeClient, paid: stripe.PaymentIntent) -> None:
    refund = await client.v1.refunds.create_async(params={"payment_intent": paid.id})
    updated = await client.v1.refunds.update_async(refund.id, params={"metadata": {"a": "1"}})
    assert updated.metadata.to_dict() == {"a": "1"}
    with pytest.raises(stripe.InvalidRequestError):
        await client.v1.refunds.update_async(refund.id, params={"amount": 1})
