"""Fuzzing: schemathesis sends generated requests to the app in process (its ASGI support: the app runs
its lifespan on schemathesis's own event loop, no server) over every /api/ operation of the OpenAPI
schema and every GET page, signed in as the admin and as a client user. Any 5xx fails, and so does
an API answer that breaks the schema (status, content type, body).

Examples per operation: BOARDROOM_FUZZ_EXAMPLES (default 8; each run is derandomized, so the same
examples every time). Path ids get the seeded objects' ids as explicit examples beside the random
ones, so the fuzzer reaches real cards, sprints and summaries, not only 404s."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, get_args

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.types import Empty
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from server.accounts.writes import create_token
from server.app import create_app
from tests.billing.helpers import computed_summary
from tests.conftest import PASSWORD, Agency
from tests.factories import add_card, add_entry, weekly_sprint

EXAMPLES = int(os.environ.get("BOARDROOM_FUZZ_EXAMPLES", "8"))
API_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
PAGE_CHECKS = [not_a_server_error]
CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
# Left out of the page fuzz: the schema's own pages (the API test reads them), static files, routes
# that stream (websockets are not GET routes here), and the health probes: they take no input, and their
# 503 ("realtime down") is an honest answer here, where schemathesis runs the app's loop only during a
# request, so its Redis subscriber never stays connected (tests/scale and tests/faults check them for real).
SKIPPED_PREFIXES = ("/api/", "/schema", "/static", "/health")
# Query parameters that carry a day (?week=2026-11-23): any date, years 0001 to 9999 included.
DATE_PARAMETERS = {"week", "day"}
EDGE_DAYS = ["0001-01-01", "1999-12-31", "2026-11-23", "2100-12-31", "9999-12-31"]


@dataclass
class Seeded:
    """What the fuzzer's path ids may point at, and each persona's API token."""

    ids: dict[str, list[int]]
    tokens: dict[str, str]


@pytest.fixture(scope="module")
def fuzz_app(schema: None) -> Iterator[Litestar]:
    """An app of its own: schemathesis runs its lifespan on its own loop and thread."""
    app = create_app()
    yield app
    asgi.shutdown_lifespans()


@pytest.fixture
async def seeded(agency: Agency) -> Seeded:
    card = await add_card(agency.acme_project, "Homepage hero copy")
    other = await add_card(agency.globex_project, "App icon")
    sprint = await weekly_sprint(agency.acme_project)
    entry = await add_entry(card, agency.max, datetime.now(UTC) - timedelta(days=1), 45)
    start = date.today().replace(day=1)
    summary = await computed_summary(agency.acme, start, start + timedelta(days=27), requested_by=agency.ada)
    ids = {
        "project_id": [agency.acme_project, agency.globex_project, agency.brand_project],
        "task_id": [card, other],
        "sprint_id": [sprint],
        "entry_id": [entry],
        "summary_id": [summary],
        "user_id": [agency.max, agency.cleo],
        "client_id": [agency.acme, agency.globex],
    }
    tokens = {name: await create_token(getattr(agency, name), "fuzz") for name in ("ada", "cleo")}
    return Seeded(ids, tokens)


def with_examples(raw: dict[str, Any], seeded: Seeded) -> dict[str, Any]:
    """The schema, with the seeded ids as examples of the path parameters that name them."""
    for item in raw["paths"].values():
        for operation in item.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter.get("in") == "path" and parameter["name"] in seeded.ids:
                    parameter["examples"] = {
                        f"seeded{n}": {"value": value} for n, value in enumerate(seeded.ids[parameter["name"]])
                    }
    return raw


def fuzz_operation(operation: Any, send: Callable[[Any], int]) -> set[int]:
    """Run `send` over generated cases of one operation (the seeded examples first); the statuses
    it answered. Raises the first failure, shrunk to its simplest form."""
    answered: set[int] = set()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        answered.add(send(case))

    run()
    return answered


def fuzz(schema: Any, send: Callable[[Any], int]) -> list[str]:
    """Fuzz every operation of `schema`; the failures, one paragraph each."""
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        try:
            answered = fuzz_operation(operation, send)
        except Exception as failure:  # every operation is tried; all failures are reported together
            failures.append(f"{label}: {str(failure)[:2000]}")
            continue
        if not answered:
            failures.append(f"{label}: no request was sent")
    return failures


# ---- the API ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ada", "cleo"])
def test_the_api_survives_fuzzing_within_its_schema(fuzz_app: Litestar, seeded: Seeded, persona: str) -> None:
    auth = {"Authorization": f"Bearer {seeded.tokens[persona]}"}
    loaded = schemathesis.openapi.from_asgi("/schema/openapi.json", fuzz_app, headers=auth)
    raw = with_examples(dict(loaded.raw_schema), seeded)
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = fuzz_app
    paths = list(raw["paths"])
    assert paths and all(path.startswith("/api/") for path in paths)

    def send(case: Any) -> int:
        return case.call_and_validate(headers=auth, checks=API_CHECKS).status_code

    failures = fuzz(schema, send)
    assert not failures, "\n\n".join(failures)


# ---- every GET page ---------------------------------------------------------------------------


def _json_type(annotation: Any) -> tuple[dict[str, Any], bool]:
    """An annotation as a JSON schema, and whether None is allowed."""
    args = [a for a in get_args(annotation) if a is not type(None)] or [annotation]
    optional = type(None) in get_args(annotation)
    kind = args[0]
    return ({"type": "integer"} if kind is int else {"type": "string"}), optional


def page_schema(app: Litestar) -> dict[str, Any]:
    """An OpenAPI document of the app's GET pages, from its route table: path parameters and the
    query parameters each handler reads, typed as declared (no bounds: the fuzzer tries any)."""
    paths: dict[str, Any] = {}
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(SKIPPED_PREFIXES):
            continue
        handler = route.route_handler_map.get("GET", (None,))[0]
        if handler is None:
            continue
        parameters = []
        path_names = set(route.path_parameters)
        for name, field in handler.parsed_fn_signature.parameters.items():
            kwarg = type(field.kwarg_definition).__name__ if field.kwarg_definition else ""
            if name in DATE_PARAMETERS:
                json_type = {"type": "string", "format": "date"}
                parameters.append(
                    {
                        "name": name,
                        "in": "query",
                        "required": field.default is Empty,
                        "schema": json_type,
                        "examples": {day: {"value": day} for day in EDGE_DAYS},
                    }
                )
            elif name in path_names:
                json_type, _optional = _json_type(field.annotation)
                parameters.append({"name": name, "in": "path", "required": True, "schema": json_type})
            elif kwarg == "QueryParameter":
                json_type, optional = _json_type(field.annotation)
                required = field.default is Empty and not optional
                parameters.append({"name": name, "in": "query", "required": required, "schema": json_type})
        paths[route.path_format] = {
            "get": {"parameters": parameters, "responses": {"default": {"description": "a page"}}}
        }
    return {"openapi": "3.0.3", "info": {"title": "Boardroom pages", "version": "1"}, "paths": paths}


def signed_in_client(app: Litestar, email: str) -> asgi.ASGIClient:
    client = asgi.get_client(app)
    csrf = CSRF.search(client.get("/login").text)
    assert csrf is not None
    answer = client.post(
        "/login",
        data={"email": email, "password": PASSWORD},
        headers={"x-csrftoken": csrf.group(1)},
        allow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:300]
    return client


@pytest.mark.parametrize("persona", ["ada@agency.test", "cleo@acme.test"])
def test_every_get_page_survives_fuzzing(fuzz_app: Litestar, seeded: Seeded, persona: str) -> None:
    raw = with_examples(page_schema(fuzz_app), seeded)
    assert "/timesheet" in raw["paths"] and "/projects/{project_id}" in raw["paths"]
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = fuzz_app
    session = signed_in_client(fuzz_app, persona)

    def send(case: Any) -> int:
        return case.call_and_validate(session=session, checks=PAGE_CHECKS, allow_redirects=False).status_code

    failures = fuzz(schema, send)
    session.close()
    assert not failures, "\n\n".join(failures)
