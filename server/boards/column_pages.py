"""Columns of a board: add, edit (name, WIP limit, done flag), reorder and archive."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request, Response, post
from litestar.params import FromPath

from server.boards.changes import Announcer, board_change
from server.boards.pages import current_state
from server.boards.writes import place_among
from server.kernel.access import column_for, project_for
from server.kernel.db import values_of
from server.kernel.forms import Form
from server.kernel.i18n import _
from server.kernel.web import fragment_response, me_of
from server.realtime.hub import AGENCY, CLIENT, hub_of, render_update
from server.rules import rank
from server.rules.policy import Actor
from server.tables import BoardColumn, Task


@dataclass
class ColumnInput:
    name: str
    wip_limit: int | None
    wip_strict: bool
    is_done: bool


def read_column_form(form: Form) -> ColumnInput:
    return ColumnInput(
        name=form.text("name", max_length=100),
        wip_limit=form.integer("wip_limit", minimum=1, maximum=999),
        wip_strict=form.boolean("wip_strict"),
        is_done=form.boolean("is_done"),
    )


async def _ordered(project_id: int, without: int | None = None) -> list[dict[str, Any]]:
    query = BoardColumn.select(BoardColumn.id, BoardColumn.rank).where(
        (BoardColumn.project == project_id) & BoardColumn.archived.eq(False)
    )
    if without is not None:
        query = query.where(BoardColumn.id != without)
    return await query.order_by(BoardColumn.rank).order_by(BoardColumn.id)


async def add_column(project_id: int, actor: Actor, name: str, announcer: Announcer) -> int:
    async with board_change(project_id, actor, announcer) as change:
        columns = await _ordered(project_id)
        key = rank.between(columns[-1]["rank"] if columns else None, None)
        rows = await BoardColumn.insert(BoardColumn(project=project_id, name=name, rank=key)).returning(BoardColumn.id)
        change.layout = True
        change.log("column_added", column=rows[0]["id"], name=name)
    return int(rows[0]["id"])


async def edit_column(column: dict[str, Any], actor: Actor, data: ColumnInput, announcer: Announcer) -> None:
    async with board_change(column["project"], actor, announcer) as change:
        await BoardColumn.update(values_of(data)).where(BoardColumn.id == column["id"])
        change.columns.add(column["id"])
        change.log("column_edited", column=column["id"], name=data.name)


async def move_column(column: dict[str, Any], actor: Actor, before_id: int | None, announcer: Announcer) -> None:
    async with board_change(column["project"], actor, announcer) as change:
        others = await _ordered(column["project"], without=column["id"])
        ids = [c["id"] for c in others]
        slot = ids.index(before_id) if before_id in ids else len(ids)
        key = await place_among(BoardColumn, others, slot)
        await BoardColumn.update({BoardColumn.rank: key}).where(BoardColumn.id == column["id"])
        change.layout = True
        change.log("column_moved", column=column["id"])


class ColumnNotEmpty(Exception):
    pass


async def archive_column(column: dict[str, Any], actor: Actor, announcer: Announcer) -> None:
    async with board_change(column["project"], actor, announcer) as change:
        if await Task.exists().where((Task.column == column["id"]) & Task.archived.eq(False)):
            raise ColumnNotEmpty
        await BoardColumn.update({BoardColumn.archived: True}).where(BoardColumn.id == column["id"])
        change.layout = True
        change.log("column_archived", column=column["id"], name=column["name"])


@post("/projects/{project_id:int}/columns", status_code=200)
async def create(request: Request[Any, Any, Any], project_id: FromPath[int]) -> Response[str]:
    me = me_of(request)
    await project_for(me, project_id, write=True)
    form = Form(await request.form())
    name = form.text("name", max_length=100)
    if not form.ok:
        return fragment_response("", 422, toast=_("Column not added: %(why)s", why=form.errors["name"]))
    await add_column(project_id, me, name, hub_of(request))
    return fragment_response(await board_state(project_id, me))


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
    return fragment_response(await current_state(project, me, {column_id}))


@post("/columns/{column_id:int}/move", status_code=200)
async def move(request: Request[Any, Any, Any], column_id: FromPath[int]) -> Response[str]:
    me = me_of(request)
    column, project = await column_for(me, column_id, write=True)
    form = Form(await request.form())
    before_id = form.id("before_id", required=False)
    if not form.ok:
        return fragment_response(
            await board_state(project["id"], me), 422, toast=_("That move could not be understood.")
        )
    await move_column(column, me, before_id, hub_of(request))
    return fragment_response(await board_state(project["id"], me))


@post("/columns/{column_id:int}/archive", status_code=200)
async def archive(request: Request[Any, Any, Any], column_id: FromPath[int]) -> Response[str]:
    me = me_of(request)
    column, project = await column_for(me, column_id, write=True)
    try:
        await archive_column(column, me, hub_of(request))
    except ColumnNotEmpty:
        message = _("%(column)s still has cards. Move or archive them first.", column=column["name"])
        return fragment_response("", 409, toast=message)
    return fragment_response(await board_state(project["id"], me))


async def board_state(project_id: int, me: Actor) -> str:
    """The whole column layout, as it is now (after a layout change)."""
    project = await project_for(me, project_id)
    return await render_update(
        project, project["event_seq"], CLIENT if me.is_client else AGENCY, columns=set(), card_ids=set(), layout=True
    )


ROUTES = [create, edit, move, archive]
