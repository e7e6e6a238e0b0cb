"""Subscriptions follow Stripe: checkout, renewals, failed payments, cancellation.

Every handler reads the subscription (and a paid invoice) from Stripe before
it writes: a plan is granted from Stripe's state, not from an event's body.
"""

from __future__ import annotations

import logging

from billing.checkout import mirror_checkout_session
from billing.invoices import (
    FailedInvoice,
    PaidInvoice,
    apply_failed_invoice,
    apply_paid_invoice,
    fetch_failed_invoice,
    fetch_paid_invoice,
)
from billing.mirroring import Newest
from billing.stripe_gateway import StripeGateway
from billing.subscriptions import apply_subscription, fetch_subscription, object_id
from webhooks.registry import Event, handles

log = logging.getLogger(__name__)


async def _subscription(event: Event, gateway: StripeGateway) -> Newest | None:
    return await fetch_subscription(event.object_id, event.created, gateway)


@handles(
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    fetch=_subscription,
)
async def subscription_changed(event: Event, subscription: Newest | None) -> None:
    await apply_subscription(subscription)


@handles("customer.subscription.trial_will_end")
async def trial_will_end(event: Event, fetched: None) -> None:
    """Stripe's three-day notice; the trial's end is already mirrored (trialEnd).
    Logged so that an operator can see which reminders went out."""
    log.info("trial of subscription %s ends at %s", event.object_id, event.object.get("trial_end"))


async def _checkout_subscription(event: Event, gateway: StripeGateway) -> Newest | None:
    subscription = object_id(event.object.get("subscription"))
    if event.object.get("mode") != "subscription" or not subscription:
        return None
    return await fetch_subscription(subscription, event.created, gateway, skip_missing=True)


@handles("checkout.session.completed", fetch=_checkout_subscription)
async def checkout_completed(event: Event, subscription: Newest | None) -> None:
    """The customer paid: the subscription exists, even if its own events are late."""
    await mirror_checkout_session(event.object, event.created)
    await apply_subscription(subscription)


async def _paid_invoice(event: Event, gateway: StripeGateway) -> PaidInvoice | None:
    return await fetch_paid_invoice(event.object_id, event.created, gateway)


@handles("invoice.paid", fetch=_paid_invoice)
async def invoice_paid(event: Event, paid: PaidInvoice | None) -> None:
    """A subscription invoice was paid: it joins the payment history, and the
    subscription (renewed, or recovered from past_due) is refreshed."""
    await apply_paid_invoice(paid)


async def _failed_invoice(event: Event, gateway: StripeGateway) -> FailedInvoice | None:
    return await fetch_failed_invoice(event.object_id, event.created, gateway)


@handles("invoice.payment_failed", fetch=_failed_invoice)
async def invoice_payment_failed(event: Event, failed: FailedInvoice | None) -> None:
    """A renewal was declined: it joins the history as failed, and the
    subscription turns past_due while Stripe retries."""
    await apply_failed_invoice(failed)


async def _schedule_subscription(event: Event, gateway: StripeGateway) -> Newest | None:
    subscription = object_id(
        event.object.get("subscription") or event.object.get("released_subscription")
    )
    if not subscription:
        return None
    return await fetch_subscription(subscription, event.created, gateway, skip_missing=True)


@handles(
    "subscription_schedule.created",
    "subscription_schedule.updated",
    "subscription_schedule.released",
    "subscription_schedule.canceled",
    "subscription_schedule.completed",
    "subscription_schedule.aborted",
    fetch=_schedule_subscription,
)
async def schedule_changed(event: Event, subscription: Newest | None) -> None:
    """A plan change scheduled or called off (by changePlan, or in Stripe's
    dashboard): the subscription is mirrored with its schedule (scheduledChange)."""
    await apply_subscription(subscription)
