"""Who a Trello member or a tracker's person is in Boardroom: email first, then one person by name."""

from __future__ import annotations

from server.rules.imports import folded, match_person

PEOPLE = [
    {"id": 1, "name": "Max Member", "email": "max@agency.test"},
    {"id": 2, "name": "Nguyễn Văn An", "email": "an@agency.test"},
    {"id": 3, "name": "Mia Member", "email": "mia@agency.test"},
    {"id": 4, "name": "Mia Member", "email": "mia.two@agency.test"},
]


def test_email_wins_whatever_the_name() -> None:
    assert match_person(PEOPLE, email="MAX@agency.test", name="Someone Else") == 1


def test_a_name_matches_regardless_of_case_accents_and_spacing() -> None:
    assert match_person(PEOPLE, name="  nguyen  van an ") == 2
    assert folded("Đặt  LỊCH") == folded("đặt lịch")


def test_a_name_two_people_share_matches_nobody() -> None:
    assert match_person(PEOPLE, name="Mia Member") is None


def test_a_username_matches_the_mailbox_of_an_email() -> None:
    assert match_person(PEOPLE, username="an") == 2


def test_nobody_matches_a_stranger() -> None:
    assert match_person(PEOPLE, email="gina@elsewhere.test", name="Gina Freelancer") is None
