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


def test_when_ending_now_would_overlap_it_takes_the_latest_free_slot_instead() -> None:
    entries = [span(at(TODAY, 14), 120)]  # ends 16:00; 16:00 + 1h30 is past 17:00; 15:30–17:00 overlaps it
    assert duration_start(TODAY, 90, entries, NOW, "UTC") == at(TODAY, 12, 30)


def test_a_small_overrun_within_the_five_minute_slack_still_goes_after_the_last_entry() -> None:
    entries = [span(at(TODAY, 14), 180)]  # ends 17:00
    assert duration_start(TODAY, 5, entries, NOW, "UTC") == at(TODAY, 17)


def test_a_running_timer_counts_as_ending_now() -> None:
    entries = [span(at(TODAY, 16), None)]
    # after the timer would be in the future, and ending now would overlap it: just before it
    assert duration_start(TODAY, 30, entries, NOW, "UTC") == at(TODAY, 15, 30)


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


def test_ending_now_where_entries_fill_that_time_takes_the_latest_free_slot_before() -> None:
    entries = [span(at(TODAY, 16, 30), 30, 1), span(at(TODAY, 15), 45, 2), span(at(TODAY, 15, 45), 45, 3)]
    # after the last would end at 17:15, past now; 16:45–17:00 overlaps the first; 15:00–16:30 is full
    assert duration_start(TODAY, 20, entries, NOW, "UTC") == at(TODAY, 14, 40)


def test_a_past_day_full_to_midnight_places_late_entries_before_the_time_of_day_not_over_midnight() -> None:
    """Six tabs logging 5m on yesterday's date at 23:38: after 23:38–23:43 come 23:43… up to 23:58,
    then the day is full to its end, so the next ones go before 23:38, each in a free slot."""
    yesterday = TODAY - timedelta(days=1)
    late = datetime(2026, 11, 25, 23, 38, tzinfo=UTC)
    placed: list[Span] = []
    for entry_id in range(1, 8):
        start = duration_start(yesterday, 5, placed, late, "UTC")
        placed.append(span(start, 5, entry_id))
    starts = [(s.started_at.hour, s.started_at.minute) for s in placed]
    assert starts == [(23, 33), (23, 38), (23, 43), (23, 48), (23, 53), (23, 28), (23, 23)]
    assert all(s.ended_at is not None and s.ended_at <= at(TODAY, 0) for s in placed)


def test_a_day_full_up_to_its_start_gives_the_day_start_and_the_entry_rules_refuse_it() -> None:
    monday = date(2026, 11, 23)
    entries = [span(at(monday, 0), 17 * 60 + 30)]  # 00:00–17:30, and now is 17:00 on that day's clock
    assert duration_start(monday, 60, entries, NOW, "UTC") == at(monday, 17, 30)  # after it still fits the day
    full = [span(at(monday, 0), 24 * 60)]
    assert duration_start(monday, 60, full, NOW, "UTC") == at(monday, 0)
