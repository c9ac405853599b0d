"""The bell in chromium: ada types "@Ma" in a comment on a card, picks Max from the suggestions, and
sends it; max, on his own page in another browser, sees his bell count go up without a reload, opens
the bell and finds the mention linking to the card."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from server.boards.demo import seed_boards
from tests.browser.conftest import PageFor, task_id
from tests.conftest import Agency

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def test_a_mention_rings_the_bell_of_the_person_mentioned_at_once(agency: Agency, page_for: PageFor) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    hero = await task_id("Homepage hero copy")
    max_page, ada_page = await page_for("max"), await page_for("ada")
    await expect(max_page).to_have_url(re.compile(r"/me$"))
    await max_page.wait_for_load_state("networkidle")
    await max_page.evaluate("window.boardroomTestMark = 'still here'")
    await expect(max_page.locator("#bell .bell-count")).to_have_count(0)

    await ada_page.goto(f"/tasks/{hero}")
    body = ada_page.locator("dialog[open] #cd-comment-body")
    await body.click()
    await body.press_sequentially("Could you check the headline, @Ma")
    suggestion = ada_page.get_by_role("option", name=re.compile("Max Member"))
    await expect(suggestion).to_be_visible()
    await body.press("Enter")  # picks the first suggestion, as a mail program does
    await expect(body).to_have_value("Could you check the headline, @Max Member ")
    await body.press_sequentially("before Friday?")
    await ada_page.locator("dialog[open] .cd-comment-form").get_by_role("button", name="Comment").click()
    await expect(ada_page.locator("dialog[open] .cd-comments")).to_contain_text("@Max Member before Friday?")

    await expect(max_page.locator("#bell .bell-count")).to_have_text("1")  # pushed over his personal socket
    assert await max_page.evaluate("window.boardroomTestMark") == "still here", "the page was not reloaded"
    await max_page.locator("#bell").click()
    mention = max_page.locator(".notification", has_text="mentioned you")
    await expect(mention).to_contain_text("Homepage hero copy")
    await expect(mention).to_contain_text("before Friday?")
