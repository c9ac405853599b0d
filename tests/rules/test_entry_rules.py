from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.rules.entries import (
    EntryRefused,
    Span,
    check_length,
    first_overlap,
    is_long_running,
    minutes_between,
    overlaps,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)
M = timedelta(minutes=1)


def test_an_entry_of_one_minute_to_24_hours_is_fine() -> None:
    check_length(NOW - M, NOW, NOW)
    check_length(NOW - 24 * H, NOW, NOW)


@pytest.mark.parametrize("length", [timedelta(0), timedelta(seconds=59), -H])
def test_zero_and_negative_lengths_are_refused(length: timedelta) -> None:
    with pytest.raises(EntryRefused, match="at least one minute"):
        check_length(NOW - H, NOW - H + length, NOW)


def test_more_than_24_hours_is_refused() -> None:
    with pytest.raises(EntryRefused, match="at most 24 hours"):
        check_length(NOW - 24 * H - M, NOW, NOW)


def test_ending_up_to_5_minutes_ahead_is_allowed_but_not_more() -> None:
    check_length(NOW - H, NOW + 5 * M, NOW)
    with pytest.raises(EntryRefused, match="from now"):
        check_length(NOW - H, NOW + 6 * M, NOW)


def test_touching_entries_do_not_overlap() -> None:
    assert not overlaps(NOW - H, NOW, NOW, NOW + H)


def test_a_running_timer_overlaps_everything_after_its_start() -> None:
    assert overlaps(NOW, None, NOW + 5 * H, NOW + 6 * H)
    assert not overlaps(NOW - 2 * H, NOW - H, NOW, None)


def test_first_overlap_names_the_earliest_clash() -> None:
    others = [Span(2, NOW - H, NOW), Span(1, NOW - 3 * H, NOW - 2 * H + M)]
    assert first_overlap(NOW - 2 * H, NOW - 30 * M, others) == others[1]
    assert first_overlap(NOW - 5 * H, NOW - 4 * H, others) is None


@given(st.integers(-1000, 1000), st.integers(1, 500), st.integers(-1000, 1000), st.integers(1, 500))
def test_overlap_is_symmetric_and_matches_minute_sets(a: int, alen: int, b: int, blen: int) -> None:
    a0, a1 = NOW + a * M, NOW + (a + alen) * M
    b0, b1 = NOW + b * M, NOW + (b + blen) * M
    shared = set(range(a, a + alen)) & set(range(b, b + blen))
    assert overlaps(a0, a1, b0, b1) == overlaps(b0, b1, a0, a1) == bool(shared)


def test_minutes_round_to_the_nearest_minute() -> None:
    assert minutes_between(NOW, NOW + timedelta(minutes=89, seconds=29)) == 89
    assert minutes_between(NOW, NOW + timedelta(minutes=89, seconds=30)) == 90


def test_a_timer_running_12_hours_is_flagged() -> None:
    assert is_long_running(NOW - 12 * H, NOW)
    assert not is_long_running(NOW - 11 * H, NOW)
