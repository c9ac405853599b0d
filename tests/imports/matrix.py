"""The authorization matrix's lines for imports and board exports (admins only), and values for their
path parameters (assembled in tests/test_authorization_matrix.py).

`run_id` is a Trello import of the ACME project still in preview: confirming it with an empty form
queues it with nobody chosen for its Trello people."""

from __future__ import annotations

from typing import Any

from server.imports import writes
from server.rules.imports import ImportKind
from tests.authz import Expect, Row, admin_only
from tests.conftest import Agency
from tests.imports.helpers import fixture

TO_RUN = Expect(303, "/imports/")

ROWS: dict[str, Row] = {
    "GET /projects/{project_id:int}/import": admin_only(200),
    "POST /projects/{project_id:int}/import/trello": admin_only(422),  # no file
    "POST /projects/{project_id:int}/import/time": admin_only(422),  # no file
    "GET /imports/{run_id:int}": admin_only(200),
    "GET /imports/{run_id:int}/status": admin_only(200),
    "POST /imports/{run_id:int}/mapping": admin_only(TO_RUN),  # a Trello run has no columns to map
    "POST /imports/{run_id:int}/confirm": admin_only(TO_RUN),
    "GET /imports/{run_id:int}/report.csv": admin_only(200),
    "GET /projects/{project_id:int}/export.json": admin_only(200),
    "GET /projects/{project_id:int}/export.csv": admin_only(200),
}


async def values(agency: Agency, earlier: dict[str, Any]) -> dict[str, Any]:
    source = fixture("small_board.json").decode()
    run_id = await writes.new_run(agency.acme_project, ImportKind.TRELLO, "small_board.json", source, agency.ada)
    return {"run_id": run_id}
