"""The client review in two real browsers: max submits the week's plan on the sprint page, cleo's
open portal shows it without reloading, cleo approves on the review page, and max's sprint page
shows "Approved" without reloading."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from server.tables import Sprint
from tests.browser.conftest import PageFor, Screenshot
from tests.conftest import Agency
from tests.factories import weekly_sprint
from tests.portal.conftest import plan_cards

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def mark(page: Page) -> None:
    """Anything that reloads the page would lose this mark."""
    await page.evaluate("window.boardroomTestMark = 'still here'")


async def still_here(page: Page) -> None:
    assert await page.evaluate("window.boardroomTestMark") == "still here"


async def live(page: Page) -> None:
    """The personal socket is open (htmx's ws extension keeps it on the element)."""
    await page.wait_for_function(
        "() => { const el = document.getElementById('personal-live');"
        " const ws = el && el['htmx-internal-data'] && el['htmx-internal-data'].webSocket;"
        " return !!ws && ws.socket && ws.socket.readyState === 1; }"
    )


async def test_cleo_approves_the_plan_max_submitted_and_max_sees_it_live(
    agency: Agency, page_for: PageFor, screenshot: Screenshot
) -> None:
    sprint_id = await weekly_sprint(agency.acme_project)
    await Sprint.update({Sprint.goal: "Launch the new homepage"}).where(Sprint.id == sprint_id)
    await plan_cards(
        agency.acme_project,
        sprint_id,
        ("Homepage hero copy", 180, "Three **headline** options to choose from."),
        ("Pricing page layout", 240, "Desktop and mobile, with the new plan names."),
        ("Footer links", 60, ""),
    )
    max_page, cleo_page = await page_for("max"), await page_for("cleo")

    await cleo_page.goto("/portal")
    await expect(cleo_page.locator("#portal-pending")).to_contain_text("Nothing is waiting for you")
    await live(cleo_page)
    await mark(cleo_page)

    await max_page.goto(f"/sprints/{sprint_id}")
    box = max_page.locator(f"#sprint-review-box-{sprint_id}")
    await expect(box.locator(f"#sprint-review-{sprint_id}")).to_have_text("Draft")
    await live(max_page)
    await mark(max_page)
    await box.get_by_role("button", name="Submit for review").click()
    await expect(max_page.locator(f"#sprint-review-{sprint_id}")).to_have_text("Waiting for review")

    pending = cleo_page.locator(f"#pending-{sprint_id}")
    await expect(pending).to_be_visible()
    await expect(cleo_page.locator("#pending-reviews")).to_have_text("1")
    await still_here(cleo_page)

    await pending.get_by_role("link", name="Review the plan").click()
    await cleo_page.wait_for_url(f"**/sprints/{sprint_id}/review")
    await expect(cleo_page.locator(".cp-card-title")).to_have_text(
        ["Homepage hero copy", "Pricing page layout", "Footer links"]
    )
    await expect(cleo_page.locator(".cp-total")).to_contain_text("Total 8h")
    await screenshot(cleo_page, "client-review")
    await cleo_page.get_by_role("button", name="Approve this plan").click()
    await expect(cleo_page.locator(f"#sprint-review-{sprint_id}")).to_have_text("Approved")

    await expect(max_page.locator(f"#sprint-review-{sprint_id}")).to_have_text("Approved")
    await expect(max_page.locator(f"#sprint-review-box-{sprint_id}")).to_contain_text("Cleo Client")
    await still_here(max_page)
    assert (await Sprint.select(Sprint.review_state).where(Sprint.id == sprint_id).first()) == {
        "review_state": "approved"
    }
