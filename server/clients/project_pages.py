"""Projects: the list a user may see, and the admin's project settings and memberships."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from piccolo.query.functions.aggregate import Count

from server.boards.writes import create_default_columns
from server.kernel.access import admin_only, not_found, project_for, visible_projects
from server.kernel.db import is_unique_violation, values_of
from server.kernel.forms import MAX_ID, Form
from server.kernel.i18n import _
from server.kernel.web import actor_of, me_of, notice, render, see_other
from server.rules.policy import Role
from server.tables import Client, Membership, Project, User

KEY = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")


@get("/", name="home")
async def home(request: Request[Any, Any, Any]) -> Redirect:
    me = actor_of(request)
    return see_other("/portal" if me is not None and me.is_client else "/projects")


@get("/projects", name="projects")
async def project_list(request: Request[Any, Any, Any]) -> Template:
    me = actor_of(request)
    assert me is not None
    projects = await visible_projects(me)
    member_counts = {
        row["project"]: row["count"]
        for row in await Membership.select(Membership.project, Count(Membership.id, alias="count"))
        .where(Membership.project.is_in([p["id"] for p in projects] or [0]))
        .group_by(Membership.project)
    }
    return render(request, "projects/index.html", projects=projects, member_counts=member_counts)


@dataclass
class ProjectInput:
    client: int | None
    name: str
    key: str
    hourly_rate: Decimal | None
    budget_hours: int | None
    shared_with_client: bool
    weekly_capacity_hours: int | None


async def read_project_form(form: Form, *, project_id: int | None = None) -> ProjectInput:
    data = ProjectInput(
        client=form.id("client"),
        name=form.text("name", max_length=100),
        key=form.text("key", max_length=10).upper(),
        hourly_rate=form.money("hourly_rate"),
        budget_hours=form.integer("budget_hours", maximum=1_000_000),
        shared_with_client=form.boolean("shared_with_client"),
        weekly_capacity_hours=form.integer("weekly_capacity_hours", maximum=168),
    )
    if data.client is not None and not await Client.exists().where(Client.id == data.client):
        form.error("client", _("Choose one of the options."))
    if data.key and "key" not in form.errors:
        if not KEY.match(data.key):
            form.error("key", _("Use 2 to 10 capital letters or digits, starting with a letter, like ACME."))
        else:
            taken = Project.select(Project.id).where(Project.key == data.key)
            if project_id is not None:
                taken = taken.where(Project.id != project_id)
            if await taken.first():
                form.error("key", _("Another project already uses this key."))
    return data


def _form_values(project: dict[str, Any]) -> dict[str, Any]:
    """The project as its form shows it: an unset rate or budget is empty, but 0 stays 0."""
    blank_if_none = {
        name: "" if project[name] is None else project[name]
        for name in ("hourly_rate", "budget_hours", "weekly_capacity_hours")
    }
    return {**project, **blank_if_none}


class ProjectAdmin(Controller):
    path = "/admin/projects"
    guards = [admin_only]

    async def _form_page(
        self,
        request: Request[Any, Any, Any],
        project: dict[str, Any] | None,
        form: dict[str, Any],
        errors: dict[str, str],
        status: int = 200,
    ) -> Template:
        clients = await Client.select(Client.id, Client.name).where(Client.archived.eq(False)).order_by(Client.name)
        members: list[dict[str, Any]] = []
        candidates: list[dict[str, Any]] = []
        if project is not None:
            members = (
                await Membership.select(
                    Membership.id,
                    Membership.hourly_rate,
                    Membership.member.id.as_alias("user_id"),
                    Membership.member.name.as_alias("name"),
                    Membership.member.email.as_alias("email"),
                )
                .where(Membership.project == project["id"])
                .order_by(Membership.member.name)
            )
            taken = [m["user_id"] for m in members] or [0]
            candidates = (
                await User.select(User.id, User.name, User.email)
                .where(User.role.is_in([Role.ADMIN, Role.MEMBER]) & User.active.eq(True) & User.id.not_in(taken))
                .order_by(User.name)
            )
        return render(
            request,
            "admin/project_form.html",
            status_code=status,
            project=project,
            form=form,
            errors=errors,
            client_options=[(c["id"], c["name"]) for c in clients],
            members=members,
            candidates=candidates,
            candidate_options=[(c["id"], f"{c['name']} · {c['email']}") for c in candidates],
        )

    @get("/new", name="admin-project-new")
    async def new(self, request: Request[Any, Any, Any]) -> Template:
        return await self._form_page(request, None, {}, {})

    @post("/", status_code=200)
    async def create(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        form = Form(await request.form())
        data = await read_project_form(form)
        if form.ok:
            try:
                rows = await Project.insert(Project(**values_of(data))).returning(Project.id)
            except Exception as error:
                if not is_unique_violation(error):
                    raise
                form.error("key", _("Another project already uses this key."))
        if not form.ok:
            return await self._form_page(request, None, dict(form.raw), form.errors, 422)
        await create_default_columns(rows[0]["id"])
        notice(request, _("Project %(name)s created. Add its team below.", name=data.name))
        return see_other(f"/admin/projects/{rows[0]['id']}")

    @get("/{project_id:int}")
    async def edit(self, request: Request[Any, Any, Any], project_id: FromPath[int]) -> Template:
        project = await project_for(me_of(request), project_id)
        return await self._form_page(request, project, _form_values(project), {})

    @post("/{project_id:int}", status_code=200)
    async def update(self, request: Request[Any, Any, Any], project_id: FromPath[int]) -> Template | Redirect:
        project = await project_for(me_of(request), project_id)
        form = Form(await request.form())
        data = await read_project_form(form, project_id=project_id)
        if form.ok:
            try:
                await Project.update(values_of(data)).where(Project.id == project_id)
            except Exception as error:
                if not is_unique_violation(error):
                    raise
                form.error("key", _("Another project already uses this key."))
        if not form.ok:
            return await self._form_page(request, project, dict(form.raw), form.errors, 422)
        notice(request, _("Saved."))
        return see_other(f"/admin/projects/{project_id}")

    @post("/{project_id:int}/archived", status_code=200)
    async def set_archived(self, request: Request[Any, Any, Any], project_id: FromPath[int]) -> Redirect:
        await project_for(me_of(request), project_id)
        archived = Form(await request.form()).boolean("archived")
        await Project.update({Project.archived: archived}).where(Project.id == project_id)
        notice(request, _("Archived.") if archived else _("Restored."))
        return see_other(f"/admin/projects/{project_id}")

    @post("/{project_id:int}/members", status_code=200)
    async def add_member(self, request: Request[Any, Any, Any], project_id: FromPath[int]) -> Template | Redirect:
        project = await project_for(me_of(request), project_id)
        form = Form(await request.form())
        user_id = form.id("user")
        rate = form.money("member_rate")
        if user_id is not None and not await User.exists().where(
            (User.id == user_id) & User.role.is_in([Role.ADMIN, Role.MEMBER]) & User.active.eq(True)
        ):
            form.error("user", _("Choose one of the options."))
        elif user_id is not None and await Membership.exists().where(
            (Membership.project == project_id) & (Membership.member == user_id)
        ):
            form.error("user", _("Already on this project."))
        if form.ok:
            try:
                await Membership.insert(Membership(project=project_id, member=user_id, hourly_rate=rate))
            except Exception as error:  # the same person added twice at once: the unique index decides
                if not is_unique_violation(error):
                    raise
                form.error("user", _("Already on this project."))
        if not form.ok:
            return await self._form_page(request, project, _form_values(project), form.errors, 422)
        notice(request, _("Added to the team."))
        return see_other(f"/admin/projects/{project_id}#team")

    @post("/{project_id:int}/members/{membership_id:int}/remove", status_code=200)
    async def remove_member(
        self, request: Request[Any, Any, Any], project_id: FromPath[int], membership_id: FromPath[int]
    ) -> Redirect:
        # Both ids must match: a membership id under another project's URL is not found.
        in_range = 0 < membership_id <= MAX_ID and 0 < project_id <= MAX_ID
        deleted = in_range and (
            await Membership.delete()
            .where((Membership.id == membership_id) & (Membership.project == project_id))
            .returning(Membership.id)
        )
        if not deleted:
            raise not_found()
        notice(request, _("Removed from the team."))
        return see_other(f"/admin/projects/{project_id}#team")


ROUTES = [home, project_list, ProjectAdmin]
