"""The periods an admin can ask a summary for: presets seen from a given day, and custom ranges."""

from __future__ import annotations

from datetime import date

import pytest

from server.rules import periods

WEDNESDAY = date(2026, 11, 18)


@pytest.mark.parametrize(
    ("name", "start", "end"),
    [
        ("this_week", date(2026, 11, 16), date(2026, 11, 22)),
        ("last_week", date(2026, 11, 9), date(2026, 11, 15)),
        ("this_month", date(2026, 11, 1), date(2026, 11, 30)),
        ("last_month", date(2026, 10, 1), date(2026, 10, 31)),
    ],
)
def test_each_preset_names_its_days(name: str, start: date, end: date) -> None:
    assert periods.preset(name, WEDNESDAY) == periods.Period(start, end)


def test_last_month_in_january_is_last_years_december() -> None:
    assert periods.preset("last_month", date(2027, 1, 10)) == periods.Period(date(2026, 12, 1), date(2026, 12, 31))


def test_this_month_knows_leap_februaries() -> None:
    assert periods.preset("this_month", date(2028, 2, 3)).end == date(2028, 2, 29)


def test_on_a_monday_last_week_is_the_week_before() -> None:
    assert periods.last_week(date(2026, 11, 16)) == periods.Period(date(2026, 11, 9), date(2026, 11, 15))


def test_custom_is_not_a_preset() -> None:
    with pytest.raises(ValueError):
        periods.preset("custom", WEDNESDAY)


@pytest.mark.parametrize("text", ["", "2026-13-01", "yesterday", "2026-11-1", "2026-02-30", "２０２６-11-01"])
def test_a_day_that_is_not_iso_is_refused(text: str) -> None:
    assert periods.parse_day(text) is None


def test_an_iso_day_parses() -> None:
    assert periods.parse_day("2026-11-30") == date(2026, 11, 30)


def test_a_range_may_be_one_day_or_366() -> None:
    assert periods.range_problem(WEDNESDAY, WEDNESDAY) is None
    assert periods.range_problem(date(2028, 1, 1), date(2028, 12, 31)) is None
    assert periods.Period(date(2028, 1, 1), date(2028, 12, 31)).days == 366


def test_a_range_that_ends_before_it_starts_or_runs_too_long_is_refused() -> None:
    assert periods.range_problem(WEDNESDAY, date(2026, 11, 17)) == "end_before_start"
    assert periods.range_problem(date(2026, 1, 1), date(2027, 1, 2)) == "too_long"
