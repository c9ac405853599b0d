"""Demo time: six weeks of logged hours on the demo boards, so the timesheet, the sprint reports and
billing have something real to show. Deterministic (a fixed seed): every demo looks the same."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from server.rules import rank
from server.tables import BoardColumn, Label, Membership, Project, Task, TaskLabel, TimeEntry
from server.time.rollup_writes import rebuild

WEEKS = 6
NOTES = ("", "", "Call with the client", "Review round", "Fixes after feedback", "Pairing", "Research")
# Earlier work, finished and archived: most past hours went here, so the live cards' logged time
# stays within (or near) their estimates, as on a healthy board.
EARLIER = ("Discovery interviews", "Sitemap and content inventory", "Wireframes", "Design system basics")
# Their kind of work (a label of the demo boards), which the monthly client report sums hours by.
EARLIER_LABELS = {
    "Discovery interviews": "ux",
    "Sitemap and content inventory": "ux",
    "Wireframes": "design",
    "Design system basics": "design",
}
SHARE_OF_ESTIMATE = 0.8  # live cards get hours until they reach this share of their estimate


async def earlier_cards(project_id: int) -> list[int]:
    """Archived, done cards of the weeks before the board's current work."""
    project = await Project.select(Project.last_task_number).where(Project.id == project_id).first()
    done = (
        await BoardColumn.select(BoardColumn.id)
        .where((BoardColumn.project == project_id) & BoardColumn.is_done.eq(True))
        .first()
    )
    if project is None or done is None:
        return []
    first = int(project["last_task_number"]) + 1
    rows = await Task.insert(
        *(
            Task(project=project_id, number=first + i, column=done["id"], title=title, rank=key, archived=True)
            for i, (title, key) in enumerate(zip(EARLIER, rank.spread(len(EARLIER)), strict=True))
        )
    ).returning(Task.id)
    await Project.update({Project.last_task_number: first + len(EARLIER) - 1}).where(Project.id == project_id)
    labels = {r["name"]: r["id"] for r in await Label.select(Label.id, Label.name).where(Label.project == project_id)}
    tagged = [
        TaskLabel(task=row["id"], label=labels[EARLIER_LABELS[title]])
        for row, title in zip(rows, EARLIER, strict=True)
        if EARLIER_LABELS[title] in labels
    ]
    if tagged:
        await TaskLabel.insert(*tagged)
    return [r["id"] for r in rows]


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
    room: dict[int, int] = {}  # minutes a live card may still take
    for row in await Task.select(Task.id, Task.project, Task.estimate_minutes).order_by(Task.id):
        tasks_by_project.setdefault(row["project"], []).append(row["id"])
        room[row["id"]] = int((row["estimate_minutes"] or 0) * SHARE_OF_ESTIMATE)
    earlier = {project: await earlier_cards(project) for project in tasks_by_project}
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
                live = [t for t in tasks_by_project[project] if room[t] >= minutes]
                task = rng.choice(live) if live and rng.random() < 0.5 else rng.choice(earlier[project])
                room[task] = room.get(task, 0) - minutes
                entries.append(
                    TimeEntry(
                        task=task,
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
        await rebuild()  # a bulk insert skips the entry writes: the rollup is built once, from all of them
    return len(entries)
