"""Every route the app serves, asked by every role, with the status each must get.

The lines come from the features, one file each (tests/<feature>/matrix.py: its ROWS, and values
for its path parameters); this file assembles them, with the few routes create_app mounts itself,
and checks them against the app's own route table: a new route without a line fails
(`... has no line in EXPECTED`), and so does a line for a route that no longer exists. Adding a
route means adding one line to its feature's matrix, usually with a helper from tests/authz.py:

    "GET /projects/{project_id:int}/board": project_page(200),
    "POST /api/tasks/{task_id:int}/move": api(project_work(200)),

Unsafe methods send an empty form with a valid CSRF token, so most form handlers answer 422 to
those allowed in: the request got past authorization and was refused only for its content.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Any

import pytest
from piccolo.engine import engine_finder

from server.app import create_app
from server.kernel.db import write_transaction
from tests.accounts import matrix as accounts_matrix
from tests.attachments import matrix as attachments_matrix
from tests.authz import API_LOGIN, LOGIN, NON_ADMINS, ROLE_NAMES, ROLES, Expect, Row, fill, public, route_keys
from tests.billing import matrix as billing_matrix
from tests.boards import matrix as boards_matrix
from tests.budgets import matrix as budgets_matrix
from tests.clients import matrix as clients_matrix
from tests.conftest import TABLES, Agency, Browser, seed_agency
from tests.imports import matrix as imports_matrix
from tests.mywork import matrix as mywork_matrix
from tests.notifications import matrix as notifications_matrix
from tests.portal import matrix as portal_matrix
from tests.reports import matrix as reports_matrix
from tests.snapshot import Snapshot
from tests.sprints import matrix as sprints_matrix
from tests.time import matrix as time_matrix

# In the order features depend on each other: a feature's values may use those found before it
# (the time entry is on the board's card).
FEATURES = (
    accounts_matrix,
    clients_matrix,
    boards_matrix,
    attachments_matrix,
    notifications_matrix,
    time_matrix,
    sprints_matrix,
    billing_matrix,
    budgets_matrix,
    reports_matrix,
    portal_matrix,
    mywork_matrix,
    imports_matrix,
)

# The OpenAPI pages document the JSON API for signed-in people; to anyone else they do not exist.
SCHEMA = public(200, anonymous=404)

# What create_app mounts itself, no feature's: the health check, static files, the OpenAPI pages.
APP_ROWS: dict[str, Row] = {
    "GET /health": public(200),
    "GET /health/live": public(200),
    "GET /static/{file_path:path}": public(200),
    "GET /schema": SCHEMA,
    "GET /schema/elements": SCHEMA,
    "GET /schema/oauth2-redirect.html": SCHEMA,
    "GET /schema/openapi.json": SCHEMA,
    "GET /schema/openapi.yaml": SCHEMA,
    "GET /schema/openapi.yml": SCHEMA,
    "GET /schema/rapidoc": SCHEMA,
    "GET /schema/redoc": SCHEMA,
    "GET /schema/swagger": SCHEMA,
    "GET /schema/{path:str}": public(404),  # no such page: the same answer for everyone
}
APP_VALUES = {"file_path": "app.css", "path": "no-such-page"}


def assemble() -> dict[str, Row]:
    """The app's lines and every feature's; a route may have one line only."""
    expected = dict(APP_ROWS)
    for feature in FEATURES:
        twice = sorted(expected.keys() & feature.ROWS.keys())
        assert not twice, f"{feature.__name__} has lines already given elsewhere: {twice}"
        expected.update(feature.ROWS)
    return expected


EXPECTED = assemble()


async def path_values(agency: Agency) -> dict[str, Any]:
    """Each path parameter's value: the ACME project and the people and things around it, each
    feature making its own."""
    values: dict[str, Any] = dict(APP_VALUES)
    for feature in FEATURES:
        values.update(await feature.values(agency, values))
    return values


class World:
    """The agency and every feature's objects, made through the code for the first case and put back
    from a snapshot for each of the others: the same rows and ids, at a fraction of the cost."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.agency: Agency | None = None
        self.values: dict[str, Any] = {}

    async def ready(self) -> Agency:
        if self.agency is None:
            engine = engine_finder()
            assert engine is not None
            async with write_transaction(engine):
                agency = await seed_agency()
            self.values = await path_values(agency)
            await self.snapshot.take()
            self.agency = agency
        else:
            await self.snapshot.restore()
        return self.agency


@pytest.fixture(scope="module")
async def world(schema: None, postgres_cleaner: Any) -> AsyncIterator[World]:
    snapshot = Snapshot(TABLES, postgres_cleaner)
    yield World(snapshot)
    await snapshot.drop()


@pytest.fixture
async def agency(clean: None, world: World) -> Agency:
    """Overrides conftest's: the world of the matrix, on tables `clean` has just emptied."""
    return await world.ready()


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
    route: str, role: str, agency: Agency, world: World, as_user: Any, browser: Browser
) -> None:
    assert role != "missing", f"{route} has no line in EXPECTED: add one to its feature's tests/<feature>/matrix.py"
    assert role != "stale", f"{route} is in EXPECTED but the app no longer serves it: remove its line"
    row = EXPECTED[route]
    assert set(row) == set(ROLES), f"{route}: the line must name every role, it names {sorted(row)}"
    expected = row[role]
    method, template = route.split(" ", 1)
    path = fill(template, world.values)
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
