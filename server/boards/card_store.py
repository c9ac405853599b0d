"""What the card dialog shows: the card's fields, people, labels, checklist, comments, time and
history, read for one viewer (clients see only what is shared with them)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from piccolo.query.functions.aggregate import Sum

from server.boards import store as cards
from server.kernel.access import not_found
from server.kernel.i18n import _, ago
from server.rules import markdown
from server.rules.policy import Actor, Role, can_see_internal
from server.rules.priority import LEVELS, priority_of
from server.rules.visibility import EVERYTHING, Seen, seen_by
from server.tables import Activity, BoardColumn, ChecklistItem, Comment, Membership, Task, TimeEntry, User

FIELD_NAMES = {
    "title": "the title",
    "description": "the description",
    "due_on": "the due date",
    "estimate_minutes": "the estimate",
    "billable": "the billable flag",
}
# Named with their new value instead (edited_line).
VALUED_FIELDS = {"priority", "important"}


@dataclass
class Outcome:
    """How an edit went, for the dialog drawn in answer: errors beside fields, or a message on top."""

    status: int = 200
    errors: dict[str, str] | None = None
    form: dict[str, Any] | None = None
    alert: str | None = None


# ---- reading ---------------------------------------------------------------------------------


async def people_for(project_id: int) -> list[cards.Person]:
    """Who may be assigned: the project's members and the agency's admins."""
    members = await Membership.select(Membership.member).where(Membership.project == project_id)
    ids = [m["member"] for m in members]
    rows = (
        await User.select(User.id, User.name)
        .where(User.active.eq(True) & ((User.role == Role.ADMIN) | User.id.is_in(ids or [0])))
        .order_by(User.name)
    )
    return [cards.Person(r["id"], r["name"]) for r in rows]


def history_line(entry: dict[str, Any], columns: dict[int, str]) -> str:
    """What an Activity row says happened, in words: "moved this from To do to In progress"."""
    data = entry["data"]
    verb = entry["verb"]
    if verb == "moved":
        return _(
            "moved this from %(a)s to %(b)s",
            a=columns.get(data.get("from_column") or 0, "?"),
            b=columns.get(entry["column"] or 0, "?"),
        )
    if verb == "edited":
        return edited_line(data)
    simple = {
        "created": _("created this card"),
        "archived": _("archived this card"),
        "restored": _("restored this card"),
        "commented": _("commented"),
    }
    if verb in simple:
        return simple[verb]
    detailed = {
        "assigned": _("assigned %(x)s", x=data.get("person", "")),
        "unassigned": _("unassigned %(x)s", x=data.get("person", "")),
        "labelled": _("added the label %(x)s", x=data.get("label", "")),
        "unlabelled": _("removed the label %(x)s", x=data.get("label", "")),
        "checklist_added": _("added “%(x)s” to the checklist", x=data.get("item", "")),
        "checklist_ticked": _("ticked “%(x)s”", x=data.get("item", "")),
        "checklist_unticked": _("unticked “%(x)s”", x=data.get("item", "")),
        "checklist_moved": _("reordered the checklist"),
        "checklist_removed": _("removed “%(x)s” from the checklist", x=data.get("item", "")),
        "timer_started": _("started a timer"),
        "timer_stopped": _("stopped a timer"),
        "time_logged": _("logged time"),
        "time_edited": _("changed a time entry"),
        "time_deleted": _("deleted a time entry"),
        "attached": _("added %(x)s", x=", ".join(data.get("names", []))),
        "detached": _("deleted the file %(x)s", x=", ".join(data.get("names", []))),
        "attachment_shared": _("shared the file %(x)s with the client", x=", ".join(data.get("names", []))),
        "attachment_hidden": _("made the file %(x)s internal", x=", ".join(data.get("names", []))),
        "cover_set": _("made %(x)s the cover", x=", ".join(data.get("names", []))),
        "cover_removed": _("removed the cover"),
        "visibility": _("made this card internal") if data.get("internal") else _("shared this card with the client"),
        "imported": _("imported this card from Trello (%(x)s)", x=data.get("short_link") or "?"),
        "reimported": _("updated this card from a newer Trello export (%(x)s)", x=data.get("short_link") or "?"),
    }
    return detailed.get(verb, verb.replace("_", " "))


def edited_line(data: dict[str, Any]) -> str:
    """An edit in words: "changed the due date; set the priority to High"."""
    fields = data.get("fields", [])
    parts = []
    names = [_(FIELD_NAMES[f]) for f in fields if f in FIELD_NAMES]
    if names or not VALUED_FIELDS & set(fields):
        parts.append(_("changed %(what)s", what=", ".join(names) or _("the card")))
    if "priority" in fields:
        level = priority_of(data.get("priority"))
        parts.append(_("set the priority to %(x)s", x=level.label) if level.shown else _("removed the priority"))
    if "important" in fields:
        parts.append(
            _("marked this important for the client")
            if data.get("important")
            else _("removed the “important for the client” mark")
        )
    return "; ".join(parts)


# What a history line says of hours, and of who works on the card: left out for a client whose
# project keeps them hidden.
# Files (server/attachments): named to the client only when the file is shared with them.
FILE_VERBS = {"attached", "detached", "attachment_shared", "attachment_hidden", "cover_set", "cover_removed"}
HOURS_VERBS = {"timer_started", "timer_stopped", "time_logged", "time_edited", "time_deleted"}
PEOPLE_VERBS = {"assigned", "unassigned"}


async def history_of(
    task_id: int, project_id: int, client_view: bool, now: datetime, seen: Seen = EVERYTHING
) -> list[dict[str, Any]]:
    """The card's history for one viewer: the client's people without internal comments, and
    without the hours or the agency's names their project keeps from them."""
    rows = (
        await Activity.select(
            Activity.verb,
            Activity.column,
            Activity.data,
            Activity.at,
            Activity.actor.name.as_alias("actor_name"),
            Activity.actor.role.as_alias("actor_role"),
        )
        .where(Activity.task == task_id)
        .order_by(Activity.seq, ascending=False)
        .limit(100)
    )
    columns = {r["id"]: r["name"] for r in await BoardColumn.select().where(BoardColumn.project == project_id)}
    entries = []
    for row in rows:
        # JSON comes back as text on some engines and queries: decode it here, once.
        row["data"] = data = json.loads(row["data"]) if isinstance(row["data"], str) else row["data"] or {}
        if client_view and row["verb"] == "commented" and data.get("visibility") != "client":
            continue
        if client_view and row["verb"] in FILE_VERBS and data.get("visibility") != "client":
            continue  # a file kept internal (or hidden since) is not named to the client
        if client_view and not _shown(row["verb"], seen):
            continue
        actor = row["actor_name"] or _("Someone")
        if client_view and not seen.people and row["actor_role"] != Role.CLIENT:
            actor = _("The team")
        entries.append(
            {
                "actor": actor,
                "text": history_line(row, columns),
                "at": row["at"],
                "ago": ago(row["at"], now),
            }
        )
    return entries


def _shown(verb: str, seen: Seen) -> bool:
    return (seen.hours or verb not in HOURS_VERBS) and (seen.people or verb not in PEOPLE_VERBS)


async def comment_rows(where: Any, *, client_view: bool) -> list[dict[str, Any]]:
    """Comments (on a card or a plan) in order, rendered; a client sees only those meant for them."""
    query = Comment.select(
        Comment.id,
        Comment.body,
        Comment.visibility,
        Comment.created_at,
        Comment.author.name.as_alias("author_name"),
        Comment.author.role.as_alias("author_role"),
    ).where(where)
    if client_view:
        query = query.where(Comment.visibility == "client")
    rows = await query.order_by(Comment.created_at).order_by(Comment.id)
    for row in rows:
        row["html"] = markdown.render(row["body"])
    return rows


async def comments_of(task_id: int, client_view: bool, now: datetime) -> list[dict[str, Any]]:
    return [
        {**row, "author": cards.Person(0, row["author_name"] or _("Someone")), "ago": ago(row["created_at"], now)}
        for row in await comment_rows(Comment.task == task_id, client_view=client_view)
    ]


async def dialog_context(me: Actor, task_id: int, project: dict[str, Any], outcome: Outcome) -> dict[str, Any]:
    client_view = not can_see_internal(me)
    seen = seen_by(me, project)
    task = await Task.select().where(Task.id == task_id).first()
    card = await cards.card(project, task_id, client_view=client_view)
    if task is None or card is None:
        raise not_found()
    column = await BoardColumn.select(BoardColumn.name).where(BoardColumn.id == task["column"]).first()
    now = datetime.now(UTC)
    can_work = not client_view and not project["archived"]
    return {
        "me": me,
        "project": project,
        "task": task,
        "card": card,
        "column_name": column["name"] if column else "",
        "description_html": markdown.render(task["description"]),
        "client_view": client_view,
        "can_edit": can_work and not task["archived"],
        # Everyone who sees the card may comment on it (the client's people too), until it is archived.
        "can_comment": not project["archived"] and not task["archived"],
        "can_restore": can_work and task["archived"],
        "people": await people_for(project["id"]) if can_work else [],
        "assigned": {p.id for p in card.assignees},
        "labels": await cards.labels_of(project["id"]) if can_work else [],
        "labelled": {label["id"] for label in card.labels},
        "label_colors": cards.LABEL_COLORS,
        "priorities": LEVELS,
        "checklist": await ChecklistItem.select()
        .where(ChecklistItem.task == task_id)
        .order_by(ChecklistItem.rank)
        .order_by(ChecklistItem.id),
        "comments": await comments_of(task_id, client_view, now),
        "history": await history_of(task_id, project["id"], client_view, now, seen),
        "seen": seen,
        "today": now.date(),
        "time": await time_on_card(task_id, me.id) if not client_view else None,
        "errors": outcome.errors or {},
        "form": outcome.form or {},
        "alert": outcome.alert,
    }


RECENT = 8


async def time_on_card(task_id: int, viewer_id: int) -> dict[str, Any]:
    """Total logged (stopped entries), who is running a timer, the latest entries, and the viewer's
    own running timer (on this card or another: the dialog carries the header's control)."""
    total = (
        await TimeEntry.select(Sum(TimeEntry.minutes, alias="minutes"))
        .where((TimeEntry.task == task_id) & TimeEntry.ended_at.is_not_null())
        .first()
    )
    recent = (
        await TimeEntry.select(
            TimeEntry.id,
            TimeEntry.started_at,
            TimeEntry.ended_at,
            TimeEntry.minutes,
            TimeEntry.note,
            TimeEntry.billable,
            TimeEntry.person.name.as_alias("person_name"),
        )
        .where(TimeEntry.task == task_id)
        .order_by(TimeEntry.started_at, ascending=False)
        .limit(RECENT)
    )
    running = (
        await TimeEntry.select(
            TimeEntry.task,
            TimeEntry.started_at,
            TimeEntry.task.title.as_alias("title"),
            TimeEntry.task.number.as_alias("number"),
            TimeEntry.project.key.as_alias("key"),
        )
        .where((TimeEntry.person == viewer_id) & TimeEntry.ended_at.is_null())
        .first()
    )
    return {"logged": int((total or {}).get("minutes") or 0), "recent": recent, "running": running}


async def description_of(task_id: int) -> str | None:
    """The card's description as written (markdown), None if there is no such card."""
    row = await Task.select(Task.description).where(Task.id == task_id).first()
    return None if row is None else str(row["description"])
