"""Monthly allowance slices of yearly periods (billing.periods): pure dates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from billing.periods import monthly_slice, months_after


def at(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def test_months_after_clamps_to_the_months_last_day_without_drifting() -> None:
    start = at(2026, 1, 31, 9)
    assert [months_after(start, n) for n in range(5)] == [
        at(2026, 1, 31, 9),
        at(2026, 2, 28, 9),
        at(2026, 3, 31, 9),
        at(2026, 4, 30, 9),
        at(2026, 5, 31, 9),
    ]
    assert months_after(at(2027, 12, 31), 2) == at(2028, 2, 29)  # leap year


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2026, 3, 15, 12), (at(2026, 3, 15, 10), at(2026, 4, 15, 10))),  # the first month
        (at(2026, 4, 15, 9), (at(2026, 3, 15, 10), at(2026, 4, 15, 10))),  # just before the day
        (at(2026, 4, 15, 10), (at(2026, 4, 15, 10), at(2026, 5, 15, 10))),  # on the anniversary
        (at(2027, 2, 20), (at(2027, 2, 15, 10), at(2027, 3, 15, 10))),  # the last month
        (at(2026, 1, 1), (at(2026, 3, 15, 10), at(2026, 4, 15, 10))),  # before: the first
        (at(2027, 6, 1), (at(2027, 2, 15, 10), at(2027, 3, 15, 10))),  # after: the last
    ],
)
def test_a_yearly_period_is_cut_into_months_from_its_start(
    now: datetime, expected: tuple[datetime, datetime]
) -> None:
    assert monthly_slice(at(2026, 3, 15, 10), at(2027, 3, 15, 10), now) == expected


def test_a_31st_anniversary_resets_on_the_last_day_of_30_day_months_and_february() -> None:
    start, end = at(2026, 1, 31, 8), at(2027, 1, 31, 8)
    assert monthly_slice(start, end, at(2026, 4, 29)) == (at(2026, 3, 31, 8), at(2026, 4, 30, 8))
    assert monthly_slice(start, end, at(2026, 4, 30, 8)) == (at(2026, 4, 30, 8), at(2026, 5, 31, 8))
    assert monthly_slice(start, end, at(2026, 2, 27)) == (at(2026, 1, 31, 8), at(2026, 2, 28, 8))
    assert monthly_slice(start, end, at(2026, 3, 1)) == (at(2026, 2, 28, 8), at(2026, 3, 31, 8))
    assert monthly_slice(start, end, at(2026, 12, 31, 8)) == (at(2026, 12, 31, 8), end)


def test_a_month_long_period_is_one_slice() -> None:
    start, end = at(2026, 2, 28, 8), at(2026, 3, 28, 8)
    assert monthly_slice(start, end, at(2026, 3, 10)) == (start, end)
