"""Reads of time tracking: the running timer, week locks, a person's entries around a moment and
where a bare duration goes, whose timesheet a user may open, and what entries bill."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from server.kernel.access import not_found
from server.rules import weeks
from server.rules.entries import Span
from server.rules.placing import duration_start
from server.rules.policy import Actor, Role, can_manage_agency
from server.rules.pricing import Priced, price
from server.rules.rates import resolve_rate
from server.tables import Client, Membership, Project, Task, TimeEntry, User, WeekLock
from server.time.schemas import EntryForm, EntryInput


async def running_timer(person_id: int) -> dict[str, Any] | None:
    """The person's running entry, with its card's number and title and its project's key."""
    return (
        await TimeEntry.select(
            *TimeEntry.all_columns(),
            TimeEntry.task.title.as_alias("title"),
            TimeEntry.task.number.as_alias("number"),
            TimeEntry.project.key.as_alias("key"),
        )
        .where((TimeEntry.person == person_id) & TimeEntry.ended_at.is_null())
        .first()
    )


async def locked_week(person_id: int, project_id: int, instant: datetime, tz: str) -> bool:
    """Is the week of `instant` locked for this person, or for the project's client?"""
    monday = weeks.week_of(instant, tz)
    project = await Project.select(Project.client).where(Project.id == project_id).first()
    client_id = project["client"] if project else None
    return await WeekLock.exists().where(
        (WeekLock.week_start == monday) & ((WeekLock.person == person_id) | (WeekLock.client == client_id))
    )


async def spans_near(person_id: int, start: datetime, end: datetime | None, without: int | None) -> list[Span]:
    """The person's entries that could overlap `start`–`end` (all starting within two days of it)."""
    query = TimeEntry.select(TimeEntry.id, TimeEntry.started_at, TimeEntry.ended_at).where(
        (TimeEntry.person == person_id)
        & (TimeEntry.started_at < (end or start + timedelta(days=2)))
        & (TimeEntry.started_at > start - timedelta(days=2))
    )
    if without is not None:
        query = query.where(TimeEntry.id != without)
    return [Span(r["id"], r["started_at"], r["ended_at"]) for r in await query]


async def free_slot(person_id: int, day: date, minutes: int, tz: str) -> datetime:
    """Where a duration typed without times goes (rules.placing): after the person's last entry
    that day, or ending now."""
    day_start, day_end = weeks.day_bounds(day, tz)
    now = datetime.now(UTC)
    touching = [
        span
        for span in await spans_near(person_id, day_start, day_end, None)
        if span.started_at < day_end and (span.ended_at or now) > day_start
    ]
    return duration_start(day, minutes, touching, now, tz)


async def placed(entry: EntryForm, person_id: int, tz: str, *, keep_start: datetime | None = None) -> EntryInput:
    """The entry a form described: its own times, or a bare duration placed from the given start
    (an edit keeps its start) or where rules.placing puts it."""
    times = entry.times
    minutes = timedelta(minutes=times.minutes or 0)
    started = times.started_at or keep_start or await free_slot(person_id, times.day, times.minutes or 0, tz)
    return EntryInput(started, times.ended_at or started + minutes, entry.note, entry.billable)


async def timesheet_person(actor: Actor, person_id: int | None) -> dict[str, Any]:
    """Whose timesheet: one's own; an admin may open anyone's (not a client user's)."""
    person_id = person_id or actor.id
    if person_id != actor.id and not can_manage_agency(actor):
        raise not_found()
    row = await User.select(User.id, User.name, User.role).where(User.id == person_id).first()
    if row is None or row["role"] == Role.CLIENT:
        raise not_found()
    return row


async def card_ref(task_id: int) -> dict[str, Any] | None:
    """A card's id, number, title and project key: enough to name it."""
    return (
        await Task.select(Task.id, Task.number, Task.title, Task.project.key.as_alias("key"))
        .where(Task.id == task_id)
        .first()
    )


async def price_entries(entries: list[dict[str, Any]]) -> dict[int, Priced]:
    """Prices of stopped entries (each needs id, project, person, minutes, billable), in four queries."""
    stopped = [e for e in entries if e.get("ended_at") is not None]
    if not stopped:
        return {}
    project_ids = sorted({e["project"] for e in stopped})
    person_ids = sorted({e["person"] for e in stopped})
    projects = {
        p["id"]: p
        for p in await Project.select(Project.id, Project.hourly_rate, Project.client).where(
            Project.id.is_in(project_ids)
        )
    }
    clients = {
        c["id"]: c
        for c in await Client.select().where(Client.id.is_in(sorted({p["client"] for p in projects.values()})))
    }
    people = {
        u["id"]: u["hourly_rate"] for u in await User.select(User.id, User.hourly_rate).where(User.id.is_in(person_ids))
    }
    memberships = {
        (m["project"], m["member"]): m["hourly_rate"]
        for m in await Membership.select(Membership.project, Membership.member, Membership.hourly_rate).where(
            Membership.project.is_in(project_ids) & Membership.member.is_in(person_ids)
        )
    }
    priced = {}
    for entry in stopped:
        project = projects[entry["project"]]
        client = clients[project["client"]]
        rate = resolve_rate(
            memberships.get((entry["project"], entry["person"])),
            project["hourly_rate"],
            client["hourly_rate"],
            people.get(entry["person"]),
        )
        priced[entry["id"]] = price(
            entry["minutes"],
            entry["billable"],
            rate,
            client["currency"],
            client["rounding_increment"],
            client["rounding_mode"],
        )
    return priced
