"""server/rules/rounding.py: billable minutes rounded per client, by increment and mode."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.rules.rounding import INCREMENTS, MODES, round_minutes

ROUNDING = [i for i in INCREMENTS if i > 1]
minutes = st.integers(min_value=0, max_value=100_000)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("increment", INCREMENTS)
def test_zero_minutes_stay_zero(increment: int, mode: str) -> None:
    assert round_minutes(0, increment, mode) == 0


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("increment", [0, 1])
@pytest.mark.parametrize("value", [1, 7, 59, 61, 1440])
def test_increments_0_and_1_leave_minutes_alone(value: int, increment: int, mode: str) -> None:
    assert round_minutes(value, increment, mode) == value


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("increment", ROUNDING)
def test_an_exact_multiple_is_unchanged(increment: int, mode: str) -> None:
    for times in (1, 2, 7):
        assert round_minutes(increment * times, increment, mode) == increment * times


@pytest.mark.parametrize("increment", ROUNDING)
def test_one_minute(increment: int) -> None:
    assert round_minutes(1, increment, "up") == increment
    assert round_minutes(1, increment, "down") == 0
    assert round_minutes(1, increment, "nearest") == 0


@pytest.mark.parametrize("increment", ROUNDING)
def test_one_minute_past_a_multiple(increment: int) -> None:
    assert round_minutes(increment + 1, increment, "up") == 2 * increment
    assert round_minutes(increment + 1, increment, "down") == increment
    assert round_minutes(increment + 1, increment, "nearest") == increment


@pytest.mark.parametrize("increment", ROUNDING)
def test_one_minute_short_of_a_multiple(increment: int) -> None:
    assert round_minutes(2 * increment - 1, increment, "up") == 2 * increment
    assert round_minutes(2 * increment - 1, increment, "down") == increment
    assert round_minutes(2 * increment - 1, increment, "nearest") == 2 * increment


@pytest.mark.parametrize(
    ("value", "increment", "expected"),
    [
        (7, 15, 0),  # 7 of 15 is under half
        (8, 15, 15),  # 7.5 is the half: 8 is over it
        (22, 15, 15),
        (23, 15, 30),
        (2, 5, 0),
        (3, 5, 5),  # 2.5 of 5: 3 is over the half
        (3, 6, 6),  # exactly half of 6 rounds up
        (9, 6, 12),  # 1.5 increments rounds up
        (5, 10, 10),  # exactly half of 10
        (4, 10, 0),
        (15, 30, 30),  # exactly half of 30
        (14, 30, 0),
        (30, 60, 60),  # exactly half an hour of 60
        (29, 60, 0),
        (90, 60, 120),
    ],
)
def test_nearest_rounds_a_half_increment_up(value: int, increment: int, expected: int) -> None:
    assert round_minutes(value, increment, "nearest") == expected


@pytest.mark.parametrize(
    ("value", "increment", "mode", "expected"),
    [
        (61, 60, "up", 120),
        (61, 60, "down", 60),
        (44, 15, "up", 45),
        (44, 15, "down", 30),
        (7, 6, "up", 12),
        (11, 6, "down", 6),
        (1439, 60, "up", 1440),
    ],
)
def test_up_and_down(value: int, increment: int, mode: str, expected: int) -> None:
    assert round_minutes(value, increment, mode) == expected


@given(minutes, st.sampled_from(ROUNDING), st.sampled_from(MODES))
def test_the_result_is_a_multiple_of_the_increment(value: int, increment: int, mode: str) -> None:
    assert round_minutes(value, increment, mode) % increment == 0


@given(minutes, st.sampled_from(INCREMENTS))
def test_up_is_at_least_the_minutes_and_down_at_most(value: int, increment: int) -> None:
    assert round_minutes(value, increment, "up") >= value >= round_minutes(value, increment, "down")


@given(minutes, st.sampled_from(INCREMENTS))
def test_nearest_is_within_half_an_increment(value: int, increment: int) -> None:
    assert abs(round_minutes(value, increment, "nearest") - value) * 2 <= increment


@given(minutes, st.sampled_from(INCREMENTS), st.sampled_from(MODES))
def test_rounding_moves_less_than_one_increment(value: int, increment: int, mode: str) -> None:
    assert abs(round_minutes(value, increment, mode) - value) < max(increment, 1)


@given(minutes, st.sampled_from(INCREMENTS), st.sampled_from(MODES))
def test_rounding_twice_changes_nothing(value: int, increment: int, mode: str) -> None:
    once = round_minutes(value, increment, mode)
    assert round_minutes(once, increment, mode) == once


@given(minutes, minutes, st.sampled_from(INCREMENTS), st.sampled_from(MODES))
def test_more_minutes_never_bill_less(a: int, b: int, increment: int, mode: str) -> None:
    low, high = sorted((a, b))
    assert round_minutes(low, increment, mode) <= round_minutes(high, increment, mode)


def test_it_refuses_negative_minutes() -> None:
    with pytest.raises(ValueError, match="negative"):
        round_minutes(-1, 15, "up")


@pytest.mark.parametrize("increment", [-15, 2, 7, 20, 45, 120])
def test_it_refuses_an_unknown_increment(increment: int) -> None:
    with pytest.raises(ValueError, match="increment"):
        round_minutes(30, increment, "up")


@pytest.mark.parametrize("increment", INCREMENTS)
@pytest.mark.parametrize("value", [0, 1, 37])
def test_it_refuses_an_unknown_mode_even_when_nothing_rounds(value: int, increment: int) -> None:
    with pytest.raises(ValueError):
        round_minutes(value, increment, "sideways")
