"""Reads of the weekly timesheet: a person's week as a grid of tasks by day with daily and weekly
totals (billable apart), one cell of it, and everything the timesheet page shows around the grid."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from server.kernel.access import visible_projects
from server.rules import weeks
from server.rules.policy import Actor, Role, can_see_rates
from server.tables import Client, Task, TimeEntry, User, WeekLock
from server.time.store import price_entries


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


async def day_minutes(person_id: int, task_id: int, day: date, tz: str) -> int:
    """What one cell of the grid holds: the person's stopped time on the card that day."""
    week = await week_of_person(person_id, weeks.monday_of(day), tz)
    return next((row.minutes[day] for row in week.rows if row.task_id == task_id), 0)


async def loggable_tasks(actor: Actor) -> list[dict[str, Any]]:
    """The open cards of the projects the user sees, to log time on."""
    projects = await visible_projects(actor)
    if not projects:
        return []
    return (
        await Task.select(
            Task.id,
            Task.number,
            Task.title,
            Task.project.key.as_alias("key"),
            Task.project.name.as_alias("project_name"),
        )
        .where(Task.project.is_in([p["id"] for p in projects]) & Task.archived.eq(False))
        .order_by(Task.project.key)
        .order_by(Task.number)
    )


async def timesheet_context(actor: Actor, person: dict[str, Any], monday: date, tz: str) -> dict[str, Any]:
    """The timesheet of `person`'s week as `actor` sees it: the grid, the week's locks, the lists
    to lock a week by, the cards to log on and (for admins) what each entry bills."""
    week = await week_of_person(person["id"], monday, tz)
    locks = await WeekLock.select(
        WeekLock.id, WeekLock.person, WeekLock.client, WeekLock.client.name.as_alias("client_name")
    ).where(WeekLock.week_start == monday)
    clients = await Client.select(Client.id, Client.name).where(Client.archived.eq(False)).order_by(Client.name)
    people = await User.select(User.id, User.name).where(User.role.is_in([Role.ADMIN, Role.MEMBER])).order_by(User.name)
    return {
        "week": week,
        "person": person,
        "tz": tz,
        "monday": monday,
        "prev_week": monday - timedelta(days=7),
        "next_week": monday + timedelta(days=7),
        "this_week": weeks.week_of(datetime.now(UTC), tz),
        "iso_week": weeks.iso_week_label(monday)[1],
        "locks": locks,
        "clients": clients,
        "people": people,
        "person_locked": any(lock["person"] == person["id"] for lock in locks),
        "tasks": await loggable_tasks(actor),
        "today": weeks.local_day(datetime.now(UTC), tz),  # the agency's today, not UTC's
        # What each entry bills is the agency's business: computed for admins only.
        "prices": await price_entries(week.entries) if can_see_rates(actor) else {},
    }
