from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.rules.weeks import day_bounds, days_of, iso_week_label, monday_of, week_bounds, week_of


def test_monday_of_any_day_is_that_weeks_monday() -> None:
    assert monday_of(date(2026, 11, 29)) == date(2026, 11, 23)  # a Sunday
    assert monday_of(date(2026, 11, 23)) == date(2026, 11, 23)


def test_late_sunday_in_utc_is_already_monday_in_tokyo() -> None:
    instant = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)  # Monday 05:00 in Tokyo
    assert week_of(instant, "UTC") == date(2026, 11, 23)
    assert week_of(instant, "Asia/Tokyo") == date(2026, 11, 30)


def test_early_monday_in_utc_is_still_sunday_in_new_york() -> None:
    instant = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
    assert week_of(instant, "America/New_York") == date(2026, 11, 23)


def test_a_week_with_the_autumn_dst_change_lasts_169_hours_in_berlin() -> None:
    start, end = week_bounds(date(2026, 10, 19), "Europe/Berlin")  # clocks go back on Sun 25 Oct
    assert end - start == timedelta(hours=169)


def test_the_spring_dst_day_lasts_23_hours() -> None:
    start, end = day_bounds(date(2026, 3, 29), "Europe/Berlin")
    assert end - start == timedelta(hours=23)
    assert start == datetime(2026, 3, 28, 23, 0, tzinfo=UTC)


def test_week_bounds_refuse_a_day_that_is_not_monday() -> None:
    with pytest.raises(ValueError):
        week_bounds(date(2026, 11, 24), "UTC")


def test_a_week_has_seven_days_from_monday() -> None:
    days = days_of(date(2026, 11, 23))
    assert days[0].weekday() == 0 and days[-1] == date(2026, 11, 29) and len(days) == 7


def test_iso_week_numbers_cross_the_year_boundary() -> None:
    assert iso_week_label(date(2026, 12, 28)) == (2026, 53)
    assert iso_week_label(date(2027, 1, 4)) == (2027, 1)


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)),
    st.sampled_from(
        [
            "UTC",
            "Europe/Berlin",
            "America/New_York",
            "Asia/Ho_Chi_Minh",
            "Asia/Shanghai",
            "Europe/Moscow",
            "Australia/Sydney",
        ]
    ),
)
def test_every_instant_falls_inside_its_weeks_bounds(instant: datetime, tz: str) -> None:
    monday = week_of(instant, tz)
    start, end = week_bounds(monday, tz)
    assert monday.weekday() == 0
    assert start <= instant < end
