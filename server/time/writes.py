"""Writes of time tracking: starting and stopping timers, adding, editing and deleting entries (the
entry rules of rules.entries applied in one transaction each, so two requests at once can never leave
two running timers or two overlapping entries), the timesheet grid's day totals and week locks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any

from server.boards.changes import Announcer, board_change
from server.kernel.db import is_unique_violation, lock_row, write_transaction
from server.kernel.i18n import _
from server.rules import weeks
from server.rules.entries import EntryRefused, check_length, first_overlap, minutes_between
from server.rules.policy import Actor
from server.tables import TimeEntry, User, WeekLock
from server.time.rollup_writes import refresh_days
from server.time.schemas import EntryForm, EntryInput
from server.time.store import free_slot, locked_week, placed, running_timer, spans_near


async def refuse_if_locked(
    entry: dict[str, Any] | None, person_id: int, project_id: int, instant: datetime, tz: str
) -> None:
    if entry is not None and entry["locked"] and entry.get("summary"):
        raise EntryRefused("form", _("This entry is billed in summary #%(id)s and cannot change.", id=entry["summary"]))
    if entry is not None and entry["locked"]:
        raise EntryRefused("form", _("This entry is in a finalised billing summary and cannot change."))
    if await locked_week(person_id, project_id, instant, tz):
        raise EntryRefused("form", _("That week is locked by an admin. Ask them to unlock it first."))


async def _refuse_overlap(person_id: int, start: datetime, end: datetime, without: int | None = None) -> None:
    clash = first_overlap(start, end, await spans_near(person_id, start, end, without))
    if clash is not None:
        end_text = clash.ended_at.strftime("%H:%M") if clash.ended_at else _("now (timer running)")
        raise EntryRefused(
            "started_at",
            _(
                "This overlaps your entry #%(id)s from %(start)s to %(end)s (UTC).",
                id=clash.id,
                start=clash.started_at.strftime("%Y-%m-%d %H:%M"),
                end=end_text,
            ),
            overlapping=clash,
        )


def _stop_at(entry: dict[str, Any], now: datetime) -> datetime:
    """A timer under a minute counts as one minute (no time is lost), so it may end just after now."""
    return max(now, entry["started_at"] + timedelta(minutes=1))


async def _stop(entry: dict[str, Any], now: datetime) -> int:
    """End a running timer now."""
    ended = _stop_at(entry, now)
    minutes = max(1, minutes_between(entry["started_at"], ended))
    await TimeEntry.update({TimeEntry.ended_at: ended, TimeEntry.minutes: minutes, TimeEntry.updated_at: now}).where(
        TimeEntry.id == entry["id"]
    )
    await refresh_days(entry["project"], entry["person"], [entry["started_at"]])
    return minutes


async def start_timer(
    actor: Actor, task: dict[str, Any], now: datetime, tz: str, announcer: Announcer
) -> dict[str, Any]:
    """Start a timer on `task`, stopping the one already running (on whatever task)."""
    await refuse_if_locked(None, actor.id, task["project"], now, tz)
    for attempt in range(2):
        try:
            return await _start(actor, task, now, announcer)
        except Exception as error:
            # Another request started a timer for this person at the same moment: the partial
            # unique index refused ours; stop theirs and try again, once.
            if attempt or not is_unique_violation(error):
                raise
    raise AssertionError("unreachable")


async def _start(actor: Actor, task: dict[str, Any], now: datetime, announcer: Announcer) -> dict[str, Any]:
    async with board_change(task["project"], actor, announcer) as change:
        # One person's timer switches run one at a time (as add_entry does): the board lock alone
        # lets starts on two boards race, and a single retry cannot absorb three at once.
        await lock_row(User, actor.id)
        running = await running_timer(actor.id)
        started = now
        if running is not None:
            await _stop(running, now)
            # A timer switched within its first minute still logs that minute: the new one starts
            # when it ends, so the two entries never overlap.
            started = _stop_at(running, now)
            if running["project"] == task["project"]:
                change.cards.add(running["task"])
        rows = await TimeEntry.insert(
            TimeEntry(
                task=task["id"], project=task["project"], person=actor.id, started_at=started, billable=task["billable"]
            )
        ).returning(*TimeEntry.all_columns())
        change.cards.add(task["id"])
        change.log("timer_started", task=task["id"], stopped=running["id"] if running else None)
    if running is not None and running["project"] != task["project"]:
        await _tell_board(actor, running, "timer_stopped", announcer)
    return rows[0]


async def _tell_board(actor: Actor, entry: dict[str, Any], verb: str, announcer: Announcer) -> None:
    """Redraw an entry's card on its board (running dot, logged time)."""
    async with board_change(entry["project"], actor, announcer) as change:
        change.cards.add(entry["task"])
        change.log(verb, task=entry["task"], entry=entry["id"])


async def stop_timer(actor: Actor, now: datetime, announcer: Announcer) -> dict[str, Any] | None:
    """Stop my running timer, if any; returns the stopped entry."""
    async with write_transaction(TimeEntry._meta.db):
        await lock_row(User, actor.id)  # the rollup rows of one person are rewritten one write at a time
        running = await running_timer(actor.id)
        if running is None:
            return None
        running["minutes"] = await _stop(running, now)
    await _tell_board(actor, running, "timer_stopped", announcer)
    return running


# Where a new entry goes, worked out once the person's entries are locked: a bare duration's free
# slot must be found by the same transaction that checks and writes it, or two tabs at once both
# find the same slot and all but one are refused as overlapping an entry the person never saw.
Placing = Callable[[], Awaitable[EntryInput]]


async def add_entry(
    actor: Actor,
    task: dict[str, Any],
    data: EntryInput | Placing,
    now: datetime,
    tz: str,
    announcer: Announcer,
    *,
    person_id: int | None = None,
) -> int:
    """A manual entry for `person_id` (default: the actor) on `task`: placed (when `data` is a
    placing), checked and written in one transaction, one at a time per person."""
    person = person_id or actor.id
    if isinstance(data, EntryInput):  # refused before the write lock when nothing needs placing
        check_length(data.started_at, data.ended_at, now)
        await refuse_if_locked(None, person, task["project"], data.started_at, tz)
    async with board_change(task["project"], actor, announcer) as change:
        await lock_row(User, person)  # one person's entries are placed, checked and written one at a time
        if not isinstance(data, EntryInput):
            data = await data()
            check_length(data.started_at, data.ended_at, now)
            await refuse_if_locked(None, person, task["project"], data.started_at, tz)
        await _refuse_overlap(person, data.started_at, data.ended_at)
        rows = await TimeEntry.insert(
            TimeEntry(
                task=task["id"],
                project=task["project"],
                person=person,
                started_at=data.started_at,
                ended_at=data.ended_at,
                minutes=minutes_between(data.started_at, data.ended_at),
                note=data.note,
                billable=data.billable,
            )
        ).returning(TimeEntry.id)
        await refresh_days(task["project"], person, [data.started_at])
        change.cards.add(task["id"])
        change.log("time_logged", task=task["id"], entry=rows[0]["id"], person=person)
    return int(rows[0]["id"])


async def log_entry(
    actor: Actor,
    task: dict[str, Any],
    entry: EntryForm,
    now: datetime,
    tz: str,
    announcer: Announcer,
    *,
    person_id: int,
) -> int:
    """An entry as a form described it, for `person_id`: a bare duration goes where rules.placing puts it,
    found inside the write (see `Placing`)."""
    return await add_entry(actor, task, lambda: placed(entry, person_id, tz), now, tz, announcer, person_id=person_id)


async def update_entry(
    actor: Actor, entry: dict[str, Any], data: EntryInput, now: datetime, tz: str, announcer: Announcer
) -> None:
    if entry["ended_at"] is None:
        raise EntryRefused("form", _("Stop the timer before editing this entry."))
    check_length(data.started_at, data.ended_at, now)
    await refuse_if_locked(entry, entry["person"], entry["project"], entry["started_at"], tz)
    await refuse_if_locked(None, entry["person"], entry["project"], data.started_at, tz)
    async with board_change(entry["project"], actor, announcer) as change:
        await lock_row(User, entry["person"])
        await _refuse_overlap(entry["person"], data.started_at, data.ended_at, without=entry["id"])
        await TimeEntry.update(
            {
                TimeEntry.started_at: data.started_at,
                TimeEntry.ended_at: data.ended_at,
                TimeEntry.minutes: minutes_between(data.started_at, data.ended_at),
                TimeEntry.note: data.note,
                TimeEntry.billable: data.billable,
                TimeEntry.updated_at: now,
            }
        ).where((TimeEntry.id == entry["id"]) & TimeEntry.locked.eq(False))
        await refresh_days(entry["project"], entry["person"], [entry["started_at"], data.started_at])
        change.cards.add(entry["task"])
        change.log("time_edited", task=entry["task"], entry=entry["id"])


async def edit_entry(
    actor: Actor, entry: dict[str, Any], edited: EntryForm, now: datetime, tz: str, announcer: Announcer
) -> None:
    """An entry changed as its edit form described it: a bare duration keeps the entry's start."""
    data = await placed(edited, entry["person"], tz, keep_start=entry["started_at"])
    await update_entry(actor, entry, data, now, tz, announcer)


async def delete_entry(actor: Actor, entry: dict[str, Any], tz: str, announcer: Announcer) -> None:
    await refuse_if_locked(entry, entry["person"], entry["project"], entry["started_at"], tz)
    async with board_change(entry["project"], actor, announcer) as change:
        await lock_row(User, entry["person"])
        await TimeEntry.delete().where((TimeEntry.id == entry["id"]) & TimeEntry.locked.eq(False))
        await refresh_days(entry["project"], entry["person"], [entry["started_at"]])
        change.cards.add(entry["task"])
        change.log("time_deleted", task=entry["task"], entry=entry["id"], minutes=entry["minutes"])


async def set_day_total(
    actor: Actor,
    task: dict[str, Any],
    person_id: int,
    day: date,
    minutes: int,
    now: datetime,
    tz: str,
    announcer: Announcer,
) -> None:
    """The timesheet grid's in-place edit: make `day`'s time on `task` add up to `minutes`."""
    start, end = weeks.day_bounds(day, tz)
    existing = await TimeEntry.select().where(
        (TimeEntry.person == person_id)
        & (TimeEntry.task == task["id"])
        & (TimeEntry.started_at >= start)
        & (TimeEntry.started_at < end)
        & TimeEntry.ended_at.is_not_null()
    )
    if len(existing) > 1:
        raise EntryRefused(
            "duration",
            _("This day has %(n)s entries for this task: change them in the list of entries.", n=len(existing)),
        )
    if not existing:
        if minutes:

            async def in_free_slot() -> EntryInput:
                started = await free_slot(person_id, day, minutes, tz)
                return EntryInput(started, started + timedelta(minutes=minutes), "", task["billable"])

            await add_entry(actor, task, in_free_slot, now, tz, announcer, person_id=person_id)
        return
    entry = existing[0]
    if minutes == 0:
        await delete_entry(actor, entry, tz, announcer)
        return
    data = EntryInput(
        entry["started_at"], entry["started_at"] + timedelta(minutes=minutes), entry["note"], entry["billable"]
    )
    await update_entry(actor, entry, data, now, tz, announcer)


async def lock_week(actor: Actor, monday: date, person_id: int | None, client_id: int | None) -> bool:
    """Lock the week for one person or one client; False when it already was."""
    whose = (WeekLock.person == person_id) if person_id else (WeekLock.client == client_id)
    if await WeekLock.exists().where((WeekLock.week_start == monday) & whose):
        return False
    await WeekLock.insert(WeekLock(week_start=monday, person=person_id, client=client_id, locked_by=actor.id))
    return True


async def unlock_week(lock: dict[str, Any]) -> None:
    await WeekLock.delete().where(WeekLock.id == lock["id"])
