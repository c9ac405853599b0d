"""Hours logged on a project: in all, in a span, per ISO week (agency time zone) and per person.

What planning sets beside the plan (budget left, last week's hours), what the review shows of a week
without a closed result, and what a client may know of the time spent on their project (the portal):
no rates, no amounts, no notes. Only stopped entries count (a running timer has no length yet)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from piccolo.query.functions.aggregate import Sum

from server.rules.weeks import monday_of, week_bounds, week_of
from server.tables import TimeEntry


@dataclass
class WeekHours:
    monday: date
    minutes: int = 0
    people: dict[str, int] = field(default_factory=dict)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def by_person(self) -> list[tuple[str, int]]:
        return sorted(self.people.items(), key=lambda item: (-item[1], item[0]))


async def hours_by_week(project_id: int, tz: str, today: date, weeks: int = 8) -> list[WeekHours]:
    """The last `weeks` weeks up to this one, newest first; weeks with nothing logged show 0."""
    this_monday = monday_of(today)
    mondays = [this_monday - timedelta(days=7 * i) for i in range(weeks)]
    start, end = week_bounds(mondays[-1], tz)[0], week_bounds(this_monday, tz)[1]
    rows = await TimeEntry.select(
        TimeEntry.started_at, TimeEntry.minutes, TimeEntry.person.name.as_alias("person_name")
    ).where(
        (TimeEntry.project == project_id)
        & TimeEntry.ended_at.is_not_null()
        & (TimeEntry.started_at >= start)
        & (TimeEntry.started_at < end)
    )
    found = {m: WeekHours(m) for m in mondays}
    for row in rows:
        week = found.get(week_of(_aware(row["started_at"]), tz))
        if week is None:
            continue
        week.minutes += row["minutes"]
        week.people[row["person_name"]] = week.people.get(row["person_name"], 0) + row["minutes"]
    return [found[m] for m in mondays]


async def logged_minutes(project_id: int, since: datetime | None = None, until: datetime | None = None) -> int:
    """Minutes logged on the project, in all or on entries started in [since, until)."""
    query = TimeEntry.select(Sum(TimeEntry.minutes, alias="minutes")).where(
        (TimeEntry.project == project_id) & TimeEntry.ended_at.is_not_null()
    )
    if since is not None and until is not None:
        query = query.where((TimeEntry.started_at >= since) & (TimeEntry.started_at < until))
    row = await query.first()
    return int((row or {}).get("minutes") or 0)


async def minutes_in_week(project_id: int, tz: str, monday: date) -> int:
    return await logged_minutes(project_id, *week_bounds(monday, tz))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
