"""A board's exports: the JSON round-trips through the importer; the CSV lists every card."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from server.imports import trello
from server.imports.exports import board_json
from server.imports.store import people
from server.rules.imports import match_person
from server.tables import Project
from tests.conftest import Agency, Browser
from tests.imports.helpers import as_bytes, fixture, imported, new_project


async def project_row(project_id: int) -> dict[str, Any]:
    row = await Project.select().where(Project.id == project_id).first()
    assert row is not None
    return row


def comparable(exported: dict[str, Any]) -> dict[str, Any]:
    """An export without what differs between projects: ids, the project's name and key."""
    lists = {x["id"]: x["name"] for x in exported["lists"]}
    labels = {x["id"]: (x["name"], x["color"]) for x in exported["labels"]}
    people = {m["id"]: m["email"] for m in exported["members"]}
    items: dict[str, list[Any]] = {
        c["idCard"]: [(i["name"], i["state"]) for i in c["checkItems"]] for c in exported["checklists"]
    }
    comments: dict[str, list[Any]] = {}
    for action in exported["actions"]:
        comments.setdefault(action["data"]["card"]["id"], []).append((action["data"]["text"], action["date"]))
    return {
        "lists": [(x["name"], x["closed"]) for x in exported["lists"]],
        "labels": sorted(labels.values()),
        "cards": [
            (
                c["idShort"],
                c["name"],
                c["desc"],
                lists[c["idList"]],
                c["closed"],
                c["due"],
                sorted(labels[i] for i in c["idLabels"]),
                sorted(people[i] for i in c["idMembers"]),
                items.get(c["id"], []),
                comments.get(c["id"], []),
            )
            for c in exported["cards"]
        ],
    }


async def test_a_board_exported_and_imported_elsewhere_exports_the_same(agency: Agency) -> None:
    first = await new_project(agency)
    await imported(first, fixture("small_board.json"), agency.ada, {"m-max": agency.max, "m-ada": agency.ada})
    exported = await board_json(await project_row(first))
    second = await new_project(agency, key="COPY", name="Copy")
    # people are found again by their email: nobody needs choosing

    everyone = await people()
    chosen = {m.source_id: match_person(everyone, email=m.email) for m in trello.read(as_bytes(exported)).members}
    await imported(second, as_bytes(exported), agency.ada, chosen)
    again = await board_json(await project_row(second))
    assert comparable(again) == comparable(exported)
    assert again["format"] == "boardroom-board/1" and len(again["cards"]) == 5


async def test_the_exports_download_as_files(agency: Agency, ada: Browser) -> None:
    project_id = await new_project(agency)
    await imported(project_id, fixture("small_board.json"), agency.ada)
    as_json = await ada.get(f"/projects/{project_id}/export.json")
    assert as_json.status_code == 200 and "attachment" in as_json.headers["content-disposition"]
    assert len(json.loads(as_json.text)["cards"]) == 5
    as_csv = await ada.get(f"/projects/{project_id}/export.csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [r["number"] for r in rows][:1] and {r["title"] for r in rows} >= {"Homepage hero", "Old banner"}
    hero = next(r for r in rows if r["title"] == "Homepage hero")
    assert hero["column"] == "To do" and hero["labels"] == "Urgent, Thiết kế" and hero["due"] == "2026-12-10"
