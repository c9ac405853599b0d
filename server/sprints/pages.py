"""Sprint pages: the project's sprints, the planning view, a sprint, its report; and the writes
(a card into or out of a sprint, goal, start, close)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from piccolo.query.functions.aggregate import Sum

from server.boards.store import ensure_sprints
from server.boards.writes import BoardError
from server.kernel.access import not_found, project_for, sprint_for, task_for
from server.kernel.forms import Form
from server.kernel.i18n import _
from server.kernel.templating import render_fragment
from server.kernel.web import HTML, fragment_response, is_htmx, me_of, notice, render, see_other, tz_of
from server.realtime.hub import hub_of
from server.rules import sprints as rules
from server.rules import weeks
from server.rules.policy import Actor
from server.sprints import writes as planning
from server.sprints.charts import velocity_svg
from server.sprints.report import report_context, result_of, velocity_of
from server.sprints.store import Plan, backlog_of, plan_of, sprints_of
from server.tables import BoardColumn, Membership, Sprint, TimeEntry


def today_of(request: Request[Any, Any, Any]) -> date:
    return weeks.local_day(datetime.now(UTC), tz_of(request))


async def _logged(project_id: int, since: datetime | None = None, until: datetime | None = None) -> int:
    query = TimeEntry.select(Sum(TimeEntry.minutes, alias="minutes")).where(
        (TimeEntry.project == project_id) & TimeEntry.ended_at.is_not_null()
    )
    if since is not None and until is not None:
        query = query.where((TimeEntry.started_at >= since) & (TimeEntry.started_at < until))
    row = await query.first()
    return int((row or {}).get("minutes") or 0)


async def totals_of(project: dict[str, Any], plan: Plan, tz: str, today: date) -> dict[str, Any]:
    """The plan against the team's capacity and the project's budget, with last week's hours beside."""
    members = await Membership.count().where(Membership.project == project["id"])
    capacity = rules.capacity_minutes(members, project["weekly_capacity_hours"])
    budget_left = None
    if project["budget_hours"] is not None:
        budget_left = project["budget_hours"] * 60 - await _logged(project["id"])
    last_monday = weeks.monday_of(today) - timedelta(days=7)
    _bars, velocity = await velocity_of(project["id"])
    return {
        "planned": plan.estimate_minutes,
        "done": plan.done_minutes,
        "cards": len(plan.cards),
        "unestimated": plan.unestimated,
        "members": members,
        "capacity": capacity,
        "load": rules.load_percent(plan.estimate_minutes, capacity),
        "budget_left": budget_left,
        "budget_load": rules.load_percent(plan.estimate_minutes, budget_left) if budget_left else None,
        "last_week": await _logged(project["id"], *weeks.week_bounds(last_monday, tz)),
        "velocity": velocity,
    }


async def column_names(project_id: int) -> dict[int, str]:
    return {c["id"]: c["name"] for c in await BoardColumn.select().where(BoardColumn.project == project_id)}


async def plan_fragments(project: dict[str, Any], sprint_ids: set[int], tz: str, today: date) -> str:
    """The planning page's lists and totals as they are now, swapped in by id on every planning
    page of the project (a page showing another sprint ignores that sprint's list)."""
    names = await column_names(project["id"])
    parts = [
        render_fragment(
            "sprints/_plan_backlog.html",
            cards=await backlog_of(project),
            names=names,
            editable=True,
            oob=True,
        )
    ]
    for sprint in await Sprint.select().where(Sprint.id.is_in(list(sprint_ids) or [0])):
        plan = await plan_of(project, sprint)
        parts.append(
            render_fragment("sprints/_plan_sprint.html", sprint=sprint, plan=plan, names=names, editable=True, oob=True)
        )
        parts.append(
            render_fragment(
                "sprints/_plan_totals.html",
                sprint=sprint,
                project=project,
                totals=await totals_of(project, plan, tz, today),
                oob=True,
            )
        )
    return "".join(parts)


def _default_sprint(sprints: list[dict[str, Any]], today: date) -> dict[str, Any] | None:
    """The running sprint; else this week's if still open; else the next open one."""
    monday = weeks.monday_of(today)
    active = [s for s in sprints if s["state"] == rules.SprintState.ACTIVE]
    if active:
        return active[0]
    upcoming = sorted(
        (s for s in sprints if s["state"] == rules.SprintState.PLANNED and s["starts_on"] >= monday),
        key=lambda s: s["starts_on"],
    )
    return upcoming[0] if upcoming else None


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
        this_monday=weeks.monday_of(today),
        velocity=velocity,
        velocity_chart=velocity_svg(bars, velocity) if bars else None,
        can_edit=not me.is_client and not project["archived"],
    )


@get("/projects/{project_id:int}/plan", name="plan")
async def plan_page(
    request: Request[Any, Any, Any], project_id: FromPath[int], sprint: FromQuery[int | None] = None
) -> Template:
    me = me_of(request)
    if me.is_client:
        raise not_found()  # planning is the agency's work; clients see the sprint page
    project = await project_for(me, project_id)
    today = today_of(request)
    await ensure_sprints(project_id, today)
    sprints = await sprints_of(project_id)
    open_sprints = sorted((s for s in sprints if s["state"] != rules.SprintState.CLOSED), key=lambda s: s["starts_on"])
    chosen = next((s for s in sprints if s["id"] == sprint), None) if sprint is not None else None
    if sprint is not None and chosen is None:
        raise not_found()
    chosen = chosen or _default_sprint(sprints, today) or open_sprints[0]
    plan = await plan_of(project, chosen)
    names = await column_names(project_id)
    editable = not project["archived"] and chosen["state"] != rules.SprintState.CLOSED
    return render(
        request,
        "sprints/plan.html",
        nav="projects",
        project=project,
        sprint=chosen,
        open_sprints=open_sprints,
        plan=plan,
        backlog=await backlog_of(project),
        names=names,
        editable=editable,
        totals=await totals_of(project, plan, tz_of(request), today),
    )


async def _sprint_page(
    request: Request[Any, Any, Any], me: Actor, sprint: dict[str, Any], project: dict[str, Any], **extra: Any
) -> Template:
    client_view = me.is_client
    plan = await plan_of(project, sprint, client_view=client_view)
    status = extra.pop("status_code", 200)
    return render(
        request,
        "sprints/sprint.html",
        status_code=status,
        nav="projects",
        project=project,
        sprint=sprint,
        plan=plan,
        names=await column_names(project["id"]),
        figures=result_of(sprint),
        client_view=client_view,
        can_edit=not client_view and not project["archived"],
        other_active=await Sprint.exists().where(
            (Sprint.project == project["id"]) & (Sprint.state == "active") & (Sprint.id != sprint["id"])
        ),
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


GOAL_MAX = 1000


@post("/sprints/{sprint_id:int}/goal", status_code=200)
async def set_goal(request: Request[Any, Any, Any], sprint_id: FromPath[int]) -> Template | Redirect:
    me = me_of(request)
    sprint, project = await sprint_for(me, sprint_id, write=True)
    form = Form(await request.form())
    goal = form.text("goal", max_length=GOAL_MAX, required=False)
    if not form.ok:
        return await _sprint_page(request, me, sprint, project, status_code=422, errors=form.errors, form=form.raw)
    await planning.set_goal(sprint, me, goal, hub_of(request))
    notice(request, _("Goal saved."))
    return see_other(f"/sprints/{sprint_id}")


@post("/sprints/{sprint_id:int}/start", status_code=200)
async def start_sprint(request: Request[Any, Any, Any], sprint_id: FromPath[int]) -> Template | Redirect:
    me = me_of(request)
    sprint, project = await sprint_for(me, sprint_id, write=True)
    try:
        await planning.start(sprint, me, hub_of(request))
    except BoardError as error:
        return await _sprint_page(request, me, sprint, project, status_code=error.status, errors={"state": str(error)})
    notice(request, _("%(name)s started. The board now shows this sprint.", name=sprint["name"]))
    return see_other(f"/sprints/{sprint_id}")


@post("/sprints/{sprint_id:int}/close", status_code=200)
async def close_sprint(request: Request[Any, Any, Any], sprint_id: FromPath[int]) -> Template | Redirect:
    me = me_of(request)
    sprint, project = await sprint_for(me, sprint_id, write=True)
    form = Form(await request.form())
    carry = form.choice("carry", ("next", "backlog"))
    if not form.ok:
        return await _sprint_page(request, me, sprint, project, status_code=422, errors=form.errors, form=form.raw)
    try:
        await planning.close(sprint, me, carry_to_next=carry == "next", tz=tz_of(request), announcer=hub_of(request))
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
    sprint_id = form.id("sprint_id", required=False)
    version = form.integer("version", minimum=1)
    plan_url = f"/projects/{project['id']}/plan"
    if not form.ok:
        return fragment_response("", 422, toast=_("Choose a sprint of this project."))
    tz, today = tz_of(request), today_of(request)
    try:
        change = await planning.move_to_sprint(task, me, sprint_id, hub_of(request), version=version)
    except BoardError as error:
        touched = {s for s in (task["sprint"], sprint_id) if s}
        state = await plan_fragments(project, touched, tz, today)
        return fragment_response(state, error.status, toast=str(error))
    touched = {s for s in (task["sprint"], sprint_id) if s}
    html = await plan_fragments(project, touched, tz, today)
    if change is not None:
        hub_of(request).to_board(project["id"], html, clients=False)
    if not is_htmx(request):
        return see_other(plan_url + (f"?sprint={sprint_id}" if sprint_id else ""))
    return Response(html, media_type=HTML)


ROUTES = [sprint_list, plan_page, sprint_page, sprint_report, set_goal, start_sprint, close_sprint, move_card]
