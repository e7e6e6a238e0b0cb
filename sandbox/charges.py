"""Charges (``/v1/charges``) in today's shape, made by confirming a PaymentIntent: one per
payment attempt, ``succeeded`` or ``failed`` with the bank's ``outcome``, and
``charge.succeeded``/``charge.failed`` events; or, for a payment that settles later,
``pending`` (``charge.pending``) until ``_settle`` decides. Refunds and disputes update
them.

localstripe's Charge is the 2017 one (a ``refunds`` list, no ``outcome``,
``payment_method_details`` or ``billing_details``) and decides declines on its own.
Creating charges directly (the legacy ``POST /v1/charges``) is not served.
"""

from typing import Any

from localstripe.resources import BalanceTransaction, StripeObject, random_id

from sandbox import cards, listing, versioning
from sandbox.events import emit
from sandbox.params import Params
from sandbox.updates import UpdateEvents

# Fields that stay null in the sandbox (Connect, Radar, shipping, level 3 data ...).
_NULLS = (
    "application", "application_fee", "application_fee_amount", "authorization_code",
    "failure_balance_transaction", "on_behalf_of", "presentment_details", "receipt_number",
    "receipt_url", "review",
    "shipping", "source", "source_transfer", "statement_descriptor",
    "statement_descriptor_suffix", "transfer", "transfer_data", "transfer_group",
)  # fmt: skip
_APPROVED = {
    "network_status": "approved_by_network",
    "reason": None,
    "seller_message": "Payment complete.",
    "type": "authorized",
}
_DECLINED = {
    "network_status": "declined_by_network",
    "seller_message": "The bank did not return any further details with this decline.",
    "type": "issuer_declined",
}


class Charge(UpdateEvents, StripeObject):  # type: ignore[misc]
    object = "charge"
    _id_prefix = "ch_"

    def __init__(
        self,
        intent: Any,
        method: Any,
        decline: cards.Decline | None,
        authenticated: bool,
        pending: bool = False,
    ) -> None:
        """The attempt to charge ``method`` for ``intent`` (its outcome yet unknown when
        ``pending``); emits its event."""
        super().__init__(self._id_prefix + random_id(24))
        self.__dict__.update(dict.fromkeys(_NULLS))
        self.amount = intent.amount
        self.amount_captured = 0
        self.amount_refunded = 0
        self.balance_transaction: str | None = None
        self.billing_details = versioning.billing_details(getattr(method, "billing_details", None))
        self.calculated_statement_descriptor = "BILLGRAPH SANDBOX"
        self.captured = False
        self.currency = intent.currency
        self.customer = intent.customer
        self.description = intent.description
        self.disputed = False
        self.failure_code: str | None = None
        self.failure_message: str | None = None
        self.fraud_details: dict[str, str] = {}
        self.metadata = dict(intent.metadata)
        self.outcome: dict[str, Any] | None = None
        self.paid = False
        self.payment_intent = intent.id
        self.payment_method = method.id
        self.payment_method_details = cards.payment_method_details(method, authenticated)
        self.radar_options: dict[str, str] = {}
        self.receipt_email = intent.receipt_email
        self.status = "pending"
        if pending:
            emit("charge.pending", self)
        else:
            self._settle(decline)

    def _settle(self, decline: cards.Decline | None) -> None:
        """The bank's answer: ``succeeded``, or ``failed`` with ``decline``; emits it."""
        self.amount_captured = 0 if decline else self.amount
        self.captured = self.paid = decline is None
        self.failure_code = decline.code if decline else None
        self.failure_message = decline.message if decline else None
        self.outcome = {
            "advice_code": None,
            "network_advice_code": None,
            "network_decline_code": None,
            "risk_level": "normal",
            "risk_score": 20,
            **(_APPROVED if decline is None else {**_DECLINED, "reason": decline.decline_code}),
        }
        self.status = "failed" if decline else "succeeded"
        if decline is None:
            self.balance_transaction = self._book(self.amount, "charge")
        emit(f"charge.{self.status}", self)

    @property
    def refunded(self) -> bool:
        return bool(self.amount_refunded >= self.amount > 0)

    @property
    def _refundable(self) -> int:
        """What refunds may still return."""
        return self.amount_captured - self.amount_refunded

    def _book(self, amount: int, kind: str, source: str | None = None) -> str:
        """A balance transaction for money moving on this charge; its id."""
        return str(
            BalanceTransaction(
                amount=amount,
                currency=self.currency,
                description=self.description,
                exchange_rate=1.0,
                reporting_category=kind,
                source=source or self.id,
                type=kind,
            ).id
        )

    def _modify(self, params: Params) -> None:
        description = params.string("description")
        receipt_email = params.string("receipt_email")
        metadata = params.metadata(self.metadata)
        params.done()
        if description is not None:
            self.description = description or None
        if receipt_email is not None:
            self.receipt_email = receipt_email or None
        if metadata is not None:
            self.metadata = metadata

    @classmethod
    def _api_list_all(cls, url: str, **data: Any) -> listing.Page:
        params = Params(data)
        keep = listing.attributes_equal(
            customer=params.string("customer"), payment_intent=params.string("payment_intent")
        )
        return listing.paginate(cls.object, url, params, keep)
