"""Sprint pages: the project's sprints, the planning view, a sprint, its report; and the writes
(a card into or out of a sprint, goal, start, close)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.boards.store import ensure_sprints
from server.boards.writes import BoardError
from server.kernel.access import not_found, project_for, sprint_for, task_for
from server.kernel.forms import Form, OptionalQueryId
from server.kernel.i18n import _
from server.kernel.web import HTML, fragment_response, is_htmx, me_of, notice, render, see_other, today_of, tz_of
from server.realtime.hub import AGENCY, hub_of
from server.rules.policy import Actor
from server.rules.sprints import SprintState, default_sprint
from server.rules.weeks import monday_of
from server.sprints import writes
from server.sprints.charts import velocity_svg
from server.sprints.fragments import plan_fragments
from server.sprints.report_store import report_context
from server.sprints.schemas import read_card_move, read_carry_to_next, read_goal
from server.sprints.store import (
    backlog_of,
    column_names,
    plan_of,
    result_of,
    running_besides,
    sprints_of,
    totals_of,
    velocity_of,
)


@get("/projects/{project_id:int}/sprints", name="sprints")
async def sprint_list(request: Request[Any, Any, Any], project_id: FromPath[int]) -> Template:
    me = me_of(request)
    project = await project_for(me, project_id)
    today = today_of(request)
    await ensure_sprints(project_id, today)
    sprints = await sprints_of(project_id)
    bars, velocity = await velocity_of(project_id)
    return render(
        request,
        "sprints/list.html",
        nav="projects",
        project=project,
        sprints=[{**s, "figures": result_of(s)} for s in sprints],
        this_monday=monday_of(today),
        velocity=velocity,
        velocity_chart=velocity_svg(bars, velocity) if bars else None,
        can_edit=not me.is_client and not project["archived"],
    )


@get("/projects/{project_id:int}/plan", name="plan")
async def plan_page(
    request: Request[Any, Any, Any], project_id: FromPath[int], sprint: OptionalQueryId = None
) -> Template:
    me = me_of(request)
    if me.is_client:
        raise not_found()  # planning is the agency's work; clients see the sprint page
    project = await project_for(me, project_id)
    today = today_of(request)
    await ensure_sprints(project_id, today)
    sprints = await sprints_of(project_id)
    open_sprints = sorted((s for s in sprints if s["state"] != SprintState.CLOSED), key=lambda s: s["starts_on"])
    chosen = next((s for s in sprints if s["id"] == sprint), None) if sprint is not None else None
    if sprint is not None and chosen is None:
        raise not_found()
    chosen = chosen or default_sprint(sprints, today) or open_sprints[0]
    plan = await plan_of(project, chosen)
    return render(
        request,
        "sprints/plan.html",
        nav="projects",
        project=project,
        sprint=chosen,
        open_sprints=open_sprints,
        plan=plan,
        backlog=await backlog_of(project),
        names=await column_names(project_id),
        editable=not project["archived"] and chosen["state"] != SprintState.CLOSED,
        totals=await totals_of(project, plan, tz_of(request), today),
    )


async def _sprint_page(
    request: Request[Any, Any, Any], me: Actor, sprint: dict[str, Any], project: dict[str, Any], **extra: Any
) -> Template:
    client_view = me.is_client
    status = extra.pop("status_code", 200)
    return render(
        request,
        "sprints/sprint.html",
        status_code=status,
        nav="projects",
        project=project,
        sprint=sprint,
        plan=await plan_of(project, sprint, client_view=client_view),
        names=await column_names(project["id"]),
        figures=result_of(sprint),
        client_view=client_view,
        can_edit=not client_view and not project["archived"],
        other_active=await running_besides(sprint) is not None,
        errors=extra.pop("errors", {}),
        form=extra.pop("form", {}),
        **extra,
    )


@get("/sprints/{sprint_id:int}", name="sprint")
async def sprint_page(request: Request[Any, Any, Any], sprint_id: FromPath[int]) -> Template:
    me = me_of(request)
    sprint, project = await sprint_for(me, sprint_id)
    return await _sprint_page(request, me, sprint, project)


@get("/sprints/{sprint_id:int}/report", name="sprint-report")
async def sprint_report(request: Request[Any, Any, Any], sprint_id: FromPath[int]) -> Template:
    me = me_of(request)
    sprint, project = await sprint_for(me, sprint_id)
    context = await report_context(sprint, tz_of(request), today_of(request))
    carried = (context["figures"] or {}).get("carried_ids") or []
    return render(
        request,
        "sprints/report.html",
        nav="projects",
        project=project,
        sprint=sprint,
        client_view=me.is_client,
        carried_count=len(carried),
        **context,
    )


@post("/sprints/{sprint_id:int}/goal", status_code=200)
async def set_goal(request: Request[Any, Any, Any], sprint_id: FromPath[int]) -> Template | Redirect:
    me = me_of(request)
    sprint, project = await sprint_for(me, sprint_id, write=True)
    form = Form(await request.form())
    goal = read_goal(form)
    if not form.ok:
        return await _sprint_page(request, me, sprint, project, status_code=422, errors=form.errors, form=form.raw)
    await writes.set_goal(sprint, me, goal, hub_of(request))
    notice(request, _("Goal saved."))
    return see_other(f"/sprints/{sprint_id}")


@post("/sprints/{sprint_id:int}/start", status_code=200)
async def start_sprint(request: Request[Any, Any, Any], sprint_id: FromPath[int]) -> Template | Redirect:
    me = me_of(request)
    sprint, project = await sprint_for(me, sprint_id, write=True)
    try:
        await writes.start(sprint, me, hub_of(request))
    except BoardError as error:
        return await _sprint_page(request, me, sprint, project, status_code=error.status, errors={"state": str(error)})
    notice(request, _("%(name)s started. The board now shows this sprint.", name=sprint["name"]))
    return see_other(f"/sprints/{sprint_id}")


@post("/sprints/{sprint_id:int}/close", status_code=200)
async def close_sprint(request: Request[Any, Any, Any], sprint_id: FromPath[int]) -> Template | Redirect:
    me = me_of(request)
    sprint, project = await sprint_for(me, sprint_id, write=True)
    form = Form(await request.form())
    carry_to_next = read_carry_to_next(form)
    if not form.ok:
        return await _sprint_page(request, me, sprint, project, status_code=422, errors=form.errors, form=form.raw)
    try:
        await writes.close(sprint, me, carry_to_next=carry_to_next, tz=tz_of(request), announcer=hub_of(request))
    except BoardError as error:
        return await _sprint_page(request, me, sprint, project, status_code=error.status, errors={"state": str(error)})
    notice(request, _("%(name)s closed.", name=sprint["name"]))
    return see_other(f"/sprints/{sprint_id}/report")


@post("/tasks/{task_id:int}/sprint", status_code=200)
async def move_card(request: Request[Any, Any, Any], task_id: FromPath[int]) -> Response[str] | Redirect:
    """A card into a sprint (`sprint_id`) or back to the backlog (empty)."""
    me = me_of(request)
    task, project = await task_for(me, task_id, write=True)
    form = Form(await request.form())
    move = read_card_move(form)
    if not form.ok:
        return fragment_response("", 422, toast=_("Choose a sprint of this project."))
    tz, today = tz_of(request), today_of(request)
    touched = {s for s in (task["sprint"], move.sprint_id) if s}
    try:
        change = await writes.move_to_sprint(task, me, move.sprint_id, hub_of(request), version=move.version)
    except BoardError as error:
        return fragment_response(await plan_fragments(project, touched, tz, today), error.status, toast=str(error))
    html = await plan_fragments(project, touched, tz, today)
    if change is not None:
        hub_of(request).to_board(project["id"], html, audiences=[AGENCY])
    if not is_htmx(request):
        return see_other(f"/projects/{project['id']}/plan" + (f"?sprint={move.sprint_id}" if move.sprint_id else ""))
    return Response(html, media_type=HTML)


ROUTES = [sprint_list, plan_page, sprint_page, sprint_report, set_goal, start_sprint, close_sprint, move_card]
