"""Ada opens a summary whose worker died: once the sweep has found it, the page says the worker was
lost and the summary is resuming, not a frozen "Computing… 10%"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from arq import ArqRedis
from playwright.async_api import expect

from server.billing import jobs
from tests.billing.jobs_support import queue
from tests.billing.test_jobs_recovery import namespace
from tests.billing.test_worker_lost import a_crashed_job
from tests.browser.conftest import PageFor, Screenshot
from tests.conftest import Agency

__all__ = ["queue"]
pytestmark = [pytest.mark.browser]


async def test_ada_sees_worker_lost_resuming_on_the_summary_page(
    agency: Agency, queue: ArqRedis, page_for: PageFor, screenshot: Screenshot
) -> None:
    summary_id = await a_crashed_job(agency)
    assert await jobs.sweep(queue, namespace(), datetime.now(UTC)) == [summary_id]
    page = await page_for("ada")
    await page.goto(f"/billing/summaries/{summary_id}")
    await expect(page.get_by_role("status")).to_contain_text("Worker lost, resuming…")
    await expect(page.get_by_text("Computing…")).to_have_count(0)
    await screenshot(page, "billing-worker-lost")
    await page.set_viewport_size({"width": 390, "height": 844})
    await screenshot(page, "billing-worker-lost-phone")
