"""Subscriptions follow Stripe: checkout, renewals, failed payments, cancellation."""

from __future__ import annotations

import logging

from billing.checkout import mirror_checkout_session
from billing.invoices import record_invoice_payment, subscription_of
from billing.subscriptions import apply_subscription_event, object_id, refresh_subscription
from webhooks.registry import Event, handles

log = logging.getLogger(__name__)


@handles(
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
)
async def subscription_changed(event: Event) -> None:
    await apply_subscription_event(event.object, event.created, event.gateway)


@handles("customer.subscription.trial_will_end")
async def trial_will_end(event: Event) -> None:
    """Stripe's three-day notice; the trial's end is already mirrored (trialEnd).
    Logged so that an operator can see which reminders went out."""
    log.info("trial of subscription %s ends at %s", event.object_id, event.object.get("trial_end"))


@handles("checkout.session.completed")
async def checkout_completed(event: Event) -> None:
    """The customer paid: the subscription exists, even if its own events are late."""
    await mirror_checkout_session(event.object, event.created)
    subscription = object_id(event.object.get("subscription"))
    if event.object.get("mode") == "subscription" and subscription:
        await refresh_subscription(subscription, event.created, event.gateway)


@handles("invoice.paid")
async def invoice_paid(event: Event) -> None:
    """A subscription invoice was paid: it joins the payment history, and the
    subscription (renewed, or recovered from past_due) is refreshed."""
    subscription = subscription_of(event.object)
    if subscription is None:
        return
    await record_invoice_payment(event.object, event.gateway)
    await refresh_subscription(subscription, event.created, event.gateway)


@handles("invoice.payment_failed")
async def invoice_payment_failed(event: Event) -> None:
    """A renewal was declined: the subscription turns past_due while Stripe retries."""
    subscription = subscription_of(event.object)
    if subscription is not None:
        await refresh_subscription(subscription, event.created, event.gateway)


@handles(
    "subscription_schedule.created",
    "subscription_schedule.updated",
    "subscription_schedule.released",
    "subscription_schedule.canceled",
    "subscription_schedule.completed",
    "subscription_schedule.aborted",
)
async def schedule_changed(event: Event) -> None:
    """A plan change scheduled or called off (by changePlan, or in Stripe's
    dashboard): the subscription is mirrored with its schedule (scheduledChange)."""
    subscription = object_id(
        event.object.get("subscription") or event.object.get("released_subscription")
    )
    if subscription:
        await refresh_subscription(subscription, event.created, event.gateway)
