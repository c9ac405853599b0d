"""A board as files to take elsewhere: JSON in Boardroom's board format, and a CSV of its cards.

The JSON format is a documented subset of Trello's board export (docs/moving-from-trello.md), so it
reads back through the same importer: lists, labels, cards (number, title, description, column,
archived, due date, labels, assignees), checklists and comments, with people by email."""

from __future__ import annotations

import csv
import io
from typing import Any

from server.tables import BoardColumn, ChecklistItem, Comment, Label, Task, TaskAssignee, TaskLabel, User

FORMAT = "boardroom-board/1"
CARD_HEADER = [
    "number",
    "title",
    "column",
    "labels",
    "assignees",
    "due",
    "estimate minutes",
    "billable",
    "internal",
    "archived",
    "description",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _at(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


async def board_json(project: dict[str, Any]) -> dict[str, Any]:
    """The project's board, whole (archived columns and cards too), in Boardroom's board format."""
    pid = project["id"]
    columns = await BoardColumn.select().where(BoardColumn.project == pid).order_by(BoardColumn.rank)
    labels = await Label.select().where(Label.project == pid).order_by(Label.id)
    tasks = await Task.select().where(Task.project == pid).order_by(Task.rank).order_by(Task.id)
    ids = [t["id"] for t in tasks] or [0]
    task_labels = await TaskLabel.select(TaskLabel.task, TaskLabel.label).where(TaskLabel.task.is_in(ids))
    assignees = await TaskAssignee.select(TaskAssignee.task, TaskAssignee.person).where(TaskAssignee.task.is_in(ids))
    items = await ChecklistItem.select().where(ChecklistItem.task.is_in(ids)).order_by(ChecklistItem.rank)
    comments = await (
        Comment.select(*Comment.all_columns(), Comment.author.name.as_alias("author_name"))
        .where(Comment.task.is_in(ids))
        .order_by(Comment.created_at, ascending=False)
        .order_by(Comment.id, ascending=False)
    )
    people_ids = {a["person"] for a in assignees} | {c["author"] for c in comments if c["author"]}
    people = await User.select(User.id, User.name, User.email).where(User.id.is_in(list(people_ids) or [0]))
    return {
        "format": FORMAT,
        "id": f"project-{pid}",
        "name": project["name"],
        "key": project["key"],
        "members": [{"id": f"user-{p['id']}", "fullName": p["name"], "email": p["email"]} for p in people],
        "labels": [{"id": f"label-{x['id']}", "name": x["name"], "color": x["color"]} for x in labels],
        "lists": [
            {"id": f"column-{c['id']}", "name": c["name"], "closed": c["archived"], "pos": i}
            for i, c in enumerate(columns)
        ],
        "cards": [_card(project, t, i, task_labels, assignees) for i, t in enumerate(tasks)],
        "checklists": [
            {
                "id": f"checklist-{t['id']}",
                "idCard": f"card-{t['id']}",
                "name": "Checklist",
                "pos": 0,
                "checkItems": [
                    {
                        "id": f"item-{i['id']}",
                        "name": i["text"],
                        "state": "complete" if i["done"] else "incomplete",
                        "pos": n,
                    }
                    for n, i in enumerate(x for x in items if x["task"] == t["id"])
                ],
            }
            for t in tasks
            if any(i["task"] == t["id"] for i in items)
        ],
        "actions": [
            {
                "id": f"comment-{c['id']}",
                "type": "commentCard",
                "date": _at(c["created_at"]),
                "idMemberCreator": f"user-{c['author']}" if c["author"] else "",
                "memberCreator": {"id": f"user-{c['author']}", "fullName": c["author_name"]} if c["author"] else {},
                "data": {"text": c["body"], "card": {"id": f"card-{c['task']}"}, "visibility": c["visibility"]},
            }
            for c in comments
        ],
    }


def _card(
    project: dict[str, Any], task: dict[str, Any], pos: int, labels: list[dict[str, Any]], people: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "id": f"card-{task['id']}",
        "idShort": task["number"],
        "shortLink": f"{project['key']}-{task['number']}",
        "name": task["title"],
        "desc": task["description"],
        "idList": f"column-{task['column']}",
        "closed": task["archived"],
        "pos": pos,
        "due": f"{task['due_on'].isoformat()}T12:00:00.000Z" if task["due_on"] else None,
        "idLabels": [f"label-{x['label']}" for x in labels if x["task"] == task["id"]],
        "idMembers": [f"user-{p['person']}" for p in people if p["task"] == task["id"]],
        "estimateMinutes": task["estimate_minutes"],
        "billable": task["billable"],
        "internal": task["internal"],
    }


def _safe(value: Any) -> Any:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


async def cards_csv(project: dict[str, Any]) -> str:
    board = await board_json(project)
    columns = {c["id"]: c["name"] for c in board["lists"]}
    labels = {x["id"]: x["name"] for x in board["labels"]}
    people = {m["id"]: m["fullName"] for m in board["members"]}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CARD_HEADER)
    for card in board["cards"]:
        writer.writerow(
            [
                _safe(x)
                for x in (
                    card["shortLink"],
                    card["name"],
                    columns.get(card["idList"], ""),
                    ", ".join(labels[i] for i in card["idLabels"]),
                    ", ".join(people[i] for i in card["idMembers"]),
                    (card["due"] or "")[:10],
                    card["estimateMinutes"] or "",
                    "yes" if card["billable"] else "no",
                    "yes" if card["internal"] else "no",
                    "yes" if card["closed"] else "no",
                    card["desc"],
                )
            ]
        )
    return out.getvalue()


def report_csv(report: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["kind", "source", "name", "outcome", "reason"])
    writer.writerows([[_safe(cell) for cell in line] for line in report.get("lines", [])])
    return out.getvalue()
