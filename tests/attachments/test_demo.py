"""The demo agency has files on its cards: a newcomer sees a cover, an internal sketch and an email."""

from __future__ import annotations

from server.demo import seed_demo
from server.tables import Attachment, Task


async def test_the_demo_has_a_cover_an_internal_sketch_and_a_clients_email() -> None:
    await seed_demo()
    rows = {r["name"]: r for r in await Attachment.select()}
    assert set(rows) == {"navigation-wireframe.png", "menu-sketch-internal.png", "brief-from-acme.eml"}
    assert (
        rows["navigation-wireframe.png"]["visibility"] == "client" and rows["navigation-wireframe.png"]["thumbnail_key"]
    )
    assert rows["menu-sketch-internal.png"]["visibility"] == "internal"
    assert rows["brief-from-acme.eml"]["kind"] == "email"
    covered = await Task.select(Task.cover_attachment).where(Task.title == "Navigation redesign").first()
    assert covered == {"cover_attachment": rows["navigation-wireframe.png"]["id"]}
