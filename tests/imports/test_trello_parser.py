"""The Trello export reader on small hand-made exports: every object kind and edge."""

from __future__ import annotations

import pytest

from server.imports import trello
from tests.imports.helpers import as_bytes, board, fixture


def test_it_reads_lists_in_trello_order_with_closed_lists_archived_last() -> None:
    plan = trello.read(fixture("small_board.json"))
    assert [(c.name, c.archived) for c in plan.columns] == [
        ("To do", False),
        ("Делаем", False),
        ("Done", False),
        ("Old ideas", True),
    ]


def test_it_numbers_cards_in_trello_order() -> None:
    plan = trello.read(fixture("small_board.json"))
    assert [c.short_link for c in plan.cards] == ["Aa111111", "Bb222222", "Cc333333", "Dd444444", "Ee555555"]


def test_it_maps_label_colours_and_names_unnamed_labels_by_colour() -> None:
    plan = trello.read(fixture("small_board.json"))
    assert [(x.name, x.color) for x in plan.labels] == [("Urgent", "red"), ("green", "green"), ("Thiết kế", "teal")]


def test_it_keeps_checklists_in_order_and_prefixes_several_checklists() -> None:
    card = trello.read(fixture("small_board.json")).cards[1]
    assert [(i.text, i.done) for i in card.items] == [
        ("Images: Hero photo", True),
        ("Copy: Subline", True),
        ("Copy: Headline", False),
    ]


def test_it_reads_comments_oldest_first_with_their_authors() -> None:
    card = trello.read(fixture("small_board.json")).cards[1]
    assert [(c.author_name, c.body) for c in card.comments] == [
        ("Max Member", "First draft attached."),
        ("Gina Freelancer", "Photos are in the drive."),
    ]
    assert card.comments[0].at is not None and card.comments[0].at.year == 2026


def test_it_keeps_attachments_as_links_in_the_description() -> None:
    card = trello.read(fixture("small_board.json")).cards[1]
    assert "[brief.pdf](https://trello.com/1/cards/card-2/attachments/att-1/download/brief.pdf)" in card.description


def test_it_reads_due_dates_due_complete_archived_and_members() -> None:
    cards = trello.read(fixture("small_board.json")).cards
    assert str(cards[1].due_on) == "2026-12-10" and not cards[1].due_complete
    assert cards[0].due_complete
    assert cards[3].archived and not cards[1].archived
    assert cards[1].member_ids == ["m-max", "m-ghost"]


def test_a_card_with_no_list_goes_to_the_first_column_with_a_warning() -> None:
    stray = trello.read(fixture("small_board.json")).cards[4]
    assert stray.column_id == "list-todo"
    assert stray.warnings and stray.label_ids == []  # its unknown label is dropped


def test_unicode_names_are_kept() -> None:
    assert trello.read(fixture("small_board.json")).cards[2].title == "Đặt lịch chụp ảnh 📷 съёмка"


def test_comment_authors_who_left_the_board_are_members_too() -> None:
    members = {m.source_id: m.name for m in trello.read(fixture("small_board.json")).members}
    assert members["m-ghost"] == "Gina Freelancer"


def test_an_empty_board_plans_nothing() -> None:
    plan = trello.read(fixture("empty_board.json"))
    assert (plan.columns, plan.cards, plan.labels) == ([], [], [])
    assert plan.warnings


def test_huge_descriptions_and_names_are_cut_with_a_warning() -> None:
    raw = board()
    raw["cards"][0]["desc"] = "x" * 50_000
    raw["cards"][0]["name"] = "n" * 500
    card = next(c for c in trello.read(as_bytes(raw)).cards if c.source_id == raw["cards"][0]["id"])
    assert len(card.description) == trello.DESCRIPTION_MAX and len(card.title) == trello.TITLE_MAX
    assert len(card.warnings) == 2


def test_a_card_in_a_list_that_does_not_exist_is_refused_naming_it() -> None:
    with pytest.raises(trello.NotATrelloExport, match=r"Orphan.*card-x.*list-gone"):
        trello.read(fixture("card_in_missing_list.json"))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"lists": [', "line 1"),
        (b"\xff\xfe not utf8 \xc3", "UTF-8"),
        (fixture("not_trello.json"), "not a Trello board export"),
        (b"[1, 2]", "not a Trello board export"),
    ],
)
def test_files_that_are_not_trello_exports_are_refused_with_a_reason(raw: bytes, message: str) -> None:
    with pytest.raises(trello.NotATrelloExport, match=message):
        trello.read(raw)


def test_a_changed_card_has_another_fingerprint() -> None:
    raw = board()
    before = trello.read(as_bytes(raw)).cards[1].fingerprint()
    raw["cards"][0]["name"] = "Homepage hero v2"
    assert trello.read(as_bytes(raw)).cards[1].fingerprint() != before
