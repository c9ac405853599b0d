"""The card dialog: one card's fields, people, labels, checklist, comments and history, shown over
the board at its own URL (/tasks/<id>), and every edit made from it. Each edit goes through a
`board_change`, so every open board redraws the card; the answer is the dialog's body again."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response, get, post
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath

from server.boards import live_store, store
from server.boards.card_store import Outcome, people_for
from server.boards.fragments import dialog_answer, dialog_html
from server.boards.schemas import read_card_fields, read_comment, typed_form
from server.boards.writes import (
    StaleVersion,
    add_checklist_item,
    add_comment,
    archive_task,
    create_label,
    move_checklist_item,
    remove_checklist_item,
    set_visibility,
    tick_checklist_item,
    toggle_assignee,
    toggle_label,
    update_task,
)
from server.kernel.access import checklist_item_for, project_facts, task_for
from server.kernel.forms import MAX_ID, Form
from server.kernel.i18n import _
from server.kernel.web import HTML, is_htmx, me_of, render
from server.notifications import writes as news
from server.realtime.hub import hub_of
from server.rules.policy import can_comment

# ---- the dialog --------------------------------------------------------------------------------


@get("/tasks/{task_id:int}", name="task", media_type=MediaType.HTML)
async def task_page(request: Request[Any, Any, Any], task_id: FromPath[int]) -> Any:
    """The dialog alone for htmx (only its body when htmx aims at the open dialog's body: the live
    refresh after someone else's edit); the board with the dialog open for a link or a reload."""
    me = me_of(request)
    _task, project = await task_for(me, task_id)
    if is_htmx(request):
        body_only = request.headers.get("hx-target") == "card-dialog-body"
        return Response(await dialog_html(me, task_id, project, Outcome(), whole=not body_only), media_type=HTML)
    context = await store.board_context(me, project)
    viewers = await live_store.viewers(hub_of(request), project["id"])
    dialog = await dialog_html(me, task_id, project, Outcome(), whole=True)
    return render(request, "boards/board.html", nav="projects", viewers=viewers, task_dialog=dialog, **context)


# ---- fields (versioned) ----------------------------------------------------------------------


async def edit_fields(
    request: Request[Any, Any, Any], task_id: int, form: Form, values: dict[Any, Any]
) -> Response[Any]:
    """Write the changed `values` unless the form had errors or came from a stale version."""
    me = me_of(request)
    task, project = await task_for(me, task_id, write=True)
    version = form.integer("version", minimum=1, maximum=MAX_ID, required=True)
    if not form.ok or version is None:
        return await dialog_answer(request, task_id, project, Outcome(422, form.errors, dict(form.raw)))
    changed = {column: value for column, value in values.items() if task[column._meta.name] != value}
    if not changed:
        return await dialog_answer(request, task_id, project)
    try:
        await update_task(task, me, changed, version=version, verb="edited", announcer=hub_of(request))
    except StaleVersion as error:
        return await dialog_answer(request, task_id, project, Outcome(409, alert=str(error)))
    return await dialog_answer(request, task_id, project)


@post("/tasks/{task_id:int}/title", status_code=200)
async def edit_title(request: Request[Any, Any, Any], task_id: FromPath[int]) -> Response[Any]:
    form = Form(await request.form())
    return await edit_fields(request, task_id, form, read_card_fields(form, "title"))


@post("/tasks/{task_id:int}/description", status_code=200)
async def edit_description(request: Request[Any, Any, Any], task_id: FromPath[int]) -> Response[Any]:
    me = me_of(request)
    before, _project = await task_for(me, task_id, write=True)
    form = typed_form(await request.form(), "description")
    response = await edit_fields(request, task_id, form, read_card_fields(form, "description"))
    if response.status_code == 200:  # people newly @mentioned hear of it
        task, project = await task_for(me, task_id)
        delivery = news.delivery_of(request)
        await news.description_edited(task, project, me, before["description"], task["description"], delivery)
    return response


@post("/tasks/{task_id:int}/fields", status_code=200)
async def edit_details(request: Request[Any, Any, Any], task_id: FromPath[int]) -> Response[Any]:
    """Due date, estimate and billable flag: the dialog's side panel, saved as one form."""
    form = Form(await request.form())
    return await edit_fields(request, task_id, form, read_card_fields(form, "due_on", "estimate", "billable"))


@post("/tasks/{task_id:int}/priority", status_code=200)
async def edit_priority(request: Request[Any, Any, Any], task_id: FromPath[int]) -> Response[Any]:
    """Priority and the "important for the client" mark: the dialog's priority block, saved as one form."""
    form = Form(await request.form())
    return await edit_fields(request, task_id, form, read_card_fields(form, "priority", "important"))


@post("/tasks/{task_id:int}/archived", status_code=200)
async def archive(request: Request[Any, Any, Any], task_id: FromPath[int]) -> Response[Any]:
    me = me_of(request)
    task, project = await task_for(me, task_id, write=True)
    form = Form(await request.form())
    archived = form.choice("archived", ("true", "false")) == "true"
    version = form.integer("version", minimum=1, maximum=MAX_ID, required=True)
    if not form.ok or version is None:
        return await dialog_answer(request, task_id, project, Outcome(422, form.errors, dict(form.raw)))
    if archived != task["archived"]:
        try:
            await archive_task(task, me, archived, version=version, announcer=hub_of(request))
        except StaleVersion as error:
            return await dialog_answer(request, task_id, project, Outcome(409, alert=str(error)))
    return await dialog_answer(request, task_id, project)


@post("/tasks/{task_id:int}/visibility", status_code=200)
async def visibility(request: Request[Any, Any, Any], task_id: FromPath[int]) -> Response[Any]:
    """Share the card with the client, or make it internal (the agency's alone)."""
    me = me_of(request)
    task, project = await task_for(me, task_id, write=True)
    form = Form(await request.form())
    internal = form.choice("internal", ("true", "false"))
    if not form.ok:
        errors = {"internal": _("Choose whether the client sees this card.")}
        return await dialog_answer(request, task_id, project, Outcome(422, errors))
    await set_visibility(task, me, internal == "true", hub_of(request))
    return await dialog_answer(request, task_id, project)


# ---- people and labels -------------------------------------------------------------------------


@post("/tasks/{task_id:int}/assignees", status_code=200)
async def assign(request: Request[Any, Any, Any], task_id: FromPath[int]) -> Response[Any]:
    """Assign or unassign one person (a project member or an admin)."""
    me = me_of(request)
    task, project = await task_for(me, task_id, write=True)
    form = Form(await request.form())
    person_id = form.id("person_id")
    people = {p.id: p for p in await people_for(project["id"])}
    if form.ok and person_id not in people:
        form.error("person_id", _("Only the project's members and admins can be assigned."))
    if not form.ok or person_id is None:
        return await dialog_answer(request, task_id, project, Outcome(422, form.errors))
    person = people[person_id]
    if await toggle_assignee(task, me, {"id": person.id, "name": person.name}, hub_of(request)):
        await news.card_assigned(task, project, me, person.id, news.delivery_of(request))
    return await dialog_answer(request, task_id, project)


@post("/tasks/{task_id:int}/labels", status_code=200)
async def label(request: Request[Any, Any, Any], task_id: FromPath[int]) -> Response[Any]:
    """Put one of the project's labels on the card, or take it off."""
    me = me_of(request)
    task, project = await task_for(me, task_id, write=True)
    form = Form(await request.form())
    label_id = form.id("label_id")
    found = None
    if label_id is not None:
        found = await store.label_of(project["id"], label_id)
        if found is None:
            form.error("label_id", _("That label is not on this board."))
    if not form.ok or found is None:
        return await dialog_answer(request, task_id, project, Outcome(422, form.errors))
    await toggle_label(task, me, found, hub_of(request))
    return await dialog_answer(request, task_id, project)


@post("/tasks/{task_id:int}/labels/new", status_code=200)
async def new_label(request: Request[Any, Any, Any], task_id: FromPath[int]) -> Response[Any]:
    me = me_of(request)
    task, project = await task_for(me, task_id, write=True)
    form = Form(await request.form())
    name = form.text("label_name", max_length=40)
    color = form.choice("label_color", store.LABEL_COLORS)
    if not form.ok:
        return await dialog_answer(request, task_id, project, Outcome(422, form.errors, dict(form.raw)))
    await create_label(task, me, name, color, hub_of(request))
    return await dialog_answer(request, task_id, project)


# ---- checklist ---------------------------------------------------------------------------------


@post("/tasks/{task_id:int}/checklist", status_code=200)
async def add_item(request: Request[Any, Any, Any], task_id: FromPath[int]) -> Response[Any]:
    me = me_of(request)
    task, project = await task_for(me, task_id, write=True)
    form = Form(await request.form())
    text = form.text("item_text", max_length=200)
    if not form.ok:
        return await dialog_answer(request, task_id, project, Outcome(422, form.errors, dict(form.raw)))
    await add_checklist_item(task, me, text, hub_of(request))
    return await dialog_answer(request, task_id, project)


@post("/checklist/{item_id:int}/done", status_code=200)
async def tick_item(request: Request[Any, Any, Any], item_id: FromPath[int]) -> Response[Any]:
    me = me_of(request)
    item, project = await checklist_item_for(me, item_id)
    form = Form(await request.form())
    done = form.choice("done", ("true", "false")) == "true"
    if not form.ok:
        return await dialog_answer(
            request, item["task"], project, Outcome(422, {"checklist": _("Tick or untick the item.")})
        )
    if done != item["done"]:
        await tick_checklist_item(item, me, done, hub_of(request))
    return await dialog_answer(request, item["task"], project)


@post("/checklist/{item_id:int}/move", status_code=200)
async def move_item(request: Request[Any, Any, Any], item_id: FromPath[int]) -> Response[Any]:
    """Put the item at `position` (0 = first) of its checklist: the up and down buttons and drag."""
    me = me_of(request)
    item, project = await checklist_item_for(me, item_id)
    form = Form(await request.form())
    position = form.integer("position", minimum=0, maximum=10_000, required=True)
    if not form.ok or position is None:
        return await dialog_answer(
            request, item["task"], project, Outcome(422, {"checklist": _("That move was not understood.")})
        )
    await move_checklist_item(item, me, position, hub_of(request))
    return await dialog_answer(request, item["task"], project)


@post("/checklist/{item_id:int}/delete", status_code=200)
async def delete_item(request: Request[Any, Any, Any], item_id: FromPath[int]) -> Response[Any]:
    me = me_of(request)
    item, project = await checklist_item_for(me, item_id)
    await remove_checklist_item(item, me, hub_of(request))
    return await dialog_answer(request, item["task"], project)


# ---- comments ----------------------------------------------------------------------------------


@post("/tasks/{task_id:int}/comments", status_code=200)
async def comment(request: Request[Any, Any, Any], task_id: FromPath[int]) -> Response[Any]:
    me = me_of(request)
    task, project = await task_for(me, task_id)
    if not can_comment(me, await project_facts(me, project)):
        raise PermissionDeniedException(_("You can look at this project but not change it."))
    if task["archived"]:
        raise PermissionDeniedException(_("This card is archived: restore it to comment."))
    form = typed_form(await request.form(), "body")
    written = read_comment(form, by_client=me.is_client)
    if not form.ok:
        return await dialog_answer(request, task_id, project, Outcome(422, form.errors, dict(form.raw)))
    comment_id = await add_comment(task, me, written.body, written.visibility, hub_of(request))
    delivery = news.delivery_of(request)
    await news.card_commented(task, project, me, comment_id, written.body, written.visibility, delivery)
    return await dialog_answer(request, task_id, project)


ROUTES = [
    task_page,
    edit_title,
    edit_description,
    edit_details,
    edit_priority,
    archive,
    visibility,
    assign,
    label,
    new_label,
    add_item,
    tick_item,
    move_item,
    delete_item,
    comment,
]
