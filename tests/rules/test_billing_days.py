"""Agency days in UTC terms: period bounds and the offsets SQLite applies."""

from __future__ import annotations

from datetime import UTC, date, datetime

from server.rules.days import OffsetSpan, local_day, offset_spans, period_bounds


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_a_berlin_month_runs_from_local_midnight_to_local_midnight() -> None:
    assert period_bounds(date(2026, 10, 1), date(2026, 10, 31), "Europe/Berlin") == (
        utc("2026-09-30 22:00"),  # summer time
        utc("2026-10-31 23:00"),  # winter time
    )


def test_a_utc_period_has_one_offset() -> None:
    assert offset_spans(utc("2026-01-01 00:00"), utc("2027-01-01 00:00"), "UTC") == [OffsetSpan(None, 0)]


def test_berlin_changes_offset_at_one_in_the_morning_utc_twice_a_year() -> None:
    spans = offset_spans(utc("2026-01-01 00:00"), utc("2027-01-01 00:00"), "Europe/Berlin")
    assert spans == [
        OffsetSpan(utc("2026-03-29 01:00"), 3600),
        OffsetSpan(utc("2026-10-25 01:00"), 7200),
        OffsetSpan(None, 3600),
    ]


def test_a_period_without_a_change_has_one_open_span() -> None:
    assert offset_spans(utc("2026-11-01 00:00"), utc("2026-12-01 00:00"), "Europe/Berlin") == [OffsetSpan(None, 3600)]


def test_half_hour_and_southern_zones_are_found_too() -> None:
    spans = offset_spans(utc("2026-01-01 00:00"), utc("2026-12-31 00:00"), "Australia/Adelaide")
    assert [s.seconds for s in spans] == [37800, 34200, 37800]  # +10:30 summer, +09:30 winter


def test_an_entry_belongs_to_its_local_day() -> None:
    assert local_day(utc("2026-10-31 23:00"), "Europe/Berlin") == date(2026, 11, 1)
    assert local_day(utc("2026-10-31 22:59"), "Europe/Berlin") == date(2026, 10, 31)
