"""Invoice payments (``/v1/invoice_payments``): since 2025-03-31 an invoice names the
PaymentIntents that pay it here (and in its ``payments`` list), not in ``payment_intent``
or ``charge`` fields. Also the way from a PaymentIntent back to its invoice. Paying one
sends ``invoice_payment.paid``.
"""

import time
from typing import Any

from localstripe.resources import StripeObject, random_id

from sandbox import listing
from sandbox.events import emit
from sandbox.params import Params

_STATUSES = ("canceled", "open", "paid")


class InvoicePayment(StripeObject):  # type: ignore[misc]
    object = "invoice_payment"
    _id_prefix = "inpay_"

    def __init__(self, invoice: Any, intent: Any) -> None:
        super().__init__(self._id_prefix + random_id(24))
        self.amount_paid: int | None = None
        self.amount_requested = intent.amount
        self.currency = intent.currency
        self.invoice = invoice.id
        self.is_default = True
        self.payment = {"type": "payment_intent", "payment_intent": intent.id}
        self.status = "open"
        self.status_transitions: dict[str, int | None] = {"canceled_at": None, "paid_at": None}

    def _settle(self, status: str) -> None:
        """``paid`` or ``canceled``, now."""
        self.status = status
        self.status_transitions[f"{status}_at"] = int(time.time())
        if status == "paid":
            self.amount_paid = self.amount_requested
            emit("invoice_payment.paid", self)

    @classmethod
    def _api_list_all(cls, url: str, **data: Any) -> listing.Page:
        params = Params(data)
        invoice = params.string("invoice")
        status = params.string("status", choices=_STATUSES)
        payment = params.nested("payment")
        intent = None
        if payment is not None:
            payment.string("type", required=True, choices=("payment_intent",))
            intent = payment.string("payment_intent")
            payment.done()
        return listing.paginate(
            cls.object,
            url,
            params,
            lambda p: (
                (invoice is None or p.invoice == invoice)
                and (status is None or p.status == status)
                and (intent is None or p.payment["payment_intent"] == intent)
            ),
        )
