"""The budget banner (GET /projects/<id>/budget-banner) on the board and the project's settings, and
one overview line fetched again (GET /budgets/lines/<id>): admins only, each drawn as it is now."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.budgets.alerts_support import log_on, set_budget
from tests.conftest import Agency, Browser


async def test_ada_sees_no_banner_below_the_thresholds(ada: Browser, agency: Agency) -> None:
    await set_budget(agency.acme_project, budget_hours=10)
    await log_on(agency, agency.acme_project, 7 * 60)
    banner = await ada.get(f"/projects/{agency.acme_project}/budget-banner")
    assert banner.status_code == 200 and banner.text == ""


async def test_ada_sees_how_far_a_budget_is_past_its_threshold(ada: Browser, agency: Agency) -> None:
    await set_budget(agency.acme_project, budget_hours=10, budget_period="monthly")
    await log_on(agency, agency.acme_project, 8 * 60 + 30)
    banner = await ada.get(f"/projects/{agency.acme_project}/budget-banner")
    assert 'class="alert budget-banner alert-warn"' in banner.text
    assert "Budget alert" in banner.text
    assert "85% of this month&#39;s hours budget used: 8.5 of 10 h" in banner.text


async def test_an_overspent_budget_is_a_red_banner_worst_first(ada: Browser, agency: Agency) -> None:
    await set_budget(agency.acme_project, budget_hours=10, budget_amount=Decimal("1000"))
    await log_on(agency, agency.acme_project, 11 * 60)  # 110 % of the hours, €1,045: 104 % of the money
    banner = await ada.get(f"/projects/{agency.acme_project}/budget-banner")
    assert 'class="alert budget-banner alert-error"' in banner.text and "Over budget" in banner.text
    hours, money = banner.text.index("110% of the hours budget"), banner.text.index("104% of the money budget")
    assert hours < money
    assert "€1,045.00 of €1,000.00" in banner.text


async def test_the_board_and_the_settings_load_the_banner_for_admins_only(as_user: Any, agency: Agency) -> None:
    await set_budget(agency.acme_project, budget_hours=1)
    await log_on(agency, agency.acme_project, 120)
    ada, max_ = await as_user("ada"), await as_user("max")
    loader = f'hx-get="/projects/{agency.acme_project}/budget-banner"'
    assert loader in (await ada.get(f"/projects/{agency.acme_project}")).text
    assert loader in (await ada.get(f"/admin/projects/{agency.acme_project}")).text
    assert loader not in (await max_.get(f"/projects/{agency.acme_project}")).text
    for persona in ("max", "cleo", "cole"):
        refused = await (await as_user(persona)).get(f"/projects/{agency.acme_project}/budget-banner")
        assert refused.status_code == 404 and "hours budget" not in refused.text


async def test_a_line_fetched_again_is_the_overview_s_line_as_it_is_now(ada: Browser, agency: Agency) -> None:
    await set_budget(agency.acme_project, budget_hours=10)
    await log_on(agency, agency.acme_project, 6 * 60)
    page = await ada.get("/budgets")
    assert 'ws-connect="/budgets/ws"' in page.text
    assert f"hours-changed:{agency.acme_project}" in page.text
    await log_on(agency, agency.acme_project, 6 * 60)

    line = await ada.get(f"/budgets/lines/{agency.acme_project}")

    assert line.status_code == 200
    assert line.text.lstrip().startswith("<") and f'id="budget-{agency.acme_project}"' in line.text
    assert "12 of 10 h" in line.text and "risk-over" in line.text and "<html" not in line.text
    again = await ada.get("/budgets")
    start = again.text.index(f'<tr id="budget-{agency.acme_project}"')
    drawn = again.text[start : again.text.index("</tr>", start) + len("</tr>")]
    assert line.text.strip() == drawn.strip()  # the page's line exactly: nothing drifts between the two


async def test_a_project_without_a_budget_has_no_line(ada: Browser, agency: Agency) -> None:
    line = await ada.get(f"/budgets/lines/{agency.globex_project}")
    assert line.status_code == 200 and line.text == ""


async def test_members_and_clients_cannot_fetch_a_line(as_user: Any, agency: Agency) -> None:
    await set_budget(agency.acme_project, budget_hours=10)
    for persona in ("max", "cleo"):
        line = await (await as_user(persona)).get(f"/budgets/lines/{agency.acme_project}")
        assert line.status_code == 404 and "of 10 h" not in line.text
