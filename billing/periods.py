"""Monthly allowance slices of a longer billing period (pure date arithmetic).

Allowances are monthly whatever the billing interval: a yearly period is cut
into months counted from its start (the anniversary), each clamped to the
month's last day as Stripe does for a billing cycle anchored on the 29th-31st
(Jan 31 -> Feb 28 -> Mar 31). Every slice is computed from the period start,
never from the previous slice, so a short February does not drag the
anniversary day down for the rest of the year.
"""

from __future__ import annotations

import calendar
from datetime import datetime


def months_after(start: datetime, months: int) -> datetime:
    """``start`` moved ``months`` calendar months on, clamped to the month's end."""
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    last_day = calendar.monthrange(year, month + 1)[1]
    return start.replace(year=year, month=month + 1, day=min(start.day, last_day))


def monthly_slice(
    period_start: datetime, period_end: datetime, now: datetime
) -> tuple[datetime, datetime]:
    """The month of [period_start, period_end) that holds ``now``: [start, end).

    ``now`` before the period counts in its first month; at or after its end
    (a renewal not yet mirrored) in its last one."""
    months = (now.year - period_start.year) * 12 + now.month - period_start.month
    months = max(months, 0)
    while months > 0 and months_after(period_start, months) > now:
        months -= 1
    start = months_after(period_start, months)
    while start >= period_end and months > 0:  # ``now`` past the period: its last month
        months -= 1
        start = months_after(period_start, months)
    return start, min(months_after(period_start, months + 1), period_end)
