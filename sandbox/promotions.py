"""Promotion codes (``/v1/promotion_codes``) and the discounts they make, in today's shape.

A promotion code is a customer-facing ``code`` for a coupon (``promotion.coupon``,
``promotion.type`` ``coupon``); coupons are localstripe's (``/v1/coupons``). A subscription
created or updated with ``discounts[][promotion_code]`` or ``discounts[][coupon]`` (or
from a checkout session completed with a ``promotion_code``; ``discounts=""`` removes
them) lists ``discounts``: ids of Discount objects,
which Stripe serves only expanded (``expand[]=discounts``); each names its coupon under
``source.coupon``, its promotion code, ``start`` and, for a ``repeating`` coupon, ``end``.
"""

import time
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from localstripe.resources import Coupon, StripeObject, random_id

from sandbox import listing
from sandbox.errors import invalid_request
from sandbox.params import Params


class PromotionCode(StripeObject):  # type: ignore[misc]
    object = "promotion_code"
    _id_prefix = "promo_"

    def __init__(self, **data: Any) -> None:
        params = Params(data)
        promotion = params.nested("promotion")
        if promotion is None:
            raise invalid_request(
                "Missing required param: promotion.", "promotion", "parameter_missing"
            )
        promotion.string("type", required=True, choices=("coupon",))
        coupon = promotion.reference("coupon", Coupon, required=True)
        promotion.done()
        code = params.string("code", max_length=500)
        active = params.boolean("active")
        max_redemptions = params.integer("max_redemptions", minimum=1)
        expires_at = params.integer("expires_at")
        metadata = params.metadata() or {}
        params.done()
        if code is not None and any(_by_code(code, active_only=False)):
            raise invalid_request(
                "An active promotion code with `code` already exists.", "code", "duplicate_code"
            )

        super().__init__(self._id_prefix + random_id(24))
        self.active = True if active is None else active
        self.code = code or random_id(8).upper()
        self.customer = None
        self.customer_account = None
        self.expires_at = expires_at
        self.max_redemptions = max_redemptions
        self.metadata = metadata
        self.promotion = {"coupon": coupon.id, "type": "coupon"}
        self.restrictions = {
            "currency_options": {},
            "first_time_transaction": False,
            "minimum_amount": None,
            "minimum_amount_currency": None,
        }
        self.times_redeemed = 0

    def _redeemable(self) -> bool:
        return (
            self.active
            and (self.expires_at is None or self.expires_at > time.time())
            and (self.max_redemptions is None or self.times_redeemed < self.max_redemptions)
            and Coupon._api_retrieve(self.promotion["coupon"]).valid
        )

    def _update(self, **data: Any) -> None:
        params = Params(data)
        active = params.boolean("active")
        metadata = params.metadata(self.metadata)
        params.done()
        if active is not None:
            self.active = active
        if metadata is not None:
            self.metadata = metadata

    @classmethod
    def _api_list_all(cls, url: str, **data: Any) -> listing.Page:
        params = Params(data)
        code = params.string("code")
        active = params.boolean("active")
        coupon = params.string("coupon")

        def keep(promo: Any) -> bool:
            return (
                (code is None or promo.code == code)
                and (active is None or promo.active == active)
                and (coupon is None or promo.promotion["coupon"] == coupon)
            )

        return listing.paginate(cls.object, url, params, keep)


class Discount(StripeObject):  # type: ignore[misc]
    """One coupon applied to one subscription. Not served by id (as on Stripe): only
    expanded from the ``discounts`` of what it applies to."""

    object = "discount"
    _id_prefix = "di_"

    def __init__(self, subscription: Any, coupon: Any, promotion_code: Any) -> None:
        super().__init__(self._id_prefix + random_id(24))
        self.checkout_session = None
        self.customer = subscription.customer
        self.customer_account = None
        self.end = None
        if coupon.duration == "repeating":
            start = datetime.fromtimestamp(self.created, UTC)
            self.end = int((start + relativedelta(months=coupon.duration_in_months)).timestamp())
        self.invoice = None
        self.invoice_item = None
        self.promotion_code = promotion_code and promotion_code.id
        self.source = {"coupon": coupon.id, "type": "coupon"}
        self.start = self.created
        self.subscription = subscription.id
        self.subscription_item = None
        coupon.times_redeemed += 1
        if promotion_code is not None:
            promotion_code.times_redeemed += 1


def _by_code(code: str, *, active_only: bool = True) -> list[Any]:
    return [
        promo
        for promo in listing.newest_first(PromotionCode.object)
        if promo.code.lower() == code.lower() and (promo.active or not active_only)
    ]


def redeemable_code(code: str, param: str) -> Any:
    """The active promotion code a customer typed (case-insensitive, as on Stripe)."""
    found = [promo for promo in _by_code(code) if promo._redeemable()]
    if not found:
        raise invalid_request(f"This promotion code is invalid: {code}.", param)
    return found[0]


def discounts_param(params: Params) -> list[tuple[Any, Any]]:
    """``discounts``: each a ``coupon`` or a ``promotion_code`` id, as (coupon, promotion
    code or None); at most one."""
    specs = params.hashes("discounts") or []
    if len(specs) > 1:
        raise invalid_request("The sandbox applies at most one discount.", "discounts")
    found = []
    for spec in specs:
        coupon = spec.reference("coupon", Coupon)
        promo = spec.reference("promotion_code", PromotionCode)
        spec.done()
        if (coupon is None) == (promo is None):
            raise invalid_request(
                "Each discount takes exactly one of coupon and promotion_code.", spec.name("")
            )
        if promo is not None:
            if not promo._redeemable():
                raise invalid_request(
                    f"This promotion code cannot be redeemed: {promo.code}.",
                    spec.name("promotion_code"),
                )
            coupon = Coupon._api_retrieve(promo.promotion["coupon"])
        found.append((coupon, promo))
    return found


def applied_discounts(
    subscription: Any, billing_reason: str, subtotal: int
) -> list[tuple[str, int]]:
    """(discount id, amount off) of each of ``subscription``'s discounts that applies to an
    invoice of ``subtotal`` now: a percentage rounded half up, a fixed amount up to what
    is left."""
    applied = []
    left = subtotal
    for id in subscription.discounts:
        discount = Discount._api_retrieve(id)
        coupon = Coupon._api_retrieve(discount.source["coupon"])
        if coupon.duration == "once" and billing_reason != "subscription_create":
            continue
        if discount.end is not None and discount.end <= time.time():
            continue
        if coupon.percent_off is not None:
            off = Decimal(left) * Decimal(str(coupon.percent_off)) / 100
            amount = int(off.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        else:
            amount = coupon.amount_off
        amount = max(min(amount, left), 0)
        left -= amount
        applied.append((id, amount))
    return applied
