"""The admin's import pages: upload, preview (nothing written), who-is-who, confirm, the worker's
progress and report; bad files answered with a clear message and nothing written."""

from __future__ import annotations

from typing import Any

import pytest

from server.imports import jobs, pages
from server.kernel.config import Settings
from server.tables import ImportRun, Task
from tests.conftest import Agency, Browser
from tests.imports.helpers import counts, fixture, new_project


async def upload(ada: Browser, project_id: int, raw: bytes, kind: str = "trello", **fields: str) -> Any:
    name = "board.json" if kind == "trello" else "hours.csv"
    return await ada.post(f"/projects/{project_id}/import/{kind}", fields or None, files={"file": (name, raw)})


async def test_the_import_page_offers_both_uploads_and_the_exports(agency: Agency, ada: Browser) -> None:
    page = await ada.get(f"/projects/{agency.acme_project}/import")
    assert page.status_code == 200
    assert "/import/trello" in page.text and "/import/time" in page.text and "export.json" in page.text


async def test_an_upload_shows_a_preview_and_writes_nothing_to_the_board(agency: Agency, ada: Browser) -> None:
    project_id = await new_project(agency)
    before = await counts()
    answer = await upload(ada, project_id, fixture("small_board.json"))
    assert answer.status_code == 303
    preview = await ada.get(answer.headers["location"])
    assert preview.status_code == 200
    assert "Homepage hero" in preview.text and "Đặt lịch chụp ảnh" in preview.text
    assert "<strong>4</strong> checklist items" in preview.text
    assert "The card is in no list: it goes to the first column." in preview.text
    # max is found by his name and chosen for his Trello self; Gina is nobody in Boardroom
    assert f'<option value="{agency.max}" selected>' in preview.text
    assert await counts() == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("not_trello.json", "This is not a Trello board export"),
        ("card_in_missing_list.json", "Card “Orphan” (card-x) is in a list that is not in the export (list-gone)."),
    ],
)
async def test_a_bad_file_is_refused_with_its_reason_and_nothing_is_written(
    agency: Agency, ada: Browser, name: str, message: str
) -> None:
    answer = await upload(ada, agency.acme_project, fixture(name))
    assert answer.status_code == 422
    assert message in answer.text
    assert await ImportRun.count() == 0


async def test_broken_json_is_refused_naming_the_line(agency: Agency, ada: Browser) -> None:
    answer = await upload(ada, agency.acme_project, b'{\n"lists": [\n}')
    assert answer.status_code == 422 and "line 3" in answer.text


async def test_an_oversized_upload_is_refused(agency: Agency, ada: Browser, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "MAX_UPLOAD_BYTES", 100)
    answer = await upload(ada, agency.acme_project, fixture("small_board.json"))
    assert answer.status_code == 422 and "The file is too large." in answer.text
    assert await ImportRun.count() == 0


async def test_confirming_queues_the_import_and_the_job_applies_it(agency: Agency, ada: Browser, app: Any) -> None:
    project_id = await new_project(agency)
    run_page = (await upload(ada, project_id, fixture("small_board.json"))).headers["location"]
    run_id = int(run_page.rsplit("/", 1)[1])
    answer = await ada.post(f"{run_page}/confirm", {"person_m-max": str(agency.max), "person_m-ada": ""})
    assert answer.status_code == 303
    run = await ImportRun.select().where(ImportRun.id == run_id).first()
    assert run is not None and run["status"] == "queued"
    assert await app.state.arq.exists(f"arq:job:{jobs.job_id(run_id, 1)}")
    assert "Queued…" in (await ada.get(run_page)).text
    ctx = {"settings": Settings.from_env(), "redis": app.state.arq}
    counted = await jobs.run_import(ctx, run_id)
    assert counted["created"] > 0
    assert await Task.count().where(Task.project == project_id) == 5
    done = await ada.get(run_page)
    assert "Imported." in done.text and "/report.csv" in done.text
    report = await ada.get(f"{run_page}/report.csv")
    assert report.status_code == 200 and "Homepage hero,created" in report.text


async def test_a_stale_person_choice_is_refused(agency: Agency, ada: Browser) -> None:
    run_page = (await upload(ada, agency.acme_project, fixture("small_board.json"))).headers["location"]
    answer = await ada.post(f"{run_page}/confirm", {"person_m-max": "999999"})
    assert answer.status_code == 422 and "Choose one of the options." in answer.text
    assert (await ImportRun.select(ImportRun.status).first() or {})["status"] == "preview"


async def test_someone_elses_run_does_not_exist_for_a_member(agency: Agency, ada: Browser, as_user: Any) -> None:
    run_page = (await upload(ada, agency.acme_project, fixture("small_board.json"))).headers["location"]
    max_ = await as_user("max")
    assert (await max_.get(run_page)).status_code == 404
