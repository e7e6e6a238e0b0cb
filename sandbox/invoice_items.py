"""Invoice items (``/v1/invoiceitems``), in today's shape (the price under
``pricing.price_details``, the subscription under ``parent.subscription_details``): here
only the prorations a plan change creates.

A proration item stays pending (``invoice`` null) until an invoice of its subscription
takes it: the immediate one of ``proration_behavior=always_invoice`` or of an interval
change, else the next renewal. Each emits ``invoiceitem.created``.
"""

import time
from decimal import Decimal
from typing import Any

from localstripe.resources import StripeObject, random_id

from sandbox import listing
from sandbox.events import emit
from sandbox.params import Params
from sandbox.products import Product


def proration_amount(price: Any, quantity: int, share: Decimal) -> int:
    """The ``share`` (negative: a credit) of a period of ``quantity`` x ``price``."""
    full = Decimal(price.unit_amount_decimal) * quantity
    return int((full * share).to_integral_value())


def proration_description(
    price: Any, quantity: int, period: tuple[int, int], share: Decimal
) -> str:
    """As Stripe words it: ``Unused time on Pro after 01 Dec 2026``."""
    name = Product._api_retrieve(price.product).name
    what = name if quantity == 1 else f"{quantity} × {name}"  # noqa: RUF001 - as Stripe writes it
    after = time.strftime("%d %b %Y", time.gmtime(period[0]))
    return f"{'Unused' if share < 0 else 'Remaining'} time on {what} after {after}"


class InvoiceItem(StripeObject):  # type: ignore[misc]
    object = "invoiceitem"
    _id_prefix = "ii_"

    def __init__(
        self,
        subscription: Any,
        item: Any,
        price: Any,
        quantity: int,
        period: tuple[int, int],
        share: Decimal,
    ) -> None:
        """The proration of ``quantity`` of ``price`` on subscription ``item`` for
        ``period``, the ``share`` of the billing period left: a charge for the remaining
        time, or with a negative ``share`` a credit for the unused time."""
        super().__init__(self._id_prefix + random_id(24))
        self.amount = proration_amount(price, quantity, share)
        self.currency = price.currency
        self.customer = subscription.customer
        self.customer_account = None
        self.date = int(time.time())
        self.description = proration_description(price, quantity, period, share)
        self.discountable = False
        self.discounts: list[str] = []
        self.invoice: str | None = None
        self.metadata: dict[str, str] = {}
        self.net_amount = self.amount
        self.parent: dict[str, Any] = {
            "type": "subscription_details",
            "subscription_details": {"subscription": subscription.id, "subscription_item": item.id},
        }
        self.period = {"start": period[0], "end": period[1]}
        self.pricing = {
            "type": "price_details",
            "price_details": {"price": price.id, "product": price.product},
            "unit_amount_decimal": price.unit_amount_decimal,
        }
        self.proration = True
        self.proration_details: dict[str, Any] = {"credited_items": None, "discount_amounts": []}
        self.quantity = quantity
        self.tax_rates: list[Any] = []
        self.test_clock = None
        emit("invoiceitem.created", self)

    @property
    def _subscription(self) -> str:
        return str(self.parent["subscription_details"]["subscription"])

    @classmethod
    def _pending(cls, subscription: str) -> list[Any]:
        """The items of ``subscription`` no invoice took yet, oldest first."""
        return [
            item
            for item in reversed(listing.newest_first(cls.object))
            if item.invoice is None and item._subscription == subscription
        ]

    @classmethod
    def _api_list_all(cls, url: str, **data: Any) -> listing.Page:
        params = Params(data)
        customer = params.string("customer")
        invoice = params.string("invoice")
        pending = params.boolean("pending")

        def keep(item: Any) -> bool:
            return (
                (customer is None or item.customer == customer)
                and (invoice is None or item.invoice == invoice)
                and (pending is None or (item.invoice is None) == pending)
            )

        return listing.paginate(cls.object, url, params, keep)
