"""The live HTML the sprints feature pushes: the planning page's lists and totals after a card moves,
and the review's news after each step (the agency's box and badge on boards and sprint pages, the
client's box, portal list and count)."""

from __future__ import annotations

from datetime import date
from typing import Any

from server.kernel.templating import render_fragment
from server.realtime.hub import AGENCY, CLIENT, BoardHub
from server.sprints.review_store import Review, agency_people, pending_for_client, review_of
from server.sprints.store import backlog_of, column_names, plan_of, project_row, sprint_row, sprints_by_id, totals_of


async def plan_fragments(project: dict[str, Any], sprint_ids: set[int], tz: str, today: date) -> str:
    """The planning page's lists and totals as they are now, swapped in by id on every planning
    page of the project (a page showing another sprint ignores that sprint's list)."""
    names = await column_names(project["id"])
    backlog = await backlog_of(project)
    parts = [render_fragment("sprints/_plan_backlog.html", cards=backlog, names=names, editable=True, oob=True)]
    for sprint in await sprints_by_id(sprint_ids):
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


def client_news(pending: list[dict[str, Any]]) -> str:
    """The portal's pending list and the nav's count, swapped out of band on every client page."""
    return render_fragment("portal/_pending.html", pending=pending, oob=True) + render_fragment(
        "portal/_badge.html", count=len(pending), oob=True
    )


def review_fragments(review: Review, viewer: str) -> str:
    """The badge (board header, sprint page) then the whole box (sprint page), both out of band."""
    return render_fragment("sprints/_review_badge.html", review=review, oob=True) + render_fragment(
        "sprints/_review.html", review=review, viewer=viewer, oob=True
    )


async def publish_review(hub: BoardHub, project_id: int, sprint_id: int) -> None:
    """After commit: the agency's box to the board and to each of its people's pages (the sprint
    page has no board socket of its own), the client's box and portal news to the client."""
    project = await project_row(project_id)
    sprint = await sprint_row(sprint_id)
    if project is None or sprint is None:
        return
    review = await review_of(project, sprint, client_view=False, details=False)
    agency_html = review_fragments(review, AGENCY)
    hub.to_board(project["id"], agency_html, audiences=[AGENCY])
    for user_id in await agency_people(project["id"]):
        hub.to_user(user_id, agency_html)
    if project["shared_with_client"]:
        client_html = review_fragments(review, CLIENT)
        hub.to_board(project["id"], client_html, audiences=[CLIENT])
        pending = await pending_for_client(project["client"])
        hub.to_client(project["client"], client_html + client_news(pending))
