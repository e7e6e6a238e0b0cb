"""Refunds (``/v1/refunds``) of a PaymentIntent's charge, whole or partial, in today's shape.

A refund succeeds at once, as card refunds do in test mode: ``refund.created``, then
``charge.refunded`` with the charge's new ``amount_refunded``. The bank can still refuse it
later: ``POST /_sandbox/refunds/{id}/fail`` plays that (``refund.updated`` with its legacy
twin ``charge.refund.updated``, then ``refund.failed``) and gives the amount back to the
charge's refundable balance.
"""

from typing import Any

from localstripe.resources import StripeObject, random_id

from sandbox import listing, money
from sandbox.charges import Charge
from sandbox.disputes import Dispute
from sandbox.errors import invalid_request
from sandbox.events import emit
from sandbox.params import Params
from sandbox.payment_intents import PaymentIntent
from sandbox.updates import UpdateEvents

_REASONS = ("duplicate", "fraudulent", "requested_by_customer")
_FAILURE_REASONS = ("lost_or_stolen_card", "expired_or_canceled_card", "unknown")
# Fields null unless set (failure_reason, when the refund fails).
_NULLS = (
    "customer_account", "description", "failure_balance_transaction", "failure_reason",
    "instructions_email", "next_action", "pending_reason", "presentment_details", "receipt_number",
    "source_transfer_reversal", "transfer_reversal",
)  # fmt: skip


class Refund(UpdateEvents, StripeObject):  # type: ignore[misc]
    object = "refund"
    _id_prefix = "re_"
    _updated_also = ("charge.refund.updated",)

    def __init__(self, **data: Any) -> None:
        params = Params(data)
        intent = params.reference("payment_intent", PaymentIntent)
        charge = params.reference("charge", Charge)
        amount = params.integer("amount", minimum=1)
        reason = params.string("reason", choices=_REASONS)
        metadata = params.metadata()
        params.done()
        charge = _refundable_charge(intent, charge)
        amount = _checked_amount(charge, amount)

        super().__init__(self._id_prefix + random_id(24))
        self.__dict__.update(dict.fromkeys(_NULLS))
        self.amount = amount
        self.charge = charge.id
        self.currency = charge.currency
        self.customer = charge.customer
        self.destination_details = {
            "type": "card",
            "card": {
                "reference": random_id(22),
                "reference_status": "available",
                "reference_type": "acquirer_reference_number",
                "type": "refund",
            },
        }
        self.metadata = metadata or {}
        self.payment_intent = charge.payment_intent
        self.payment_method = charge.payment_method
        self.reason = reason
        self.status = "succeeded"
        with charge._changes("charge.refunded"):
            charge.amount_refunded += amount
            self.balance_transaction = charge._book(-amount, "refund", self.id)
            emit("refund.created", self)

    def _modify(self, params: Params) -> None:
        metadata = params.metadata(self.metadata)
        params.done()
        if metadata is not None:
            self.metadata = metadata

    @classmethod
    def _api_fail(cls, id: str, **data: Any) -> Any:
        """Test helper: the bank returns the refund (``failure_reason``, by default
        ``expired_or_canceled_card``)."""
        params = Params(data)
        reason = params.string("failure_reason", choices=_FAILURE_REASONS)
        params.done()
        refund = cls._api_retrieve(id)
        if refund.status != "succeeded":
            raise invalid_request(f"Only a succeeded refund can fail; this one is {refund.status}.")
        with refund._changes():
            refund.status = "failed"
            refund.failure_reason = reason or "expired_or_canceled_card"
            Charge._api_retrieve(refund.charge).amount_refunded -= refund.amount
        emit("refund.failed", refund)
        return refund

    @classmethod
    def _api_list_all(cls, url: str, **data: Any) -> listing.Page:
        return listing.of_charge(cls.object, url, data)


def _refundable_charge(intent: Any, charge: Any) -> Any:
    """The charge a refund returns money from, or Stripe's 400 saying why there is none."""
    if intent is not None and charge is not None:
        raise invalid_request(
            "You may only specify one of these parameters: charge, payment_intent."
        )
    if intent is None and charge is None:
        raise invalid_request(
            "One of the following params should be provided for this request: "
            "payment_intent or charge.",
            code="parameter_missing",
        )
    if intent is not None:
        if intent.status != "succeeded":
            raise invalid_request(
                f"This PaymentIntent ({intent.id}) does not have a successful charge to refund.",
                "payment_intent",
            )
        charge = Charge._api_retrieve(intent.latest_charge)
    if charge.status != "succeeded":
        raise invalid_request(f"Charge {charge.id} has no successful payment to refund.", "charge")
    if charge.disputed and Dispute._holding_back(charge.id):
        raise invalid_request(
            f"Charge {charge.id} has been charged back; cannot issue a refund.",
            code="charge_disputed",
        )
    return charge


def _checked_amount(charge: Any, amount: int | None) -> int:
    refundable = charge._refundable
    if refundable <= 0:
        raise invalid_request(
            f"Charge {charge.id} has already been refunded.", code="charge_already_refunded"
        )
    if amount is not None and amount > refundable:
        raise invalid_request(
            f"Refund amount ({money.format_amount(amount, charge.currency)}) is greater than "
            f"unrefunded amount on charge ({money.format_amount(refundable, charge.currency)})",
            "amount",
            "amount_too_large",
        )
    return amount or refundable


ROUTES = (("POST", "/_sandbox/refunds/{id}/fail", Refund._api_fail),)
