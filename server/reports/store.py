"""Reading a client's monthly report: hours per project and per kind of work from the entry rollup's
task months (never the entries themselves), each project's budget as it stood at the month's end
(budgets.store's burn), the weekly plans the client approved in the month and the cards that reached
Done in it (the board's history). `report_of` draws the agency's copy or the client's
(rules.reports says what the client's keeps)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from server.budgets.store import ProjectBurn, burn_columns, project_burn, used_by_project
from server.rules.burn import month_of
from server.rules.days import period_bounds
from server.rules.reports import (
    Hours,
    Kind,
    Move,
    Sight,
    TaskTime,
    delivered,
    hours_by_kind,
    hours_by_project,
    sight_of,
    times_for_client,
    total,
)
from server.rules.sprints import ReviewState
from server.sprints.review_store import APPROVED
from server.sprints.store import as_json
from server.tables import (
    Activity,
    BoardColumn,
    Client,
    EntryRollupDay,
    EntryRollupTaskMonth,
    Project,
    Sprint,
    Task,
    TaskLabel,
    User,
)

Row = dict[str, Any]
CHUNK = 500
# The board's history verbs that put a card in a column.
PLACED = ("moved", "created")


@dataclass(frozen=True)
class ProjectLine:
    id: int
    key: str
    name: str
    hours: Hours | None  # None: the project keeps its hours from the client (the client's copy)
    budget: ProjectBurn | None  # None: no budget (or, in the client's copy, none it may see)


@dataclass(frozen=True)
class Approval:
    sprint_id: int
    project_key: str
    project_name: str
    name: str
    goal: str
    starts_on: date
    ends_on: date
    approved_at: datetime
    reviewer: str
    cards: int
    estimate_minutes: int


@dataclass(frozen=True)
class Delivery:
    task_id: int
    project_id: int
    project_key: str
    number: int
    title: str
    internal: bool
    at: datetime


@dataclass
class Report:
    client: Row
    month: date
    until: date  # the last day counted: the month's last, or today in the current month
    for_client: bool
    projects: list[ProjectLine] = field(default_factory=list)
    kinds: list[tuple[Kind, Hours]] = field(default_factory=list)
    total: Hours = field(default_factory=Hours)
    approvals: list[Approval] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    hidden_hours: list[str] = field(default_factory=list)  # projects whose hours the client's copy leaves out

    @property
    def currency(self) -> str:
        return str(self.client["currency"])

    @property
    def complete(self) -> bool:
        return self.until == month_of(self.month)[1]

    @property
    def empty(self) -> bool:
        return not (self.total.minutes or self.approvals or self.deliveries)


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(set(ids))
    for i in range(0, len(ordered), CHUNK):
        yield ordered[i : i + CHUNK]


async def client_row(client_id: int) -> Row | None:
    return await Client.select().where(Client.id == client_id).first()


async def projects_of(client_id: int) -> list[Row]:
    """The client's projects (archived too: a past month's report still names them), by name, with
    what their budgets' burn needs."""
    return await (
        Project.select(
            *burn_columns(),
            Project.archived,
            Project.shared_with_client,
            Project.client_sees_hours,
            Project.client_sees_budget,
        )
        .where(Project.client == client_id)
        .order_by(Project.name)
        .order_by(Project.id)
    )


async def first_day(client: Row) -> date:
    """The client's first day with a report: the day it was added, or the first day anything was
    logged on its projects, whichever came first (an import brings older hours)."""
    created = client["created_at"]
    first = created.date() if isinstance(created, datetime) else date.fromisoformat(str(created)[:10])
    projects = Project.select(Project.id).where(Project.client == client["id"])
    row = (
        await EntryRollupDay.select(EntryRollupDay.day)
        .where(EntryRollupDay.project.is_in(projects))
        .order_by(EntryRollupDay.day)
        .first()
    )
    if row is not None:
        day = row["day"] if isinstance(row["day"], date) else date.fromisoformat(str(row["day"])[:10])
        first = min(first, day)
    return first


async def task_times(project_ids: list[int], month: date) -> list[TaskTime]:
    """Each card's minutes, billable minutes and amount in the month, from the rollup's task months
    (summed over the summaries that billed them), with whether the card is internal and its labels."""
    if not project_ids:
        return []
    marks = ", ".join("{}" for _ in project_ids)
    rows = await EntryRollupTaskMonth.raw(
        "SELECT project, task, SUM(minutes) AS minutes, SUM(billable_minutes) AS billable_minutes,"
        " SUM(amount) AS amount FROM entry_rollup_task_month"
        f" WHERE month = {{}} AND project IN ({marks}) GROUP BY project, task",
        month,
        *project_ids,
    )
    rows = [r for r in rows if int(r["minutes"] or 0)]
    ids = [int(r["task"]) for r in rows]
    internal: set[int] = set()
    labels: dict[int, list[str]] = {}
    for chunk in _chunks(ids):
        found = await Task.select(Task.id).where(Task.id.is_in(chunk) & Task.internal.eq(True))
        internal.update(int(r["id"]) for r in found)
        named = await TaskLabel.select(TaskLabel.task, TaskLabel.label.name.as_alias("name")).where(
            TaskLabel.task.is_in(chunk)
        )
        for label in named:
            labels.setdefault(int(label["task"]), []).append(str(label["name"]))
    return [
        TaskTime(
            project_id=int(r["project"]),
            task_id=int(r["task"]),
            internal=int(r["task"]) in internal,
            labels=tuple(labels.get(int(r["task"]), ())),
            hours=Hours(int(r["minutes"] or 0), int(r["billable_minutes"] or 0), int(r["amount"] or 0)),
        )
        for r in rows
    ]


async def budgets_at(projects: list[Row], month: date, until: date) -> dict[int, ProjectBurn]:
    """Each budgeted project's burn as it stood on `until`: a monthly budget over the report's
    month, a whole-project budget over everything logged up to then."""
    budgeted = [p for p in projects if p["budget_hours"] is not None or p["budget_amount"] is not None]
    used = await used_by_project([int(p["id"]) for p in budgeted], month, until)
    return {int(p["id"]): project_burn(p, used.get(int(p["id"])), until) for p in budgeted}


async def approvals_in(projects: dict[int, Row], start: datetime, end: datetime) -> list[Approval]:
    """The weekly plans the client approved in [start, end): from the board's history, and (for
    plans approved before the history kept approvals, or imported) the sprints approved in it.
    A plan approved twice in the month counts once, at its last approval."""
    ids = list(projects) or [0]
    last: dict[int, tuple[datetime, int | None]] = {}
    events = await (
        Activity.select(Activity.data, Activity.at, Activity.actor)
        .where(Activity.project.is_in(ids) & (Activity.verb == APPROVED) & (Activity.at >= start) & (Activity.at < end))
        .order_by(Activity.seq)
    )
    for event in events:
        sprint_id = as_json(event["data"]).get("sprint")
        if isinstance(sprint_id, int):
            last[sprint_id] = (event["at"], event["actor"])
    approved = await Sprint.select(Sprint.id, Sprint.reviewed_at, Sprint.reviewer).where(
        Sprint.project.is_in(ids)
        & (Sprint.review_state == ReviewState.APPROVED.value)
        & (Sprint.reviewed_at >= start)
        & (Sprint.reviewed_at < end)
    )
    for row in approved:
        if row["id"] not in last or last[row["id"]][0] < row["reviewed_at"]:
            last[row["id"]] = (row["reviewed_at"], row["reviewer"])
    if not last:
        return []
    sprints = await Sprint.select().where(Sprint.id.is_in(list(last)))
    names = await _names({who for _at, who in last.values() if who})
    found = []
    for sprint in sprints:
        project = projects[sprint["project"]]
        plan = as_json(sprint["approved_plan"])
        at, who = last[sprint["id"]]
        found.append(
            Approval(
                sprint_id=sprint["id"],
                project_key=project["key"],
                project_name=project["name"],
                name=sprint["name"],
                goal=sprint["goal"] or "",
                starts_on=sprint["starts_on"],
                ends_on=sprint["ends_on"],
                approved_at=at,
                reviewer=names.get(who or 0, ""),
                cards=len(plan),
                estimate_minutes=sum(int(card.get("estimate_minutes") or 0) for card in plan.values()),
            )
        )
    return sorted(found, key=lambda a: (a.starts_on, a.project_name.casefold(), a.sprint_id))


async def _names(user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return {r["id"]: r["name"] for r in await User.select(User.id, User.name).where(User.id.is_in(list(user_ids)))}


async def deliveries_in(projects: dict[int, Row], start: datetime, end: datetime) -> list[Delivery]:
    """The cards that reached a Done column in [start, end) and stayed there until it ended, from
    the board's history (moves and cards created in Done), by when they arrived."""
    ids = list(projects) or [0]
    done = {
        int(r["id"])
        for r in await BoardColumn.select(BoardColumn.id).where(
            BoardColumn.project.is_in(ids) & BoardColumn.is_done.eq(True)
        )
    }
    if not done:
        return []
    rows = await (
        Activity.select(Activity.task, Activity.column, Activity.data, Activity.verb, Activity.at)
        .where(
            Activity.project.is_in(ids)
            & Activity.verb.is_in(list(PLACED))
            & Activity.task.is_not_null()
            & (Activity.at >= start)
            & (Activity.at < end)
        )
        .order_by(Activity.project)
        .order_by(Activity.seq)
    )
    moves = [
        Move(
            task_id=int(r["task"]),
            column_id=r["column"],
            from_column_id=as_json(r["data"]).get("from_column") if r["verb"] == "moved" else None,
            at=r["at"],
        )
        for r in rows
    ]
    arrived = delivered(moves, done)
    found = []
    for chunk in _chunks(arrived):
        for task in await Task.select(Task.id, Task.project, Task.number, Task.title, Task.internal).where(
            Task.id.is_in(chunk)
        ):
            project = projects[task["project"]]
            found.append(
                Delivery(
                    task_id=task["id"],
                    project_id=task["project"],
                    project_key=project["key"],
                    number=task["number"],
                    title=task["title"],
                    internal=task["internal"],
                    at=arrived[task["id"]],
                )
            )
    return sorted(found, key=lambda d: (d.at, d.project_key, d.number))


async def report_of(client: Row, month: date, today: date, timezone: str, *, for_client: bool) -> Report:
    """The client's report of `month` (its first day), up to today in the current month."""
    until = min(month_of(month)[1], today)
    start, end = period_bounds(month, until, timezone)
    rows = await projects_of(int(client["id"]))
    sights: dict[int, Sight] = {int(p["id"]): sight_of(p) for p in rows}
    if for_client:
        rows = [p for p in rows if sights[int(p["id"])].shared]
    projects = {int(p["id"]): p for p in rows}
    times = await task_times(list(projects), month)
    counted = times_for_client(times, sights) if for_client else times
    per_project = hours_by_project(counted)
    budgets = await budgets_at(rows, month, until)
    approvals = await approvals_in(projects, start, end)
    deliveries = [d for d in await deliveries_in(projects, start, end) if not (for_client and d.internal)]
    busy = {a.project_key for a in approvals} | {d.project_key for d in deliveries}
    lines = []
    for project_id, project in projects.items():
        sight = sights[project_id]
        hours = per_project.get(project_id, Hours()) if not for_client or sight.hours else None
        budget = budgets.get(project_id) if not for_client or sight.budget else None
        if for_client and budget is not None and budget.hours is None:
            budget = None  # a money budget alone: nothing the client may see
        active = not project["archived"] and budget is not None
        if (hours and hours.minutes) or active or project["key"] in busy:
            lines.append(ProjectLine(project_id, project["key"], project["name"], hours, budget))
    return Report(
        client=client,
        month=month,
        until=until,
        for_client=for_client,
        projects=lines,
        kinds=hours_by_kind(counted, hide_internal=for_client),
        total=total(counted),
        approvals=approvals,
        deliveries=deliveries,
        hidden_hours=[line.name for line in lines if line.hours is None],
    )
