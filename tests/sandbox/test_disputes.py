"""Disputes opened by the test helper, answered with evidence, won or lost."""

import pytest
import stripe

from tests.sandbox.conftest import call_helper


async def _paid(client: stripe.StripeClient) -> stripe.PaymentIntent:
    return await client.v1.payment_intents.create_async(
        params={
            "amount": 5000,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": True,
        }
    )


async def test_dispute_a_charge(client: stripe.StripeClient) -> None:
    paid = await _paid(client)
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


async def _disputed(client: stripe.StripeClient) -> tuple[stripe.PaymentIntent, stripe.Dispute]:
    paid = await client.v1.payment_intents.create_async(
        params={
            "amount": 5000,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": True,
        }
    )
    dispute = await call_helper(client, f"charges/{paid.latest_charge}/dispute")
    return paid, dispute


@pytest.mark.parametrize(
    ("evidence", "outcome"), [("winning_evidence", "won"), ("losing_evidence", "lost")]
)
async def test_test_evidence_decides_the_dispute(
    client: stripe.StripeClient, evidence: str, outcome: str
) -> None:
    paid, dispute = await _disputed(client)
    answered = await client.v1.disputes.update_async(
        dispute.id,
        params={
            "evidence": {"uncategorized_text": evidence, "customer_name": "Ada"},
            "metadata": {"case": "42"},
        },
    )
    assert answered.status == outcome
    assert answered.evidence.uncategorized_text == evidence
    assert answered.evidence.customer_name == "Ada"
    assert answered.evidence_details.has_evidence is True
    assert answered.evidence_details.submission_count == 1
    assert answered.metadata.to_dict() == {"case": "42"}
    events = (await client.v1.events.list_async(params={"type": "charge.dispute.*"})).data
    assert [e.type for e in events] == [
        "charge.dispute.closed",
        "charge.dispute.updated",
        "charge.dispute.created",
    ]
    assert events[1].data.object["status"] == "under_review"
    assert events[1].data.previous_attributes["status"] == "needs_response"
    assert events[0].data.object["status"] == outcome
    with pytest.raises(stripe.InvalidRequestError):
        await client.v1.disputes.update_async(dispute.id, params={"submit": True})

    # A won dispute's charge can be refunded; a lost one's cannot.
    if outcome == "won":
        refund = await client.v1.refunds.create_async(
            params={"payment_intent": paid.id, "amount": 100}
        )
        assert refund.status == "succeeded"
    else:
        with pytest.raises(stripe.InvalidRequestError) as refused:
            await client.v1.refunds.create_async(params={"payment_intent": paid.id})
        assert refused.value.code == "charge_disputed"


async def test_evidence_kept_without_submitting(client: stripe.StripeClient) -> None:
    _, dispute = await _disputed(client)
    draft = await client.v1.disputes.update_async(
        dispute.id, params={"evidence": {"uncategorized_text": "winning_evidence"}, "submit": False}
    )
    assert draft.status == "needs_response"
    assert draft.evidence_details.has_evidence is False
    with pytest.raises(stripe.InvalidRequestError):
        await client.v1.disputes.update_async(dispute.id, params={"evidence": {"nonsense": "x"}})
