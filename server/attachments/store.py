"""Reading a card's files: the loader every attachment route starts with (the card's own access
policy, plus: an internal file does not exist for the client's people), and the list a viewer sees."""

from __future__ import annotations

import json
from typing import Any

from litestar.exceptions import PermissionDeniedException

from server.kernel.access import not_found, row_or_404, task_for
from server.kernel.i18n import _
from server.rules.attachments import Visibility, may_remove_attachment, may_see_attachment
from server.rules.policy import Actor, can_see_internal
from server.tables import Attachment, Task

Row = dict[str, Any]


async def attachment_for(actor: Actor, attachment_id: int, *, remove: bool = False) -> tuple[Row, Row, Row]:
    """The attachment, its card and the card's project; 404 where the card or the file may not be
    seen (an internal file, for a client), 403 when `remove` is asked by someone who did not add it
    and is no admin."""
    attachment = await row_or_404(Attachment, attachment_id)
    if not may_see_attachment(actor, attachment["visibility"]):
        raise not_found()
    task, project = await task_for(actor, attachment["task"])
    if remove and not may_remove_attachment(actor, attachment["uploaded_by"]):
        raise PermissionDeniedException(_("Only who added a file, or an admin, can delete it."))
    attachment["email"] = _json(attachment["email"])
    return attachment, task, project


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value or {}


async def attachments_of(task_id: int, viewer: Actor) -> list[Row]:
    """The card's files, newest first, as this viewer may see them (a client: those shared)."""
    query = Attachment.select(
        *Attachment.all_columns(exclude=[Attachment.storage_key]),
        Attachment.uploaded_by.name.as_alias("uploader_name"),
        Attachment.uploaded_by.role.as_alias("uploader_role"),
    ).where(Attachment.task == task_id)
    if not can_see_internal(viewer):
        query = query.where(Attachment.visibility == Visibility.CLIENT)
    rows = await query.order_by(Attachment.created_at, ascending=False).order_by(Attachment.id, ascending=False)
    for row in rows:
        row["email"] = _json(row["email"])
    return rows


async def cover_of(task_id: int) -> int | None:
    row = await Task.select(Task.cover_attachment).where(Task.id == task_id).first()
    return row["cover_attachment"] if row else None


async def storage_keys_of_tasks(task_ids: list[int]) -> list[str]:
    """Every stored name (files and thumbnails) of these cards' attachments."""
    rows = await Attachment.select(Attachment.storage_key, Attachment.thumbnail_key).where(
        Attachment.task.is_in(task_ids or [0])
    )
    return [key for row in rows for key in (row["storage_key"], row["thumbnail_key"]) if key]
