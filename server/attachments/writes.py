"""Writing a card's files: adding (stored first, then the rows in one board change, so a failed write
leaves no row without its file and removes the files it stored), removing, sharing or hiding, and
the card's cover. Each is a board event: open boards redraw the card (its cover) and open dialogs
their list."""

from __future__ import annotations

from typing import Any

from server.attachments.schemas import Checked
from server.attachments.storage import new_key, storage
from server.attachments.store import storage_keys_of_tasks
from server.boards.changes import Announcer, board_change
from server.rules.attachments import Kind, Visibility
from server.rules.policy import Actor
from server.tables import Attachment, Task

Row = dict[str, Any]


async def _forget(keys: list[str]) -> None:
    for key in keys:
        await storage().delete(key)


async def add_attachments(
    task: Row, actor: Actor, files: list[Checked], visibility: Visibility, announcer: Announcer
) -> list[int]:
    """Store the checked files under new random names and record them on the card."""
    stored: list[str] = []
    rows = []
    try:
        for item in files:
            key = new_key()
            await storage().put(key, item.upload.path)
            stored.append(key)
            thumbnail_key = ""
            if item.thumbnail is not None:
                thumbnail_key = new_key()
                await storage().put(thumbnail_key, item.thumbnail)
                stored.append(thumbnail_key)
            rows.append(
                Attachment(
                    task=task["id"],
                    uploaded_by=actor.id,
                    name=item.name,
                    storage_key=key,
                    thumbnail_key=thumbnail_key,
                    content_type=item.decision.content_type,
                    kind=item.decision.kind.value,
                    size=item.upload.size,
                    visibility=visibility.value,
                    email=item.email,
                )
            )
        async with board_change(task["project"], actor, announcer) as change:
            ids = [row["id"] for row in await Attachment.insert(*rows).returning(Attachment.id)]
            names = [item.name for item in files]
            change.log("attached", task=task["id"], visibility=visibility.value, names=names)
    except BaseException:
        await _forget(stored)
        raise
    return ids


async def remove_attachment(attachment: Row, task: Row, actor: Actor, announcer: Announcer) -> None:
    async with board_change(task["project"], actor, announcer) as change:
        await Task.update({Task.cover_attachment: None}).where(
            (Task.id == task["id"]) & (Task.cover_attachment == attachment["id"])
        )
        await Attachment.delete().where(Attachment.id == attachment["id"])
        change.log("detached", task=task["id"], visibility=attachment["visibility"], names=[attachment["name"]])
    await _forget([key for key in (attachment["storage_key"], attachment["thumbnail_key"]) if key])


async def set_attachment_visibility(
    attachment: Row, task: Row, actor: Actor, visibility: Visibility, announcer: Announcer
) -> None:
    async with board_change(task["project"], actor, announcer) as change:
        await Attachment.update({Attachment.visibility: visibility.value}).where(Attachment.id == attachment["id"])
        # Logged as internal either way: the client's history never names a file that was hidden from them.
        change.log(
            "attachment_shared" if visibility is Visibility.CLIENT else "attachment_hidden",
            task=task["id"],
            visibility=Visibility.INTERNAL.value,
            names=[attachment["name"]],
        )


async def set_cover(attachment: Row | None, task: Row, actor: Actor, announcer: Announcer) -> None:
    """Make an image the card's cover on the board (None: no cover)."""
    if attachment is not None and attachment["kind"] != Kind.IMAGE:
        raise ValueError("only an image can be a cover")
    async with board_change(task["project"], actor, announcer) as change:
        await Task.update({Task.cover_attachment: attachment["id"] if attachment else None}).where(
            Task.id == task["id"]
        )
        change.log(
            "cover_set" if attachment else "cover_removed",
            task=task["id"],
            visibility=attachment["visibility"] if attachment else Visibility.INTERNAL.value,
            names=[attachment["name"]] if attachment else [],
        )


async def forget_files_of_tasks(task_ids: list[int]) -> None:
    """For deleting cards: their files go from storage (call before the rows are deleted; the rows
    go with the cards). Archiving a card keeps its files."""
    await _forget(await storage_keys_of_tasks(task_ids))
