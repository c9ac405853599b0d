"""Demo news, so a newcomer sees the bell: max (the demo member) was assigned a card, mentioned by
mia, told of the client's comment and of a card due tomorrow; ada's summary is ready. Emails for
what max gets by email wait in the outbox (the embedded start has no SMTP server)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from server.kernel.config import _secret_key, base_url
from server.notifications.writes import Delivery, News, notify
from server.rules.notifications import Kind
from server.tables import Notification, Project, Task, User


async def _person(email: str) -> dict[str, Any]:
    row = await User.select(User.id, User.name).where(User.email == email).first()
    assert row is not None, f"the demo has no {email}"
    return row


def _news(key: str, project: dict[str, Any], task: dict[str, Any], actor: dict[str, Any] | None, **more: Any) -> News:
    data = {"card": f"{project['key']}-{task['number']}", "title": task["title"], **more}
    if actor is not None:
        data["actor"] = actor["name"]
    return News(
        key=f"demo:{key}",
        link=f"/tasks/{task['id']}",
        data=data,
        actor_id=actor["id"] if actor else None,
        project_id=project["id"],
        task_id=task["id"],
    )


async def seed_notifications() -> None:
    project = await Project.select().where(Project.key == "ACME").first()
    if project is None:
        return
    tasks = await Task.select().where(Task.project == project["id"]).order_by(Task.number).limit(4)
    if len(tasks) < 4:
        return
    ada, max_, mia = [await _person(f"{n}@agency.example") for n in ("ada", "max", "mia")]
    cleo = await _person("cleo@acme.example")
    delivery = Delivery(bells=None, secret=_secret_key(), base_url=base_url())
    events = [
        ({max_["id"]: Kind.DUE_TOMORROW}, _news("due", project, tasks[3], None)),
        (
            {max_["id"]: Kind.COMMENTED},
            _news("comment", project, tasks[2], cleo, excerpt="Love the direction. Could the headline be shorter?"),
        ),
        (
            {max_["id"]: Kind.MENTIONED},
            _news("mention", project, tasks[1], mia, excerpt="@Max Mustermann can you check the copy before Friday?"),
        ),
        ({max_["id"]: Kind.ASSIGNED}, _news("assigned", project, tasks[0], ada)),
    ]
    for told, news in events:
        await notify(told, news, delivery)
    # The oldest was read already: the list shows both states.
    oldest = await Notification.select(Notification.id).where(Notification.recipient == max_["id"]).first()
    if oldest is not None:
        now = datetime.now(UTC)
        earlier: dict[Any, Any] = {Notification.read_at: now, Notification.created_at: now - timedelta(hours=20)}
        await Notification.update(earlier).where(Notification.id == oldest["id"])
