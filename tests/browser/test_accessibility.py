"""axe-core, run in the browser on the pages a person uses all day, finds nothing serious or critical.

The demo agency (server/demo.py) fills the pages: its people's initials ("MM", "MW") and its chips,
avatars and muted text are what a real agency shows. axe.min.js comes from the tests' own copy (the
`axe-playwright-python` dev dependency bundles axe-core), injected into each page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import axe_playwright_python
import pytest
from playwright.async_api import Page, expect

from server.demo import DEMO_PASSWORD, seed_demo
from server.tables import BillingSummary, Project, Sprint, Task
from tests.browser.conftest import Screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = Path(axe_playwright_python.__file__).with_name("axe.min.js")
SERIOUS = {"serious", "critical"}


async def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it stands, one line each."""
    await page.wait_for_load_state("networkidle")
    if not await page.evaluate("() => !!window.axe"):
        await page.add_script_tag(path=str(AXE))
    # label-content-name-mismatch is "experimental" in axe 4.12: asked for, as speech users need it.
    result: dict[str, Any] = await page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations'],"
        " rules: {'label-content-name-mismatch': {enabled: true}}})"
    )
    found = []
    for violation in result["violations"]:
        if violation["impact"] not in SERIOUS:
            continue
        for node in violation["nodes"][:5]:
            found.append(f"{violation['id']}: {node['target']} {node.get('failureSummary', '')[:160]}")
    return found


async def check(page: Page, where: str, screenshot: Screenshot | None = None) -> list[str]:
    problems = [f"{where}: {line}" for line in await serious_violations(page)]
    if screenshot:
        await screenshot(page, f"a11y-{where}")
    return problems


async def signed_in(new_page: Any, email: str) -> Page:
    page: Page = await new_page()
    await sign_in(page, email, DEMO_PASSWORD)
    await page.wait_for_url(lambda url: "/login" not in url)
    return page


async def test_the_daily_pages_have_no_serious_or_critical_axe_violations(new_page: Any) -> None:
    await seed_demo()
    web = await Project.select(Project.id).where(Project.key == "ACME").first()
    assert web is not None
    project_id = web["id"]
    card = await Task.select(Task.id).where(Task.project == project_id).order_by(Task.id).first()
    in_review = await Sprint.select(Sprint.id).where(Sprint.review_state == "in_review").first()
    summary = await BillingSummary.select(BillingSummary.id).first()
    assert card and in_review and summary
    problems: list[str] = []

    visitor: Page = await new_page()
    await visitor.goto("/login")
    problems += await check(visitor, "login")
    if await visitor.get_by_role("heading", level=1).count() != 1:
        problems.append("login: no level-one heading")  # axe rates this "moderate": asked for anyway

    ada = await signed_in(new_page, "ada@agency.example")
    await ada.goto("/projects")
    problems += await check(ada, "projects")
    await ada.goto(f"/projects/{project_id}")
    await expect(ada.locator("#connection")).to_have_text("live")
    problems += await check(ada, "board")
    await ada.goto(f"/tasks/{card['id']}")
    await expect(ada.locator("#dialog dialog[open]")).to_be_visible()
    problems += await check(ada, "card-dialog")
    await ada.goto(f"/projects/{project_id}/plan")
    problems += await check(ada, "planning")
    await ada.goto("/timesheet")
    problems += await check(ada, "timesheet")
    await ada.goto(f"/billing/summaries/{summary['id']}")
    problems += await check(ada, "billing-summary")

    cleo = await signed_in(new_page, "cleo@acme.example")
    await cleo.goto("/portal")
    problems += await check(cleo, "portal")
    await cleo.goto(f"/sprints/{in_review['id']}/review")
    problems += await check(cleo, "client-review")

    assert not problems, "\n".join(problems)


async def test_avatar_initials_fit_their_circle(new_page: Any) -> None:
    await seed_demo()
    web = await Project.select(Project.id).where(Project.key == "ACME").first()
    assert web is not None
    page = await signed_in(new_page, "ada@agency.example")
    await page.goto(f"/projects/{web['id']}")
    await expect(page.locator(".card .avatar:visible").first).to_be_visible()  # cards outside the sprint hide
    clipped = await page.evaluate(
        """() => [...document.querySelectorAll('.avatar')]
             .filter((a) => a.offsetParent && a.scrollWidth > a.clientWidth + 0.5)
             .map((a) => a.textContent.trim())"""
    )
    assert clipped == []
