"""The OpenAPI schema documents the API for anyone writing a script, and only for them: signed-in
people and tokens see it; to anyone else it does not exist."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from tests.conftest import Browser


async def test_the_openapi_schema_lists_the_api_paths(as_user: Any) -> None:
    ada = await as_user("ada")
    response = await ada.get("/schema/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert {
        "/api/projects",
        "/api/projects/{project_id}/board",
        "/api/projects/{project_id}/columns",
        "/api/projects/{project_id}/tasks",
        "/api/tasks/{task_id}",
        "/api/tasks/{task_id}/move",
    } <= set(schema["paths"])
    assert set(schema["paths"]["/api/tasks/{task_id}"]) >= {"get", "patch"}
    assert {"CardMove", "CardChanges", "NewCard", "CardDetail"} <= set(schema["components"]["schemas"])
    assert "apiToken" in schema["components"]["securitySchemes"]


async def test_the_schema_lists_only_api_routes(as_user: Any) -> None:
    cleo = await as_user("cleo")
    paths = set((await cleo.get("/schema/openapi.json")).json()["paths"])
    assert paths and all(path.startswith("/api/") for path in paths), sorted(paths)


async def test_the_schema_documents_each_downloads_content_type(as_user: Any) -> None:
    ada = await as_user("ada")
    schema = (await ada.get("/schema/openapi.json")).json()
    for name in ("entries.csv", "totals.csv"):
        ok = schema["paths"][f"/api/billing/summaries/{{summary_id}}/{name}"]["get"]["responses"]["200"]
        assert set(ok["content"]) == {"text/csv"}
    ok = schema["paths"]["/api/billing/summaries/{summary_id}/summary.json"]["get"]["responses"]["200"]
    assert set(ok["content"]) == {"application/json"}
    documented = ok["content"]["application/json"]["schema"]
    if "$ref" in documented:
        documented = schema["components"]["schemas"][documented["$ref"].rsplit("/", 1)[1]]
    assert documented["type"] == "object" and "summary" in documented["properties"]


@pytest.mark.parametrize("path", ["/schema", "/schema/openapi.json", "/schema/swagger", "/schema/nothing"])
async def test_the_schema_is_not_found_by_anonymous_visitors(browser: Browser, path: str) -> None:
    assert (await browser.get(path)).status_code == 404


async def test_the_schema_page_is_served_to_signed_in_people(as_user: Any) -> None:
    max_ = await as_user("max")
    assert (await max_.get("/schema")).status_code == 200


async def test_a_script_reads_the_schema_with_its_token(
    as_script: Callable[[str], Awaitable[httpx.AsyncClient]],
) -> None:
    script = await as_script("max")
    assert (await script.get("/schema/openapi.json")).status_code == 200
    script.headers["Authorization"] = "Bearer br_not-a-token"
    assert (await script.get("/schema/openapi.json")).status_code == 404
