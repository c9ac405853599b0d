"""Timers, manual entries, the weekly timesheet and week locks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from server.kernel.access import agency_only, entry_for, not_found, task_for, visible_projects
from server.kernel.forms import Form
from server.kernel.i18n import _, duration
from server.kernel.templating import render_fragment
from server.kernel.web import HTML, is_htmx, me_of, notice, render, see_other, tz_of
from server.realtime.hub import AGENCY, hub_of, render_update
from server.rules import weeks
from server.rules.durations import DurationError, parse_minutes
from server.rules.entries import EntryRefused, is_long_running
from server.rules.policy import Actor, Role, can_manage_agency, can_see_rates
from server.tables import Client, Project, TimeEntry, User, WeekLock
from server.time import writes as time_entries
from server.time.pricing import price_entries
from server.time.schemas import read_entry_times
from server.time.timesheet import week_of_person


async def timer_fragment(me: Actor, *, oob: bool = False) -> str:
    running = None
    if me.role is not Role.CLIENT:
        running = (
            await TimeEntry.select(
                TimeEntry.id,
                TimeEntry.started_at,
                TimeEntry.task,
                TimeEntry.task.title.as_alias("title"),
                TimeEntry.task.number.as_alias("number"),
                TimeEntry.project.key.as_alias("key"),
            )
            .where((TimeEntry.person == me.id) & TimeEntry.ended_at.is_null())
            .first()
        )
    now = datetime.now(UTC)
    long = running is not None and is_long_running(running["started_at"], now)
    return render_fragment("time/_timer.html", running=running, long=long, me=me, oob=oob)


@get("/timer", name="timer")
async def timer(request: Request[Any, Any, Any]) -> Response[str]:
    return Response(await timer_fragment(me_of(request)), media_type=HTML)


async def _after_timer_change(me: Actor, project: dict[str, Any], task_ids: set[int]) -> str:
    """The header timer and the changed cards, for the browser that started or stopped it.
    Unnumbered, like every writer's answer (see boards.routes.current_state): the numbered event
    reaches this browser over its websocket."""
    cards = await render_update(project, None, AGENCY, columns=set(), card_ids=task_ids, layout=False)
    return await timer_fragment(me, oob=True) + cards


@post("/tasks/{task_id:int}/timer/start", status_code=200)
async def start_timer(request: Request[Any, Any, Any], task_id: FromPath[int]) -> Response[str]:
    me = me_of(request)
    task, project = await task_for(me, task_id, write=True)
    running = await time_entries.running_timer(me.id)
    if running is None or running["task"] != task_id:
        try:
            await time_entries.start_timer(me, task, datetime.now(UTC), tz_of(request), hub_of(request))
        except EntryRefused as refused:
            toast = render_fragment("boards/_toast.html", message=str(refused))
            return Response(toast, status_code=409, media_type=HTML)
    return Response(await _after_timer_change(me, project, {task_id}), media_type=HTML)


@post("/timer/stop", status_code=200, guards=[agency_only])
async def stop_timer(request: Request[Any, Any, Any]) -> Response[str]:
    me = me_of(request)
    stopped = await time_entries.stop_timer(me, datetime.now(UTC), hub_of(request))
    if stopped is None:
        return Response(await timer_fragment(me), media_type=HTML)
    project = await Project.select().where(Project.id == stopped["project"]).first()
    assert project is not None
    html = await _after_timer_change(me, project, {stopped["task"]})
    html += render_fragment(
        "boards/_toast.html", message=_("Stopped: %(time)s logged.", time=duration(stopped["minutes"]))
    )
    return Response(html, media_type=HTML)


# ---- timesheet ---------------------------------------------------------------------------------


def _monday(week: str | None, tz: str) -> date:
    try:
        return weeks.monday_of(date.fromisoformat(week)) if week else weeks.week_of(datetime.now(UTC), tz)
    except ValueError as error:
        raise NotFoundException(_("That is not a week.")) from error


async def _person(me: Actor, person: int | None) -> dict[str, Any]:
    """Whose timesheet: one's own; an admin may open anyone's (not a client user's)."""
    person_id = person or me.id
    if person_id != me.id and not can_manage_agency(me):
        raise not_found()
    row = await User.select(User.id, User.name, User.role).where(User.id == person_id).first()
    if row is None or row["role"] == Role.CLIENT:
        raise not_found()
    return row


async def _loggable_tasks(me: Actor, person_id: int) -> list[dict[str, Any]]:
    from server.tables import Task

    projects = await visible_projects(me)
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


async def timesheet_context(me: Actor, person: dict[str, Any], monday: date, tz: str) -> dict[str, Any]:
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
        "tasks": await _loggable_tasks(me, person["id"]),
        "today": weeks.local_day(datetime.now(UTC), tz),  # the agency's today, not UTC's
        # What each entry bills is the agency's business: computed for admins only.
        "prices": await price_entries(week.entries) if can_see_rates(me) else {},
    }


@get("/timesheet", name="timesheet", guards=[agency_only])
async def timesheet_page(
    request: Request[Any, Any, Any], week: FromQuery[str | None] = None, person: FromQuery[int | None] = None
) -> Template:
    me = me_of(request)
    tz = tz_of(request)
    context = await timesheet_context(me, await _person(me, person), _monday(week, tz), tz)
    return render(request, "time/timesheet.html", nav="timesheet", form={}, errors={}, **context)


async def _timesheet_again(
    request: Request[Any, Any, Any],
    person: dict[str, Any],
    monday: date,
    *,
    form: dict[str, Any],
    errors: dict[str, str],
    status: int,
) -> Template:
    me = me_of(request)
    context = await timesheet_context(me, person, monday, tz_of(request))
    template = "time/_timesheet.html" if is_htmx(request) else "time/timesheet.html"
    return render(request, template, status_code=status, nav="timesheet", form=form, errors=errors, **context)


@post("/timesheet/entries", status_code=200, guards=[agency_only])
async def log_time(request: Request[Any, Any, Any]) -> Template | Redirect:
    """A manual entry from the timesheet or a card: task, date, start–end or a duration, note."""
    me = me_of(request)
    tz = tz_of(request)
    form = Form(await request.form())
    person = await _person(me, form.id("person", required=False))
    task_id = form.id("task")
    note = form.text("note", max_length=500, required=False)
    billable = form.boolean("billable")
    times = read_entry_times(form, tz)
    monday = times.day - timedelta(days=times.day.weekday()) if times else _monday(None, tz)
    if form.ok and task_id is not None and times is not None:
        task, _project = await task_for(me, task_id, write=True)
        try:
            started, ended = await time_entries.placed(times, person["id"], tz)
            await time_entries.add_entry(
                me,
                task,
                time_entries.EntryInput(started, ended, note, billable),
                datetime.now(UTC),
                tz,
                hub_of(request),
                person_id=person["id"],
            )
        except EntryRefused as refused:
            form.error("duration" if refused.field in {"ended_at", "started_at"} else refused.field, str(refused))
    if not form.ok:
        return await _timesheet_again(request, person, monday, form=dict(form.raw), errors=form.errors, status=422)
    notice(request, _("Time logged."))
    query = f"?week={monday.isoformat()}" + (f"&person={person['id']}" if person["id"] != me.id else "")
    return see_other("/timesheet" + query)


@get("/timesheet/cell", name="timesheet-cell", guards=[agency_only])
async def cell_form(
    request: Request[Any, Any, Any], task: FromQuery[int], day: FromQuery[str], person: FromQuery[int | None] = None
) -> Template:
    """The grid cell as an input, swapped in place of its total."""
    me = me_of(request)
    who = await _person(me, person)
    await task_for(me, task, write=True)
    try:
        when = date.fromisoformat(day)
    except ValueError as error:
        raise NotFoundException(_("That is not a day.")) from error
    week = await week_of_person(who["id"], weeks.monday_of(when), tz_of(request))
    minutes = next((row.minutes[when] for row in week.rows if row.task_id == task), 0)
    return render(request, "time/_cell.html", task=task, when=when, person=who, minutes=minutes)


@post("/timesheet/cell", status_code=200, guards=[agency_only])
async def set_cell(request: Request[Any, Any, Any]) -> Template:
    me = me_of(request)
    tz = tz_of(request)
    form = Form(await request.form())
    person = await _person(me, form.id("person", required=False))
    task_id = form.id("task")
    try:
        day = date.fromisoformat(form.value("day"))
    except ValueError:
        form.error("form", _("That is not a day."))
        day = weeks.local_day(datetime.now(UTC), tz)
    try:
        minutes = parse_minutes(form.value("duration")) or 0
    except DurationError:
        form.error("form", _("Type a duration like 1:30, 1h30, 1.5h or 90m."))
        minutes = 0
    if form.ok and task_id is not None:
        task, _project = await task_for(me, task_id, write=True)
        try:
            await time_entries.set_day_total(
                me, task, person["id"], day, minutes, datetime.now(UTC), tz, hub_of(request)
            )
        except EntryRefused as refused:
            form.error("form", str(refused))
    status = 200 if form.ok else 422
    context = await timesheet_context(me, person, weeks.monday_of(day), tz)
    return render(request, "time/_timesheet.html", status_code=status, form={}, errors=form.errors, **context)


@post("/entries/{entry_id:int}/delete", status_code=200, guards=[agency_only])
async def delete_entry(request: Request[Any, Any, Any], entry_id: FromPath[int]) -> Redirect | Template:
    me = me_of(request)
    entry = await entry_for(me, entry_id)
    tz = tz_of(request)
    monday = weeks.week_of(entry["started_at"], tz)
    person = await _person(me, entry["person"])
    try:
        await time_entries.delete_entry(me, entry, tz, hub_of(request))
    except EntryRefused as refused:
        return await _timesheet_again(request, person, monday, form={}, errors={"form": str(refused)}, status=409)
    notice(request, _("Entry deleted."))
    query = f"?week={monday.isoformat()}" + (f"&person={person['id']}" if person["id"] != me.id else "")
    return see_other("/timesheet" + query)


@post("/timesheet/locks", status_code=200)
async def lock_week(request: Request[Any, Any, Any]) -> Redirect:
    me = me_of(request)
    if not can_manage_agency(me):
        raise not_found()
    form = Form(await request.form())
    tz = tz_of(request)
    monday = _monday(form.value("week") or None, tz)
    person_id, client_id = form.id("person", required=False), form.id("client", required=False)
    if (person_id is None) == (client_id is None) or not form.ok:
        notice(request, _("Lock a person's week or a client's week."), "error")
    elif not await WeekLock.exists().where(
        (WeekLock.week_start == monday)
        & ((WeekLock.person == person_id) if person_id else (WeekLock.client == client_id))
    ):
        await WeekLock.insert(WeekLock(week_start=monday, person=person_id, client=client_id, locked_by=me.id))
        notice(request, _("Week locked: its entries cannot change until it is unlocked."))
    target = f"/timesheet?week={monday.isoformat()}" + (f"&person={person_id}" if person_id else "")
    return see_other(target)


@post("/timesheet/locks/{lock_id:int}/delete", status_code=200)
async def unlock_week(request: Request[Any, Any, Any], lock_id: FromPath[int]) -> Redirect:
    me = me_of(request)
    if not can_manage_agency(me):
        raise not_found()
    lock = await WeekLock.select().where(WeekLock.id == lock_id).first()
    if lock is None:
        raise not_found()
    await WeekLock.delete().where(WeekLock.id == lock_id)
    notice(request, _("Week unlocked."))
    return see_other(
        f"/timesheet?week={lock['week_start'].isoformat()}" + (f"&person={lock['person']}" if lock["person"] else "")
    )


ROUTES = [
    timer,
    start_timer,
    stop_timer,
    timesheet_page,
    log_time,
    cell_form,
    set_cell,
    delete_entry,
    lock_week,
    unlock_week,
]
