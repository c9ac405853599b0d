"""Time tracking's pages: the header timer and its start/stop, the weekly timesheet (manual entries,
the grid's in-place cells, deleting an entry) and week locks."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from server.boards.card_store import Outcome
from server.boards.fragments import dialog_html
from server.kernel.access import admin_only, agency_only, entry_for, row_or_404, task_for
from server.kernel.forms import Form, OptionalQueryId, QueryId
from server.kernel.i18n import _
from server.kernel.web import fragment_response, is_htmx, me_of, notice, render, see_other, tz_of
from server.rules import weeks
from server.rules.entries import EntryRefused
from server.rules.policy import Actor
from server.tables import WeekLock
from server.time import store, writes
from server.time.fragments import timer_changed, timer_fragment, timer_stopped
from server.time.jobs import announcer_of
from server.time.schemas import read_day, read_day_total, read_entry, read_week, refused_beside, timesheet_url
from server.time.timesheet_store import day_minutes, timesheet_context


@get("/timer", name="timer", guards=[agency_only])
async def timer(request: Request[Any, Any, Any]) -> Response[str]:
    return fragment_response(await timer_fragment(me_of(request)))


@post("/tasks/{task_id:int}/timer/start", status_code=200)
async def start_timer(request: Request[Any, Any, Any], task_id: FromPath[int]) -> Response[str]:
    me = me_of(request)
    task, project = await task_for(me, task_id, write=True)
    dialog = await _dialog_card(request)
    running = await store.running_timer(me.id)
    if running is None or running["task"] != task_id:
        try:
            await writes.start_timer(me, task, datetime.now(UTC), tz_of(request), announcer_of(request))
        except EntryRefused as refused:
            # In the dialog, the refusal shows at its top (an empty answer would swap the dialog away).
            html = await _dialog_html(me, dialog, Outcome(409, alert=str(refused)))
            return fragment_response(html, 409, toast=None if html else str(refused))
    html = await _dialog_html(me, dialog) + await timer_changed(me, project, {task_id})
    return _entries_changed(fragment_response(html))


@post("/timer/stop", status_code=200, guards=[agency_only])
async def stop_timer(request: Request[Any, Any, Any]) -> Response[str]:
    me = me_of(request)
    dialog = await _dialog_card(request)
    stopped = await writes.stop_timer(me, datetime.now(UTC), announcer_of(request))
    if stopped is None:
        if dialog is None:
            return fragment_response(await timer_fragment(me))
        return fragment_response(await _dialog_html(me, dialog) + await timer_fragment(me, oob=True))
    html, toast = await timer_stopped(me, stopped)
    return _entries_changed(fragment_response(await _dialog_html(me, dialog) + html, toast=toast))


# A start or stop pressed in a card's dialog (the `dialog` field names its card) answers with that
# dialog's body, drawn after the change, ahead of the header timer and cards (out of band).
DialogCard = tuple[int, dict[str, Any]] | None


async def _dialog_card(request: Request[Any, Any, Any]) -> DialogCard:
    """The card whose dialog the button was pressed in, checked before anything changes."""
    form = Form(await request.form())
    task_id = form.id("dialog", required=False)
    if task_id is None or not form.ok:
        return None
    _task, project = await task_for(me_of(request), task_id)
    return task_id, project


async def _dialog_html(me: Actor, card: DialogCard, outcome: Outcome | None = None) -> str:
    if card is None:
        return ""
    return await dialog_html(me, card[0], card[1], outcome or Outcome(), whole=False)


def _entries_changed(response: Response[str]) -> Response[str]:
    """Tell the page its person's entries changed: an open timesheet redraws its list and grid."""
    response.headers["HX-Trigger"] = "entries-changed"
    return response


async def _dialog_of(request: Request[Any, Any, Any], outcome: Outcome | None = None) -> str:
    """A start or stop pressed in a card's dialog (the `dialog` field names its card) answers with
    that dialog's body, drawn after the change, ahead of the header timer and cards (out of band);
    pressed anywhere else, nothing more."""
    form = Form(await request.form())
    task_id = form.id("dialog", required=False)
    if task_id is None or not form.ok:
        return ""
    me = me_of(request)
    _task, project = await task_for(me, task_id)
    return await dialog_html(me, task_id, project, outcome or Outcome(), whole=False)


# ---- timesheet ---------------------------------------------------------------------------------


@get("/timesheet", name="timesheet", guards=[agency_only])
async def timesheet_page(
    request: Request[Any, Any, Any], week: FromQuery[str | None] = None, person: OptionalQueryId = None
) -> Template:
    me = me_of(request)
    tz = tz_of(request)
    context = await timesheet_context(me, await store.timesheet_person(me, person), read_week(week, tz), tz)
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


async def _timesheet_form(request: Request[Any, Any, Any]) -> tuple[Form, dict[str, Any], int | None]:
    """A form posted to the timesheet: whose sheet it changes (checked) and the card it names."""
    form = Form(await request.form())
    person = await store.timesheet_person(me_of(request), form.id("person", required=False))
    return form, person, form.id("task")


@post("/timesheet/entries", status_code=200, guards=[agency_only])
async def log_time(request: Request[Any, Any, Any]) -> Template | Redirect:
    """A manual entry from the timesheet or a card: task, date, start–end or a duration, note."""
    me, tz = me_of(request), tz_of(request)
    form, person, task_id = await _timesheet_form(request)
    entry = read_entry(form, tz)
    monday = weeks.monday_of(entry.times.day) if entry else read_week(None, tz)
    if form.ok and task_id is not None and entry is not None:
        task, _project = await task_for(me, task_id, write=True)
        try:
            await writes.log_entry(
                me, task, entry, datetime.now(UTC), tz, announcer_of(request), person_id=person["id"]
            )
        except EntryRefused as refused:
            refused_beside(form, refused)
    if not form.ok:
        return await _timesheet_again(request, person, monday, form=dict(form.raw), errors=form.errors, status=422)
    notice(request, _("Time logged."))
    return see_other(timesheet_url(monday, person["id"], own_id=me.id))


@get("/timesheet/cell", name="timesheet-cell", guards=[agency_only])
async def cell_form(
    request: Request[Any, Any, Any], task: QueryId, day: FromQuery[str], person: OptionalQueryId = None
) -> Template:
    """The grid cell as an input, swapped in place of its total."""
    me = me_of(request)
    who = await store.timesheet_person(me, person)
    await task_for(me, task, write=True)
    when = read_day(day)
    minutes = await day_minutes(who["id"], task, when, tz_of(request))
    return render(request, "time/_cell.html", task=task, when=when, person=who, minutes=minutes)


@post("/timesheet/cell", status_code=200, guards=[agency_only])
async def set_cell(request: Request[Any, Any, Any]) -> Template:
    me, tz = me_of(request), tz_of(request)
    form, person, task_id = await _timesheet_form(request)
    cell = read_day_total(form, tz)
    if form.ok and task_id is not None:
        task, _project = await task_for(me, task_id, write=True)
        try:
            now = datetime.now(UTC)
            await writes.set_day_total(me, task, person["id"], cell.day, cell.minutes, now, tz, announcer_of(request))
        except EntryRefused as refused:
            form.error("form", str(refused))
    status = 200 if form.ok else 422
    context = await timesheet_context(me, person, weeks.monday_of(cell.day), tz)
    return render(request, "time/_timesheet.html", status_code=status, form={}, errors=form.errors, **context)


@post("/entries/{entry_id:int}/delete", status_code=200, guards=[agency_only])
async def delete_entry(request: Request[Any, Any, Any], entry_id: FromPath[int]) -> Redirect | Template:
    me = me_of(request)
    entry = await entry_for(me, entry_id)
    tz = tz_of(request)
    monday = weeks.week_of(entry["started_at"], tz)
    person = await store.timesheet_person(me, entry["person"])
    try:
        await writes.delete_entry(me, entry, tz, announcer_of(request))
    except EntryRefused as refused:
        return await _timesheet_again(request, person, monday, form={}, errors={"form": str(refused)}, status=409)
    notice(request, _("Entry deleted."))
    return see_other(timesheet_url(monday, person["id"], own_id=me.id))


@post("/timesheet/locks", status_code=200, guards=[admin_only])
async def lock_week(request: Request[Any, Any, Any]) -> Redirect:
    form = Form(await request.form())
    monday = read_week(form.value("week") or None, tz_of(request))
    person_id, client_id = form.id("person", required=False), form.id("client", required=False)
    if (person_id is None) == (client_id is None) or not form.ok:
        notice(request, _("Lock a person's week or a client's week."), "error")
    elif await writes.lock_week(me_of(request), monday, person_id, client_id):
        notice(request, _("Week locked: its entries cannot change until it is unlocked."))
    return see_other(timesheet_url(monday, person_id))


@post("/timesheet/locks/{lock_id:int}/delete", status_code=200, guards=[admin_only])
async def unlock_week(request: Request[Any, Any, Any], lock_id: FromPath[int]) -> Redirect:
    lock = await row_or_404(WeekLock, lock_id)
    await writes.unlock_week(lock)
    notice(request, _("Week unlocked."))
    return see_other(timesheet_url(lock["week_start"], lock["person"]))


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
