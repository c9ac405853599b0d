"""A card's visibility in the browser (issue 11): ada makes a card internal from its dialog; the
dialog and the card on her board say so plainly, and cleo's open board loses the card live; shared
again, it comes back to cleo's board where it sits."""

from __future__ import annotations

import os

import pytest
from playwright.async_api import expect

from server.boards.demo import seed_boards
from tests.browser.conftest import PageFor, Screenshot, open_board, task_id
from tests.browser.test_card_dialog_live import open_card
from tests.conftest import Agency

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def test_ada_makes_a_card_internal_and_cleos_board_loses_it_live(
    agency: Agency, page_for: PageFor, screenshot: Screenshot
) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    hero = await task_id("Homepage hero copy")
    ada_page, cleo_page = await page_for("ada"), await page_for("cleo")
    await open_board(cleo_page, agency.acme_project)
    await expect(cleo_page.locator(f"#task-{hero}")).to_be_visible()
    await open_card(ada_page, agency.acme_project, hero)
    dialog = ada_page.locator("dialog[open]")
    visibility = dialog.locator("#cd-visibility")
    await expect(visibility).to_contain_text("Acme can see this card")

    await visibility.get_by_role("button", name="Make internal").click()
    await expect(visibility).to_contain_text("Internal: Acme cannot see this card")
    await expect(visibility.get_by_role("button", name="Share with Acme")).to_be_visible()
    await expect(cleo_page.locator(f"#task-{hero}")).to_have_count(0)
    await expect(ada_page.locator(f"#task-{hero} .chip-internal")).to_have_text("Internal")
    if os.environ.get("BOARDROOM_SCREENSHOTS"):
        for width, height, name in ((1280, 800, "card-visibility"), (390, 844, "card-visibility-phone")):
            await ada_page.set_viewport_size({"width": width, "height": height})
            await visibility.scroll_into_view_if_needed()
            await screenshot(ada_page, name)
        await ada_page.set_viewport_size({"width": 1280, "height": 800})
        await dialog.locator(".cd-close").click()
        await expect(ada_page.locator("dialog[open]")).to_have_count(0)
        await screenshot(ada_page, "board-internal-card")
        await open_card(ada_page, agency.acme_project, hero)

    await visibility.get_by_role("button", name="Share with Acme").click()
    await expect(visibility).to_contain_text("Acme can see this card")
    await expect(cleo_page.locator(f"#task-{hero}")).to_be_visible()
    assert await cleo_page.evaluate("window.boardroomTestMark") == "still here"  # live, not reloaded
