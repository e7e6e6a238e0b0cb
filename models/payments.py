"""One-time payments (PaymentIntents) and their refunds, mirrored from Stripe."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from models.base import StripeMirror


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
    # Set for the PaymentIntent of a subscription invoice.
    stripe_invoice_id = fields.CharField(max_length=255, null=True, unique=True)
    # The client's idempotency key and a digest of what it asked for, so a
    # retry returns this payment and a changed request is a conflict.
    idempotency_key = fields.CharField(max_length=255, null=True)
    request_digest = fields.CharField(max_length=64, null=True)
    refunds: fields.ReverseRelation[Refund]

    class Meta:
        table = "payment"
        unique_together = (("user_id", "idempotency_key"),)
        indexes = (
            ("user_id", "created_at"),
            ("user_id", "status", "created_at"),
            ("user_id", "purpose", "created_at"),
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
    idempotency_key = fields.CharField(max_length=255, null=True)

    class Meta:
        table = "refund"
        indexes = (("payment_id", "created_at"),)
