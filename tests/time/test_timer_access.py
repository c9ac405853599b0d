from __future__ import annotations

from typing import Any


async def test_cleo_does_not_find_the_header_timer(as_user: Any) -> None:
    cleo = await as_user("cleo")
    assert (await cleo.get("/timer", headers={"hx-request": "true"})).status_code == 404


async def test_max_gets_his_header_timer(as_user: Any) -> None:
    max_ = await as_user("max")
    response = await max_.get("/timer", headers={"hx-request": "true"})
    assert response.status_code == 200 and 'id="timer"' in response.text
