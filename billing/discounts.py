"""A subscription's discount, as mirrored from Stripe's ``discounts``.

Stripe lists a subscription's discounts as ids (Discount objects are served
only expanded), so the gateway fetches subscriptions with their discounts'
coupon and promotion code expanded. billgraph shows the first discount:
checkout applies at most one promotion code.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from billing.stripe_gateway import StripeObject

NO_DISCOUNT: dict[str, Any] = {
    "discount_code": None,
    "discount_percent_off": None,
    "discount_amount_off": None,
    "discount_currency": None,
    "discount_ends_at": None,
}


def discount_values(state: StripeObject) -> dict[str, Any]:
    """The discount columns for Stripe's subscription ``state``; empty (keep the
    stored ones) when its discounts came unexpanded."""
    discounts = state.get("discounts") or []
    if not discounts:
        return dict(NO_DISCOUNT)
    first = discounts[0]
    coupon = (first.get("source") or {}).get("coupon") if isinstance(first, dict) else None
    if not isinstance(coupon, dict):
        return {}
    promotion = first.get("promotion_code")
    amount_off = coupon.get("amount_off")
    return {
        "discount_code": promotion.get("code") if isinstance(promotion, dict) else None,
        "discount_percent_off": (
            float(coupon["percent_off"]) if coupon.get("percent_off") is not None else None
        ),
        "discount_amount_off": int(amount_off) if amount_off is not None else None,
        "discount_currency": coupon.get("currency") if amount_off is not None else None,
        "discount_ends_at": datetime.fromtimestamp(end, UTC) if (end := first.get("end")) else None,
    }
