"""Prices (``/v1/prices``), which localstripe lacks: per-unit one-time and recurring
prices, unique lookup keys with ``transfer_lookup_key``, and ``price.*`` events.

An existing price's amount, currency, product and recurrence are immutable, as on
Stripe: the update endpoint refuses them as unknown parameters.
"""

from typing import Any

from localstripe.resources import StripeObject, random_id, store

from sandbox import listing
from sandbox.errors import invalid_request, not_found
from sandbox.events import emit
from sandbox.params import Params
from sandbox.products import Product
from sandbox.updates import UpdateEvents

_INTERVALS = ("day", "week", "month", "year")
# Stripe's longest recurrence: three years, in each interval.
_MAX_INTERVAL_COUNT = {"day": 1095, "week": 156, "month": 36, "year": 3}
_TAX_BEHAVIORS = ("exclusive", "inclusive", "unspecified")
_MAX_LOOKUP_KEY = 200
_MAX_LOOKUP_KEYS = 10


class Price(UpdateEvents, StripeObject):  # type: ignore[misc]
    object = "price"
    _id_prefix = "price_"
    lookup_key: str | None

    def __init__(self, **data: Any) -> None:
        params = Params(data)
        product = _product(params)
        currency = params.currency()
        unit_amount, unit_amount_decimal = _amount(params)
        recurring = _recurring(params.nested("recurring"))
        lookup_key = params.string("lookup_key", max_length=_MAX_LOOKUP_KEY) or None
        transfer = params.boolean("transfer_lookup_key") or False
        active = params.boolean("active")
        nickname = params.string("nickname")
        tax_behavior = params.string("tax_behavior", choices=_TAX_BEHAVIORS)
        params.string("billing_scheme", choices=("per_unit",))  # tiered is not supported
        metadata = params.metadata()
        product_data = params.nested("product_data")
        params.done()
        holder = _lookup_key_holder(lookup_key, transfer)
        if (product is None) == (product_data is None):
            raise invalid_request(
                "You must specify either `product` or `product_data` when creating a price.",
                "product",
            )
        if product_data is not None:
            product = Product(**product_data.unread()).id

        if holder is not None:
            holder._release_lookup_key()
        self._create(
            self._id_prefix + random_id(24),
            active=True if active is None else active,
            currency=currency,
            lookup_key=lookup_key,
            metadata=metadata or {},
            nickname=nickname or None,
            product=product,
            recurring=recurring,
            tax_behavior=tax_behavior or "unspecified",
            unit_amount=unit_amount,
            unit_amount_decimal=unit_amount_decimal,
        )

    @classmethod
    def _for_plan(cls, plan: Any) -> "Price":
        """The price Stripe serves for a (legacy) plan: same id, amount and recurrence."""
        price: Price = cls.__new__(cls)
        price._create(
            plan.id,
            active=plan.active,
            currency=plan.currency,
            lookup_key=None,
            metadata=dict(plan.metadata),
            nickname=plan.nickname,
            product=plan.product,
            recurring={
                "interval": plan.interval,
                "interval_count": plan.interval_count,
                "meter": None,
                "trial_period_days": plan.trial_period_days,
                "usage_type": plan.usage_type,
            },
            tax_behavior="unspecified",
            unit_amount=plan.amount,
            unit_amount_decimal=str(plan.amount),
        )
        return price

    def _create(self, id: str, **fields: Any) -> None:
        super().__init__(id)
        self.billing_scheme = "per_unit"
        self.custom_unit_amount = None
        self.tiers_mode = None
        self.transform_quantity = None
        self.type = "one_time" if fields["recurring"] is None else "recurring"
        self.__dict__.update(fields)
        emit("price.created", self)

    def _modify(self, params: Params) -> None:
        values: dict[str, Any] = {
            "active": params.boolean("active"),
            "tax_behavior": params.string("tax_behavior", choices=_TAX_BEHAVIORS),
            "metadata": params.metadata(self.metadata),
        }
        changes: dict[str, Any] = {k: v for k, v in values.items() if v is not None}
        for key, max_length in (("nickname", 5000), ("lookup_key", _MAX_LOOKUP_KEY)):
            value = params.string(key, max_length=max_length)
            if value is not None:
                changes[key] = value or None  # "" unsets
        transfer = params.boolean("transfer_lookup_key") or False
        params.done()
        if changes.get("lookup_key") not in (None, self.lookup_key):
            holder = _lookup_key_holder(changes["lookup_key"], transfer)
            if holder is not None:
                holder._release_lookup_key()
        self.__dict__.update(changes)

    def _release_lookup_key(self) -> None:
        """Give up the lookup key to the price taking it over (transfer_lookup_key)."""
        previous = {"lookup_key": self.lookup_key}
        self.lookup_key = None
        emit("price.updated", self, previous)

    @classmethod
    def _api_list_all(cls, url: str, **data: Any) -> listing.Page:
        params = Params(data)
        active = params.boolean("active")
        currency = params.string("currency")
        product = params.string("product")
        kind = params.string("type", choices=("one_time", "recurring"))
        lookup_keys = params.strings("lookup_keys", max_items=_MAX_LOOKUP_KEYS)
        recurring = params.nested("recurring")
        interval = usage_type = None
        if recurring is not None:
            interval = recurring.string("interval", choices=_INTERVALS)
            usage_type = recurring.string("usage_type", choices=("licensed", "metered"))
            recurring.done()

        def keep(price: Any) -> bool:
            period = price.recurring or {}
            return (
                (active is None or price.active == active)
                and (currency is None or price.currency == currency.lower())
                and (product is None or price.product == product)
                and (kind is None or price.type == kind)
                and (lookup_keys is None or price.lookup_key in lookup_keys)
                and (interval is None or period.get("interval") == interval)
                and (usage_type is None or period.get("usage_type") == usage_type)
            )

        return listing.paginate(cls.object, url, params, keep)


def _product(params: Params) -> str | None:
    product = params.string("product")
    if product is not None and f"product:{product}" not in store:
        raise not_found("product", product, "product", status=400)
    return product


def _amount(params: Params) -> tuple[int | None, str]:
    """``unit_amount`` and Stripe's string ``unit_amount_decimal``; one of them is required."""
    if params.peek("unit_amount") is not None and params.peek("unit_amount_decimal") is not None:
        raise invalid_request(
            "You may only specify one of these parameters: unit_amount, unit_amount_decimal."
        )
    unit_amount = params.integer("unit_amount", minimum=0)
    if unit_amount is not None:
        return unit_amount, str(unit_amount)
    decimal = params.decimal("unit_amount_decimal")
    if decimal is None:
        raise invalid_request(
            "Missing required param: unit_amount.", "unit_amount", "parameter_missing"
        )
    whole = decimal == decimal.to_integral_value()
    return (int(decimal) if whole else None), format(decimal.normalize(), "f")


def _recurring(params: Params | None) -> dict[str, Any] | None:
    if params is None:
        return None
    interval = params.string("interval", required=True, choices=_INTERVALS)
    assert interval is not None
    count = params.integer("interval_count", minimum=1) or 1
    usage_type = params.string("usage_type", choices=("licensed",)) or "licensed"
    trial_period_days = params.integer("trial_period_days", minimum=1)
    params.done()
    if count > _MAX_INTERVAL_COUNT[interval]:
        raise invalid_request(
            "The maximum interval allowed is three years (3 years, 36 months, or 156 weeks).",
            "recurring[interval_count]",
        )
    return {
        "interval": interval,
        "interval_count": count,
        "meter": None,
        "trial_period_days": trial_period_days,
        "usage_type": usage_type,
    }


def _lookup_key_holder(lookup_key: str | None, transfer: bool) -> Any:
    """The price that holds ``lookup_key``, to take it from; 400 unless ``transfer``."""
    if lookup_key is None:
        return None
    for price in listing.newest_first("price"):
        if price.lookup_key == lookup_key:
            if not transfer:
                raise invalid_request(
                    f"A price (`{price.id}`) already uses that lookup key.", "lookup_key"
                )
            return price
    return None
