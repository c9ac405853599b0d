"""Writing a time CSV's fine rows as time entries, in ONE transaction (one board event: the board
redrawn, its cards' hours changed): rows with a problem and rows imported before are skipped and
reported; rows naming no card of the project go to its "Imported time" card, made once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from server.boards.changes import Silent, board_change
from server.imports.time_store import PlannedEntry, analyse
from server.imports.timecsv import Mapping, Sheet
from server.imports.trello_writes import REDRAW, Report, _after, _insert
from server.kernel.db import lock_row
from server.kernel.i18n import _
from server.rules.imports import Outcome
from server.rules.policy import Actor
from server.tables import BoardColumn, ImportedObject, Project, Task, TimeEntry, User
from server.time.rollup_writes import refresh_days

SOURCE = "time"
Progress = Callable[[int], Awaitable[None]]


async def _imported_time_card(project: dict[str, Any], actor: Actor) -> int:
    """The project's "Imported time" card (made by an earlier import, or now at the bottom of its first column)."""
    found = (
        await ImportedObject.select(ImportedObject.object_id)
        .where((ImportedObject.project == project["id"]) & (ImportedObject.kind == "time_card"))
        .first()
    )
    if found and await Task.exists().where(Task.id == found["object_id"]):
        return int(found["object_id"])
    column = await (
        BoardColumn.select(BoardColumn.id)
        .where((BoardColumn.project == project["id"]) & BoardColumn.archived.eq(False))
        .order_by(BoardColumn.rank)
        .first()
    )
    if column is None:
        ids = await _insert(BoardColumn, [dict(project=project["id"], name=_("Imported"), rank=_after(None, 1)[0])])
        column = {"id": ids[0]}
    last = await Task.select(Task.rank).where(Task.column == column["id"]).order_by(Task.rank, ascending=False).first()
    number = await (
        Project.update({Project.last_task_number: Project.last_task_number + 1})
        .where(Project.id == project["id"])
        .returning(Project.last_task_number)
    )
    ids = await _insert(
        Task,
        [
            dict(
                project=project["id"],
                number=number[0]["last_task_number"],
                column=column["id"],
                title=_("Imported time"),
                rank=_after(last["rank"] if last else None, 1)[0],
                created_by=actor.id,
                internal=True,
            )
        ],
    )
    task_id = ids[0]
    await _insert(
        ImportedObject,
        [dict(project=project["id"], source=SOURCE, kind="time_card", source_id="imported-time", object_id=task_id)],
    )
    return task_id


def _line(entry: PlannedEntry) -> str:
    return _("line %(n)s", n=entry.row.line)


async def apply_rows(
    project: dict[str, Any],
    actor: Actor,
    sheet: Sheet,
    mapping: Mapping,
    *,
    run_id: int,
    tz: str,
    progress: Progress,
) -> Report:
    report = Report()
    async with board_change(project["id"], actor, Silent()) as change:
        plan = await analyse(project, sheet, mapping, tz)
        people = sorted({e.person_id for e in plan.entries if e.ok and e.person_id is not None})
        if people:  # as every entry write does: then nobody's entries move while these are checked and written
            for person in people:
                await lock_row(User, person)
            plan = await analyse(project, sheet, mapping, tz)
        await progress(30)
        fine = [e for e in plan.entries if e.ok]
        fallback = await _imported_time_card(project, actor) if any(e.task_id is None for e in fine) else None
        rows = [
            dict(
                task=e.task_id or fallback,
                project=project["id"],
                person=e.person_id,
                started_at=e.row.started_at,
                ended_at=e.row.ended_at,
                minutes=e.row.minutes,
                note=e.row.note,
                billable=e.row.billable,
            )
            for e in fine
        ]
        ids = await _insert(TimeEntry, rows)
        for person in people:  # summaries, budgets and reports read the rollup: it changes with the entries
            await refresh_days(
                project["id"], person, [e.row.started_at for e in fine if e.person_id == person and e.row.started_at]
            )
        await progress(80)
        await _insert(
            ImportedObject,
            [
                dict(project=project["id"], source=SOURCE, kind="entry", source_id=e.row.source_id, object_id=i)
                for e, i in zip(fine, ids, strict=True)
            ],
        )
        for entry in plan.entries:
            name = f"{entry.row.day or ''} {entry.row.person} {entry.task_label}".strip()
            if entry.ok:
                report.add("time entry", _line(entry), name, Outcome.CREATED)
            elif entry.duplicate and not entry.problems:
                report.add("time entry", _line(entry), name, Outcome.SKIPPED, _("imported before"))
            else:
                report.add("time entry", _line(entry), name, Outcome.SKIPPED, " ".join(entry.problems))
        change.log(REDRAW, import_run=run_id, source=SOURCE)
    return report
