"""What the agency lets a client see of a shared project (issue 11): logged hours and who works on
what, each switched on or off on the project's form (on by default, as before); share links that stop
when the project is unshared or archived; and a shared billing summary that lists only the projects
shared with the client."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from server.billing.writes import compute_summary, finalise, share
from server.boards.changes import Silent
from server.boards.writes import set_visibility, toggle_assignee
from server.realtime.hub import AGENCY, CLIENT
from server.sprints import share_writes
from server.sprints.schemas import ShareLinkInput
from server.tables import Project
from tests.boards.test_wire_format import Recorder
from tests.conftest import Agency
from tests.factories import actor, add_card, add_entry, add_summary, task_row, today, weekly_sprint


async def settings(project_id: int, **values: bool) -> None:
    await Project.update({getattr(Project, name): value for name, value in values.items()}).where(
        Project.id == project_id
    )


async def worked_on(agency: Agency) -> int:
    """An ACME card max is assigned to, with 2h30 logged by him last week and a timer running now."""
    task_id = await add_card(agency.acme_project, "Homepage hero", estimate=600)
    await toggle_assignee(
        await task_row(task_id), actor(agency, "ada"), {"id": agency.max, "name": "Max Member"}, Silent()
    )
    last_week = datetime.now(UTC) - timedelta(days=7)
    await add_entry(task_id, agency.max, last_week, 150)
    await add_entry(task_id, agency.ada, datetime.now(UTC) - timedelta(minutes=5), None)
    return task_id


# ---- hours and people


async def test_as_before_cleo_sees_hours_and_people(agency: Agency, as_user: Any) -> None:
    await worked_on(agency)
    cleo = await as_user("cleo")
    board = (await cleo.get(f"/projects/{agency.acme_project}")).text
    assert "2h 30m" in board
    assert 'title="Max Member"' in board and "timer-dot" in board
    hours = await cleo.get(f"/portal/projects/{agency.acme_project}/hours")
    assert hours.status_code == 200 and "Max Member" in hours.text


async def test_cleo_sees_no_hours_when_the_project_keeps_them(agency: Agency, as_user: Any) -> None:
    task_id = await worked_on(agency)
    await settings(agency.acme_project, client_sees_hours=False)
    cleo, ada = await as_user("cleo"), await as_user("ada")
    board = (await cleo.get(f"/projects/{agency.acme_project}")).text
    assert "card-progress" not in board and "2h 30m" not in board
    assert (await cleo.get(f"/portal/projects/{agency.acme_project}/hours")).status_code == 404
    assert f"/portal/projects/{agency.acme_project}/hours" not in (await cleo.get("/portal")).text
    assert "logged time" not in (await cleo.get(f"/tasks/{task_id}", headers={"hx-request": "true"})).text
    # the agency is not affected
    assert "card-progress" in (await ada.get(f"/projects/{agency.acme_project}")).text
    agency_hours = await ada.get(f"/portal/projects/{agency.acme_project}/hours")
    assert agency_hours.status_code == 200 and "The client does not see this page" in agency_hours.text


async def test_cleo_sees_no_people_when_the_project_keeps_them(agency: Agency, as_user: Any) -> None:
    task_id = await worked_on(agency)
    await settings(agency.acme_project, client_sees_people=False)
    cleo = await as_user("cleo")
    board = (await cleo.get(f"/projects/{agency.acme_project}")).text
    assert "Max Member" not in board and "timer-dot" not in board and "Ada Admin" not in board.split("</header>")[-1]
    dialog = (await cleo.get(f"/tasks/{task_id}", headers={"hx-request": "true"})).text
    assert "Max Member" not in dialog and "assigned" not in dialog and "The team" in dialog
    hours = (await cleo.get(f"/portal/projects/{agency.acme_project}/hours")).text
    assert "Max Member" not in hours and "2h 30m" in hours


async def test_cleos_live_card_follows_the_projects_settings(agency: Agency) -> None:
    task_id = await worked_on(agency)
    await settings(agency.acme_project, client_sees_hours=False, client_sees_people=False)
    told = Recorder()
    await toggle_assignee(await task_row(task_id), actor(agency, "ada"), {"id": agency.mia, "name": "Mia Member"}, told)
    drawn = told.drawn[-1]
    assert "Mia Member" in drawn[AGENCY] and "timer-dot" in drawn[AGENCY]
    assert "Mia Member" not in drawn[CLIENT] and "Max Member" not in drawn[CLIENT] and "timer-dot" not in drawn[CLIENT]
    assert "card-progress" in drawn[AGENCY] and "card-progress" not in drawn[CLIENT]


async def test_the_review_page_keeps_last_weeks_hours_and_the_teams_names_when_told(
    agency: Agency, as_user: Any
) -> None:
    await worked_on(agency)
    sprint_id = await weekly_sprint(agency.acme_project)
    await add_card(agency.acme_project, "Pricing table", sprint_id=sprint_id)
    cleo = await as_user("cleo")
    assert "logged in the week of" in (await cleo.get(f"/sprints/{sprint_id}/review")).text
    await settings(agency.acme_project, client_sees_hours=False)
    page = (await cleo.get(f"/sprints/{sprint_id}/review")).text
    assert "logged in the week of" not in page and "Pricing table" in page


async def test_ada_sets_what_the_client_sees_on_the_project_form(agency: Agency, as_user: Any) -> None:
    ada = await as_user("ada")
    new = (await ada.get("/admin/projects/new")).text
    assert (
        'name="client_sees_hours" value="on" checked' in new and 'name="client_sees_people" value="on" checked' in new
    )
    assert 'value="shared" checked' in new
    form = {"client": str(agency.acme), "name": "Acme website", "key": "ACME", "shared_with_client": "on"}
    response = await ada.post(
        f"/admin/projects/{agency.acme_project}", {**form, "new_cards": "internal", "client_sees_people": "on"}
    )
    assert response.status_code == 303, response.text
    row = await Project.select().where(Project.id == agency.acme_project).first()
    assert row is not None
    assert (row["new_cards_internal"], row["client_sees_hours"], row["client_sees_people"]) == (True, False, True)
    page = (await ada.get(f"/admin/projects/{agency.acme_project}")).text
    assert 'value="internal" checked' in page and "New cards are internal" in page
    bad = await ada.post(f"/admin/projects/{agency.acme_project}", {**form, "new_cards": "sometimes"})
    assert bad.status_code == 422
    unchanged = await Project.select().where(Project.id == agency.acme_project).first()
    assert unchanged is not None and unchanged["client_sees_people"] is True


# ---- share links


async def test_a_share_link_stops_when_the_project_is_unshared_or_archived(agency: Agency, browser: Any) -> None:
    await weekly_sprint(agency.acme_project)
    token = await share_writes.create_link(agency.acme_project, ShareLinkInput("", "", None), actor(agency, "ada"))
    assert (await browser.get(f"/share/{token}")).status_code == 200
    await settings(agency.acme_project, shared_with_client=False)
    assert (await browser.get(f"/share/{token}")).status_code == 404
    await settings(agency.acme_project, shared_with_client=True, archived=True)
    assert (await browser.get(f"/share/{token}")).status_code == 404
    await settings(agency.acme_project, archived=False)
    assert (await browser.get(f"/share/{token}")).status_code == 200


# ---- a shared billing summary


async def test_a_shared_summary_leaves_out_projects_not_shared_with_the_client(agency: Agency, as_user: Any) -> None:
    start = today() - timedelta(days=400)
    website = await add_card(agency.acme_project, "Homepage hero")
    brand = await add_card(agency.brand_project, "Logo sketches")  # BRAND: not shared with Acme
    secret = await add_card(agency.acme_project, "Scratch notes")
    await set_visibility(await task_row(secret), actor(agency, "ada"), True, Silent())
    moment = datetime.combine(start + timedelta(days=2), datetime.min.time(), tzinfo=UTC).replace(hour=9)
    await add_entry(website, agency.max, moment, 60)
    await add_entry(brand, agency.max, moment + timedelta(hours=2), 120)
    await add_entry(secret, agency.max, moment + timedelta(hours=5), 30)
    summary_id = await add_summary(agency.acme, start, start + timedelta(days=6), requested_by=agency.ada)
    await compute_summary(summary_id, timezone="UTC")
    ada_actor = actor(agency, "ada")
    await finalise(summary_id, ada_actor)
    ada, cleo = await as_user("ada"), await as_user("cleo")

    before = (await ada.get(f"/billing/summaries/{summary_id}")).text
    assert "1 project is not shared with Acme and will be left out of Acme's copy" in before
    await share(summary_id, ada_actor, shared=True, show_amounts=True)

    copy = (await cleo.get(f"/portal/summaries/{summary_id}")).text
    assert "Acme website" in copy and "Acme brand book" not in copy and "BRAND" not in copy
    # The website's 1h and its internal card's 30m count (no line names the internal card); BRAND's 2h do not.
    assert "1h 30m" in copy and "3h 30m" not in copy and "Scratch notes" not in copy
    listing = (await cleo.get("/portal/summaries")).text
    assert "1h 30m" in listing and "3h 30m" not in listing
    agency_copy = (await ada.get(f"/billing/summaries/{summary_id}")).text
    assert "Acme brand book" in agency_copy
