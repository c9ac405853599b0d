"""The authorization matrix's lines for the board routes (the board, the card dialog, columns, the
JSON API), and values for their path parameters (assembled in tests/test_authorization_matrix.py;
a route without a line fails there)."""

from __future__ import annotations

from typing import Any

from server.tables import ChecklistItem
from tests.authz import Expect, Row, api, project_page, project_work, signed_in
from tests.conftest import Agency
from tests.factories import add_card, column_id

ROWS: dict[str, Row] = {
    # The JSON API: an empty body is not JSON (400) once past authorization
    "GET /api/projects": api(signed_in(200)),
    "GET /api/projects/{project_id:int}/board": api(project_page(200)),
    "GET /api/projects/{project_id:int}/columns": api(project_page(200)),
    "POST /api/projects/{project_id:int}/tasks": api(project_work(400)),
    "GET /api/tasks/{task_id:int}": api(project_page(200)),
    "PATCH /api/tasks/{task_id:int}": api(project_work(400)),
    "POST /api/tasks/{task_id:int}/move": api(project_work(400)),
    # The card dialog: an empty form is refused (422) once past authorization
    "GET /tasks/{task_id:int}": project_page(200),
    "POST /tasks/{task_id:int}/title": project_work(422),
    "POST /tasks/{task_id:int}/description": project_work(422),
    "POST /tasks/{task_id:int}/fields": project_work(422),
    "POST /tasks/{task_id:int}/priority": project_work(422),
    "POST /tasks/{task_id:int}/archived": project_work(422),
    "POST /tasks/{task_id:int}/visibility": project_work(422),
    "POST /tasks/{task_id:int}/assignees": project_work(422),
    "POST /tasks/{task_id:int}/labels": project_work(422),
    "POST /tasks/{task_id:int}/labels/new": project_work(422),
    "POST /tasks/{task_id:int}/checklist": project_work(422),
    "POST /tasks/{task_id:int}/comments": project_page(422),  # the client comments too
    "POST /checklist/{item_id:int}/done": project_work(422),
    "POST /checklist/{item_id:int}/move": project_work(422),
    "POST /checklist/{item_id:int}/delete": project_work(Expect(303, "/tasks/")),
    # The board: page, polling fallback, quick add, moves, columns
    "GET /projects/{project_id:int}": project_page(200),
    "GET /projects/{project_id:int}/changes": project_page(200),
    "POST /projects/{project_id:int}/tasks": project_work(422),
    "POST /tasks/{task_id:int}/move": project_work(422),
    "POST /projects/{project_id:int}/columns": project_work(422),
    "POST /columns/{column_id:int}": project_work(422),
    "POST /columns/{column_id:int}/move": project_work(200),
    "POST /columns/{column_id:int}/archive": project_work(409),  # it still has the card
}


async def values(agency: Agency, earlier: dict[str, Any]) -> dict[str, Any]:
    """A card in the ACME board's first column, and an item of its checklist."""
    task_id = await add_card(agency.acme_project, "Homepage hero copy", column="Backlog")
    items = await ChecklistItem.insert(ChecklistItem(task=task_id, text="Draft", rank="a0")).returning(ChecklistItem.id)
    return {
        "task_id": task_id,
        "item_id": items[0]["id"],
        "column_id": await column_id(agency.acme_project, "Backlog"),
    }


# What a client user asks of an internal card of their own shared project (tests/boards/test_card_visibility.py):
# every route naming the card answers 404 as if it did not exist; every page listing cards leaves it out.
INTERNAL_CARD_ROUTES = (
    "GET /tasks/{task_id}",
    "GET /api/tasks/{task_id}",
    "POST /tasks/{task_id}/comments",
    "GET /projects/{project_id}",
    "GET /api/projects/{project_id}/board",
    "GET /sprints/{sprint_id}/review",
    "GET /sprints/{sprint_id}/print",
    "GET /sprints/{sprint_id}",
)
