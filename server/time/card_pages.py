"""Logging time from the card dialog: the same entry rules as the timesheet, answered with the dialog."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Request, Response, post
from litestar.params import FromPath

from server.boards.card_store import Outcome
from server.boards.fragments import dialog_answer as answer
from server.kernel.access import agency_only, task_for
from server.kernel.forms import Form
from server.kernel.web import me_of, tz_of
from server.rules.entries import EntryRefused
from server.time import writes
from server.time.jobs import announcer_of
from server.time.schemas import read_entry, refused_beside


@post("/tasks/{task_id:int}/time", status_code=200, guards=[agency_only])
async def log_on_card(request: Request[Any, Any, Any], task_id: FromPath[int]) -> Response[Any]:
    me = me_of(request)
    task, project = await task_for(me, task_id, write=True)
    tz = tz_of(request)
    form = Form(await request.form())
    entry = read_entry(form, tz)
    if entry is not None and form.ok:
        try:
            await writes.log_entry(me, task, entry, datetime.now(UTC), tz, announcer_of(request), person_id=me.id)
        except EntryRefused as refused:
            refused_beside(form, refused)
    if not form.ok:
        errors = {f"time_{name}": message for name, message in form.errors.items()}
        return await answer(request, task_id, project, Outcome(422, errors=errors, form=dict(form.raw)))
    return await answer(request, task_id, project)


ROUTES = [log_on_card]
