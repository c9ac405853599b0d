"""Editing one time entry: its own page, reached from the timesheet's list of entries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.kernel.access import agency_only, entry_for
from server.kernel.forms import Form
from server.kernel.i18n import _
from server.kernel.web import me_of, notice, render, see_other, tz_of
from server.realtime.hub import hub_of
from server.rules import weeks
from server.rules.entries import EntryRefused
from server.tables import Task
from server.time import writes as time_entries
from server.time.schemas import read_entry_times


def _form_values(entry: dict[str, Any], tz: str) -> dict[str, Any]:
    zone = ZoneInfo(tz)
    start, end = entry["started_at"].astimezone(zone), entry["ended_at"].astimezone(zone)
    return {
        "date": start.date().isoformat(),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
        "note": entry["note"],
        "billable": entry["billable"],
    }


async def _page(
    request: Request[Any, Any, Any],
    entry: dict[str, Any],
    form: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Template:
    task = (
        await Task.select(Task.id, Task.number, Task.title, Task.project.key.as_alias("key"))
        .where(Task.id == entry["task"])
        .first()
    )
    monday = weeks.week_of(entry["started_at"], tz_of(request))
    return render(
        request,
        "time/entry_form.html",
        status_code=status,
        nav="timesheet",
        entry=entry,
        task=task,
        form=form,
        errors=errors,
        monday=monday,
    )


@get("/entries/{entry_id:int}/edit", name="entry-edit", guards=[agency_only])
async def edit_entry_page(request: Request[Any, Any, Any], entry_id: FromPath[int]) -> Template:
    me = me_of(request)
    entry = await entry_for(me, entry_id)
    return await _page(request, entry, _form_values(entry, tz_of(request)) if entry["ended_at"] else {}, {})


@post("/entries/{entry_id:int}", status_code=200, guards=[agency_only])
async def update_entry(request: Request[Any, Any, Any], entry_id: FromPath[int]) -> Template | Redirect:
    me = me_of(request)
    entry = await entry_for(me, entry_id)
    tz = tz_of(request)
    form = Form(await request.form())
    note = form.text("note", max_length=500, required=False)
    times = read_entry_times(form, tz)
    if times is not None and form.ok:
        started, ended = await time_entries.placed(times, entry["person"], tz, keep_start=entry["started_at"])
        data = time_entries.EntryInput(started, ended, note, form.boolean("billable"))
        try:
            await time_entries.update_entry(me, entry, data, datetime.now(UTC), tz, hub_of(request))
        except EntryRefused as refused:
            form.error("end" if refused.field in {"ended_at", "started_at"} else refused.field, str(refused))
    if not form.ok:
        return await _page(request, entry, dict(form.raw), form.errors, 422)
    notice(request, _("Entry saved."))
    monday = weeks.week_of(entry["started_at"], tz)
    who = f"&person={entry['person']}" if entry["person"] != me.id else ""
    return see_other(f"/timesheet?week={monday.isoformat()}{who}")


ROUTES = [edit_entry_page, update_entry]
