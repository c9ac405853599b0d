"""The admin's billing pages: asking for a summary (and what is refused), finalising, unlocking,
sharing, downloads, not-yet-billed; the client's portal view; the JSON API."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest

from server.billing import jobs
from server.kernel.config import Settings
from server.tables import Activity, BillingSummary, TimeEntry
from tests.billing.helpers import shared_summary
from tests.billing.jobs_support import MONDAY, add_entries, new_summary, queue, run_worker, summary
from tests.conftest import Agency

__all__ = ["queue"]
CUSTOM = {"preset": "custom", "start": "2026-11-02", "end": "2026-11-08"}


async def computed(agency: Agency, redis_url: str, queue: Any, **values: Any) -> int:
    await add_entries(agency)
    summary_id = await new_summary(agency, **values)
    await jobs.enqueue(queue, summary_id, 0, Settings.from_env().channel_namespace)
    await run_worker(redis_url)
    return summary_id


async def test_the_billing_page_offers_clients_presets_and_lists_summaries(agency: Agency, as_user: Any) -> None:
    await new_summary(agency)
    ada = await as_user("ada")
    page = await ada.get("/billing")
    assert page.status_code == 200
    assert "All clients" in page.text and "Last month" in page.text and ">Acme<" in page.text
    assert "/billing/unbilled" in page.text and "/billing/summaries/1" in page.text


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"preset": "someday"}, "preset", "Choose one of the options."),
        ({"preset": "custom", "start": "2026-11-31", "end": "2026-12-01"}, "start", "Enter a date like"),
        ({"preset": "custom", "start": "2026-11-08", "end": "2026-11-02"}, "end", "on or after the start"),
        ({"preset": "custom", "start": "2025-01-01", "end": "2026-11-02"}, "end", "at most 366 days"),
        ({"preset": "last_week", "client": "99999"}, "client", "Choose one of the options."),
        ({"preset": "last_week", "client": "acme"}, "client", "Choose one of the options."),
    ],
)
async def test_a_bad_request_is_refused_beside_its_field_and_writes_nothing(
    agency: Agency, as_user: Any, form: dict[str, str], field: str, message: str
) -> None:
    ada = await as_user("ada")
    response = await ada.post("/billing/summaries", form)
    assert response.status_code == 422
    assert f'id="e-{field}"' in response.text and message in response.text
    assert "<html" in response.text  # the whole page again
    assert await BillingSummary.count() == 0


async def test_an_htmx_request_gets_the_form_alone(agency: Agency, as_user: Any) -> None:
    ada = await as_user("ada")
    response = await ada.post("/billing/summaries", {"preset": "custom"}, htmx=True)
    assert response.status_code == 422
    assert "<html" not in response.text and 'id="request-summary"' in response.text


async def test_an_archived_client_cannot_be_summarised(agency: Agency, as_user: Any) -> None:
    from server.tables import Client

    await Client.update({Client.archived: True}).where(Client.id == agency.globex)
    ada = await as_user("ada")
    response = await ada.post("/billing/summaries", {"preset": "last_week", "client": str(agency.globex)})
    assert response.status_code == 422


async def test_asking_for_a_summary_queues_it_and_answers_at_once(agency: Agency, as_user: Any, queue: Any) -> None:
    ada = await as_user("ada")
    began = time.perf_counter()
    response = await ada.post("/billing/summaries", {**CUSTOM, "client": ""})
    elapsed = time.perf_counter() - began
    assert response.status_code == 303 and response.headers["location"] == "/billing/summaries/1"
    assert elapsed < 0.5  # the work is the worker's; the request only writes a row and queues it
    row = await summary(1)
    assert row["client"] is None and row["requested_by"] == agency.ada and row["source"] == "request"
    assert await queue.exists("arq:job:" + jobs.job_id(1, 0))


async def test_the_header_chip_shows_a_running_summary_and_nothing_otherwise(agency: Agency, as_user: Any) -> None:
    ada = await as_user("ada")
    empty = await ada.get("/billing/jobs")
    assert 'id="jobs"' in empty.text and "job-chip" not in empty.text
    summary_id = await new_summary(agency, status="running", progress=40)
    chip = await ada.get("/billing/jobs")
    assert f'href="/billing/summaries/{summary_id}"' in chip.text and "40%" in chip.text


async def test_a_done_summary_shows_totals_tables_rates_and_charts(
    agency: Agency, as_user: Any, redis_url: str, queue: Any
) -> None:
    summary_id = await computed(agency, redis_url, queue)
    ada = await as_user("ada")
    page = await ada.get(f"/billing/summaries/{summary_id}")
    text = page.text
    assert "1h 50m" in text and "1h 30m" in text and "20m" in text  # total, billable, non-billable
    assert "€142.50" in text  # 90 min at Acme's 95.00
    assert "By project" in text and "By person" in text and "By task" in text and "By day" in text
    assert "Max Member" in text and "tag-source-client" in text
    assert text.count('<svg class="chart"') == 2, "two charts: hours a day by project, hours a person"
    fragment = await ada.get(f"/billing/summaries/{summary_id}", headers={"hx-request": "true"})
    assert "<html" not in fragment.text and f'id="summary-{summary_id}-body"' in fragment.text


async def test_finalise_then_unlock_with_a_reason(agency: Agency, as_user: Any, redis_url: str, queue: Any) -> None:
    summary_id = await computed(agency, redis_url, queue)
    ada = await as_user("ada")

    response = await ada.post(f"/billing/summaries/{summary_id}/finalise")

    assert response.status_code == 303
    assert (await summary(summary_id))["finalised_at"] is not None
    assert await TimeEntry.count().where(TimeEntry.summary == summary_id) == 2
    page = await ada.get(f"/billing/summaries/{summary_id}")
    assert "Finalised" in page.text and "Unlock" in page.text and "Recompute" not in page.text

    refused = await ada.post(f"/billing/summaries/{summary_id}/unlock", {"reason": " "})
    assert refused.status_code == 422 and 'id="e-reason"' in refused.text
    assert (await summary(summary_id))["finalised_at"] is not None

    response = await ada.post(f"/billing/summaries/{summary_id}/unlock", {"reason": "Wrong task on Monday"})
    assert response.status_code == 303
    assert (await summary(summary_id))["finalised_at"] is None
    assert await TimeEntry.count().where(TimeEntry.summary == summary_id) == 0
    assert await Activity.exists().where(Activity.verb == "billing_unlocked")


async def test_finalising_twice_is_refused_with_a_notice(agency: Agency, as_user: Any) -> None:
    summary_id = await shared_summary(agency)
    ada = await as_user("ada")
    response = await ada.post(f"/billing/summaries/{summary_id}/finalise")
    assert response.status_code == 303
    page = await ada.get(response.headers["location"])
    assert "flash-error" in page.text


async def test_sharing_a_finalised_summary_with_and_without_amounts(agency: Agency, as_user: Any) -> None:
    await add_entries(agency)
    summary_id = await shared_summary(agency, show_amounts=False, start=MONDAY, end=MONDAY + timedelta(days=6))
    ada, cleo, cole = await as_user("ada"), await as_user("cleo"), await as_user("cole")

    page = await cleo.get(f"/portal/summaries/{summary_id}")
    assert page.status_code == 200 and "Acme website" in page.text and "By week" in page.text
    assert "€" not in page.text and "Rate" not in page.text
    assert (await cole.get(f"/portal/summaries/{summary_id}")).status_code == 404
    assert f"/portal/summaries/{summary_id}" in (await cleo.get("/portal/summaries")).text
    assert f"/portal/summaries/{summary_id}" not in (await cole.get("/portal/summaries")).text

    await ada.post(f"/billing/summaries/{summary_id}/share", {"shared": "on", "show_amounts": "on"})
    assert "€" in (await cleo.get(f"/portal/summaries/{summary_id}")).text

    await ada.post(f"/billing/summaries/{summary_id}/share", {})
    assert (await cleo.get(f"/portal/summaries/{summary_id}")).status_code == 404


async def test_a_summary_that_is_not_finalised_cannot_be_shared(
    agency: Agency, as_user: Any, redis_url: str, queue: Any
) -> None:
    summary_id = await computed(agency, redis_url, queue)
    ada = await as_user("ada")
    await ada.post(f"/billing/summaries/{summary_id}/share", {"shared": "on"})
    assert (await summary(summary_id))["shared_with_client"] is False
    assert (await (await as_user("cleo")).get(f"/portal/summaries/{summary_id}")).status_code == 404


async def test_downloads_are_attachments_excel_can_open(
    agency: Agency, as_user: Any, redis_url: str, queue: Any
) -> None:
    summary_id = await computed(agency, redis_url, queue)
    ada = await as_user("ada")
    for suffix in ("entries.csv", "totals.csv"):
        response = await ada.get(f"/billing/summaries/{summary_id}/{suffix}")
        assert response.status_code == 200
        assert response.content.startswith(b"\xef\xbb\xbf")
        assert response.headers["content-disposition"] == (
            f'attachment; filename="boardroom-acme-2026-11-02-2026-11-08-{suffix}"'
        )
    entries = (await ada.get(f"/billing/summaries/{summary_id}/entries.csv")).content.decode("utf-8-sig")
    assert entries.splitlines()[0].lower().startswith("date,") and "2026-11-02" in entries
    data = await ada.get(f"/billing/summaries/{summary_id}/summary.json")
    assert "110" in json.dumps(json.loads(data.content))
    assert "summary.json" in data.headers["content-disposition"]


async def test_downloads_wait_for_the_result(agency: Agency, as_user: Any) -> None:
    summary_id = await new_summary(agency)
    ada = await as_user("ada")
    assert (await ada.get(f"/billing/summaries/{summary_id}/entries.csv")).status_code == 404


async def test_recompute_and_retry_queue_a_new_job(agency: Agency, as_user: Any, redis_url: str, queue: Any) -> None:
    summary_id = await computed(agency, redis_url, queue)
    ada = await as_user("ada")
    assert (await ada.post(f"/billing/summaries/{summary_id}/retry")).status_code == 303
    assert (await summary(summary_id))["status"] == "done"  # only a failed one is retried
    assert (await ada.post(f"/billing/summaries/{summary_id}/recompute")).status_code == 303
    assert (await summary(summary_id))["status"] == "queued"
    assert await queue.exists("arq:job:" + jobs.job_id(summary_id, 1))


async def test_not_yet_billed_lists_hours_outside_finalised_summaries(agency: Agency, as_user: Any) -> None:
    await add_entries(agency)
    ada = await as_user("ada")
    page = await ada.get("/billing/unbilled")
    assert page.status_code == 200 and "Acme website" in page.text and "Globex app" in page.text
    assert "Request summary" in page.text and 'value="2026-11-02"' in page.text


async def test_the_api_queues_a_summary_and_reports_it(agency: Agency, as_user: Any, redis_url: str) -> None:
    await add_entries(agency)
    ada = await as_user("ada")
    body = {"client_id": agency.acme, "start": "2026-11-02", "end": "2026-11-08"}
    response = await ada.post("/api/billing/summaries", json=body)
    assert response.status_code == 202
    url = response.json()["url"]
    assert (await ada.get(url)).json()["status"] == "queued"
    await run_worker(redis_url)
    detail = (await ada.get(url)).json()
    assert detail["status"] == "done" and detail["result"]["totals"]["rounded_minutes"] == 90
    assert detail["amounts"] == {"EUR": "142.50"}
    assert (await ada.get(url + "/entries.csv")).content.startswith(b"\xef\xbb\xbf")
    assert [s["id"] for s in (await ada.get("/api/billing/summaries")).json()] == [detail["id"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"start": "2026-11-08", "end": "2026-11-02"}, "end"),
        ({"start": "2026-11-02", "end": "2026-11-08", "client_id": 99999}, "client_id"),
        ({"start": "2026-11-02"}, "end"),
        ({"start": "2026-13-02", "end": "2026-11-08"}, "start"),
    ],
)
async def test_the_api_names_the_field_it_refuses(
    agency: Agency, as_user: Any, body: dict[str, Any], field: str
) -> None:
    ada = await as_user("ada")
    response = await ada.post("/api/billing/summaries", json=body)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]
    assert await BillingSummary.count() == 0


async def test_the_api_is_not_there_for_members(agency: Agency, as_user: Any) -> None:
    summary_id = await new_summary(agency)
    max_ = await as_user("max")
    assert (await max_.get(f"/api/billing/summaries/{summary_id}")).status_code == 404
