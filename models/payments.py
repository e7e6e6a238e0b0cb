"""One-time payments (PaymentIntents), their refunds and disputes, mirrored
from Stripe, and the refund attempts billgraph makes."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from models.base import StripeMirror, TimestampedModel


class PaymentStatus(StrEnum):
    REQUIRES_PAYMENT_METHOD = "requires_payment_method"
    REQUIRES_CONFIRMATION = "requires_confirmation"
    REQUIRES_ACTION = "requires_action"
    PROCESSING = "processing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELED = "canceled"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


# Payments whose money came in (refunds since do not undo that).
SETTLED = (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED)


class PaymentPurpose(StrEnum):
    ONE_TIME = "one_time"  # createPaymentIntent
    SUBSCRIPTION = "subscription"  # a subscription invoice
    CREDIT_PACK = "credit_pack"  # buyCredits


class Payment(StripeMirror):
    id = fields.UUIDField(primary_key=True)
    user_id = fields.CharField(max_length=255)
    stripe_payment_intent_id = fields.CharField(max_length=255, unique=True)
    amount = fields.IntField()
    currency = fields.CharField(max_length=3)
    amount_refunded = fields.IntField(default=0)
    status = fields.CharEnumField(PaymentStatus, max_length=32)
    description = fields.CharField(max_length=500, null=True)
    purpose = fields.CharEnumField(PaymentPurpose, max_length=16, default=PaymentPurpose.ONE_TIME)
    # The subscription a SUBSCRIPTION payment's invoice bills.
    stripe_subscription_id = fields.CharField(max_length=255, null=True)
    failure_message: fields.Field[str | None] = fields.TextField(null=True)  # type: ignore[assignment]
    disputed = fields.BooleanField(default=False)
    # CREDIT_PACK: the credits this payment buys (as sold when it was created).
    credits = fields.IntField(null=True)
    # Set for the PaymentIntent of a subscription invoice.
    stripe_invoice_id = fields.CharField(max_length=255, null=True, unique=True)
    # The client's idempotency key and a digest of what it asked for, so a
    # retry returns this payment and a changed request is a conflict.
    idempotency_key = fields.CharField(max_length=255, null=True)
    request_digest = fields.CharField(max_length=64, null=True)
    refunds: fields.ReverseRelation[Refund]
    dispute: fields.BackwardOneToOneRelation[Dispute]

    class Meta:
        table = "payment"
        unique_together = (("user_id", "idempotency_key"),)
        indexes = (
            ("user_id", "created_at"),
            ("user_id", "status", "created_at"),
            ("user_id", "purpose", "created_at"),
            ("created_at", "id"),  # allPayments and the financial summary's window
        )


class Refund(StripeMirror):
    id = fields.UUIDField(primary_key=True)
    payment: fields.ForeignKeyRelation[Payment] = fields.ForeignKeyField(
        "models.Payment", related_name="refunds", on_delete=fields.RESTRICT
    )
    stripe_refund_id = fields.CharField(max_length=255, unique=True)
    amount = fields.IntField()
    currency = fields.CharField(max_length=3)
    reason = fields.CharField(max_length=32, null=True)
    status = fields.CharField(max_length=32)

    class Meta:
        table = "refund"
        indexes = (("payment_id", "created_at"),)


# Refund statuses that hold money back from the payer's charge.
COUNTED_REFUNDS = ("pending", "requires_action", "succeeded")


class AttemptStatus(StrEnum):
    OPEN = "open"  # committed before Stripe was asked; its amount is reserved
    ANSWERED = "answered"  # Stripe made the refund (``refund`` is set)
    REFUSED = "refused"  # Stripe said no: nothing was refunded


class RefundAttempt(TimestampedModel):
    """A refund billgraph asked Stripe for, committed before asking.

    Its id makes the Stripe idempotency key, so repeating an attempt (after a
    lost answer, a crash, a timeout) can never refund twice; while open, its
    amount counts against what is left of the payment."""

    id = fields.UUIDField(primary_key=True)
    payment: fields.ForeignKeyRelation[Payment] = fields.ForeignKeyField(
        "models.Payment", related_name="refund_attempts", on_delete=fields.RESTRICT
    )
    amount = fields.IntField()
    # What was asked, to recognise the same request again: the amount (null:
    # "what is left"), the reason and the client's idempotency key.
    requested_amount = fields.IntField(null=True)
    reason = fields.CharField(max_length=32, null=True)
    idempotency_key = fields.CharField(max_length=255, null=True)
    requested_by = fields.CharField(max_length=255)
    requested_at = fields.DatetimeField()
    status = fields.CharEnumField(AttemptStatus, max_length=16, default=AttemptStatus.OPEN)
    refund: fields.OneToOneNullableRelation[Refund] = fields.OneToOneField(
        "models.Refund", related_name="attempt", null=True, on_delete=fields.RESTRICT
    )
    # Stripe's refusal (a BillingError), answered again for the same key.
    error_code = fields.CharField(max_length=32, null=True)
    error: fields.Field[str | None] = fields.TextField(null=True)  # type: ignore[assignment]

    class Meta:
        table = "refund_attempt"
        unique_together = (("payment_id", "idempotency_key"),)
        indexes = (("payment_id", "status"),)


class DisputeStatus(StrEnum):
    """Stripe's dispute statuses; ``warning_*`` are inquiries, not chargebacks."""

    WARNING_NEEDS_RESPONSE = "warning_needs_response"
    WARNING_UNDER_REVIEW = "warning_under_review"
    WARNING_CLOSED = "warning_closed"
    NEEDS_RESPONSE = "needs_response"
    UNDER_REVIEW = "under_review"
    WON = "won"
    LOST = "lost"


# A payment with a dispute in one of these is no longer held back by it.
DISPUTE_CLEARED = (DisputeStatus.WON, DisputeStatus.WARNING_CLOSED)
# A dispute in one of these is decided.
DISPUTE_CLOSED = (DisputeStatus.WON, DisputeStatus.LOST, DisputeStatus.WARNING_CLOSED)


class Dispute(StripeMirror):
    """The payer's dispute of a payment (Stripe allows one per charge)."""

    id = fields.UUIDField(primary_key=True)
    payment: fields.OneToOneRelation[Payment] = fields.OneToOneField(
        "models.Payment", related_name="dispute", on_delete=fields.RESTRICT
    )
    stripe_dispute_id = fields.CharField(max_length=255, unique=True)
    amount = fields.IntField()
    currency = fields.CharField(max_length=3)
    status = fields.CharEnumField(DisputeStatus, max_length=32)
    reason = fields.CharField(max_length=64)
    opened_at = fields.DatetimeField()
    # When it was decided: the time of the first Stripe event that showed it
    # closed (Stripe's dispute object keeps no closing time).
    closed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "dispute"
