"""Finalising a summary that overlaps a finalised one would be refused: the summary's page says so
before the button is pressed (and the button waits), instead of after the confirmation."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from server.billing.writes import finalise
from tests.billing.helpers import computed_summary
from tests.billing.jobs_support import MONDAY, add_entries
from tests.conftest import Agency
from tests.factories import actor

FINALISE_BUTTON = re.compile(r'<button[^>]*id="finalise"[^>]*>')


async def test_a_summary_overlapping_a_finalised_one_says_so_before_finalising(agency: Agency, as_user: Any) -> None:
    await add_entries(agency)
    billed = await computed_summary(agency.acme, MONDAY, MONDAY + timedelta(days=6), requested_by=agency.ada)
    await finalise(billed, actor(agency, "ada"))
    overlapping = await computed_summary(agency.acme, MONDAY, MONDAY + timedelta(days=13), requested_by=agency.ada)
    ada = await as_user("ada")

    page = await ada.get(f"/billing/summaries/{overlapping}")

    assert page.status_code == 200
    assert f"already billed in summary #{billed}, which is finalised" in page.text
    assert f'href="/billing/summaries/{billed}"' in page.text
    button = FINALISE_BUTTON.search(page.text)
    assert button and "disabled" in button.group(0)


async def test_a_summary_overlapping_nothing_finalised_offers_finalise_plainly(agency: Agency, as_user: Any) -> None:
    await add_entries(agency)
    billed = await computed_summary(agency.acme, MONDAY, MONDAY + timedelta(days=6), requested_by=agency.ada)
    await finalise(billed, actor(agency, "ada"))
    later = await computed_summary(
        agency.acme, MONDAY + timedelta(days=7), MONDAY + timedelta(days=13), requested_by=agency.ada
    )
    globex = await computed_summary(agency.globex, MONDAY, MONDAY + timedelta(days=6), requested_by=agency.ada)
    ada = await as_user("ada")

    for summary_id in (later, globex):
        page = await ada.get(f"/billing/summaries/{summary_id}")
        assert "already billed" not in page.text
        button = FINALISE_BUTTON.search(page.text)
        assert button and "disabled" not in button.group(0)
