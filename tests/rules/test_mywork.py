"""My work's groups: overdue, today, this week (incl. current sprints), later, no date; weeks that
start on Monday or on Sunday."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.rules.mywork import MONDAY, SUNDAY, Group, group_of, grouped, is_current_sprint, week_of

WEDNESDAY = date(2026, 12, 2)
SATURDAY = date(2026, 12, 5)
SUNDAY_6 = date(2026, 12, 6)
MONDAY_7 = date(2026, 12, 7)


@dataclass(frozen=True)
class Card:
    title: str
    due_on: date | None
    in_current_sprint: bool = False


def test_a_monday_week_runs_monday_to_sunday() -> None:
    week = week_of(WEDNESDAY, MONDAY)
    assert (week.first, week.last) == (date(2026, 11, 30), SUNDAY_6)


def test_a_sunday_week_runs_sunday_to_saturday() -> None:
    week = week_of(WEDNESDAY, SUNDAY)
    assert (week.first, week.last) == (date(2026, 11, 29), SATURDAY)


def test_on_a_sunday_the_sunday_week_has_just_begun_and_the_monday_week_ends() -> None:
    assert week_of(SUNDAY_6, SUNDAY).first == SUNDAY_6
    assert week_of(SUNDAY_6, MONDAY).last == SUNDAY_6


def test_a_week_start_outside_0_to_6_is_refused() -> None:
    with pytest.raises(ValueError):
        week_of(WEDNESDAY, 7)


def test_a_card_due_yesterday_is_overdue_and_one_due_today_is_today() -> None:
    week = week_of(WEDNESDAY)
    assert group_of(WEDNESDAY - timedelta(days=1), WEDNESDAY, week) is Group.OVERDUE
    assert group_of(WEDNESDAY, WEDNESDAY, week) is Group.TODAY


def test_a_card_due_earlier_this_week_is_overdue_not_this_week() -> None:
    assert group_of(date(2026, 11, 30), WEDNESDAY, week_of(WEDNESDAY)) is Group.OVERDUE


def test_the_last_day_of_the_week_is_this_week_and_the_day_after_is_later() -> None:
    monday_week = week_of(WEDNESDAY, MONDAY)
    assert group_of(SUNDAY_6, WEDNESDAY, monday_week) is Group.THIS_WEEK
    assert group_of(MONDAY_7, WEDNESDAY, monday_week) is Group.LATER


def test_where_a_week_starts_on_sunday_a_card_due_sunday_is_next_weeks() -> None:
    sunday_week = week_of(WEDNESDAY, SUNDAY)
    assert group_of(SATURDAY, WEDNESDAY, sunday_week) is Group.THIS_WEEK
    assert group_of(SUNDAY_6, WEDNESDAY, sunday_week) is Group.LATER


def test_on_the_weeks_last_day_tomorrow_is_already_later() -> None:
    assert group_of(MONDAY_7, SUNDAY_6, week_of(SUNDAY_6, MONDAY)) is Group.LATER
    assert group_of(MONDAY_7, SUNDAY_6, week_of(SUNDAY_6, SUNDAY)) is Group.THIS_WEEK


def test_a_card_without_a_date_has_no_date_unless_it_is_in_a_current_sprint() -> None:
    week = week_of(WEDNESDAY)
    assert group_of(None, WEDNESDAY, week) is Group.NO_DATE
    assert group_of(None, WEDNESDAY, week, in_current_sprint=True) is Group.THIS_WEEK


def test_a_sprint_card_due_later_is_this_weeks_work_but_a_late_one_stays_overdue() -> None:
    week = week_of(WEDNESDAY)
    assert group_of(date(2026, 12, 20), WEDNESDAY, week, in_current_sprint=True) is Group.THIS_WEEK
    assert group_of(date(2026, 11, 1), WEDNESDAY, week, in_current_sprint=True) is Group.OVERDUE
    assert group_of(WEDNESDAY, WEDNESDAY, week, in_current_sprint=True) is Group.TODAY


def test_grouped_gives_every_group_in_page_order_soonest_first() -> None:
    cards = [
        Card("later", date(2026, 12, 25)),
        Card("no date", None),
        Card("late 2", date(2026, 11, 28)),
        Card("late 1", date(2026, 11, 2)),
        Card("sprint", None, in_current_sprint=True),
        Card("friday", date(2026, 12, 4)),
    ]
    groups = grouped(cards, WEDNESDAY, week_of(WEDNESDAY))
    assert list(groups) == list(Group)
    assert [c.title for c in groups[Group.OVERDUE]] == ["late 1", "late 2"]
    assert groups[Group.TODAY] == []
    assert [c.title for c in groups[Group.THIS_WEEK]] == ["friday", "sprint"]
    assert [c.title for c in groups[Group.LATER]] == ["later"]
    assert [c.title for c in groups[Group.NO_DATE]] == ["no date"]


def test_a_running_sprint_is_current_even_past_its_sunday_a_closed_one_never() -> None:
    monday, sunday = date(2026, 11, 23), date(2026, 11, 29)
    assert is_current_sprint("active", monday, sunday, WEDNESDAY)
    assert not is_current_sprint("closed", date(2026, 11, 30), SUNDAY_6, WEDNESDAY)
    assert not is_current_sprint(None, None, None, WEDNESDAY)


def test_a_planned_sprint_is_current_in_its_own_week_only() -> None:
    assert is_current_sprint("planned", date(2026, 11, 30), SUNDAY_6, WEDNESDAY)
    assert not is_current_sprint("planned", MONDAY_7, date(2026, 12, 13), WEDNESDAY)


@given(st.dates(min_value=date(2000, 1, 3), max_value=date(2100, 1, 1)), st.integers(0, 6))
def test_today_is_always_in_its_week_of_seven_days(today: date, first: int) -> None:
    week = week_of(today, first)
    assert today in week and (week.last - week.first).days == 6 and week.first.weekday() == first


@given(st.dates(min_value=date(2000, 1, 3), max_value=date(2100, 1, 1)), st.integers(-400, 400), st.booleans())
def test_each_card_lands_in_exactly_the_group_its_date_says(today: date, offset: int, sprint: bool) -> None:
    week = week_of(today)
    due = today + timedelta(days=offset)
    group = group_of(due, today, week, in_current_sprint=sprint)
    if offset < 0:
        assert group is Group.OVERDUE
    elif offset == 0:
        assert group is Group.TODAY
    elif due <= week.last or sprint:
        assert group is Group.THIS_WEEK
    else:
        assert group is Group.LATER
