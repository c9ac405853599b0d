"""Importing a Trello plan into a project: everything on it arrives, in one transaction, and importing
again creates nothing new; a newer export adds and updates without touching Boardroom's own edits."""

from __future__ import annotations

from typing import Any

import pytest

from server.imports import trello_writes
from server.tables import Activity, BoardColumn, ChecklistItem, Comment, ImportRun, Label, Project, Task, TaskAssignee
from tests.conftest import Agency
from tests.imports.helpers import as_bytes, board, counts, fixture, imported, new_project

pytestmark = pytest.mark.usefixtures("agency")


async def test_it_creates_columns_labels_cards_items_and_comments(agency: Agency) -> None:
    project_id = await new_project(agency)
    report = await imported(project_id, fixture("small_board.json"), agency.ada, {"m-max": agency.max})
    columns = await BoardColumn.select().where(BoardColumn.project == project_id).order_by(BoardColumn.rank)
    assert [(c["name"], c["archived"]) for c in columns] == [
        ("To do", False),
        ("Делаем", False),
        ("Done", False),
        ("Old ideas", True),
    ]
    tasks = await Task.select().where(Task.project == project_id).order_by(Task.number)
    assert [t["title"] for t in tasks] == [
        "Kick-off call",
        "Homepage hero",
        "Đặt lịch chụp ảnh 📷 съёмка",
        "Old banner",
        "Stray card",
    ]
    assert [t["number"] for t in tasks] == [1, 2, 3, 4, 5]
    assert tasks[3]["archived"] and str(tasks[1]["due_on"]) == "2026-12-10"
    assert await Label.count().where(Label.project == project_id) == 3
    assert await ChecklistItem.count() == 4
    assert report.counts()["created"] > 0 and report.counts()["skipped"] == 0


async def test_cards_keep_trello_order_within_their_column(agency: Agency) -> None:
    project_id = await new_project(agency)
    await imported(project_id, fixture("small_board.json"), agency.ada)
    todo = await BoardColumn.select().where(BoardColumn.name == "To do").first()
    assert todo is not None
    cards = await Task.select(Task.title).where(Task.column == todo["id"]).order_by(Task.rank)
    # pos 5 (the stray card, put here for want of a list), 16384, 32768
    assert [c["title"] for c in cards] == ["Stray card", "Đặt lịch chụp ảnh 📷 съёмка", "Homepage hero"]


async def test_people_chosen_are_assigned_and_others_keep_their_trello_name(agency: Agency) -> None:
    project_id = await new_project(agency)
    await imported(project_id, fixture("small_board.json"), agency.ada, {"m-max": agency.max})
    hero = await Task.select().where(Task.title == "Homepage hero").first()
    assert hero is not None
    assert [a["person"] for a in await TaskAssignee.select().where(TaskAssignee.task == hero["id"])] == [agency.max]
    comments = await Comment.select().where(Comment.task == hero["id"]).order_by(Comment.created_at)
    assert [(c["author"], c["body"]) for c in comments] == [
        (agency.max, "First draft attached."),
        (None, "*Gina Freelancer on Trello:*\n\nPhotos are in the drive."),
    ]
    assert comments[0]["created_at"].year == 2026 and comments[0]["created_at"].month == 11
    history = await Activity.select().where((Activity.task == hero["id"]) & (Activity.verb == "imported")).first()
    assert history is not None
    data: dict[str, Any] = (
        history["data"] if isinstance(history["data"], dict) else __import__("json").loads(history["data"])
    )
    assert data["short_link"] == "Bb222222" and data["unmatched_members"] == ["Gina Freelancer"]


async def test_the_board_sequence_stays_contiguous(agency: Agency) -> None:
    project_id = await new_project(agency)
    await imported(project_id, fixture("small_board.json"), agency.ada)
    seqs = [
        r["seq"]
        for r in await Activity.select(Activity.seq).where(Activity.project == project_id).order_by(Activity.seq)
    ]
    project = await Project.select(Project.event_seq).where(Project.id == project_id).first()
    assert project is not None
    assert seqs == list(range(1, len(seqs) + 1)) and seqs[-1] == project["event_seq"]


async def test_importing_the_same_file_twice_creates_nothing_new(agency: Agency) -> None:
    project_id = await new_project(agency)
    await imported(project_id, fixture("small_board.json"), agency.ada, {"m-max": agency.max})
    before = await counts()
    report = await imported(project_id, fixture("small_board.json"), agency.ada, {"m-max": agency.max})
    after = await counts()
    # the only new row: the second import's board event
    assert {k: after[k] - before[k] for k in after if after[k] != before[k]} == {"activity": 1}
    assert report.counts()["created"] == 0 and report.counts()["updated"] == 0


async def test_a_newer_export_adds_new_cards_and_updates_changed_ones_but_not_boardroom_edits(agency: Agency) -> None:
    project_id = await new_project(agency)
    await imported(project_id, fixture("small_board.json"), agency.ada)
    edited = await Task.select().where(Task.title == "Kick-off call").first()
    assert edited is not None
    await Task.update({Task.title: "Kick-off (renamed here)", Task.version: Task.version + 1}).where(
        Task.id == edited["id"]
    )
    newer = board()
    newer["cards"][0]["name"] = "Homepage hero, second round"  # card-2, changed in Trello only
    newer["cards"][1]["name"] = "Kick-off call (Trello)"  # card-1, changed in both: Boardroom's edit wins
    newer["cards"].append(
        {
            "id": "card-6",
            "idShort": 6,
            "shortLink": "Ff666666",
            "name": "New in Trello",
            "idList": "list-doing",
            "pos": 1,
        }
    )
    newer["checklists"][2]["checkItems"].append(
        {"id": "ci-5", "name": "Book the studio", "state": "incomplete", "pos": 2}
    )
    report = await imported(project_id, as_bytes(newer), agency.ada)
    titles = {t["title"]: t["number"] for t in await Task.select().where(Task.project == project_id)}
    assert titles["Homepage hero, second round"] == 2
    assert "Kick-off (renamed here)" in titles and "Kick-off call (Trello)" not in titles
    assert titles["New in Trello"] == 6
    assert await ChecklistItem.count() == 5
    reasons = {line[2]: (line[3], line[4]) for line in report.lines if line[0] == "card"}
    assert reasons["Kick-off call (Trello)"] == ("skipped", "edited in Boardroom since the last import")
    assert reasons["Homepage hero, second round"] == ("updated", "")


async def test_a_failure_halfway_leaves_the_database_as_it_was(agency: Agency, monkeypatch: pytest.MonkeyPatch) -> None:
    project_id = await new_project(agency)
    before = await counts()

    async def broken(*_args: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(trello_writes, "_comments", broken)
    with pytest.raises(RuntimeError):
        await imported(project_id, fixture("small_board.json"), agency.ada)
    assert await counts() == before
    project = await Project.select().where(Project.id == project_id).first()
    assert project is not None and project["last_task_number"] == 0 and project["event_seq"] == 0
    assert await ImportRun.count() == 1


async def test_an_empty_board_imports_nothing_and_says_so(agency: Agency) -> None:
    project_id = await new_project(agency)
    report = await imported(project_id, fixture("empty_board.json"), agency.ada)
    assert report.lines == [] and await Task.count() == 0
