"""Demo time: six weeks of logged hours on the demo boards, so the timesheet, the sprint reports and
billing have something real to show. Deterministic (a fixed seed): every demo looks the same."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from server.tables import Membership, Task, TimeEntry

WEEKS = 6
NOTES = ("", "", "Call with the client", "Review round", "Fixes after feedback", "Pairing", "Research")


def workdays(today: date, weeks: int) -> list[date]:
    """Weekdays from `weeks` weeks ago up to yesterday (today's hours are still being logged)."""
    start = today - timedelta(days=today.weekday() + 7 * weeks)
    days = (start + timedelta(days=i) for i in range((today - start).days))
    return [d for d in days if d.weekday() < 5]


async def seed_time(today: date | None = None) -> int:
    """Entries for every member on the cards of their projects: 3-6 h a day in 30-150 minute spans,
    back to back from 09:00 UTC with short breaks, so none overlaps. Returns how many were made."""
    today = today or datetime.now(UTC).date()
    rng = random.Random(48)
    tasks_by_project: dict[int, list[int]] = {}
    for row in await Task.select(Task.id, Task.project).order_by(Task.id):
        tasks_by_project.setdefault(row["project"], []).append(row["id"])
    projects_by_person: dict[int, list[int]] = {}
    for row in await Membership.select(Membership.project, Membership.member).order_by(Membership.id):
        if tasks_by_project.get(row["project"]):
            projects_by_person.setdefault(row["member"], []).append(row["project"])
    entries = []
    for person, projects in projects_by_person.items():
        for day in workdays(today, WEEKS):
            clock = datetime.combine(day, time(9), tzinfo=UTC)
            for _ in range(rng.randint(2, 4)):
                minutes = rng.choice((30, 45, 60, 75, 90, 120, 150))
                project = rng.choice(projects)
                entries.append(
                    TimeEntry(
                        task=rng.choice(tasks_by_project[project]),
                        project=project,
                        person=person,
                        started_at=clock,
                        ended_at=clock + timedelta(minutes=minutes),
                        minutes=minutes,
                        note=rng.choice(NOTES),
                        billable=rng.random() > 0.12,
                    )
                )
                clock += timedelta(minutes=minutes + rng.choice((0, 15, 30)))
    if entries:
        await TimeEntry.insert(*entries)
    return len(entries)
