"""Signing in through the real login form in chromium."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import PageFor, Screenshot, sign_in
from tests.conftest import EMAILS, PASSWORD, Agency

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def test_ada_signs_in_through_the_form_and_sees_the_projects(
    agency: Agency, new_page: Callable[[], Awaitable[Page]], screenshot: Screenshot
) -> None:
    page = await new_page()
    await page.goto("/projects")
    await expect(page).to_have_url(re.compile(r"/login\?next=/projects$"))
    await screenshot(page, "login")

    # on the form she was sent to: signed in, she goes where she was going (she would land on My work)
    await page.get_by_label("Email").fill(EMAILS["ada"])
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(re.compile(r"/projects$"))
    await expect(page.get_by_role("heading", name="Projects", level=1)).to_be_visible()
    for name in ("Acme website", "Acme brand book", "Globex app"):
        await expect(page.get_by_text(name, exact=True)).to_be_visible()
    await expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="People")).to_be_visible()
    await screenshot(page, "projects")


async def test_a_wrong_password_shows_the_error_beside_the_form(
    agency: Agency, new_page: Callable[[], Awaitable[Page]]
) -> None:
    page = await new_page()
    await sign_in(page, EMAILS["ada"], "not my password")
    await expect(page).to_have_url(re.compile(r"/login"))
    error = page.locator("form").get_by_role("alert")
    await expect(error).to_have_text("That email and password do not match an active account.")
    await expect(page.get_by_label("Email")).to_have_value(EMAILS["ada"])
    await expect(page.get_by_label("Password")).to_have_value("")


async def test_max_sees_only_his_projects_and_no_admin_pages(agency: Agency, page_for: PageFor) -> None:
    page = await page_for("max")
    await expect(page).to_have_url(re.compile(r"/me$"))  # a member's day starts on My work
    await page.goto("/projects")
    await expect(page.get_by_text("Acme website", exact=True)).to_be_visible()
    await expect(page.get_by_text("Globex app", exact=True)).to_have_count(0)
    await expect(page.get_by_role("link", name="People")).to_have_count(0)


async def test_ada_opens_the_people_page(agency: Agency, page_for: PageFor, screenshot: Screenshot) -> None:
    page = await page_for("ada")
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    await expect(page).to_have_url(re.compile(r"/admin/users$"))
    await expect(page.get_by_text(EMAILS["cleo"])).to_be_visible()
    await screenshot(page, "admin-users")
