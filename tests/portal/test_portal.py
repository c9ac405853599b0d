"""The client portal: a client's user sees only their client's shared projects, the plans waiting
for their review (and their count in the nav), and hours per week without rates or amounts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from server.tables import Client
from tests.conftest import Agency
from tests.factories import add_entry, weekly_sprint
from tests.portal.conftest import Planned


async def test_cleo_is_sent_to_her_portal(agency: Agency, as_user: Any) -> None:
    response = await (await as_user("cleo")).get("/")
    assert response.status_code == 303
    assert response.headers["location"] == "/portal"


async def test_cleo_sees_only_acme_projects_shared_with_clients(agency: Agency, as_user: Any) -> None:
    page = await (await as_user("cleo")).get("/portal")
    assert page.status_code == 200
    assert "Acme website" in page.text
    assert "Acme brand book" not in page.text  # not shared with the client
    assert "Globex app" not in page.text
    assert "/portal/summaries" in page.text


async def test_the_agency_has_no_portal(agency: Agency, as_user: Any) -> None:
    for name in ("ada", "max"):
        assert (await (await as_user(name)).get("/portal")).status_code == 404


async def test_a_submitted_plan_waits_in_cleo_portal_not_in_cole(
    agency: Agency, planned: Planned, as_user: Any
) -> None:
    cleo = await as_user("cleo")
    assert 'class="nav-count"' not in (await cleo.get("/portal/pending-count")).text
    await (await as_user("max")).post(f"/sprints/{planned.sprint_id}/submit")
    page = await cleo.get("/portal")
    assert f'id="pending-{planned.sprint_id}"' in page.text
    assert f"/sprints/{planned.sprint_id}/review" in page.text
    count = await cleo.get("/portal/pending-count")
    assert '<span id="pending-reviews" class="nav-count"' in count.text and ">1</span>" in count.text
    cole = await as_user("cole")
    assert f'id="pending-{planned.sprint_id}"' not in (await cole.get("/portal")).text
    assert 'class="nav-count"' not in (await cole.get("/portal/pending-count")).text


async def test_a_plan_of_an_unshared_project_never_reaches_the_portal(agency: Agency, as_user: Any) -> None:
    from server.tables import Sprint

    sprint_id = await weekly_sprint(agency.brand_project)
    await Sprint.update({Sprint.review_state: "in_review"}).where(Sprint.id == sprint_id)
    cleo = await as_user("cleo")
    assert f'id="pending-{sprint_id}"' not in (await cleo.get("/portal")).text
    assert (await cleo.get(f"/sprints/{sprint_id}/review")).status_code == 404


async def test_hours_per_week_show_people_and_time_but_never_money(
    agency: Agency, planned: Planned, as_user: Any
) -> None:
    week_ago = datetime.now(UTC) - timedelta(days=7)
    await add_entry(planned.hero, agency.max, week_ago, 150, note="internal: slow client feedback")
    await Client.update({Client.hourly_rate: 95}).where(Client.id == agency.acme)
    page = await (await as_user("cleo")).get(f"/portal/projects/{agency.acme_project}/hours")
    assert page.status_code == 200
    assert "Max Member 2h 30m" in page.text
    assert "slow client feedback" not in page.text
    for money in ("95", "€", "EUR", "amount", "rate"):
        assert money not in page.text.split("<main", 1)[1], money


async def test_cole_cannot_see_acme_hours(agency: Agency, as_user: Any) -> None:
    response = await (await as_user("cole")).get(f"/portal/projects/{agency.acme_project}/hours")
    assert response.status_code == 404
    brand = await (await as_user("cleo")).get(f"/portal/projects/{agency.brand_project}/hours")
    assert brand.status_code == 404
