"""The client review, step by step: a member submits the week's plan, the client's user approves it
or asks for changes, and every step lands in the activity log with who did it."""

from __future__ import annotations

import re
from typing import Any

from server.rules.review import fingerprint
from server.sprints.review_store import planned as planned_cards
from server.sprints.store import plan_of
from server.tables import Project
from tests.conftest import Agency
from tests.factories import sprint_row, weekly_sprint
from tests.portal.conftest import Planned, review_steps


async def fingerprint_of(project_id: int, sprint_id: int) -> str:
    project = await Project.select().where(Project.id == project_id).first()
    assert project is not None
    plan = await plan_of(project, await sprint_row(sprint_id), client_view=True)
    return fingerprint(planned_cards(plan))


async def test_max_submits_the_plan_for_review(agency: Agency, planned: Planned, as_user: Any) -> None:
    max_ = await as_user("max")
    response = await max_.post(f"/sprints/{planned.sprint_id}/submit", htmx=True)
    assert response.status_code == 200
    assert "Waiting for review" in response.text
    sprint = await sprint_row(planned.sprint_id)
    assert sprint["review_state"] == "in_review"
    assert sprint["submitted_by"] == agency.max
    assert await review_steps(agency.acme_project) == [("sprint_submitted", agency.max)]


async def test_an_empty_plan_cannot_be_submitted(agency: Agency, as_user: Any) -> None:
    sprint_id = await weekly_sprint(agency.acme_project)
    response = await (await as_user("max")).post(f"/sprints/{sprint_id}/submit", htmx=True)
    assert response.status_code == 409
    assert "Add cards to the plan" in response.text
    assert (await sprint_row(sprint_id))["review_state"] == "draft"
    assert await review_steps(agency.acme_project) == []


async def test_a_plan_in_review_cannot_be_submitted_again(agency: Agency, planned: Planned, as_user: Any) -> None:
    max_ = await as_user("max")
    await max_.post(f"/sprints/{planned.sprint_id}/submit", htmx=True)
    response = await max_.post(f"/sprints/{planned.sprint_id}/submit", htmx=True)
    assert response.status_code == 409
    assert len(await review_steps(agency.acme_project)) == 1


async def test_cleo_cannot_submit_and_mia_cannot_see_the_sprint(agency: Agency, planned: Planned, as_user: Any) -> None:
    assert (await (await as_user("cleo")).post(f"/sprints/{planned.sprint_id}/submit")).status_code == 403
    assert (await (await as_user("mia")).post(f"/sprints/{planned.sprint_id}/submit")).status_code == 404
    assert (await sprint_row(planned.sprint_id))["review_state"] == "draft"


async def test_cleo_approves_the_plan_she_saw(agency: Agency, planned: Planned, as_user: Any) -> None:
    await (await as_user("max")).post(f"/sprints/{planned.sprint_id}/submit")
    cleo = await as_user("cleo")
    page = await cleo.get(f"/sprints/{planned.sprint_id}/review")
    seen = re.search(r'name="plan" value="([0-9a-f]+)"', page.text)
    assert seen is not None
    response = await cleo.post(f"/sprints/{planned.sprint_id}/approve", {"plan": seen.group(1)})
    assert response.status_code == 303
    sprint = await sprint_row(planned.sprint_id)
    assert sprint["review_state"] == "approved"
    assert sprint["reviewer"] == agency.cleo
    assert sprint["reviewed_at"] is not None
    assert await review_steps(agency.acme_project) == [
        ("sprint_submitted", agency.max),
        ("sprint_approved", agency.cleo),
    ]


async def test_an_approval_of_a_plan_that_changed_meanwhile_is_refused(
    agency: Agency, planned: Planned, as_user: Any
) -> None:
    await (await as_user("max")).post(f"/sprints/{planned.sprint_id}/submit")
    cleo = await as_user("cleo")
    response = await cleo.post(f"/sprints/{planned.sprint_id}/approve", {"plan": "0" * 16}, htmx=True)
    assert response.status_code == 409
    assert "The plan changed while you were reading it" in response.text
    assert (await sprint_row(planned.sprint_id))["review_state"] == "in_review"


async def test_cleo_asks_for_changes_with_a_comment(agency: Agency, planned: Planned, as_user: Any) -> None:
    await (await as_user("max")).post(f"/sprints/{planned.sprint_id}/submit")
    cleo = await as_user("cleo")
    response = await cleo.post(
        f"/sprints/{planned.sprint_id}/request-changes", {"note": "Hero copy <b>first</b>, footer next week"}, htmx=True
    )
    assert response.status_code == 200
    assert "Hero copy &lt;b&gt;first&lt;/b&gt;, footer next week" in response.text
    sprint = await sprint_row(planned.sprint_id)
    assert sprint["review_state"] == "changes_requested"
    assert sprint["review_note"] == "Hero copy <b>first</b>, footer next week"
    steps = await review_steps(agency.acme_project)
    assert steps[-1] == ("sprint_changes_requested", agency.cleo)


async def test_asking_for_changes_needs_a_comment(agency: Agency, planned: Planned, as_user: Any) -> None:
    await (await as_user("max")).post(f"/sprints/{planned.sprint_id}/submit")
    cleo = await as_user("cleo")
    for note in ("", "x" * 10_001):
        response = await cleo.post(f"/sprints/{planned.sprint_id}/request-changes", {"note": note}, htmx=True)
        assert response.status_code == 422
        assert 'id="e-note"' in response.text
    assert (await sprint_row(planned.sprint_id))["review_state"] == "in_review"


async def test_deciding_on_a_plan_not_in_review_is_a_conflict(agency: Agency, planned: Planned, as_user: Any) -> None:
    cleo = await as_user("cleo")
    response = await cleo.post(f"/sprints/{planned.sprint_id}/approve", {}, htmx=True)
    assert response.status_code == 409
    assert "not waiting for a review" in response.text
    assert (await sprint_row(planned.sprint_id))["review_state"] == "draft"


async def test_the_agency_cannot_decide_for_the_client(agency: Agency, planned: Planned, as_user: Any) -> None:
    await (await as_user("max")).post(f"/sprints/{planned.sprint_id}/submit")
    for name in ("ada", "max"):
        response = await (await as_user(name)).post(f"/sprints/{planned.sprint_id}/approve", {})
        assert response.status_code == 403
    assert (await (await as_user("cole")).post(f"/sprints/{planned.sprint_id}/approve", {})).status_code == 404
    assert (await sprint_row(planned.sprint_id))["review_state"] == "in_review"


async def test_changes_after_approval_are_listed_and_the_plan_can_be_resubmitted(
    agency: Agency, planned: Planned, as_user: Any
) -> None:
    max_ = await as_user("max")
    await max_.post(f"/sprints/{planned.sprint_id}/submit")
    cleo = await as_user("cleo")
    await cleo.post(
        f"/sprints/{planned.sprint_id}/approve", {"plan": await fingerprint_of(agency.acme_project, planned.sprint_id)}
    )
    unchanged = await max_.post(f"/sprints/{planned.sprint_id}/submit", htmx=True)
    assert unchanged.status_code == 409

    from server.tables import Task

    await Task.update({Task.estimate_minutes: 240}).where(Task.id == planned.hero)
    await Task.update({Task.sprint: None}).where(Task.id == planned.footer)
    box = await max_.get(f"/sprints/{planned.sprint_id}/review-box")
    assert "changed since approval" in box.text
    assert "Changed the estimate of “Homepage hero copy”" in box.text
    assert "Removed “Footer links”" in box.text
    assert "Resubmit for review" in box.text

    again = await max_.post(f"/sprints/{planned.sprint_id}/submit", htmx=True)
    assert again.status_code == 200
    assert (await sprint_row(planned.sprint_id))["review_state"] == "in_review"
    assert [verb for verb, _actor in await review_steps(agency.acme_project)] == [
        "sprint_submitted",
        "sprint_approved",
        "sprint_submitted",
    ]
