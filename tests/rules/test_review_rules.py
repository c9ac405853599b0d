"""The client review's pure rules: what an approval keeps, what changed since, who may submit or
decide in which state."""

from __future__ import annotations

import pytest

from server.rules.review import (
    PlannedCard,
    ReviewError,
    changes_since,
    check_decision,
    check_submit,
    fingerprint,
    snapshot,
    state_label,
    week_label,
)

HERO = PlannedCard(1, "Homepage hero copy", 180)
FOOTER = PlannedCard(2, "Footer links", 60)


def test_a_snapshot_keeps_titles_and_estimates_by_task_id() -> None:
    assert snapshot([HERO, FOOTER]) == {
        "1": {"title": "Homepage hero copy", "estimate_minutes": 180},
        "2": {"title": "Footer links", "estimate_minutes": 60},
    }


def test_an_unchanged_plan_has_no_changes() -> None:
    assert changes_since(snapshot([HERO, FOOTER]), [HERO, FOOTER]) == []


def test_added_removed_renamed_and_reestimated_cards_are_each_listed() -> None:
    approved = snapshot([HERO, FOOTER])
    now = [PlannedCard(1, "Hero copy, three options", 240), PlannedCard(3, "Cookie banner", None)]
    kinds = [(c.kind, c.title) for c in changes_since(approved, now)]
    assert kinds == [
        ("renamed", "Hero copy, three options"),
        ("estimate", "Hero copy, three options"),
        ("added", "Cookie banner"),
        ("removed", "Footer links"),
    ]


def test_change_texts_name_the_card() -> None:
    changes = changes_since(snapshot([FOOTER]), [HERO])
    assert [c.text for c in changes] == ["Added “Homepage hero copy”", "Removed “Footer links”"]


def test_the_fingerprint_follows_the_plan() -> None:
    assert fingerprint([HERO, FOOTER]) == fingerprint([HERO, FOOTER])
    assert fingerprint([HERO, FOOTER]) != fingerprint([HERO, PlannedCard(2, "Footer links", 90)])


@pytest.mark.parametrize("state", ["draft", "changes_requested"])
def test_a_draft_or_a_plan_sent_back_can_be_submitted(state: str) -> None:
    check_submit(state, "planned", 2, changed=False)


@pytest.mark.parametrize(
    ("state", "sprint_state", "cards", "changed", "message"),
    [
        ("draft", "planned", 0, False, "Add cards"),
        ("in_review", "planned", 2, False, "already waiting"),
        ("approved", "active", 2, False, "already approved"),
        ("draft", "closed", 2, False, "closed"),
    ],
)
def test_submitting_is_refused_when_it_makes_no_sense(
    state: str, sprint_state: str, cards: int, changed: bool, message: str
) -> None:
    with pytest.raises(ReviewError, match=message) as refused:
        check_submit(state, sprint_state, cards, changed)
    assert refused.value.status == 409


def test_an_approved_plan_that_changed_can_be_resubmitted() -> None:
    check_submit("approved", "active", 2, changed=True)


def test_only_a_plan_in_review_can_be_decided() -> None:
    check_decision("in_review")
    for state in ("draft", "approved", "changes_requested"):
        with pytest.raises(ReviewError):
            check_decision(state)


def test_states_have_labels_and_unknown_ones_read_as_draft() -> None:
    assert state_label("approved") == "Approved"
    assert state_label("in_review") == "Waiting for review"
    assert state_label("nonsense") == "Draft"


def test_the_portal_calls_an_unsubmitted_week_planned_or_closed_never_draft() -> None:
    assert week_label("planned", "draft") == "Being planned"
    assert week_label("closed", "draft") == "Closed"
    assert week_label("closed", "approved") == "Approved"
