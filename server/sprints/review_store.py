"""The client review of a weekly plan, read and written: what the review page, the review box and
the share page show (`review_of`), each review step as one board change with its Activity row, and
the live news each step sends (the agency's box and badge, the client's portal list and count)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from server.boards.card_store import comment_rows
from server.boards.changes import board_change
from server.kernel.i18n import _
from server.kernel.templating import render_fragment
from server.portal.store import minutes_in_week
from server.realtime.hub import AGENCY, CLIENT, BoardHub
from server.rules.markdown import render as markdown
from server.rules.policy import Actor
from server.rules.review import (
    PlanChange,
    PlannedCard,
    ReviewError,
    changes_since,
    check_decision,
    check_submit,
    fingerprint,
    snapshot,
    state_label,
)
from server.rules.sprints import ReviewState
from server.sprints.store import Plan, plan_of
from server.tables import Activity, Client, Comment, Membership, Project, Sprint, Task, User

SUBMITTED, APPROVED, CHANGES_REQUESTED, COMMENTED = (
    "sprint_submitted",
    "sprint_approved",
    "sprint_changes_requested",
    "sprint_commented",
)
VERBS = (SUBMITTED, APPROVED, CHANGES_REQUESTED, COMMENTED)


def as_json(value: Any) -> Any:
    """A JSON column's value: SQLite hands back the text, PostgreSQL may too."""
    return json.loads(value) if isinstance(value, str) else (value or {})


def planned(plan: Plan) -> list[PlannedCard]:
    return [PlannedCard(c.id, c.title, c.estimate_minutes) for c in plan.cards]


@dataclass
class Review:
    """A sprint's plan as its client sees it, and where its review stands."""

    project: dict[str, Any]
    sprint: dict[str, Any]
    plan: Plan
    client_name: str = ""
    submitted_by: str = ""
    reviewer: str = ""
    changes: list[PlanChange] = field(default_factory=list)
    descriptions: dict[int, str] = field(default_factory=dict)
    comments: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    last_week: dict[str, Any] | None = None

    @property
    def state(self) -> str:
        return str(self.sprint["review_state"])

    @property
    def label(self) -> str:
        return state_label(self.state)

    @property
    def fingerprint(self) -> str:
        return fingerprint(planned(self.plan))

    @property
    def changed_since_approval(self) -> bool:
        return self.state == ReviewState.APPROVED and bool(self.changes)

    @property
    def can_submit(self) -> bool:
        """Whether the agency's Submit / Resubmit button applies (the server checks again)."""
        if self.project["archived"] or self.sprint["state"] == "closed" or not self.plan.cards:
            return False
        return self.state in (ReviewState.DRAFT, ReviewState.CHANGES_REQUESTED) or self.changed_since_approval

    @property
    def awaiting_client(self) -> bool:
        return self.state == ReviewState.IN_REVIEW


async def _names(*user_ids: int | None) -> dict[int, str]:
    ids = [i for i in user_ids if i]
    if not ids:
        return {}
    return {r["id"]: r["name"] for r in await User.select(User.id, User.name).where(User.id.is_in(ids))}


async def review_of(
    project: dict[str, Any], sprint: dict[str, Any], *, client_view: bool, tz: str = "UTC", details: bool = True
) -> Review:
    """The review as shown; `details` adds descriptions, comments, history and last week's result
    (the box pushed live needs none of them)."""
    plan = await plan_of(project, sprint, client_view=True)
    names = await _names(sprint["submitted_by"], sprint["reviewer"])
    client = await Client.select(Client.name).where(Client.id == project["client"]).first()
    review = Review(
        project=project,
        sprint=sprint,
        plan=plan,
        client_name=client["name"] if client else "",
        submitted_by=names.get(sprint["submitted_by"] or 0, ""),
        reviewer=names.get(sprint["reviewer"] or 0, ""),
    )
    if sprint["review_state"] == ReviewState.APPROVED:
        review.changes = changes_since(as_json(sprint["approved_plan"]), planned(plan))
    if details:
        review.descriptions = await _descriptions([c.id for c in plan.cards])
        review.comments = await comments_of(sprint["id"], client_view=client_view)
        review.history = await history_of(project["id"], sprint["id"], client_view=client_view)
        review.last_week = await last_week_of(project["id"], sprint, tz)
    return review


async def _descriptions(task_ids: list[int]) -> dict[int, str]:
    if not task_ids:
        return {}
    rows = await Task.select(Task.id, Task.description).where(Task.id.is_in(task_ids))
    return {r["id"]: markdown(r["description"]) for r in rows if r["description"].strip()}


async def comments_of(sprint_id: int, *, client_view: bool) -> list[dict[str, Any]]:
    return await comment_rows(Comment.sprint == sprint_id, client_view=client_view)


async def history_of(project_id: int, sprint_id: int, *, client_view: bool) -> list[dict[str, Any]]:
    """The review's steps from the activity log: who did what, when (internal comments hidden from clients)."""
    rows = (
        await Activity.select(Activity.verb, Activity.data, Activity.at, Activity.actor.name.as_alias("actor_name"))
        .where((Activity.project == project_id) & Activity.verb.is_in(list(VERBS)))
        .order_by(Activity.seq)
    )
    steps = []
    for row in rows:
        data = as_json(row["data"])
        if data.get("sprint") != sprint_id:
            continue
        if client_view and row["verb"] == COMMENTED and data.get("visibility") != "client":
            continue
        steps.append({**row, "data": data})
    return steps


async def last_week_of(project_id: int, sprint: dict[str, Any], tz: str) -> dict[str, Any]:
    """The previous week's closed result if it has one, else the hours logged on the project that week."""
    monday: date = sprint["starts_on"] - timedelta(days=7)
    before = (
        await Sprint.select(Sprint.state, Sprint.result, Sprint.name)
        .where((Sprint.project == project_id) & (Sprint.starts_on == monday))
        .first()
    )
    if before and before["state"] == "closed":
        result = as_json(before["result"])
        return {
            "kind": "result",
            "name": before["name"],
            "planned_minutes": int(result.get("planned_minutes") or 0),
            "completed_minutes": int(result.get("completed_minutes") or 0),
            "carried": _count(result.get("carried")),
            "logged_minutes": int(result.get("logged_minutes") or 0),
        }
    return {"kind": "hours", "monday": monday, "minutes": await minutes_in_week(project_id, tz, monday)}


def _count(value: Any) -> int:
    """Cards carried over: recorded as a number (or, by older closes, as the list of cards)."""
    return len(value) if isinstance(value, list | tuple) else int(value or 0)


# ---- writes: one board change each ---------------------------------------------------------


async def _current(sprint_id: int) -> dict[str, Any]:
    sprint = await Sprint.select().where(Sprint.id == sprint_id).first()
    if sprint is None:
        raise ReviewError("gone", status=404)
    return sprint


async def submit(project: dict[str, Any], sprint_id: int, me: Actor, hub: BoardHub) -> None:
    """The plan goes to the client: in review, any earlier decision cleared."""
    async with board_change(project["id"], me, hub) as change:
        sprint = await _current(sprint_id)  # read after the board's lock: no concurrent step sneaks in
        cards = planned(await plan_of(project, sprint, client_view=True))
        changed = bool(changes_since(as_json(sprint["approved_plan"]), cards))
        check_submit(sprint["review_state"], sprint["state"], len(cards), changed)
        await Sprint.update(
            {
                Sprint.review_state: ReviewState.IN_REVIEW.value,
                Sprint.submitted_by: me.id,
                Sprint.submitted_at: datetime.now(UTC),
                Sprint.reviewer: None,
                Sprint.reviewed_at: None,
                Sprint.review_note: "",
            }
        ).where(Sprint.id == sprint_id)
        resubmitted = sprint["review_state"] != ReviewState.DRAFT
        change.log(
            SUBMITTED,
            sprint=sprint_id,
            name=sprint["name"],
            cards=len(cards),
            estimate_minutes=sum(c.estimate_minutes or 0 for c in cards),
            resubmitted=resubmitted,
        )
    await publish(hub, project, sprint_id)


async def decide(
    project: dict[str, Any], sprint_id: int, me: Actor, hub: BoardHub, *, approve: bool, note: str, seen: str
) -> None:
    """The client approves the plan they saw (`seen`: its fingerprint), or asks for changes."""
    async with board_change(project["id"], me, hub) as change:
        sprint = await _current(sprint_id)
        check_decision(sprint["review_state"])
        cards = planned(await plan_of(project, sprint, client_view=True))
        if approve and seen and seen != fingerprint(cards):
            raise ReviewError(
                _("The plan changed while you were reading it. Here it is as it stands now: please review it again.")
            )
        values: dict[Any, Any] = {
            Sprint.review_state: (ReviewState.APPROVED if approve else ReviewState.CHANGES_REQUESTED).value,
            Sprint.reviewer: me.id,
            Sprint.reviewed_at: datetime.now(UTC),
            Sprint.review_note: note,
        }
        if approve:
            values[Sprint.approved_plan] = snapshot(cards)
        await Sprint.update(values).where(Sprint.id == sprint_id)
        change.log(APPROVED if approve else CHANGES_REQUESTED, sprint=sprint_id, name=sprint["name"], note=note[:500])
    await publish(hub, project, sprint_id)


async def add_comment(
    project: dict[str, Any], sprint: dict[str, Any], me: Actor, hub: BoardHub, body: str, visibility: str
) -> None:
    async with board_change(project["id"], me, hub) as change:
        await Comment.insert(Comment(sprint=sprint["id"], author=me.id, body=body, visibility=visibility))
        change.log(COMMENTED, sprint=sprint["id"], name=sprint["name"], visibility=visibility)


# ---- live news -------------------------------------------------------------------------------


async def pending_for_client(client_id: int) -> list[dict[str, Any]]:
    """Plans of the client's shared projects waiting for their review, oldest submission first."""
    return await (
        Sprint.select(
            Sprint.id,
            Sprint.name,
            Sprint.goal,
            Sprint.submitted_at,
            Sprint.project.name.as_alias("project_name"),
            Sprint.project.key.as_alias("project_key"),
        )
        .where(
            (Sprint.project.client == client_id)
            & (Sprint.project.shared_with_client == True)  # noqa: E712 (a SQL comparison)
            & (Sprint.project.archived == False)  # noqa: E712
            & (Sprint.review_state == ReviewState.IN_REVIEW.value)
        )
        .order_by(Sprint.submitted_at)
        .order_by(Sprint.id)
    )


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


async def agency_people(project_id: int) -> list[int]:
    members = Membership.select(Membership.member).where(Membership.project == project_id)
    rows = await User.select(User.id).where(User.active.eq(True) & ((User.role == "admin") | User.id.is_in(members)))
    return [r["id"] for r in rows]


async def publish(hub: BoardHub, project: dict[str, Any], sprint_id: int) -> None:
    """After commit: the agency's box to the board and to each of its people's pages (the sprint
    page has no board socket of its own), the client's box and portal news to the client."""
    fresh = await Project.select().where(Project.id == project["id"]).first()
    sprint = await Sprint.select().where(Sprint.id == sprint_id).first()
    if fresh is None or sprint is None:
        return
    review = await review_of(fresh, sprint, client_view=False, details=False)
    agency_html = review_fragments(review, AGENCY)
    hub.channels.publish(agency_html, hub.channel(fresh["id"], AGENCY))
    for user_id in await agency_people(fresh["id"]):
        hub.to_user(user_id, agency_html)
    if fresh["shared_with_client"]:
        client_html = review_fragments(review, CLIENT)
        hub.channels.publish(client_html, hub.channel(fresh["id"], CLIENT))
        pending = await pending_for_client(fresh["client"])
        hub.to_client(fresh["client"], client_html + client_news(pending))
