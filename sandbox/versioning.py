"""localstripe's 2017-era shapes translated to the API version billgraph pins.

Every exported object goes through ``translate`` (see sandbox.exporting): API answers,
expanded objects and the ``data.object`` snapshot of events alike, so no client of the
sandbox ever sees an old shape. One function per object type that differs.
"""

from collections.abc import Callable
from typing import Any

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


def _payment_intent(exported: Exported, source: Any) -> None:
    # A PaymentIntent names its latest charge by id; the charges list is gone.
    exported.pop("charges", None)
    charge = exported.get("latest_charge")
    if isinstance(charge, dict):
        exported["latest_charge"] = charge["id"]


_TRANSLATORS: dict[str, Callable[[Exported, Any], None]] = {
    "list": _list,
    "subscription": _subscription,
    "subscription_item": _subscription_item,
    "invoice": _invoice,
    "payment_intent": _payment_intent,
}
