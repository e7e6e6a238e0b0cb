"""Invoice line items (``/v1/invoices/{id}/lines``) in today's shape: what they bill under
``pricing.price_details`` and where they come from under ``parent``."""

from typing import Any

from localstripe.resources import StripeObject, random_id

from sandbox import money
from sandbox.products import Product


class InvoiceLineItem(StripeObject):  # type: ignore[misc]
    object = "line_item"
    _id_prefix = "il_"

    def __init__(self, invoice: str, item: Any, period: tuple[int, int], trial: bool) -> None:
        """The line billing subscription ``item`` for ``period`` (nothing, in a trial)."""
        super().__init__(self._id_prefix + random_id(24))
        price = item.price
        name = Product._api_retrieve(price.product).name
        self.amount = 0 if trial else item._amount
        self.currency = price.currency
        self.description = (
            f"Trial period for {name}"
            if trial
            else f"{item.quantity} × {name} (at {_unit_price(price)})"  # noqa: RUF001 - as Stripe writes it
        )
        self.discount_amounts: list[Any] = []
        self.discountable = True
        self.discounts: list[str] = []
        self.invoice = invoice
        self.metadata: dict[str, str] = {}
        self.parent = {
            "type": "subscription_item_details",
            "invoice_item_details": None,
            "subscription_item_details": {
                "invoice_item": None,
                "proration": False,
                "proration_details": {"credited_items": None},
                "subscription": item.subscription,
                "subscription_item": item.id,
            },
        }
        self.period = {"start": period[0], "end": period[1]}
        self.pretax_credit_amounts: list[Any] = []
        self.pricing = {
            "type": "price_details",
            "price_details": {"price": price.id, "product": price.product},
            "unit_amount_decimal": price.unit_amount_decimal,
        }
        self.quantity = item.quantity
        self.quantity_decimal = str(item.quantity)
        self.subscription = item.subscription
        self.subtotal = self.amount
        self.taxes: list[Any] = []


def _unit_price(price: Any) -> str:
    """``$10.00 / month``, ``$90.00 every 3 months``."""
    amount = money.format_amount(int(price.unit_amount or 0), price.currency)
    interval, count = price.recurring["interval"], price.recurring["interval_count"]
    return f"{amount} / {interval}" if count == 1 else f"{amount} every {count} {interval}s"
