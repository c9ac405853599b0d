from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from server.rules.sprints import (
    CardAtClose,
    ShareLinkState,
    burndown,
    capacity_minutes,
    close,
    day_in_week,
    default_sprint,
    load_percent,
    share_link_state,
    sprint_name,
    velocity,
    weeks_needed,
)

MONDAY = date(2026, 11, 23)


def test_a_sprint_is_named_after_its_iso_week() -> None:
    assert sprint_name(MONDAY) == "Week 48 · 23–29 Nov"


def test_a_sprint_across_months_names_both() -> None:
    assert sprint_name(date(2026, 11, 30)) == "Week 49 · 30 Nov – 6 Dec"


def test_this_week_and_next_week_always_have_a_sprint() -> None:
    assert weeks_needed(date(2026, 11, 26), []) == [MONDAY, MONDAY + timedelta(days=7)]
    assert weeks_needed(date(2026, 11, 26), [MONDAY]) == [MONDAY + timedelta(days=7)]
    assert weeks_needed(date(2026, 11, 29), [MONDAY, MONDAY + timedelta(days=7)]) == []


def test_closing_carries_unfinished_cards_and_records_the_result() -> None:
    result = close([CardAtClose(1, 120, True), CardAtClose(2, 60, False), CardAtClose(3, 0, False)], carry_to_next=True)
    assert result.planned_minutes == 180 and result.completed_minutes == 120
    assert result.carried == (2, 3) and result.to_next_sprint


def test_the_burndown_falls_as_cards_are_done_and_never_below_zero() -> None:
    points = burndown(MONDAY, 600, [(MONDAY, 120), (MONDAY + timedelta(days=2), 600)])
    assert [remaining for _, remaining in points] == [480, 480, 0, 0, 0, 0, 0]
    assert points[0][0] == MONDAY and points[-1][0] == MONDAY + timedelta(days=6)


@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 500)), max_size=20), st.integers(0, 5000))
def test_the_burndown_never_rises(done: list[tuple[int, int]], planned: int) -> None:
    points = burndown(MONDAY, planned, [(MONDAY + timedelta(days=d), m) for d, m in done])
    remaining = [r for _, r in points]
    assert remaining == sorted(remaining, reverse=True)
    assert all(0 <= r <= planned for r in remaining)


def test_velocity_averages_the_last_eight_sprints() -> None:
    assert velocity([]) == 0
    assert velocity([600] * 4 + [100] * 8) == 100
    assert velocity([300, 600]) == 450


def test_a_card_done_outside_the_week_counts_on_its_edge() -> None:
    assert day_in_week(MONDAY, None) == MONDAY
    assert day_in_week(MONDAY, MONDAY - timedelta(days=3)) == MONDAY
    assert day_in_week(MONDAY, MONDAY + timedelta(days=2)) == MONDAY + timedelta(days=2)
    assert day_in_week(MONDAY, MONDAY + timedelta(days=9)) == MONDAY + timedelta(days=6)


def test_a_week_that_starts_on_a_monday_ends_on_sunday_whatever_the_day() -> None:
    for offset in range(7):
        assert weeks_needed(MONDAY + timedelta(days=offset), [])[0] == MONDAY
    assert weeks_needed(MONDAY + timedelta(days=7), [MONDAY]) == [
        MONDAY + timedelta(days=7),
        MONDAY + timedelta(days=14),
    ]


def test_team_capacity_is_members_times_hours() -> None:
    assert capacity_minutes(3, 20) == 3600
    assert capacity_minutes(3, None) is None
    assert load_percent(4500, 3600) == 125
    assert load_percent(100, None) is None and load_percent(100, 0) is None


def test_closing_an_empty_sprint_carries_nothing() -> None:
    result = close([], carry_to_next=False)
    assert result.planned_minutes == 0 and result.carried == () and not result.to_next_sprint


def test_a_share_link_works_through_its_last_day_and_revoking_wins() -> None:
    assert share_link_state(None, None, MONDAY) == ShareLinkState.ACTIVE
    assert share_link_state(None, MONDAY, MONDAY) == ShareLinkState.ACTIVE
    assert share_link_state(None, MONDAY, MONDAY + timedelta(days=1)) == ShareLinkState.EXPIRED
    assert share_link_state(datetime(2026, 11, 20, tzinfo=UTC), MONDAY, MONDAY) == ShareLinkState.REVOKED


def test_planning_opens_on_the_running_sprint_else_this_or_the_next_open_week() -> None:
    def week(monday: date, state: str) -> dict[str, object]:
        return {"starts_on": monday, "state": state}

    last, this, following = (
        week(MONDAY - timedelta(days=7), "planned"),
        week(MONDAY, "planned"),
        week(MONDAY + timedelta(days=7), "planned"),
    )
    running = week(MONDAY - timedelta(days=7), "active")
    assert default_sprint([following, this, running], MONDAY + timedelta(days=2)) is running
    assert default_sprint([following, this, last], MONDAY + timedelta(days=2)) is this
    assert default_sprint([following, week(MONDAY, "closed")], MONDAY) is following
    assert default_sprint([week(MONDAY, "closed")], MONDAY) is None
