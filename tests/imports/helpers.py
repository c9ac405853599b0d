"""Fixtures on disk and small builders for the import tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def board(name: str = "small_board.json") -> dict[str, Any]:
    return json.loads(fixture(name))


def as_bytes(value: dict[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


async def new_project(agency: Any, key: str = "RELA", name: str = "Acme relaunch") -> int:
    """An empty project of Acme's (no columns yet), to import into."""
    from server.tables import Project

    rows = await Project.insert(Project(client=agency.acme, name=name, key=key)).returning(Project.id)
    return int(rows[0]["id"])


async def imported(project_id: int, raw: bytes, by: int, people: dict[str, int | None] | None = None) -> Any:
    """Upload, confirm (with these people for Trello members) and run a Trello import; its report."""
    from server.imports import writes
    from server.rules.imports import ImportKind

    run_id = await writes.new_run(project_id, ImportKind.TRELLO, "board.json", raw.decode(), by)
    await writes.confirm(run_id, {"people": people or {}})
    return await writes.run_import(run_id, _no_progress)


async def _no_progress(_pct: int) -> None:
    return None


async def counts() -> dict[str, int]:
    """Rows in every table an import writes to."""
    from server.tables import (
        Activity,
        BoardColumn,
        ChecklistItem,
        Comment,
        ImportedObject,
        Label,
        Membership,
        Task,
        TaskAssignee,
        TaskLabel,
        TimeEntry,
    )

    tables = (
        Activity,
        BoardColumn,
        ChecklistItem,
        Comment,
        ImportedObject,
        Label,
        Membership,
        Task,
        TaskAssignee,
        TaskLabel,
        TimeEntry,
    )
    return {t._meta.tablename: await t.count() for t in tables}
