"""Telling people: `notify` writes each person's notification (once: a key per event and person) and,
where they chose email, the email in their language, in one transaction; after commit it rings their
bell. The events below (a card assigned, a comment, a mention, a plan to review or decided, a summary
ready, a card due tomorrow, a budget's alert threshold reached) decide who hears of them through
rules.notifications. Also: reading, choosing per kind, unsubscribing, and the outbox's bookkeeping."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar.connection import ASGIConnection

from server.kernel.db import write_transaction
from server.notifications import store
from server.notifications.fragments import Bells, hub_bells, ring
from server.notifications.mails import compose
from server.realtime.hub import hub_of
from server.rules.notifications import (
    MAX_SEND_ATTEMPTS,
    Channel,
    Kind,
    MailStatus,
    by_email,
    channel_of,
    in_app,
    mentioned,
    newly_mentioned,
    recipients,
    retry_delay_seconds,
)
from server.rules.policy import Actor
from server.tables import Notification, NotificationPreference, OutboxMail

EXCERPT = 300


@dataclass(frozen=True)
class Delivery:
    """How news leaves: the bells of open pages, and what an email's links need (the address people
    open Boardroom at, the key that signs unsubscribe links)."""

    bells: Bells | None
    secret: str
    base_url: str


@dataclass
class News:
    """One event, as its notifications keep it."""

    key: str  # unique per event: one event tells a person once
    link: str
    data: dict[str, Any] = field(default_factory=dict)
    actor_id: int | None = None
    project_id: int | None = None
    task_id: int | None = None


async def notify(told: Mapping[int, Kind], news: News, delivery: Delivery) -> list[int]:
    """Tell each person (id → kind) this news as they chose: the bell, the bell and an email, or
    nothing. Returns who got a new notification (an event told again adds nothing)."""
    if not told:
        return []
    ids = sorted(told)
    people = await store.people(ids)
    chosen = await store.preferences_of(ids)
    notified: list[int] = []
    async with write_transaction(Notification._meta.db):
        for person_id in ids:
            person = people.get(person_id)
            kind = told[person_id]
            channel = channel_of(chosen.get(person_id, {}), kind)
            if person is None or not person["active"] or not in_app(channel):
                continue
            inserted = (
                await Notification.insert(
                    Notification(
                        recipient=person_id,
                        kind=kind.value,
                        actor=news.actor_id,
                        project=news.project_id,
                        task=news.task_id,
                        link=news.link,
                        data=news.data,
                        key=news.key[:120],
                    )
                )
                .on_conflict(action="DO NOTHING")
                .returning(Notification.id)
            )
            if not inserted:
                continue
            notified.append(person_id)
            if by_email(channel):
                await _queue_mail(person, kind, news, delivery)
    await ring(delivery.bells, notified, {i: people[i]["locale"] for i in notified})
    return notified


async def _queue_mail(person: dict[str, Any], kind: Kind, news: News, delivery: Delivery) -> None:
    mail = compose(person, kind, news.data, news.link, base_url=delivery.base_url, secret=delivery.secret)
    await OutboxMail.insert(
        OutboxMail(
            recipient=person["id"],
            to_address=person["email"],
            kind=kind.value,
            subject=mail.subject[:300],
            text=mail.text,
            html=mail.html,
            unsubscribe_url=mail.unsubscribe_url[:500],
        )
    )


# ---- events on cards


def _card_data(task: dict[str, Any], project: dict[str, Any], actor: Actor | None, **more: Any) -> dict[str, Any]:
    data = {"card": f"{project['key']}-{task['number']}", "title": task["title"], "project": project["name"], **more}
    if actor is not None:
        data["actor"] = actor.name
    return data


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


async def card_assigned(
    task: dict[str, Any], project: dict[str, Any], actor: Actor, person_id: int, delivery: Delivery, *, seq: str = ""
) -> list[int]:
    """`person_id` was just assigned to the card by `actor` (`seq` tells assignments apart)."""
    person = [p for p in await store.assignees_of(task["id"]) if p.id == person_id]
    told = recipients(actor.id, store.thing_of(project, internal=task["internal"]), {Kind.ASSIGNED: person})
    stamp = seq or datetime.now(UTC).isoformat()
    news = News(
        key=f"assigned:{task['id']}:{stamp}",
        link=f"/tasks/{task['id']}",
        data=_card_data(task, project, actor),
        actor_id=actor.id,
        project_id=project["id"],
        task_id=task["id"],
    )
    return await notify(told, news, delivery)


async def _mentionable(project: dict[str, Any]) -> list[tuple[int, str]]:
    return [(row["id"], row["name"]) for row in await store.audience_of(project)]


async def card_commented(
    task: dict[str, Any],
    project: dict[str, Any],
    actor: Actor,
    comment_id: int,
    body: str,
    visibility: str,
    delivery: Delivery,
) -> list[int]:
    """A comment on a card: its people hear of it (those @mentioned, as a mention); an internal
    comment (or any comment on an internal card) reaches nobody of the client's."""
    audience = await store.audience_of(project)
    names = [(row["id"], row["name"]) for row in audience]
    mentioned_people = [store.person_of(r) for r in audience if r["id"] in mentioned(body, names)]
    on_card = await store.assignees_of(task["id"]) + await store.followers_of(task)
    internal = bool(task["internal"]) or visibility == "internal"
    told = recipients(
        actor.id,
        store.thing_of(project, internal=internal),
        {Kind.MENTIONED: mentioned_people, Kind.COMMENTED: on_card},
    )
    news = News(
        key=f"comment:{comment_id}",
        link=f"/tasks/{task['id']}",
        data=_card_data(task, project, actor, excerpt=_excerpt(body)),
        actor_id=actor.id,
        project_id=project["id"],
        task_id=task["id"],
    )
    return await notify(told, news, delivery)


async def description_edited(
    task: dict[str, Any], project: dict[str, Any], actor: Actor, before: str, after: str, delivery: Delivery
) -> list[int]:
    """People newly @mentioned in a card's description hear of it; those already there do not."""
    audience = await store.audience_of(project)
    names = [(row["id"], row["name"]) for row in audience]
    new = newly_mentioned(before, after, names)
    if not new:
        return []
    people = [store.person_of(r) for r in audience if r["id"] in new]
    told = recipients(actor.id, store.thing_of(project, internal=task["internal"]), {Kind.MENTIONED: people})
    news = News(
        key=f"description:{task['id']}:{datetime.now(UTC).isoformat()}",
        link=f"/tasks/{task['id']}",
        data=_card_data(task, project, actor, excerpt=_excerpt(after)),
        actor_id=actor.id,
        project_id=project["id"],
        task_id=task["id"],
    )
    return await notify(told, news, delivery)


async def due_tomorrow(day_after: str, rows: list[dict[str, Any]], delivery: Delivery) -> list[int]:
    """Each assignee of a card due tomorrow (`store.due_on` rows), once per card and due date."""
    notified: list[int] = []
    for row in rows:
        person = (await store.people([row["person"]])).get(row["person"])
        if person is None:
            continue
        thing = store.thing_of(
            {"client": row["client"], "shared_with_client": row["shared_with_client"]}, internal=row["internal"]
        )
        told = recipients(None, thing, {Kind.DUE_TOMORROW: [store.person_of(person)]})
        news = News(
            key=f"due:{row['task_id']}:{day_after}",
            link=f"/tasks/{row['task_id']}",
            data={"card": f"{row['project_key']}-{row['number']}", "title": row["title"]},
            project_id=row["project_id"],
            task_id=row["task_id"],
        )
        notified += await notify(told, news, delivery)
    return notified


# ---- events of the client's review and of billing


async def review_submitted(
    project: dict[str, Any], sprint: dict[str, Any], actor: Actor, delivery: Delivery
) -> list[int]:
    """A plan went to the client: their people who may see the project are told."""
    audience = [store.person_of(r) for r in await store.audience_of(project)]
    clients = [p for p in audience if p.client_id == project["client"]]
    told = recipients(actor.id, store.thing_of(project), {Kind.REVIEW_WAITING: clients})
    submitted = sprint.get("submitted_at") or datetime.now(UTC)
    news = News(
        key=f"review-waiting:{sprint['id']}:{submitted.isoformat() if hasattr(submitted, 'isoformat') else submitted}",
        link=f"/sprints/{sprint['id']}/review",
        data={"sprint": sprint["name"], "project": project["name"], "actor": actor.name},
        actor_id=actor.id,
        project_id=project["id"],
    )
    return await notify(told, news, delivery)


async def review_decided(
    project: dict[str, Any], sprint: dict[str, Any], actor: Actor, approved: bool, note: str, delivery: Delivery
) -> list[int]:
    """The client approved the plan or sent it back: who submitted it and the project's people hear."""
    agency = [store.person_of(r) for r in await store.audience_of(project) if r["role"] != "client"]
    members = [p for p in agency if p.role.value == "member"]
    submitter = [p for p in agency if p.id == sprint.get("submitted_by")]
    told = recipients(actor.id, store.thing_of(project), {Kind.REVIEW_DECIDED: submitter + members})
    news = News(
        key=f"review-decided:{sprint['id']}:{datetime.now(UTC).isoformat()}",
        link=f"/sprints/{sprint['id']}/review",
        data={
            "sprint": sprint["name"],
            "project": project["name"],
            "actor": actor.name,
            "approved": approved,
            "excerpt": _excerpt(note),
        },
        actor_id=actor.id,
        project_id=project["id"],
    )
    return await notify(told, news, delivery)


async def summary_ready(summary: dict[str, Any], what: str, delivery: Delivery) -> list[int]:
    """The billing summary someone asked for is computed: they hear of it (a retried job: once)."""
    requester = summary.get("requested_by")
    if requester is None:
        return []
    person = (await store.people([requester])).get(requester)
    if person is None:
        return []
    told = {requester: Kind.SUMMARY_READY} if person["role"] == "admin" else {}
    news = News(key=f"summary:{summary['id']}", link=f"/billing/summaries/{summary['id']}", data={"what": what})
    return await notify(told, news, delivery)


async def budget_alert(project: dict[str, Any], key: str, data: dict[str, Any], delivery: Delivery) -> list[int]:
    """A project reached one of its budget's alert thresholds: the agency's admins hear of it (`key`
    names the alert: one per threshold, budget kind and period)."""
    admins = [store.person_of(r) for r in await store.audience_of(project) if r["role"] == "admin"]
    told = recipients(None, store.thing_of(project), {Kind.BUDGET_ALERT: admins})
    news = News(key=key, link=f"/projects/{project['id']}", data=data, project_id=project["id"])
    return await notify(told, news, delivery)


# ---- reading and choosing


async def mark_read(user_id: int, notification_id: int) -> None:
    await Notification.update({Notification.read_at: datetime.now(UTC)}).where(
        (Notification.id == notification_id) & (Notification.recipient == user_id) & Notification.read_at.is_null()
    )


async def mark_all_read(user_id: int) -> None:
    await Notification.update({Notification.read_at: datetime.now(UTC)}).where(
        (Notification.recipient == user_id) & Notification.read_at.is_null()
    )


async def choose(user_id: int, choices: Mapping[Kind, Channel]) -> None:
    """Save a person's channel for each of these kinds."""
    async with write_transaction(NotificationPreference._meta.db):
        for kind, channel in choices.items():
            where = (NotificationPreference.person == user_id) & (NotificationPreference.kind == kind.value)
            if await NotificationPreference.exists().where(where):
                await NotificationPreference.update({NotificationPreference.channel: channel.value}).where(where)
            else:
                await NotificationPreference.insert(
                    NotificationPreference(person=user_id, kind=kind.value, channel=channel.value)
                )


async def unsubscribe(user_id: int, kind: Kind) -> None:
    """No more emails of this kind (the bell still rings): what the link in each email does."""
    chosen = await store.preferences_of([user_id])
    if by_email(channel_of(chosen.get(user_id, {}), kind)):
        await choose(user_id, {kind: Channel.APP})


# ---- the outbox


async def mail_sent(mail_id: int) -> None:
    await OutboxMail.update(
        {OutboxMail.status: MailStatus.SENT.value, OutboxMail.sent_at: datetime.now(UTC), OutboxMail.last_error: ""}
    ).where(OutboxMail.id == mail_id)


async def mail_held(mail_id: int) -> None:
    await OutboxMail.update({OutboxMail.status: MailStatus.HELD.value}).where(OutboxMail.id == mail_id)


async def mail_failed(mail: dict[str, Any], error: str) -> MailStatus:
    """A failed try: tried again later (with a longer wait each time) until MAX_SEND_ATTEMPTS."""
    attempts = int(mail["attempts"]) + 1
    status = MailStatus.RETRYING if attempts < MAX_SEND_ATTEMPTS else MailStatus.FAILED
    await OutboxMail.update(
        {
            OutboxMail.status: status.value,
            OutboxMail.attempts: attempts,
            OutboxMail.last_error: error[:1000],
            OutboxMail.next_attempt_at: datetime.now(UTC) + timedelta(seconds=retry_delay_seconds(attempts)),
        }
    ).where(OutboxMail.id == mail["id"])
    return status


async def send_again(mail_id: int) -> None:
    """The admin asks for a held or failed mail to be sent (SMTP configured since, or fixed)."""
    await OutboxMail.update(
        {OutboxMail.status: MailStatus.QUEUED.value, OutboxMail.next_attempt_at: datetime.now(UTC)}
    ).where((OutboxMail.id == mail_id) & (OutboxMail.status != MailStatus.SENT.value))


def delivery_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Delivery:
    """How news leaves this web process: its hub rings bells; links use the configured address."""
    settings = connection.app.state.settings
    return Delivery(bells=hub_bells(hub_of(connection)), secret=settings.secret_key, base_url=settings.base_url)
