"""/me: the cards assigned to me across my projects, grouped by when they are due; my timer, my
hours against my capacity, plans waiting for the client; and where people land after signing in."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from server.rules.mywork import week_of
from server.rules.sprints import ReviewState, SprintState
from server.tables import Label, Project, Sprint, TaskAssignee, TaskLabel
from tests.conftest import Agency
from tests.factories import add_card, add_entry, today, weekly_sprint
from tests.mywork.helpers import assigned_card


def section_of(html: str, group: str) -> str:
    """One group's section of the page ('' when the group is not shown)."""
    match = re.search(rf'<section class="mywork-group mywork-{group}".*?</section>', html, re.S)
    return match.group(0) if match else ""


async def test_max_sees_his_cards_in_the_group_their_due_date_says(as_user: Any, agency: Agency) -> None:
    day = today()
    week = week_of(day)
    project = agency.acme_project
    await assigned_card(project, "Late invoice copy", agency.max, due_on=day - timedelta(days=1))
    await assigned_card(project, "Hero banner today", agency.max, due_on=day)
    later_this_week = week.last if week.last > day else None
    if later_this_week:
        await assigned_card(project, "Footer this week", agency.max, due_on=later_this_week)
    await assigned_card(project, "Launch later", agency.max, due_on=week.last + timedelta(days=3))
    await assigned_card(project, "Someday idea", agency.max)
    sprint = await weekly_sprint(project)
    await assigned_card(project, "Sprint work undated", agency.max, sprint=sprint)

    page = (await (await as_user("max")).get("/me")).text

    assert "Late invoice copy" in section_of(page, "overdue")
    assert "Hero banner today" in section_of(page, "today")
    assert "Sprint work undated" in section_of(page, "this_week")
    if later_this_week:
        assert "Footer this week" in section_of(page, "this_week")
    assert "Launch later" in section_of(page, "later")
    assert "Someday idea" in section_of(page, "no_date")


async def test_each_card_says_where_it_lives_and_links_to_its_dialog_on_the_board(as_user: Any, agency: Agency) -> None:
    task_id = await assigned_card(agency.acme_project, "Hero banner", agency.max, due_on=today())
    labels = await Label.insert(Label(project=agency.acme_project, name="design", color="violet")).returning(Label.id)
    await TaskLabel.insert(TaskLabel(task=task_id, label=labels[0]["id"]))
    card = re.search(
        rf'<li class="mywork-card" id="my-card-{task_id}">.*?</li>',
        (await (await as_user("max")).get("/me")).text,
        re.S,
    )
    assert card is not None
    html = card.group(0)
    assert f'href="/tasks/{task_id}"' in html
    assert "Acme · Acme website" in html and "To do" in html
    assert "label-violet" in html and "design" in html
    assert "chip-due chip-today" in html


async def test_only_my_cards_show_not_my_colleagues(as_user: Any, agency: Agency) -> None:
    await assigned_card(agency.acme_project, "Max's card", agency.max)
    await assigned_card(agency.acme_project, "Ada's card", agency.ada)
    await add_card(agency.acme_project, "Nobody's card")
    page = (await (await as_user("max")).get("/me")).text
    assert "Max&#39;s card" in page
    assert "Ada&#39;s card" not in page and "Nobody&#39;s card" not in page


async def test_a_card_on_a_project_i_may_not_see_stays_off_my_page(as_user: Any, agency: Agency) -> None:
    # max was assigned a Globex card once (say, before he left that project): he is no member of it.
    task_id = await add_card(agency.globex_project, "Globex secret")
    await TaskAssignee.insert(TaskAssignee(task=task_id, person=agency.max))
    assert "Globex secret" not in (await (await as_user("max")).get("/me")).text
    # ada sees every project: the same assignment shows on hers.
    await TaskAssignee.insert(TaskAssignee(task=task_id, person=agency.ada))
    assert "Globex secret" in (await (await as_user("ada")).get("/me")).text


async def test_archived_cards_archived_projects_and_done_cards_are_not_my_work(as_user: Any, agency: Agency) -> None:
    await assigned_card(agency.acme_project, "Archived card", agency.max, archived=True)
    await assigned_card(agency.acme_project, "Finished card", agency.max, column="Done")
    await assigned_card(agency.brand_project, "Brand card", agency.max)
    await Project.update({Project.archived: True}).where(Project.id == agency.brand_project)
    await assigned_card(agency.acme_project, "Open card", agency.max)
    page = (await (await as_user("max")).get("/me")).text
    assert "Open card" in page
    assert "Archived card" not in page and "Finished card" not in page and "Brand card" not in page


async def test_with_nothing_assigned_the_page_says_so(as_user: Any, agency: Agency) -> None:
    page = await (await as_user("mia")).get("/me")
    assert page.status_code == 200
    assert "Nothing is assigned to you" in page.text


async def test_my_running_timer_shows_with_its_stop_button(as_user: Any, agency: Agency) -> None:
    task_id = await assigned_card(agency.acme_project, "Timed card", agency.max)
    await add_entry(task_id, agency.max, datetime.now(UTC) - timedelta(minutes=20), None)
    page = (await (await as_user("max")).get("/me")).text
    timer = re.search(r'<section class="panel mywork-panel mywork-timer".*?</section>', page, re.S)
    assert timer is not None
    assert "Timed card" in timer.group(0) and 'hx-post="/timer/stop"' in timer.group(0)


async def test_hours_today_and_this_week_against_the_capacity_of_my_projects(as_user: Any, agency: Agency) -> None:
    task_id = await assigned_card(agency.acme_project, "Logged card", agency.max)
    now = datetime.now(UTC)
    start_of_today = datetime.combine(today(), datetime.min.time(), tzinfo=UTC)
    await add_entry(task_id, agency.max, start_of_today + timedelta(minutes=1), 90)
    earlier = week_of(today()).first
    if earlier < today():  # a day earlier this week counts in the week, not today
        await add_entry(task_id, agency.max, datetime.combine(earlier, datetime.min.time(), tzinfo=UTC), 60)
    await add_entry(task_id, agency.max, start_of_today - timedelta(days=8), 300)  # last week: neither
    await add_entry(task_id, agency.mia, now - timedelta(hours=3), 45)  # someone else's
    max_ = await as_user("max")

    hours = (await max_.get("/me")).text
    assert "<dt>Today</dt><dd>1h 30m</dd>" in hours
    assert ("<dt>This week</dt><dd>2h 30m" if earlier < today() else "<dt>This week</dt><dd>1h 30m") in hours
    assert "there is no capacity to compare with" in hours

    await Project.update({Project.weekly_capacity_hours: 12}).where(Project.id == agency.acme_project)
    await Project.update({Project.weekly_capacity_hours: 8}).where(Project.id == agency.brand_project)
    await Project.update({Project.weekly_capacity_hours: 30}).where(Project.id == agency.globex_project)  # not his
    hours = (await max_.get("/me")).text
    assert "of 20h" in hours
    assert "(Acme brand book, Acme website)" in hours


async def test_plans_waiting_for_the_client_on_my_projects_only(as_user: Any, agency: Agency) -> None:
    mine = await weekly_sprint(agency.acme_project)
    theirs = await weekly_sprint(agency.globex_project)
    await Sprint.update(
        {Sprint.review_state: ReviewState.IN_REVIEW.value, Sprint.submitted_at: datetime.now(UTC)}
    ).where(Sprint.id.is_in([mine, theirs]))
    page = (await (await as_user("max")).get("/me")).text
    assert f'href="/sprints/{mine}"' in page
    assert f'href="/sprints/{theirs}"' not in page
    assert f'href="/sprints/{theirs}"' in (await (await as_user("mia")).get("/me")).text


async def test_the_sections_alone_come_with_the_header_timer_out_of_band(as_user: Any, agency: Agency) -> None:
    await assigned_card(agency.acme_project, "Fresh card", agency.max)
    response = await (await as_user("max")).get("/me/sections", headers={"hx-request": "true"})
    assert response.status_code == 200
    assert response.text.startswith('<div id="my-work"')
    assert "Fresh card" in response.text
    assert '<div id="timer" hx-swap-oob="true"' in response.text
    assert "<html" not in response.text


async def test_a_client_is_sent_to_the_portal(as_user: Any, agency: Agency) -> None:
    cleo = await as_user("cleo")
    response = await cleo.get("/me")
    assert response.status_code == 303 and response.headers["location"] == "/portal"
    assert (await cleo.get("/me/sections")).status_code == 404


async def test_the_agency_lands_on_my_work_and_a_client_on_the_portal(as_user: Any, agency: Agency) -> None:
    for persona, landing in (("ada", "/me"), ("max", "/me"), ("cleo", "/portal")):
        response = await (await as_user(persona)).get("/")
        assert response.status_code == 303 and response.headers["location"] == landing, persona


async def test_the_header_links_to_my_work_for_the_agency_only(as_user: Any, agency: Agency) -> None:
    assert '<a href="/me" aria-current="page">' in (await (await as_user("max")).get("/me")).text
    assert 'href="/me"' not in (await (await as_user("cleo")).get("/portal")).text


async def test_a_card_whose_sprint_is_closed_is_not_this_weeks_for_that(as_user: Any, agency: Agency) -> None:
    sprint = await weekly_sprint(agency.acme_project)
    await Sprint.update({Sprint.state: SprintState.CLOSED.value}).where(Sprint.id == sprint)
    await assigned_card(agency.acme_project, "Left in a closed sprint", agency.max, sprint=sprint)
    page = (await (await as_user("max")).get("/me")).text
    assert "Left in a closed sprint" in section_of(page, "no_date")
