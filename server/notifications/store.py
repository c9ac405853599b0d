"""Reads of notifications: a person's news and unread count, their choices per kind, who is on a card
and who may see it (for telling and for `@` suggestions), the cards due tomorrow, the outbox."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from server.rules.notifications import MailStatus, Person, Thing
from server.rules.policy import Role
from server.tables import (
    Comment,
    Membership,
    Notification,
    NotificationPreference,
    OutboxMail,
    Task,
    TaskAssignee,
    User,
)

PAGE_SIZE = 50
BELL_CAP = 99  # the bell shows "99+" beyond


async def unread_count(user_id: int) -> int:
    return int(await Notification.count().where((Notification.recipient == user_id) & Notification.read_at.is_null()))


async def recent(user_id: int, limit: int = PAGE_SIZE, *, unread_only: bool = False) -> list[dict[str, Any]]:
    query = Notification.select(
        Notification.id,
        Notification.kind,
        Notification.link,
        Notification.data,
        Notification.created_at,
        Notification.read_at,
        Notification.actor.name.as_alias("actor_name"),
    ).where(Notification.recipient == user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_null())
    rows: list[dict[str, Any]] = (
        await query.order_by(Notification.id, ascending=False).limit(limit).output(load_json=True)
    )
    return rows


async def notification_of(user_id: int, notification_id: int) -> dict[str, Any] | None:
    """The person's own notification; someone else's does not exist for them."""
    row: dict[str, Any] | None = (
        await Notification.select()
        .where((Notification.id == notification_id) & (Notification.recipient == user_id))
        .first()
    )
    return row


async def preferences_of(user_ids: list[int]) -> dict[int, dict[str, str]]:
    """Each person's saved choices: {person: {kind: channel}}."""
    rows = await NotificationPreference.select().where(NotificationPreference.person.is_in(user_ids or [0]))
    chosen: dict[int, dict[str, str]] = {}
    for row in rows:
        chosen.setdefault(row["person"], {})[row["kind"]] = row["channel"]
    return chosen


async def people(user_ids: list[int]) -> dict[int, dict[str, Any]]:
    rows = await User.select(User.id, User.email, User.name, User.locale, User.role, User.client, User.active).where(
        User.id.is_in(user_ids or [0])
    )
    return {row["id"]: row for row in rows}


def person_of(row: dict[str, Any]) -> Person:
    return Person(id=row["id"], role=Role(row["role"]), client_id=row["client"], active=bool(row["active"]))


def thing_of(project: dict[str, Any], *, internal: bool = False) -> Thing:
    return Thing(client_id=project["client"], shared_with_client=bool(project["shared_with_client"]), internal=internal)


async def _persons(ids: set[int]) -> list[Person]:
    return [person_of(row) for row in (await people(sorted(ids))).values()]


async def assignees_of(task_id: int) -> list[Person]:
    rows = await TaskAssignee.select(TaskAssignee.person).where(TaskAssignee.task == task_id)
    return await _persons({r["person"] for r in rows})


async def followers_of(task: dict[str, Any]) -> list[Person]:
    """Who is on a card besides its assignees: whoever made it and whoever commented on it."""
    rows = await Comment.select(Comment.author).where((Comment.task == task["id"]) & Comment.author.is_not_null())
    ids = {r["author"] for r in rows}
    if task.get("created_by"):
        ids.add(task["created_by"])
    return await _persons(ids)


async def audience_of(project: dict[str, Any]) -> list[dict[str, Any]]:
    """Everyone who may see the project at all: its members, the admins, and (when shared) its
    client's people; active people only, by name. Each card narrows this (rules.may_hear_of)."""
    members = await Membership.select(Membership.member).where(Membership.project == project["id"])
    ids = [m["member"] for m in members] or [0]
    where = (User.role == Role.ADMIN.value) | User.id.is_in(ids)
    if project["shared_with_client"]:
        where = where | ((User.role == Role.CLIENT.value) & (User.client == project["client"]))
    rows: list[dict[str, Any]] = (
        await User.select(User.id, User.name, User.role, User.client, User.active)
        .where(User.active.eq(True) & where)
        .order_by(User.name)
    )
    return rows


async def due_on(day: date) -> list[dict[str, Any]]:
    """Live cards due on `day` with their assignees, on open projects: (task, project, person) rows."""
    task, project = TaskAssignee.task, TaskAssignee.task._.project
    rows: list[dict[str, Any]] = await TaskAssignee.select(
        TaskAssignee.person,
        task.as_alias("task_id"),
        task._.number.as_alias("number"),
        task._.title.as_alias("title"),
        task._.internal.as_alias("internal"),
        project.as_alias("project_id"),
        project._.key.as_alias("project_key"),
        project._.client.as_alias("client"),
        project._.shared_with_client.as_alias("shared_with_client"),
    ).where(
        (task._.due_on == day)
        & task._.archived.eq(False)
        & project._.archived.eq(False)
        & task._.column._.is_done.eq(False)
    )
    return rows


async def task_row(task_id: int) -> dict[str, Any] | None:
    row: dict[str, Any] | None = await Task.select().where(Task.id == task_id).first()
    return row


# ---- the outbox


async def outbox(limit: int = 200) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = (
        await OutboxMail.select(
            OutboxMail.id,
            OutboxMail.to_address,
            OutboxMail.kind,
            OutboxMail.subject,
            OutboxMail.status,
            OutboxMail.attempts,
            OutboxMail.last_error,
            OutboxMail.created_at,
            OutboxMail.sent_at,
            OutboxMail.next_attempt_at,
        )
        .order_by(OutboxMail.id, ascending=False)
        .limit(limit)
    )
    return rows


async def mail_row(mail_id: int) -> dict[str, Any] | None:
    row: dict[str, Any] | None = await OutboxMail.select().where(OutboxMail.id == mail_id).first()
    return row


async def mails_due(now: datetime | None = None) -> list[dict[str, Any]]:
    """Mails the worker should try now: queued, or failed earlier and due for their next try."""
    now = now or datetime.now(UTC)
    rows: list[dict[str, Any]] = await OutboxMail.select(OutboxMail.id, OutboxMail.attempts).where(
        OutboxMail.status.is_in([MailStatus.QUEUED.value, MailStatus.RETRYING.value])
        & (OutboxMail.next_attempt_at <= now)
    )
    return rows
