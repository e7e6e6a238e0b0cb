"""Invoice previews (``POST /v1/invoices/create_preview``) of a subscription, optionally
with ``subscription_details`` (``items`` with a new ``price``/``quantity``,
``proration_behavior``, ``proration_date``): what Stripe would invoice, computed by the
same proration code as the update itself (sandbox.subscriptions), without changing or
emitting anything.

Which invoice: the one an update would create at once (a new interval, or
``always_invoice`` with a changed price or quantity), else the next renewal's (pending
prorations, the ones the update would add, and the next period at the new prices). The
preview is not stored (listing invoices never shows it); its id starts ``upcoming_in_``.
Previews of new subscriptions, schedules and customers without a subscription are not
modelled (400).
"""

from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from dateutil.relativedelta import relativedelta
from localstripe.resources import StripeObject, random_id, store

from sandbox.customers import Customer
from sandbox.errors import invalid_request
from sandbox.invoice_items import InvoiceItem, proration_amount, proration_description
from sandbox.invoice_lines import InvoiceLineItem, _item_details
from sandbox.invoices import Invoice
from sandbox.params import Params
from sandbox.subscriptions import _ENDED, _PRORATIONS, ItemChange, Subscription


def _unstored(obj: Any) -> Any:
    """A preview and its lines exist only in the answer."""
    store.pop(f"{obj.object}:{obj.id}", None)
    return obj


def _after(start: int, price: Any) -> int:
    recurring = price.recurring
    length = {f"{recurring['interval']}s": recurring["interval_count"]}
    return int((datetime.fromtimestamp(start, UTC) + relativedelta(**length)).timestamp())


class InvoicePreview(Invoice):
    """A draft invoice that is never stored, finalized or paid."""

    _id_prefix = "upcoming_in_"

    def __init__(
        self, id: str, subscription: Any, immediate: bool, lines: list[Any], at: int
    ) -> None:
        StripeObject.__init__(self, id)
        period = (at, at) if immediate else subscription._period()
        self._describe(subscription, "subscription_update" if immediate else "upcoming", period)
        self._lines = lines
        self._discount(subscription, self.billing_reason)
        self._payments = []
        # localstripe's account_balance is today's balance with the sign flipped.
        self.starting_balance = -Customer._api_retrieve(subscription.customer).account_balance
        self.next_payment_attempt = at
        _unstored(self)

    @classmethod
    def _api_create_preview(cls, **data: Any) -> Any:
        params = Params(data)
        customer = params.string("customer")
        subscription = params.reference("subscription", Subscription)
        details = params.nested("subscription_details")
        changes: list[ItemChange] | None = None
        proration, proration_date = "create_prorations", None
        if details is not None and subscription is not None:
            changes = subscription._item_changes(details)
            proration = details.string("proration_behavior", choices=_PRORATIONS) or proration
            proration_date = details.integer("proration_date")
            details.done()
        params.done()
        if subscription is None:
            raise invalid_request(
                "The sandbox previews invoices of existing subscriptions only: pass "
                "`subscription`.",
                "subscription",
            )
        if customer is not None and customer != subscription.customer:
            raise invalid_request("This subscription belongs to another customer.", "customer")
        if subscription.status in _ENDED:
            raise invalid_request(
                "No upcoming invoices for a canceled subscription.", code="invoice_upcoming_none"
            )
        at = subscription._proration_date(proration_date)
        return cls._of(subscription, changes or [], proration, at)

    @classmethod
    def _of(cls, subscription: Any, changes: list[ItemChange], proration: str, at: int) -> Any:
        now = subscription._now()
        id = cls._id_prefix + random_id(24)
        immediate = bool(changes) and subscription._invoices_now(changes, proration)
        new_interval = bool(changes) and subscription._changes_interval(changes)
        lines = [
            _unstored(InvoiceLineItem._for_proration(id, pending))
            for pending in InvoiceItem._pending(subscription.id)
        ]
        for item, price, quantity, period, share in subscription._prorations(
            changes, proration, at
        ):
            details = {**_item_details(subscription.id, item.id, None), "proration": True}
            amount = proration_amount(price, quantity, share)
            description = proration_description(price, quantity, period, share)
            lines.append(
                _unstored(
                    InvoiceLineItem(id, price, quantity, amount, description, period, details)
                )
            )
        if immediate and not new_interval:
            return cls(id, subscription, True, lines, now)
        changed = {item.id: (price, quantity) for item, price, quantity, _ in changes}
        start = now if new_interval else subscription._period()[1]
        for item in subscription._items:
            price, quantity = changed.get(item.id, (item.price, item.quantity))
            terms = SimpleNamespace(
                id=item.id,
                subscription=subscription.id,
                price=price,
                quantity=quantity,
                _amount=proration_amount(price, quantity, Decimal(1)),
            )
            period = (start, _after(start, price))
            lines.append(_unstored(InvoiceLineItem._for_period(id, terms, period, False)))
        return cls(id, subscription, immediate, lines, now if immediate else start)


ROUTES = (("POST", "/v1/invoices/create_preview", InvoicePreview._api_create_preview),)
