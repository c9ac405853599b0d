"""An open card dialog is live: max and ada have the same card open; each sees the other's edits
without a reload, and a field ada is typing in is kept, with max's version beside it to choose."""

from __future__ import annotations

import os
import re

import pytest
from playwright.async_api import Page, expect

from server.boards.demo import seed_boards
from server.tables import ChecklistItem, Task
from tests.browser.conftest import PageFor, Screenshot, open_board, task_id
from tests.conftest import Agency

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def open_card(page: Page, project_id: int, card: int) -> None:
    await open_board(page, project_id)
    await page.locator(f"#task-{card} .card-link").click()
    await expect(page.locator("dialog[open]")).to_be_visible()
    await expect(page).to_have_url(re.compile(rf"/tasks/{card}$"))


async def test_max_and_ada_see_each_others_edits_in_the_open_dialog_and_ada_chooses_on_a_clash(
    agency: Agency, page_for: PageFor, screenshot: Screenshot
) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    hero = await task_id("Homepage hero copy")
    max_page, ada_page = await page_for("max"), await page_for("ada")
    await open_card(max_page, agency.acme_project, hero)
    await open_card(ada_page, agency.acme_project, hero)
    max_dialog, ada_dialog = max_page.locator("dialog[open]"), ada_page.locator("dialog[open]")

    # max renames the card and adds a checklist item: ada's open dialog shows both.
    await max_dialog.locator("#cd-title").fill("Hero copy, take two")
    async with max_page.expect_response(lambda r: r.url.endswith("/title")):
        await max_dialog.locator("#cd-title").press("Enter")
    await max_dialog.locator("#cd-item-text").fill("Check the tone with Acme")
    await max_dialog.locator("#cd-item-text").press("Enter")
    await expect(max_dialog.locator(".cd-checklist")).to_contain_text("Check the tone with Acme")
    await expect(ada_dialog.locator("#cd-title")).to_have_value("Hero copy, take two")
    await expect(ada_dialog.locator(".cd-checklist")).to_contain_text("Check the tone with Acme")

    # ...and ada's edits reach max's dialog the same way.
    await ada_dialog.locator(".cd-checklist li", has_text="Check the tone with Acme").locator("input").check()
    await expect(max_dialog.locator(".cd-item-done", has_text="Check the tone with Acme")).to_have_count(1)

    # ada is writing a description while max saves his: hers stays, his shows beside it.
    await ada_dialog.locator(".cd-edit summary").click()
    await ada_dialog.locator("#cd-description").fill("Ada's draft: short and warm.")
    await max_dialog.locator(".cd-edit summary").click()
    await max_dialog.locator("#cd-description").fill("Max's draft: bold and loud.")
    await max_dialog.locator(".cd-edit form button[type=submit]").click()
    notice = ada_dialog.locator(".cd-theirs")
    await expect(notice).to_contain_text("Max's draft: bold and loud.")
    await expect(ada_dialog.locator("#cd-description")).to_have_value("Ada's draft: short and warm.")
    await expect(ada_dialog.locator("#cd-description")).to_be_focused()
    if os.environ.get("BOARDROOM_SCREENSHOTS"):  # `make screenshots`: the notice at desk and phone widths
        for width, height, name in ((1280, 800, "card-dialog-conflict"), (390, 844, "card-dialog-conflict-phone")):
            await ada_page.set_viewport_size({"width": width, "height": height})
            await notice.scroll_into_view_if_needed()
            await screenshot(ada_page, name)

    # "Keep mine", then Save: no 409, ada's text is the card's, and max's dialog shows it.
    answers: list[int] = []
    ada_page.on("response", lambda r: answers.append(r.status) if r.url.endswith("/description") else None)
    await notice.get_by_role("button", name="Keep mine").click()
    await expect(notice).to_have_count(0)
    # Max's dialog can hear of the save before ada's page has its answer: wait for that answer.
    async with ada_page.expect_response(lambda r: r.url.endswith("/description")) as saved:
        await ada_dialog.locator(".cd-edit form button[type=submit]").click()
    assert (await saved.value).status == 200
    await expect(max_dialog.locator(".cd-main .markdown").first).to_contain_text("Ada's draft: short and warm.")
    assert answers == [200]
    await expect(ada_dialog.locator(".cd-alert")).to_have_count(0)
    row = await Task.select(Task.title, Task.description).where(Task.id == hero).first()
    assert row == {"title": "Hero copy, take two", "description": "Ada's draft: short and warm."}
    assert await ChecklistItem.exists().where(
        (ChecklistItem.task == hero) & (ChecklistItem.text == "Check the tone with Acme") & ChecklistItem.done.eq(True)
    )
    for page in (max_page, ada_page):
        assert await page.evaluate("window.boardroomTestMark") == "still here"  # no reload
        await expect(page.locator("dialog[open]")).to_be_visible()


async def test_use_theirs_replaces_what_ada_was_typing(agency: Agency, page_for: PageFor) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    hero = await task_id("Homepage hero copy")
    max_page, ada_page = await page_for("max"), await page_for("ada")
    await open_card(max_page, agency.acme_project, hero)
    await open_card(ada_page, agency.acme_project, hero)
    max_dialog, ada_dialog = max_page.locator("dialog[open]"), ada_page.locator("dialog[open]")

    await ada_dialog.locator("#cd-title").fill("Ada's title")
    await max_dialog.locator("#cd-title").fill("Max's title")
    await max_dialog.locator("#cd-title").press("Enter")
    notice = ada_dialog.locator(".cd-theirs")
    await expect(notice).to_contain_text("Max's title")
    await notice.get_by_role("button", name="Use theirs").click()
    await expect(ada_dialog.locator("#cd-title")).to_have_value("Max's title")
    await expect(notice).to_have_count(0)
    await ada_page.locator("#cd-item-text").click()  # leaving the title saves nothing: it is theirs
    row = await Task.select(Task.title, Task.version).where(Task.id == hero).first()
    assert row == {"title": "Max's title", "version": 2}


async def test_saving_one_field_keeps_what_is_being_typed_in_another(agency: Agency, page_for: PageFor) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    hero = await task_id("Homepage hero copy")
    max_page = await page_for("max")
    await open_card(max_page, agency.acme_project, hero)
    dialog = max_page.locator("dialog[open]")

    await dialog.locator("#cd-comment-body").fill("Half a thought")
    async with max_page.expect_response(lambda r: r.url.endswith("/done")):
        await dialog.locator(".cd-checklist li", has_text="Pick one with Acme").locator("input").check()
    await expect(dialog.locator(".cd-item-done", has_text="Pick one with Acme")).to_have_count(1)
    await expect(dialog.locator("#cd-comment-body")).to_have_value("Half a thought")
