"""The authorization matrix's lines for the time-tracking routes (timers, the timesheet, entries,
week locks), and values for their path parameters (assembled in tests/test_authorization_matrix.py;
a route without a line fails there)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from server.tables import WeekLock
from tests.authz import Expect, Row, admin_only, agency, own_entry, project_work
from tests.conftest import Agency
from tests.factories import add_entry

ROWS: dict[str, Row] = {
    "GET /timer": agency(200),  # clients do not log time: to them it does not exist
    "POST /tasks/{task_id:int}/timer/start": project_work(200),
    "POST /timer/stop": agency(200),
    "GET /timesheet": agency(200),
    "GET /timesheet/cell": agency(400),  # task and day are required query parameters
    "POST /timesheet/cell": agency(422),
    "POST /timesheet/entries": agency(422),
    "POST /tasks/{task_id:int}/time": {**project_work(422), "cleo": Expect(404)},  # clients do not log time
    "GET /entries/{entry_id:int}/edit": own_entry(200),
    "POST /entries/{entry_id:int}": own_entry(422),
    "POST /entries/{entry_id:int}/delete": own_entry(Expect(303, "/timesheet")),
    "POST /timesheet/locks": admin_only(Expect(303, "/timesheet")),
    "POST /timesheet/locks/{lock_id:int}/delete": admin_only(Expect(303, "/timesheet")),
}


async def values(agency: Agency, earlier: dict[str, Any]) -> dict[str, Any]:
    """An hour max logged yesterday on the board's card, and a lock on a week of mia's."""
    start = datetime.now(UTC) - timedelta(days=1)
    entry_id = await add_entry(earlier["task_id"], agency.max, start, 60)
    monday = start.date() - timedelta(days=start.weekday() + 7)
    locks = await WeekLock.insert(WeekLock(week_start=monday, person=agency.mia)).returning(WeekLock.id)
    return {"entry_id": entry_id, "lock_id": locks[0]["id"]}
