"""localstripe's 2017-era shapes translated to the API version billgraph pins.

Every exported object goes through ``translate`` (see sandbox.exporting): API answers,
expanded objects and the ``data.object`` snapshot of events alike, so no client of the
sandbox ever sees an old shape. One function per object type that differs.
"""

from collections.abc import Callable
from typing import Any

from sandbox import cards

# The version stripe 16.1 pins; events say so and objects take its shapes.
API_VERSION = "2026-10-28.endive"

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


def _subscription(exported: Exported, source: Any) -> None:
    # Since 2025-03-31 the billing period lives on each item (see _subscription_item),
    # and single-item shortcuts left the subscription.
    for field in ("current_period_start", "current_period_end", "plan", "quantity"):
        exported.pop(field, None)


def _subscription_item(exported: Exported, source: Any) -> None:
    exported["subscription"] = source._subscription
    period = source._current_period()
    exported["current_period_start"] = period["start"]
    exported["current_period_end"] = period["end"]


def _invoice(exported: Exported, source: Any) -> None:
    # Since 2025-03-31 an invoice names its subscription only under parent.
    subscription = exported.pop("subscription", None)
    if subscription is not None and exported.get("parent") is None:
        exported["parent"] = {
            "type": "subscription_details",
            "subscription_details": {"subscription": subscription},
        }


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
    "payment_method": _payment_method,
    "list": _list,
    "subscription": _subscription,
    "subscription_item": _subscription_item,
    "invoice": _invoice,
}
