"""A month of work for Acme, made by hand: last month (the agency's time zone is UTC in the tests),
cards with labels on the shared ACME board and the unshared BRAND one, an internal card, entries,
moves into Done and approvals dated in that month, and Globex's own card beside them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from server.boards.changes import Silent, next_seq
from server.boards.writes import move_task
from server.kernel.db import write_transaction
from server.rules.reports import add_months, month_key
from server.rules.review import PlannedCard, snapshot
from server.rules.sprints import ReviewState
from server.sprints.review_store import APPROVED
from server.tables import Activity, Label, Project, Sprint, Task, TaskLabel
from tests.conftest import Agency
from tests.factories import actor, add_card, add_entry, column_id, task_row, today, weekly_sprint


def month() -> date:
    return add_months(today().replace(day=1), -1)


def on(day: int, hour: int = 10) -> datetime:
    first = month()
    return datetime(first.year, first.month, day, hour, tzinfo=UTC)


@dataclass
class Work:
    key: str  # "2026-11"
    hero: int  # ACME, design: 120 billable + 60 not billable
    checkout: int  # ACME, dev + ux: 90; reached Done and went back
    patching: int  # ACME, internal, dev: 45; reached Done
    notes: int  # ACME, no label: 30
    logo: int  # BRAND (not shared), Design: 240
    globex: int  # Globex's card: 300, reached Done
    approved: int  # ACME's sprint approved in the month (the sprint row says so)
    approved_in_history: int  # ACME's sprint approved in the month (the board's history says so)


async def labelled(project_id: int, title: str, *labels: str, column: str = "In progress") -> int:
    task_id = await add_card(project_id, title, column=column)
    for name in labels:
        found = await Label.select(Label.id).where((Label.project == project_id) & (Label.name == name)).first()
        label_id = (
            found["id"]
            if found
            else (await Label.insert(Label(project=project_id, name=name)).returning(Label.id))[0]["id"]
        )
        await TaskLabel.insert(TaskLabel(task=task_id, label=label_id))
    return task_id


async def moved(agency: Agency, task_id: int, column: str, at: datetime) -> None:
    """The card moved as the board moves it, its history row then dated `at`."""
    task = await task_row(task_id)
    target = await column_id(task["project"], column)
    await move_task(
        task, actor(agency, "ada"), column_id=target, before_id=None, version=task["version"], announcer=Silent()
    )
    last = (
        await Activity.select(Activity.id)
        .where(Activity.task == task_id)
        .order_by(Activity.seq, ascending=False)
        .first()
    )
    assert last is not None
    await Activity.update({Activity.at: at}).where(Activity.id == last["id"])


@pytest.fixture
async def work(agency: Agency) -> Work:
    hero = await labelled(agency.acme_project, "Homepage hero", "design")
    checkout = await labelled(agency.acme_project, "Checkout flow", "ux", "dev")
    patching = await labelled(agency.acme_project, "Server patching", "dev")
    await Task.update({Task.internal: True}).where(Task.id == patching)
    notes = await labelled(agency.acme_project, "Meeting notes")
    logo = await labelled(agency.brand_project, "Logo", "Design")
    globex = await labelled(agency.globex_project, "Globex secret feature", "dev")

    await add_entry(hero, agency.max, on(3), 120)
    await add_entry(hero, agency.ada, on(4), 60, billable=False)
    await add_entry(checkout, agency.max, on(5), 90)
    await add_entry(patching, agency.max, on(6), 45)
    await add_entry(notes, agency.max, on(7), 30)
    await add_entry(logo, agency.max, on(10), 240)
    await add_entry(globex, agency.mia, on(11), 300)
    before = add_months(month(), -1)
    await add_entry(hero, agency.max, datetime(before.year, before.month, 20, 9, tzinfo=UTC), 50)  # the month before

    await moved(agency, hero, "Done", on(12))
    await moved(agency, patching, "Done", on(13))
    await moved(agency, checkout, "Done", on(14))
    await moved(agency, checkout, "In progress", on(15))
    await moved(agency, globex, "Done", on(12))

    approved = await weekly_sprint(agency.acme_project)
    await Sprint.update(
        {
            Sprint.review_state: ReviewState.APPROVED.value,
            Sprint.reviewer: agency.cleo,
            Sprint.reviewed_at: on(8),
            Sprint.approved_plan: snapshot(
                [PlannedCard(hero, "Homepage hero", 180), PlannedCard(notes, "Meeting notes", 60)]
            ),
        }
    ).where(Sprint.id == approved)
    in_history = await weekly_sprint(agency.acme_project, weeks_ahead=1)
    async with write_transaction(Project._meta.db):
        seq = int((await next_seq(agency.acme_project))["event_seq"])
        await Activity.insert(
            Activity(
                project=agency.acme_project,
                seq=seq,
                actor=agency.cleo,
                verb=APPROVED,
                data={"sprint": in_history, "name": "next week", "note": ""},
                at=on(9),
            )
        )
    return Work(month_key(month()), hero, checkout, patching, notes, logo, globex, approved, in_history)
