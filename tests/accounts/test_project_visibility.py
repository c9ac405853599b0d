"""Who sees which project on /projects: ACME (Acme, shared, max), BRAND (Acme, not shared, max),
GLOBEX (Globex, shared, mia)."""

from __future__ import annotations

from typing import Any

import pytest

from server.tables import Project
from tests.conftest import Agency, Browser


async def visible(browser: Browser, agency: Agency) -> set[str]:
    response = await browser.get("/projects")
    assert response.status_code == 200
    keys = {"ACME": agency.acme_project, "BRAND": agency.brand_project, "GLOBEX": agency.globex_project}
    return {key for key, project_id in keys.items() if f'id="project-{project_id}"' in response.text}


@pytest.mark.parametrize(
    ("persona", "projects"),
    [
        ("ada", {"ACME", "BRAND", "GLOBEX"}),
        ("max", {"ACME", "BRAND"}),
        ("mia", {"GLOBEX"}),
        ("cleo", {"ACME"}),
        ("cole", {"GLOBEX"}),
    ],
)
async def test_each_persona_sees_exactly_their_projects(
    as_user: Any, agency: Agency, persona: str, projects: set[str]
) -> None:
    assert await visible(await as_user(persona), agency) == projects


async def test_cleo_does_not_see_globex_or_an_unshared_acme_project(as_user: Any, agency: Agency) -> None:
    response = await (await as_user("cleo")).get("/projects")
    assert "Acme website" in response.text
    assert "Globex" not in response.text and "Acme brand book" not in response.text


async def test_mia_does_not_see_acme(as_user: Any, agency: Agency) -> None:
    response = await (await as_user("mia")).get("/projects")
    assert "Globex app" in response.text
    assert "Acme" not in response.text


async def test_cleo_no_longer_sees_a_project_once_it_is_unshared(as_user: Any, agency: Agency) -> None:
    cleo = await as_user("cleo")
    await Project.update({Project.shared_with_client: False}).where(Project.id == agency.acme_project)
    assert await visible(cleo, agency) == set()
    assert "When the agency shares a project with you" in (await cleo.get("/projects")).text


async def test_an_archived_project_leaves_the_list(as_user: Any, agency: Agency) -> None:
    await Project.update({Project.archived: True}).where(Project.id == agency.acme_project)
    assert await visible(await as_user("max"), agency) == {"BRAND"}
    assert await visible(await as_user("cleo"), agency) == set()


async def test_anonymous_is_sent_to_sign_in(browser: Browser, agency: Agency) -> None:
    response = await browser.get("/projects")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/projects"
