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
    fill,
    public,
    route_keys,
    signed_in,
)
from tests.conftest import Agency, Browser

# Public, but worth a decision: the OpenAPI pages list every route to anyone (see the report).
SCHEMA = public(200)

EXPECTED: dict[str, Row] = {
    "GET /": signed_in(Expect(303, "/projects")),
    "GET /health": public(200),
    "GET /static/{file_path:path}": public(200),
    "GET /login": public(Expect(303, "/"), anonymous=200),
    "POST /login": public(422),
    "POST /logout": signed_in(Expect(303, "/login")),
    "GET /profile": signed_in(200),
    "POST /profile/password": signed_in(422),
    "GET /projects": signed_in(200),
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
    path = fill(template, path_values(agency))
    client = browser if role == "anonymous" else await as_user(role)
    if method == "GET":
        response = await client.get(path)
    else:
        response = await client.post(path, {}) if method == "POST" else await client.http.request(method, path)

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
