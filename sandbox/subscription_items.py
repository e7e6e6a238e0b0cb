"""Subscription items (``/v1/subscription_items``): one price and quantity of a
subscription, carrying the billing period since 2025-03-31 (``current_period_start``/
``current_period_end``) and both ``price`` and its legacy ``plan`` view.
"""

from decimal import Decimal
from typing import Any

from localstripe.resources import StripeObject, random_id, store

from sandbox import listing
from sandbox.params import Params
from sandbox.plans import plan_view
from sandbox.prices import Price


class SubscriptionItem(StripeObject):  # type: ignore[misc]
    object = "subscription_item"
    _id_prefix = "si_"

    def __init__(self, subscription: str, price: Any, quantity: int, metadata: dict[str, str]):
        super().__init__(self._id_prefix + random_id(24))
        self.billing_thresholds = None
        self.discounts: list[str] = []
        self.metadata = metadata
        self.quantity = quantity
        self.subscription = subscription
        self.tax_rates: list[Any] = []
        self._price = price.id

    @property
    def price(self) -> Any:
        return Price._api_retrieve(self._price)

    @property
    def plan(self) -> dict[str, Any]:
        return plan_view(self.price)

    @property
    def current_period_start(self) -> int:
        return int(store[f"subscription:{self.subscription}"]._period()[0])

    @property
    def current_period_end(self) -> int:
        return int(store[f"subscription:{self.subscription}"]._period()[1])

    @property
    def _amount(self) -> int:
        """What one period of this item costs, in minor units."""
        price = self.price
        return int((Decimal(price.unit_amount_decimal) * self.quantity).to_integral_value())

    @classmethod
    def _api_list_all(cls, url: str, **data: Any) -> listing.Page:
        params = Params(data)
        subscription = params.string("subscription", required=True)
        return listing.paginate(
            cls.object, url, params, lambda item: item.subscription == subscription
        )
