"""Board pages: the board, quick add, moves, and the polling fallback."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from server.boards import live_store, store
from server.boards.changes import Kept
from server.boards.fragments import audience_of, card_where_it_is, catch_up, change_answer
from server.boards.schemas import read_title
from server.boards.writes import BoardError, create_task, move_task
from server.kernel.access import project_for, task_for
from server.kernel.forms import Form, QuerySeq
from server.kernel.i18n import _
from server.kernel.web import fragment_response, me_of, render, today_of
from server.realtime.hub import hub_of

SPRINT_FILTERS = ("active", "backlog", "all")


async def sprint_filter(request: Request[Any, Any, Any], project_id: int, wanted: str | None) -> dict[str, Any]:
    """Which cards the board shows: the active sprint's by default (all when none is active), the
    backlog, or all. Applied by CSS on each card's data-sprint, so it survives live swaps, which
    render cards once for every viewer whatever their filter."""
    await store.ensure_sprints(project_id, today_of(request))
    active = await store.active_sprint(project_id)
    chosen = wanted if wanted in SPRINT_FILTERS else ("active" if active else "all")
    if chosen == "active" and active is None:
        chosen = "all"
    return {"active_sprint": active, "sprint_filter": chosen}


@get("/projects/{project_id:int}", name="board")
async def board_page(
    request: Request[Any, Any, Any], project_id: FromPath[int], sprint: FromQuery[str | None] = None
) -> Template:
    me = me_of(request)
    project = await project_for(me, project_id)
    context = await store.board_context(me, project)
    viewers = await live_store.viewers(hub_of(request), project_id)
    filtering = await sprint_filter(request, project_id, sprint)
    return render(request, "boards/board.html", nav="projects", viewers=viewers, **context, **filtering)


@post("/projects/{project_id:int}/tasks", status_code=200)
async def quick_add(request: Request[Any, Any, Any], project_id: FromPath[int]) -> Response[str]:
    me = me_of(request)
    project = await project_for(me, project_id, write=True)
    form = Form(await request.form())
    title = read_title(form)
    column_id = form.id("column_id")
    sprint_id = await store.open_sprint_of(project_id, form.id("sprint_target", required=False))
    if not form.ok or column_id is None:
        message = form.errors.get("title") or form.errors.get("sprint_target") or _("Choose a column.")
        return fragment_response("", 422, toast=_("Card not added: %(why)s", why=message))
    told = Kept(hub_of(request))
    try:
        await create_task(project, me, column_id, title, told, sprint_id=sprint_id)
    except BoardError as error:
        return fragment_response("", error.status, toast=str(error))
    assert told.change is not None
    return event_answer(await change_answer(told.change, me), told.change.seq)


@post("/tasks/{task_id:int}/move", status_code=200)
async def move(request: Request[Any, Any, Any], task_id: FromPath[int]) -> Response[str]:
    """A card dropped somewhere. The browser has already moved it on screen; the answer is the
    move's event (the card and both columns' counters) or, refused, the card put back where it is."""
    me = me_of(request)
    task, project = await task_for(me, task_id, write=True)
    form = Form(await request.form())
    column_id = form.id("column_id")
    before_id = form.id("before_id", required=False)
    version = form.integer("version", minimum=1, required=True)
    if not form.ok or column_id is None or version is None:
        state = await card_where_it_is(project, me, task_id)
        return fragment_response(state, 422, toast=_("That move could not be understood. The board was reloaded."))
    try:
        change = await move_task(
            task, me, column_id=column_id, before_id=before_id, version=version, announcer=hub_of(request)
        )
    except BoardError as error:
        return fragment_response(await card_where_it_is(project, me, task_id), error.status, toast=str(error))
    return event_answer(await change_answer(change, me), change.seq)


def event_answer(html: str, seq: int) -> Response[str]:
    """A write's own event, unnumbered, for the writer's browser. The header says which event it is:
    a browser that already applied it from its websocket (and maybe later ones) leaves it be."""
    response = fragment_response(html)
    response.headers["X-Board-Event"] = str(seq)
    return response


@get("/projects/{project_id:int}/changes", name="board-changes")
async def changes(request: Request[Any, Any, Any], project_id: FromPath[int], after: QuerySeq = -1) -> Response[str]:
    """The polling fallback: 304 and no work beyond one read when nothing changed since `after`."""
    me = me_of(request)
    project = await project_for(me, project_id)
    html = await catch_up(project, after, audience_of(me))
    if html is None:
        return Response("", status_code=304)
    return fragment_response(html)


ROUTES = [board_page, quick_add, move, changes]
