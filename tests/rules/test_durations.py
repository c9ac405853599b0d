"""Durations as people type them, to whole minutes."""

from __future__ import annotations

import pytest

from server.rules.durations import MAX_MINUTES, DurationError, parse_minutes


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1 ч 30 мин", 90),  # Russian, as the estimate field shows it and as people type it
        ("1ч30", 90),
        ("45 мин", 45),
        ("1 час 5 минут", 65),
        ("2 giờ 10 phút", 130),  # Vietnamese, long and short
        ("1g30", 90),
        ("30p", 30),
        ("2 小时 10 分钟", 130),  # Chinese
        ("90分钟", 90),
        ("1.5小时", 90),
        ("90", 90),
        ("90m", 90),
        ("90 min", 90),
        ("1:30", 90),
        ("0:05", 5),
        ("1h30", 90),
        ("1h 30m", 90),
        ("1H30M", 90),
        ("1.5h", 90),
        ("1,5 h", 90),
        ("2h", 120),
        ("2 hours", 120),
        ("0.25h", 15),
        ("0", 0),
        ("  45  ", 45),
    ],
)
def test_it_reads_the_ways_people_write_durations(text: str, minutes: int) -> None:
    assert parse_minutes(text) == minutes


def test_empty_text_is_no_duration() -> None:
    assert parse_minutes("") is None
    assert parse_minutes("   ") is None


def test_a_fraction_of_a_minute_rounds_half_up() -> None:
    assert parse_minutes("0.01h") == 1  # 0.6 minutes
    assert parse_minutes("0.0083h") == 0  # 0.498 minutes


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "h",
        "m",
        "-5",
        "1:75",
        "1:5",
        "1.5",
        "1.5h30",
        "1h-30",
        "1e3",
        "½h",
        "１h",
        "1h30m15s",
        "90 seconds",
        "ч",
        "1 мин 30 ч",
    ],
)
def test_it_refuses_what_is_not_a_duration(text: str) -> None:
    with pytest.raises(DurationError):
        parse_minutes(text)


def test_it_refuses_absurdly_long_durations() -> None:
    assert parse_minutes(f"{MAX_MINUTES}") == MAX_MINUTES
    with pytest.raises(DurationError):
        parse_minutes(f"{MAX_MINUTES + 1}")
    with pytest.raises(DurationError):
        parse_minutes("99999999999999999999999h")


def test_a_duration_error_is_a_value_error() -> None:
    assert issubclass(DurationError, ValueError)
