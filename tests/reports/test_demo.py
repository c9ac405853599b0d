"""The demo agency's monthly report: Acme's last month has hours by project and kind, the plans the
client approved and the cards delivered, and it is shared on Acme's portal."""

from __future__ import annotations

from server.demo import DEMO_PASSWORD, seed_demo
from server.rules.reports import add_months, month_key
from server.tables import Client
from tests.conftest import Browser
from tests.factories import today


async def test_the_demo_has_a_meaningful_report_of_last_month(browser: Browser) -> None:
    await seed_demo()
    acme = await Client.select(Client.id).where(Client.name == "Acme Corporation").first()
    assert acme is not None
    month = month_key(add_months(today().replace(day=1), -1))
    await browser.login("ada@agency.example", DEMO_PASSWORD)
    page = await browser.get(f"/clients/{acme['id']}/reports/{month}")
    assert page.status_code == 200
    text = page.text
    assert 'id="report-project-ACME"' in text and 'id="report-project-BRAND"' in text
    for kind in ("design", "ux"):
        assert f'<span class="report-kind-name">{kind}</span>' in text
    assert text.count('class="report-done-mark"') >= 2
    assert "No plan was approved this month." not in text
    assert "Nothing was logged" not in text


async def test_the_demo_client_reads_last_months_report_on_the_portal(browser: Browser) -> None:
    await seed_demo()
    month = month_key(add_months(today().replace(day=1), -1))
    await browser.login("cleo@acme.example", DEMO_PASSWORD)
    listing = await browser.get("/portal/reports")
    assert f'href="/portal/reports/{month}"' in listing.text
    page = await browser.get(f"/portal/reports/{month}")
    assert page.status_code == 200
    assert 'id="report-project-ACME"' in page.text
    assert "BRAND" not in page.text  # the brand book is not shared with Acme
    assert "€" not in page.text
