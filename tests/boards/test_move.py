from __future__ import annotations

from typing import Any

from server.tables import Activity, BoardColumn, Project, Task
from tests.boards.conftest import order
from tests.conftest import Agency
from tests.factories import add_card, add_cards, columns_of


async def event_seq(project_id: int) -> int:
    row = await Project.select(Project.event_seq).where(Project.id == project_id).first()
    assert row is not None
    return int(row["event_seq"])


async def version(task_id: int) -> int:
    row = await Task.select(Task.version).where(Task.id == task_id).first()
    assert row is not None
    return int(row["version"])


async def test_max_moves_a_card_to_another_column_above_a_card(as_user: Any, agency: Agency) -> None:
    cols = await columns_of(agency.acme_project)
    a, b = await add_cards(agency.acme_project, "A", "B")
    c = await add_card(agency.acme_project, "C", column="In progress")
    max_ = await as_user("max")
    response = await max_.post(f"/tasks/{a}/move", {"column_id": cols["In progress"], "before_id": c, "version": 1})
    assert response.status_code == 200
    assert await order(cols["In progress"]) == [a, c]
    assert await order(cols["To do"]) == [b]
    assert await version(a) == 2
    # The answer is the move's event: the card taken out and put back above c (at the column's top),
    # and both columns' counters; not the columns.
    text = response.text
    assert text.index(f'<li id="task-{a}" hx-swap-oob="delete">') < text.index(
        f'<ol hx-swap-oob="afterbegin:#column-{cols["In progress"]}-cards"><li id="task-{a}"'
    )
    assert f'id="column-{cols["In progress"]}-count"' in text and f'id="column-{cols["To do"]}-count"' in text
    assert f'id="column-{cols["In progress"]}"' not in text and f'id="task-{c}"' not in text
    assert response.headers["x-board-event"] == str(await event_seq(agency.acme_project))


async def test_a_move_is_logged_with_the_next_board_sequence_number(as_user: Any, agency: Agency) -> None:
    cols = await columns_of(agency.acme_project)
    a = await add_card(agency.acme_project, "A")
    before = (await Project.select(Project.event_seq).where(Project.id == agency.acme_project).first())["event_seq"]
    max_ = await as_user("max")
    await max_.post(f"/tasks/{a}/move", {"column_id": cols["Done"], "version": 1})
    rows = await Activity.select().where(Activity.project == agency.acme_project).order_by(Activity.seq)
    assert [r["seq"] for r in rows] == list(range(1, before + 2))
    assert rows[-1]["verb"] == "moved" and rows[-1]["task"] == a and rows[-1]["actor"] == agency.max


async def test_a_stale_version_answers_409_and_changes_nothing(as_user: Any, agency: Agency) -> None:
    cols = await columns_of(agency.acme_project)
    a = await add_card(agency.acme_project, "A")
    max_ = await as_user("max")
    first = await max_.post(f"/tasks/{a}/move", {"column_id": cols["Review"], "version": 1})
    assert first.status_code == 200
    stale = await max_.post(f"/tasks/{a}/move", {"column_id": cols["Done"], "version": 1})
    assert stale.status_code == 409
    assert "Someone moved or edited this card first" in stale.text
    assert await order(cols["Review"]) == [a]
    assert await version(a) == 2


async def test_mia_cannot_move_a_card_of_a_project_she_is_not_on(as_user: Any, agency: Agency) -> None:
    cols = await columns_of(agency.acme_project)
    a = await add_card(agency.acme_project, "A")
    mia = await as_user("mia")
    response = await mia.post(f"/tasks/{a}/move", {"column_id": cols["Done"], "version": 1})
    assert response.status_code == 404
    assert await order(cols["To do"]) == [a]


async def test_a_card_cannot_be_moved_into_another_projects_column(as_user: Any, agency: Agency) -> None:
    cols = await columns_of(agency.acme_project)
    other = await columns_of(agency.brand_project)
    a = await add_card(agency.acme_project, "A")
    max_ = await as_user("max")  # max is on both projects
    response = await max_.post(f"/tasks/{a}/move", {"column_id": other["Done"], "version": 1})
    assert response.status_code == 422
    assert await order(cols["To do"]) == [a]
    assert await order(other["Done"]) == []


async def test_cleo_can_see_but_not_move_cards(as_user: Any, agency: Agency) -> None:
    cols = await columns_of(agency.acme_project)
    a = await add_card(agency.acme_project, "A")
    cleo = await as_user("cleo")
    assert (await cleo.get(f"/projects/{agency.acme_project}")).status_code == 200
    response = await cleo.post(f"/tasks/{a}/move", {"column_id": cols["Done"], "version": 1})
    assert response.status_code == 403
    assert await order(cols["To do"]) == [a]


async def test_a_strict_wip_limit_refuses_the_move_and_says_why(as_user: Any, agency: Agency) -> None:
    cols = await columns_of(agency.acme_project)
    await BoardColumn.update({BoardColumn.wip_limit: 1, BoardColumn.wip_strict: True}).where(
        BoardColumn.id == cols["In progress"]
    )
    await add_card(agency.acme_project, "busy", column="In progress")
    a = await add_card(agency.acme_project, "A")
    max_ = await as_user("max")
    response = await max_.post(f"/tasks/{a}/move", {"column_id": cols["In progress"], "version": 1})
    assert response.status_code == 409
    assert "In progress is at its limit of 1 cards" in response.text
    assert await order(cols["To do"]) == [a]


async def test_a_soft_wip_limit_allows_the_move_and_marks_the_column(as_user: Any, agency: Agency) -> None:
    cols = await columns_of(agency.acme_project)
    await BoardColumn.update({BoardColumn.wip_limit: 1}).where(BoardColumn.id == cols["In progress"])
    await add_card(agency.acme_project, "busy", column="In progress")
    a = await add_card(agency.acme_project, "A")
    max_ = await as_user("max")
    response = await max_.post(f"/tasks/{a}/move", {"column_id": cols["In progress"], "version": 1})
    assert response.status_code == 200
    assert "over-limit" in response.text and "2 / 1" in " ".join(response.text.split())


async def test_quick_add_numbers_cards_per_project(as_user: Any, agency: Agency) -> None:
    cols = await columns_of(agency.acme_project)
    max_ = await as_user("max")
    for title in ("First", "Second"):
        response = await max_.post(
            f"/projects/{agency.acme_project}/tasks", {"column_id": cols["To do"], "title": title}
        )
        assert response.status_code == 200
    rows = await Task.select(Task.number, Task.title).where(Task.project == agency.acme_project).order_by(Task.number)
    assert [(r["number"], r["title"]) for r in rows] == [(1, "First"), (2, "Second")]
    page = await max_.get(f"/projects/{agency.acme_project}")
    assert "ACME-2" in page.text and "Second" in page.text


async def test_quick_add_rejects_an_empty_or_overlong_title(as_user: Any, agency: Agency) -> None:
    cols = await columns_of(agency.acme_project)
    max_ = await as_user("max")
    for title in ("", "x" * 201):
        response = await max_.post(
            f"/projects/{agency.acme_project}/tasks", {"column_id": cols["To do"], "title": title}
        )
        assert response.status_code == 422
    assert await Task.count().where(Task.project == agency.acme_project) == 0


async def test_the_board_escapes_card_titles(as_user: Any, agency: Agency) -> None:
    await add_card(agency.acme_project, "<script>alert(1)</script>")
    page = await (await as_user("max")).get(f"/projects/{agency.acme_project}")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


async def test_changes_answers_304_when_nothing_changed_and_fragments_when_something_did(
    as_user: Any, agency: Agency
) -> None:
    cols = await columns_of(agency.acme_project)
    a = await add_card(agency.acme_project, "A")
    max_ = await as_user("max")
    seq = (await Project.select(Project.event_seq).where(Project.id == agency.acme_project).first())["event_seq"]
    assert (await max_.get(f"/projects/{agency.acme_project}/changes?after={seq}")).status_code == 304
    await max_.post(f"/tasks/{a}/move", {"column_id": cols["Done"], "version": 1})
    response = await max_.get(f"/projects/{agency.acme_project}/changes?after={seq}")
    assert response.status_code == 200
    assert f'data-seq="{seq + 1}"' in response.text
    assert f'<ol hx-swap-oob="afterbegin:#column-{cols["Done"]}-cards"><li id="task-{a}"' in response.text
    assert f'id="column-{cols["To do"]}-count"' in response.text  # the column it left gets its counter
