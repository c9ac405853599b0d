"""POST /admin/projects/<id>/members: put a person of the agency on a project's team."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from server.tables import Membership, User
from tests.clients.pages import field_errors
from tests.conftest import Agency, Browser


async def memberships(project_id: int) -> list[dict[str, Any]]:
    return await Membership.select().where(Membership.project == project_id).order_by(Membership.id)


async def test_ada_adds_mia_without_a_rate(ada: Browser, agency: Agency) -> None:
    response = await ada.post(f"/admin/projects/{agency.acme_project}/members", {"user": str(agency.mia)})
    assert response.status_code == 303
    assert response.headers["location"] == f"/admin/projects/{agency.acme_project}#team"
    added = (await memberships(agency.acme_project))[-1]
    assert added["member"] == agency.mia and added["hourly_rate"] is None


async def test_ada_adds_max_with_a_rate(ada: Browser, agency: Agency) -> None:
    form = {"user": str(agency.max), "member_rate": "72,50"}
    assert (await ada.post(f"/admin/projects/{agency.globex_project}/members", form)).status_code == 303
    added = (await memberships(agency.globex_project))[-1]
    assert added["member"] == agency.max and added["hourly_rate"] == Decimal("72.50")


async def test_ada_adds_herself(ada: Browser, agency: Agency) -> None:
    assert (
        await ada.post(f"/admin/projects/{agency.acme_project}/members", {"user": str(agency.ada)})
    ).status_code == 303
    assert agency.ada in [m["member"] for m in await memberships(agency.acme_project)]


async def test_the_team_lists_the_new_member_and_offers_only_the_others(ada: Browser, agency: Agency) -> None:
    await ada.post(f"/admin/projects/{agency.acme_project}/members", {"user": str(agency.mia), "member_rate": "60"})
    page = await ada.get(f"/admin/projects/{agency.acme_project}")
    assert "Mia Member" in page.text and "€60.00 per hour" in page.text
    assert f'<option value="{agency.mia}"' not in page.text
    assert f'<option value="{agency.ada}"' in page.text
    assert f'<option value="{agency.cleo}"' not in page.text


async def test_it_rejects_the_same_member_twice(ada: Browser, agency: Agency) -> None:
    response = await ada.post(f"/admin/projects/{agency.acme_project}/members", {"user": str(agency.max)})
    assert response.status_code == 422
    assert field_errors(response) == {"user": "Already on this project."}
    assert len(await memberships(agency.acme_project)) == 1


async def test_it_rejects_a_client_user_as_member(ada: Browser, agency: Agency) -> None:
    response = await ada.post(f"/admin/projects/{agency.acme_project}/members", {"user": str(agency.cleo)})
    assert response.status_code == 422
    assert field_errors(response) == {"user": "Choose one of the options."}
    assert [m["member"] for m in await memberships(agency.acme_project)] == [agency.max]


async def test_it_rejects_a_deactivated_person(ada: Browser, agency: Agency) -> None:
    await User.update({User.active: False}).where(User.id == agency.mia)
    response = await ada.post(f"/admin/projects/{agency.acme_project}/members", {"user": str(agency.mia)})
    assert response.status_code == 422
    assert len(await memberships(agency.acme_project)) == 1


@pytest.mark.parametrize("user", ["", "987654", "max", "-2", "99999999999", "2147483648", "³"])
async def test_it_rejects_an_unknown_or_malformed_person(ada: Browser, agency: Agency, user: str) -> None:
    response = await ada.post(f"/admin/projects/{agency.acme_project}/members", {"user": user})
    assert response.status_code == 422
    assert list(field_errors(response)) == ["user"]
    assert len(await memberships(agency.acme_project)) == 1


@pytest.mark.parametrize("rate", ["-1", "12.345", "lots", "1e2"])
async def test_it_rejects_a_bad_rate_and_adds_no_one(ada: Browser, agency: Agency, rate: str) -> None:
    form = {"user": str(agency.mia), "member_rate": rate}
    response = await ada.post(f"/admin/projects/{agency.acme_project}/members", form)
    assert response.status_code == 422
    assert list(field_errors(response)) == ["member_rate"]
    assert len(await memberships(agency.acme_project)) == 1


async def test_it_answers_404_for_an_unknown_project(ada: Browser, agency: Agency) -> None:
    response = await ada.post("/admin/projects/987654/members", {"user": str(agency.mia)})
    assert response.status_code == 404
    assert await Membership.count().where(Membership.member == agency.mia) == 1  # Globex only


async def test_it_hides_team_changes_from_max(as_user: Any, agency: Agency) -> None:
    max_ = await as_user("max")
    response = await max_.post(f"/admin/projects/{agency.acme_project}/members", {"user": str(agency.mia)})
    assert response.status_code == 404
    assert len(await memberships(agency.acme_project)) == 1
