"""The bell and its list (/notifications), marking read, each person's choices per kind, the one-click
unsubscribe of an email (no login: the link is signed), `@` suggestions on a card, and the admin's
outbox (/admin/outbox): every email Boardroom sent or would have sent."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from server.kernel.access import admin_only, not_found, task_for
from server.kernel.forms import Form
from server.kernel.i18n import _
from server.kernel.web import HTML, is_htmx, me_of, notice, render, see_other
from server.notifications import store, writes
from server.notifications.fragments import bell_html, ring
from server.notifications.schemas import read_choices
from server.rules.notifications import (
    KINDS_FOR,
    Channel,
    channel_label,
    channel_of,
    describe,
    kind_label,
    read_unsubscribe_token,
    suggestible,
)
from server.rules.visibility import client_sees

MAX_SUGGESTIONS = 8


# ---- the bell and the list ---------------------------------------------------------------------


@get("/notifications/bell", media_type=MediaType.HTML)
async def bell(request: Request[Any, Any, Any]) -> Response[str]:
    """The header's bell with the unread count (loaded by every page; then kept live by the socket)."""
    return Response(bell_html(await store.unread_count(me_of(request).id)), media_type=HTML)


async def _list(request: Request[Any, Any, Any], status_code: int = 200) -> Template:
    me = me_of(request)
    rows = await store.recent(me.id)
    items = [{**row, "sentence": describe(row["kind"], row["data"] or {})} for row in rows]
    context = {"items": items, "unread": await store.unread_count(me.id)}
    if is_htmx(request):
        return render(request, "notifications/_list.html", status_code=status_code, **context)
    return render(request, "notifications/index.html", status_code=status_code, nav="notifications", **context)


@get("/notifications", name="notifications")
async def notifications_page(request: Request[Any, Any, Any]) -> Template:
    return await _list(request)


async def _rang(request: Request[Any, Any, Any]) -> None:
    """Every page the person has open shows the new count."""
    me = me_of(request)
    await ring(writes.delivery_of(request).bells, [me.id], {me.id: me.locale})


@post("/notifications/{notification_id:int}/open")
async def open_notification(request: Request[Any, Any, Any], notification_id: FromPath[int]) -> Redirect:
    """Mark it read and go to what it is about."""
    me = me_of(request)
    row = await store.notification_of(me.id, notification_id)
    if row is None:
        raise not_found()
    await writes.mark_read(me.id, notification_id)
    await _rang(request)
    link = row["link"] if str(row["link"]).startswith("/") and not str(row["link"]).startswith("//") else "/"
    return see_other(link)


@post("/notifications/{notification_id:int}/read", status_code=200)
async def read_one(request: Request[Any, Any, Any], notification_id: FromPath[int]) -> Template | Redirect:
    me = me_of(request)
    if await store.notification_of(me.id, notification_id) is None:
        raise not_found()
    await writes.mark_read(me.id, notification_id)
    await _rang(request)
    return await _list(request) if is_htmx(request) else see_other("/notifications")


@post("/notifications/read-all", status_code=200)
async def read_all(request: Request[Any, Any, Any]) -> Template | Redirect:
    await writes.mark_all_read(me_of(request).id)
    await _rang(request)
    return await _list(request) if is_htmx(request) else see_other("/notifications")


# ---- choices per kind --------------------------------------------------------------------------


async def _settings(
    request: Request[Any, Any, Any], status_code: int = 200, errors: dict[str, str] | None = None
) -> Template:
    me = me_of(request)
    chosen = (await store.preferences_of([me.id])).get(me.id, {})
    rows = [
        {"kind": kind.value, "label": kind_label(kind), "channel": channel_of(chosen, kind).value}
        for kind in KINDS_FOR[me.role]
    ]
    channels = [(c.value, channel_label(c)) for c in (Channel.APP, Channel.EMAIL, Channel.OFF)]
    return render(
        request,
        "notifications/settings.html",
        status_code=status_code,
        nav="notifications",
        rows=rows,
        channels=channels,
        errors=errors or {},
    )


@get("/notifications/settings", name="notification-settings")
async def settings_page(request: Request[Any, Any, Any]) -> Template:
    return await _settings(request)


@post("/notifications/settings", status_code=200)
async def save_settings(request: Request[Any, Any, Any]) -> Template | Redirect:
    me = me_of(request)
    form = Form(await request.form())
    choices = read_choices(form, me)
    if not form.ok:
        return await _settings(request, 422, form.errors)
    await writes.choose(me.id, choices)
    notice(request, _("Your notification settings are saved."))
    return see_other("/notifications/settings")


# ---- one-click unsubscribe (from an email: no login; the token is signed) ------------------------


def _token_or_404(request: Request[Any, Any, Any], token: str) -> tuple[int, Any]:
    found = read_unsubscribe_token(request.app.state.settings.secret_key, token)
    if found is None:
        raise not_found()
    return found


@get("/unsubscribe/{signed:str}", exclude_from_auth=True, name="unsubscribe")
async def unsubscribe_page(request: Request[Any, Any, Any], signed: FromPath[str]) -> Template:
    """Says what the link stops, with the one button that stops it (a mail scanner opening the link
    changes nothing)."""
    _user_id, kind = _token_or_404(request, signed)
    return render(request, "notifications/unsubscribe.html", token=signed, kind_label=kind_label(kind), done=False)


@post(
    "/unsubscribe/{signed:str}",
    exclude_from_auth=True,
    exclude_from_csrf=True,  # RFC 8058: the mail client posts "List-Unsubscribe=One-Click" without a page
    status_code=200,
)
async def unsubscribe(request: Request[Any, Any, Any], signed: FromPath[str]) -> Template:
    user_id, kind = _token_or_404(request, signed)
    await writes.unsubscribe(user_id, kind)
    return render(request, "notifications/unsubscribe.html", token=signed, kind_label=kind_label(kind), done=True)


# ---- @ suggestions -------------------------------------------------------------------------------


@get("/tasks/{task_id:int}/mentions")
async def mention_candidates(
    request: Request[Any, Any, Any], task_id: FromPath[int], q: FromQuery[str] = ""
) -> list[Any]:
    """Who typing `@` may suggest on this card: the people who may see it, whose name starts a word
    with what was typed. A client is never offered anyone of an internal card (it is 404 to them)."""
    me = me_of(request)
    task, project = await task_for(me, task_id)
    audience = await store.audience_of(project)
    thing = store.thing_of(project, internal=task["internal"])
    viewer = next((store.person_of(r) for r in audience if r["id"] == me.id), None)
    if viewer is None:  # an admin or member outside the list cannot happen; a client always is in it
        return []
    allowed = set(suggestible(viewer, thing, [store.person_of(r) for r in audience], client_sees(project).people))
    typed = q.strip().casefold()[:100]
    found = [
        {"id": r["id"], "name": r["name"]}
        for r in audience
        if r["id"] in allowed
        and r["id"] != me.id
        and (not typed or any(word.startswith(typed) for word in [r["name"].casefold(), *r["name"].casefold().split()]))
    ]
    return found[:MAX_SUGGESTIONS]


# ---- the admin's outbox ----------------------------------------------------------------------------


@get("/admin/outbox", name="outbox", guards=[admin_only])
async def outbox(request: Request[Any, Any, Any]) -> Template:
    smtp = bool(request.app.state.settings.smtp_url)
    return render(request, "notifications/outbox.html", nav="outbox", mails=await store.outbox(), smtp=smtp)


@get("/admin/outbox/{mail_id:int}", guards=[admin_only])
async def outbox_mail(request: Request[Any, Any, Any], mail_id: FromPath[int]) -> Template:
    mail = await store.mail_row(mail_id)
    if mail is None:
        raise not_found()
    return render(request, "notifications/outbox_mail.html", nav="outbox", mail=mail)


@post("/admin/outbox/{mail_id:int}/send", guards=[admin_only])
async def send_again(request: Request[Any, Any, Any], mail_id: FromPath[int]) -> Redirect:
    """Queue a held or failed mail again (the worker's sweep sends it within seconds)."""
    if await store.mail_row(mail_id) is None:
        raise not_found()
    await writes.send_again(mail_id)
    notice(request, _("The email is queued again."))
    return see_other(f"/admin/outbox/{mail_id}")


ROUTES = [
    bell,
    notifications_page,
    open_notification,
    read_one,
    read_all,
    settings_page,
    save_settings,
    unsubscribe_page,
    unsubscribe,
    mention_candidates,
    outbox,
    outbox_mail,
    send_again,
]
