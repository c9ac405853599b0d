"""A move's request runs a handful of SQL statements, the same number on a board of ten cards as on
one of five hundred: the session and who is signed in, the card, its project and the mover's
membership (each read once), the board's number, one read of where the card goes (with the card and
both columns' counts), then the card's row and the Activity row written together; no column read
back, and drawing the move's event reads nothing more.

On PostgreSQL that is 8 for a member, 7 for an admin (no membership to read). SQLite has no
data-modifying WITH, so the card's row and the Activity row are two statements there: one more."""

from __future__ import annotations

from typing import Any

import pytest
from piccolo.engine.base import Engine

from server.kernel.db import is_sqlite
from server.tables import Task
from tests.boards.test_wire_format import fill, ids_in
from tests.conftest import Agency
from tests.factories import columns_of

MOST = {"max": 8, "ada": 7}  # on PostgreSQL; a member's membership is one more read than an admin's


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every statement the app sends to the database while the test runs: Piccolo's engine runs
    each query through run_querystring or run_ddl, wrapped here (on the engine's class: its
    instances have slots). A transaction's BEGIN and COMMIT do not go through them and are not
    counted."""
    engine_class = type(Task._meta.db)
    seen: list[str] = []
    run_querystring, run_ddl = engine_class.run_querystring, engine_class.run_ddl

    async def counted_querystring(self: Engine, querystring: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(" ".join(str(querystring).split())[:160])
        return await run_querystring(self, querystring, *args, **kwargs)

    async def counted_ddl(self: Engine, ddl: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(" ".join(ddl.split())[:160])
        return await run_ddl(self, ddl, *args, **kwargs)

    monkeypatch.setattr(engine_class, "run_querystring", counted_querystring)
    monkeypatch.setattr(engine_class, "run_ddl", counted_ddl)
    return seen


async def statements_of_a_move(as_user: Any, who: str, project_id: int, seen: list[str]) -> list[str]:
    cols = await columns_of(project_id)
    todo, doing = await ids_in(cols["To do"]), await ids_in(cols["In progress"])
    card = todo[len(todo) // 2]
    browser = await as_user(who)
    seen.clear()
    response = await browser.post(
        f"/tasks/{card}/move",
        {"column_id": cols["In progress"], "before_id": doing[len(doing) // 2], "version": 1},
        htmx=True,
    )
    made = list(seen)
    assert response.status_code == 200, response.text
    assert f'id="task-{card}"' in response.text
    return made


@pytest.mark.parametrize("who", ["max", "ada"])
async def test_a_move_on_a_500_card_board_takes_at_most_8_statements_whatever_the_board_size(
    as_user: Any, agency: Agency, statements: list[str], who: str
) -> None:
    await fill(agency.acme_project, 100)  # five columns of a hundred cards
    await fill(agency.brand_project, 2)  # ten cards
    large = await statements_of_a_move(as_user, who, agency.acme_project, statements)
    small = await statements_of_a_move(as_user, who, agency.brand_project, statements)
    listing = "\n".join(large)
    print(f"\n{who}: {len(large)} statements for a move on a 500-card board:\n{listing}")
    most = MOST[who] + (1 if is_sqlite(Task._meta.db) else 0)
    assert len(large) <= most, listing
    assert len(large) == len(small), "the board's size does not change what a move reads"
