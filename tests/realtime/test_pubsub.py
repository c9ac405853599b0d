"""The process's pub/sub layer against a redis-server of the test's own, which the tests stop and
start: one Redis subscription per channel however many listeners, reconnecting and subscribing
again by itself, publishing that neither raises nor waits while Redis is away, a bounded backlog per
listener, and a shutdown that does not wait for a Redis that is gone."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import pytest
from redis.asyncio import Redis

from server.realtime.pubsub import CATCH_UP, PubSub, Subscription
from tests.realtime.servers import RedisServer, own_redis
from tests.realtime.waiting import eventually

WAIT = 15  # seconds; generous: the machine is shared, and reconnecting backs off up to 5 s


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    with own_redis() as server:
        yield server


@pytest.fixture
async def pubsub(redis_server: RedisServer) -> AsyncIterator[PubSub]:
    layer = PubSub(redis_server.url)
    await layer.start()
    yield layer
    async with asyncio.timeout(WAIT):
        await layer.stop()


@pytest.fixture
async def raw(redis_server: RedisServer) -> AsyncIterator[Redis]:
    """A plain client, as the worker publishes."""
    client = Redis.from_url(redis_server.url)
    yield client
    await client.aclose()


async def heard(subscription: Subscription) -> str:
    async with asyncio.timeout(WAIT):
        message = await subscription.next()
    assert isinstance(message, str), message
    return message


async def until(condition: Callable[[], bool], what: str) -> None:
    await eventually(condition, what, WAIT)


def no_subscribers(raw: Redis, channel: str) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        [(_, count)] = await raw.pubsub_numsub(channel)
        return int(count) == 0

    return check


async def test_three_listeners_of_one_channel_share_one_redis_subscription(pubsub: PubSub, raw: Redis) -> None:
    async with (
        pubsub.subscription(["board:1:agency:en"]) as a,
        pubsub.subscription(["board:1:agency:en"]) as b,
        pubsub.subscription(["board:1:agency:en", "user:7"]) as c,
    ):
        assert await raw.pubsub_numsub("board:1:agency:en", "user:7") == [(b"board:1:agency:en", 1), (b"user:7", 1)]
        await raw.publish("board:1:agency:en", "<p>moved</p>")
        assert [await heard(s) for s in (a, b, c)] == ["<p>moved</p>"] * 3
        await raw.publish("user:7", "<p>yours</p>")
        assert await heard(c) == "<p>yours</p>"
    await eventually(no_subscribers(raw, "board:1:agency:en"), "the last listener out unsubscribes", WAIT)


async def test_what_the_process_publishes_reaches_its_own_listeners_in_order(pubsub: PubSub) -> None:
    async with pubsub.subscription(["client:3"]) as listener:
        for n in range(5):
            pubsub.publish(f"<p>{n}</p>", "client:3")
        assert [await heard(listener) for _ in range(5)] == [f"<p>{n}</p>" for n in range(5)]


async def test_the_subscriber_reconnects_and_subscribes_again_after_redis_restarts(
    pubsub: PubSub, redis_server: RedisServer
) -> None:
    told: list[bool] = []

    async def on_change(up: bool) -> None:
        told.append(up)

    pubsub.on_change = on_change
    async with pubsub.subscription(["board:2:client:vi"]) as listener:
        assert pubsub.up
        redis_server.stop()
        await until(lambda: not pubsub.connected, "the subscriber notices Redis is gone")
        redis_server.start()
        await until(lambda: pubsub.connected, "the subscriber is back")
        await until(lambda: len(told) >= 2, "listeners are told")
        assert told == [False, True], "listeners were told it went down, then that it came back"
        raw = Redis.from_url(redis_server.url)
        try:
            assert await raw.pubsub_numsub("board:2:client:vi") == [(b"board:2:client:vi", 1)]
            await raw.publish("board:2:client:vi", "<p>after the restart</p>")
        finally:
            await raw.aclose()
        assert await heard(listener) == "<p>after the restart</p>"


async def test_a_listener_that_arrives_while_redis_is_down_hears_messages_once_it_is_back(
    pubsub: PubSub, redis_server: RedisServer
) -> None:
    redis_server.stop()
    await until(lambda: not pubsub.connected, "the subscriber notices Redis is gone")
    async with asyncio.timeout(WAIT), pubsub.subscription(["user:9"]) as listener:
        redis_server.start()
        await until(lambda: pubsub.connected, "the subscriber is back")
        pubsub.publish("<p>hello</p>", "user:9")
        assert await heard(listener) == "<p>hello</p>"


async def test_publishing_while_redis_is_down_neither_raises_nor_waits_and_reports_realtime_down(
    pubsub: PubSub, redis_server: RedisServer
) -> None:
    redis_server.stop()
    for n in range(100):
        pubsub.publish(f"<p>{n}</p>", "board:5:agency:en")  # returns at once; a raise would fail the test
    await until(lambda: not pubsub.up, "realtime is reported down")
    redis_server.start()
    await until(lambda: pubsub.up, "realtime is reported up again, with nothing more to publish")
    async with pubsub.subscription(["board:5:agency:en"]) as listener:
        pubsub.publish("<p>again</p>", "board:5:agency:en")
        assert await heard(listener) == "<p>again</p>"


async def test_a_listener_that_falls_behind_is_told_to_catch_up_and_its_backlog_is_dropped(
    redis_server: RedisServer, raw: Redis
) -> None:
    layer = PubSub(redis_server.url, queue_limit=8)
    await layer.start()
    try:
        async with layer.subscription(["board:3:agency:en"]) as slow, layer.subscription(["board:3:agency:en"]) as fast:
            for n in range(20):
                await raw.publish("board:3:agency:en", f"<p>{n}</p>")
                assert await heard(fast) == f"<p>{n}</p>", "a listener that keeps up gets everything"
            assert slow.ending == CATCH_UP and slow.waiting == 1, "only the ending is left waiting"
            assert await slow.next() == CATCH_UP
    finally:
        await layer.stop()


async def test_stopping_while_redis_is_gone_does_not_wait_for_it(redis_server: RedisServer) -> None:
    layer = PubSub(redis_server.url)
    await layer.start()
    async with layer.subscription(["user:1"]):
        redis_server.stop()
        for n in range(1000):
            layer.publish(f"<p>{n}</p>", "user:1")
    async with asyncio.timeout(WAIT):  # hangs forever, as Litestar's plugin did, if it waits on Redis
        await layer.stop()
    redis_server.start()  # for the fixture's own stop


async def test_a_process_that_starts_while_redis_is_down_connects_when_it_comes_up(
    redis_server: RedisServer,
) -> None:
    redis_server.stop()
    layer = PubSub(redis_server.url)
    await layer.start()
    try:
        assert not layer.up
        async with layer.subscription(["user:4"]) as listener:
            redis_server.start()
            await until(lambda: layer.connected, "the subscriber connects")
            layer.publish("<p>first</p>", "user:4")
            assert await heard(listener) == "<p>first</p>"
    finally:
        await layer.stop()
