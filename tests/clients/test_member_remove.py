"""POST /admin/projects/<id>/members/<membership id>/remove: take a person off a project's team."""

from __future__ import annotations

from typing import Any

from server.tables import Membership, User
from tests.conftest import Agency, Browser


async def test_ada_removes_max_from_acme(ada: Browser, agency: Agency) -> None:
    response = await ada.post(f"/admin/projects/{agency.acme_project}/members/{agency.max_on_acme}/remove")
    assert response.status_code == 303
    assert response.headers["location"] == f"/admin/projects/{agency.acme_project}#team"
    assert not await Membership.exists().where(Membership.id == agency.max_on_acme)


async def test_max_stays_on_his_other_projects(ada: Browser, agency: Agency) -> None:
    await ada.post(f"/admin/projects/{agency.acme_project}/members/{agency.max_on_acme}/remove")
    assert await Membership.exists().where(
        (Membership.project == agency.brand_project) & (Membership.member == agency.max)
    )
    assert await User.exists().where(User.id == agency.max)


async def test_it_answers_404_for_a_membership_of_another_project(ada: Browser, agency: Agency) -> None:
    response = await ada.post(f"/admin/projects/{agency.globex_project}/members/{agency.max_on_acme}/remove")
    assert response.status_code == 404
    assert await Membership.exists().where(Membership.id == agency.max_on_acme)


async def test_it_answers_404_for_an_unknown_membership(ada: Browser, agency: Agency) -> None:
    assert (await ada.post(f"/admin/projects/{agency.acme_project}/members/987654/remove")).status_code == 404
    response = await ada.post(f"/admin/projects/{agency.acme_project}/members/99999999999999999999999/remove")
    assert response.status_code == 404
    assert await Membership.count() == 3


async def test_removing_twice_answers_404_the_second_time(ada: Browser, agency: Agency) -> None:
    path = f"/admin/projects/{agency.acme_project}/members/{agency.max_on_acme}/remove"
    assert (await ada.post(path)).status_code == 303
    assert (await ada.post(path)).status_code == 404


async def test_it_rejects_get(ada: Browser, agency: Agency) -> None:
    response = await ada.get(f"/admin/projects/{agency.acme_project}/members/{agency.max_on_acme}/remove")
    assert response.status_code == 405
    assert await Membership.exists().where(Membership.id == agency.max_on_acme)


async def test_it_hides_team_changes_from_max(as_user: Any, agency: Agency) -> None:
    max_ = await as_user("max")
    response = await max_.post(f"/admin/projects/{agency.acme_project}/members/{agency.max_on_acme}/remove")
    assert response.status_code == 404
    assert await Membership.exists().where(Membership.id == agency.max_on_acme)
