"""Logging time from the card dialog: the same entry rules as the timesheet, answered with the dialog."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Request, Response, post
from litestar.params import FromPath

from server.boards.card_pages import answer
from server.boards.card_store import Outcome
from server.kernel.access import agency_only, task_for
from server.kernel.forms import Form
from server.kernel.web import me_of, tz_of
from server.realtime.hub import hub_of
from server.rules.entries import EntryRefused
from server.time import writes as time_entries
from server.time.schemas import read_entry_times


@post("/tasks/{task_id:int}/time", status_code=200, guards=[agency_only])
async def log_on_card(request: Request[Any, Any, Any], task_id: FromPath[int]) -> Response[Any]:
    me = me_of(request)
    task, project = await task_for(me, task_id, write=True)
    tz = tz_of(request)
    form = Form(await request.form())
    note = form.text("note", max_length=500, required=False)
    times = read_entry_times(form, tz)
    if times is not None and form.ok:
        try:
            started, ended = await time_entries.placed(times, me.id, tz)
            data = time_entries.EntryInput(started, ended, note, form.boolean("billable"))
            await time_entries.add_entry(me, task, data, datetime.now(UTC), tz, hub_of(request))
        except EntryRefused as refused:
            form.error("duration" if refused.field in {"ended_at", "started_at"} else refused.field, str(refused))
    if not form.ok:
        errors = {f"time_{name}": message for name, message in form.errors.items()}
        return await answer(request, task_id, project, Outcome(422, errors=errors, form=dict(form.raw)))
    return await answer(request, task_id, project)


ROUTES = [log_on_card]
