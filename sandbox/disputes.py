"""Disputes (``/v1/disputes``): a cardholder contesting a charge with their bank.

Nobody can dispute in a sandbox, so ``POST /_sandbox/charges/{id}/dispute`` plays the bank
opening one (``charge.dispute.created``, status ``needs_response``, the charge
``disputed``); ``POST /v1/disputes/{id}/close`` concedes it as on Stripe
(``charge.dispute.closed``, status ``lost``). ``POST /v1/disputes/{id}`` updates its
``evidence`` and ``metadata`` and, unless ``submit=false``, submits the evidence
(``charge.dispute.updated``, status ``under_review``); as in Stripe's test mode, evidence
whose ``uncategorized_text`` is ``winning_evidence`` or ``losing_evidence`` then closes it
won or lost (``charge.dispute.closed``). A charge whose dispute was won can be refunded.
"""

import time
from typing import Any

from localstripe.resources import StripeObject, random_id

from sandbox import listing
from sandbox.charges import Charge
from sandbox.errors import invalid_request
from sandbox.events import emit
from sandbox.params import Params
from sandbox.updates import UpdateEvents

_REASONS = (
    "bank_cannot_process", "check_returned", "credit_not_processed", "customer_initiated",
    "debit_not_authorized", "duplicate", "fraudulent", "general", "incorrect_account_details",
    "insufficient_funds", "noncompliant", "product_not_received", "product_unacceptable",
    "subscription_canceled", "unrecognized",
)  # fmt: skip
_EVIDENCE = (
    "access_activity_log", "appeal", "billing_address", "cancellation_policy",
    "cancellation_policy_disclosure", "cancellation_rebuttal", "customer_communication",
    "customer_email_address", "customer_name", "customer_purchase_ip", "customer_signature",
    "duplicate_charge_documentation", "duplicate_charge_explanation", "duplicate_charge_id",
    "product_description", "receipt", "refund_policy", "refund_policy_disclosure",
    "refund_refusal_explanation", "service_date", "service_documentation", "shipping_address",
    "shipping_carrier", "shipping_date", "shipping_documentation", "shipping_tracking_number",
    "uncategorized_file", "uncategorized_text",
)  # fmt: skip
_RESPONSE_DAYS = 7
_OPEN = ("needs_response", "warning_needs_response")
# Stripe's test-mode evidence that decides a dispute.
_TEST_OUTCOMES = {"winning_evidence": "won", "losing_evidence": "lost"}


class Dispute(UpdateEvents, StripeObject):  # type: ignore[misc]
    object = "dispute"
    _id_prefix = "dp_"
    _event_prefix = "charge.dispute"

    def __init__(self, charge: Any, amount: int, reason: str) -> None:
        super().__init__(self._id_prefix + random_id(24))
        self.amount = amount
        self.balance_transactions: list[str] = []
        self.charge = charge.id
        self.currency = charge.currency
        self.enhanced_eligibility_types: list[str] = []
        self.intended_submission_method = None
        self.evidence: dict[str, Any] = {**dict.fromkeys(_EVIDENCE), "enhanced_evidence": {}}
        self.evidence_details = {
            "due_by": self.created + _RESPONSE_DAYS * 86400,
            "enhanced_eligibility": {},
            "has_evidence": False,
            "past_due": False,
            "submission_count": 0,
            "submission_method": "not_submitted",
        }
        self.is_charge_refundable = False
        self.metadata: dict[str, str] = {}
        self.network_reason_code = None
        self.payment_intent = charge.payment_intent
        card = charge.payment_method_details.get("card") or {}
        self.payment_method_details = {
            "type": "card",
            "card": {
                "brand": card.get("brand"),
                "case_type": "chargeback",
                "network": card.get("network"),
                "network_reason_code": None,
            },
        }
        self.reason = reason
        self.status = "needs_response"
        charge.disputed = True
        emit("charge.dispute.created", self)

    @classmethod
    def _api_open(cls, id: str, **data: Any) -> Any:
        """Test helper: the cardholder disputes charge ``id`` (``reason``, by default
        ``fraudulent``; ``amount``, by default all of it)."""
        params = Params(data)
        reason = params.string("reason", choices=_REASONS) or "fraudulent"
        amount = params.integer("amount", minimum=1)
        params.done()
        charge = Charge._api_retrieve(id)
        if charge.status != "succeeded" or charge.disputed:
            raise invalid_request(f"Charge {id} cannot be disputed: it is not a paid charge.")
        if amount is not None and amount > charge.amount:
            raise invalid_request("A dispute cannot exceed the charge's amount.", "amount")
        return cls(charge, amount or charge.amount, reason)

    @classmethod
    def _api_close(cls, id: str, **data: Any) -> Any:
        Params(data).done()
        dispute = cls._api_retrieve(id)
        dispute._check_open()
        dispute._close("lost")
        return dispute

    @classmethod
    def _api_update(cls, id: str, **data: Any) -> Any:
        dispute = cls._api_retrieve(id)
        with dispute._changes():
            dispute._modify(Params(data))
        outcome = _TEST_OUTCOMES.get(dispute.evidence.get("uncategorized_text") or "")
        if outcome is not None and dispute.status == "under_review":
            dispute._close(outcome)
        return dispute

    def _modify(self, params: Params) -> None:
        evidence = params.nested("evidence")
        given = {}
        if evidence is not None:
            given = {key: evidence.string(key) for key in _EVIDENCE}
            evidence.done()
        metadata = params.metadata(self.metadata)
        submit = params.boolean("submit")
        params.done()
        self._check_open()
        self.evidence.update({key: value for key, value in given.items() if value is not None})
        if metadata is not None:
            self.metadata = metadata
        if submit is not False:
            self.status = "under_review"
            self.evidence_details["has_evidence"] = True
            self.evidence_details["submission_count"] += 1
            self.evidence_details["submission_method"] = "manual"

    def _check_open(self) -> None:
        if self.status not in _OPEN:
            raise invalid_request(f"This dispute is already {self.status}.")

    def _close(self, outcome: str) -> None:
        self.status = outcome
        self.is_charge_refundable = outcome == "won"
        self.evidence_details["due_by"] = int(time.time())
        emit("charge.dispute.closed", self)

    @classmethod
    def _holding_back(cls, charge_id: str) -> bool:
        """Whether a dispute of the charge keeps it from being refunded (not won)."""
        return any(
            dispute.charge == charge_id and dispute.status != "won"
            for dispute in listing.newest_first(cls.object)
        )

    @classmethod
    def _api_list_all(cls, url: str, **data: Any) -> listing.Page:
        return listing.of_charge(cls.object, url, data)


ROUTES = (
    ("POST", "/v1/disputes/{id}/close", Dispute._api_close),
    ("POST", "/_sandbox/charges/{id}/dispute", Dispute._api_open),
)
