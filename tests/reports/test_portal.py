"""Monthly reports on the client's portal: a client's users read the months the agency shared with
them, in the client's copy, and nothing of another client's."""

from __future__ import annotations

from typing import Any

from server.tables import ClientReport
from tests.conftest import Agency, Browser
from tests.reports.conftest import Work


async def share(ada: Browser, client_id: int, key: str, shared: bool = True) -> None:
    answer = await ada.post(f"/clients/{client_id}/reports/{key}/share", {"shared": "on"} if shared else {})
    assert (answer.status_code, answer.headers["location"]) == (303, f"/clients/{client_id}/reports/{key}")


async def test_cleo_sees_no_report_before_the_agency_shares_it(agency: Agency, work: Work, as_user: Any) -> None:
    cleo = await as_user("cleo")
    listing = await cleo.get("/portal/reports")
    assert listing.status_code == 200 and "Nothing shared yet" in listing.text
    assert (await cleo.get(f"/portal/reports/{work.key}")).status_code == 404


async def test_cleo_reads_the_shared_report_as_the_client_copy(
    agency: Agency, work: Work, ada: Browser, as_user: Any
) -> None:
    await share(ada, agency.acme, work.key)
    cleo = await as_user("cleo")
    listing = await cleo.get("/portal/reports")
    assert f'href="/portal/reports/{work.key}"' in listing.text
    page = await cleo.get(f"/portal/reports/{work.key}")
    assert page.status_code == 200
    assert "Homepage hero" in page.text and "Other work" in page.text
    for hidden in ("€", "Server patching", "Acme brand book", "Globex", "Agency copy"):
        assert hidden not in page.text, hidden
    printed = await cleo.get(f"/portal/reports/{work.key}/print")
    assert printed.status_code == 200 and 'class="topbar"' not in printed.text and "€" not in printed.text


async def test_sharing_again_keeps_the_first_time_and_unsharing_hides_it(
    agency: Agency, work: Work, ada: Browser, as_user: Any
) -> None:
    await share(ada, agency.acme, work.key)
    first = await ClientReport.select(ClientReport.shared_at).first()
    await share(ada, agency.acme, work.key)
    assert await ClientReport.select(ClientReport.shared_at).first() == first
    await share(ada, agency.acme, work.key, shared=False)
    cleo = await as_user("cleo")
    assert (await cleo.get(f"/portal/reports/{work.key}")).status_code == 404
    assert await ClientReport.count() == 1


async def test_cole_never_reads_acmes_report(agency: Agency, work: Work, ada: Browser, as_user: Any) -> None:
    await share(ada, agency.acme, work.key)
    cole = await as_user("cole")
    assert (await cole.get(f"/portal/reports/{work.key}")).status_code == 404  # Globex's month is not shared
    await share(ada, agency.globex, work.key)
    page = await cole.get(f"/portal/reports/{work.key}")
    assert page.status_code == 200
    assert "Globex secret feature" in page.text
    for hidden in ("Acme", "Homepage hero", "Other work"):
        assert hidden not in page.text, hidden


async def test_the_agency_has_no_portal_reports(agency: Agency, work: Work, ada: Browser) -> None:
    await share(ada, agency.acme, work.key)
    assert (await ada.get(f"/portal/reports/{work.key}")).status_code == 404
