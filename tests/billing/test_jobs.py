"""The billing job on a real arq worker and the suite's Redis: computed once asked for, failures
recorded and retried, the same result when run again."""

from __future__ import annotations

from typing import Any

import pytest
from arq import ArqRedis

from server.billing import jobs, writes
from server.kernel.config import Settings
from tests.billing.jobs_support import MONDAY, add_entries, new_summary, queue, run_worker, summary
from tests.conftest import Agency

__all__ = ["queue"]


@pytest.fixture
def namespace() -> str:
    return Settings.from_env().channel_namespace


async def test_a_summary_asked_for_on_the_page_is_computed_by_the_worker(
    agency: Agency, as_user: Any, redis_url: str
) -> None:
    await add_entries(agency)
    ada = await as_user("ada")
    form = {"client": str(agency.acme), "preset": "custom", "start": MONDAY.isoformat(), "end": "2026-11-08"}
    response = await ada.post("/billing/summaries", form)
    assert response.status_code == 303
    url = response.headers["location"]
    summary_id = int(url.rsplit("/", 1)[1])
    assert (await summary(summary_id))["status"] == "queued"
    page = await ada.get(url)
    assert "Queued" in page.text and "progressbar" in page.text

    worker = await run_worker(redis_url)

    assert worker.jobs_complete == 1 and worker.jobs_failed == 0
    row = await summary(summary_id)
    assert row["status"] == "done" and row["progress"] == 100 and row["attempts"] == 1
    assert row["total_minutes"] == 110 and row["billable_minutes"] == 90
    assert row["rounded_minutes"] == 90  # Acme rounds to 15 minutes: 90 stays 90
    page = await ada.get(url)
    assert "Entries CSV" in page.text and "Acme website" in page.text and "<svg" in page.text


async def test_a_failing_job_is_marked_failed_with_its_error_and_tried_again(
    agency: Agency, queue: ArqRedis, redis_url: str, namespace: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary_id = await new_summary(agency)
    calls = []

    async def broken(summary_id: int, **kwargs: Any) -> None:
        calls.append(summary_id)
        raise RuntimeError("the database is on fire")

    monkeypatch.setattr(writes, "compute_summary", broken)
    monkeypatch.setattr(jobs, "RETRY_SECONDS", 0)
    await jobs.enqueue(queue, summary_id, 0, namespace)

    await run_worker(redis_url)

    assert len(calls) == jobs.MAX_TRIES
    row = await summary(summary_id)
    assert row["status"] == "failed" and row["attempts"] == jobs.MAX_TRIES
    assert row["error"] == "RuntimeError: the database is on fire"
    assert row["result"] == {}


async def test_a_job_that_fails_once_succeeds_on_arqs_retry(
    agency: Agency, queue: ArqRedis, redis_url: str, namespace: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await add_entries(agency)
    summary_id = await new_summary(agency)
    real = writes.compute_summary
    failures = [RuntimeError("connection reset")]

    async def flaky(summary_id: int, **kwargs: Any) -> None:
        if failures:
            raise failures.pop()
        await real(summary_id, **kwargs)

    monkeypatch.setattr(writes, "compute_summary", flaky)
    monkeypatch.setattr(jobs, "RETRY_SECONDS", 0)
    await jobs.enqueue(queue, summary_id, 0, namespace)

    await run_worker(redis_url)

    row = await summary(summary_id)
    assert row["status"] == "done" and row["attempts"] == 2 and row["error"] == ""


async def test_a_failed_summary_retried_from_its_page_is_computed(
    agency: Agency, as_user: Any, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await add_entries(agency)
    summary_id = await new_summary(agency, status="failed", attempts=3, error="RuntimeError: boom")
    ada = await as_user("ada")
    page = await ada.get(f"/billing/summaries/{summary_id}")
    assert "RuntimeError: boom" in page.text and f"/billing/summaries/{summary_id}/retry" in page.text

    response = await ada.post(f"/billing/summaries/{summary_id}/retry")

    assert response.status_code == 303
    assert (await summary(summary_id))["status"] == "queued"
    await run_worker(redis_url)
    row = await summary(summary_id)
    assert row["status"] == "done" and row["attempts"] == 4 and row["error"] == ""


async def test_the_same_attempt_is_queued_once(agency: Agency, queue: ArqRedis, redis_url: str, namespace: str) -> None:
    summary_id = await new_summary(agency)
    await jobs.enqueue(queue, summary_id, 0, namespace)
    await jobs.enqueue(queue, summary_id, 0, namespace)
    worker = await run_worker(redis_url)
    assert worker.jobs_complete == 1


async def test_running_the_job_again_stores_the_same_result(
    agency: Agency, queue: ArqRedis, redis_url: str, namespace: str
) -> None:
    await add_entries(agency)
    summary_id = await new_summary(agency, all_clients=True)
    await jobs.enqueue(queue, summary_id, 0, namespace)
    await run_worker(redis_url)
    first = await summary(summary_id)
    await jobs.enqueue(queue, summary_id, first["attempts"], namespace)
    await run_worker(redis_url)
    second = await summary(summary_id)
    assert second["attempts"] == first["attempts"] + 1
    assert second["result"] == first["result"] and second["amounts"] == first["amounts"]
    assert first["result"]["totals"]["total_minutes"] == 170
    assert set(first["amounts"]) == {"EUR", "USD"}


async def test_a_finalised_summary_is_not_computed_again(
    agency: Agency, queue: ArqRedis, redis_url: str, namespace: str, as_user: Any
) -> None:
    await add_entries(agency)
    summary_id = await new_summary(agency)
    await jobs.enqueue(queue, summary_id, 0, namespace)
    await run_worker(redis_url)
    ada = await as_user("ada")
    assert (await ada.post(f"/billing/summaries/{summary_id}/finalise")).status_code == 303
    finalised = await summary(summary_id)
    assert finalised["finalised_at"] is not None

    await jobs.enqueue(queue, summary_id, finalised["attempts"], namespace)
    await run_worker(redis_url)

    row = await summary(summary_id)
    assert row["result"] == finalised["result"] and row["attempts"] == finalised["attempts"]
