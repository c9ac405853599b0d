"""The client review's steps, each one board change with its Activity row: a member submits the
week's plan, the client approves it (as they saw it) or asks for changes, anyone on the project
comments. After a step commits, its news goes out (fragments.publish_review)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from server.boards.changes import board_change
from server.kernel.i18n import _
from server.realtime.hub import BoardHub
from server.rules.policy import Actor
from server.rules.review import ReviewError, changes_since, check_decision, check_submit, fingerprint, snapshot
from server.rules.sprints import ReviewState
from server.sprints.fragments import publish_review
from server.sprints.review_store import APPROVED, CHANGES_REQUESTED, COMMENTED, SUBMITTED, planned
from server.sprints.store import as_json, plan_of, sprint_row
from server.tables import Comment, Sprint


async def _current(sprint_id: int) -> dict[str, Any]:
    sprint = await sprint_row(sprint_id)
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
    await publish_review(hub, project["id"], sprint_id)


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
    await publish_review(hub, project["id"], sprint_id)


async def add_comment(
    project: dict[str, Any], sprint: dict[str, Any], me: Actor, hub: BoardHub, body: str, visibility: str
) -> None:
    async with board_change(project["id"], me, hub) as change:
        await Comment.insert(Comment(sprint=sprint["id"], author=me.id, body=body, visibility=visibility))
        change.log(COMMENTED, sprint=sprint["id"], name=sprint["name"], visibility=visibility)
