"""My work's test helpers: cards assigned to the personas, as the board's own writes make them."""

from __future__ import annotations

from datetime import date
from typing import Any

from server.boards.changes import Silent
from server.boards.writes import toggle_assignee
from server.tables import Task, User
from tests.factories import _ada, add_card, task_row


async def assigned_card(
    project_id: int, title: str, person_id: int, *, due_on: date | None = None, column: str = "To do", **fields: Any
) -> int:
    """A card on the board, assigned to `person_id` by ada, due `due_on`. Its id."""
    task_id = await add_card(project_id, title, column=column)
    person = await User.select(User.id, User.name).where(User.id == person_id).first()
    assert person is not None
    await toggle_assignee(await task_row(task_id), await _ada(), person, Silent())
    if due_on is not None or fields:
        await Task.update({Task.due_on: due_on, **{getattr(Task, k): v for k, v in fields.items()}}).where(
            Task.id == task_id
        )
    return task_id
