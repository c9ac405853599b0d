from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.conftest import Agency
from tests.factories import add_card
from tests.time.conftest import entries_of


async def test_max_logs_time_from_the_card_dialog(as_user: Any, agency: Agency) -> None:
    task = await add_card(agency.acme_project, "Hero copy")
    max_ = await as_user("max")
    # yesterday: today, in the first 45 minutes after midnight, 0:45 would end in the future (and is refused)
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    response = await max_.post(
        f"/tasks/{task}/time", {"date": yesterday, "duration": "0:45", "note": "draft", "billable": "on"}, htmx=True
    )
    assert response.status_code == 200
    assert "45m logged" in response.text
    (entry,) = await entries_of(agency.max)
    assert entry["task"] == task and entry["minutes"] == 45 and entry["note"] == "draft"


async def test_the_dialog_shows_the_card_time_to_the_agency_only(as_user: Any, agency: Agency) -> None:
    task = await add_card(agency.acme_project, "Hero copy")
    max_ = await as_user("max")
    assert "cd-time" in (await max_.get(f"/tasks/{task}", headers={"hx-request": "true"})).text
    cleo = await as_user("cleo")
    assert "cd-time" not in (await cleo.get(f"/tasks/{task}", headers={"hx-request": "true"})).text


async def test_a_bad_duration_from_the_card_is_refused_beside_the_field(as_user: Any, agency: Agency) -> None:
    task = await add_card(agency.acme_project, "Hero copy")
    max_ = await as_user("max")
    today = datetime.now(UTC).date().isoformat()
    response = await max_.post(f"/tasks/{task}/time", {"date": today, "duration": "lots"}, htmx=True)
    assert response.status_code == 422
    assert "Type a duration like 1:30" in response.text
    assert await entries_of(agency.max) == []


async def test_cleo_cannot_log_time(as_user: Any, agency: Agency) -> None:
    task = await add_card(agency.acme_project, "Hero copy")
    cleo = await as_user("cleo")
    today = datetime.now(UTC).date().isoformat()
    response = await cleo.post(f"/tasks/{task}/time", {"date": today, "duration": "1h"}, htmx=True)
    assert response.status_code == 404
    assert await entries_of(agency.cleo) == []
