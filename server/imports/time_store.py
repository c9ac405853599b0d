"""What a time CSV would create in a project (reads only): each row's person, card and slot, or the
problems that keep it out: unknown person, unreadable duration, an overlap with an entry already
logged (or with an earlier row), a week an admin locked, a period a finalised summary billed. The
preview shows this; the import writes exactly the rows it found fine."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from server.imports import store
from server.imports.timecsv import Mapping, Sheet, TimeRow, rows_of
from server.kernel.i18n import _
from server.rules import weeks
from server.rules.entries import Span, first_overlap
from server.rules.imports import match_person
from server.tables import BillingSummary, ImportedObject, Task, TimeEntry, WeekLock

DAY_STARTS = time(9, 0)  # a row with a duration only starts the person's day here (or after their last entry)


@dataclass
class PlannedEntry:
    row: TimeRow
    person_id: int | None = None
    task_id: int | None = None  # None: the project's "Imported time" card
    task_label: str = ""
    duplicate: bool = False  # imported before: skipped
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.duplicate


@dataclass
class TimePlan:
    mapping: Mapping
    entries: list[PlannedEntry]
    unknown_people: list[str]

    def counts(self) -> dict[str, int]:
        return {
            "fine": sum(e.ok for e in self.entries),
            "problems": sum(bool(e.problems) for e in self.entries),
            "duplicates": sum(e.duplicate and not e.problems for e in self.entries),
        }


async def _cards(project: dict[str, Any]) -> tuple[dict[str, int], dict[int, int], dict[str, int]]:
    """The project's cards by Trello short link, by number and by title (folded)."""
    links = await ImportedObject.select(ImportedObject.source_id, ImportedObject.object_id).where(
        (ImportedObject.project == project["id"]) & (ImportedObject.kind == "card_link")
    )
    tasks = await Task.select(Task.id, Task.number, Task.title).where(Task.project == project["id"])
    return (
        {r["source_id"]: r["object_id"] for r in links},
        {r["number"]: r["id"] for r in tasks},
        {r["title"].casefold().strip(): r["id"] for r in tasks},
    )


def _card_of(text: str, key: str, cards: tuple[dict[str, int], dict[int, int], dict[str, int]]) -> int | None:
    """The card a row names: a Trello short link (or its URL), a card number (ACME-42, #42, 42) or a title."""
    links, numbers, titles = cards
    text = text.strip()
    if not text:
        return None
    if link := re.search(r"trello\.com/c/([A-Za-z0-9]+)", text):
        return links.get(link[1])
    if text in links:
        return links[text]
    if number := re.fullmatch(rf"(?:{re.escape(key)}-|#)?(\d{{1,9}})", text, re.IGNORECASE):
        found = numbers.get(int(number[1]))
        if found is not None:
            return found
    return titles.get(text.casefold())


async def _locks(client_id: int) -> tuple[set[tuple[date, int | None]], set[date]]:
    rows = await WeekLock.select().where(WeekLock.person.is_not_null() | (WeekLock.client == client_id))
    return {(r["week_start"], r["person"]) for r in rows if r["person"]}, {
        r["week_start"] for r in rows if r["client"] == client_id
    }


async def _billed(client_id: int) -> list[tuple[date, date, int]]:
    rows = await BillingSummary.select(BillingSummary.id, BillingSummary.period_start, BillingSummary.period_end).where(
        BillingSummary.finalised_at.is_not_null()
        & ((BillingSummary.client == client_id) | BillingSummary.client.is_null())
    )
    return [(r["period_start"], r["period_end"], r["id"]) for r in rows]


async def _spans(person_ids: set[int], start: datetime, end: datetime) -> dict[int, list[Span]]:
    spans: dict[int, list[Span]] = defaultdict(list)
    if not person_ids:
        return spans
    rows = await TimeEntry.select(TimeEntry.id, TimeEntry.person, TimeEntry.started_at, TimeEntry.ended_at).where(
        TimeEntry.person.is_in(list(person_ids)) & (TimeEntry.started_at < end) & (TimeEntry.started_at > start)
    )
    for r in rows:
        spans[r["person"]].append(Span(r["id"], r["started_at"], r["ended_at"]))
    return spans


def _slot(entry: PlannedEntry, spans: list[Span], tz: str) -> None:
    """A row with a duration only starts at 09:00 that day, or after the person's last entry that day."""
    row = entry.row
    if row.started_at is not None or row.day is None or row.minutes is None:
        return
    zone = ZoneInfo(tz)
    day_start = datetime.combine(row.day, DAY_STARTS, tzinfo=zone).astimezone(UTC)
    day_end = datetime.combine(row.day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    ends = [s.ended_at for s in spans if s.ended_at and day_start - timedelta(hours=9) <= s.started_at < day_end]
    row.started_at = max([day_start, *ends])
    row.ended_at = row.started_at + timedelta(minutes=row.minutes)


async def analyse(project: dict[str, Any], sheet: Sheet, mapping: Mapping, tz: str) -> TimePlan:
    """Every row of the sheet as it would be imported into the project, with its problems."""
    rows = rows_of(sheet, mapping, tz)
    people = await store.people()
    cards = await _cards(project)
    known = await store.imported(project["id"], "time")
    person_locks, client_locks = await _locks(project["client"])
    billed = await _billed(project["client"])
    entries, unknown = [], []
    for row in rows:
        entry = PlannedEntry(row, problems=list(row.problems))
        if row.person or row.email:
            entry.person_id = match_person(people, email=row.email, name=row.person)
            if entry.person_id is None:
                entry.problems.append(_("Nobody in Boardroom is called “%(name)s”.", name=row.person or row.email))
                unknown.append(row.person or row.email)
        entry.task_id = _card_of(row.task, project["key"], cards)
        entry.task_label = row.task if entry.task_id else _("Imported time")
        entry.duplicate = ("entry", row.source_id) in known
        entries.append(entry)
    days = [e.row.day for e in entries if e.row.day]
    if days:
        start = datetime.combine(min(days) - timedelta(days=2), time(0), tzinfo=UTC)
        end = datetime.combine(max(days) + timedelta(days=3), time(0), tzinfo=UTC)
        spans = await _spans({e.person_id for e in entries if e.person_id}, start, end)
    else:
        spans = defaultdict(list)
    seen: set[str] = set()
    for entry in entries:
        _check(entry, spans, person_locks, client_locks, billed, tz, seen)
    return TimePlan(mapping, entries, sorted(set(unknown)))


def _check(
    entry: PlannedEntry,
    spans: dict[int, list[Span]],
    person_locks: set[tuple[date, int | None]],
    client_locks: set[date],
    billed: list[tuple[date, date, int]],
    tz: str,
    seen: set[str],
) -> None:
    row = entry.row
    if row.source_id in seen and not entry.duplicate:
        entry.problems.append(_("The same row appears earlier in the file."))
    seen.add(row.source_id)
    if entry.duplicate or entry.problems or entry.person_id is None or row.day is None:
        return
    mine = spans[entry.person_id]
    _slot(entry, mine, tz)
    assert row.started_at is not None and row.ended_at is not None
    if row.ended_at > datetime.now(UTC) + timedelta(minutes=5):
        entry.problems.append(_("The entry ends in the future."))
    monday = weeks.week_of(row.started_at, tz)
    if (monday, entry.person_id) in person_locks or monday in client_locks:
        entry.problems.append(_("The week of %(day)s is locked.", day=row.day.isoformat()))
    for first, last, summary_id in billed:
        if first <= row.day <= last:
            entry.problems.append(_("%(day)s is in finalised summary #%(id)s.", day=row.day.isoformat(), id=summary_id))
            break
    clash = first_overlap(row.started_at, row.ended_at, mine)
    if clash is not None:
        entry.problems.append(
            _(
                "It overlaps entry #%(id)s (%(start)s UTC).",
                id=clash.id,
                start=clash.started_at.strftime("%Y-%m-%d %H:%M"),
            )
            if clash.id > 0
            else _("It overlaps the row on line %(n)s.", n=-clash.id)
        )
    if not entry.problems:
        mine.append(Span(-row.line, row.started_at, row.ended_at))  # later rows must not overlap this one
