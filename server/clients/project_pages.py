"""Projects: the list a user may see, and the admin's project settings and team."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.accounts.store import client_options
from server.clients.schemas import already_on_team, key_taken, read_membership_form, read_project_form
from server.clients.store import client_currency, member_counts, team_candidates, team_of
from server.clients.writes import add_to_team, create_project, remove_from_team, set_project_archived, update_project
from server.kernel.access import admin_only, not_found, project_for, visible_projects
from server.kernel.forms import Form
from server.kernel.i18n import _
from server.kernel.revocations import revoke
from server.kernel.web import me_of, notice, render, see_other
from server.rules.burn import stored_thresholds, thresholds_text


@get("/projects", name="projects")
async def project_list(request: Request[Any, Any, Any]) -> Template:
    projects = await visible_projects(me_of(request))
    counts = await member_counts([p["id"] for p in projects])
    return render(request, "projects/index.html", projects=projects, member_counts=counts)


def _form_values(project: dict[str, Any]) -> dict[str, Any]:
    """The project as its form shows it: an unset rate or budget is empty, but 0 stays 0."""
    blank_if_none = {
        name: "" if project[name] is None else project[name]
        for name in ("hourly_rate", "budget_hours", "budget_amount", "budget_ends_on", "weekly_capacity_hours")
    }
    blank_if_none["fixed_fee"] = "" if project.get("fixed_fee") is None else project["fixed_fee"]
    blank_if_none["budget_thresholds"] = thresholds_text(stored_thresholds(project.get("budget_thresholds")))
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
        members = await team_of(project["id"]) if project is not None else []
        candidates = await team_candidates(members) if project is not None else []
        return render(
            request,
            "admin/project_form.html",
            status_code=status,
            project=project,
            form=form,
            errors=errors,
            client_options=await client_options(),
            members=members,
            candidates=candidates,
            candidate_options=[(c["id"], f"{c['name']} · {c['email']}") for c in candidates],
            currency=await client_currency(project["client"]) if project is not None else "",
        )

    @get("/new", name="admin-project-new")
    async def new(self, request: Request[Any, Any, Any]) -> Template:
        return await self._form_page(request, None, {}, {})

    @post("/", status_code=200)
    async def create(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        form = Form(await request.form())
        data = await read_project_form(form)
        project_id = await create_project(data) if form.ok else None
        if form.ok and project_id is None:
            key_taken(form)
        if not form.ok:
            return await self._form_page(request, None, dict(form.raw), form.errors, 422)
        notice(request, _("Project %(name)s created. Add its team below.", name=data.name))
        return see_other(f"/admin/projects/{project_id}")

    @get("/{project_id:int}")
    async def edit(self, request: Request[Any, Any, Any], project_id: FromPath[int]) -> Template:
        project = await project_for(me_of(request), project_id)
        return await self._form_page(request, project, _form_values(project), {})

    @post("/{project_id:int}", status_code=200)
    async def update(self, request: Request[Any, Any, Any], project_id: FromPath[int]) -> Template | Redirect:
        project = await project_for(me_of(request), project_id)
        form = Form(await request.form())
        data = await read_project_form(form, project_id=project_id)
        if form.ok and not await update_project(project_id, data):
            key_taken(form)
        if not form.ok:
            return await self._form_page(request, project, dict(form.raw), form.errors, 422)
        revoke(request, boards=[project_id])  # unshared from its client (or moved to another): their sockets close
        notice(request, _("Saved."))
        return see_other(f"/admin/projects/{project_id}")

    @post("/{project_id:int}/archived", status_code=200)
    async def set_archived(self, request: Request[Any, Any, Any], project_id: FromPath[int]) -> Redirect:
        await project_for(me_of(request), project_id)
        archived = Form(await request.form()).boolean("archived")
        await set_project_archived(project_id, archived)
        if archived:
            revoke(request, boards=[project_id])  # the client's people no longer see it: their sockets close
        notice(request, _("Archived.") if archived else _("Restored."))
        return see_other(f"/admin/projects/{project_id}")

    @post("/{project_id:int}/members", status_code=200)
    async def add_member(self, request: Request[Any, Any, Any], project_id: FromPath[int]) -> Template | Redirect:
        project = await project_for(me_of(request), project_id)
        form = Form(await request.form())
        data = await read_membership_form(form, project_id)
        if form.ok and not await add_to_team(project_id, data):
            already_on_team(form)
        if not form.ok:
            return await self._form_page(request, project, _form_values(project), form.errors, 422)
        notice(request, _("Added to the team."))
        return see_other(f"/admin/projects/{project_id}#team")

    @post("/{project_id:int}/members/{membership_id:int}/remove", status_code=200)
    async def remove_member(
        self, request: Request[Any, Any, Any], project_id: FromPath[int], membership_id: FromPath[int]
    ) -> Redirect:
        if not await remove_from_team(project_id, membership_id):
            raise not_found()
        revoke(request, boards=[project_id])  # the person's sockets on this board close
        notice(request, _("Removed from the team."))
        return see_other(f"/admin/projects/{project_id}#team")


ROUTES = [project_list, ProjectAdmin]
