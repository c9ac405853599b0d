"""Priority and the "important for the client" mark: set from the card dialog through the same write
path as any field (versioned, numbered, in the history, live on every open board), shown on the card
for everyone who sees it, filterable and sortable on the board; only people who may change the card
set them."""

from __future__ import annotations

import re
from typing import Any

import pytest

from server.rules.priority import Priority
from server.tables import Activity, Project, Task
from tests.boards.conftest import DialogCards
from tests.conftest import Agency
from tests.factories import add_card, task_row
from tests.realtime.conftest import BoardSocket, Sessions, board_socket, live_server, next_event, session_of  # noqa: F401


async def activity(task_id: int) -> list[dict[str, Any]]:
    return await Activity.select().where(Activity.task == task_id).order_by(Activity.seq).output(load_json=True)


def card_li(page: str, task_id: int) -> str:
    match = re.search(rf'<li id="task-{task_id}".*?</li>', page, re.S)
    assert match, f"card {task_id} is on the page"
    return match.group(0)


# ---- setting them from the dialog ------------------------------------------------------------------


async def test_max_sets_a_priority_and_the_important_mark(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    response = await max_.post(
        f"/tasks/{dialog_cards.homepage}/priority", {"priority": "urgent", "important": "on", "version": 1}, htmx=True
    )
    assert response.status_code == 200, response.text
    assert 'id="card-dialog-body"' in response.text
    assert '<option value="urgent" selected>' in response.text
    row = await task_row(dialog_cards.homepage)
    assert (row["priority"], row["important"], row["version"]) == (Priority.URGENT, True, 2)
    last = (await activity(dialog_cards.homepage))[-1]
    assert last["verb"] == "edited"
    assert last["data"] == {"fields": ["important", "priority"], "priority": 4, "important": True}


async def test_the_change_is_numbered_as_a_board_event(as_user: Any, agency: Agency, dialog_cards: DialogCards) -> None:
    before = await Project.select(Project.event_seq).where(Project.id == agency.acme_project).first()
    max_ = await as_user("max")
    await max_.post(f"/tasks/{dialog_cards.homepage}/priority", {"priority": "high", "version": 1}, htmx=True)
    after = await Project.select(Project.event_seq).where(Project.id == agency.acme_project).first()
    assert before is not None and after is not None
    assert after["event_seq"] == before["event_seq"] + 1
    assert (await activity(dialog_cards.homepage))[-1]["seq"] == after["event_seq"]


async def test_the_history_names_the_new_priority_and_the_mark(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    card = dialog_cards.homepage
    await max_.post(f"/tasks/{card}/priority", {"priority": "high", "important": "on", "version": 1}, htmx=True)
    await max_.post(f"/tasks/{card}/priority", {"priority": "none", "version": 2}, htmx=True)
    response = await max_.get(f"/tasks/{card}", headers={"hx-request": "true"})
    history = response.text.split('class="cd-history"', 1)[1]
    removed = history.index("<strong>Max Member</strong> removed the priority; removed the “important for the client”")
    set_high = history.index(
        "<strong>Max Member</strong> set the priority to High; marked this important for the client"
    )
    assert removed < set_high


async def test_saving_the_same_priority_writes_nothing(as_user: Any, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    logged = len(await activity(dialog_cards.homepage))
    response = await max_.post(
        f"/tasks/{dialog_cards.homepage}/priority", {"priority": "none", "version": 1}, htmx=True
    )
    assert response.status_code == 200
    assert (await task_row(dialog_cards.homepage))["version"] == 1
    assert len(await activity(dialog_cards.homepage)) == logged


@pytest.mark.parametrize("bad", ["extreme", "", "4", "high; drop table task", "x" * 500])
async def test_a_priority_that_is_not_a_level_is_refused_beside_the_field(
    as_user: Any, dialog_cards: DialogCards, bad: str
) -> None:
    max_ = await as_user("max")
    logged = len(await activity(dialog_cards.homepage))
    response = await max_.post(
        f"/tasks/{dialog_cards.homepage}/priority", {"priority": bad, "important": "on", "version": 1}, htmx=True
    )
    assert response.status_code == 422
    assert 'id="cd-priority-error"' in response.text
    assert "Choose a priority: none, low, normal, high or urgent." in response.text
    row = await task_row(dialog_cards.homepage)
    assert (row["priority"], row["important"], row["version"]) == (0, False, 1)
    assert len(await activity(dialog_cards.homepage)) == logged


async def test_a_stale_version_gets_409_and_nothing_is_written(as_user: Any, dialog_cards: DialogCards) -> None:
    ada, max_ = await as_user("ada"), await as_user("max")
    await ada.post(f"/tasks/{dialog_cards.homepage}/priority", {"priority": "low", "version": 1}, htmx=True)
    late = await max_.post(f"/tasks/{dialog_cards.homepage}/priority", {"priority": "urgent", "version": 1}, htmx=True)
    assert late.status_code == 409
    row = await task_row(dialog_cards.homepage)
    assert (row["priority"], row["version"]) == (Priority.LOW, 2)


# ---- who may set them ------------------------------------------------------------------------------


async def test_cleo_cannot_set_a_priority_on_a_card_she_sees(as_user: Any, dialog_cards: DialogCards) -> None:
    cleo = await as_user("cleo")
    response = await cleo.post(
        f"/tasks/{dialog_cards.homepage}/priority", {"priority": "urgent", "important": "on", "version": 1}, htmx=True
    )
    assert response.status_code == 403
    row = await task_row(dialog_cards.homepage)
    assert (row["priority"], row["important"], row["version"]) == (0, False, 1)


async def test_cole_and_mia_get_404_for_a_card_they_cannot_see(as_user: Any, dialog_cards: DialogCards) -> None:
    for who in ("cole", "mia"):
        client = await as_user(who)
        response = await client.post(
            f"/tasks/{dialog_cards.homepage}/priority", {"priority": "urgent", "version": 1}, htmx=True
        )
        assert response.status_code == 404, who
    assert (await task_row(dialog_cards.homepage))["priority"] == 0


async def test_cleo_sees_the_priority_and_the_mark_read_only(
    as_user: Any, agency: Agency, dialog_cards: DialogCards
) -> None:
    await Task.update({Task.priority: Priority.HIGH, Task.important: True}).where(Task.id == dialog_cards.homepage)
    cleo = await as_user("cleo")
    dialog = await cleo.get(f"/tasks/{dialog_cards.homepage}", headers={"hx-request": "true"})
    assert dialog.status_code == 200
    assert "cd-priority-level" not in dialog.text and "/priority" not in dialog.text  # no form
    side = dialog.text.split('id="cd-priority"', 1)[1]
    assert "High" in side and "Important for the client" in side
    board = await cleo.get(f"/projects/{agency.acme_project}")
    card = card_li(board.text, dialog_cards.homepage)
    assert 'data-priority="high"' in card and 'data-important="true"' in card
    assert "chip-priority-high" in card and "Priority: High" in card and "Important for the client" in card


# ---- on the board ----------------------------------------------------------------------------------


async def test_a_card_without_priority_shows_no_mark(as_user: Any, agency: Agency, dialog_cards: DialogCards) -> None:
    max_ = await as_user("max")
    card = card_li((await max_.get(f"/projects/{agency.acme_project}")).text, dialog_cards.homepage)
    assert 'data-priority="none"' in card and 'data-important="false"' in card
    assert "chip-priority" not in card and "chip-important" not in card


async def test_each_level_draws_its_own_mark_with_words_for_screen_readers(
    as_user: Any, agency: Agency, dialog_cards: DialogCards
) -> None:
    ids = {level: await add_card(agency.acme_project, f"{level.key} card") for level in Priority}
    for level, task_id in ids.items():
        await Task.update({Task.priority: level}).where(Task.id == task_id)
    page = (await (await as_user("max")).get(f"/projects/{agency.acme_project}")).text
    for level, task_id in ids.items():
        card = card_li(page, task_id)
        if level is Priority.NONE:
            assert "chip-priority" not in card
            continue
        assert f"chip-priority-{level.key}" in card and f'href="#i-priority-{level.key}"' in card
        assert f'<span class="visually-hidden">Priority: {level.label}</span>' in card
        # High and urgent say so in words on the card too; low and normal only an icon.
        assert (f'<span aria-hidden="true">{level.label}</span>' in card) == level.stands_out


async def test_the_board_offers_priority_and_important_filters_and_the_sort(
    as_user: Any, agency: Agency, dialog_cards: DialogCards
) -> None:
    for who in ("max", "cleo"):
        page = (await (await as_user(who)).get(f"/projects/{agency.acme_project}")).text
        filters = page.split('id="board-filters"', 1)[1].split("</form>", 1)[0]
        assert '<select name="priority"' in filters
        assert [m for m in re.findall(r'<option value="(\w*)">', filters.split('name="priority"', 1)[1])][:6] == [
            "",
            "urgent",
            "high",
            "normal",
            "low",
            "none",
        ]
        assert 'name="important"' in filters and 'name="sort" value="priority"' in filters
        assert 'id="sorted-note"' in page and 'id="i-star"' in page


async def test_the_board_keeps_rank_order_and_carries_what_the_sort_needs(
    as_user: Any, agency: Agency, dialog_cards: DialogCards
) -> None:
    """The page's cards stay in the board's order (live events place cards by rank); the browser sorts
    by the priority and rank each card carries."""
    await Task.update({Task.priority: Priority.URGENT}).where(Task.id == dialog_cards.footer)
    page = (await (await as_user("max")).get(f"/projects/{agency.acme_project}")).text
    assert page.index(f'id="task-{dialog_cards.homepage}"') < page.index(f'id="task-{dialog_cards.footer}"')
    rank = (await task_row(dialog_cards.footer))["rank"]
    assert f'data-priority="urgent" data-important="false" data-rank="{rank}"' in card_li(page, dialog_cards.footer)


# ---- live: other viewers see the change without a reload -------------------------------------------


@pytest.mark.slow
async def test_a_priority_set_by_max_reaches_ada_and_cleo_live(
    agency: Agency,
    session_of: Sessions,  # noqa: F811
    board_socket: BoardSocket,  # noqa: F811
) -> None:
    card = await add_card(agency.acme_project, "Hero copy")
    max_, ada, cleo = await session_of("max"), await session_of("ada"), await session_of("cleo")
    async with board_socket(ada, agency.acme_project) as ada_ws, board_socket(cleo, agency.acme_project) as cleo_ws:
        response = await max_.post(f"/tasks/{card}/priority", {"priority": "urgent", "important": "on", "version": 1})
        assert response.status_code in (200, 303), response.text
        for socket in (ada_ws, cleo_ws):
            _seq, html = await next_event(socket)
            assert f'<li id="task-{card}"' in html and 'hx-swap-oob="true"' in html
            assert 'data-priority="urgent"' in html and 'data-important="true"' in html
            assert "chip-priority-urgent" in html and "chip-important" in html
