"""A browser's sequence number only moves past events it has applied, whatever it does itself:
otherwise the polling fallback (or the websocket's dedupe) skips someone else's change for good."""

from __future__ import annotations

import re
from typing import Any

from server.tables import Project
from tests.conftest import Agency
from tests.factories import add_cards, columns_of

SEQ = re.compile(r'id="board-seq" data-seq="(\d+)"')


def seq_after(applied: int, html: str) -> int:
    """What board.js takes as the last event applied after swapping `html`."""
    found = SEQ.findall(html)
    return int(found[-1]) if found else applied


async def test_max_own_move_does_not_hide_ada_move_he_had_not_seen_yet(as_user: Any, agency: Agency) -> None:
    cols = await columns_of(agency.acme_project)
    mine, hers = await add_cards(agency.acme_project, "Mine", "Hers", column="Backlog")
    max_, ada = await as_user("max"), await as_user("ada")
    page = await max_.get(f"/projects/{agency.acme_project}")
    applied = int(SEQ.search(page.text).group(1))  # type: ignore[union-attr]

    # Ada moves her card; max's browser has not heard yet (polling every few seconds, or a slow socket).
    assert (await ada.post(f"/tasks/{hers}/move", {"column_id": cols["Done"], "version": 1})).status_code == 200
    response = await max_.post(f"/tasks/{mine}/move", {"column_id": cols["Review"], "version": 1})
    assert response.status_code == 200
    applied = seq_after(applied, response.text)
    assert f'id="task-{hers}"' not in response.text  # the answer redraws max's columns only

    poll = await max_.get(f"/projects/{agency.acme_project}/changes?after={applied}")
    assert poll.status_code == 200, "ada's move is still to come"
    assert f'<ol hx-swap-oob="afterbegin:#column-{cols["Done"]}-cards"><li id="task-{hers}"' in poll.text
    now = await Project.select(Project.event_seq).where(Project.id == agency.acme_project).first()
    assert seq_after(applied, poll.text) == now["event_seq"]  # type: ignore[index]
