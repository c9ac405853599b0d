"""Importing hours from trackers' CSVs into a project: rows linked to cards by short link, number or
title, the rest on an "Imported time" card; every problem keeps its row out; importing again adds nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from server.imports import timecsv, writes
from server.imports.time_store import analyse
from server.rules.imports import ImportKind
from server.tables import BillingSummary, Project, Task, TimeEntry, User, WeekLock
from tests.conftest import Agency, Browser
from tests.factories import add_entry
from tests.imports.helpers import counts, fixture, imported, new_project


async def board(agency: Agency) -> int:
    """The Trello board imported into a new project: cards RELA-1..5, with their short links."""
    project_id = await new_project(agency)
    await imported(project_id, fixture("small_board.json"), agency.ada)
    return project_id


async def import_time(project_id: int, name: str, by: int, **mapping: Any) -> Any:
    sheet = timecsv.read(fixture(name))
    run_id = await writes.new_run(project_id, ImportKind.TIME, name, sheet.text, by)
    await writes.confirm(run_id, {**timecsv.detect(sheet.headers).to_json(), **mapping})

    async def progress(_pct: int) -> None:
        return None

    return await writes.run_import(run_id, progress)


async def entries(project_id: int) -> list[dict[str, Any]]:
    return await (
        TimeEntry.select(*TimeEntry.all_columns(), TimeEntry.task.title.as_alias("title"))
        .where(TimeEntry.project == project_id)
        .order_by(TimeEntry.started_at)
    )


async def test_a_harvest_report_becomes_entries_and_its_problems_are_skipped(agency: Agency) -> None:
    project_id = await board(agency)
    report = await import_time(project_id, "harvest.csv", agency.ada)
    made = await entries(project_id)
    assert [(e["title"], e["person"], e["minutes"], e["billable"]) for e in made] == [
        ("Homepage hero", agency.max, 90, True),
        ("Kick-off call", agency.max, 45, True),  # RELA-1
        ("Imported time", agency.mia, 60, False),  # "Project management" is no card of the project
    ]
    assert made[0]["started_at"] == datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
    assert made[1]["started_at"] == datetime(2026, 10, 5, 10, 30, tzinfo=UTC)  # after the first
    skipped = {line[1]: line[4] for line in report.lines if line[3] == "skipped"}
    assert skipped == {
        "line 5": "Nobody in Boardroom is called “Gina Freelancer”.",
        "line 6": "The duration “abc” cannot be read.",
    }
    card = await Task.select().where(Task.title == "Imported time").first()
    assert card is not None and card["internal"] and card["number"] == 6


async def test_importing_the_same_csv_twice_adds_nothing(agency: Agency) -> None:
    project_id = await board(agency)
    await import_time(project_id, "harvest.csv", agency.ada)
    before = await counts()
    report = await import_time(project_id, "harvest.csv", agency.ada)
    after = await counts()
    assert {k: after[k] - before[k] for k in after if after[k] != before[k]} == {"activity": 1}
    assert report.counts()["created"] == 0


async def test_toggl_rows_link_by_short_link_and_overlaps_are_refused(agency: Agency) -> None:
    project_id = await board(agency)
    await Task.update({Task.title: "Research"}).where((Task.project == project_id) & (Task.number == 3))
    plan = await analyse(
        await project_row(project_id),
        timecsv.read(fixture("toggl.csv")),
        timecsv.detect(timecsv.read(fixture("toggl.csv")).headers),
        "UTC",
    )
    # the task column is empty: the description names the card (a Trello URL, then a short link)
    assert [e.task_label for e in plan.entries] == ["Imported time", "Imported time", "Imported time"]
    report = await import_time(
        project_id,
        "toggl.csv",
        agency.ada,
        columns={**timecsv.detect(timecsv.read(fixture("toggl.csv")).headers).columns, "task": "Description"},
    )
    made = await entries(project_id)
    assert [(e["title"], e["minutes"]) for e in made] == [("Homepage hero", 90), ("Homepage hero", 60)]
    assert [line[4] for line in report.lines if line[3] == "skipped"] == ["It overlaps the row on line 2."]


async def test_rows_in_a_locked_week_a_billed_period_or_over_existing_time_are_refused(agency: Agency) -> None:
    project_id = await board(agency)
    await WeekLock.insert(WeekLock(week_start=date(2026, 10, 19), person=agency.max))
    await BillingSummary.insert(
        BillingSummary(
            client=agency.acme,
            period_start=date(2026, 10, 20),
            period_end=date(2026, 10, 20),
            status="done",
            finalised_at=datetime(2026, 10, 25, tzinfo=UTC),
        )
    )
    hero = await Task.select().where((Task.project == project_id) & (Task.number == 2)).first()
    assert hero is not None
    await add_entry(hero["id"], agency.max, datetime(2026, 10, 12, 10, 0, tzinfo=UTC), 30)
    everhour = await import_time(project_id, "everhour.csv", agency.ada)
    assert {line[4] for line in everhour.lines} == {"The week of 2026-10-19 is locked."}
    ours = await import_time(project_id, "boardroom.csv", agency.ada)
    assert "2026-10-20 is in finalised summary #" in ours.lines[0][4]
    toggl = await import_time(project_id, "toggl.csv", agency.ada)
    assert any("It overlaps entry #" in line[4] for line in toggl.lines)


async def test_russian_and_vietnamese_exports_find_their_people(agency: Agency) -> None:
    project_id = await board(agency)
    await User.insert(
        User(email="maria@agency.test", name="Мария Иванова", role="member"),
        User(email="an@agency.test", name="Nguyễn Văn An", role="member"),
    )
    await import_time(project_id, "harvest_ru_cp1251.csv", agency.ada)
    await import_time(project_id, "everhour_vi_cp1258.csv", agency.ada)
    made = await entries(project_id)
    assert sorted((e["title"], e["minutes"]) for e in made) == [
        ("Homepage hero", 30),
        ("Homepage hero", 120),
        ("Imported time", 90),
    ]


async def project_row(project_id: int) -> dict[str, Any]:
    row = await Project.select().where(Project.id == project_id).first()
    assert row is not None
    return row


async def test_the_time_preview_lists_every_rows_problems_and_writes_nothing(agency: Agency, ada: Browser) -> None:
    project_id = await board(agency)
    before = await counts()
    answer = await ada.post(f"/projects/{project_id}/import/time", files={"file": ("h.csv", fixture("harvest.csv"))})
    assert answer.status_code == 303
    preview = await ada.get(answer.headers["location"])
    assert "Recognised as a Harvest export" in preview.text
    assert "Nobody in Boardroom is called “Gina Freelancer”." in preview.text
    assert "The duration “abc” cannot be read." in preview.text
    assert await counts() == before


async def test_an_unknown_layout_is_mapped_by_hand(agency: Agency, ada: Browser) -> None:
    project_id = await board(agency)
    raw = "Когда;Кто;Сколько;Что\n01.10.2026;Max Member;2;RELA-2\n".encode("cp1251")
    answer = await ada.post(f"/projects/{project_id}/import/time", {"encoding": "auto"}, files={"file": ("x.csv", raw)})
    run_page = answer.headers["location"]
    preview = await ada.get(run_page)
    assert "This layout is not one we know" in preview.text and "Choose the columns for" in preview.text
    refused = await ada.post(f"{run_page}/confirm", {})
    assert refused.status_code == 422
    mapped = await ada.post(
        f"{run_page}/mapping",
        {
            "column_date": "Когда",
            "column_person": "Кто",
            "column_duration": "Сколько",
            "column_task": "Что",
            "unit": "hours",
        },
    )
    assert mapped.status_code == 303
    preview = await ada.get(run_page)
    assert "Homepage hero" not in preview.text or "RELA-2" in preview.text
    assert (await ada.post(f"{run_page}/confirm", {})).status_code == 303
    bad = await ada.post(f"{run_page}/mapping", {"column_date": "Nope", "unit": "hours"})
    assert bad.status_code == 303  # confirmed already: the mapping is no longer open
