"""Coupons, promotion codes and the discounts they put on subscriptions and their invoices;
a trial's pending SetupIntent; an incomplete subscription expiring after 23 hours."""

import pytest
import stripe

from tests.sandbox.billing import customer_paying_with, event_types, latest_event_id, monthly_price
from tests.sandbox.conftest import call_helper

EXPANDED = ["discounts", "discounts.source.coupon", "latest_invoice"]


async def promotion(
    client: stripe.StripeClient, code: str, **coupon: object
) -> stripe.PromotionCode:
    made = await client.v1.coupons.create_async(params={"id": f"c-{code}", **coupon})  # type: ignore[arg-type]
    return await client.v1.promotion_codes.create_async(
        params={"promotion": {"type": "coupon", "coupon": made.id}, "code": code}
    )


async def test_a_promotion_code_discounts_the_subscription_and_its_invoice(
    client: stripe.StripeClient,
) -> None:
    customer = await customer_paying_with(client)
    price = await monthly_price(client, 1999)
    promo = await promotion(client, "SPRING25", percent_off=25, duration="forever")
    assert promo.promotion.coupon == "c-SPRING25"
    assert promo.promotion.type == "coupon"
    subscription = await client.v1.subscriptions.create_async(
        params={
            "customer": customer,
            "items": [{"price": price.id}],
            "discounts": [{"promotion_code": promo.id}],
            "expand": EXPANDED,
        }
    )
    (discount,) = subscription.discounts
    assert isinstance(discount, stripe.Discount)
    assert discount.promotion_code == promo.id
    assert discount.source.type == "coupon"
    coupon = discount.source.coupon
    assert isinstance(coupon, stripe.Coupon)
    assert coupon.percent_off == 25
    assert discount.end is None
    assert discount.subscription == subscription.id
    invoice = subscription.latest_invoice
    assert isinstance(invoice, stripe.Invoice)
    # 25% of 19.99 is 4.9975: 5.00 off, 14.99 charged.
    assert (invoice.subtotal, invoice.total, invoice.amount_paid) == (1999, 1499, 1499)
    assert [d.amount for d in invoice.total_discount_amounts or []] == [500]
    plain = await client.v1.subscriptions.retrieve_async(subscription.id)
    assert plain.discounts == [discount.id]
    used = await client.v1.promotion_codes.retrieve_async(promo.id)
    assert used.times_redeemed == 1
    listed = await client.v1.promotion_codes.list_async(params={"code": "SPRING25"})
    assert [p.id for p in listed.data] == [promo.id]


async def test_checkout_takes_a_code_only_when_it_allows_promotion_codes(
    client: stripe.StripeClient,
) -> None:
    price = await monthly_price(client, 1000)
    await promotion(client, "TENOFF", amount_off=300, currency="usd", duration="repeating",
                    duration_in_months=3)  # fmt: skip
    sessions = [
        await client.v1.checkout.sessions.create_async(
            params={
                "mode": "subscription",
                "line_items": [{"price": price.id, "quantity": 1}],
                "success_url": "http://localhost/ok",
                "allow_promotion_codes": allowed,
            }
        )
        for allowed in (False, True)
    ]
    with pytest.raises(stripe.InvalidRequestError, match="promotion codes"):
        await call_helper(client, f"checkout/sessions/{sessions[0].id}/complete",
                          promotion_code="TENOFF")  # fmt: skip
    with pytest.raises(stripe.InvalidRequestError, match="invalid"):
        await call_helper(client, f"checkout/sessions/{sessions[1].id}/complete",
                          promotion_code="NOPE")  # fmt: skip
    await call_helper(client, f"checkout/sessions/{sessions[1].id}/complete",
                      promotion_code="tenoff")  # fmt: skip
    session = await client.v1.checkout.sessions.retrieve_async(sessions[1].id)
    assert session.status == "complete"
    assert isinstance(session.subscription, str)
    subscription = await client.v1.subscriptions.retrieve_async(
        session.subscription, params={"expand": EXPANDED}
    )
    (discount,) = subscription.discounts
    assert isinstance(discount, stripe.Discount)
    assert discount.end is not None and discount.end > discount.start + 89 * 86400
    invoice = subscription.latest_invoice
    assert isinstance(invoice, stripe.Invoice)
    assert invoice.amount_paid == 700


async def test_a_trial_with_default_incomplete_has_a_pending_setup_intent(
    client: stripe.StripeClient,
) -> None:
    customer = (await client.v1.customers.create_async(params={"email": "t@example.com"})).id
    price = await monthly_price(client)
    subscription = await client.v1.subscriptions.create_async(
        params={
            "customer": customer,
            "items": [{"price": price.id}],
            "trial_period_days": 7,
            "payment_behavior": "default_incomplete",
            "expand": ["pending_setup_intent"],
        }
    )
    assert subscription.status == "trialing"
    intent = subscription.pending_setup_intent
    assert isinstance(intent, stripe.SetupIntent)
    assert intent.customer == customer
    assert intent.client_secret and intent.client_secret.startswith(intent.id + "_secret_")
    # The one SetupIntent of the sandbox: confirmable, and it attaches the card.
    confirmed = await client.v1.setup_intents.confirm_async(
        intent.id, params={"payment_method": "pm_card_visa"}
    )
    assert confirmed.status == "succeeded"
    method = await client.v1.payment_methods.retrieve_async(str(confirmed.payment_method))
    assert method.customer == customer
    plain = await client.v1.subscriptions.create_async(
        params={"customer": customer, "items": [{"price": price.id}], "trial_period_days": 7}
    )
    assert plain.pending_setup_intent is None


async def test_an_unpaid_incomplete_subscription_expires_after_23_hours(
    client: stripe.StripeClient,
) -> None:
    customer = (await client.v1.customers.create_async(params={"email": "x@example.com"})).id
    price = await monthly_price(client)
    subscription = await client.v1.subscriptions.create_async(
        params={
            "customer": customer,
            "items": [{"price": price.id}],
            "payment_behavior": "default_incomplete",
        }
    )
    assert subscription.status == "incomplete"
    start = await latest_event_id(client)
    await call_helper(client, f"subscriptions/{subscription.id}/advance")
    expired = await client.v1.subscriptions.retrieve_async(subscription.id)
    assert expired.status == "incomplete_expired"
    assert expired.ended_at == expired.created + 23 * 3600
    assert isinstance(expired.latest_invoice, str)
    assert (await client.v1.invoices.retrieve_async(expired.latest_invoice)).status == "void"
    assert "customer.subscription.deleted" in await event_types(client, start)
    with pytest.raises(stripe.InvalidRequestError, match="ended"):
        await call_helper(client, f"subscriptions/{subscription.id}/advance")


async def test_a_renewal_preview_takes_the_subscriptions_discount(
    client: stripe.StripeClient,
) -> None:
    customer = await customer_paying_with(client)
    price = await monthly_price(client, 1999)
    promo = await promotion(client, "ALWAYS25", percent_off=25, duration="forever")
    subscription = await client.v1.subscriptions.create_async(
        params={
            "customer": customer,
            "items": [{"price": price.id}],
            "discounts": [{"promotion_code": promo.id}],
        }
    )
    renewal = await client.v1.invoices.create_preview_async(
        params={"subscription": subscription.id}
    )
    assert (renewal.subtotal, renewal.total, renewal.amount_due) == (1999, 1499, 1499)
    assert renewal.discounts == subscription.discounts
    assert [d.amount for d in renewal.total_discount_amounts or []] == [500]


async def test_an_update_replaces_or_removes_the_discounts(client: stripe.StripeClient) -> None:
    customer = await customer_paying_with(client)
    price = await monthly_price(client, 2000)
    subscription = await client.v1.subscriptions.create_async(
        params={"customer": customer, "items": [{"price": price.id}]}
    )
    assert subscription.discounts == []
    coupon = await client.v1.coupons.create_async(
        params={"id": "c-update", "percent_off": 10, "duration": "forever"}
    )
    since = await latest_event_id(client)
    updated = await client.v1.subscriptions.update_async(
        subscription.id,
        params={"discounts": [{"coupon": coupon.id}], "expand": ["discounts.source.coupon"]},
    )
    (discount,) = updated.discounts
    assert isinstance(discount, stripe.Discount) and discount.source.coupon.id == coupon.id
    assert await event_types(client, since) == ["customer.subscription.updated"]
    cleared = await client.v1.subscriptions.update_async(subscription.id, params={"discounts": ""})
    assert cleared.discounts == []
