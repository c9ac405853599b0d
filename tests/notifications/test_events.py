"""News beyond card edits: a plan waiting for the client's review and the client's decision, a card due
tomorrow (the morning job), a billing summary ready; and whom `@` suggests on a card."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from redis.asyncio import Redis

from server.kernel.config import Settings
from server.notifications import writes
from server.notifications.jobs import due_tomorrow
from server.tables import Project, Task, TaskAssignee
from tests.conftest import Agency
from tests.factories import actor, add_card, add_summary
from tests.notifications.helpers import everyone_told, kinds_for, mails
from tests.portal.conftest import Planned


async def test_cleo_hears_a_plan_waits_for_her_and_cole_does_not(
    agency: Agency, planned: Planned, as_user: Any
) -> None:
    max_ = await as_user("max")
    assert (await max_.post(f"/sprints/{planned.sprint_id}/submit", htmx=True)).status_code == 200
    assert await everyone_told() == {agency.cleo: ["review_waiting"]}
    [mail] = await mails()  # the client hears by email too, by default
    assert mail["to_address"] == "cleo@acme.test" and f"/sprints/{planned.sprint_id}/review" in mail["text"]


async def test_max_hears_cleo_approved_his_plan(agency: Agency, planned: Planned, as_user: Any) -> None:
    await (await as_user("max")).post(f"/sprints/{planned.sprint_id}/submit", htmx=True)
    cleo = await as_user("cleo")
    assert (await cleo.post(f"/sprints/{planned.sprint_id}/approve", {"note": ""}, htmx=True)).status_code == 200
    assert await kinds_for(agency.max) == ["review_decided"]
    assert await kinds_for(agency.cleo) == ["review_waiting"]  # not told of her own decision
    page = await (await as_user("max")).get("/notifications")
    assert "Cleo Client approved the plan" in page.text


async def test_max_hears_cleo_sent_the_plan_back_with_her_note(agency: Agency, planned: Planned, as_user: Any) -> None:
    await (await as_user("max")).post(f"/sprints/{planned.sprint_id}/submit", htmx=True)
    cleo = await as_user("cleo")
    await cleo.post(f"/sprints/{planned.sprint_id}/request-changes", {"note": "Footer first, please"}, htmx=True)
    page = await (await as_user("max")).get("/notifications")
    assert "Cleo Client asked for changes to the plan" in page.text and "Footer first, please" in page.text


def worker_ctx(redis: Redis) -> dict[str, Any]:
    return {"settings": replace(Settings.from_env(), smtp_url=""), "redis": redis}


async def test_the_morning_job_tells_assignees_of_tomorrow_s_cards_once(agency: Agency, redis_url: str) -> None:
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    due = await add_card(agency.acme_project, "Launch", by=actor(agency, "ada"))
    later = await add_card(agency.acme_project, "Later", by=actor(agency, "ada"))
    done = await add_card(agency.acme_project, "Done already", column="Done", by=actor(agency, "ada"))
    await Task.update({Task.due_on: tomorrow}).where(Task.id.is_in([due, done]))
    await Task.update({Task.due_on: tomorrow + timedelta(days=3)}).where(Task.id == later)
    for task_id in (due, later, done):
        await TaskAssignee.insert(TaskAssignee(task=task_id, person=agency.max))
    redis = Redis.from_url(redis_url)
    try:
        assert await due_tomorrow(worker_ctx(redis)) == [agency.max]
        assert await due_tomorrow(worker_ctx(redis)) == []  # run again: nobody is told twice
    finally:
        await redis.aclose()
    assert await everyone_told() == {agency.max: ["due_tomorrow"]}


async def test_ada_hears_her_summary_is_ready_once(agency: Agency) -> None:
    last_week = datetime.now(UTC).date() - timedelta(days=7)
    summary_id = await add_summary(agency.acme, last_week, last_week + timedelta(days=6), requested_by=agency.ada)
    delivery = writes.Delivery(bells=None, secret="s", base_url="http://x")
    summary = {"id": summary_id, "requested_by": agency.ada}
    assert await writes.summary_ready(summary, "Acme, last week", delivery) == [agency.ada]
    assert await writes.summary_ready(summary, "Acme, last week", delivery) == []  # a retried job
    assert await kinds_for(agency.ada) == ["summary_ready"]


# ---- @ suggestions


async def test_max_is_offered_the_card_s_people_by_what_he_typed(agency: Agency, as_user: Any) -> None:
    task_id = await add_card(agency.acme_project, "Hero", by=actor(agency, "ada"))
    max_ = await as_user("max")
    everyone = (await max_.get(f"/tasks/{task_id}/mentions")).json()
    assert [p["name"] for p in everyone] == ["Ada Admin", "Cleo Client"]  # not himself, not Globex's people
    assert (await max_.get(f"/tasks/{task_id}/mentions", params={"q": "cl"})).json() == [
        {"id": agency.cleo, "name": "Cleo Client"}
    ]
    assert (await max_.get(f"/tasks/{task_id}/mentions", params={"q": "adm"})).json()[0]["name"] == "Ada Admin"


async def test_nobody_of_the_client_is_offered_on_an_internal_card(agency: Agency, as_user: Any) -> None:
    task_id = await add_card(agency.acme_project, "Margins", by=actor(agency, "ada"))
    await Task.update({Task.internal: True}).where(Task.id == task_id)
    max_ = await as_user("max")
    assert [p["name"] for p in (await max_.get(f"/tasks/{task_id}/mentions")).json()] == ["Ada Admin"]
    cleo = await as_user("cleo")
    assert (await cleo.get(f"/tasks/{task_id}/mentions")).status_code == 404


async def test_cleo_is_offered_no_agency_people_where_the_project_hides_them(agency: Agency, as_user: Any) -> None:
    task_id = await add_card(agency.acme_project, "Hero", by=actor(agency, "ada"))
    cleo = await as_user("cleo")
    assert [p["name"] for p in (await cleo.get(f"/tasks/{task_id}/mentions")).json()] == ["Ada Admin", "Max Member"]
    await Project.update({Project.client_sees_people: False}).where(Project.id == agency.acme_project)
    assert (await cleo.get(f"/tasks/{task_id}/mentions")).json() == []


async def test_the_billing_worker_tells_ada_her_summary_is_ready(agency: Agency, redis_url: str) -> None:
    from arq import create_pool
    from arq.connections import RedisSettings

    from server.billing import jobs
    from tests.billing.jobs_support import add_entries, new_summary, run_worker

    await add_entries(agency)
    summary_id = await new_summary(agency)
    queue = await create_pool(RedisSettings.from_dsn(redis_url))
    try:
        await jobs.enqueue(queue, summary_id, 0, Settings.from_env().channel_namespace)
    finally:
        await queue.aclose()
    worker = await run_worker(redis_url)
    assert worker.jobs_complete == 1 and worker.jobs_failed == 0
    assert await everyone_told() == {agency.ada: ["summary_ready"]}
    assert await mails() == []  # a summary rings the bell only, unless ada asks for email
