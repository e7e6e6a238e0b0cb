"""Customers: today's shape, validated updates with previous_attributes, lists, events."""

import pytest
import stripe


async def test_customer_has_todays_shape(client: stripe.StripeClient) -> None:
    customer = await client.v1.customers.create_async(
        params={"email": "a@example.com", "name": "Ada", "metadata": {"user_id": "u1"}}
    )
    assert customer.id.startswith("cus_")
    assert customer.email == "a@example.com"
    assert customer.name == "Ada"
    assert customer.metadata.to_dict() == {"user_id": "u1"}
    assert customer.balance == 0
    assert customer.preferred_locales == []
    assert customer.invoice_settings.to_dict() == {
        "custom_fields": None,
        "default_payment_method": None,
        "footer": None,
        "rendering_options": None,
    }
    assert len(customer.invoice_prefix) == 8
    assert customer.next_invoice_sequence == 1
    assert (customer.customer_account, customer.business_name, customer.individual_name) == (
        None,
        None,
        None,
    )
    raw = customer.to_dict()
    for legacy in ("account_balance", "business_vat_id", "sources", "subscriptions", "tax_ids"):
        assert legacy not in raw
    (event,) = (await client.v1.events.list_async(params={"type": "customer.created"})).data
    assert event.data.object["id"] == customer.id
    assert event.data.object["metadata"].to_dict() == {"user_id": "u1"}


async def test_delete_answers_the_deleted_customer(client: stripe.StripeClient) -> None:
    customer = await client.v1.customers.create_async(params={"email": "a@example.com"})
    deleted = await client.v1.customers.delete_async(customer.id)
    assert deleted.to_dict() == {"id": customer.id, "object": "customer", "deleted": True}
    with pytest.raises(stripe.InvalidRequestError) as missing:
        await client.v1.customers.retrieve_async(customer.id)
    assert missing.value.http_status == 404
    (event,) = (await client.v1.events.list_async(params={"type": "customer.deleted"})).data
    assert event.data.object["email"] == "a@example.com"


async def test_update_emits_previous_attributes_and_unsets_metadata(
    client: stripe.StripeClient,
) -> None:
    customer = await client.v1.customers.create_async(
        params={"email": "a@example.com", "metadata": {"user_id": "u1", "plan": "free"}}
    )
    updated = await client.v1.customers.update_async(
        customer.id, params={"email": "b@example.com", "metadata": {"plan": ""}}
    )
    assert updated.email == "b@example.com"
    assert updated.metadata.to_dict() == {"user_id": "u1"}
    (event,) = (await client.v1.events.list_async(params={"type": "customer.updated"})).data
    assert event.data.object["email"] == "b@example.com"
    previous = event.data.previous_attributes
    assert previous is not None
    assert previous["email"] == "a@example.com"
    assert previous["metadata"].to_dict() == {"plan": "free"}


async def test_default_payment_method_must_be_attached(client: stripe.StripeClient) -> None:
    customer = await client.v1.customers.create_async(params={"email": "a@example.com"})
    loose = await client.v1.payment_methods.retrieve_async("pm_card_visa")
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await client.v1.customers.update_async(
            customer.id, params={"invoice_settings": {"default_payment_method": loose.id}}
        )
    assert refused.value.param == "invoice_settings[default_payment_method]"

    method = await client.v1.payment_methods.attach_async(
        "pm_card_visa", params={"customer": customer.id}
    )
    updated = await client.v1.customers.update_async(
        customer.id, params={"invoice_settings": {"default_payment_method": method.id}}
    )
    assert updated.invoice_settings.default_payment_method == method.id
    cleared = await client.v1.customers.update_async(
        customer.id, params={"invoice_settings": {"default_payment_method": ""}}
    )
    assert cleared.invoice_settings.default_payment_method is None


async def test_unknown_update_parameter_is_refused(client: stripe.StripeClient) -> None:
    customer = await client.v1.customers.create_async(params={"email": "a@example.com"})
    with pytest.raises(stripe.InvalidRequestError) as refused:
        await client.v1.customers.update_async(customer.id, params={"livemode": True})
    assert refused.value.code == "parameter_unknown"
    assert (await client.v1.events.list_async(params={"type": "customer.updated"})).data == []


async def test_list_is_newest_first_and_filters_by_email(client: stripe.StripeClient) -> None:
    first = await client.v1.customers.create_async(params={"email": "a@example.com"})
    second = await client.v1.customers.create_async(params={"email": "b@example.com"})
    third = await client.v1.customers.create_async(params={"email": "a@example.com"})
    listed = await client.v1.customers.list_async()
    assert [c.id for c in listed.data] == [third.id, second.id, first.id]
    found = await client.v1.customers.list_async(params={"email": "a@example.com"})
    assert [c.id for c in found.data] == [third.id, first.id]


async def test_attaching_a_declining_card_is_a_card_error(client: stripe.StripeClient) -> None:
    customer = await client.v1.customers.create_async(params={"email": "a@example.com"})
    with pytest.raises(stripe.CardError) as declined:
        await client.v1.payment_methods.attach_async(
            "pm_card_chargeDeclinedInsufficientFunds", params={"customer": customer.id}
        )
    assert declined.value.http_status == 402
    assert declined.value.code == "card_declined"
    assert declined.value.error is not None
    assert declined.value.error.decline_code == "insufficient_funds"
    # This card attaches fine and fails only when charged.
    saved = await client.v1.payment_methods.attach_async(
        "pm_card_chargeCustomerFail", params={"customer": customer.id}
    )
    assert saved.customer == customer.id
    assert saved.card is not None
    assert saved.card.last4 == "0341"
    events = (await client.v1.events.list_async(params={"type": "payment_method.*"})).data
    assert [e.type for e in events] == ["payment_method.attached"]
