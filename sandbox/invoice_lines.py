"""Invoice line items (``/v1/invoices/{id}/lines``) in today's shape: what they bill under
``pricing.price_details`` and where they come from under ``parent`` (a subscription item's
period, or a proration invoice item of it)."""

from typing import Any

from localstripe.resources import StripeObject, random_id

from sandbox import money
from sandbox.prices import Price
from sandbox.products import Product


class InvoiceLineItem(StripeObject):  # type: ignore[misc]
    object = "line_item"
    _id_prefix = "il_"

    def __init__(
        self,
        invoice: str,
        price: Any,
        quantity: int,
        amount: int,
        description: str,
        period: tuple[int, int],
        item_details: dict[str, Any],
    ) -> None:
        super().__init__(self._id_prefix + random_id(24))
        self.amount = amount
        self.currency = price.currency
        self.description = description
        self.discount_amounts: list[Any] = []
        self.discountable = True
        self.discounts: list[str] = []
        self.invoice = invoice
        self.metadata: dict[str, str] = {}
        self.parent = {
            "type": "subscription_item_details",
            "invoice_item_details": None,
            "subscription_item_details": item_details,
        }
        self.period = {"start": period[0], "end": period[1]}
        self.pretax_credit_amounts: list[Any] = []
        self.pricing = {
            "type": "price_details",
            "price_details": {"price": price.id, "product": price.product},
            "unit_amount_decimal": price.unit_amount_decimal,
        }
        self.quantity = quantity
        self.quantity_decimal = str(quantity)
        self.subscription = item_details["subscription"]
        self.subtotal = amount
        self.taxes: list[Any] = []

    @classmethod
    def _for_period(cls, invoice: str, item: Any, period: tuple[int, int], trial: bool) -> Any:
        """The line billing subscription ``item`` for ``period`` (nothing, in a trial)."""
        price = item.price
        name = Product._api_retrieve(price.product).name
        description = (
            f"Trial period for {name}"
            if trial
            else f"{item.quantity} × {name} (at {_unit_price(price)})"  # noqa: RUF001 - as Stripe writes it
        )
        amount = 0 if trial else item._amount
        details = _item_details(item.subscription, item.id, None)
        return cls(invoice, price, item.quantity, amount, description, period, details)

    @classmethod
    def _for_proration(cls, invoice: str, proration: Any) -> Any:
        """The line of a proration invoice item."""
        source = proration.parent["subscription_details"]
        details = _item_details(source["subscription"], source["subscription_item"], proration.id)
        price = Price._api_retrieve(proration.pricing["price_details"]["price"])
        period = (proration.period["start"], proration.period["end"])
        return cls(
            invoice,
            price,
            proration.quantity,
            proration.amount,
            proration.description,
            period,
            details,
        )


def _item_details(subscription: str, item: str, invoice_item: str | None) -> dict[str, Any]:
    return {
        "invoice_item": invoice_item,
        "proration": invoice_item is not None,
        "proration_details": {"credited_items": None},
        "subscription": subscription,
        "subscription_item": item,
    }


def _unit_price(price: Any) -> str:
    """``$10.00 / month``, ``$90.00 every 3 months``."""
    amount = money.format_amount(int(price.unit_amount or 0), price.currency)
    interval, count = price.recurring["interval"], price.recurring["interval_count"]
    return f"{amount} / {interval}" if count == 1 else f"{amount} every {count} {interval}s"
