"""Steps shared by the billing tests: a customer with a saved card, a monthly price, and
the events since a point."""

from datetime import UTC, datetime

import stripe
from dateutil.relativedelta import relativedelta

DAY = 86400
# What a paid invoice emits, in Stripe's order (card charged at once).
PAID_INVOICE_EVENTS = [
    "invoice.created",
    "invoice.finalized",
    "payment_intent.created",
    "charge.succeeded",
    "payment_intent.succeeded",
    "invoice_payment.paid",
    "invoice.paid",
    "invoice.payment_succeeded",
]


async def customer_paying_with(client: stripe.StripeClient, card: str = "pm_card_visa") -> str:
    customer = await client.v1.customers.create_async(params={"email": "a@example.com"})
    method = await client.v1.payment_methods.attach_async(card, params={"customer": customer.id})
    await client.v1.customers.update_async(
        customer.id, params={"invoice_settings": {"default_payment_method": method.id}}
    )
    return customer.id


async def monthly_price(client: stripe.StripeClient, amount: int = 1000) -> stripe.Price:
    return await client.v1.prices.create_async(
        params={
            "product_data": {"name": "Pro"},
            "currency": "usd",
            "unit_amount": amount,
            "recurring": {"interval": "month"},
        }
    )


async def event_types(client: stripe.StripeClient, since: str | None = None) -> list[str]:
    """Types of the events after event ``since`` (all when None), oldest first."""
    events = list(reversed((await client.v1.events.list_async(params={"limit": 100})).data))
    if since is not None:
        events = events[[e.id for e in events].index(since) + 1 :]
    return [e.type for e in events]


async def latest_event_id(client: stripe.StripeClient) -> str:
    return (await client.v1.events.list_async(params={"limit": 1})).data[0].id


def one_month_after(timestamp: int) -> int:
    return int((datetime.fromtimestamp(timestamp, UTC) + relativedelta(months=1)).timestamp())
