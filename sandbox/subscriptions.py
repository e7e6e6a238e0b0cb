"""Subscriptions (``/v1/subscriptions``) on recurring prices (or plans), in today's shape:
the billing period on each item, trials, ``default_payment_method``, cancellation now or
at the period's end, and every change reported as ``customer.subscription.updated`` with
``previous_attributes``.

Creating one emits ``customer.subscription.created`` (status ``incomplete``, or
``trialing``), then bills its first invoice (free in a trial); once paid, the subscription
turns ``active`` (``customer.subscription.updated``). A trial created with
``payment_behavior=default_incomplete`` gets a ``pending_setup_intent``
(sandbox.setup_intents, the one SetupIntent) for the customer to save a card with; with
``payment_settings[save_default_payment_method]=on_subscription`` the card it saves (or
the one that pays an invoice) becomes the subscription's ``default_payment_method``.
Test helpers play time:
``/_sandbox/subscriptions/{id}/advance`` moves to the next period (renewal, end of the
trial, or the end of a subscription canceled at period end; for an ``incomplete`` one, the
23 hours without a paid first invoice: the invoice is voided and the subscription ends
``incomplete_expired``, ``customer.subscription.deleted``) and
``/_sandbox/subscriptions/{id}/trial_will_end`` sends Stripe's three-days notice.

Plan changes: ``POST /v1/subscriptions/{id}`` with ``items[0][id]`` and a new
``items[0][price]`` (and/or ``quantity``, ``metadata``) keeps the item's id and, for a
price of the same interval, the period and ``billing_cycle_anchor``. Prorations
(sandbox.invoice_items) run from ``proration_date`` (default now) to the period's end:
``create_prorations`` (the default) leaves them pending for the next renewal
(``invoiceitem.created`` x2, ``customer.subscription.updated``); ``always_invoice``
invoices and charges them at once (``invoiceitem.created`` x2, ``invoice.created``,
``invoice.finalized``, ``payment_intent.created``, ``charge.succeeded``,
``payment_intent.succeeded``, ``invoice.paid``, ``invoice.payment_succeeded``, then one
``customer.subscription.updated`` with ``previous_attributes`` ``items`` and
``latest_invoice``); ``none`` only changes the price. ``discounts`` replaces the
subscription's discounts (``""`` removes them). A new interval (month to year) starts a
new period now, invoiced at once (``billing_reason`` ``subscription_update``) with a
credit for the old period's unused time. A declined charge leaves the change in place,
the invoice open and the subscription ``past_due``; ``payment_behavior=
error_if_incomplete`` refuses it with the 402 instead. Adding or deleting items and
pending updates (``pending_if_incomplete``) are not modelled (400).
"""

import time
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from localstripe.errors import UserError
from localstripe.resources import PaymentMethod, StripeObject, random_id, store

from sandbox import cards, listing
from sandbox.customers import Customer
from sandbox.errors import card_error, invalid_request, not_found
from sandbox.events import emit
from sandbox.invoice_items import InvoiceItem
from sandbox.invoices import Invoice
from sandbox.params import Params
from sandbox.prices import Price
from sandbox.promotions import Discount, discounts_param
from sandbox.setup_intents import SetupIntent
from sandbox.subscription_items import SubscriptionItem
from sandbox.updates import UpdateEvents

_BEHAVIORS = ("allow_incomplete", "default_incomplete", "error_if_incomplete")
_PRORATIONS = ("always_invoice", "create_prorations", "none")
_FEEDBACK = (
    "customer_service", "low_quality", "missing_features", "other", "switched_service",
    "too_complex", "too_expensive", "unused",
)  # fmt: skip
_ENDED = ("canceled", "incomplete_expired")
_LISTED = (
    "active", "all", "canceled", "ended", "incomplete", "incomplete_expired", "past_due",
    "paused", "trialing", "unpaid",
)  # fmt: skip
_MAX_TRIAL_DAYS = 730
# How long Stripe waits for the first invoice of an incomplete subscription to be paid.
_INCOMPLETE_LIFETIME = 23 * 3600
_TRIAL_NOTICE = 3 * 24 * 3600  # trial_will_end comes three days before the trial ends
# A subscription item's new price, quantity and metadata.
ItemChange = tuple[SubscriptionItem, Any, int, dict[str, str]]
# A proration to invoice: item, price, quantity, period and share of the period (< 0: credit).
Proration = tuple[SubscriptionItem, Any, int, tuple[int, int], Decimal]
# Fields that stay null in the sandbox (Connect, schedules, thresholds, pauses ...).
_NULLS = (
    "application", "application_fee_percent", "billing_cycle_anchor_config", "customer_account",
    "billing_thresholds", "days_until_due", "default_source", "next_pending_invoice_item_invoice",
    "on_behalf_of", "pause_collection", "pending_invoice_item_interval", "pending_setup_intent",
    "pending_update", "presentment_details", "schedule", "status_details", "test_clock",
    "transfer_data",
)  # fmt: skip


class Subscription(UpdateEvents, StripeObject):  # type: ignore[misc]
    object = "subscription"
    _id_prefix = "sub_"
    _event_prefix = "customer.subscription"
    _trial_notice_for: int | None = None  # the trial end trial_will_end was sent for

    def __init__(self, **data: Any) -> None:
        params = Params(data)
        customer = params.reference("customer", Customer, required=True)
        items = _items(params)
        trial_end = _trial_end(params, items)
        method = _payment_method(params, customer)
        behavior = params.string("payment_behavior", choices=_BEHAVIORS) or "allow_incomplete"
        cancel_at_period_end = params.boolean("cancel_at_period_end") or False
        description = params.string("description", max_length=500)
        metadata = params.metadata() or {}
        save_default = _save_default_payment_method(params)
        discounts = discounts_param(params)
        params.string("collection_method", choices=("charge_automatically",))
        params.string("proration_behavior", choices=_PRORATIONS)
        params.boolean("off_session")
        params.done()
        if behavior == "error_if_incomplete" and trial_end is None:
            check_chargeable(method or customer._get_default_payment_method_or_source())

        super().__init__(self._id_prefix + random_id(24))
        self.__dict__.update(dict.fromkeys(_NULLS))
        self.automatic_tax = {"disabled_reason": None, "enabled": False, "liability": None}
        self.billing_cycle_anchor = trial_end or self.created
        self.billing_mode = {"flexible": None, "type": "classic", "updated_at": None}
        self.cancel_at: int | None = None
        self.cancel_at_period_end = False
        self.canceled_at: int | None = None
        self.cancellation_details: dict[str, str | None] = dict.fromkeys(
            ("comment", "feedback", "reason")
        )
        self.collection_method = "charge_automatically"
        self.currency = items[0][0].currency
        self.customer = customer.id
        self.default_payment_method = method and method.id
        self.default_tax_rates: list[Any] = []
        self.description = description or None
        self.discounts = [Discount(self, coupon, promo).id for coupon, promo in discounts]
        self.ended_at: int | None = None
        self.invoice_settings = {"account_tax_ids": None, "issuer": {"type": "self"}}
        self.latest_invoice: str | None = None
        self.metadata = metadata
        self.payment_settings = {
            "payment_method_options": None,
            "payment_method_types": None,
            "save_default_payment_method": save_default,
        }
        self.start_date = self.created
        self.status = "trialing" if trial_end else "incomplete"
        self.trial_end: int | None = trial_end
        self.trial_settings = {"end_behavior": {"missing_payment_method": "create_invoice"}}
        self.trial_start: int | None = self.created if trial_end else None
        self._cycle = 0  # periods since billing_cycle_anchor
        self._in_trial = trial_end is not None
        self._items = [
            SubscriptionItem(self.id, price, quantity, item_metadata)
            for price, quantity, item_metadata in items
        ]
        if cancel_at_period_end:
            self._schedule_cancellation(True)
        if trial_end is not None and behavior == "default_incomplete":
            setup = SetupIntent(customer=customer.id, usage="off_session")
            setup._saving_for = f"{self.object}:{self.id}"
            self.pending_setup_intent = setup.id
        emit("customer.subscription.created", self)
        self._notice_trial_end(self.created)
        self._bill(
            "subscription_create",
            (self.created, self.created),
            charge=behavior != "default_incomplete",
            off_session=False,
        )

    @property
    def items(self) -> listing.Page:
        url = f"/v1/subscription_items?subscription={self.id}"
        return listing.Page(url, self._items, has_more=False)

    def _period(self) -> tuple[int, int]:
        """The current billing period: the trial, else the ``_cycle``-th period after the
        anchor (months counted from the anchor's day, as Stripe does)."""
        if self._in_trial:
            assert self.trial_start is not None and self.trial_end is not None
            return self.trial_start, self.trial_end
        return self._shift(self._cycle), self._shift(self._cycle + 1)

    def _shift(self, periods: int) -> int:
        recurring = self._items[0].price.recurring
        length = {f"{recurring['interval']}s": periods * recurring["interval_count"]}
        anchor = datetime.fromtimestamp(self.billing_cycle_anchor, UTC)
        return int((anchor + relativedelta(**length)).timestamp())

    # Billing

    def _bill(
        self,
        reason: str,
        period: tuple[int, int],
        charge: bool = True,
        off_session: bool = True,
        bill_period: bool = True,
    ) -> None:
        """Invoice the current period (unless not ``bill_period``) and the pending
        prorations, and charge it (or, with ``charge`` false, leave its PaymentIntent for
        the customer to confirm, as ``default_incomplete`` does)."""
        invoice = Invoice(self, reason, period, self._in_trial, bill_period)
        self.latest_invoice = invoice.id
        invoice._finalize()
        if invoice.status != "open":
            return
        if not charge:
            invoice._payment_intent()
            return
        try:
            invoice._attempt(None, off_session)
        except UserError as declined:  # the invoice and this subscription heard of it
            if declined.code != 402:
                raise

    def _invoice_paid(self, invoice: Any, intent: Any) -> None:
        with self._changes():
            if self.status in ("incomplete", "past_due", "unpaid"):
                self.status = "active"
            if intent is not None:
                self._save_default(intent.payment_method)

    def _card_saved(self, intent: Any) -> None:
        """Its ``pending_setup_intent`` succeeded (a trial's card saved): the card
        becomes the default its invoices are charged with, as a paid one's would."""
        if self.status not in _ENDED:
            with self._changes():
                self._save_default(intent.payment_method)

    def _save_default(self, method_id: str) -> None:
        """``save_default_payment_method=on_subscription``: the card that paid or was
        saved for this subscription becomes its ``default_payment_method`` (if unset)."""
        saving = self.payment_settings["save_default_payment_method"] == "on_subscription"
        if saving and self.default_payment_method is None:
            method = PaymentMethod._api_retrieve(method_id)
            method.customer = method.customer or self.customer
            self.default_payment_method = method.id

    def _invoice_failed(self, invoice: Any) -> None:
        with self._changes():
            if self.status in ("active", "trialing"):
                self.status = "past_due"

    def _now(self) -> int:
        """The sandbox's time for this subscription: never before its current period,
        which the advance helper moves ahead of the wall clock."""
        return max(int(time.time()), self._period()[0])

    def _prorations(self, changes: list[ItemChange], proration: str, at: int) -> list[Proration]:
        """What an item change prorates from ``at`` (nothing in a trial or with ``none``):
        a credit for the unused time of the old terms and, in the same interval, a charge
        for the remaining time of the new (a new interval bills a whole new period)."""
        if proration == "none" or self._in_trial or not changes:
            return []
        start, end = self._period()
        share = Decimal(end - at) / Decimal(end - start)
        new_interval = self._changes_interval(changes)
        prorations: list[Proration] = []
        for item, price, quantity, _ in changes:
            if (price.id, quantity) == (item._price, item.quantity):
                continue
            prorations.append((item, item.price, item.quantity, (at, end), -share))
            if not new_interval:
                prorations.append((item, price, quantity, (at, end), share))
        return prorations

    def _invoices_now(self, changes: list[ItemChange], proration: str) -> bool:
        """Whether an item change is invoiced at once: a new interval, or a changed price
        or quantity with ``always_invoice`` (never in a trial)."""
        changed = any((p.id, q) != (i._price, i.quantity) for i, p, q, _ in changes)
        immediate = self._changes_interval(changes) or (changed and proration == "always_invoice")
        return immediate and not self._in_trial

    def _change_items(
        self, changes: list[ItemChange], proration: str, at: int, off_session: bool
    ) -> None:
        """Put the new prices and quantities in place, prorated (``_prorations``; pending
        unless invoiced now). A new interval starts a new period now, invoiced at once with
        the credit for the old period's unused time, as Stripe does."""
        now = self._now()  # before the new prices change what the period is
        new_interval = self._changes_interval(changes)
        for prorated in self._prorations(changes, proration, at):
            InvoiceItem(self, *prorated)
        for item, price, quantity, metadata in changes:
            item.metadata = metadata
            item._price, item.quantity = price.id, quantity
        if self._in_trial:
            return
        if new_interval:
            self.billing_cycle_anchor, self._cycle = now, 0
            if self.cancel_at_period_end:
                self.cancel_at = self._period()[1]
            self._bill("subscription_update", (now, now), off_session=off_session)
        elif proration == "always_invoice" and InvoiceItem._pending(self.id):
            self._bill(
                "subscription_update", (now, now), off_session=off_session, bill_period=False
            )

    def _notice_trial_end(self, now: int) -> None:
        """``customer.subscription.trial_will_end`` once per trial end, when ``now`` is
        within three days of it (at once for a shorter trial), as Stripe sends it."""
        end = self.trial_end
        if not self._in_trial or end is None or end == self._trial_notice_for:
            return
        if now >= end - _TRIAL_NOTICE:
            self._trial_notice_for = end
            emit("customer.subscription.trial_will_end", self)

    def _end_trial(self, at: int, reason: str) -> None:
        """The trial is over at ``at``: bill the first paid period, which starts then."""
        previous = self._period()
        self._in_trial = False
        self.trial_end = self.billing_cycle_anchor = at
        self._cycle = 0
        self.status = "active"  # past_due if the invoice's payment fails
        self._bill(reason, previous)

    def _schedule_cancellation(self, cancel: bool) -> None:
        self.cancel_at_period_end = cancel
        self.cancel_at = self._period()[1] if cancel else None
        self.canceled_at = int(time.time()) if cancel else None
        self.cancellation_details["reason"] = "cancellation_requested" if cancel else None

    def _expire_incomplete(self) -> None:
        """Its first invoice went unpaid for 23 hours: voided, and the subscription ends
        ``incomplete_expired`` (terminal; Stripe bills it no more)."""
        invoice = Invoice._api_retrieve(self.latest_invoice)
        if invoice.status == "open":
            Invoice._api_void(invoice.id)
        self.status = "incomplete_expired"
        self.ended_at = self.created + _INCOMPLETE_LIFETIME
        emit("customer.subscription.deleted", self)

    def _end(self, at: int) -> None:
        self.status = "canceled"
        self.ended_at = at
        self.canceled_at = self.canceled_at or at
        self.cancellation_details["reason"] = "cancellation_requested"
        emit("customer.subscription.deleted", self)

    # Endpoints

    def _modify(self, params: Params) -> None:
        metadata = params.metadata(self.metadata)
        details = _cancellation_details(params)
        changes: dict[str, Any] = {
            "description": params.string("description", max_length=500),
            "cancel_at_period_end": params.boolean("cancel_at_period_end"),
            "trial_end": _new_trial_end(params),
        }
        unset = params.peek("default_payment_method") == ""
        if unset:
            params.string("default_payment_method")
            changes["default_payment_method"] = ""
        else:
            customer = Customer._api_retrieve(self.customer)
            changes["default_payment_method"] = _payment_method(params, customer)
        changes["items"] = self._item_changes(params)
        if params.peek("discounts") == "":  # Stripe's way to remove every discount
            params.string("discounts")
            changes["discounts"] = []
        elif params.peek("discounts") is not None:
            changes["discounts"] = discounts_param(params)
        proration = params.string("proration_behavior", choices=_PRORATIONS) or "create_prorations"
        proration_date = params.integer("proration_date")
        behavior = params.string("payment_behavior", choices=(*_BEHAVIORS, "pending_if_incomplete"))
        off_session = params.boolean("off_session") or False
        params.done()
        changes = {key: value for key, value in changes.items() if value is not None}
        if changes and self.status in _ENDED:
            raise invalid_request(
                "A canceled subscription can only update its cancellation_details and metadata."
            )
        if "items" in changes:
            at = self._proration_date(proration_date)
            self._check_item_changes(changes["items"], proration, behavior)
        if "trial_end" in changes and not self._in_trial:
            raise invalid_request(
                "The sandbox changes trial_end only during the trial.", "trial_end"
            )

        if metadata is not None:
            self.metadata = metadata
        self.cancellation_details.update(details)
        if "description" in changes:
            self.description = changes["description"] or None
        if "default_payment_method" in changes:
            method = changes["default_payment_method"]
            self.default_payment_method = method.id if method else None
        if "discounts" in changes:
            new = changes["discounts"]
            self.discounts = [Discount(self, coupon, promo).id for coupon, promo in new]
        if "items" in changes:
            self._change_items(changes["items"], proration, at, off_session)
        if "cancel_at_period_end" in changes:
            self._schedule_cancellation(changes["cancel_at_period_end"])
        if changes.get("trial_end") == "now":
            now = int(time.time())
            self.trial_end = now  # Stripe's notice comes even for a trial ended at once
            self._notice_trial_end(now)
            self._end_trial(now, "subscription_update")
        elif "trial_end" in changes:
            self.trial_end = self.billing_cycle_anchor = changes["trial_end"]
            self._notice_trial_end(int(time.time()))

    def _item_changes(self, params: Params) -> list[ItemChange] | None:
        """``items``: each names one of this subscription's items by ``id`` and gives it
        a ``price`` (or ``plan``), ``quantity`` or ``metadata``; unnamed ones keep theirs."""
        specs = params.hashes("items")
        if not specs:
            return None
        changes = []
        for spec in specs:
            id = spec.string("id")
            if id is None:
                raise invalid_request(
                    f"Missing required param: {spec.name('id')}. (Stripe would add a new item; "
                    "the sandbox only changes existing ones.)",
                    spec.name("id"),
                    "parameter_missing",
                )
            item = next((i for i in self._items if i.id == id), None)
            if item is None:
                raise not_found("subscription_item", id, spec.name("id"), status=400)
            price = spec.reference("price", Price) or spec.reference("plan", Price)
            if price is None:
                price = item.price
            else:
                _check_recurring(price, spec.name("price"))
            quantity = spec.integer("quantity", minimum=1) or item.quantity
            metadata = spec.metadata(item.metadata)
            spec.done()
            changes.append((item, price, quantity, item.metadata if metadata is None else metadata))
        prices = [price for _, price, _, _ in changes]
        prices += [i.price for i in self._items if i not in [change[0] for change in changes]]
        if any(_terms(p) != _terms(prices[0]) or p.currency != self.currency for p in prices):
            raise invalid_request(
                "All prices on a subscription must have the same currency and recurring "
                "interval, and the currency cannot change.",
                "items",
            )
        return changes

    def _changes_interval(self, changes: list[ItemChange]) -> bool:
        return _terms(changes[0][1]) != _terms(self._items[0].price)

    def _check_item_changes(
        self, changes: list[ItemChange], proration: str, behavior: str | None
    ) -> None:
        """Stripe's refusals of an item change, before anything changes."""
        if self.status == "incomplete":
            raise invalid_request(
                "You cannot update a subscription in `incomplete` status in a way that results "
                "in a new invoice or invoice items. Only metadata and default_payment_method "
                "can be updated: pay its first invoice first."
            )
        if behavior == "pending_if_incomplete":
            raise invalid_request(
                "The sandbox does not model pending updates: use payment_behavior "
                "allow_incomplete or error_if_incomplete.",
                "payment_behavior",
            )
        if behavior == "error_if_incomplete" and self._invoices_now(changes, proration):
            method = None
            if self.default_payment_method is not None:
                method = PaymentMethod._api_retrieve(self.default_payment_method)
            customer = Customer._api_retrieve(self.customer)
            check_chargeable(method or customer._get_default_payment_method_or_source())

    def _proration_date(self, proration_date: int | None) -> int:
        """When an item change takes effect for its prorations: ``proration_date``, within
        the current period, or now."""
        if proration_date is None:
            return self._now()
        start, end = self._period()
        if not start <= proration_date <= end:
            raise invalid_request(
                f"proration_date must be within the current billing period ({start} to {end}).",
                "proration_date",
            )
        return proration_date

    @classmethod
    def _api_cancel(cls, id: str, **data: Any) -> Any:
        """``DELETE /v1/subscriptions/{id}``: cancel now (no proration is modelled)."""
        params = Params(data)
        details = _cancellation_details(params)
        params.done()
        subscription = cls._api_retrieve(id)
        if subscription.status in _ENDED:
            raise invalid_request(
                f"This subscription is already {subscription.status}.", code="resource_missing"
            )
        subscription.cancellation_details.update(details)
        subscription.canceled_at = int(time.time())
        subscription._end(subscription.canceled_at)
        return subscription

    @classmethod
    def _api_advance(cls, id: str, **data: Any) -> Any:
        """Test helper: time reaches the end of the current period."""
        Params(data).done()
        subscription = cls._api_retrieve(id)
        if subscription.status in _ENDED:
            raise invalid_request(f"This subscription is {subscription.status}: it has ended.")
        if subscription.status == "incomplete":
            subscription._expire_incomplete()
            return subscription
        end = subscription._period()[1]
        if subscription.cancel_at_period_end:
            subscription._end(end)
            return subscription
        subscription._notice_trial_end(end)  # time passes three days before the trial's end
        with subscription._changes():
            if subscription._in_trial:
                subscription._end_trial(end, "subscription_cycle")
            else:
                previous = subscription._period()
                subscription._cycle += 1
                if subscription.schedule is not None:  # sandbox.subscription_schedules
                    store["subscription_schedule:" + subscription.schedule]._renewing(
                        subscription, previous[1]
                    )
                subscription._bill("subscription_cycle", previous)
        return subscription

    @classmethod
    def _api_trial_will_end(cls, id: str, **data: Any) -> Any:
        """Test helper: Stripe's notice three days before the trial ends."""
        Params(data).done()
        subscription = cls._api_retrieve(id)
        if not subscription._in_trial or subscription.status in _ENDED:
            raise invalid_request("This subscription is not in a trial.")
        subscription._trial_notice_for = subscription.trial_end
        emit("customer.subscription.trial_will_end", subscription)
        return subscription

    @classmethod
    def _api_list_all(cls, url: str, **data: Any) -> listing.Page:
        params = Params(data)
        customer = params.string("customer")
        price = params.string("price")
        status = params.string("status", choices=_LISTED)

        def keep(subscription: Any) -> bool:
            if status is None:
                listed = subscription.status not in _ENDED
            elif status == "ended":
                listed = subscription.status in _ENDED
            else:
                listed = status in ("all", subscription.status)
            return (
                listed
                and (customer is None or subscription.customer == customer)
                and (price is None or any(i._price == price for i in subscription._items))
            )

        return listing.paginate(cls.object, url, params, keep)


def check_chargeable(method: Any) -> None:
    """Stripe's refusal when ``method`` cannot pay now: missing, or declined (402)."""
    if method is None:
        raise invalid_request(
            "This customer has no attached payment source or default payment method.",
            code="resource_missing",
        )
    decline = cards.charge_decline(method)
    if decline is not None:
        raise card_error(decline.message, decline.code, decline.decline_code)


def _items(params: Params) -> list[tuple[Any, int, dict[str, str]]]:
    """``items``: (recurring price, quantity, metadata) sharing a currency and interval."""
    specs = params.hashes("items")
    if not specs:
        raise invalid_request("Missing required param: items.", "items", "parameter_missing")
    items = []
    for spec in specs:
        price = spec.reference("price", Price) or spec.reference("plan", Price)
        quantity = spec.integer("quantity", minimum=1) or 1
        metadata = spec.metadata() or {}
        spec.done()
        if price is None:
            raise invalid_request(
                f"Missing required param: {spec.name('price')}.",
                spec.name("price"),
                "parameter_missing",
            )
        _check_recurring(price, spec.name("price"))
        items.append((price, quantity, metadata))

    for price, _, _ in items:
        if _terms(price) != _terms(items[0][0]):
            raise invalid_request(
                "All prices on a subscription must have the same currency and recurring interval.",
                "items",
            )
    return items


def _check_recurring(price: Any, param: str) -> None:
    if price.type != "recurring" or not price.active:
        raise invalid_request(
            "The price specified is inactive or set to `type=one_time`; this field only "
            "accepts active prices with `type=recurring`.",
            param,
        )


def _terms(price: Any) -> tuple[str, str, int]:
    """What prices on one subscription must share: currency and billing interval."""
    return price.currency, price.recurring["interval"], price.recurring["interval_count"]


def _trial_end(params: Params, items: list[tuple[Any, int, dict[str, str]]]) -> int | None:
    """When the trial asked for ends: ``trial_end``, ``trial_period_days`` or the price's
    own trial with ``trial_from_plan``; None for no trial."""
    end = _new_trial_end(params)
    days = params.integer("trial_period_days", minimum=0, maximum=_MAX_TRIAL_DAYS)
    from_plan = params.boolean("trial_from_plan")
    if end is not None and days is not None:
        raise invalid_request(
            "You may only specify one of these parameters: trial_end, trial_period_days."
        )
    if end is not None:
        return None if end == "now" else int(end)
    if from_plan:
        days = items[0][0].recurring["trial_period_days"]
    return int(time.time()) + days * 86400 if days else None


def _new_trial_end(params: Params) -> int | str | None:
    """``trial_end``: a future timestamp or ``now``."""
    if params.peek("trial_end") == "now":
        return params.string("trial_end")
    end = params.integer("trial_end")
    if end is not None and end <= time.time():
        raise invalid_request(
            "Invalid timestamp: must be an integer Unix timestamp in the future.", "trial_end"
        )
    return end


def _payment_method(params: Params, customer: Any) -> Any:
    method = params.reference("default_payment_method", PaymentMethod)
    if method is not None:
        customer._check_owns(method, "default_payment_method")
    return method


def _save_default_payment_method(params: Params) -> str:
    settings = params.nested("payment_settings")
    if settings is None:
        return "off"
    save = settings.string("save_default_payment_method", choices=("off", "on_subscription"))
    settings.done()
    return save or "off"


def _cancellation_details(params: Params) -> dict[str, str | None]:
    details = params.nested("cancellation_details")
    if details is None:
        return {}
    fields = {
        "comment": details.string("comment", max_length=5000),
        "feedback": details.string("feedback", choices=(*_FEEDBACK, "")),
    }
    details.done()
    return {key: value or None for key, value in fields.items() if value is not None}


ROUTES = (
    ("DELETE", "/v1/subscriptions/{id}", Subscription._api_cancel),
    ("POST", "/_sandbox/subscriptions/{id}/advance", Subscription._api_advance),
    ("POST", "/_sandbox/subscriptions/{id}/trial_will_end", Subscription._api_trial_will_end),
)
