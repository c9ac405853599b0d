"""Reads of My work: the open cards assigned to a person on the projects they may see, the hours
they logged today and this week against their weekly capacity, and the plans of their projects
waiting for the client's review."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from piccolo.query.functions.aggregate import Sum

from server.kernel.access import visible_projects
from server.rules import mywork
from server.rules.days import period_bounds
from server.rules.policy import Actor
from server.rules.sprints import ReviewState
from server.tables import Membership, Project, Sprint, Task, TaskAssignee, TaskLabel, TimeEntry


@dataclass
class MyCard:
    """A card on My work: where it lives (client, project, column) and what it says about when."""

    id: int
    number: int
    title: str
    key: str
    project_id: int
    project_name: str
    client_name: str
    column_name: str
    due_on: date | None
    in_current_sprint: bool
    sprint_name: str = ""
    labels: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return f"{self.key}-{self.number}"


async def project_ids_of(me: Actor) -> list[int]:
    """The open projects this person may see (the access rule's own query)."""
    return [row["id"] for row in await visible_projects(me)]


async def my_cards(me: Actor, project_ids: list[int], today: date) -> list[MyCard]:
    """The person's open cards: assigned to them, on a project they may see, not archived, in a live
    column that is not a done one (done work is no longer theirs to do)."""
    if not project_ids:
        return []
    mine = TaskAssignee.select(TaskAssignee.task).where(TaskAssignee.person == me.id)
    rows = (
        await Task.select(
            Task.id,
            Task.number,
            Task.title,
            Task.due_on,
            Task.project,
            Task.project.key.as_alias("key"),
            Task.project.name.as_alias("project_name"),
            Task.project._.client._.name.as_alias("client_name"),
            Task.column._.name.as_alias("column_name"),
            Task.sprint.name.as_alias("sprint_name"),
            Task.sprint.state.as_alias("sprint_state"),
            Task.sprint.starts_on.as_alias("sprint_starts_on"),
            Task.sprint.ends_on.as_alias("sprint_ends_on"),
        )
        .where(
            Task.id.is_in(mine)
            & Task.project.is_in(project_ids)
            & Task.archived.eq(False)
            & Task.column._.archived.eq(False)
            & Task.column._.is_done.eq(False)
        )
        .order_by(Task.project.name)
        .order_by(Task.number)
    )
    cards = [
        MyCard(
            id=row["id"],
            number=row["number"],
            title=row["title"],
            key=row["key"],
            project_id=row["project"],
            project_name=row["project_name"],
            client_name=row["client_name"],
            column_name=row["column_name"],
            due_on=row["due_on"],
            in_current_sprint=mywork.is_current_sprint(
                row["sprint_state"], row["sprint_starts_on"], row["sprint_ends_on"], today
            ),
            sprint_name=row["sprint_name"] or "",
        )
        for row in rows
    ]
    labels = await _labels_of([card.id for card in cards])
    for card in cards:
        card.labels = labels.get(card.id, [])
    return cards


async def _labels_of(task_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    if not task_ids:
        return {}
    rows = (
        await TaskLabel.select(
            TaskLabel.task, TaskLabel.label.name.as_alias("name"), TaskLabel.label.color.as_alias("color")
        )
        .where(TaskLabel.task.is_in(task_ids))
        .order_by(TaskLabel.label.name)
    )
    labels: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        labels[row["task"]].append({"name": row["name"], "color": row["color"]})
    return labels


@dataclass(frozen=True)
class Hours:
    """What the person logged (stopped entries, as the timesheet counts them) and what they can give."""

    today: int  # minutes
    week: int  # minutes
    capacity: int | None  # minutes a week: the weekly hours of their projects that plan by capacity
    capacity_projects: list[dict[str, Any]]  # those projects: name, hours

    @property
    def load(self) -> int | None:
        """The week's logged time as a share of capacity (can pass 100)."""
        return round(100 * self.week / self.capacity) if self.capacity else None


async def _logged(person_id: int, start: datetime, end: datetime) -> int:
    row = await (
        TimeEntry.select(Sum(TimeEntry.minutes, alias="minutes"))
        .where(
            (TimeEntry.person == person_id)
            & TimeEntry.ended_at.is_not_null()
            & (TimeEntry.started_at >= start)
            & (TimeEntry.started_at < end)
        )
        .first()
    )
    return int(row["minutes"] or 0) if row else 0


async def my_hours(me: Actor, project_ids: list[int], today: date, week: mywork.Week, tz: str) -> Hours:
    """Logged today and this week (entries count on the local day they start, as on the timesheet),
    against the weekly hours each of my projects plans per member (Project.weekly_capacity_hours)."""
    planned = []
    if project_ids:
        member_of = Membership.select(Membership.project).where(Membership.member == me.id)
        planned = await (
            Project.select(Project.name, Project.weekly_capacity_hours.as_alias("hours"))
            .where(
                Project.id.is_in(project_ids)
                & Project.id.is_in(member_of)
                & Project.weekly_capacity_hours.is_not_null()
            )
            .order_by(Project.name)
        )
    capacity = sum(int(p["hours"]) for p in planned) * 60 if planned else None
    return Hours(
        today=await _logged(me.id, *period_bounds(today, today, tz)),
        week=await _logged(me.id, *period_bounds(week.first, week.last, tz)),
        capacity=capacity,
        capacity_projects=planned,
    )


async def waiting_plans(me: Actor, project_ids: list[int]) -> list[dict[str, Any]]:
    """Plans sent to the client for review and not yet decided, on the projects I work on (I am a
    member, or a card of it is assigned to me), oldest submission first."""
    if not project_ids:
        return []
    member_of = Membership.select(Membership.project).where(Membership.member == me.id)
    assigned = Task.select(Task.project).where(
        Task.id.is_in(TaskAssignee.select(TaskAssignee.task).where(TaskAssignee.person == me.id))
    )
    return await (
        Sprint.select(
            Sprint.id,
            Sprint.name,
            Sprint.starts_on,
            Sprint.submitted_at,
            Sprint.project.as_alias("project_id"),
            Sprint.project.name.as_alias("project_name"),
            Sprint.project._.client._.name.as_alias("client_name"),
        )
        .where(
            (Sprint.review_state == ReviewState.IN_REVIEW.value)
            & Sprint.project.is_in(project_ids)
            & (Sprint.project.is_in(member_of) | Sprint.project.is_in(assigned))
        )
        .order_by(Sprint.submitted_at)
    )
