"""GET /projects: the projects each persona may open, and nothing else."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Agency

ALL = ("Acme website", "Globex app", "Acme brand book")


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("ada", {"Acme website", "Globex app", "Acme brand book"}),
        ("max", {"Acme website", "Acme brand book"}),
        ("mia", {"Globex app"}),
        ("cleo", {"Acme website"}),  # the brand book is not shared with Acme
        ("cole", {"Globex app"}),
    ],
)
async def test_each_persona_sees_only_their_projects(
    as_user: Any, agency: Agency, persona: str, sees: set[str]
) -> None:
    page = await (await as_user(persona)).get("/projects")
    assert page.status_code == 200
    assert {name for name in ALL if name in page.text} == sees


async def test_home_sends_people_to_their_work(as_user: Any, agency: Agency) -> None:
    response = await (await as_user("mia")).get("/")
    assert response.status_code == 303
    assert response.headers["location"] == "/me"  # My work: her cards across her projects
