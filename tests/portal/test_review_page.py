"""The client's review page: goal, the planned cards with their descriptions and estimates, the
total and last week's result; the decision form only for the client while the plan waits; the
agency sees the same page as a preview. The print page shows the same plan without navigation."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from server.tables import Comment, Sprint
from tests.conftest import Agency
from tests.factories import add_entry
from tests.portal.conftest import Planned


async def test_cleo_sees_goal_cards_descriptions_estimates_and_total(
    agency: Agency, planned: Planned, as_user: Any
) -> None:
    page = await (await as_user("cleo")).get(f"/sprints/{planned.sprint_id}/review")
    assert page.status_code == 200
    text = page.text
    assert "Launch the new homepage" in text
    assert "Homepage hero copy" in text and "Footer links" in text
    assert "Three <strong>headline</strong> options" in text  # Markdown, sanitised
    assert "3h" in text and "1h" in text
    assert "Total 4h" in text
    assert "Approve this plan" not in text  # a draft is not the client's to decide yet


async def test_the_decision_form_appears_while_the_plan_waits(agency: Agency, planned: Planned, as_user: Any) -> None:
    await (await as_user("max")).post(f"/sprints/{planned.sprint_id}/submit")
    cleo_page = await (await as_user("cleo")).get(f"/sprints/{planned.sprint_id}/review")
    assert "Approve this plan" in cleo_page.text and "Request changes" in cleo_page.text
    max_page = await (await as_user("max")).get(f"/sprints/{planned.sprint_id}/review")
    assert max_page.status_code == 200
    assert "Approve this plan" not in max_page.text
    assert "Only the client’s people can approve this plan." in max_page.text


async def test_last_week_shows_the_closed_result_or_else_the_hours_logged(
    agency: Agency, planned: Planned, as_user: Any
) -> None:
    cleo = await as_user("cleo")
    last_monday = (await Sprint.select(Sprint.starts_on).where(Sprint.id == planned.sprint_id).first())["starts_on"] - (
        timedelta(days=7)
    )
    await add_entry(planned.hero, agency.max, datetime_at(last_monday), 90)
    page = await cleo.get(f"/sprints/{planned.sprint_id}/review")
    assert "1h 30m logged in the week of" in page.text

    await Sprint.insert(
        Sprint(
            project=agency.acme_project,
            name="Last week",
            starts_on=last_monday,
            ends_on=last_monday + timedelta(days=6),
            state="closed",
            result={"planned_minutes": 600, "completed_minutes": 480, "carried": 2},
        )
    )
    page = await cleo.get(f"/sprints/{planned.sprint_id}/review")
    assert "Last week: 8h completed of 10h planned" in page.text
    assert "2 cards carried over" in page.text


def datetime_at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=UTC)


async def test_cole_and_mia_cannot_see_the_acme_review(agency: Agency, planned: Planned, as_user: Any) -> None:
    for name in ("cole", "mia"):
        assert (await (await as_user(name)).get(f"/sprints/{planned.sprint_id}/review")).status_code == 404
        assert (await (await as_user(name)).get(f"/sprints/{planned.sprint_id}/print")).status_code == 404


async def test_cleo_sees_client_comments_but_not_internal_ones(agency: Agency, planned: Planned, as_user: Any) -> None:
    max_ = await as_user("max")
    await max_.post(
        f"/sprints/{planned.sprint_id}/comments", {"body": "Margins are thin here", "visibility": "internal"}
    )
    await max_.post(f"/sprints/{planned.sprint_id}/comments", {"body": "Copy is ready Tuesday", "visibility": "client"})
    cleo = await as_user("cleo")
    posted = await cleo.post(f"/sprints/{planned.sprint_id}/comments", {"body": "Thanks, looks good"})
    assert posted.status_code == 303
    page = await cleo.get(f"/sprints/{planned.sprint_id}/review")
    assert "Copy is ready Tuesday" in page.text and "Thanks, looks good" in page.text
    assert "Margins are thin here" not in page.text
    assert "rate" not in page.text.lower()
    rows = await Comment.select(Comment.body, Comment.visibility).where(Comment.sprint == planned.sprint_id)
    assert {"body": "Thanks, looks good", "visibility": "client"} in rows
    agency_page = await max_.get(f"/sprints/{planned.sprint_id}/review")
    assert "Margins are thin here" in agency_page.text


async def test_an_empty_comment_is_refused_beside_its_field(agency: Agency, planned: Planned, as_user: Any) -> None:
    cleo = await as_user("cleo")
    response = await cleo.post(f"/sprints/{planned.sprint_id}/comments", {"body": "  "}, htmx=True)
    assert response.status_code == 422
    assert 'id="e-body"' in response.text
    assert not await Comment.exists().where(Comment.sprint == planned.sprint_id)


async def test_the_print_page_has_the_plan_and_no_navigation(agency: Agency, planned: Planned, as_user: Any) -> None:
    page = await (await as_user("cleo")).get(f"/sprints/{planned.sprint_id}/print")
    assert page.status_code == 200
    assert "Homepage hero copy" in page.text and "Total 4h" in page.text
    assert "Acme" in page.text and "Draft" in page.text
    assert 'class="topbar"' not in page.text
