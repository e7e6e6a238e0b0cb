"""The financial summary administrators read: cash in and out per currency
over a window, recurring revenue and subscriptions at its end.

Every figure is an SQL aggregate (a handful of queries whatever the number
of rows). Cash figures count what happened in the window [from, to): gross
and payments are the settled payments created in it, refunded the refunds
created in it whatever the payment's date, disputed the disputes opened in
it, and net is gross - refunded - the disputes lost in it (whenever opened).
A subscription is live at a moment when it had started (created, not
incomplete) and not yet ended; it is trialing then while its trial lasts.
MRR is the monthly price of the subscriptions live and not trialing at
``to``, after a discount still running then (yearly prices / 12). Credits
sold are those of the packs bought in the window, credits spent those spent
in it (spendCredits and usage overage), from the credits ledger.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from tortoise.expressions import Case, F, Q, When
from tortoise.functions import Count, Sum

from billing.errors import BillingError, ErrorCode
from billing.tokens import Caller
from models.catalog import Plan, PlanPrice
from models.credits import CreditKind, CreditTransaction
from models.payments import COUNTED_REFUNDS, SETTLED, Dispute, DisputeStatus, Payment, Refund
from models.subscriptions import Subscription, SubscriptionStatus

# What a subscription may be now if it was ever live (unpaid and paused
# ones stopped granting the plan at a moment we do not record).
_EVER_LIVE = (
    SubscriptionStatus.TRIALING,
    SubscriptionStatus.ACTIVE,
    SubscriptionStatus.PAST_DUE,
    SubscriptionStatus.CANCELED,
)
_NEVER_STARTED = (SubscriptionStatus.INCOMPLETE, SubscriptionStatus.INCOMPLETE_EXPIRED)


@dataclass(frozen=True, slots=True)
class CurrencyFigures:
    currency: str
    gross: int
    refunded: int
    disputed: int
    net: int
    payments: int
    mrr: int


@dataclass(frozen=True, slots=True)
class PlanFigures:
    plan_key: str
    active: int
    trialing: int


@dataclass(frozen=True, slots=True)
class Summary:
    start: datetime
    end: datetime
    currencies: list[CurrencyFigures]
    plans: list[PlanFigures]
    new_subscriptions: int
    churned_subscriptions: int
    churn_rate: float
    credits_sold: int
    credits_spent: int


def _window(start: datetime, end: datetime) -> None:
    for name, moment in (("from", start), ("to", end)):
        if moment.tzinfo is None:
            raise BillingError(ErrorCode.INVALID_INPUT, f"{name} needs a time zone (e.g. Z).", name)
    if start >= end:
        raise BillingError(ErrorCode.INVALID_INPUT, "to must be later than from.", "to")


def live_at(moment: datetime) -> Q:
    return Q(
        Q(created_at__lte=moment),
        Q(status__in=_EVER_LIVE),
        Q(ended_at__isnull=True) | Q(ended_at__gt=moment),
    )


def trialing_at(moment: datetime) -> Q:
    return Q(trial_end__gt=moment)


def paying_at(moment: datetime) -> Q:
    """Not trialing (spelt out: NOT on a null trial_end would be null in SQL)."""
    return Q(trial_end__isnull=True) | Q(trial_end__lte=moment)


def in_window(field: str, start: datetime, end: datetime) -> Q:
    bounds: dict[str, Any] = {f"{field}__gte": start, f"{field}__lt": end}
    return Q(**bounds)


async def _cash(start: datetime, end: datetime) -> dict[str, dict[str, int]]:
    """gross, payments, refunded, disputed and lost per currency (3 queries)."""
    figures: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    paid = (
        await Payment.filter(in_window("created_at", start, end), status__in=SETTLED)
        .annotate(gross=Sum("amount"), payments=Count("id"))
        .group_by("currency")
        .values("currency", "gross", "payments")
    )
    refunded = (
        await Refund.filter(in_window("created_at", start, end), status__in=COUNTED_REFUNDS)
        .annotate(refunded=Sum("amount"))
        .group_by("currency")
        .values("currency", "refunded")
    )
    opened = in_window("opened_at", start, end)
    lost = in_window("closed_at", start, end) & Q(status=DisputeStatus.LOST)
    disputed = (
        await Dispute.filter(opened | lost)
        .annotate(disputed=Sum("amount", _filter=opened), lost=Sum("amount", _filter=lost))
        .group_by("currency")
        .values("currency", "disputed", "lost")
    )
    for row in [*paid, *refunded, *disputed]:
        for name, value in row.items():
            if name != "currency":
                figures[row["currency"]][name] += int(value or 0)
    return figures


def _monthly(price: PlanPrice, percent_off: float | None, amount_off: int | None) -> Fraction:
    amount = Fraction(price.amount)
    if percent_off is not None:
        amount = amount * (100 - Fraction(str(percent_off))) / 100
    elif amount_off is not None:
        amount = max(amount - amount_off, Fraction(0))
    return amount / 12 if price.interval == "year" else amount


async def _mrr(end: datetime) -> dict[str, int]:
    """Paying subscriptions at ``end`` grouped by price and running discount
    (2 queries), priced per group."""
    running = Q(discount_ends_at__isnull=True) | Q(discount_ends_at__gt=end)
    groups = (
        await Subscription.filter(live_at(end), paying_at(end))
        .annotate(
            subscriptions=Count("id"),
            percent=Case(When(running, then=F("discount_percent_off")), default=None),
            off=Case(When(running, then=F("discount_amount_off")), default=None),
        )
        .group_by("stripe_price_id", "percent", "off")
        .values("stripe_price_id", "percent", "off", "subscriptions")
    )
    prices = {
        p.stripe_price_id: p
        for p in await PlanPrice.filter(stripe_price_id__in={g["stripe_price_id"] for g in groups})
    }
    totals: dict[str, Fraction] = defaultdict(Fraction)
    for group in groups:
        price = prices[group["stripe_price_id"]]
        off = None if group["off"] is None else int(group["off"])
        percent = None if group["percent"] is None else float(group["percent"])
        totals[price.currency] += _monthly(price, percent, off) * int(group["subscriptions"])
    # Half a minor unit rounds up.
    return {currency: int(total + Fraction(1, 2)) for currency, total in totals.items()}


async def _plans(end: datetime) -> list[PlanFigures]:
    """Every active plan and every plan with a live subscription (2 queries)."""
    counts = {
        row["plan_id"]: row
        for row in await Subscription.filter(live_at(end))
        .annotate(
            active=Count("id", _filter=paying_at(end)),
            trialing=Count("id", _filter=trialing_at(end)),
        )
        .group_by("plan_id")
        .values("plan_id", "active", "trialing")
    }
    keys = await Plan.filter(Q(active=True) | Q(key__in=list(counts))).values_list("key", flat=True)
    empty: dict[str, Any] = {"active": 0, "trialing": 0}
    return [
        PlanFigures(
            str(key),
            int(counts.get(key, empty)["active"]),
            int(counts.get(key, empty)["trialing"]),
        )
        for key in keys
    ]


async def _credits(start: datetime, end: datetime) -> tuple[int, int]:
    """Credits sold and spent in the window (one query on the ledger)."""
    spending = (CreditKind.SPEND, CreditKind.OVERAGE)
    (row,) = (
        await CreditTransaction.filter(in_window("created_at", start, end))
        .annotate(
            sold=Sum("amount", _filter=Q(kind=CreditKind.PURCHASE)),
            spent=Sum("amount", _filter=Q(kind__in=spending)),
        )
        .values("sold", "spent")
    )
    return int(row["sold"] or 0), -int(row["spent"] or 0)


async def financial_summary(caller: Caller, start: datetime, end: datetime) -> Summary:
    if not caller.is_admin:
        raise BillingError(ErrorCode.FORBIDDEN, "The financial summary is for administrators.")
    _window(start, end)
    cash = await _cash(start, end)
    mrr = await _mrr(end)
    started = Q(in_window("created_at", start, end), ~Q(status__in=_NEVER_STARTED))
    (movement,) = (
        await Subscription.all()
        .annotate(
            new=Count("id", _filter=started),
            churned=Count("id", _filter=in_window("ended_at", start, end)),
            live=Count("id", _filter=live_at(start)),
        )
        .values("new", "churned", "live")
    )
    currencies = [
        CurrencyFigures(
            currency=currency,
            gross=(figures := cash.get(currency, {})).get("gross", 0),
            refunded=figures.get("refunded", 0),
            disputed=figures.get("disputed", 0),
            net=figures.get("gross", 0) - figures.get("refunded", 0) - figures.get("lost", 0),
            payments=figures.get("payments", 0),
            mrr=mrr.get(currency, 0),
        )
        for currency in sorted({*cash, *mrr})
    ]
    live, churned = int(movement["live"] or 0), int(movement["churned"] or 0)
    sold, spent = await _credits(start, end)
    return Summary(
        start=start,
        end=end,
        currencies=currencies,
        plans=await _plans(end),
        new_subscriptions=int(movement["new"] or 0),
        churned_subscriptions=churned,
        churn_rate=churned / live if live else 0.0,
        credits_sold=sold,
        credits_spent=spent,
    )


async def lifetime_paid(user_ids: Sequence[str]) -> dict[str, list[tuple[str, int]]]:
    """What each user paid and kept paid (settled payments less their
    refunds), per currency: one query for any number of users."""
    rows = (
        await Payment.filter(user_id__in=user_ids, status__in=SETTLED)
        .annotate(paid=Sum("amount"), refunded=Sum("amount_refunded"))
        .group_by("user_id", "currency")
        .order_by("currency")
        .values("user_id", "currency", "paid", "refunded")
    )
    paid: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for row in rows:
        paid[row["user_id"]].append((row["currency"], int(row["paid"]) - int(row["refunded"])))
    return paid
