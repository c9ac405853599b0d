"""My work is live: a change that may alter someone's list of cards (assigned or unassigned, moved,
its due date changed) or their time (a timer started) sends a word, "my-work-changed", to that
person's own channel, which their personal socket carries to every page they have open; /me then
fetches its sections again. Changes that My work does not show send nothing."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from typing import Any

import pytest
from redis.asyncio import Redis

from server.boards.fragments import MY_WORK_CHANGED
from server.realtime.hub import user_channel
from tests.conftest import Agency
from tests.factories import add_card, column_id, task_row
from tests.mywork.helpers import assigned_card

NAMESPACE = os.environ["BOARDROOM_CHANNEL_NAMESPACE"]
WAIT = 5.0


class Ears:
    """The personas' own channels, listened to on Redis as their sockets' subscriptions would."""

    def __init__(self, redis: Redis, ids: dict[int, str]) -> None:
        self.pubsub = redis.pubsub()
        self.names = {user_channel(NAMESPACE, user_id): user_id for user_id in ids}

    async def heard(self, within: float = WAIT) -> set[int]:
        """Whose channels got the word `within` seconds (after the first, a short while for the rest
        to arrive); other news on the same channels is passed over."""
        people: set[int] = set()
        deadline = asyncio.get_running_loop().time() + within
        while (left := deadline - asyncio.get_running_loop().time()) > 0:
            message = await self.pubsub.get_message(ignore_subscribe_messages=True, timeout=min(left, 0.2))
            if message is None:
                if people:
                    deadline = min(deadline, asyncio.get_running_loop().time() + 0.3)
                continue
            if message["data"].decode() == MY_WORK_CHANGED:  # other news (the bell) share the channel
                people.add(self.names[message["channel"].decode()])
        return people


@pytest.fixture
async def ears(redis_url: str, agency: Agency) -> AsyncIterator[Ears]:
    redis = Redis.from_url(redis_url)
    listening = Ears(redis, {agency.ada: "ada", agency.max: "max", agency.mia: "mia"})
    await listening.pubsub.subscribe(*listening.names)
    yield listening
    await listening.pubsub.aclose()
    await redis.aclose()


async def test_assigning_a_card_tells_the_new_assignee_and_unassigning_tells_them_too(
    as_user: Any, agency: Agency, ears: Ears
) -> None:
    task_id = await add_card(agency.acme_project, "Hero banner")
    max_ = await as_user("max")
    assert (await max_.post(f"/tasks/{task_id}/assignees", {"person_id": agency.ada}, htmx=True)).status_code == 200
    assert await ears.heard() == {agency.ada}
    assert (await max_.post(f"/tasks/{task_id}/assignees", {"person_id": agency.ada}, htmx=True)).status_code == 200
    assert await ears.heard() == {agency.ada}, "no longer assigned, she must still hear of it"


async def test_moving_my_card_to_another_column_tells_me(as_user: Any, agency: Agency, ears: Ears) -> None:
    task_id = await assigned_card(agency.acme_project, "Footer", agency.max)
    doing = await column_id(agency.acme_project, "In progress")
    ada = await as_user("ada")
    answer = await ada.post(f"/tasks/{task_id}/move", {"column_id": doing, "version": "1"}, htmx=True)
    assert answer.status_code == 200
    assert await ears.heard() == {agency.max}


async def test_changing_my_cards_due_date_tells_me(as_user: Any, agency: Agency, ears: Ears) -> None:
    task_id = await assigned_card(agency.acme_project, "Footer", agency.max)
    version = (await task_row(task_id))["version"]
    ada = await as_user("ada")
    form = {"version": str(version), "due_on": "2030-01-15", "estimate": "", "billable": "true"}
    assert (await ada.post(f"/tasks/{task_id}/fields", form, htmx=True)).status_code == 200
    assert await ears.heard() == {agency.max}


async def test_starting_a_timer_tells_me_in_my_other_tabs(as_user: Any, agency: Agency, ears: Ears) -> None:
    task_id = await assigned_card(agency.acme_project, "Footer", agency.ada)
    max_ = await as_user("max")
    assert (await max_.post(f"/tasks/{task_id}/timer/start", {}, htmx=True)).status_code == 200
    assert agency.max in await ears.heard()
    assert (await max_.post("/timer/stop", {}, htmx=True)).status_code == 200
    assert agency.max in await ears.heard()


async def test_a_comment_on_my_card_tells_nobody_my_work_shows_no_comments(
    as_user: Any, agency: Agency, ears: Ears
) -> None:
    task_id = await assigned_card(agency.acme_project, "Footer", agency.max)
    ada = await as_user("ada")
    form = {"body": "Copy is final.", "visibility": "internal"}
    assert (await ada.post(f"/tasks/{task_id}/comments", form, htmx=True)).status_code == 200
    assert await ears.heard(within=1.0) == set()


async def test_a_card_nobody_is_assigned_to_tells_nobody(as_user: Any, agency: Agency, ears: Ears) -> None:
    task_id = await add_card(agency.acme_project, "Unowned")
    doing = await column_id(agency.acme_project, "In progress")
    answer = await (await as_user("ada")).post(
        f"/tasks/{task_id}/move", {"column_id": doing, "version": "1"}, htmx=True
    )
    assert answer.status_code == 200
    assert await ears.heard(within=1.0) == set()
