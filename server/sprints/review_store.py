"""Reading the client review of a weekly plan: what the review page, the review box and the share
page show (`review_of`: the plan, where its review stands, what changed since the approval, its
comments and history, last week's result), and who hears of a step (the plans awaiting a client's
review, the agency's people on a project)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from server.boards.card_store import comment_rows
from server.kernel.i18n import _
from server.rules.markdown import render as markdown
from server.rules.policy import Role
from server.rules.review import PlanChange, PlannedCard, changes_since, fingerprint, state_label
from server.rules.sprints import ReviewState, SprintState
from server.rules.visibility import EVERYTHING, Seen, client_sees
from server.sprints.hours_store import minutes_in_week
from server.sprints.store import Plan, as_json, plan_of
from server.tables import Activity, Client, Comment, Membership, Sprint, Task, User

# The review's steps in the activity log.
SUBMITTED, APPROVED, CHANGES_REQUESTED, COMMENTED = (
    "sprint_submitted",
    "sprint_approved",
    "sprint_changes_requested",
    "sprint_commented",
)
VERBS = (SUBMITTED, APPROVED, CHANGES_REQUESTED, COMMENTED)


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
        if self.project["archived"] or self.sprint["state"] == SprintState.CLOSED or not self.plan.cards:
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
    (the box pushed live needs none of them). The plan is the client's: never an internal card; and
    for the client's people, without the hours or the agency's names their project keeps from them."""
    seen = client_sees(project) if client_view else EVERYTHING
    plan = await plan_of(project, sprint, client_view=True)
    names = await _names(sprint["submitted_by"], sprint["reviewer"])
    client = await Client.select(Client.name).where(Client.id == project["client"]).first()
    review = Review(
        project=project,
        sprint=sprint,
        plan=plan,
        client_name=client["name"] if client else "",
        submitted_by=names.get(sprint["submitted_by"] or 0, "") if seen.people else "",
        reviewer=names.get(sprint["reviewer"] or 0, ""),
    )
    if sprint["review_state"] == ReviewState.APPROVED:
        review.changes = changes_since(as_json(sprint["approved_plan"]), planned(plan))
    if details:
        review.descriptions = await _descriptions([c.id for c in plan.cards])
        review.comments = await comment_rows(Comment.sprint == sprint["id"], client_view=client_view)
        review.history = await history_of(project["id"], sprint["id"], client_view=client_view, seen=seen)
        review.last_week = await last_week_of(project["id"], sprint, tz)
        if not seen.hours and review.last_week["kind"] == "hours":
            review.last_week = None
    return review


async def _descriptions(task_ids: list[int]) -> dict[int, str]:
    if not task_ids:
        return {}
    rows = await Task.select(Task.id, Task.description).where(Task.id.is_in(task_ids))
    return {r["id"]: markdown(r["description"]) for r in rows if r["description"].strip()}


async def history_of(
    project_id: int, sprint_id: int, *, client_view: bool, seen: Seen = EVERYTHING
) -> list[dict[str, Any]]:
    """The review's steps from the activity log: who did what, when (internal comments hidden from
    clients; the agency's names too, where the project keeps its people from them)."""
    rows = (
        await Activity.select(
            Activity.verb,
            Activity.data,
            Activity.at,
            Activity.actor.name.as_alias("actor_name"),
            Activity.actor.role.as_alias("actor_role"),
        )
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
        if not seen.people and row["actor_role"] != Role.CLIENT:
            row["actor_name"] = _("The team")
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
    if before and before["state"] == SprintState.CLOSED:
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
            & (Sprint.review_state == ReviewState.IN_REVIEW)
        )
        .order_by(Sprint.submitted_at)
        .order_by(Sprint.id)
    )


async def agency_people(project_id: int) -> list[int]:
    """The active admins and the project's members: who hears of a review step on their own pages."""
    members = Membership.select(Membership.member).where(Membership.project == project_id)
    rows = await User.select(User.id).where(User.active.eq(True) & ((User.role == Role.ADMIN) | User.id.is_in(members)))
    return [r["id"] for r in rows]
