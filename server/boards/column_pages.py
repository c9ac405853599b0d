"""Columns of a board: add, edit (name, WIP limit, done flag), reorder and archive."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, post
from litestar.params import FromPath

from server.boards.fragments import board_state
from server.boards.schemas import read_column_form, read_column_name
from server.boards.writes import ColumnNotEmpty, add_column, archive_column, edit_column, move_column
from server.kernel.access import column_for, project_for
from server.kernel.forms import Form
from server.kernel.i18n import _
from server.kernel.web import fragment_response, me_of
from server.realtime.hub import hub_of


@post("/projects/{project_id:int}/columns", status_code=200)
async def create(request: Request[Any, Any, Any], project_id: FromPath[int]) -> Response[str]:
    me = me_of(request)
    project = await project_for(me, project_id, write=True)
    form = Form(await request.form())
    name = read_column_name(form)
    if not form.ok:
        return fragment_response("", 422, toast=_("Column not added: %(why)s", why=form.errors["name"]))
    await add_column(project_id, me, name, hub_of(request))
    return fragment_response(await board_state(project, me))


@post("/columns/{column_id:int}", status_code=200)
async def edit(request: Request[Any, Any, Any], column_id: FromPath[int]) -> Response[str]:
    me = me_of(request)
    column, project = await column_for(me, column_id, write=True)
    form = Form(await request.form())
    data = read_column_form(form)
    if not form.ok:
        message = next(iter(form.errors.values()))
        return fragment_response("", 422, toast=_("Column not saved: %(why)s", why=message))
    await edit_column(column, me, data, hub_of(request))
    return fragment_response(await board_state(project, me))


@post("/columns/{column_id:int}/move", status_code=200)
async def move(request: Request[Any, Any, Any], column_id: FromPath[int]) -> Response[str]:
    me = me_of(request)
    column, project = await column_for(me, column_id, write=True)
    form = Form(await request.form())
    before_id = form.id("before_id", required=False)
    if not form.ok:
        return fragment_response(await board_state(project, me), 422, toast=_("That move could not be understood."))
    await move_column(column, me, before_id, hub_of(request))
    return fragment_response(await board_state(project, me))


@post("/columns/{column_id:int}/archive", status_code=200)
async def archive(request: Request[Any, Any, Any], column_id: FromPath[int]) -> Response[str]:
    me = me_of(request)
    column, project = await column_for(me, column_id, write=True)
    try:
        await archive_column(column, me, hub_of(request))
    except ColumnNotEmpty:
        message = _("%(column)s still has cards. Move or archive them first.", column=column["name"])
        return fragment_response("", 409, toast=message)
    return fragment_response(await board_state(project, me))


ROUTES = [create, edit, move, archive]
