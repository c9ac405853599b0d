"""Files on cards: the card dialog's list (loaded by the dialog itself, so boards knows nothing of
files), uploads (several at once, streamed to disk, refused before anything is stored), downloads and
thumbnails behind the card's own access check, an email's message and its own attachments, deleting,
sharing with the client, and the card's cover."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from babel.numbers import format_decimal
from litestar import MediaType, Request, Response, get, post
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Stream

from server.attachments import schemas
from server.attachments.storage import storage
from server.attachments.store import attachment_for, attachments_of, cover_of
from server.attachments.writes import add_attachments, remove_attachment, set_attachment_visibility, set_cover
from server.boards.card_store import ago
from server.kernel.access import not_found, project_facts, task_for
from server.kernel.config import max_upload_mb
from server.kernel.forms import Form
from server.kernel.i18n import _, current_locale
from server.kernel.templating import render_fragment
from server.kernel.web import HTML, is_htmx, me_of, see_other
from server.realtime.hub import hub_of
from server.rules import emails
from server.rules.attachments import Kind, Visibility, clean_filename, served_inline, upload_visibility
from server.rules.policy import Actor, can_comment, can_see_internal, can_work_on_project

Row = dict[str, Any]


def size_text(size: int) -> str:
    locale = current_locale()
    if size < 1024:
        return _("%(n)s B", n=format_decimal(size, locale=locale))
    if size < 1024 * 1024:
        return _("%(n)s KB", n=format_decimal(round(size / 1024, 1), locale=locale))
    return _("%(n)s MB", n=format_decimal(round(size / 1024 / 1024, 1), locale=locale))


async def section_html(me: Actor, task: Row, project: Row, *, error: str | None = None) -> str:
    facts = await project_facts(me, project)
    now = datetime.now(UTC)
    rows = await attachments_of(task["id"], me)
    for row in rows:
        row["size_text"] = size_text(row["size"])
        row["ago"] = ago(row["created_at"], now)
    open_card = not task["archived"] and not project["archived"]
    return render_fragment(
        "attachments/_section.html",
        me=me,
        task=task,
        attachments=rows,
        cover=await cover_of(task["id"]),
        can_attach=open_card and can_comment(me, facts),
        can_manage=open_card and can_work_on_project(me, facts),
        client_view=not can_see_internal(me),
        limit_mb=max_upload_mb(),
        error=error,
    )


async def answer(request: Request[Any, Any, Any], me: Actor, task: Row, project: Row, **kwargs: Any) -> Response[Any]:
    """The list again for htmx (and the dialog's script); a plain form goes back to the card."""
    status = kwargs.pop("status", 200)
    if not is_htmx(request) and status < 400:
        return see_other(f"/tasks/{task['id']}")
    return Response(await section_html(me, task, project, **kwargs), status_code=status, media_type=HTML)


# ---- the list, and adding files


@get("/tasks/{task_id:int}/attachments", media_type=MediaType.HTML)
async def card_attachments(request: Request[Any, Any, Any], task_id: FromPath[int]) -> Response[Any]:
    me = me_of(request)
    task, project = await task_for(me, task_id)
    return Response(await section_html(me, task, project), media_type=HTML)


@post("/tasks/{task_id:int}/attachments", status_code=200, request_max_body_size=None)
async def upload(request: Request[Any, Any, Any], task_id: FromPath[int]) -> Response[Any]:
    """One or more files (multipart, field `file`) and `visibility`. Nothing is stored unless every
    file passes; a file over the limit is refused while it arrives (413)."""
    me = me_of(request)
    task, project = await task_for(me, task_id)
    if project["archived"] or not can_comment(me, await project_facts(me, project)):
        raise PermissionDeniedException(_("You can look at this project but not change it."))
    if task["archived"]:
        raise PermissionDeniedException(_("This card is archived: restore it to add files."))
    limit = max_upload_mb()
    try:
        received = await schemas.receive(request, limit)
    except schemas.Refused as refused:
        return await answer(request, me, task, project, status=refused.status, error=refused.message)
    checked: list[schemas.Checked] = []
    try:
        for item in received.uploads:
            checked.append(await schemas.check(item, clean_filename(item.name)))
        visibility = upload_visibility(me, received.fields.get("visibility"))
        await add_attachments(task, me, checked, visibility, hub_of(request))
    except schemas.Refused as refused:
        return await answer(request, me, task, project, status=refused.status, error=refused.message)
    finally:
        received.discard()
        schemas.discard_checked(checked)
    return await answer(request, me, task, project)


# ---- reading files


def disposition(kind: str, name: str) -> str:
    fallback = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def file_response(chunks: AsyncIterator[bytes], name: str, content_type: str, size: int | None) -> Stream:
    """A stored file: a raster image inline, everything else (SVG and HTML above all) as a download
    the browser may not sniff into something it runs."""
    inline = served_inline(content_type)
    headers = {
        "Content-Disposition": disposition("inline" if inline else "attachment", name),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, max-age=300",
    }
    if size is not None:
        headers["Content-Length"] = str(size)
    media_type = content_type if inline or content_type == "application/pdf" else "application/octet-stream"
    return Stream(chunks, media_type=media_type, headers=headers)


@get("/attachments/{attachment_id:int}")
async def download(request: Request[Any, Any, Any], attachment_id: FromPath[int]) -> Stream:
    attachment, _task, _project = await attachment_for(me_of(request), attachment_id)
    return file_response(
        storage().chunks(attachment["storage_key"]), attachment["name"], attachment["content_type"], attachment["size"]
    )


@get("/attachments/{attachment_id:int}/thumbnail")
async def thumbnail(request: Request[Any, Any, Any], attachment_id: FromPath[int]) -> Stream:
    attachment, _task, _project = await attachment_for(me_of(request), attachment_id)
    if not attachment["thumbnail_key"]:
        raise not_found()
    return file_response(storage().chunks(attachment["thumbnail_key"]), "thumbnail.webp", "image/webp", None)


async def email_of(attachment: Row) -> bytes:
    if attachment["kind"] != Kind.EMAIL:
        raise not_found()
    return await storage().read(attachment["storage_key"])


@get("/attachments/{attachment_id:int}/email", media_type=MediaType.HTML)
async def email_message(request: Request[Any, Any, Any], attachment_id: FromPath[int]) -> Response[Any]:
    """An .eml shown as a message: headers, text, the HTML body made inert, its own attachments."""
    attachment, _task, _project = await attachment_for(me_of(request), attachment_id)
    try:
        message = emails.parse(await email_of(attachment))
    except emails.BrokenEmail as error:
        raise NotFoundException(_("This email can no longer be read.")) from error
    parts = [{"part": part, "size_text": size_text(part.size)} for part in message.parts]
    html = render_fragment("attachments/_email.html", attachment=attachment, message=message, parts=parts)
    return Response(html, media_type=HTML)


@get("/attachments/{attachment_id:int}/parts/{part:int}")
async def email_part(request: Request[Any, Any, Any], attachment_id: FromPath[int], part: FromPath[int]) -> Stream:
    """One of an email's own attachments (numbered from 1), downloaded like any file."""
    attachment, _task, _project = await attachment_for(me_of(request), attachment_id)
    try:
        found = emails.part_of(await email_of(attachment), part - 1)
    except emails.BrokenEmail as error:
        raise not_found() from error
    if found is None:
        raise not_found()
    info, body = found

    async def chunks() -> AsyncIterator[bytes]:
        yield body

    return file_response(chunks(), info.name, info.content_type, len(body))


# ---- changing files


@post("/attachments/{attachment_id:int}/delete", status_code=200)
async def delete(request: Request[Any, Any, Any], attachment_id: FromPath[int]) -> Response[Any]:
    me = me_of(request)
    attachment, task, project = await attachment_for(me, attachment_id, remove=True)
    if project["archived"]:
        raise PermissionDeniedException(_("You can look at this project but not change it."))
    await remove_attachment(attachment, task, me, hub_of(request))
    return await answer(request, me, task, project)


async def managed(request: Request[Any, Any, Any], attachment_id: int) -> tuple[Actor, Row, Row, Row]:
    """An attachment whose card the agency may change (share, hide, make the cover)."""
    me = me_of(request)
    attachment, task, project = await attachment_for(me, attachment_id)
    if not can_work_on_project(me, await project_facts(me, project)) or task["archived"]:
        raise PermissionDeniedException(_("You can look at this project but not change it."))
    return me, attachment, task, project


@post("/attachments/{attachment_id:int}/visibility", status_code=200)
async def visibility(request: Request[Any, Any, Any], attachment_id: FromPath[int]) -> Response[Any]:
    me, attachment, task, project = await managed(request, attachment_id)
    form = Form(await request.form())
    chosen = form.choice("visibility", [v.value for v in Visibility])
    if not form.ok:
        error = _("Choose whether the client sees this file.")
        return await answer(request, me, task, project, status=422, error=error)
    if chosen != attachment["visibility"]:
        await set_attachment_visibility(attachment, task, me, Visibility(chosen), hub_of(request))
    return await answer(request, me, task, project)


@post("/attachments/{attachment_id:int}/cover", status_code=200)
async def cover(request: Request[Any, Any, Any], attachment_id: FromPath[int]) -> Response[Any]:
    """Make this image the card's cover on the board (cover=true), or take it off (cover=false)."""
    me, attachment, task, project = await managed(request, attachment_id)
    form = Form(await request.form())
    wanted = form.choice("cover", ("true", "false"))
    if form.ok and wanted == "true" and attachment["kind"] != Kind.IMAGE:
        form.error("cover", _("Only an image can be the card's cover."))
    if not form.ok:
        error = form.errors.get("cover") or _("Choose whether this image is the cover.")
        return await answer(request, me, task, project, status=422, error=error)
    current = await cover_of(task["id"])
    if wanted == "true" and current != attachment["id"]:
        await set_cover(attachment, task, me, hub_of(request))
    elif wanted == "false" and current == attachment["id"]:
        await set_cover(None, task, me, hub_of(request))
    return await answer(request, me, task, project)


ROUTES = [card_attachments, upload, download, thumbnail, email_message, email_part, delete, visibility, cover]
