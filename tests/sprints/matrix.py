"""The authorization matrix's lines for the sprints routes, and values for their path parameters
(assembled in tests/test_authorization_matrix.py; a route without a line fails there)."""

from __future__ import annotations

from typing import Any

from tests.authz import Expect, Row, project_page, project_work
from tests.conftest import Agency
from tests.factories import weekly_sprint

ROWS: dict[str, Row] = {
    "GET /projects/{project_id:int}/sprints": project_page(200),
    # Planning is the agency's work: the client's users see the sprint page and report instead
    "GET /projects/{project_id:int}/plan": project_page(200, clients=False),
    "GET /sprints/{sprint_id:int}": project_page(200),
    "GET /sprints/{sprint_id:int}/report": project_page(200),
    "POST /sprints/{sprint_id:int}/goal": project_work(Expect(303, "/sprints/")),  # an empty goal clears it
    "POST /sprints/{sprint_id:int}/start": project_work(Expect(303, "/sprints/")),
    "POST /sprints/{sprint_id:int}/close": project_work(422),  # where unfinished cards go is required
    "POST /tasks/{task_id:int}/sprint": project_work(Expect(303, "/projects/")),  # empty: to the backlog
}


async def values(agency: Agency, earlier: dict[str, Any]) -> dict[str, Any]:
    """This week's sprint of the ACME project (planned)."""
    return {"sprint_id": await weekly_sprint(agency.acme_project)}
