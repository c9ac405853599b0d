"""One factory per object the tests make: a persona's Actor, a board's columns, a card, a week's
sprint, a time entry, a billing summary; and the rows they make, read back.

Each is built on the app's own writes where it has one, so a test's data is what the app makes (a
card is numbered, ranked and logged as the board's next event). Time entries are the exception:
they go straight into the table, because tests need what the app's writes refuse on purpose
(weeks long past or locked, running timers)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from server.billing.writes import new_summary
from server.boards.changes import Silent
from server.boards.store import ensure_sprints, sprint_of_week
from server.boards.writes import create_default_columns, create_task
from server.rules.periods import Period
from server.rules.policy import Actor
from server.rules.weeks import monday_of
from server.tables import BillingSummary, BoardColumn, Project, Sprint, Task, TimeEntry, User
from server.time.rollup_writes import refresh_days
from tests.conftest import EMAILS, PERSONAS, Agency


def actor(agency: Agency, persona: str) -> Actor:
    """The persona as the app sees them signed in: `actor(agency, "ada")`."""
    who = PERSONAS[persona]
    return Actor(
        id=getattr(agency, persona),
        email=who.email,
        name=who.name,
        role=who.role,
        client_id=getattr(agency, who.client) if who.client else None,
    )


async def _ada() -> Actor:
    """ada, who makes what no one else is named for; found by her email (a factory given no agency)."""
    row = await User.select(User.id).where(User.email == EMAILS["ada"]).first()
    assert row is not None, "ada is not in the database: use the agency fixture"
    ada = PERSONAS["ada"]
    return Actor(id=row["id"], email=ada.email, name=ada.name, role=ada.role)


# ---- boards ---------------------------------------------------------------------------------------


async def columns_of(project_id: int) -> dict[str, int]:
    """The board's columns by name, in board order; the default columns made if it has none."""
    await create_default_columns(project_id)
    rows = (
        await BoardColumn.select(BoardColumn.id, BoardColumn.name)
        .where(BoardColumn.project == project_id)
        .order_by(BoardColumn.rank)
    )
    return {r["name"]: r["id"] for r in rows}


async def column_id(project_id: int, name: str) -> int:
    return (await columns_of(project_id))[name]


async def add_card(
    project_id: int,
    title: str,
    *,
    column: str = "To do",
    by: Actor | None = None,
    sprint_id: int | None = None,
    estimate: int | None = None,
) -> int:
    """A card at the bottom of the named column, made by `by` (ada unless said) as the board makes
    one, told to no browser; `estimate` in minutes. Its id."""
    project = await Project.select().where(Project.id == project_id).first()
    assert project is not None
    maker = by or await _ada()
    task_id = await create_task(
        project, maker, await column_id(project_id, column), title, Silent(), sprint_id=sprint_id
    )
    if estimate is not None:
        await Task.update({Task.estimate_minutes: estimate}).where(Task.id == task_id)
    return task_id


async def add_cards(project_id: int, *titles: str, column: str = "To do", by: Actor | None = None) -> list[int]:
    """Several cards, one add_card each, in this order."""
    return [await add_card(project_id, title, column=column, by=by) for title in titles]


# ---- sprints --------------------------------------------------------------------------------------


def today() -> date:
    return datetime.now(UTC).date()  # the test settings' agency time zone is UTC


async def weekly_sprint(project_id: int, *, weeks_ahead: int = 0) -> int:
    """The project's sprint of this week (`weeks_ahead=1`: next week's), made as the board makes
    them when it is opened. Its id."""
    await ensure_sprints(project_id, today())
    sprint = await sprint_of_week(project_id, monday_of(today()) + timedelta(weeks=weeks_ahead))
    assert sprint is not None
    return int(sprint["id"])


# ---- time -----------------------------------------------------------------------------------------


async def add_entry(
    task_id: int, person_id: int, started_at: datetime, minutes: int | None, *, billable: bool = True, **fields: Any
) -> int:
    """Time on a card as the table holds it, on the card's project; `minutes=None` is a running
    timer. Its id."""
    task = await task_row(task_id)
    ended_at = None if minutes is None else started_at + timedelta(minutes=minutes)
    rows = await TimeEntry.insert(
        TimeEntry(
            task=task_id,
            project=task["project"],
            person=person_id,
            started_at=started_at,
            ended_at=ended_at,
            minutes=minutes or 0,
            billable=billable,
            **fields,
        )
    ).returning(TimeEntry.id)
    if ended_at is not None:  # the entry rollup follows every entry write, as the app's writes keep it
        await refresh_days(task["project"], person_id, [started_at])
    return int(rows[0]["id"])


# ---- billing --------------------------------------------------------------------------------------


async def add_summary(
    client_id: int | None, start: date, end: date, *, requested_by: int | None = None, **fields: Any
) -> int:
    """A billing summary of one client (None: all clients) over start..end, queued as a request
    makes it; `fields` set its state beyond that (status, progress, attempts, error). Its id."""
    summary_id = await new_summary(client_id, Period(start, end), requested_by=requested_by)
    if fields:
        await BillingSummary.update(**fields).where(BillingSummary.id == summary_id)
    return summary_id


# ---- reading back ---------------------------------------------------------------------------------


async def task_row(task_id: int) -> dict[str, Any]:
    row = await Task.select().where(Task.id == task_id).first()
    assert row is not None
    return row


async def sprint_row(sprint_id: int) -> dict[str, Any]:
    row = await Sprint.select().where(Sprint.id == sprint_id).first()
    assert row is not None
    return row
