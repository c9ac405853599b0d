"""Relative times ("5 minutes ago") in the card dialog's comments and history, in the reader's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from server.tables import Activity, Comment, User
from tests.conftest import Agency
from tests.factories import add_card


@pytest.mark.parametrize(
    ("locale", "five_minutes_ago", "two_days_ago"),
    [
        ("en", "5 minutes ago", "2 days ago"),
        ("ru", "5 минут назад", "2 дня назад"),
        ("vi", "5 phút trước", "2 ngày trước"),
        ("zh", "5分钟前", "2天前"),
    ],
)
async def test_the_card_dialog_says_how_long_ago_in_the_readers_language(
    agency: Agency, as_user: Any, locale: str, five_minutes_ago: str, two_days_ago: str
) -> None:
    card = await add_card(agency.acme_project, "Homepage hero copy")
    now = datetime.now(UTC)
    await Activity.update({Activity.at: now - timedelta(days=2, minutes=1)}).where(Activity.verb == "created")
    await Comment.insert(
        Comment(task=card, author=agency.max, body="Looks good", created_at=now - timedelta(minutes=5, seconds=10))
    )
    await User.update({User.locale: locale}).where(User.id == agency.max)
    max_ = await as_user("max")
    page = (await max_.get(f"/tasks/{card}", headers={"hx-request": "true"})).text
    comments, history = page.split('class="cd-history"', 1)
    assert f">{five_minutes_ago}</time>" in comments
    assert f">{two_days_ago}</time>" in history
