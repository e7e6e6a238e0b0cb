"""PaymentIntents for web and mobile: today's shape, confirmation outcomes with the test
cards (success, declines, 3-D Secure), cancellation, events."""

import pytest
import stripe

from sandbox.process import SandboxError, SandboxProcess
from tests.sandbox.billing import event_types
from tests.sandbox.conftest import call_helper


async def _intent(client: stripe.StripeClient, **params: object) -> stripe.PaymentIntent:
    return await client.v1.payment_intents.create_async(
        params={"amount": 2000, "currency": "usd", **params}
    )


async def test_created_intent_has_todays_shape(client: stripe.StripeClient) -> None:
    customer = await client.v1.customers.create_async(params={"email": "a@example.com"})
    intent = await client.v1.payment_intents.create_async(
        params={
            "amount": 2000,
            "currency": "eur",
            "customer": customer.id,
            "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"},
            "metadata": {"order": "42"},
            "description": "Credits",
            "receipt_email": "a@example.com",
        }
    )
    assert intent.id.startswith("pi_")
    assert intent.object == "payment_intent"
    assert intent.status == "requires_payment_method"
    assert intent.client_secret is not None
    assert intent.client_secret.startswith(f"{intent.id}_secret_")
    assert intent.automatic_payment_methods is not None
    assert intent.automatic_payment_methods.to_dict() == {
        "allow_redirects": "never",
        "enabled": True,
    }
    assert intent.latest_charge is None
    assert intent.last_payment_error is None
    assert intent.next_action is None
    assert intent.payment_method is None
    assert intent.amount_received == 0
    assert intent.customer == customer.id
    assert intent.metadata.to_dict() == {"order": "42"}
    assert intent.description == "Credits"
    assert intent.receipt_email == "a@example.com"
    assert intent.capture_method == "automatic_async"
    assert intent.payment_method_types == ["card"]
    assert "charges" not in intent.to_dict()
    assert await event_types(client) == ["customer.created", "payment_intent.created"]
    fetched = await client.v1.payment_intents.retrieve_async(intent.id)
    assert fetched.to_dict() == intent.to_dict()


async def test_automatic_payment_methods_is_todays_default(client: stripe.StripeClient) -> None:
    intent = await _intent(client)
    assert intent.automatic_payment_methods is not None
    assert intent.automatic_payment_methods.enabled is True
    with pytest.raises(stripe.InvalidRequestError):
        await _intent(
            client,
            automatic_payment_methods={"enabled": True},
            payment_method_types=["card"],
        )


@pytest.mark.parametrize(
    ("params", "param", "code"),
    [
        ({"amount": 49, "currency": "usd"}, "amount", "amount_too_small"),
        ({"amount": 100000000, "currency": "usd"}, "amount", "amount_too_large"),
        ({"currency": "usd"}, "amount", "parameter_missing"),
        ({"amount": 2000, "currency": "usd", "customer": "cus_missing"}, "customer", None),
    ],
)
async def test_invalid_intents_are_refused(
    client: stripe.StripeClient, params: dict, param: str, code: str | None
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await client.v1.payment_intents.create_async(params=params)
    assert refused.value.http_status == 400
    assert refused.value.param == param
    if code is not None:
        assert refused.value.code == code
    assert (await client.v1.payment_intents.list_async()).data == []


async def test_helper_confirm_with_visa_succeeds(client: stripe.StripeClient) -> None:
    intent = await _intent(client, metadata={"order": "42"})
    confirmed = await call_helper(
        client, f"payment_intents/{intent.id}/confirm", payment_method="pm_card_visa"
    )
    assert isinstance(confirmed, stripe.PaymentIntent)
    assert confirmed.status == "succeeded"
    assert confirmed.amount_received == 2000
    assert isinstance(confirmed.latest_charge, str)
    assert confirmed.latest_charge.startswith("ch_")
    assert isinstance(confirmed.payment_method, str)

    charge = await client.v1.charges.retrieve_async(confirmed.latest_charge)
    assert charge.status == "succeeded"
    assert charge.paid is True
    assert charge.captured is True
    assert charge.amount == 2000
    assert charge.amount_captured == 2000
    assert charge.amount_refunded == 0
    assert charge.refunded is False
    assert charge.payment_intent == intent.id
    assert charge.payment_method == confirmed.payment_method
    assert charge.metadata.to_dict() == {"order": "42"}
    assert charge.outcome is not None
    assert charge.outcome.type == "authorized"
    assert charge.payment_method_details is not None
    assert charge.payment_method_details.card is not None
    assert charge.payment_method_details.card.last4 == "4242"
    assert charge.payment_method_details.card.brand == "visa"
    assert isinstance(charge.balance_transaction, str)
    assert await event_types(client) == [
        "payment_intent.created",
        "charge.succeeded",
        "payment_intent.succeeded",
    ]


async def test_real_confirm_with_a_declined_card_is_a_card_error(
    client: stripe.StripeClient,
) -> None:
    intent = await _intent(client)
    with pytest.raises(stripe.CardError) as declined:
        await client.v1.payment_intents.confirm_async(
            intent.id, params={"payment_method": "pm_card_chargeDeclined"}
        )
    assert declined.value.http_status == 402
    assert declined.value.code == "card_declined"
    error = declined.value.error
    assert error is not None
    assert error.decline_code == "generic_decline"
    assert error.message == "Your card was declined."
    assert error.payment_intent is not None
    assert error.payment_intent.status == "requires_payment_method"

    failed = await client.v1.payment_intents.retrieve_async(intent.id)
    assert failed.status == "requires_payment_method"
    assert failed.payment_method is None
    assert failed.last_payment_error is not None
    assert failed.last_payment_error.message == "Your card was declined."
    assert failed.last_payment_error.decline_code == "generic_decline"
    assert failed.last_payment_error.type == "card_error"
    assert failed.last_payment_error.charge == failed.latest_charge
    charge = await client.v1.charges.retrieve_async(str(failed.latest_charge))
    assert charge.status == "failed"
    assert charge.failure_code == "card_declined"
    assert charge.outcome is not None
    assert charge.outcome.reason == "generic_decline"

    # The customer tries another card on the same intent.
    retried = await client.v1.payment_intents.confirm_async(
        intent.id, params={"payment_method": "pm_card_visa"}
    )
    assert retried.status == "succeeded"
    assert retried.last_payment_error is None
    assert retried.latest_charge != charge.id
    assert await event_types(client) == [
        "payment_intent.created",
        "charge.failed",
        "payment_intent.payment_failed",
        "charge.succeeded",
        "payment_intent.succeeded",
    ]


async def test_helper_decline_through_sandbox_process(
    client: stripe.StripeClient, sandbox_server: SandboxProcess
) -> None:
    intent = await _intent(client)
    with pytest.raises(SandboxError) as declined:
        await sandbox_server.helper_async(
            f"payment_intents/{intent.id}/confirm",
            payment_method="pm_card_chargeDeclinedInsufficientFunds",
        )
    assert declined.value.status == 402
    assert declined.value.error["type"] == "card_error"
    assert declined.value.error["decline_code"] == "insufficient_funds"
    left = declined.value.error["payment_intent"]
    assert left["last_payment_error"]["message"] == "Your card has insufficient funds."


async def test_three_d_secure_requires_action_until_authenticated(
    client: stripe.StripeClient,
) -> None:
    intent = await _intent(client)
    waiting = await call_helper(
        client,
        f"payment_intents/{intent.id}/confirm",
        payment_method="pm_card_threeDSecure2Required",
    )
    assert waiting.status == "requires_action"
    assert waiting.next_action.type == "use_stripe_sdk"
    assert waiting.latest_charge is None

    done = await call_helper(client, f"payment_intents/{intent.id}/authenticate")
    assert done.status == "succeeded"
    assert done.next_action is None
    charge = await client.v1.charges.retrieve_async(done.latest_charge)
    assert charge.payment_method_details is not None
    assert charge.payment_method_details.card is not None
    three_d_secure = charge.payment_method_details.card.three_d_secure
    assert three_d_secure is not None
    assert three_d_secure.result == "authenticated"
    assert await event_types(client) == [
        "payment_intent.created",
        "payment_intent.requires_action",
        "charge.succeeded",
        "payment_intent.succeeded",
    ]


async def test_failed_authentication_asks_for_another_payment_method(
    client: stripe.StripeClient,
) -> None:
    intent = await _intent(client)
    waiting = await client.v1.payment_intents.confirm_async(
        intent.id,
        params={
            "payment_method": "pm_card_threeDSecure2Required",
            "return_url": "https://app.example.com/done",
        },
    )
    assert waiting.next_action is not None
    assert waiting.next_action.type == "redirect_to_url"
    assert waiting.next_action.redirect_to_url is not None
    assert waiting.next_action.redirect_to_url.return_url == "https://app.example.com/done"
    failed = await call_helper(client, f"payment_intents/{intent.id}/authenticate", success=False)
    assert failed.status == "requires_payment_method"
    assert failed.last_payment_error.code == "payment_intent_authentication_failure"
    assert (await client.v1.charges.list_async()).data == []


async def test_off_session_three_d_secure_is_declined(client: stripe.StripeClient) -> None:
    customer = await client.v1.customers.create_async(params={"email": "a@example.com"})
    method = await client.v1.payment_methods.attach_async(
        "pm_card_authenticationRequired", params={"customer": customer.id}
    )
    with pytest.raises(stripe.CardError) as declined:
        await _intent(
            client, customer=customer.id, payment_method=method.id, confirm=True, off_session=True
        )
    assert declined.value.code == "authentication_required"


async def test_confirming_twice_is_refused(client: stripe.StripeClient) -> None:
    intent = await _intent(client, payment_method="pm_card_visa", confirm=True)
    assert intent.status == "succeeded"
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await client.v1.payment_intents.confirm_async(intent.id)
    assert refused.value.code == "payment_intent_unexpected_state"
    assert len((await client.v1.charges.list_async()).data) == 1


async def test_cancel(client: stripe.StripeClient) -> None:
    intent = await _intent(client)
    canceled = await client.v1.payment_intents.cancel_async(
        intent.id, params={"cancellation_reason": "requested_by_customer"}
    )
    assert canceled.status == "canceled"
    assert canceled.cancellation_reason == "requested_by_customer"
    assert isinstance(canceled.canceled_at, int)
    (event,) = (await client.v1.events.list_async(params={"type": "payment_intent.canceled"})).data
    assert event.data.object["id"] == intent.id
    with pytest.raises(stripe.InvalidRequestError):
        await client.v1.payment_intents.cancel_async(intent.id)
    with pytest.raises(stripe.InvalidRequestError):
        await call_helper(
            client, f"payment_intents/{intent.id}/confirm", payment_method="pm_card_visa"
        )


async def test_update_before_confirmation(client: stripe.StripeClient) -> None:
    intent = await _intent(client, metadata={"a": "1"})
    updated = await client.v1.payment_intents.update_async(
        intent.id, params={"amount": 3000, "metadata": {"b": "2"}, "description": "More"}
    )
    assert updated.amount == 3000
    assert updated.metadata.to_dict() == {"a": "1", "b": "2"}
    assert updated.description == "More"
    confirmed = await client.v1.payment_intents.confirm_async(
        intent.id, params={"payment_method": "pm_card_visa"}
    )
    charge = await client.v1.charges.retrieve_async(str(confirmed.latest_charge))
    assert charge.amount == 3000
    with pytest.raises(stripe.InvalidRequestError):
        await client.v1.payment_intents.update_async(intent.id, params={"amount": 10})


async def test_setup_future_usage_saves_the_card(client: stripe.StripeClient) -> None:
    customer = await client.v1.customers.create_async(params={"email": "a@example.com"})
    intent = await _intent(
        client,
        customer=customer.id,
        setup_future_usage="off_session",
        payment_method="pm_card_visa",
        confirm=True,
    )
    method = await client.v1.payment_methods.retrieve_async(str(intent.payment_method))
    assert method.customer == customer.id


async def test_a_replayed_decline_charges_once(client: stripe.StripeClient) -> None:
    intent = await _intent(client)
    for _ in range(2):
        with pytest.raises(stripe.CardError):
            await client.v1.payment_intents.confirm_async(
                intent.id,
                params={"payment_method": "pm_card_chargeDeclined"},
                options={"idempotency_key": "confirm-1"},
            )
    assert len((await client.v1.charges.list_async()).data) == 1


async def test_list_filters_by_customer(client: stripe.StripeClient) -> None:
    customer = await client.v1.customers.create_async(params={"email": "a@example.com"})
    mine = await _intent(client, customer=customer.id)
    await _intent(client)
    listed = await client.v1.payment_intents.list_async(params={"customer": customer.id})
    assert [i.id for i in listed.data] == [mine.id]
