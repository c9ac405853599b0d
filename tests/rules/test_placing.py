"""Where a bare duration goes: after the day's last entry, or ending now; never at an invented 9:00."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from server.rules.entries import Span
from server.rules.placing import duration_start

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)  # 17:00 UTC; 20:00 in Moscow
H = timedelta(hours=1)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def span(start: datetime, minutes: int | None, entry_id: int = 1) -> Span:
    return Span(entry_id, start, None if minutes is None else start + timedelta(minutes=minutes))


def test_a_quiet_day_today_places_the_entry_ending_now() -> None:
    assert duration_start(TODAY, 90, [], NOW, "UTC") == at(TODAY, 15, 30)


def test_it_goes_right_after_the_last_entry_of_the_day() -> None:
    entries = [span(at(TODAY, 8), 60, 1), span(at(TODAY, 13), 45, 2), span(at(TODAY, 10), 30, 3)]
    assert duration_start(TODAY, 90, entries, NOW, "UTC") == at(TODAY, 13, 45)


def test_after_the_last_entry_would_end_in_the_future_so_it_ends_now() -> None:
    entries = [span(at(TODAY, 14), 120)]  # ends 16:00; 16:00 + 1h30 is past 17:00
    assert duration_start(TODAY, 90, entries, NOW, "UTC") == at(TODAY, 15, 30)


def test_a_small_overrun_within_the_five_minute_slack_still_goes_after_the_last_entry() -> None:
    entries = [span(at(TODAY, 14), 180)]  # ends 17:00
    assert duration_start(TODAY, 5, entries, NOW, "UTC") == at(TODAY, 17)


def test_a_running_timer_counts_as_ending_now() -> None:
    entries = [span(at(TODAY, 16), None)]
    # after the timer would be in the future; ending now overlaps the timer: the entry rules refuse that
    assert duration_start(TODAY, 30, entries, NOW, "UTC") == at(TODAY, 16, 30)


def test_a_past_day_with_entries_continues_after_its_last_one() -> None:
    monday = date(2026, 11, 23)
    entries = [span(at(monday, 9), 240), span(at(monday, 14), 90)]
    assert duration_start(monday, 60, entries, NOW, "UTC") == at(monday, 15, 30)


def test_a_past_day_without_entries_ends_at_this_time_of_day() -> None:
    monday = date(2026, 11, 23)
    assert duration_start(monday, 120, [], NOW, "UTC") == at(monday, 15)


def test_it_never_starts_before_the_chosen_day() -> None:
    early = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
    assert duration_start(TODAY, 180, [], early, "UTC") == at(TODAY, 0)


def test_the_day_is_the_agencys_day_in_its_time_zone() -> None:
    # 17:00 UTC is 20:00 in Moscow: a quiet day there ends the entry at 20:00 local (17:00 UTC)
    assert duration_start(TODAY, 60, [], NOW, "Europe/Moscow") == at(TODAY, 16)
    # yesterday in Moscow, at this time of day (20:00 local = 17:00 UTC)
    assert duration_start(TODAY - timedelta(days=1), 60, [], NOW, "Europe/Moscow") == at(TODAY - timedelta(days=1), 16)


def test_a_timer_left_running_over_midnight_does_not_move_a_past_days_entry_to_today() -> None:
    yesterday = TODAY - timedelta(days=1)
    entries = [span(at(yesterday, 22), None)]  # still running now
    assert duration_start(yesterday, 60, entries, NOW, "UTC") == at(yesterday, 16)
