"""Read-only links to a monthly report: the admin makes one and sees it once; anyone with it reads the
client's copy on one page, counted; a revoked, expired or made-up link is a plain 404."""

from __future__ import annotations

import re
from datetime import timedelta

from server.tables import ReportLink
from tests.conftest import Agency, Browser
from tests.factories import today
from tests.reports.conftest import Work

NEW_URL = re.compile(r'id="new-report-url" type="text" readonly value="[^"]*/reports/shared/([^"]+)"')


async def new_link(ada: Browser, agency: Agency, key: str, **fields: str) -> str:
    page = await ada.post(f"/clients/{agency.acme}/reports/{key}/links", {"label": "Acme board", **fields})
    assert page.status_code == 200
    match = NEW_URL.search(page.text)
    assert match, "the new link is shown once"
    return match.group(1)


async def test_anyone_with_the_link_reads_the_client_copy(
    agency: Agency, work: Work, ada: Browser, browser: Browser
) -> None:
    token = await new_link(ada, agency, work.key)
    page = await browser.get(f"/reports/shared/{token}")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store" and page.headers["referrer-policy"] == "no-referrer"
    assert "Homepage hero" in page.text and "Other work" in page.text
    for hidden in ("€", "Server patching", "Acme brand book", 'class="topbar"'):
        assert hidden not in page.text, hidden
    link = await ReportLink.select(ReportLink.view_count, ReportLink.token_hash).first()
    assert link is not None and link["view_count"] == 1 and token not in link["token_hash"]


async def test_a_revoked_link_is_not_found(agency: Agency, work: Work, ada: Browser, browser: Browser) -> None:
    token = await new_link(ada, agency, work.key)
    link = await ReportLink.select(ReportLink.id).first()
    assert link is not None
    revoked = await ada.post(f"/report-links/{link['id']}/revoke")
    assert (revoked.status_code, revoked.headers["location"]) == (303, f"/clients/{agency.acme}/reports/{work.key}")
    assert (await browser.get(f"/reports/shared/{token}")).status_code == 404


async def test_an_expired_or_made_up_link_is_not_found(
    agency: Agency, work: Work, ada: Browser, browser: Browser
) -> None:
    token = await new_link(ada, agency, work.key, expires_on=today().isoformat())
    assert (await browser.get(f"/reports/shared/{token}")).status_code == 200  # it works through its last day
    await ReportLink.update({ReportLink.expires_on: today() - timedelta(days=1)}).where(ReportLink.id > 0)
    assert (await browser.get(f"/reports/shared/{token}")).status_code == 404
    assert (await browser.get("/reports/shared/not-a-token")).status_code == 404
    assert (await browser.get("/reports/shared/" + "x" * 300)).status_code == 404


async def test_a_link_needs_who_it_is_for_and_a_day_not_past(agency: Agency, work: Work, ada: Browser) -> None:
    empty = await ada.post(f"/clients/{agency.acme}/reports/{work.key}/links", {"label": ""})
    assert empty.status_code == 422 and "This field is required." in empty.text
    past = (today() - timedelta(days=1)).isoformat()
    late = await ada.post(f"/clients/{agency.acme}/reports/{work.key}/links", {"label": "Board", "expires_on": past})
    assert late.status_code == 422 and "Choose today or a later day." in late.text
    assert await ReportLink.count() == 0
