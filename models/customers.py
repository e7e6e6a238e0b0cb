"""The Stripe customer of each application user and the payment methods
saved for them, mirrored from Stripe."""

from __future__ import annotations

from tortoise import fields

from models.base import StripeMirror


class Customer(StripeMirror):
    """Exactly one per user: the unique ``user_id`` settles a race between a
    user's first two requests (both reach Stripe with the same idempotency
    key, so Stripe creates one customer too)."""

    id = fields.UUIDField(primary_key=True)
    user_id = fields.CharField(max_length=255, unique=True)
    stripe_customer_id = fields.CharField(max_length=255, unique=True)
    email = fields.CharField(max_length=320, null=True)
    name = fields.CharField(max_length=200, null=True)
    # line1, line2, city, state, postal_code, country (ISO 3166-1 alpha-2), as Stripe has it.
    address: fields.Field[dict[str, str | None] | None] = fields.JSONField(null=True)
    # Stripe's invoice_settings.default_payment_method (pm_...).
    default_payment_method = fields.CharField(max_length=255, null=True)
    payment_methods: fields.ReverseRelation[PaymentMethod]

    class Meta:
        table = "customer"


class PaymentMethod(StripeMirror):
    """A payment method saved for a user (attached to their Stripe customer).

    The row goes when Stripe says it is detached."""

    id = fields.UUIDField(primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="payment_methods", on_delete=fields.CASCADE
    )
    user_id = fields.CharField(max_length=255)
    stripe_payment_method_id = fields.CharField(max_length=255, unique=True)
    type = fields.CharField(max_length=64)
    brand = fields.CharField(max_length=32, null=True)
    last4 = fields.CharField(max_length=4, null=True)
    exp_month = fields.SmallIntField(null=True)
    exp_year = fields.SmallIntField(null=True)
    wallet = fields.CharField(max_length=32, null=True)

    class Meta:
        table = "payment_method"
        indexes = (("user_id", "created_at"),)
