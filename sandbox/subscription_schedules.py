"""Subscription schedules (``/v1/subscription_schedules``): what billgraph uses to change
a plan at the period's end.

Modelled: creating one ``from_subscription`` (one phase: the current period at the
current prices; ``subscription.schedule`` is set), updating its ``phases`` (the current
phase's ``start_date`` stays; each later phase starts where the previous one ends; a
phase ends at ``end_date`` or after its ``duration``), ``end_behavior``
``release``, releasing it (``/release``) and retrieving it. At a renewal
(``/_sandbox/subscriptions/{id}/advance``) the phase starting then puts its prices on the
subscription's items without prorations (a new interval anchors the billing cycle
there), and the end of the last phase releases the subscription. Events:
``subscription_schedule.created``/``updated``/``released``, and the subscription's own
``customer.subscription.updated`` when ``schedule`` or its prices change. Not modelled
(400): schedules of new subscriptions (``customer`` + ``start_date``), ``cancel``
end behavior, phase trials, coupons, add_invoice_items.
"""

import time
from datetime import UTC, datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from localstripe.resources import StripeObject, random_id

from sandbox.errors import invalid_request
from sandbox.events import emit
from sandbox.params import Params
from sandbox.prices import Price
from sandbox.subscriptions import _ENDED, Subscription, _check_recurring
from sandbox.updates import UpdateEvents

_STATUSES_OPEN = ("not_started", "active")
_NULLS = (
    "application", "canceled_at", "completed_at", "customer_account",
    "released_at", "released_subscription", "test_clock",
)  # fmt: skip


def _shifted(start: int, interval: str, count: int) -> int:
    length = {f"{interval}s": count}
    return int((datetime.fromtimestamp(start, UTC) + relativedelta(**length)).timestamp())


def _duration(spec: Params) -> tuple[str, int] | None:
    """A phase's ``duration``: ``interval`` (day/week/month/year) times ``interval_count``."""
    duration = spec.nested("duration")
    if duration is None:
        return None
    interval = duration.string("interval", choices=("day", "week", "month", "year"), required=True)
    count = duration.integer("interval_count", minimum=1) or 1
    duration.done()
    assert interval is not None
    return interval, count


def _phase(items: list[tuple[Any, int]], start: int, end: int | None) -> dict[str, Any]:
    return {
        "add_invoice_items": [],
        "application_fee_percent": None,
        "billing_cycle_anchor": None,
        "collection_method": None,
        "currency": items[0][0].currency,
        "default_payment_method": None,
        "default_tax_rates": [],
        "description": None,
        "discounts": [],
        "end_date": end,
        "invoice_settings": None,
        "items": [
            {
                "discounts": [],
                "metadata": {},
                "plan": price.id,
                "price": price.id,
                "quantity": quantity,
                "tax_rates": [],
            }
            for price, quantity in items
        ],
        "metadata": {},
        "on_behalf_of": None,
        "proration_behavior": "create_prorations",
        "start_date": start,
        "transfer_data": None,
        "trial_end": None,
    }


class SubscriptionSchedule(UpdateEvents, StripeObject):  # type: ignore[misc]
    object = "subscription_schedule"
    _id_prefix = "sub_sched_"

    def __init__(self, **data: Any) -> None:
        params = Params(data)
        subscription = params.reference("from_subscription", Subscription)
        metadata = params.metadata() or {}
        params.done()
        if subscription is None:
            raise invalid_request(
                "The sandbox creates schedules from an existing subscription only: pass "
                "`from_subscription`.",
                "from_subscription",
            )
        if subscription.status in _ENDED:
            raise invalid_request(
                "A canceled subscription cannot be scheduled.", "from_subscription"
            )
        if subscription.schedule is not None:
            raise invalid_request(
                "You cannot migrate a subscription that is already attached to a schedule: "
                f"`{subscription.schedule}`.",
                "from_subscription",
            )
        super().__init__(self._id_prefix + random_id(24))
        self.__dict__.update(dict.fromkeys(_NULLS))
        start, end = subscription._period()
        self.billing_mode = dict(subscription.billing_mode)
        self.customer = subscription.customer
        self.default_settings = {
            "application_fee_percent": None,
            "billing_cycle_anchor": "automatic",
            "collection_method": "charge_automatically",
            "default_payment_method": None,
            "description": None,
            "invoice_settings": {
                "account_tax_ids": None,
                "days_until_due": None,
                "issuer": {"type": "self"},
            },
            "on_behalf_of": None,
            "transfer_data": None,
        }
        self.end_behavior = "release"
        self.metadata = metadata
        self.pause_schedules: list[Any] = []
        self.phases = [_phase([(i.price, i.quantity) for i in subscription._items], start, end)]
        self.status = "active"
        self.subscription = subscription.id
        emit("subscription_schedule.created", self)
        with subscription._changes():
            subscription.schedule = self.id

    @property
    def current_phase(self) -> dict[str, int] | None:
        now = int(time.time())
        for phase in self.phases:
            if phase["start_date"] <= now < (phase["end_date"] or now + 1):
                return {"start_date": phase["start_date"], "end_date": phase["end_date"]}
        return None

    def _subscription(self) -> Any:
        return Subscription._api_retrieve(self.subscription)

    def _modify(self, params: Params) -> None:
        specs = params.hashes("phases")
        end_behavior = params.string("end_behavior", choices=("release", "cancel"))
        metadata = params.metadata(self.metadata)
        params.string("proration_behavior", choices=("always_invoice", "create_prorations", "none"))
        params.done()
        if self.status not in _STATUSES_OPEN:
            raise invalid_request(f"This schedule is {self.status}: it can no longer change.")
        if end_behavior == "cancel":
            raise invalid_request("The sandbox models end_behavior=release only.", "end_behavior")
        phases = self._phases(specs) if specs is not None else None
        if metadata is not None:
            self.metadata = metadata
        if phases is not None:
            self.phases = phases

    def _phases(self, specs: list[Params]) -> list[dict[str, Any]]:
        """The new phases: the current one keeps its start; each other starts at the
        previous one's end, which ``end_date`` or ``duration`` gives (not for the last)."""
        if not specs:
            raise invalid_request("Missing required param: phases.", "phases", "parameter_missing")
        phases: list[dict[str, Any]] = []
        start = self.phases[0]["start_date"]
        subscription = self._subscription()
        for index, spec in enumerate(specs):
            items = []
            for item in spec.hashes("items") or []:
                price = item.reference("price", Price) or item.reference("plan", Price)
                quantity = item.integer("quantity", minimum=1) or 1
                item.done()
                if price is None:
                    raise invalid_request(
                        f"Missing required param: {item.name('price')}.",
                        item.name("price"),
                        "parameter_missing",
                    )
                _check_recurring(price, item.name("price"))
                if price.currency != subscription.currency:
                    raise invalid_request("The currency cannot change.", item.name("price"))
                items.append((price, quantity))
            given_start = spec.integer("start_date")
            end = spec.integer("end_date")
            duration = _duration(spec)
            spec.string(
                "proration_behavior", choices=("always_invoice", "create_prorations", "none")
            )
            spec.done()
            if not items:
                raise invalid_request(
                    f"Missing required param: {spec.name('items')}.",
                    spec.name("items"),
                    "parameter_missing",
                )
            if given_start is not None and given_start != start:
                raise invalid_request(
                    "Each phase starts when the previous one ends (the first: when the "
                    "current phase started).",
                    spec.name("start_date"),
                )
            if end is not None and duration is not None:
                raise invalid_request(
                    "You may only specify one of these parameters: duration, end_date.",
                    spec.name("duration"),
                )
            if duration is not None:
                end = _shifted(start, *duration)
            if end is None and index < len(specs) - 1:
                raise invalid_request(
                    "Every phase but the last needs an end_date or a duration.",
                    spec.name("end_date"),
                )
            if end is not None and end <= start:
                raise invalid_request("A phase must end after it starts.", spec.name("end_date"))
            phases.append(_phase(items, start, end))
            start = end or start
        return phases

    def _renewing(self, subscription: Any, at: int) -> None:
        """The subscription reaches ``at`` (its period's end): a phase starting then puts
        its prices in place; past the last phase, the subscription is released."""
        following = [p for p in self.phases if p["start_date"] == at]
        if following:
            phase = following[0]
            old = subscription._items[0].price.recurring
            for item, spec in zip(subscription._items, phase["items"], strict=False):
                item._price, item.quantity = spec["price"], spec["quantity"]
            new = subscription._items[0].price.recurring
            if (old["interval"], old["interval_count"]) != (new["interval"], new["interval_count"]):
                subscription.billing_cycle_anchor, subscription._cycle = at, 0
            with self._changes():
                self.status = "active"
            return
        last_end = self.phases[-1]["end_date"]
        if last_end is not None and last_end <= at:
            self._release()

    def _release(self) -> None:
        with self._changes("subscription_schedule.released"):
            self.status = "released"
            self.released_at = int(time.time())
            self.released_subscription = self.subscription
        subscription = self._subscription()
        with subscription._changes():
            subscription.schedule = None

    @classmethod
    def _api_release(cls, id: str, **data: Any) -> Any:
        params = Params(data)
        params.boolean("preserve_cancel_date")
        params.done()
        schedule = cls._api_retrieve(id)
        if schedule.status not in _STATUSES_OPEN:
            raise invalid_request(
                f"You cannot release a subscription schedule that is currently in the "
                f"`{schedule.status}` status. It must be in `not_started` or `active`."
            )
        schedule._release()
        return schedule


ROUTES = (("POST", "/v1/subscription_schedules/{id}/release", SubscriptionSchedule._api_release),)
