"""Files on a card in real browsers: max drops a mock-up on the open card dialog and picks a PDF; ada,
with the same card open, sees them (the image with its thumbnail) without a reload; max makes the
image the card's cover and both boards show it."""

from __future__ import annotations

import base64
import re
from collections.abc import Awaitable, Callable

import pytest
from playwright.async_api import Page, expect

from server.boards.demo import seed_boards
from server.demo import DEMO_PASSWORD, seed_demo
from server.tables import Project
from tests.attachments.files import PDF, png
from tests.browser.conftest import PageFor, Screenshot, open_board, sign_in, task_id
from tests.conftest import Agency

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DROP = """([name, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type: "image/png" }));
  const target = document.querySelector("#dialog dialog .cd-main");
  for (const type of ["dragenter", "dragover", "drop"]) {
    target.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }
}"""


async def open_card(page: Page, project_id: int, card: int) -> None:
    await open_board(page, project_id)
    await page.locator(f"#task-{card} .card-link").click()
    await expect(page.locator("dialog[open]")).to_be_visible()
    await expect(page).to_have_url(re.compile(rf"/tasks/{card}$"))
    await expect(page.locator("dialog[open] #card-attachments .cd-section-head")).to_be_visible()


async def test_a_file_dropped_on_a_card_reaches_the_other_browser_with_its_thumbnail(
    agency: Agency, page_for: PageFor, screenshot: Screenshot, tmp_path: object
) -> None:
    await seed_boards({"max": agency.max, "mia": agency.mia})
    hero = await task_id("Homepage hero copy")
    max_page, ada_page = await page_for("max"), await page_for("ada")
    await open_card(max_page, agency.acme_project, hero)
    await open_card(ada_page, agency.acme_project, hero)
    max_dialog, ada_dialog = max_page.locator("dialog[open]"), ada_page.locator("dialog[open]")

    picture = base64.b64encode(png(1200, 800, "#f97316")).decode()
    await max_page.evaluate(DROP, ["hero-mockup.png", picture])
    mine = max_dialog.locator(".att-item", has_text="hero-mockup.png")
    await expect(mine.locator(".att-thumb img")).to_be_visible()
    theirs = ada_dialog.locator(".att-item", has_text="hero-mockup.png")
    await expect(theirs.locator(".att-thumb img")).to_be_visible()
    assert await theirs.locator(".att-thumb img").evaluate("img => img.complete && img.naturalWidth > 0")

    # Picking files works too (several at once), each with its own progress, then in the list.
    await max_dialog.locator(".att-input").set_input_files(
        [
            {"name": "brief.pdf", "mimeType": "application/pdf", "buffer": PDF},
            {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"Navy and gold."},
        ]
    )
    await expect(ada_dialog.locator(".att-item", has_text="brief.pdf")).to_be_visible()
    await expect(ada_dialog.locator(".att-item", has_text="notes.txt")).to_be_visible()
    await expect(max_dialog.locator(".att-upload")).to_have_count(0)

    # An empty file is refused beside its name; nothing else changes.
    await max_dialog.locator(".att-input").set_input_files(
        [{"name": "empty.txt", "mimeType": "text/plain", "buffer": b""}]
    )
    await expect(max_dialog.locator(".att-upload-failed")).to_contain_text("is empty")

    # The mock-up becomes the cover: both boards show it on the card.
    await mine.get_by_role("button", name="Make cover").click()
    await expect(
        max_dialog.locator(".att-item", has_text="hero-mockup.png").locator(".tag", has_text="Cover")
    ).to_be_visible()
    await expect(ada_page.locator(f"#task-{hero} img.card-cover")).to_be_visible()
    await screenshot(max_page, "card-dialog-files")
    await max_page.set_viewport_size({"width": 390, "height": 844})
    # The section is swapped again when the cover's live news comes back: scroll in one step.
    await max_dialog.locator("#card-attachments").evaluate("section => section.scrollIntoView()")
    await screenshot(max_page, "card-dialog-files-phone")
    await ada_page.keyboard.press("Escape")
    await expect(ada_page.locator("dialog[open]")).to_have_count(0)
    await screenshot(ada_page, "board-card-cover")


async def test_the_demo_shows_the_clients_email_and_cleo_sees_only_shared_files(
    new_page: Callable[[], Awaitable[Page]], screenshot: Screenshot
) -> None:
    await seed_demo()
    web = await Project.select(Project.id).where(Project.key == "ACME").first()
    assert web is not None
    max_page = await new_page()
    await sign_in(max_page, "max@agency.example", DEMO_PASSWORD)
    await max_page.wait_for_url(lambda url: "/login" not in url)
    await open_card(max_page, web["id"], await task_id("Homepage hero copy"))
    dialog = max_page.locator("dialog[open]")
    email = dialog.locator(".att-item", has_text="brief-from-acme.eml")
    await email.get_by_role("button", name="Show message").click()
    message = email.locator(".att-email")
    await expect(message).to_contain_text("fast delivery, friendly people, fair")
    await expect(message.locator("a", has_text="tone-guide.txt")).to_be_visible()
    assert await message.locator("img").count() == 0  # the newsletter's tracking pixel is gone
    await message.scroll_into_view_if_needed()
    await screenshot(max_page, "card-dialog-email")

    cleo_page = await new_page()
    await sign_in(cleo_page, "cleo@acme.example", DEMO_PASSWORD)
    await cleo_page.wait_for_url(lambda url: "/login" not in url)
    navigation = await task_id("Navigation redesign")
    await open_board(cleo_page, web["id"])
    await expect(cleo_page.locator(f"#task-{navigation} img.card-cover")).to_be_visible()
    await screenshot(cleo_page, "board-card-cover-client")
    await cleo_page.locator(f"#task-{navigation} .card-link").click()
    files = cleo_page.locator("dialog[open] #card-attachments")
    await expect(files.locator(".att-item", has_text="navigation-wireframe.png")).to_be_visible()
    await expect(files).not_to_contain_text("menu-sketch-internal.png")
    await expect(files.locator(".att-drop")).to_be_visible()  # she may add files of her own
