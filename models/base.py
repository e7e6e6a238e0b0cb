"""Shared column sets."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class TimestampedModel(Model):
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        abstract = True


class StripeMirror(TimestampedModel):
    """A row mirrored from a Stripe object.

    ``stripe_version`` is the ``created`` time of the Stripe event the row was
    last written from; null after a write from an API answer, whose moment
    on Stripe's clock we don't know. Webhook handlers compare against it so
    that an older event never overwrites newer state.
    """

    stripe_version = fields.BigIntField(null=True)

    class Meta:
        abstract = True
