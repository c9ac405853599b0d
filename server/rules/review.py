"""The client's review of a weekly plan, as pure rules: who may submit or decide in which state, the
snapshot an approval keeps, what changed in the plan since it was approved, and how a review state
reads (to the agency and in the client's portal)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from server.kernel.i18n import _
from server.rules.sprints import ReviewState, SprintState

MAX_NOTE = 10_000


class ReviewError(Exception):
    """A review step that the sprint's state does not allow (answered 409 with this message)."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class PlannedCard:
    task_id: int
    title: str
    estimate_minutes: int | None


@dataclass(frozen=True)
class PlanChange:
    """One difference between the approved plan and the plan now."""

    kind: str  # added, removed, renamed, estimate
    title: str
    before: str | int | None = None
    after: str | int | None = None

    @property
    def text(self) -> str:
        if self.kind == "added":
            return _("Added “%(t)s”", t=self.title)
        if self.kind == "removed":
            return _("Removed “%(t)s”", t=self.title)
        if self.kind == "renamed":
            return _("Renamed “%(a)s” to “%(b)s”", a=self.before, b=self.after)
        return _("Changed the estimate of “%(t)s”", t=self.title)


def snapshot(cards: Iterable[PlannedCard]) -> dict[str, dict[str, Any]]:
    """What an approval keeps of the plan: {task id: {title, estimate_minutes}} (JSON keys are strings)."""
    return {str(c.task_id): {"title": c.title, "estimate_minutes": c.estimate_minutes} for c in cards}


def fingerprint(cards: Iterable[PlannedCard]) -> str:
    """A short digest of the plan as shown: an approval made from an older page is refused."""
    text = json.dumps(snapshot(cards), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def changes_since(approved: Mapping[str, Mapping[str, Any]], cards: Iterable[PlannedCard]) -> list[PlanChange]:
    """Cards added, removed, renamed or re-estimated since the approval, in plan order (removed last)."""
    now = {str(c.task_id): c for c in cards}
    found: list[PlanChange] = []
    for key, card in now.items():
        before = approved.get(key)
        if before is None:
            found.append(PlanChange("added", card.title, after=card.estimate_minutes))
            continue
        if before.get("title") != card.title:
            found.append(PlanChange("renamed", card.title, before=before.get("title"), after=card.title))
        if before.get("estimate_minutes") != card.estimate_minutes:
            found.append(
                PlanChange("estimate", card.title, before=before.get("estimate_minutes"), after=card.estimate_minutes)
            )
    for key, before in approved.items():
        if key not in now:
            found.append(PlanChange("removed", str(before.get("title", "")), before=before.get("estimate_minutes")))
    return found


def check_submit(state: str, sprint_state: str, card_count: int, changed: bool) -> None:
    """A member may submit a plan with cards that is not already waiting for the client, nor approved
    as it stands; a closed week is history."""
    if sprint_state == SprintState.CLOSED:
        raise ReviewError(_("This week is closed: its plan can no longer be submitted."))
    if card_count == 0:
        raise ReviewError(_("Add cards to the plan before submitting it for review."))
    if state == ReviewState.IN_REVIEW:
        raise ReviewError(_("This plan is already waiting for the client’s review."))
    if state == ReviewState.APPROVED and not changed:
        raise ReviewError(_("The client already approved this plan, and it has not changed since."))


def check_decision(state: str) -> None:
    """The client decides only on a plan waiting for their review."""
    if state != ReviewState.IN_REVIEW:
        raise ReviewError(_("This plan is not waiting for a review: reload the page to see its current state."))


def state_label(state: str) -> str:
    labels = {
        ReviewState.DRAFT: _("Draft"),
        ReviewState.IN_REVIEW: _("Waiting for review"),
        ReviewState.APPROVED: _("Approved"),
        ReviewState.CHANGES_REQUESTED: _("Changes requested"),
    }
    return labels.get(state, labels[ReviewState.DRAFT])  # type: ignore[call-overload]


def week_label(state: str, review_state: str) -> str:
    """A week as the client's portal lists it. A client reads "Draft" as something wrong: a plan
    never sent to them is being planned, or, once its week is over, simply closed."""
    if review_state != ReviewState.DRAFT:
        return state_label(review_state)
    return _("Closed") if state == SprintState.CLOSED else _("Being planned")
