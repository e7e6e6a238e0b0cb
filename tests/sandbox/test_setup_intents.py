"""SetupIntents and saved payment methods: a card saved through a SetupIntent (plainly,
with 3-D Secure, refused by the bank), attached to its customer with the events Stripe
sends; lists by customer, updates, wallet cards, and detaching the default card."""

import pytest
import stripe

from tests.sandbox.billing import event_types
from tests.sandbox.conftest import call_helper


async def _customer(client: stripe.StripeClient) -> str:
    customer = await client.v1.customers.create_async(params={"email": "a@example.com"})
    return customer.id


async def _setup_intent(client: stripe.StripeClient, customer: str) -> stripe.SetupIntent:
    return await client.v1.setup_intents.create_async(
        params={"customer": customer, "automatic_payment_methods": {"enabled": True}}
    )


async def test_created_setup_intent_has_todays_shape(client: stripe.StripeClient) -> None:
    customer = await _customer(client)
    intent = await _setup_intent(client, customer)
    assert intent.id.startswith("seti_")
    assert intent.object == "setup_intent"
    assert intent.status == "requires_payment_method"
    assert intent.customer == customer
    assert intent.usage == "off_session"
    assert intent.client_secret is not None
    assert intent.client_secret.startswith(f"{intent.id}_secret_")
    assert intent.payment_method is None
    assert intent.last_setup_error is None
    assert intent.next_action is None
    assert intent.automatic_payment_methods is not None
    assert intent.automatic_payment_methods.enabled is True
    assert await event_types(client) == ["customer.created", "setup_intent.created"]
    fetched = await client.v1.setup_intents.retrieve_async(intent.id)
    assert fetched.to_dict() == intent.to_dict()


async def test_confirming_saves_the_card_for_the_customer(client: stripe.StripeClient) -> None:
    customer = await _customer(client)
    intent = await _setup_intent(client, customer)
    confirmed = await call_helper(
        client, f"setup_intents/{intent.id}/confirm", payment_method="pm_card_visa"
    )
    assert confirmed.status == "succeeded"
    method = await client.v1.payment_methods.retrieve_async(confirmed.payment_method)
    assert method.customer == customer
    assert method.card is not None and method.card.last4 == "4242"
    assert (await event_types(client))[-2:] == ["payment_method.attached", "setup_intent.succeeded"]


async def test_three_d_secure_card_waits_for_authentication(client: stripe.StripeClient) -> None:
    customer = await _customer(client)
    intent = await _setup_intent(client, customer)
    confirmed = await client.v1.setup_intents.confirm_async(
        intent.id, params={"payment_method": "pm_card_threeDSecure2Required"}
    )
    assert confirmed.status == "requires_action"
    assert confirmed.next_action is not None
    assert confirmed.next_action.type == "use_stripe_sdk"
    method = await client.v1.payment_methods.retrieve_async(confirmed.payment_method)
    assert method.customer is None  # not saved until the customer authenticated
    assert (await event_types(client))[-1] == "setup_intent.requires_action"

    authenticated = await call_helper(client, f"setup_intents/{intent.id}/authenticate")
    assert authenticated.status == "succeeded"
    assert authenticated.next_action is None
    method = await client.v1.payment_methods.retrieve_async(confirmed.payment_method)
    assert method.customer == customer


@pytest.mark.parametrize(
    ("card", "charged"),
    [("pm_card_authenticationRequiredOnSetup", True), ("pm_card_authenticationRequired", False)],
)
async def test_a_card_set_up_with_3d_secure_is_charged_off_session_if_its_bank_lets_it(
    client: stripe.StripeClient, card: str, charged: bool
) -> None:
    """Stripe's "authenticate unless set up" card is charged without the customer once a
    SetupIntent saved it; its "always authenticate" card is declined off-session."""
    customer = await _customer(client)
    intent = await _setup_intent(client, customer)
    confirmed = await client.v1.setup_intents.confirm_async(
        intent.id, params={"payment_method": card}
    )
    assert confirmed.status == "requires_action"
    await call_helper(client, f"setup_intents/{intent.id}/authenticate")
    params = {
        "amount": 2000, "currency": "usd", "customer": customer,
        "payment_method": confirmed.payment_method, "confirm": True, "off_session": True,
    }  # fmt: skip
    if charged:
        paid = await client.v1.payment_intents.create_async(params=params)
        assert paid.status == "succeeded"
    else:
        with pytest.raises(stripe.CardError) as declined:
            await client.v1.payment_intents.create_async(params=params)
        assert declined.value.code == "authentication_required"


async def test_failed_authentication_saves_nothing(client: stripe.StripeClient) -> None:
    customer = await _customer(client)
    intent = await _setup_intent(client, customer)
    await client.v1.setup_intents.confirm_async(
        intent.id, params={"payment_method": "pm_card_threeDSecure2Required"}
    )
    failed = await call_helper(client, f"setup_intents/{intent.id}/authenticate", success=False)
    assert failed.status == "requires_payment_method"
    assert failed.payment_method is None
    assert failed.last_setup_error is not None
    assert failed.last_setup_error.code == "setup_intent_authentication_failure"
    assert (await event_types(client))[-1] == "setup_intent.setup_failed"
    listed = await client.v1.customers.payment_methods.list_async(customer)
    assert listed.data == []


async def test_a_card_the_bank_refuses_is_a_card_error(client: stripe.StripeClient) -> None:
    customer = await _customer(client)
    intent = await _setup_intent(client, customer)
    with pytest.raises(stripe.CardError) as raised:
        await client.v1.setup_intents.confirm_async(
            intent.id, params={"payment_method": "pm_card_chargeDeclinedInsufficientFunds"}
        )
    assert raised.value.code == "card_declined"
    assert raised.value.error is not None
    assert raised.value.error.decline_code == "insufficient_funds"
    fetched = await client.v1.setup_intents.retrieve_async(intent.id)
    assert fetched.status == "requires_payment_method"
    assert fetched.last_setup_error is not None
    assert fetched.last_setup_error.decline_code == "insufficient_funds"


async def test_payment_methods_are_listed_by_customer_newest_first(
    client: stripe.StripeClient,
) -> None:
    first, second = await _customer(client), await _customer(client)
    visa = await client.v1.payment_methods.attach_async("pm_card_visa", params={"customer": first})
    master = await client.v1.payment_methods.attach_async(
        "pm_card_mastercard", params={"customer": first}
    )
    await client.v1.payment_methods.attach_async("pm_card_visa", params={"customer": second})
    listed = await client.v1.payment_methods.list_async(params={"customer": first, "type": "card"})
    assert [m.id for m in listed.data] == [master.id, visa.id]
    by_customer = await client.v1.customers.payment_methods.list_async(first, params={"limit": 1})
    assert [m.id for m in by_customer.data] == [master.id]
    assert by_customer.has_more is True
    with pytest.raises(stripe.InvalidRequestError) as raised:
        await client.v1.payment_methods.list_async(params={"customer": "cus_nope"})
    assert raised.value.param == "customer"


async def test_wallet_cards_say_which_wallet(client: stripe.StripeClient) -> None:
    customer = await _customer(client)
    apple = await client.v1.payment_methods.attach_async(
        "pm_card_applePay", params={"customer": customer}
    )
    google = await client.v1.payment_methods.attach_async(
        "pm_card_googlePay", params={"customer": customer}
    )
    plain = await client.v1.payment_methods.attach_async(
        "pm_card_visa", params={"customer": customer}
    )
    assert apple.card is not None and apple.card.wallet is not None
    assert apple.card.wallet.type == "apple_pay"
    assert google.card is not None and google.card.wallet is not None
    assert google.card.wallet.type == "google_pay"
    assert google.card.brand == "mastercard"
    assert plain.card is not None and plain.card.wallet is None


async def test_update_emits_payment_method_updated(client: stripe.StripeClient) -> None:
    customer = await _customer(client)
    method = await client.v1.payment_methods.attach_async(
        "pm_card_visa", params={"customer": customer}
    )
    updated = await client.v1.payment_methods.update_async(
        method.id, params={"card": {"exp_month": 3, "exp_year": 2031}}
    )
    assert updated.card is not None
    assert (updated.card.exp_month, updated.card.exp_year) == (3, 2031)
    events = await client.v1.events.list_async(params={"type": "payment_method.updated"})
    assert len(events.data) == 1
    previous = events.data[0].data.previous_attributes
    assert previous is not None and previous["card"]["exp_month"] == 12


async def test_detaching_the_default_card_unsets_it(client: stripe.StripeClient) -> None:
    customer = await _customer(client)
    method = await client.v1.payment_methods.attach_async(
        "pm_card_visa", params={"customer": customer}
    )
    await client.v1.customers.update_async(
        customer, params={"invoice_settings": {"default_payment_method": method.id}}
    )
    detached = await client.v1.payment_methods.detach_async(method.id)
    assert detached.customer is None
    fetched = await client.v1.customers.retrieve_async(customer)
    assert fetched.invoice_settings.default_payment_method is None
    assert (await event_types(client))[-2:] == ["customer.updated", "payment_method.detached"]
