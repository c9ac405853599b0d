"""Loading cards and columns for a user: the project comes from the object itself, never from
an id sent beside it; what the user may not see answers 404."""

from __future__ import annotations

from typing import Any

from server.kernel.access import not_found, project_for
from server.rules.policy import Actor
from server.tables import BoardColumn, Task


async def task_for(actor: Actor, task_id: int, *, write: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    """The card and its project."""
    task = await Task.select().where(Task.id == task_id).first()
    if task is None:
        raise not_found()
    project = await project_for(actor, task["project"], write=write)
    return task, project


async def column_for(actor: Actor, column_id: int, *, write: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    column = await BoardColumn.select().where(BoardColumn.id == column_id).first()
    if column is None:
        raise not_found()
    project = await project_for(actor, column["project"], write=write)
    return column, project
