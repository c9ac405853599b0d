"""One validation per card, shared by the card dialog and the API: what one refuses, the other
refuses too, naming the same field, and nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest

from server.boards.schemas import ESTIMATE_LIMIT, TITLE_LIMIT
from tests.api.conftest import Boards
from tests.conftest import Agency
from tests.factories import task_row

ERROR_IDS = {"estimate": "cd-estimate-error", "due_on": "cd-due-error"}
# (the dialog's form, the API's body, the field each names)
REFUSED = [
    pytest.param({"estimate": "0"}, {"estimate_minutes": 0}, ("estimate", "estimate_minutes"), id="estimate 0"),
    pytest.param(
        {"estimate": "100000"}, {"estimate_minutes": 100_000}, ("estimate", "estimate_minutes"), id="estimate 100000"
    ),
    pytest.param(
        {"estimate": str(ESTIMATE_LIMIT + 1)},
        {"estimate_minutes": ESTIMATE_LIMIT + 1},
        ("estimate", "estimate_minutes"),
        id="estimate past the limit",
    ),
    pytest.param({"due_on": "1901-01-01"}, {"due_on": "1901-01-01"}, ("due_on", "due_on"), id="due 1901"),
    pytest.param({"due_on": "2101-01-01"}, {"due_on": "2101-01-01"}, ("due_on", "due_on"), id="due 2101"),
]


@pytest.mark.parametrize(("form", "body", "fields"), REFUSED)
async def test_the_dialog_and_the_api_refuse_the_same_card_fields(
    as_user: Any,
    as_script: Any,
    agency: Agency,
    boards: Boards,
    form: dict[str, str],
    body: dict[str, Any],
    fields: tuple[str, str],
) -> None:
    before = await task_row(boards.homepage)
    max_ = await as_user("max")
    dialog = await max_.post(f"/tasks/{boards.homepage}/fields", {"version": str(before["version"]), **form}, htmx=True)
    assert dialog.status_code == 422, dialog.text[:300]
    assert f'id="{ERROR_IDS[fields[0]]}"' in dialog.text

    script = await as_script("max")
    api = await script.patch(f"/api/tasks/{boards.homepage}", json={"version": before["version"], **body})
    assert api.status_code == 422, api.text
    assert [error["field"] for error in api.json()["errors"]] == [fields[1]]

    after = await task_row(boards.homepage)
    assert (after["version"], after["due_on"], after["estimate_minutes"]) == (
        before["version"],
        before["due_on"],
        before["estimate_minutes"],
    )


async def test_the_api_and_the_dialog_take_the_limits_themselves(
    as_user: Any, as_script: Any, agency: Agency, boards: Boards
) -> None:
    script = await as_script("max")
    api = await script.patch(
        f"/api/tasks/{boards.homepage}",
        json={"version": 1, "estimate_minutes": ESTIMATE_LIMIT, "due_on": "2100-12-31", "title": "x" * TITLE_LIMIT},
    )
    assert api.status_code == 200, api.text
    max_ = await as_user("max")
    dialog = await max_.post(
        f"/tasks/{boards.footer}/fields", {"version": "1", "estimate": "1", "due_on": "2000-01-01"}, htmx=True
    )
    assert dialog.status_code == 200
    footer = await task_row(boards.footer)
    assert (footer["estimate_minutes"], str(footer["due_on"])) == (1, "2000-01-01")


@pytest.mark.parametrize("title", ["", "   ", "x" * (TITLE_LIMIT + 1)])
async def test_the_dialog_and_the_api_refuse_the_same_titles(
    as_user: Any, as_script: Any, agency: Agency, boards: Boards, title: str
) -> None:
    max_ = await as_user("max")
    dialog = await max_.post(f"/tasks/{boards.homepage}/title", {"version": "1", "title": title}, htmx=True)
    assert dialog.status_code == 422
    script = await as_script("max")
    api = await script.patch(f"/api/tasks/{boards.homepage}", json={"version": 1, "title": title})
    assert api.status_code == 422 and api.json()["errors"][0]["field"] == "title"
    assert (await task_row(boards.homepage))["title"] == "Homepage hero copy"
