"""The monthly client report prints as one clean A4 page from the browser: the client's copy and the
agency's, without the app's header, with the agency, the client and the month on it."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from tests.browser.conftest import PageFor
from tests.conftest import Agency
from tests.reports.conftest import Work, work

__all__ = ["work"]  # the month of work of tests/reports, made for the live server too

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PAGE = re.compile(rb"/Type\s*/Page[^s]")


@pytest.mark.parametrize("view", ["client", "agency"])
async def test_the_report_prints_on_one_a4_page(agency: Agency, work: Work, page_for: PageFor, view: str) -> None:
    page = await page_for("ada")
    await page.goto(f"/clients/{agency.acme}/reports/{work.key}/print?view={view}")
    await expect(page.locator("#report-sheet h1")).to_have_text("Acme")
    await page.emulate_media(media="print")
    await expect(page.locator(".print-tools")).to_be_hidden()
    assert await page.locator(".topbar").count() == 0
    pdf = await page.pdf(format="A4")
    assert len(PAGE.findall(pdf)) == 1
    assert ("Server patching" in await page.content()) is (view == "agency")
