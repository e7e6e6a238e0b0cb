"""localstripe's 2017-era shapes translated to the API version billgraph pins.

Every exported object goes through ``translate`` (see sandbox.exporting): API answers,
expanded objects and the ``data.object`` snapshot of events alike, so no client of the
sandbox ever sees an old shape. One function per localstripe object type that differs.

The resources whose old shapes differ most (payment intents, charges, refunds,
subscriptions and their items, invoices) are the sandbox's own, built in today's shapes
rather than translated: no legacy field of theirs (a payment intent's ``charges`` list, a
subscription's ``current_period_*``, ``plan`` and ``quantity``, an invoice's
``subscription``, ``charge``, ``payment_intent``, ``paid``, ``tax``, ``date``...) exists
to translate. Their successors are served instead: ``latest_charge``, the items' periods,
``parent.subscription_details``, the invoice's ``payments`` and ``status``.
"""

from collections.abc import Callable
from typing import Any

import stripe

from sandbox import cards

# The version the installed Stripe SDK pins (billgraph's, too); events say so and objects
# take its shapes.
API_VERSION: str = stripe.api_version

Exported = dict[str, Any]


def translate(exported: Exported, source: Any) -> Exported:
    """The pinned version's shape of ``exported``, the export of localstripe ``source``."""
    translator = _TRANSLATORS.get(str(exported.get("object")))
    if translator is not None:
        translator(exported, source)
    return exported


def _list(exported: Exported, source: Any) -> None:
    # total_count left Stripe's list objects in 2017.
    exported.pop("total_count", None)


def billing_details(stored: dict[str, Any] | None) -> Exported:
    """Today's ``billing_details``: every key present, null when unknown."""
    stored = stored or {}
    address = {key: None for key in ("city", "country", "line1", "line2", "postal_code", "state")}
    address.update(stored.get("address") or {})
    details = {key: stored.get(key) for key in ("email", "name", "phone", "tax_id")}
    return {"address": address, **details}


def _payment_method(exported: Exported, source: Any) -> None:
    exported.setdefault("allow_redisplay", "unspecified")
    exported["billing_details"] = billing_details(exported.get("billing_details"))
    card = cards.card(source)
    if card is not None:
        exported["card"] = card


def _plan(exported: Exported, source: Any) -> None:
    # name and statement_descriptor moved to the product in 2018; tiers are includable.
    for field in ("name", "statement_descriptor", "tiers"):
        exported.pop(field, None)
    amount = exported.get("amount")
    exported.update(
        amount_decimal=None if amount is None else str(amount), meter=None, transform_usage=None
    )


def _customer(exported: Exported, source: Any) -> None:
    # The 2017 balance was a credit when positive; today's is a debt when positive.
    exported["balance"] = -exported.pop("account_balance", 0)
    # business_vat_id left in 2018; sources, subscriptions and tax_ids are includable now.
    for field in ("business_vat_id", "sources", "subscriptions", "tax_ids"):
        exported.pop(field, None)
    exported["preferred_locales"] = exported.get("preferred_locales") or []
    settings = {"custom_fields": None, "footer": None, "rendering_options": None}
    exported["invoice_settings"] = {**settings, **exported["invoice_settings"]}


_TRANSLATORS: dict[str, Callable[[Exported, Any], None]] = {
    "customer": _customer,
    "plan": _plan,
    "payment_method": _payment_method,
    "list": _list,
}
