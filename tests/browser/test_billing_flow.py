"""Ada asks for a billing summary in the browser, watches its progress arrive over the personal
websocket, reads the result that appears without a reload, downloads the CSV and finalises it.
A real arq worker runs beside the live server (a subprocess on the same database and Redis)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest
from playwright.async_api import Page, expect

from server.kernel.config import ROOT
from tests.billing.jobs_support import add_entries, slow_worker_command, summary
from tests.browser.conftest import PageFor, Screenshot
from tests.conftest import Agency
from tests.live import stop
from tests.settings import TMP

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def worker(redis_url: str) -> Iterator[subprocess.Popen[bytes]]:
    """`arq tasks.worker.WorkerSettings`, slowed a little at each step so the progress can be seen."""
    env = {**os.environ, "REDIS_URL": redis_url, "PYTHONUNBUFFERED": "1"}
    with (TMP / "billing-flow-worker.log").open("wb") as log:
        process = subprocess.Popen(slow_worker_command(0.6), cwd=ROOT, env=env, stdout=log, stderr=log)
    yield process
    stop(process)


async def test_ada_requests_watches_downloads_and_finalises_a_summary(
    agency: Agency, page_for: PageFor, screenshot: Screenshot, worker: subprocess.Popen[bytes]
) -> None:
    await add_entries(agency)
    page: Page = await page_for("ada")
    await page.goto("/billing")
    await page.get_by_label("Client").select_option(label="Acme")
    await page.get_by_label("Period").select_option("custom")
    await page.get_by_label("From").fill("2026-11-02")
    await page.get_by_label("To").fill("2026-11-08")
    await page.get_by_role("button", name="Compute summary").click()

    await page.wait_for_url("**/billing/summaries/1")
    await page.evaluate("window.sameDocument = true")  # gone if the page reloads
    await expect(page.get_by_role("progressbar")).to_be_visible()
    await expect(page.locator("#jobs .job-chip")).to_be_visible()  # the header chip, pushed too
    await expect(page.get_by_text("Computing…")).to_be_visible(timeout=15_000)

    await expect(page.get_by_role("link", name="Entries CSV")).to_be_visible(timeout=20_000)
    assert await page.evaluate("window.sameDocument") is True
    await expect(page.locator(".totals-cards")).to_contain_text("1h 50m")
    await expect(page.locator(".totals-cards")).to_contain_text("€142.50")
    await expect(page.locator("#jobs .job-chip")).to_have_count(0)
    await page.reload()
    await screenshot(page, "billing-summary")

    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="Entries CSV").click()
    download = await download_info.value
    assert download.suggested_filename == "boardroom-acme-2026-11-02-2026-11-08-entries.csv"
    path = await download.path()
    assert path is not None and path.read_bytes().startswith(b"\xef\xbb\xbf")

    page.once("dialog", lambda dialog: dialog.accept())
    await page.get_by_role("button", name="Finalise…").click()
    await expect(page.locator(".tag-final")).to_be_visible()
    await expect(page.get_by_text("Unlock…")).to_be_visible()
    assert (await summary(1))["finalised_at"] is not None
