"""Every route the app serves, asked by every role, with the status each must get.

The cases come from the app's own route table: a new route without a line in EXPECTED fails
(`... has no line in EXPECTED`), and so does a line for a route that no longer exists. Adding a
route means adding one line, usually with a helper from tests/authz.py:

    "GET /projects/{project_id:int}/board": project_page(200),
    "POST /api/tasks/{task_id:int}/move": api(project_work(200)),

Unsafe methods send an empty form with a valid CSRF token, so most form handlers answer 422 to
those allowed in: the request got past authorization and was refused only for its content.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from server.app import create_app
from tests.authz import (
    API_LOGIN,
    LOGIN,
    NON_ADMINS,
    ROLE_NAMES,
    ROLES,
    Expect,
    Row,
    admin_only,
    agency,
    api,
    fill,
    own_entry,
    project_page,
    project_work,
    public,
    route_keys,
    signed_in,
)
from tests.billing import matrix as billing_matrix
from tests.conftest import Agency, Browser
from tests.portal import matrix as portal_matrix
from tests.sprints import matrix as sprints_matrix

FEATURES = (sprints_matrix, portal_matrix, billing_matrix)

# Public, but worth a decision: the OpenAPI pages list every route to anyone (see the report).
SCHEMA = public(200)

EXPECTED: dict[str, Row] = {
    "GET /": {**signed_in(Expect(303, "/projects")), "cleo": Expect(303, "/portal"), "cole": Expect(303, "/portal")},
    "GET /health": public(200),
    "GET /static/{file_path:path}": public(200),
    "GET /login": public(Expect(303, "/"), anonymous=200),
    "POST /login": public(422),
    "POST /logout": signed_in(Expect(303, "/login")),
    "GET /profile": signed_in(200),
    "POST /profile/password": signed_in(422),
    "GET /projects": signed_in(200),
    # Personal API tokens (profile page): max's token is nobody else's to revoke
    "GET /profile/tokens": signed_in(200),
    "POST /profile/tokens": signed_in(422),
    "POST /profile/tokens/{token_id:int}/revoke": {
        **signed_in(404),
        "max": Expect(303, "/profile"),
    },
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
    "POST /tasks/{task_id:int}/archived": project_work(422),
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
    # Time tracking: timers, timesheet, entries, week locks
    "GET /timer": signed_in(200),
    "POST /tasks/{task_id:int}/timer/start": project_work(200),
    "POST /timer/stop": agency(200),
    "GET /timesheet": agency(200),
    "GET /timesheet/cell": agency(400),  # task and day are required query parameters
    "POST /timesheet/cell": agency(422),
    "POST /timesheet/entries": agency(422),
    "POST /tasks/{task_id:int}/time": {**project_work(422), "cleo": Expect(404)},  # clients do not log time
    "GET /entries/{entry_id:int}/edit": own_entry(200),
    "POST /entries/{entry_id:int}": own_entry(422),
    "POST /entries/{entry_id:int}/delete": own_entry(Expect(303, "/timesheet")),
    "POST /timesheet/locks": admin_only(Expect(303, "/timesheet")),
    "POST /timesheet/locks/{lock_id:int}/delete": admin_only(Expect(303, "/timesheet")),
    # Agency administration
    "GET /admin/users": admin_only(200),
    "POST /admin/users": admin_only(422),
    "GET /admin/users/new": admin_only(200),
    "GET /admin/users/{user_id:int}": admin_only(200),
    "POST /admin/users/{user_id:int}": admin_only(422),
    "POST /admin/users/{user_id:int}/active": admin_only(Expect(303, "/admin/users")),
    "POST /admin/users/{user_id:int}/password": admin_only(422),
    "GET /admin/clients": admin_only(200),
    "POST /admin/clients": admin_only(422),
    "GET /admin/clients/new": admin_only(200),
    "GET /admin/clients/{client_id:int}": admin_only(200),
    "POST /admin/clients/{client_id:int}": admin_only(422),
    "POST /admin/clients/{client_id:int}/archived": admin_only(Expect(303, "/admin/clients")),
    "POST /admin/projects": admin_only(422),
    "GET /admin/projects/new": admin_only(200),
    "GET /admin/projects/{project_id:int}": admin_only(200),
    "POST /admin/projects/{project_id:int}": admin_only(422),
    "POST /admin/projects/{project_id:int}/archived": admin_only(Expect(303, "/admin/projects/")),
    "POST /admin/projects/{project_id:int}/members": admin_only(422),
    "POST /admin/projects/{project_id:int}/members/{membership_id:int}/remove": admin_only(
        Expect(303, "/admin/projects/")
    ),
    # Litestar's OpenAPI pages
    "GET /schema": SCHEMA,
    "GET /schema/elements": SCHEMA,
    "GET /schema/oauth2-redirect.html": SCHEMA,
    "GET /schema/openapi.json": SCHEMA,
    "GET /schema/openapi.yaml": SCHEMA,
    "GET /schema/openapi.yml": SCHEMA,
    "GET /schema/rapidoc": SCHEMA,
    "GET /schema/redoc": SCHEMA,
    "GET /schema/swagger": SCHEMA,
    "GET /schema/{path:str}": public(404),
}
# Each feature keeps its own lines (tests/<feature>/matrix.py)
for feature in FEATURES:
    EXPECTED.update(feature.ROWS)


def path_values(agency: Agency) -> dict[str, Any]:
    """Each path parameter's value: the ACME project and the people and things around it."""
    return {
        "project_id": agency.acme_project,
        "user_id": agency.max,
        "client_id": agency.acme,
        "membership_id": agency.max_on_acme,
        "file_path": "app.css",
        "path": "no-such-page",
    }


async def board_values(agency: Agency) -> dict[str, Any]:
    """Path values for things on the ACME board and around it: a card, a token of max's."""
    from server.accounts.writes import create_token
    from server.boards.changes import Silent
    from server.boards.writes import create_default_columns, create_task
    from server.rules.policy import Actor, Role
    from server.tables import ApiToken, BoardColumn, ChecklistItem, TimeEntry, WeekLock

    await create_default_columns(agency.acme_project)
    column = await BoardColumn.select(BoardColumn.id).where(BoardColumn.project == agency.acme_project).first()
    assert column is not None
    ada = Actor(id=agency.ada, email="ada@agency.test", name="Ada Admin", role=Role.ADMIN)
    task_id = await create_task({"id": agency.acme_project}, ada, column["id"], "Homepage hero copy", Silent())
    await create_token(agency.max, "max's script")
    token = await ApiToken.select(ApiToken.id).where(ApiToken.owner == agency.max).first()
    assert token is not None
    items = await ChecklistItem.insert(ChecklistItem(task=task_id, text="Draft", rank="a0")).returning(ChecklistItem.id)
    start = datetime.now(UTC) - timedelta(days=1)
    entries = await TimeEntry.insert(
        TimeEntry(
            task=task_id,
            project=agency.acme_project,
            person=agency.max,
            started_at=start,
            ended_at=start + timedelta(hours=1),
            minutes=60,
        )
    ).returning(TimeEntry.id)
    monday = start.date() - timedelta(days=start.weekday() + 7)
    locks = await WeekLock.insert(WeekLock(week_start=monday, person=agency.mia)).returning(WeekLock.id)
    return {
        "task_id": task_id,
        "token_id": token["id"],
        "item_id": items[0]["id"],
        "column_id": column["id"],
        "entry_id": entries[0]["id"],
        "lock_id": locks[0]["id"],
    }


def served_routes() -> list[str]:
    """The app's route table. No lifespan runs, so nothing connects to Redis or the database."""
    previous = os.environ.get("REDIS_URL")
    os.environ["REDIS_URL"] = previous or "redis://127.0.0.1:1/0"
    try:
        return route_keys(create_app())
    finally:
        if previous is None:
            del os.environ["REDIS_URL"]


ROUTES = served_routes()
MISSING = [key for key in ROUTES if key not in EXPECTED]
STALE = [key for key in EXPECTED if key not in ROUTES]
CASES = [
    *(pytest.param(key, role, id=f"{key} as {role}") for key in ROUTES if key in EXPECTED for role in ROLES),
    *(pytest.param(key, "missing", id=f"{key} has no line") for key in MISSING),
    *(pytest.param(key, "stale", id=f"{key} is not served") for key in STALE),
]


@pytest.mark.parametrize(("route", "role"), CASES)
async def test_each_role_gets_the_expected_answer(
    route: str, role: str, agency: Agency, as_user: Any, browser: Browser
) -> None:
    assert role != "missing", f"{route} has no line in EXPECTED (tests/test_authorization_matrix.py): add one"
    assert role != "stale", f"{route} is in EXPECTED but the app no longer serves it: remove its line"
    row = EXPECTED[route]
    assert set(row) == set(ROLES), f"{route}: the line must name every role, it names {sorted(row)}"
    expected = row[role]
    method, template = route.split(" ", 1)
    values = {**path_values(agency), **await board_values(agency)}
    for feature in FEATURES:
        values.update(await feature.values(agency, values))
    path = fill(template, values)
    client = browser if role == "anonymous" else await as_user(role)
    if method == "GET":
        response = await client.get(path)
    else:
        headers = {"x-csrftoken": client.csrf} if client.csrf else {}
        response = (
            await client.post(path, {})
            if method == "POST"
            else await client.http.request(method, path, headers=headers)
        )

    who = f"{role} ({ROLE_NAMES[role]})"
    assert response.status_code == expected.status, (
        f"{method} {path} as {who}: expected {expected}, got {response.status_code} "
        f"{response.headers.get('location', '')}"
    )
    if expected.location is not None:
        assert response.headers["location"].startswith(expected.location), (
            f"{method} {path} as {who}: redirected to {response.headers['location']}, expected {expected.location}"
        )
    if expected.json:
        assert "json" in response.headers["content-type"], f"{method} {path} as {who}: expected a JSON answer"


def test_the_app_serves_routes_to_check() -> None:
    assert "GET /projects" in ROUTES and "POST /admin/users" in ROUTES


@pytest.mark.parametrize("route", [key for key in EXPECTED if key.split(" ", 1)[1].startswith("/admin/")])
def test_admin_pages_do_not_exist_for_anyone_else(route: str) -> None:
    row = EXPECTED[route]
    assert all(row[role] == Expect(404) for role in NON_ADMINS), f"{route}: non-admins must get 404"
    assert row["anonymous"] == LOGIN, f"{route}: anonymous must be sent to /login"


@pytest.mark.parametrize("route", [key for key in EXPECTED if key.split(" ", 1)[1].startswith("/api/")] or ["-"])
def test_the_api_answers_401_to_anonymous(route: str) -> None:
    if route == "-":
        pytest.skip("no /api/ route yet")
    assert EXPECTED[route]["anonymous"] == API_LOGIN, f"{route}: anonymous must get 401 with a problem detail"
