"""Reading the sprints feature's forms into checked values, one reader per object: a sprint's goal,
how to close it, a card's move into a sprint, the client's note on a decision and a share link. Each
records its errors on the form; the handler writes nothing while it has any. (A comment on a plan is
read as one on a card: boards.schemas.read_comment.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from server.kernel.forms import Form
from server.kernel.i18n import _
from server.kernel.passwords import MAX_LENGTH
from server.rules.review import MAX_NOTE

GOAL_MAX = 1000
CARRY = ("next", "backlog")
LABEL_MAX = 100
MIN_PASSWORD = 8


def read_goal(form: Form) -> str:
    return form.text("goal", max_length=GOAL_MAX, required=False)


def read_carry_to_next(form: Form) -> bool:
    """Closing: unfinished cards go to the next open sprint (True) or back to the backlog."""
    return form.choice("carry", CARRY) == "next"


@dataclass(frozen=True)
class CardMove:
    sprint_id: int | None  # None: back to the backlog
    version: int | None  # the card's version as the page showed it: a stale move is refused


def read_card_move(form: Form) -> CardMove:
    return CardMove(sprint_id=form.id("sprint_id", required=False), version=form.integer("version", minimum=1))


def read_note(form: Form, *, required: bool) -> str:
    """The client's note with a decision: optional with an approval, required when asking for changes."""
    return form.text("note", max_length=MAX_NOTE, required=required)


@dataclass(frozen=True)
class ShareLinkInput:
    label: str
    password: str  # empty: no password
    expires_on: date | None  # the last day it works; None: no end


def read_share_link(form: Form, today: date) -> ShareLinkInput:
    label = form.text("label", max_length=LABEL_MAX)
    password = form.value("password")
    if password and not MIN_PASSWORD <= len(password) <= MAX_LENGTH:
        form.error("password", _("Use %(lo)s to %(hi)s characters, or leave it empty.", lo=MIN_PASSWORD, hi=MAX_LENGTH))
    return ShareLinkInput(label, password, _last_day(form, today))


def _last_day(form: Form, today: date) -> date | None:
    day = form.date("expires_on")
    if day is not None and day < today:
        form.error("expires_on", _("Choose today or a later day."))
        return None
    return day
