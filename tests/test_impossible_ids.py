from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    "path", ["/tasks/99999999999", "/projects/99999999999", "/admin/users/99999999999", "/projects/0"]
)
async def test_an_id_no_row_can_have_is_not_found_never_a_crash(as_user: Any, path: str) -> None:
    ada = await as_user("ada")
    response = await ada.get(path)
    assert response.status_code == 404


async def test_a_move_with_an_impossible_task_id_is_not_found(as_user: Any) -> None:
    ada = await as_user("ada")
    response = await ada.post("/tasks/99999999999/move", {"column_id": "1", "version": "1"})
    assert response.status_code == 404
