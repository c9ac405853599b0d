"""Cards to log time on, and entries put straight into the database (past weeks, running timers),
for the time tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from server.boards.changes import Silent
from server.boards.writes import create_default_columns, create_task
from server.rules.policy import Actor, Role
from server.tables import BoardColumn, Project, Task, TimeEntry, User


async def add_cards(project_id: int, *titles: str) -> list[int]:
    """Cards in the first column of the project's board (the default columns made if missing)."""
    if not await BoardColumn.exists().where(BoardColumn.project == project_id):
        await create_default_columns(project_id)
    column = await BoardColumn.select(BoardColumn.id).where(BoardColumn.project == project_id).first()
    project = await Project.select().where(Project.id == project_id).first()
    ada = await User.select(User.id).where(User.email == "ada@agency.test").first()
    assert column is not None and project is not None and ada is not None
    admin = Actor(id=ada["id"], email="ada@agency.test", name="Ada Admin", role=Role.ADMIN)
    return [await create_task(project, admin, column["id"], title, Silent()) for title in titles]


async def task_row(task_id: int) -> dict[str, Any]:
    row = await Task.select().where(Task.id == task_id).first()
    assert row is not None
    return row


async def put_entry(
    task_id: int, person_id: int, started_at: datetime, minutes: int | None, *, billable: bool = True, **extra: Any
) -> int:
    """An entry as the database holds it; `minutes=None` is a running timer."""
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
            **extra,
        )
    ).returning(TimeEntry.id)
    return int(rows[0]["id"])


async def entries_of(person_id: int) -> list[dict[str, Any]]:
    return await TimeEntry.select().where(TimeEntry.person == person_id).order_by(TimeEntry.id)


async def running_of(person_id: int) -> list[dict[str, Any]]:
    return await TimeEntry.select().where((TimeEntry.person == person_id) & TimeEntry.ended_at.is_null())
