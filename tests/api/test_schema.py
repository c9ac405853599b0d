"""The OpenAPI schema documents the API for anyone writing a script."""

from __future__ import annotations

from tests.conftest import Browser


async def test_the_openapi_schema_lists_the_api_paths(browser: Browser) -> None:
    response = await browser.get("/schema/openapi.json")
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


async def test_the_schema_page_is_served(browser: Browser) -> None:
    assert (await browser.get("/schema")).status_code == 200
