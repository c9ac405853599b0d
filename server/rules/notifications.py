"""Who is told what: the kinds of notification, how each person wants each kind (in the app, by
email, or not at all), who hears of a card's news (never its author, never a client of an internal
thing, never twice), who is mentioned in a text, whom `@` may suggest, and the signed token of a
one-click unsubscribe. Pure functions; the notifications feature asks here."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from babel.dates import format_skeleton
from babel.numbers import format_percent

from server.kernel.i18n import _, current_locale, money, number
from server.rules.money import digits, from_minor
from server.rules.policy import Role


class Kind(StrEnum):
    ASSIGNED = "assigned"  # a card was assigned to me
    COMMENTED = "commented"  # a comment on a card I am on
    MENTIONED = "mentioned"  # someone wrote @me
    DUE_TOMORROW = "due_tomorrow"  # a card of mine is due tomorrow
    REVIEW_WAITING = "review_waiting"  # a plan waits for my review (the client's people)
    REVIEW_DECIDED = "review_decided"  # the client approved a plan or sent it back
    SUMMARY_READY = "summary_ready"  # a billing summary I asked for is ready
    BUDGET_ALERT = "budget_alert"  # a project reached one of its budget's alert thresholds (admins)


class Channel(StrEnum):
    APP = "app"  # the bell only
    EMAIL = "email"  # the bell and an email
    OFF = "off"


# What a person gets until they choose: email for what needs an answer, the bell for the rest.
DEFAULT_CHANNEL: Mapping[Kind, Channel] = {
    Kind.ASSIGNED: Channel.EMAIL,
    Kind.COMMENTED: Channel.APP,
    Kind.MENTIONED: Channel.EMAIL,
    Kind.DUE_TOMORROW: Channel.APP,
    Kind.REVIEW_WAITING: Channel.EMAIL,
    Kind.REVIEW_DECIDED: Channel.EMAIL,
    Kind.SUMMARY_READY: Channel.APP,
    Kind.BUDGET_ALERT: Channel.EMAIL,
}
# The kinds each role can receive (their settings list these only).
KINDS_FOR: Mapping[Role, tuple[Kind, ...]] = {
    Role.ADMIN: tuple(k for k in Kind if k is not Kind.REVIEW_WAITING),
    Role.MEMBER: tuple(k for k in Kind if k not in (Kind.REVIEW_WAITING, Kind.SUMMARY_READY, Kind.BUDGET_ALERT)),
    Role.CLIENT: (Kind.COMMENTED, Kind.MENTIONED, Kind.REVIEW_WAITING),
}
# When a person would hear of one thing for several reasons, the strongest reason wins.
STRENGTH = (Kind.MENTIONED, Kind.ASSIGNED, Kind.COMMENTED)


def channel_of(preferences: Mapping[str, str], kind: Kind) -> Channel:
    """A person's choice for this kind (`preferences`: kind → channel as saved), else the default."""
    saved = preferences.get(kind.value)
    try:
        return Channel(saved) if saved else DEFAULT_CHANNEL[kind]
    except ValueError:
        return DEFAULT_CHANNEL[kind]


def in_app(channel: Channel) -> bool:
    return channel is not Channel.OFF


def by_email(channel: Channel) -> bool:
    return channel is Channel.EMAIL


@dataclass(frozen=True)
class Person:
    """Someone who might be told: what deciding it needs to know of them."""

    id: int
    role: Role
    client_id: int | None = None
    active: bool = True


@dataclass(frozen=True)
class Thing:
    """What the news is about, as far as who may hear of it: the project's client, whether the
    project is shared with it, whether the card (or comment) is the agency's alone."""

    client_id: int
    shared_with_client: bool = True
    internal: bool = False


def may_hear_of(person: Person, thing: Thing) -> bool:
    """The agency hears of everything on its projects; a client's person only of their own company's
    shared projects, and never of an internal card or an internal comment."""
    if not person.active:
        return False
    if person.role is not Role.CLIENT:
        return True
    return person.client_id == thing.client_id and thing.shared_with_client and not thing.internal


def recipients(
    actor_id: int | None,
    thing: Thing,
    reasons: Mapping[Kind, Iterable[Person]],
) -> dict[int, Kind]:
    """Each person to tell, once, with the strongest of their reasons (`reasons`: kind → the people
    it applies to); never the actor, never someone who may not hear of the thing."""
    told: dict[int, Kind] = {}
    ordered = sorted(reasons.items(), key=lambda item: STRENGTH.index(item[0]) if item[0] in STRENGTH else 99)
    for kind, people in ordered:
        for person in people:
            if person.id == actor_id or person.id in told or not may_hear_of(person, thing):
                continue
            told[person.id] = kind
    return told


def mentioned(text: str, people: Sequence[tuple[int, str]]) -> set[int]:
    """The ids of the people (id, name) written as `@Name` in `text` (any case; the name ends where a
    word would: `@Max Member,` mentions Max Member, `@Maxine` does not mention Max). Where several
    names fit at one `@`, the longest is meant (`@Max Member` is not also `@Max`)."""
    if "@" not in text:
        return set()
    folded = text.casefold()
    best: dict[int, tuple[int, set[int]]] = {}  # where the @ is: (the longest name's length, its people)
    for person_id, name in people:
        if not name.strip():
            continue
        pattern = r"(?<![\w@])@" + re.escape(name.strip().casefold()) + r"(?!\w)"
        for match in re.finditer(pattern, folded):
            length, ids = best.get(match.start(), (0, set()))
            if len(match.group()) > length:
                best[match.start()] = (len(match.group()), {person_id})
            elif len(match.group()) == length:
                ids.add(person_id)  # two people of the same name: both are meant
    return {person_id for _length, ids in best.values() for person_id in ids}


def newly_mentioned(before: str, after: str, people: Sequence[tuple[int, str]]) -> set[int]:
    """People mentioned in an edited text who were not mentioned before: an edit that keeps a mention
    does not notify again."""
    return mentioned(after, people) - mentioned(before, people)


def suggestible(viewer: Person, thing: Thing, candidates: Iterable[Person], client_sees_people: bool) -> list[int]:
    """Whom typing `@` may suggest to this viewer on this card: the people who may see it. A client's
    person is offered nobody on an internal card (they cannot see it anyway), and only their own
    company's people when the project hides the agency's people from them."""
    if not may_hear_of(viewer, thing):
        return []
    offered = []
    for person in candidates:
        if not may_hear_of(person, thing):
            continue
        if viewer.role is Role.CLIENT and person.role is not Role.CLIENT and not client_sees_people:
            continue
        offered.append(person.id)
    return offered


# ---- one-click unsubscribe: a link in each email that needs no login, signed so it cannot be forged


def _signature(secret: str, message: str) -> str:
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def unsubscribe_token(secret: str, user_id: int, kind: Kind) -> str:
    message = f"{user_id}.{kind.value}"
    return f"{message}.{_signature(secret, 'unsubscribe:' + message)}"


def read_unsubscribe_token(secret: str, token: str) -> tuple[int, Kind] | None:
    """(the person, the kind) a token stands for, or None when it was not signed by us."""
    parts = token.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or len(parts[0]) > 10:
        return None
    user_id, kind_value, signature = parts
    try:
        kind = Kind(kind_value)
    except ValueError:
        return None
    expected = _signature(secret, f"unsubscribe:{user_id}.{kind_value}")
    if not hmac.compare_digest(expected, signature):
        return None
    return int(user_id), kind


# ---- sending: how long a failed email waits before its next try


MAX_SEND_ATTEMPTS = 5


def retry_delay_seconds(attempts: int) -> int:
    """30 s, 1 min, 2 min, 4 min… after the `attempts`-th failure, at most an hour."""
    return int(min(3600, 30 * 2 ** max(0, attempts - 1)))


class MailStatus(StrEnum):
    QUEUED = "queued"  # waiting for the worker
    RETRYING = "retrying"  # a send failed; tried again at next_attempt_at
    SENT = "sent"
    FAILED = "failed"  # gave up after MAX_SEND_ATTEMPTS (the admin may send it again)
    HELD = "held"  # no SMTP server configured: kept in the outbox, nothing lost


# ---- what a notification says, in the reader's language (the current locale)


def describe(kind: Kind | str, data: Mapping[str, object]) -> str:
    """One sentence for the bell's list and an email's subject, from what the notification kept."""
    actor = str(data.get("actor") or _("Someone"))
    card = f"{data.get('card', '')} {data.get('title', '')}".strip()
    sprint, project = str(data.get("sprint", "")), str(data.get("project", ""))
    match Kind(kind):
        case Kind.ASSIGNED:
            return _("%(actor)s assigned you to %(card)s", actor=actor, card=card)
        case Kind.COMMENTED:
            return _("%(actor)s commented on %(card)s", actor=actor, card=card)
        case Kind.MENTIONED:
            return _("%(actor)s mentioned you on %(card)s", actor=actor, card=card)
        case Kind.DUE_TOMORROW:
            return _("%(card)s is due tomorrow", card=card)
        case Kind.REVIEW_WAITING:
            return _("The plan %(sprint)s of %(project)s waits for your review", sprint=sprint, project=project)
        case Kind.REVIEW_DECIDED if data.get("approved"):
            return _(
                "%(actor)s approved the plan %(sprint)s of %(project)s", actor=actor, sprint=sprint, project=project
            )
        case Kind.REVIEW_DECIDED:
            return _(
                "%(actor)s asked for changes to the plan %(sprint)s of %(project)s",
                actor=actor,
                sprint=sprint,
                project=project,
            )
        case Kind.SUMMARY_READY:
            return _("Your billing summary for %(what)s is ready", what=str(data.get("what", "")))
        case Kind.BUDGET_ALERT:
            return _budget_sentence(data)
    return ""


def _budget_sentence(data: Mapping[str, object]) -> str:
    """A budget alert (`data` as budgets' alert writes keep it: figures in minutes or minor units,
    formatted here in the reader's language)."""
    project = str(data.get("project", ""))
    percent = format_percent(int(str(data.get("threshold") or 0)) / 100, locale=current_locale())
    used, budget = int(str(data.get("used") or 0)), int(str(data.get("budget") or 0))
    month = str(data.get("month") or "")
    when = format_skeleton("yMMMM", date.fromisoformat(month), locale=current_locale()) if month else ""
    if data.get("kind") == "money":
        currency = str(data.get("currency") or "")
        places = digits(currency)
        figures = {
            "used": money(from_minor(used, places), currency),
            "budget": money(from_minor(budget, places), currency),
        }
        if when:
            return _(
                "%(project)s has reached %(percent)s of its money budget for %(month)s: %(used)s of %(budget)s",
                project=project,
                percent=percent,
                month=when,
                **figures,
            )
        return _(
            "%(project)s has reached %(percent)s of its money budget: %(used)s of %(budget)s",
            project=project,
            percent=percent,
            **figures,
        )
    hours = {"used": number(round(Decimal(used) / 60, 1)), "budget": number(round(Decimal(budget) / 60, 1))}
    if when:
        return _(
            "%(project)s has reached %(percent)s of its hours budget for %(month)s: %(used)s of %(budget)s h",
            project=project,
            percent=percent,
            month=when,
            **hours,
        )
    return _(
        "%(project)s has reached %(percent)s of its hours budget: %(used)s of %(budget)s h",
        project=project,
        percent=percent,
        **hours,
    )


def kind_label(kind: Kind) -> str:
    """A kind as the settings page names it."""
    return {
        Kind.ASSIGNED: _("A card is assigned to me"),
        Kind.COMMENTED: _("A comment on a card I am on"),
        Kind.MENTIONED: _("Someone mentions me"),
        Kind.DUE_TOMORROW: _("A card of mine is due tomorrow"),
        Kind.REVIEW_WAITING: _("A plan waits for my review"),
        Kind.REVIEW_DECIDED: _("A plan is approved or sent back"),
        Kind.SUMMARY_READY: _("A billing summary I asked for is ready"),
        Kind.BUDGET_ALERT: _("A project reaches a budget alert threshold"),
    }[kind]


def channel_label(channel: Channel) -> str:
    return {Channel.APP: _("In the app"), Channel.EMAIL: _("In the app and by email"), Channel.OFF: _("Off")}[channel]
