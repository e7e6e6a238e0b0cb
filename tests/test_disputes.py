"""Disputes through their lifecycle, from the sandbox's signed webhooks: opened
(the payment is disputed, refunds stop), then won (cleared, refundable again)
or lost (stays disputed, the loss recorded)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from models.payments import Dispute, DisputeStatus, Payment
from sandbox.process import SandboxProcess
from tests.conftest import LiveServer, bearer, stripe_get, stripe_post
from tests.test_refunds import paid, refund
from tests.test_webhooks import deliver

DISPUTED = """
query { payments { edges { node { id disputed
  dispute { amount { amount currency } status reason createdAt } } } } }"""


async def open_dispute(sandbox: SandboxProcess, payment_id: str, **params: Any) -> str:
    payment = await Payment.get(id=payment_id)
    intent = await stripe_get(sandbox, f"/v1/payment_intents/{payment.stripe_payment_intent_id}")
    dispute = await sandbox.helper_async(f"charges/{intent['latest_charge']}/dispute", **params)
    await sandbox.drain_async()
    dispute_id: str = dispute["id"]
    return dispute_id


async def shown(api: LiveServer) -> dict[str, Any]:
    body = await api.gql(DISPUTED, {}, bearer("user-a"))
    assert "errors" not in body, body
    node: dict[str, Any] = body["data"]["payments"]["edges"][0]["node"]
    return node


async def test_a_won_dispute_clears_disputed_and_refunds_are_possible_again(
    api: LiveServer, sandbox: SandboxProcess
) -> None:
    payment_id = await paid(api, sandbox)
    dispute_id = await open_dispute(sandbox, payment_id, reason="product_not_received")
    opened = await shown(api)
    assert opened["disputed"] is True
    assert opened["dispute"]["status"] == "NEEDS_RESPONSE"
    assert (await refund(api, payment_id))["errors"][0]["code"] == "NOT_REFUNDABLE"

    # The merchant answers with evidence; Stripe's test evidence wins.
    await stripe_post(
        sandbox,
        f"/v1/disputes/{dispute_id}",
        **{"evidence[uncategorized_text]": "winning_evidence"},
    )
    await sandbox.drain_async()

    won = await shown(api)
    assert won["disputed"] is False
    assert won["dispute"]["status"] == "WON"
    again = await refund(api, payment_id, amount=1000)
    assert again["errors"] == [] and again["payment"]["amountRefunded"] == {"amount": 1000}


async def test_a_lost_dispute_stays_disputed_and_records_the_loss(
    api: LiveServer, sandbox: SandboxProcess
) -> None:
    payment_id = await paid(api, sandbox)
    dispute_id = await open_dispute(sandbox, payment_id, amount=1500)
    await stripe_post(sandbox, f"/v1/disputes/{dispute_id}/close")  # conceded
    await sandbox.drain_async()

    lost = await shown(api)
    assert lost["disputed"] is True
    stripe_dispute = await stripe_get(sandbox, f"/v1/disputes/{dispute_id}")
    assert lost["dispute"]["status"] == "LOST"
    assert lost["dispute"]["amount"] == {"amount": 1500, "currency": "usd"}
    assert lost["dispute"]["reason"] == "fraudulent"
    assert (
        datetime.fromisoformat(lost["dispute"]["createdAt"]).timestamp()
        == (stripe_dispute["created"])
    )
    assert (await refund(api, payment_id))["errors"][0]["code"] == "NOT_REFUNDABLE"


async def test_a_late_opening_event_does_not_reopen_a_won_dispute(
    api: LiveServer, sandbox: SandboxProcess
) -> None:
    payment_id = await paid(api, sandbox)
    await sandbox.remove_webhook_async()  # the test delivers the dispute's events itself
    dispute_id = await open_dispute(sandbox, payment_id)
    await stripe_post(
        sandbox,
        f"/v1/disputes/{dispute_id}",
        **{"evidence[uncategorized_text]": "winning_evidence"},
    )
    events = (await stripe_get(sandbox, "/v1/events", type="charge.dispute.*"))["data"]
    assert [e["type"] for e in events] == [
        "charge.dispute.closed",
        "charge.dispute.updated",
        "charge.dispute.created",
    ]
    for item in events:  # newest first: the opening arrives last
        assert (await deliver(api, item)).status_code == 200

    row = await Dispute.get(stripe_dispute_id=dispute_id)
    assert row.status == DisputeStatus.WON
    assert (await Payment.get(id=payment_id)).disputed is False
