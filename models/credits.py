"""Credits: an immutable ledger per user, the balance it adds up to, the
grants' remaining amounts (lots) and the credit packs on sale."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import StripeMirror

if TYPE_CHECKING:
    from models.payments import Payment


class CreditKind(StrEnum):
    PURCHASE = "purchase"
    PLAN_GRANT = "plan_grant"
    ADJUSTMENT = "adjustment"
    SPEND = "spend"
    OVERAGE = "overage"
    CLAWBACK = "clawback"
    REVERSAL = "reversal"
    EXPIRY = "expiry"


class CreditBalance(Model):
    """A user's balance. Changed only by one conditional ``UPDATE ... SET
    balance = balance + d WHERE balance + d >= 0`` in the transaction that
    inserts the ledger row; that UPDATE also takes the row's lock, which
    serialises every write to the user's lots."""

    user_id = fields.CharField(max_length=255, primary_key=True)
    balance = fields.BigIntField(default=0)

    class Meta:
        table = "credit_balance"


class CreditTransaction(Model):
    """One ledger row, never updated. ``key`` makes its cause happen once
    (a payment, an invoice, a client's idempotency key, an expiring lot ...)."""

    id = fields.UUIDField(primary_key=True)
    user_id = fields.CharField(max_length=255)
    kind = fields.CharEnumField(CreditKind, max_length=16)
    amount = fields.BigIntField()
    balance_after = fields.BigIntField()
    reason = fields.CharField(max_length=500, null=True)
    expires_at = fields.DatetimeField(null=True)
    # CLAWBACK: credits that could not be taken back (already spent);
    # REVERSAL: the part of a released claim that was such a shortfall.
    shortfall = fields.BigIntField(default=0)
    payment: fields.ForeignKeyNullableRelation[Payment] = fields.ForeignKeyField(
        "models.Payment", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    key = fields.CharField(max_length=300, null=True)
    # What a client key was first used for (billing.idempotency.request_digest).
    request_digest = fields.CharField(max_length=64, null=True)
    created_at = fields.DatetimeField()
    lot: fields.BackwardOneToOneRelation[CreditLot]

    class Meta:
        table = "credit_transaction"
        unique_together = (("user_id", "key"),)
        indexes = (("user_id", "created_at"), ("payment_id", "kind"))


class CreditLot(Model):
    """What is left of one grant. Spending takes from the soonest-expiring
    lots first; an expired lot's remainder leaves by an EXPIRY row. Changed
    only while the owner's balance row is locked."""

    id = fields.UUIDField(primary_key=True)
    user_id = fields.CharField(max_length=255)
    grant: fields.OneToOneRelation[CreditTransaction] = fields.OneToOneField(
        "models.CreditTransaction", related_name="lot", on_delete=fields.RESTRICT
    )
    remaining = fields.BigIntField()
    expires_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "credit_lot"
        indexes = (("user_id", "remaining", "expires_at"),)


class CreditPack(StripeMirror):
    """A pack on sale, from the plans file; its Stripe Product and one-time
    Price are kept in step by the catalog sync."""

    key = fields.CharField(max_length=64, primary_key=True)
    name = fields.CharField(max_length=200)
    credits = fields.IntField()
    amount = fields.IntField()
    currency = fields.CharField(max_length=3)
    position = fields.IntField(default=0)
    active = fields.BooleanField(default=True)
    stripe_product_id = fields.CharField(max_length=255, null=True)
    stripe_price_id = fields.CharField(max_length=255, null=True)

    class Meta:
        table = "credit_pack"
        ordering = ["position", "key"]
