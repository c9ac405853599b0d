"""Totals in two currencies are two figures, side by side and each labelled, not stacked as one."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from tests.billing.helpers import computed_summary
from tests.billing.jobs_support import MONDAY, add_entries
from tests.conftest import Agency


async def test_an_all_clients_summary_labels_each_currency_side_by_side(agency: Agency, as_user: Any) -> None:
    await add_entries(agency)
    everyone = await computed_summary(None, MONDAY, MONDAY + timedelta(days=6), requested_by=agency.ada)
    ada = await as_user("ada")

    for page in (await ada.get(f"/billing/summaries/{everyone}"), await ada.get("/billing")):
        amounts = re.search(r'<span class="amounts">(.*?)</span></span>(?!<span class="amount")', page.text)
        assert amounts, page.text
        block = amounts.group(1)
        assert '<span class="amount-currency">EUR</span> €' in block
        assert '<span class="amount-currency">USD</span> $' in block
        assert "<br>" not in block


async def test_one_currency_stays_one_plain_figure(agency: Agency, as_user: Any) -> None:
    await add_entries(agency)
    acme = await computed_summary(agency.acme, MONDAY, MONDAY + timedelta(days=6), requested_by=agency.ada)
    ada = await as_user("ada")
    page = await ada.get(f"/billing/summaries/{acme}")
    assert "€142.50" in page.text and 'class="amounts"' not in page.text
