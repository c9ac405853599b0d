"""Billing periods an admin can ask for: the presets (this or last week, this or last month) and
checks on a custom range. Pure: no I/O, today is passed in."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from server.rules.weeks import monday_of

PRESETS = ("this_week", "last_week", "this_month", "last_month", "custom")
MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def month_of(day: date) -> Period:
    last = calendar.monthrange(day.year, day.month)[1]
    return Period(day.replace(day=1), day.replace(day=last))


def preset(name: str, today: date) -> Period:
    """The period a preset names, seen from `today` (the agency's today). ValueError for "custom"
    or an unknown name."""
    monday = monday_of(today)
    if name == "this_week":
        return Period(monday, monday + timedelta(days=6))
    if name == "last_week":
        return Period(monday - timedelta(days=7), monday - timedelta(days=1))
    if name == "this_month":
        return month_of(today)
    if name == "last_month":
        return month_of(today.replace(day=1) - timedelta(days=1))
    raise ValueError(f"not a preset: {name}")


def parse_day(value: str) -> date | None:
    """An ISO date (2026-11-30), or None for anything else."""
    try:
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def range_problem(start: date, end: date) -> str | None:
    """Why a custom range cannot be summarised, in a few words for the form (untranslated key), or None."""
    if end < start:
        return "end_before_start"
    if (end - start).days + 1 > MAX_DAYS:
        return "too_long"
    return None


def last_week(today: date) -> Period:
    """The ISO week before the one `today` falls in: what Monday's cron summarises."""
    return preset("last_week", today)
