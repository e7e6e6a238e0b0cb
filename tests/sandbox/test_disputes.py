"""Disputes opened by the test helper, and conceded through the API."""

import pytest
import stripe

from tests.sandbox.conftest import call_helper


async def test_dispute_a_charge(client: stripe.StripeClient) -> None:
    paid = await client.v1.payment_intents.create_async(
        params={
            "amount": 5000,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": True,
        }
    )
    charge_id = str(paid.latest_charge)
    dispute = await call_helper(
        client, f"charges/{charge_id}/dispute", reason="product_not_received"
    )
    assert isinstance(dispute, stripe.Dispute)
    assert dispute.id.startswith("dp_")
    assert dispute.charge == charge_id
    assert dispute.payment_intent == paid.id
    assert dispute.amount == 5000
    assert dispute.currency == "usd"
    assert dispute.status == "needs_response"
    assert dispute.reason == "product_not_received"
    assert dispute.evidence_details.has_evidence is False
    assert (await client.v1.charges.retrieve_async(charge_id)).disputed is True
    (event,) = (await client.v1.events.list_async(params={"type": "charge.dispute.*"})).data
    assert event.type == "charge.dispute.created"
    assert event.data.object["id"] == dispute.id
    assert event.data.object["status"] == "needs_response"

    with pytest.raises(stripe.InvalidRequestError) as refused:
        await client.v1.refunds.create_async(params={"payment_intent": paid.id})
    assert refused.value.code == "charge_disputed"
    with pytest.raises(stripe.InvalidRequestError):
        await call_helper(client, f"charges/{charge_id}/dispute")

    closed = await client.v1.disputes.close_async(dispute.id)
    assert closed.status == "lost"
    assert (await client.v1.disputes.retrieve_async(dispute.id)).status == "lost"
    types = [e.type for e in (await client.v1.events.list_async(params={"limit": 2})).data]
    assert types == ["charge.dispute.closed", "charge.dispute.created"]
    listed = await client.v1.disputes.list_async(params={"payment_intent": paid.id})
    assert [d.id for d in listed.data] == [dispute.id]


async def test_a_failed_charge_cannot_be_disputed(client: stripe.StripeClient) -> None:
    intent = await client.v1.payment_intents.create_async(
        params={"amount": 5000, "currency": "usd"}
    )
    with pytest.raises(stripe.CardError):
        await client.v1.payment_intents.confirm_async(
            intent.id, params={"payment_method": "pm_card_chargeDeclined"}
        )
    failed = await client.v1.payment_intents.retrieve_async(intent.id)
    with pytest.raises(stripe.InvalidRequestError):
        await call_helper(client, f"charges/{failed.latest_charge}/dispute")
