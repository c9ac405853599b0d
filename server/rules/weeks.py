"""ISO weeks (Monday to Sunday) in the agency's time zone; instants are stored in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def local_day(instant: datetime, tz: str) -> date:
    """The calendar day an instant falls on in the agency's time zone."""
    return instant.astimezone(ZoneInfo(tz)).date()


def week_of(instant: datetime, tz: str) -> date:
    """The Monday of the week an instant falls in, in the agency's time zone."""
    return monday_of(local_day(instant, tz))


def day_bounds(day: date, tz: str) -> tuple[datetime, datetime]:
    """Start and end (exclusive) of a local day, in UTC. A DST day lasts 23 or 25 hours."""
    zone = ZoneInfo(tz)
    start = datetime.combine(day, time(), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def week_bounds(monday: date, tz: str) -> tuple[datetime, datetime]:
    """Start of Monday to the start of the next Monday, local time, in UTC."""
    if monday.weekday() != 0:
        raise ValueError(f"{monday} is not a Monday")
    return day_bounds(monday, tz)[0], day_bounds(monday + timedelta(days=7), tz)[0]


def days_of(monday: date) -> list[date]:
    return [monday + timedelta(days=i) for i in range(7)]


def iso_week_label(monday: date) -> tuple[int, int]:
    """(ISO year, ISO week number)."""
    year, week, _ = monday.isocalendar()
    return year, week
