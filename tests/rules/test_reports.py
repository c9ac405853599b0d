from datetime import UTC, date, datetime

import pytest

from server.rules.reports import (
    NO_LABEL,
    OTHER_WORK,
    Hours,
    Kind,
    MonthState,
    Move,
    Sight,
    TaskTime,
    add_months,
    default_month,
    delivered,
    hours_by_kind,
    hours_by_project,
    kind_of,
    month_key,
    month_state,
    months_between,
    parse_month,
    sight_of,
    times_for_client,
    total,
)

TODAY = date(2026, 12, 1)
FIRST = date(2026, 9, 14)


@pytest.mark.parametrize(
    ("text", "month"),
    [("2026-11", date(2026, 11, 1)), ("2000-01", date(2000, 1, 1)), ("2100-12", date(2100, 12, 1))],
)
def test_a_month_is_written_yyyy_mm(text: str, month: date) -> None:
    assert parse_month(text) == month
    assert month_key(month) == text


@pytest.mark.parametrize(
    "text",
    ["", "2026-1", "2026-13", "2026-00", "26-11", "2026/11", "nov", "2026-11-01", " 2026-11", "1999-12", "٢٠٢٦-١١"],
)
def test_anything_else_is_malformed(text: str) -> None:
    assert parse_month(text) is None
    assert month_state(parse_month(text), FIRST, TODAY) is MonthState.MALFORMED


def test_a_month_not_begun_has_no_report_this_month_has() -> None:
    assert month_state(date(2027, 1, 1), FIRST, TODAY) is MonthState.FUTURE
    assert month_state(date(2026, 12, 1), FIRST, TODAY) is MonthState.OK


def test_a_month_before_the_clients_first_has_none() -> None:
    assert month_state(date(2026, 8, 1), FIRST, TODAY) is MonthState.BEFORE
    assert month_state(date(2026, 9, 1), FIRST, TODAY) is MonthState.OK


def test_months_step_over_years() -> None:
    assert add_months(date(2026, 12, 1), 1) == date(2027, 1, 1)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert months_between(FIRST, TODAY) == [date(2026, 12, 1), date(2026, 11, 1), date(2026, 10, 1), date(2026, 9, 1)]


def test_the_default_month_is_last_month_unless_the_client_is_new() -> None:
    assert default_month(FIRST, TODAY) == date(2026, 11, 1)
    assert default_month(date(2026, 12, 1), TODAY) == date(2026, 12, 1)


def test_a_cards_kind_is_its_labels_together_once_each() -> None:
    assert kind_of([]) == NO_LABEL
    assert kind_of(["ux", "Design", "design", " "]) == Kind(("Design", "ux"))
    assert kind_of(["dev"]).key == kind_of(["Dev"]).key


def time(
    task: int, minutes: int, *, project: int = 1, labels: tuple[str, ...] = (), internal: bool = False
) -> TaskTime:
    return TaskTime(project, task, internal, labels, Hours(minutes, minutes // 2, minutes * 10))


def test_hours_add_up_per_project_and_in_total() -> None:
    times = [time(1, 60), time(2, 30, project=2), time(3, 90)]
    assert hours_by_project(times) == {1: Hours(150, 75, 1500), 2: Hours(30, 15, 300)}
    assert total(times) == Hours(180, 90, 1800)
    assert Hours(60).share_of(Hours(180)) == 33 and Hours(0).share_of(Hours(0)) == 0


def test_kinds_come_largest_first_then_no_label_then_other_work() -> None:
    times = [
        time(1, 60, labels=("design",)),
        time(2, 30, labels=("Design",), project=2),  # the same kind on another project
        time(3, 120, labels=("dev",)),
        time(4, 45),
        time(5, 200, labels=("dev",), internal=True),
    ]
    agency = hours_by_kind(times, hide_internal=False)
    assert [(k.labels, h.minutes) for k, h in agency] == [(("dev",), 320), (("design",), 90), ((), 45)]
    client = hours_by_kind(times, hide_internal=True)
    assert [(k, h.minutes) for k, h in client] == [
        (Kind(("dev",)), 120),
        (Kind(("design",)), 90),
        (NO_LABEL, 45),
        (OTHER_WORK, 200),
    ]
    assert sum(h.minutes for _k, h in client) == total(times).minutes


def at(day: int) -> datetime:
    return datetime(2026, 11, day, 10, tzinfo=UTC)


def test_a_card_moved_into_done_and_left_there_is_delivered() -> None:
    moves = [Move(1, 3, 2, at(4)), Move(2, 3, None, at(5)), Move(3, 2, 1, at(6))]
    assert delivered(moves, {3}) == {1: at(4), 2: at(5)}


def test_a_card_moved_out_of_done_again_or_only_reordered_in_it_is_not() -> None:
    moves = [
        Move(1, 3, 2, at(4)),
        Move(1, 2, 3, at(6)),
        Move(2, 3, 3, at(7)),
        Move(4, 3, 2, at(8)),
        Move(4, 4, 3, at(9)),
    ]
    assert delivered(moves, {3, 4}) == {4: at(8)}  # from one Done column to another: still delivered


def test_a_card_delivered_twice_counts_its_last_arrival() -> None:
    moves = [Move(1, 3, 2, at(4)), Move(1, 2, 3, at(6)), Move(1, 3, 2, at(9))]
    assert delivered(moves, {3}) == {1: at(9)}


def test_the_client_sees_hours_of_shared_projects_that_show_them() -> None:
    sights = {
        1: sight_of({"shared_with_client": True, "client_sees_hours": True, "client_sees_budget": True}),
        2: sight_of({"shared_with_client": True, "client_sees_hours": False, "client_sees_budget": True}),
        3: sight_of({"shared_with_client": False, "client_sees_hours": True}),
    }
    assert sights == {1: Sight(True, True, True), 2: Sight(True, False, False), 3: Sight(False, False, False)}
    times = [time(1, 60, project=1), time(2, 60, project=2), time(3, 60, project=3), time(4, 30, internal=True)]
    assert [t.task_id for t in times_for_client(times, sights)] == [1, 4]
