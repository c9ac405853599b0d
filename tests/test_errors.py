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


async def test_an_unknown_address_keeps_the_header_and_says_not_found_once(as_user: Any) -> None:
    for path in ("/no/such/page", "/tasks/not-a-number", "/projects/999999"):
        response = await (await as_user("max")).get(path)
        assert response.status_code == 404, path
        page = response.text
        assert 'class="topbar"' in page and 'aria-label="Main"' in page, path  # header and navigation
        assert "Max Member" in page and "Timesheet" in page, path
        main = page[page.index("<main") :]
        assert main.count("Not found.") == 1 and "Not Found" not in page, path
        assert 'href="/projects"' in page and "Back to your projects" in page, path


async def test_a_client_is_led_back_to_the_portal_from_a_missing_page(as_user: Any) -> None:
    response = await (await as_user("cleo")).get("/no/such/page")
    assert response.status_code == 404
    assert 'class="topbar"' in response.text and "Back to your overview" in response.text


async def test_a_wrong_method_keeps_the_header_too(as_user: Any) -> None:
    response = await (await as_user("ada")).http.delete("/projects")
    assert response.status_code == 405
    assert 'class="topbar"' in response.text and "People" in response.text


async def test_anonymous_is_offered_the_sign_in_page_from_a_missing_page(browser: Browser) -> None:
    response = await browser.get("/no-such-page")
    assert response.status_code == 404
    assert 'class="topbar"' not in response.text and 'href="/login"' in response.text
