"""Editing one time entry: its own page, reached from the timesheet's list of entries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.kernel.access import agency_only, entry_for
from server.kernel.forms import Form
from server.kernel.i18n import _
from server.kernel.web import me_of, notice, render, see_other, tz_of
from server.rules import weeks
from server.rules.entries import EntryRefused
from server.time import writes
from server.time.jobs import announcer_of
from server.time.schemas import entry_form_values, read_entry, refused_beside, timesheet_url
from server.time.store import card_ref


async def _page(
    request: Request[Any, Any, Any],
    entry: dict[str, Any],
    form: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Template:
    task = await card_ref(entry["task"])
    monday = weeks.week_of(entry["started_at"], tz_of(request))
    return render(
        request,
        "time/entry_form.html",
        status_code=status,
        nav="timesheet",
        entry=entry,
        task=task,
        monday=monday,
        form=form,
        errors=errors,
    )


@get("/entries/{entry_id:int}/edit", name="entry-edit", guards=[agency_only])
async def edit_entry_page(request: Request[Any, Any, Any], entry_id: FromPath[int]) -> Template:
    me = me_of(request)
    entry = await entry_for(me, entry_id)
    return await _page(request, entry, entry_form_values(entry, tz_of(request)) if entry["ended_at"] else {}, {})


@post("/entries/{entry_id:int}", status_code=200, guards=[agency_only])
async def update_entry(request: Request[Any, Any, Any], entry_id: FromPath[int]) -> Template | Redirect:
    me = me_of(request)
    entry = await entry_for(me, entry_id)
    tz = tz_of(request)
    form = Form(await request.form())
    edited = read_entry(form, tz)
    if edited is not None and form.ok:
        try:
            await writes.edit_entry(me, entry, edited, datetime.now(UTC), tz, announcer_of(request))
        except EntryRefused as refused:
            refused_beside(form, refused, "end")
    if not form.ok:
        return await _page(request, entry, dict(form.raw), form.errors, 422)
    notice(request, _("Entry saved."))
    monday = weeks.week_of(entry["started_at"], tz)
    return see_other(timesheet_url(monday, entry["person"], own_id=me.id))


ROUTES = [edit_entry_page, update_entry]
