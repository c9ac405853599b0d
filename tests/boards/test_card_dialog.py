"""The card dialog (/tasks/<id>): what each persona sees, and every edit made from it."""

from __future__ import annotations

import re
from typing import Any

from server.tables import Activity, ChecklistItem, Comment, Label, Project, Task, TaskAssignee, TaskLabel
from tests.boards.conftest import DialogCards
from tests.conftest import Agency


async def task(task_id: int) -> dict[str, Any]:
    row = await Task.select().where(Task.id == task_id).first()
    assert row is not None
    return row


async def activity(task_id: int) -> list[dict[str, Any]]:
    return await Activity.select().where(Activity.task == task_id).order_by(Activity.seq).output(load_json=True)


async def checklist(task_id: int) -> list[str]:
    rows = await ChecklistItem.select().where(ChecklistItem.task == task_id).order_by(ChecklistItem.rank)
    return [r["text"] for r in rows]


async def item_id(task_id: int, text: str) -> int:
    row = (
        await ChecklistItem.select(ChecklistItem.id)
        .where((ChecklistItem.task == task_id) & (ChecklistItem.text == text))
        .first()
    )
    assert row is not None
    return int(row["id"])


# ---- opening the dialog ------------------------------------------------------------------------


async def test_htmx_gets_the_dialog_alone(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    response = await max_.get(f"/tasks/{dialog_cards.homepage}", headers={"hx-request": "true"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.lstrip().startswith('<dialog class="card-dialog"')
    assert "<html" not in response.text
    assert "Homepage hero copy" in response.text
    assert "ACME-1" in response.text


async def test_a_link_to_a_card_reloads_as_the_board_with_the_dialog_in_it(
    as_user: Any, dialog_cards: DialogCards
) -> None:
    max_ = await as_user("max")
    response = await max_.get(f"/tasks/{dialog_cards.homepage}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<html" in response.text
    assert 'id="board"' in response.text
    assert f'id="task-{dialog_cards.footer}"' in response.text  # the board's other cards
    dialog_start = response.text.index('<div id="dialog">')
    assert '<dialog class="card-dialog"' in response.text[dialog_start:]


async def test_a_boosted_request_gets_the_whole_page(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    response = await max_.get(f"/tasks/{dialog_cards.homepage}", headers={"hx-request": "true", "hx-boosted": "true"})
    assert "<html" in response.text


async def test_mia_cannot_see_a_card_of_a_project_she_is_not_on(as_user: Any, dialog_cards: DialogCards) -> None:
    mia = await as_user("mia")
    assert (await mia.get(f"/tasks/{dialog_cards.homepage}")).status_code == 404
    assert (await mia.get(f"/tasks/{dialog_cards.globex_card}")).status_code == 200


async def test_cole_cannot_see_an_acme_card(as_user: Any, dialog_cards: DialogCards) -> None:
    cole = await as_user("cole")
    assert (await cole.get(f"/tasks/{dialog_cards.homepage}")).status_code == 404


async def test_an_unknown_card_is_not_found(as_user: Any, dialog_cards: DialogCards) -> None:
    ada = await as_user("ada")
    assert (await ada.get("/tasks/999999")).status_code == 404
    assert (await ada.get("/tasks/99999999999999")).status_code == 404  # beyond PostgreSQL's integers
    assert (await ada.post("/tasks/99999999999999/title", {"title": "x", "version": 1})).status_code == 404


async def test_cleo_opens_an_acme_card_read_only(as_user: Any, dialog_cards: DialogCards) -> None:
    cleo = await as_user("cleo")
    response = await cleo.get(f"/tasks/{dialog_cards.homepage}", headers={"hx-request": "true"})
    assert response.status_code == 200
    assert "Homepage hero copy" in response.text
    posts = re.findall(r'hx-post="([^"]+)"', response.text)
    assert posts == [f"/tasks/{dialog_cards.homepage}/comments"]  # she may comment, and change nothing
    assert 'name="visibility"' not in response.text  # her comments are always client-visible


async def test_cleo_sees_only_comments_meant_for_the_client(
    as_user: Any, agency: Agency, dialog_cards: DialogCards
) -> None:
    max_ = await as_user("max")
    await max_.post(
        f"/tasks/{dialog_cards.homepage}/comments", {"body": "Budget is tight", "visibility": "internal"}, htmx=True
    )
    await max_.post(
        f"/tasks/{dialog_cards.homepage}/comments", {"body": "Draft is ready", "visibility": "client"}, htmx=True
    )
    cleo = await as_user("cleo")
    seen = (await cleo.get(f"/tasks/{dialog_cards.homepage}", headers={"hx-request": "true"})).text
    assert "Draft is ready" in seen
    assert "Budget is tight" not in seen
    assert seen.count("commented") == 1  # the history leaves the internal comment out too
    agency_view = (await max_.get(f"/tasks/{dialog_cards.homepage}", headers={"hx-request": "true"})).text
    assert "Budget is tight" in agency_view and "Draft is ready" in agency_view


# ---- the live refresh: the open dialog's body, asked for again after someone else's edit ----------

BODY_ONLY = {"hx-request": "true", "hx-target": "card-dialog-body"}


async def test_htmx_aiming_at_the_open_dialog_gets_its_body_alone(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    response = await max_.get(f"/tasks/{dialog_cards.homepage}", headers=BODY_ONLY)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="card-dialog-body"')
    assert "<dialog" not in response.text and "<html" not in response.text
    assert "Use theirs" in response.text and "Keep mine" in response.text  # the notice, ready to show


async def test_the_refreshed_body_carries_the_cards_current_version(as_user: Any, dialog_cards: DialogCards) -> None:
    ada, max_ = await as_user("ada"), await as_user("max")
    await ada.post(f"/tasks/{dialog_cards.homepage}/title", {"title": "Hero, by Ada", "version": 1}, htmx=True)
    body = (await max_.get(f"/tasks/{dialog_cards.homepage}", headers=BODY_ONLY)).text
    assert 'value="Hero, by Ada"' in body
    assert set(re.findall(r'name="version" value="(\d+)"', body)) == {"2"}
    saved = await max_.post(
        f"/tasks/{dialog_cards.homepage}/description", {"description": "Max's, kept", "version": 2}, htmx=True
    )
    assert saved.status_code == 200  # saving "mine" with the refreshed version: no 409
    assert (await task(dialog_cards.homepage))["description"] == "Max's, kept"


async def test_cleos_refresh_never_carries_internal_comments_or_agency_parts(
    as_user: Any, dialog_cards: DialogCards
) -> None:
    max_ = await as_user("max")
    await max_.post(
        f"/tasks/{dialog_cards.homepage}/comments", {"body": "Budget is tight", "visibility": "internal"}, htmx=True
    )
    await max_.post(
        f"/tasks/{dialog_cards.homepage}/comments", {"body": "Draft is ready", "visibility": "client"}, htmx=True
    )
    cleo = await as_user("cleo")
    body = (await cleo.get(f"/tasks/{dialog_cards.homepage}", headers=BODY_ONLY)).text
    assert "Draft is ready" in body
    assert "Budget is tight" not in body
    assert re.findall(r'hx-post="([^"]+)"', body) == [f"/tasks/{dialog_cards.homepage}/comments"]
    assert 'name="version"' not in body and "Use theirs" not in body and "Internal" not in body
    assert 'id="cd-time-title"' not in body  # time on the card is the agency's


async def test_the_refresh_is_not_found_for_a_card_the_person_may_not_see(
    as_user: Any, dialog_cards: DialogCards
) -> None:
    mia, cole = await as_user("mia"), await as_user("cole")
    assert (await mia.get(f"/tasks/{dialog_cards.homepage}", headers=BODY_ONLY)).status_code == 404
    assert (await cole.get(f"/tasks/{dialog_cards.homepage}", headers=BODY_ONLY)).status_code == 404
    assert (await mia.get("/tasks/999999", headers=BODY_ONLY)).status_code == 404


# ---- title, description and fields (versioned) --------------------------------------------------


async def test_max_renames_a_card(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    response = await max_.post(
        f"/tasks/{dialog_cards.homepage}/title", {"title": "Hero copy, take two", "version": 1}, htmx=True
    )
    assert response.status_code == 200
    assert 'id="card-dialog-body"' in response.text
    assert "Hero copy, take two" in response.text
    row = await task(dialog_cards.homepage)
    assert row["title"] == "Hero copy, take two"
    assert row["version"] == 2
    last = (await activity(dialog_cards.homepage))[-1]
    assert last["verb"] == "edited" and last["data"]["fields"] == ["title"]


async def test_an_edit_is_numbered_as_a_board_event(as_user: Any, agency: Agency, dialog_cards: DialogCards) -> None:
    before = await Project.select(Project.event_seq).where(Project.id == agency.acme_project).first()
    max_ = await as_user("max")
    await max_.post(f"/tasks/{dialog_cards.homepage}/title", {"title": "New", "version": 1}, htmx=True)
    after = await Project.select(Project.event_seq).where(Project.id == agency.acme_project).first()
    assert before is not None and after is not None
    assert after["event_seq"] == before["event_seq"] + 1
    assert (await activity(dialog_cards.homepage))[-1]["seq"] == after["event_seq"]


async def test_an_empty_title_is_refused_beside_the_field(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    logged = len(await activity(dialog_cards.homepage))
    response = await max_.post(f"/tasks/{dialog_cards.homepage}/title", {"title": "  ", "version": 1}, htmx=True)
    assert response.status_code == 422
    assert 'id="cd-title-error"' in response.text
    assert "This field is required." in response.text
    row = await task(dialog_cards.homepage)
    assert row["title"] == "Homepage hero copy" and row["version"] == 1
    assert len(await activity(dialog_cards.homepage)) == logged


async def test_a_title_of_201_characters_is_refused(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    response = await max_.post(f"/tasks/{dialog_cards.homepage}/title", {"title": "x" * 201, "version": 1}, htmx=True)
    assert response.status_code == 422
    assert "at most 200" in response.text
    assert (await task(dialog_cards.homepage))["title"] == "Homepage hero copy"
    ok = await max_.post(f"/tasks/{dialog_cards.homepage}/title", {"title": "y" * 200, "version": 1}, htmx=True)
    assert ok.status_code == 200


async def test_an_edit_from_a_stale_version_gets_409_and_the_current_card(
    as_user: Any, dialog_cards: DialogCards
) -> None:
    max_ = await as_user("max")
    ada = await as_user("ada")
    first = await ada.post(f"/tasks/{dialog_cards.homepage}/title", {"title": "Ada's title", "version": 1}, htmx=True)
    assert first.status_code == 200
    late = await max_.post(f"/tasks/{dialog_cards.homepage}/title", {"title": "Max's title", "version": 1}, htmx=True)
    assert late.status_code == 409
    assert "Someone changed this card" in late.text
    assert "Ada&#39;s title" in late.text
    assert 'name="version" value="2"' in late.text  # the next try starts from the current card
    row = await task(dialog_cards.homepage)
    assert row["title"] == "Ada's title" and row["version"] == 2


async def test_a_moved_card_refuses_a_field_edit_from_before_the_move(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    moved = await max_.post(
        f"/tasks/{dialog_cards.homepage}/move", {"column_id": dialog_cards.acme_doing, "version": 1}
    )
    assert moved.status_code == 200
    late = await max_.post(f"/tasks/{dialog_cards.homepage}/fields", {"estimate": "2h", "version": 1}, htmx=True)
    assert late.status_code == 409
    assert (await task(dialog_cards.homepage))["estimate_minutes"] is None


async def test_a_missing_version_is_refused(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    response = await max_.post(f"/tasks/{dialog_cards.homepage}/title", {"title": "No version"}, htmx=True)
    assert response.status_code == 422
    assert (await task(dialog_cards.homepage))["title"] == "Homepage hero copy"


async def test_the_description_is_kept_as_written_and_shown_sanitised(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    text = "**Tone**: friendly\n\n<script>alert(1)</script>\n\n[bad](javascript:alert(1))"
    response = await max_.post(
        f"/tasks/{dialog_cards.homepage}/description", {"description": text, "version": 1}, htmx=True
    )
    assert response.status_code == 200
    assert (await task(dialog_cards.homepage))["description"] == text
    rendered = response.text.split('class="markdown">', 1)[1].split("</div>", 1)[0]
    assert "<strong>Tone</strong>" in rendered
    assert "<script" not in rendered
    assert 'href="javascript' not in rendered


async def test_a_description_over_20000_characters_is_refused(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    response = await max_.post(
        f"/tasks/{dialog_cards.homepage}/description", {"description": "x" * 20_001, "version": 1}, htmx=True
    )
    assert response.status_code == 422
    assert 'id="cd-description-error"' in response.text
    assert (await task(dialog_cards.homepage))["description"] == ""


async def test_line_breaks_count_once_against_the_description_limit(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    text = "abc\r\n" * 4500  # 22,500 characters as sent; 18,000 as typed
    response = await max_.post(
        f"/tasks/{dialog_cards.homepage}/description", {"description": text, "version": 1}, htmx=True
    )
    assert response.status_code == 200
    assert (await task(dialog_cards.homepage))["description"] == ("abc\n" * 4500).strip()


async def test_max_sets_due_date_estimate_and_billable(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    response = await max_.post(
        f"/tasks/{dialog_cards.homepage}/fields", {"due_on": "2026-12-01", "estimate": "1h30", "version": 1}, htmx=True
    )
    assert response.status_code == 200
    row = await task(dialog_cards.homepage)
    assert str(row["due_on"]) == "2026-12-01"
    assert row["estimate_minutes"] == 90
    assert row["billable"] is False  # an unticked box is not sent
    assert set((await activity(dialog_cards.homepage))[-1]["data"]["fields"]) == {
        "due_on",
        "estimate_minutes",
        "billable",
    }


async def test_an_estimate_that_is_not_a_duration_is_refused_and_nothing_is_written(
    as_user: Any, dialog_cards: DialogCards
) -> None:
    max_ = await as_user("max")
    logged = len(await activity(dialog_cards.homepage))
    response = await max_.post(
        f"/tasks/{dialog_cards.homepage}/fields",
        {"due_on": "2026-12-01", "estimate": "soon", "billable": "on", "version": 1},
        htmx=True,
    )
    assert response.status_code == 422
    assert 'id="cd-estimate-error"' in response.text
    assert 'value="soon"' in response.text  # what was typed stays in the field
    row = await task(dialog_cards.homepage)
    assert row["due_on"] is None and row["estimate_minutes"] is None and row["version"] == 1
    assert len(await activity(dialog_cards.homepage)) == logged


async def test_a_due_date_that_is_not_a_date_is_refused(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    for bad in ("tomorrow", "2026-02-30", "1800-01-01"):
        response = await max_.post(
            f"/tasks/{dialog_cards.homepage}/fields", {"due_on": bad, "billable": "on", "version": 1}, htmx=True
        )
        assert response.status_code == 422, bad
        assert 'id="cd-due-error"' in response.text
    assert (await task(dialog_cards.homepage))["due_on"] is None


async def test_an_estimate_of_zero_is_refused(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    response = await max_.post(
        f"/tasks/{dialog_cards.homepage}/fields", {"estimate": "0", "billable": "on", "version": 1}, htmx=True
    )
    assert response.status_code == 422
    assert (await task(dialog_cards.homepage))["estimate_minutes"] is None


async def test_saving_unchanged_fields_writes_nothing(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    logged = len(await activity(dialog_cards.homepage))
    response = await max_.post(
        f"/tasks/{dialog_cards.homepage}/fields",
        {"due_on": "", "estimate": "", "billable": "on", "version": 1},
        htmx=True,
    )
    assert response.status_code == 200
    assert (await task(dialog_cards.homepage))["version"] == 1
    assert len(await activity(dialog_cards.homepage)) == logged


async def test_a_plain_form_post_is_sent_back_to_the_card(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    response = await max_.post(f"/tasks/{dialog_cards.homepage}/title", {"title": "Plain", "version": 1})
    assert response.status_code == 303
    assert response.headers["location"] == f"/tasks/{dialog_cards.homepage}"
    assert (await task(dialog_cards.homepage))["title"] == "Plain"


# ---- archive and restore -------------------------------------------------------------------------


async def test_max_archives_and_restores_a_card(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    archived = await max_.post(
        f"/tasks/{dialog_cards.homepage}/archived", {"archived": "true", "version": 1}, htmx=True
    )
    assert archived.status_code == 200
    assert "This card is archived" in archived.text
    assert (await task(dialog_cards.homepage))["archived"] is True
    board = await max_.get(f"/projects/{(await task(dialog_cards.homepage))['project']}")
    assert f'id="task-{dialog_cards.homepage}"' not in board.text
    restored = await max_.post(
        f"/tasks/{dialog_cards.homepage}/archived", {"archived": "false", "version": 2}, htmx=True
    )
    assert restored.status_code == 200
    assert (await task(dialog_cards.homepage))["archived"] is False
    assert [a["verb"] for a in await activity(dialog_cards.homepage)][-2:] == ["archived", "restored"]


async def test_archiving_from_a_stale_version_gets_409(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    await max_.post(f"/tasks/{dialog_cards.homepage}/title", {"title": "Renamed", "version": 1}, htmx=True)
    response = await max_.post(
        f"/tasks/{dialog_cards.homepage}/archived", {"archived": "true", "version": 1}, htmx=True
    )
    assert response.status_code == 409
    assert (await task(dialog_cards.homepage))["archived"] is False


# ---- assignees and labels ------------------------------------------------------------------------


async def assignees(task_id: int) -> set[int]:
    return {r["person"] for r in await TaskAssignee.select().where(TaskAssignee.task == task_id)}


async def test_max_assigns_and_unassigns_himself(as_user: Any, agency: Agency, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    response = await max_.post(f"/tasks/{dialog_cards.homepage}/assignees", {"person_id": agency.max}, htmx=True)
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.text
    assert await assignees(dialog_cards.homepage) == {agency.max}
    await max_.post(f"/tasks/{dialog_cards.homepage}/assignees", {"person_id": agency.max}, htmx=True)
    assert await assignees(dialog_cards.homepage) == set()
    verbs = [a["verb"] for a in await activity(dialog_cards.homepage)]
    assert verbs[-2:] == ["assigned", "unassigned"]
    assert (await task(dialog_cards.homepage))["version"] == 1  # does not race with moves


async def test_an_admin_can_be_assigned_to_any_card(as_user: Any, agency: Agency, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    response = await max_.post(f"/tasks/{dialog_cards.homepage}/assignees", {"person_id": agency.ada}, htmx=True)
    assert response.status_code == 200
    assert await assignees(dialog_cards.homepage) == {agency.ada}


async def test_people_outside_the_project_cannot_be_assigned(
    as_user: Any, agency: Agency, dialog_cards: DialogCards
) -> None:
    max_ = await as_user("max")
    for outsider in (agency.mia, agency.cleo, 999999, "x"):
        response = await max_.post(f"/tasks/{dialog_cards.homepage}/assignees", {"person_id": outsider}, htmx=True)
        assert response.status_code == 422, outsider
    assert await assignees(dialog_cards.homepage) == set()


async def test_max_puts_a_label_on_and_takes_it_off(as_user: Any, agency: Agency, dialog_cards: DialogCards) -> None:
    rows = await Label.insert(Label(project=agency.acme_project, name="copy", color="amber")).returning(Label.id)
    label_id = rows[0]["id"]
    max_ = await as_user("max")
    response = await max_.post(f"/tasks/{dialog_cards.homepage}/labels", {"label_id": label_id}, htmx=True)
    assert response.status_code == 200
    assert await TaskLabel.count().where(TaskLabel.task == dialog_cards.homepage) == 1
    await max_.post(f"/tasks/{dialog_cards.homepage}/labels", {"label_id": label_id}, htmx=True)
    assert await TaskLabel.count().where(TaskLabel.task == dialog_cards.homepage) == 0


async def test_a_label_of_another_board_is_refused(as_user: Any, agency: Agency, dialog_cards: DialogCards) -> None:
    rows = await Label.insert(Label(project=agency.globex_project, name="secret", color="red")).returning(Label.id)
    max_ = await as_user("max")
    response = await max_.post(f"/tasks/{dialog_cards.homepage}/labels", {"label_id": rows[0]["id"]}, htmx=True)
    assert response.status_code == 422
    assert await TaskLabel.count().where(TaskLabel.task == dialog_cards.homepage) == 0


async def test_max_creates_a_label_and_it_goes_on_the_card(
    as_user: Any, agency: Agency, dialog_cards: DialogCards
) -> None:
    max_ = await as_user("max")
    response = await max_.post(
        f"/tasks/{dialog_cards.homepage}/labels/new", {"label_name": "urgent", "label_color": "red"}, htmx=True
    )
    assert response.status_code == 200
    label = await Label.select().where(Label.name == "urgent").first()
    assert label is not None and label["project"] == agency.acme_project and label["color"] == "red"
    assert await TaskLabel.exists().where((TaskLabel.task == dialog_cards.homepage) & (TaskLabel.label == label["id"]))
    again = await max_.post(
        f"/tasks/{dialog_cards.footer}/labels/new", {"label_name": "Urgent", "label_color": "blue"}, htmx=True
    )
    assert again.status_code == 200
    assert await Label.count().where(Label.project == agency.acme_project) == 1  # the same name is reused


async def test_a_new_label_needs_a_name_and_one_of_the_colours(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    for form in (
        {"label_name": "", "label_color": "red"},
        {"label_name": "x" * 41, "label_color": "red"},
        {"label_name": "ok", "label_color": "#ff0000"},
        {"label_name": "ok"},
    ):
        response = await max_.post(f"/tasks/{dialog_cards.homepage}/labels/new", form, htmx=True)
        assert response.status_code == 422, form
    assert await Label.count() == 0
    assert await TaskLabel.count() == 0


# ---- checklist ---------------------------------------------------------------------------------


async def test_max_adds_checklist_items_in_order(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    for text in ("Draft", "Review", "Ship"):
        response = await max_.post(f"/tasks/{dialog_cards.homepage}/checklist", {"item_text": text}, htmx=True)
        assert response.status_code == 200
    assert await checklist(dialog_cards.homepage) == ["Draft", "Review", "Ship"]
    assert "0/3" in response.text


async def test_an_empty_or_long_checklist_item_is_refused(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    for text in ("", "   ", "x" * 201):
        response = await max_.post(f"/tasks/{dialog_cards.homepage}/checklist", {"item_text": text}, htmx=True)
        assert response.status_code == 422
        assert 'id="cd-item-error"' in response.text
    assert await checklist(dialog_cards.homepage) == []


async def test_max_ticks_and_unticks_an_item(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    await max_.post(f"/tasks/{dialog_cards.homepage}/checklist", {"item_text": "Draft"}, htmx=True)
    item = await item_id(dialog_cards.homepage, "Draft")
    response = await max_.post(f"/checklist/{item}/done", {"done": "true"}, htmx=True)
    assert response.status_code == 200
    assert "1/1" in response.text
    assert (await ChecklistItem.select().where(ChecklistItem.id == item).first() or {})["done"] is True
    await max_.post(f"/checklist/{item}/done", {"done": "false"}, htmx=True)
    assert (await ChecklistItem.select().where(ChecklistItem.id == item).first() or {})["done"] is False
    refused = await max_.post(f"/checklist/{item}/done", {"done": "maybe"}, htmx=True)
    assert refused.status_code == 422


async def test_max_reorders_the_checklist(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    for text in ("A", "B", "C"):
        await max_.post(f"/tasks/{dialog_cards.homepage}/checklist", {"item_text": text}, htmx=True)
    c = await item_id(dialog_cards.homepage, "C")
    assert (await max_.post(f"/checklist/{c}/move", {"position": 0}, htmx=True)).status_code == 200
    assert await checklist(dialog_cards.homepage) == ["C", "A", "B"]
    a = await item_id(dialog_cards.homepage, "A")
    await max_.post(f"/checklist/{a}/move", {"position": 2}, htmx=True)  # "down" twice, by drag
    assert await checklist(dialog_cards.homepage) == ["C", "B", "A"]
    await max_.post(f"/checklist/{a}/move", {"position": 99}, htmx=True)  # past the end stays last
    assert await checklist(dialog_cards.homepage) == ["C", "B", "A"]
    assert (await max_.post(f"/checklist/{a}/move", {"position": "-1"}, htmx=True)).status_code == 422


async def test_max_deletes_a_checklist_item(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    for text in ("Keep", "Drop"):
        await max_.post(f"/tasks/{dialog_cards.homepage}/checklist", {"item_text": text}, htmx=True)
    drop = await item_id(dialog_cards.homepage, "Drop")
    response = await max_.post(f"/checklist/{drop}/delete", htmx=True)
    assert response.status_code == 200
    assert await checklist(dialog_cards.homepage) == ["Keep"]
    assert (await activity(dialog_cards.homepage))[-1]["verb"] == "checklist_removed"


async def test_only_people_who_may_change_the_card_touch_its_checklist(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    await max_.post(f"/tasks/{dialog_cards.homepage}/checklist", {"item_text": "Draft"}, htmx=True)
    item = await item_id(dialog_cards.homepage, "Draft")
    for persona, status in (("mia", 404), ("cole", 404), ("cleo", 403)):
        someone = await as_user(persona)
        assert (await someone.post(f"/checklist/{item}/done", {"done": "true"}, htmx=True)).status_code == status
        assert (await someone.post(f"/checklist/{item}/move", {"position": 0}, htmx=True)).status_code == status
        assert (await someone.post(f"/checklist/{item}/delete", htmx=True)).status_code == status
        refused = await someone.post(f"/tasks/{dialog_cards.homepage}/checklist", {"item_text": "x"}, htmx=True)
        assert refused.status_code == status
    assert await checklist(dialog_cards.homepage) == ["Draft"]
    assert (await ChecklistItem.select().where(ChecklistItem.id == item).first() or {})["done"] is False


async def test_an_unknown_checklist_item_is_not_found(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    assert (await max_.post("/checklist/999999/delete", htmx=True)).status_code == 404
    assert (await max_.post("/checklist/99999999999999/delete", htmx=True)).status_code == 404


# ---- comments ----------------------------------------------------------------------------------


async def test_max_comments_and_the_comment_is_rendered_sanitised(
    as_user: Any, agency: Agency, dialog_cards: DialogCards
) -> None:
    max_ = await as_user("max")
    body = "Looks **good** <img src=x onerror=alert(1)>"
    response = await max_.post(
        f"/tasks/{dialog_cards.homepage}/comments", {"body": body, "visibility": "client"}, htmx=True
    )
    assert response.status_code == 200
    row = await Comment.select().where(Comment.task == dialog_cards.homepage).first()
    assert row is not None
    assert row["body"] == body and row["visibility"] == "client" and row["author"] == agency.max
    assert "<strong>good</strong>" in response.text
    assert "<img" not in response.text


async def test_a_comment_needs_a_body_of_at_most_10000_characters_and_a_visibility(
    as_user: Any, dialog_cards: DialogCards
) -> None:
    max_ = await as_user("max")
    for form in (
        {"body": "", "visibility": "internal"},
        {"body": "x" * 10_001, "visibility": "internal"},
        {"body": "hello", "visibility": "everyone"},
        {"body": "hello"},
    ):
        response = await max_.post(f"/tasks/{dialog_cards.homepage}/comments", form, htmx=True)
        assert response.status_code == 422, form
    assert await Comment.count() == 0


async def test_cleo_comments_on_an_acme_card_and_it_is_always_client_visible(
    as_user: Any, dialog_cards: DialogCards
) -> None:
    cleo = await as_user("cleo")
    response = await cleo.post(
        f"/tasks/{dialog_cards.homepage}/comments", {"body": "Looks **great**", "visibility": "internal"}, htmx=True
    )
    assert response.status_code == 200, response.text
    assert "<strong>great</strong>" in response.text
    assert 'name="visibility"' not in response.text  # a client does not choose
    rows = await Comment.select(Comment.visibility, Comment.body)
    assert rows == [{"visibility": "client", "body": "Looks **great**"}]


async def test_cole_cannot_comment_on_an_acme_card(as_user: Any, dialog_cards: DialogCards) -> None:
    cole = await as_user("cole")
    response = await cole.post(f"/tasks/{dialog_cards.homepage}/comments", {"body": "hi"}, htmx=True)
    assert response.status_code == 404
    assert await Comment.count() == 0


# ---- who may write -------------------------------------------------------------------------------


async def test_cleo_cannot_change_an_acme_card(as_user: Any, agency: Agency, dialog_cards: DialogCards) -> None:
    cleo = await as_user("cleo")
    card = dialog_cards.homepage
    attempts = [
        (f"/tasks/{card}/title", {"title": "Hacked", "version": 1}),
        (f"/tasks/{card}/description", {"description": "Hacked", "version": 1}),
        (f"/tasks/{card}/fields", {"estimate": "1h", "version": 1}),
        (f"/tasks/{card}/archived", {"archived": "true", "version": 1}),
        (f"/tasks/{card}/assignees", {"person_id": agency.max}),
        (f"/tasks/{card}/labels/new", {"label_name": "x", "label_color": "red"}),
    ]
    for path, form in attempts:
        assert (await cleo.post(path, form, htmx=True)).status_code == 403, path
    row = await task(card)
    assert row["title"] == "Homepage hero copy" and row["description"] == "" and row["version"] == 1
    assert row["archived"] is False and row["estimate_minutes"] is None
    assert await TaskAssignee.count() == 0 and await Label.count() == 0


async def test_mia_cannot_change_a_card_of_a_project_she_is_not_on(
    as_user: Any, agency: Agency, dialog_cards: DialogCards
) -> None:
    mia = await as_user("mia")
    response = await mia.post(f"/tasks/{dialog_cards.homepage}/title", {"title": "Mine", "version": 1}, htmx=True)
    assert response.status_code == 404
    response = await mia.post(f"/tasks/{dialog_cards.homepage}/assignees", {"person_id": agency.mia}, htmx=True)
    assert response.status_code == 404
    assert (await task(dialog_cards.homepage))["title"] == "Homepage hero copy"
    assert await TaskAssignee.count() == 0


# ---- history -----------------------------------------------------------------------------------


async def test_the_history_says_who_did_what_newest_first(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    await max_.post(f"/tasks/{dialog_cards.homepage}/move", {"column_id": dialog_cards.acme_doing, "version": 1})
    await max_.post(f"/tasks/{dialog_cards.homepage}/checklist", {"item_text": "Draft"}, htmx=True)
    response = await max_.get(f"/tasks/{dialog_cards.homepage}", headers={"hx-request": "true"})
    history = response.text.split('class="cd-history"', 1)[1]
    moved = history.index("<strong>Max Member</strong> moved this from To do to In progress")
    added = history.index("<strong>Max Member</strong> added “Draft” to the checklist")
    created = history.index("created this card")
    assert added < moved < created
    assert "ago" in history
