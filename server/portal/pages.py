"""The client portal's pages: the overview (/portal), the nav's count of plans awaiting review, and
hours logged per week on one project. Only a client's users have a portal; to the agency these
pages do not exist (404), except a project's hours, which its people may preview."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import MediaType, Request, get
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath
from litestar.response import Template

from server.budgets.alert_store import client_budgets
from server.kernel.access import not_found, project_for, visible_projects
from server.kernel.web import me_of, render, today_of, tz_of
from server.portal.store import recent_sprints
from server.rules.policy import Actor
from server.rules.visibility import client_sees, seen_by
from server.sprints.hours_store import hours_by_week
from server.sprints.review_store import pending_for_client


def clients_only(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
    user = connection.scope.get("user")
    if not isinstance(user, Actor) or not user.is_client or user.client_id is None:
        raise not_found()


@get("/portal", name="portal", guards=[clients_only])
async def overview(request: Request[Any, Any, Any]) -> Template:
    me = me_of(request)
    assert me.client_id is not None
    projects = await visible_projects(me)
    ids = [p["id"] for p in projects]
    return render(
        request,
        "portal/index.html",
        nav="portal",
        projects=projects,
        sprints=await recent_sprints(ids),
        pending=await pending_for_client(me.client_id),
        # Hours against the hours budget, where the agency shows it (never money: budgets.ClientBudget)
        budgets=await client_budgets(ids, today_of(request)),
    )


@get("/portal/pending-count", guards=[clients_only], media_type=MediaType.HTML)
async def pending_count(request: Request[Any, Any, Any]) -> Template:
    me = me_of(request)
    assert me.client_id is not None
    return render(request, "portal/_badge.html", count=len(await pending_for_client(me.client_id)))


@get("/portal/projects/{project_id:int}/hours", name="portal-hours")
async def project_hours(request: Request[Any, Any, Any], project_id: FromPath[int]) -> Template:
    """Hours per week, total and per person: no rates, no amounts, no notes. A project that keeps its
    hours from the client has no such page for them, and one that keeps its people shows no names."""
    me = me_of(request)
    project = await project_for(me, project_id)
    seen = seen_by(me, project)
    if not seen.hours:
        raise not_found()
    weeks = await hours_by_week(project_id, tz_of(request), datetime.now(UTC).date())
    return render(
        request,
        "portal/hours.html",
        nav="portal" if me.is_client else "projects",
        project=project,
        weeks=weeks,
        total=sum(w.minutes for w in weeks),
        seen=seen,
        client_seen=client_sees(project),
    )


ROUTES = [overview, pending_count, project_hours]
