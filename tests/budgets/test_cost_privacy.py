"""Cost rates, fixed fees and margins are the agency admins' alone (issue 16): no page a member or a
client user can reach shows them."""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any

from server.tables import Project, User
from tests.budgets.test_margins import log
from tests.conftest import Agency
from tests.factories import add_card

SECRETS = ("47.31", "47,31", "12,345", "12 345", "12345", "Margin", "margin-")


async def test_members_and_clients_never_see_costs_or_margins(as_user: Any, agency: Agency) -> None:
    for person in (agency.max, agency.mia, agency.ada):
        await User.update({User.cost_rate: Decimal("47.31"), User.cost_currency: "EUR"}).where(User.id == person)
    await Project.update(
        {Project.fixed_fee: Decimal("12345.67"), Project.budget_hours: 100, Project.client_sees_hours: True}
    ).where(Project.id == agency.acme_project)
    task = await add_card(agency.acme_project, "Design")
    await log(task, agency.max, 120)
    pid = agency.acme_project
    pages = {
        "max": ["/projects", f"/projects/{pid}", f"/projects/{pid}/sprints", f"/tasks/{task}", "/me", "/timesheet",
                "/profile", "/notifications", "/api/projects"],
        "cleo": ["/portal", f"/portal/projects/{pid}/hours", f"/projects/{pid}", "/portal/summaries", "/profile"],
    }  # fmt: skip
    for persona, paths in pages.items():
        browser = await as_user(persona)
        for path in paths:
            page = await browser.get(path)
            assert page.status_code == 200, (persona, path, page.status_code)
            text = html.unescape(page.text)
            found = [secret for secret in SECRETS if secret in text]
            assert not found, (persona, path, found)
