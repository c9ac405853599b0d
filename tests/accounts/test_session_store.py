"""The database store behind sessions and the login throttle keeps Litestar's Store contract."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server.kernel.database_store import DatabaseStore
from server.tables import StoredValue


async def test_it_gives_back_what_was_set_until_it_is_deleted() -> None:
    store = DatabaseStore("sessions")
    await store.set("abc", b"\x00\xffdata", expires_in=60)
    assert await store.get("abc") == b"\x00\xffdata"
    assert await store.exists("abc")
    assert 58 <= (await store.expires_in("abc") or 0) <= 60
    await store.delete("abc")
    assert await store.get("abc") is None and not await store.exists("abc")
    await store.delete("abc")  # deleting what is gone is no error


async def test_setting_again_replaces_the_value_and_the_expiry() -> None:
    store = DatabaseStore("limits")
    await store.set("k", "1", expires_in=60)
    await store.set("k", "2")
    assert await store.get("k") == b"2"
    assert await store.expires_in("k") is None
    assert await StoredValue.count() == 1


async def test_replacing_changes_a_live_value_but_never_brings_a_deleted_one_back() -> None:
    """A session ended by a logout in one tab stays ended whatever another tab's request writes back."""
    store = DatabaseStore("sessions")
    await store.set("mine", b"before", expires_in=60)
    await store.replace("mine", b"after", expires_in=3600)
    assert await store.get("mine") == b"after" and (await store.expires_in("mine") or 0) > 3500
    await store.delete("mine")
    await store.replace("mine", b"written back late", expires_in=3600)
    assert await store.get("mine") is None and await StoredValue.count() == 0


async def test_an_expired_value_is_gone() -> None:
    store = DatabaseStore("sessions")
    await store.set("old", b"x", expires_in=60)
    await StoredValue.update({StoredValue.expires_at: datetime.now(UTC) - timedelta(seconds=1)}, force=True)
    assert await store.get("old") is None
    assert not await store.exists("old")
    assert await store.expires_in("old") is None


async def test_renewing_on_read_moves_the_expiry() -> None:
    store = DatabaseStore("sessions")
    await store.set("k", b"x", expires_in=60)
    assert await store.get("k", renew_for=3600) == b"x"
    assert (await store.expires_in("k") or 0) > 3500


async def test_namespaces_keep_their_keys_apart() -> None:
    sessions, limits = DatabaseStore("sessions"), DatabaseStore("limits")
    await sessions.set("same", b"session")
    await limits.set("same", b"limit")
    await sessions.with_namespace("child").set("same", b"child")
    assert (await sessions.get("same"), await limits.get("same")) == (b"session", b"limit")
    await sessions.delete_all()
    assert await sessions.get("same") is None
    assert await sessions.with_namespace("child").get("same") is None, "a parent's delete_all takes its children"
    assert await limits.get("same") == b"limit"


async def test_a_key_longer_than_the_column_is_kept_by_its_hash() -> None:
    store = DatabaseStore("limits")
    long_key = "login:" + "x" * 5000 + "@example.test:127.0.0.1"
    await store.set(long_key, "1", expires_in=60)
    assert await store.get(long_key) == b"1"
    assert await store.get(long_key[:-1]) is None
    assert all(len(row["key"]) <= 255 for row in await StoredValue.select(StoredValue.key))


async def test_expired_rows_are_swept_by_a_write_and_live_ones_stay() -> None:
    store = DatabaseStore("sessions")
    await store.set("dead", b"x", expires_in=60)
    await store.set("forever", b"x")
    await StoredValue.update({StoredValue.expires_at: datetime.now(UTC) - timedelta(days=1)}).where(
        StoredValue.key == "sessions:dead"
    )
    await DatabaseStore("sessions").set("live", b"x", expires_in=60)  # a fresh process's first write sweeps
    assert sorted(row["key"] for row in await StoredValue.select(StoredValue.key)) == [
        "sessions:forever",
        "sessions:live",
    ]
