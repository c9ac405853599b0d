"""One validation per card: the API's JSON and the card dialog's form are checked by the same rules,
with the same messages."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest

from server.boards.schemas import CardChanges, card_values, read_card_fields, typed_form
from server.kernel.api_router import InvalidInput
from server.kernel.forms import Form
from server.tables import Task


def refusal(changes: CardChanges) -> tuple[str, str]:
    with pytest.raises(InvalidInput) as refused:
        card_values(changes)
    (error,) = refused.value.extra  # type: ignore[misc]
    return error["field"], error["message"]


def test_the_api_refuses_a_blank_title_as_the_dialog_does() -> None:
    form = Form({"title": "   "})
    read_card_fields(form, "title")
    assert refusal(CardChanges(version=1, title="   ")) == ("title", form.errors["title"])


def test_the_api_refuses_a_due_date_the_dialog_refuses() -> None:
    form = Form({"due_on": "1800-01-01"})
    read_card_fields(form, "due_on")
    assert refusal(CardChanges(version=1, due_on=date(1800, 1, 1))) == ("due_on", form.errors["due_on"])


def test_the_api_refuses_an_estimate_the_dialog_refuses() -> None:
    form = Form({"estimate": "0"})
    read_card_fields(form, "estimate")
    assert refusal(CardChanges(version=1, estimate_minutes=0)) == ("estimate_minutes", form.errors["estimate"])


def test_the_api_takes_what_the_dialog_takes() -> None:
    changes = msgspec.convert(
        {"version": 1, "title": " Hero ", "description": "**Bold**", "due_on": "2026-12-01", "estimate_minutes": 90},
        CardChanges,
    )
    assert card_values(changes) == {
        Task.title: "Hero",
        Task.description: "**Bold**",
        Task.due_on: date(2026, 12, 1),
        Task.estimate_minutes: 90,
    }


def test_only_the_fields_sent_are_changed() -> None:
    assert card_values(CardChanges(version=1, billable=False)) == {Task.billable: False}
    assert card_values(CardChanges(version=1, due_on=None)) == {Task.due_on: None}


def test_a_textarea_line_break_counts_once() -> None:
    form = typed_form({"description": "abc\r\n" * 4500}, "description")
    read_card_fields(form, "description")
    assert form.ok
