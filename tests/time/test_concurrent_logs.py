"""Time logged from several tabs at once: each bare duration is placed, checked and written while
the person's entries are locked, so the requests queue instead of each placing its entry in the same
free slot and all but one being refused as overlapping an entry the person never saw."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

from tests.conftest import Agency
from tests.factories import add_card
from tests.time.conftest import entries_of

TABS = 6


async def test_six_tabs_logging_5m_at_once_all_succeed_one_after_another(as_user: Any, agency: Agency) -> None:
    task = await add_card(agency.acme_project, "Hero copy")
    max_ = await as_user("max")
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()

    async def log() -> Any:
        return await max_.post(f"/tasks/{task}/time", {"date": yesterday, "duration": "5m"}, htmx=True)

    responses = await asyncio.gather(*(log() for _ in range(TABS)))
    refusals = [r.text for r in responses if r.status_code != 200]
    assert not refusals, [text[:300] for text in refusals if "overlaps" in text] or refusals
    entries = await entries_of(agency.max)
    assert len(entries) == TABS and all(e["minutes"] == 5 for e in entries)
    spans = sorted((e["started_at"], e["ended_at"]) for e in entries)
    assert all(earlier[1] <= later[0] for earlier, later in pairwise(spans)), spans
