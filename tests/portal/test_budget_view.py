"""The client's view of a project's budget on their portal (issue 16): where the agency switched it
on, cleo of Acme sees ACME's hours used against its hours budget this period and how much of the
period has passed; never money. Switched off, nothing of it reaches her; cole of Globex never sees
Acme's."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.budgets.alerts_support import log_on, set_budget
from tests.conftest import Agency

BLOCK = 'class="portal-budget"'


async def acme_budget(agency: Agency, *, shown: bool) -> None:
    """ACME: a monthly retainer of 40 h and €4,000, 30 h used (€2,850 at Acme's €95)."""
    await set_budget(
        agency.acme_project,
        budget_hours=40,
        budget_amount=Decimal("4000"),
        budget_period="monthly",
        client_sees_budget=shown,
    )
    await log_on(agency, agency.acme_project, 30 * 60)


async def test_cleo_sees_acme_hours_against_the_budget_when_switched_on(agency: Agency, as_user: Any) -> None:
    await acme_budget(agency, shown=True)
    page = await (await as_user("cleo")).get("/portal")
    assert page.status_code == 200
    start = page.text.index(f'id="portal-budget-{agency.acme_project}"')
    block = page.text[start : page.text.index('class="project-meta"', start)]
    assert "Hours budget" in block and "This month" in block
    assert "30h of 40h" in block and "(75 %)" in block
    assert "of the month has passed" in block
    assert "money" not in block.lower() and "margin" not in block.lower()
    assert "€" not in page.text and "4,000" not in page.text and "2,850" not in page.text


async def test_nothing_of_it_reaches_cleo_when_switched_off(agency: Agency, as_user: Any) -> None:
    await acme_budget(agency, shown=False)
    page = await (await as_user("cleo")).get("/portal")
    assert page.status_code == 200 and "Acme website" in page.text
    assert BLOCK not in page.text and "Hours budget" not in page.text and "of 40h" not in page.text


async def test_cole_never_sees_acme_s_budget(agency: Agency, as_user: Any) -> None:
    await acme_budget(agency, shown=True)
    await set_budget(agency.globex_project, budget_hours=100, client_sees_budget=True)
    page = await (await as_user("cole")).get("/portal")
    assert f'id="portal-budget-{agency.globex_project}"' in page.text and "0m of 100h" in page.text
    assert f'id="portal-budget-{agency.acme_project}"' not in page.text
    assert "of 40h" not in page.text and "Acme website" not in page.text


async def test_a_money_budget_alone_shows_the_client_nothing(agency: Agency, as_user: Any) -> None:
    await set_budget(agency.acme_project, budget_amount=Decimal("4000"), client_sees_budget=True)
    await log_on(agency, agency.acme_project, 60)
    page = await (await as_user("cleo")).get("/portal")
    assert BLOCK not in page.text and "€" not in page.text


async def test_an_unshared_project_shows_its_client_nothing(agency: Agency, as_user: Any) -> None:
    await set_budget(agency.brand_project, budget_hours=10, client_sees_budget=True)  # BRAND: not shared
    page = await (await as_user("cleo")).get("/portal")
    assert BLOCK not in page.text and "Acme brand book" not in page.text
