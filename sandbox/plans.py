"""Plans (``/v1/plans``), Stripe's legacy form of recurring prices: localstripe's, each also
served as a price with the same id, as Stripe does, so subscriptions take either. The
other way round, ``plan_view`` shows a recurring price as the ``plan`` that subscription
items still carry today.
"""

from typing import Any

from localstripe import resources

from sandbox.prices import Price


class Plan(resources.Plan):  # type: ignore[misc]
    def __init__(self, **data: Any) -> None:
        super().__init__(**data)  # emits plan.created
        if self.billing_scheme == "per_unit":  # a tiered plan has no price equivalent here
            Price._for_plan(self)


def plan_view(price: Any) -> dict[str, Any]:
    """The ``plan`` object of recurring ``price``."""
    recurring = price.recurring
    return {
        "id": price.id,
        "object": "plan",
        "active": price.active,
        "amount": price.unit_amount,
        "amount_decimal": price.unit_amount_decimal,
        "billing_scheme": "per_unit",
        "created": price.created,
        "currency": price.currency,
        "interval": recurring["interval"],
        "interval_count": recurring["interval_count"],
        "livemode": False,
        "metadata": dict(price.metadata),
        "meter": None,
        "nickname": price.nickname,
        "product": price.product,
        "tiers_mode": None,
        "transform_usage": None,
        "trial_period_days": recurring["trial_period_days"],
        "usage_type": recurring["usage_type"],
    }
