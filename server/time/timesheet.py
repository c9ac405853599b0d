"""A person's week: a grid of tasks by day with daily and weekly totals, billable apart."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from server.rules import weeks
from server.tables import TimeEntry


@dataclass
class Row:
    task_id: int
    ref: str
    title: str
    project_id: int
    minutes: dict[date, int] = field(default_factory=lambda: defaultdict(int))
    entries: dict[date, list[int]] = field(default_factory=lambda: defaultdict(list))

    @property
    def total(self) -> int:
        return sum(self.minutes.values())


@dataclass
class Week:
    monday: date
    days: list[date]
    rows: list[Row]
    entries: list[dict[str, Any]]
    billable: dict[date, int]
    non_billable: dict[date, int]

    def day_total(self, day: date) -> int:
        return self.billable[day] + self.non_billable[day]

    @property
    def billable_total(self) -> int:
        return sum(self.billable.values())

    @property
    def non_billable_total(self) -> int:
        return sum(self.non_billable.values())

    @property
    def total(self) -> int:
        return self.billable_total + self.non_billable_total


async def week_of_person(person_id: int, monday: date, tz: str) -> Week:
    start, end = weeks.week_bounds(monday, tz)
    entries = (
        await TimeEntry.select(
            *TimeEntry.all_columns(),
            TimeEntry.task.number.as_alias("number"),
            TimeEntry.task.title.as_alias("title"),
            TimeEntry.project.key.as_alias("key"),
        )
        .where((TimeEntry.person == person_id) & (TimeEntry.started_at >= start) & (TimeEntry.started_at < end))
        .order_by(TimeEntry.started_at)
    )
    rows: dict[int, Row] = {}
    billable: dict[date, int] = defaultdict(int)
    non_billable: dict[date, int] = defaultdict(int)
    for entry in entries:
        day = weeks.local_day(entry["started_at"], tz)
        entry["day"] = day
        row = rows.setdefault(
            entry["task"],
            Row(entry["task"], f"{entry['key']}-{entry['number']}", entry["title"], entry["project"]),
        )
        row.entries[day].append(entry["id"])
        if entry["ended_at"] is None:
            continue  # a running timer counts once it stops
        row.minutes[day] += entry["minutes"]
        (billable if entry["billable"] else non_billable)[day] += entry["minutes"]
    ordered = sorted(rows.values(), key=lambda r: (r.ref.split("-")[0], -r.total))
    return Week(monday, weeks.days_of(monday), ordered, entries, billable, non_billable)
