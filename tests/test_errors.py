"""How errors reach people: a page that says what happened, never a crash."""

from __future__ import annotations

from typing import Any

from tests.conftest import Browser


async def test_an_unknown_page_is_not_found_for_anonymous(browser: Browser) -> None:
    response = await browser.get("/no-such-page")
    assert response.status_code == 404
    assert "Not found." in response.text and "text/html" in response.headers["content-type"]


async def test_an_unknown_page_is_not_found_when_signed_in(as_user: Any) -> None:
    response = await (await as_user("max")).get("/no/such/page")
    assert response.status_code == 404
    assert "Back to your projects" in response.text


async def test_a_wrong_method_is_405_with_a_page(as_user: Any) -> None:
    response = await (await as_user("max")).http.delete("/projects")
    assert response.status_code == 405
    assert "That is not allowed here." in response.text


async def test_the_api_answers_an_unknown_path_with_a_problem_detail(browser: Browser) -> None:
    response = await browser.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 404
