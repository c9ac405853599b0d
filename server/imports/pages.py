"""The admin's import pages: upload a Trello export or a time CSV into a project, see what it would
create (with every problem per row) and choose who is who and which column is what, confirm, watch
the worker apply it, read and download its report; and the board's exports (JSON, CSV of cards).
Nothing is written to the board until the admin confirms."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.imports import exports, jobs, store, timecsv, trello, writes
from server.imports.time_store import analyse
from server.kernel.access import admin_only, project_for
from server.kernel.forms import Form
from server.kernel.i18n import _
from server.kernel.web import me_of, render, see_other, tz_of
from server.rules.imports import MAX_UPLOAD_BYTES, ImportKind, ImportStatus, match_person

PREVIEW_CARDS = 200  # cards listed on the preview; the counts cover them all
PREVIEW_ROWS = 300
ENCODING_CHOICES = ("auto", *timecsv.ENCODINGS)

# The encodings a CSV may be read in, by their names (not translated: the names spreadsheets give them).
ENCODING_NAMES = {"utf-8": "UTF-8", "cp1251": "Windows-1251", "cp1258": "Windows-1258"}


def field_labels() -> dict[str, str]:
    """Each time field's name, in the reader's language."""
    return {
        "date": _("Date"),
        "person": _("Person"),
        "email": _("Email"),
        "task": _("Card (short link, number or title)"),
        "duration": _("Duration"),
        "start": _("Start time"),
        "end": _("End time"),
        "end_date": _("End date"),
        "note": _("Note"),
        "billable": _("Billable"),
    }


def unit_labels() -> dict[str, str]:
    return {"hours": _("Hours (7.5)"), "clock": _("Hours and minutes (1:30)"), "minutes": _("Minutes (90)")}


def _limit_text() -> str:
    return _("Up to %(n)s MB.", n=MAX_UPLOAD_BYTES // (1024 * 1024))


async def _start_page(request: Request[Any, Any, Any], project: dict[str, Any], errors: dict[str, str]) -> Template:
    return render(
        request,
        "imports/start.html",
        status_code=422 if errors else 200,
        nav="projects",
        project=project,
        runs=await store.runs_of(project["id"]),
        errors=errors,
        limit=_limit_text(),
        encodings=[("auto", _("Detect")), *((code, ENCODING_NAMES[code]) for code in timecsv.ENCODINGS)],
    )


@get("/projects/{project_id:int}/import", guards=[admin_only])
async def import_page(request: Request[Any, Any, Any], project_id: FromPath[int]) -> Template:
    project = await project_for(me_of(request), project_id)
    return await _start_page(request, project, {})


async def _upload(request: Request[Any, Any, Any]) -> tuple[bytes, str, dict[str, Any]]:
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        return b"", "", dict(form)
    raw = await upload.read(MAX_UPLOAD_BYTES + 1)
    return raw, upload.filename or "", dict(form)


@post(
    "/projects/{project_id:int}/import/trello",
    status_code=200,
    guards=[admin_only],
    request_max_body_size=MAX_UPLOAD_BYTES + 1024 * 1024,
)
async def upload_trello(request: Request[Any, Any, Any], project_id: FromPath[int]) -> Template | Redirect:
    project = await project_for(me_of(request), project_id)
    raw, filename, _fields = await _upload(request)
    if not raw:
        return await _start_page(request, project, {"trello": _("Choose the JSON file Trello exported.")})
    if len(raw) > MAX_UPLOAD_BYTES:
        return await _start_page(request, project, {"trello": _("The file is too large.") + " " + _limit_text()})
    try:
        trello.read(raw)
    except trello.NotATrelloExport as error:
        return await _start_page(request, project, {"trello": str(error)})
    run_id = await writes.new_run(
        project["id"], ImportKind.TRELLO, filename, raw.decode("utf-8-sig"), me_of(request).id
    )
    return see_other(f"/imports/{run_id}")


@post(
    "/projects/{project_id:int}/import/time",
    status_code=200,
    guards=[admin_only],
    request_max_body_size=MAX_UPLOAD_BYTES + 1024 * 1024,
)
async def upload_time(request: Request[Any, Any, Any], project_id: FromPath[int]) -> Template | Redirect:
    project = await project_for(me_of(request), project_id)
    raw, filename, fields = await _upload(request)
    if not raw:
        return await _start_page(request, project, {"time": _("Choose the CSV file your time tracker exported.")})
    if len(raw) > MAX_UPLOAD_BYTES:
        return await _start_page(request, project, {"time": _("The file is too large.") + " " + _limit_text()})
    encoding = fields.get("encoding") if fields.get("encoding") in ENCODING_CHOICES else "auto"
    try:
        sheet = timecsv.read(raw, str(encoding))
    except timecsv.UnreadableFile as error:
        return await _start_page(request, project, {"time": str(error)})
    run_id = await writes.new_run(project["id"], ImportKind.TIME, filename, sheet.text, me_of(request).id)
    await writes.save_mapping(run_id, {**timecsv.detect(sheet.headers).to_json(), "encoding": sheet.encoding})
    return see_other(f"/imports/{run_id}")


# ---- one run: preview and mapping, then progress and report ---------------------------------------


def _trello_preview(
    run: dict[str, Any], known: dict[tuple[str, str], Any], people: list[dict[str, Any]]
) -> dict[str, Any]:
    plan = trello.read(run["source"].encode())
    chosen = run["mapping"].get("people") or {}
    members = [
        {
            "member": m,
            "chosen": chosen.get(m.source_id, match_person(people, email=m.email, name=m.name, username=m.username)),
        }
        for m in plan.members
    ]
    new_cards = [c for c in plan.cards if ("card", c.source_id) not in known]
    return {
        "plan": plan,
        "members": members,
        "columns": {c.source_id: c.name for c in plan.columns},
        "labels": {x.source_id: x for x in plan.labels},
        "cards": plan.cards[:PREVIEW_CARDS],
        "new": {
            "columns": sum(("column", c.source_id) not in known for c in plan.columns),
            "labels": sum(("label", x.source_id) not in known for x in plan.labels),
            "cards": len(new_cards),
            "again": len(plan.cards) - len(new_cards),
            "checklist_items": sum(("item", i.source_id) not in known for c in plan.cards for i in c.items),
            "comments": sum(("comment", x.source_id) not in known for c in plan.cards for x in c.comments),
        },
        "known_cards": {source for kind, source in known if kind == "card"},
        "problems": [c for c in plan.cards if c.warnings],
    }


async def _time_preview(run: dict[str, Any], project: dict[str, Any], tz: str) -> dict[str, Any]:
    sheet = timecsv.read_text(run["source"], run["mapping"].get("encoding", "utf-8"))
    mapping = timecsv.Mapping.from_json(run["mapping"])
    missing = mapping.missing()
    plan = await analyse(project, sheet, mapping, tz) if not missing else None
    options = [("", "—"), *((h, h) for h in sheet.headers)]
    options += [(v, v) for v in mapping.columns.values() if " + " in v]
    return {
        "sheet": sheet,
        "mapping": mapping,
        "missing": [field_labels()[f] for f in missing],
        "time_plan": plan,
        "entries": plan.entries[:PREVIEW_ROWS] if plan else [],
        "header_options": options,
        "field_labels": field_labels(),
        "unit_options": list(unit_labels().items()),
    }


async def _run_page(
    request: Request[Any, Any, Any], run: dict[str, Any], project: dict[str, Any], errors: dict[str, str] | None = None
) -> Template:
    context: dict[str, Any] = {"run": run, "project": project, "nav": "projects", "errors": errors or {}}
    if run["status"] == ImportStatus.PREVIEW:
        if run["kind"] == ImportKind.TRELLO:
            people = await store.people()
            context |= _trello_preview(run, await store.imported(project["id"], "trello"), people)
            context["people_options"] = [("", _("Nobody (keep the Trello name)"))] + [
                (str(p["id"]), f"{p['name']} <{p['email']}>") for p in people
            ]
        else:
            context |= await _time_preview(run, project, tz_of(request))
    else:
        context["progress"] = await _progress(request, run)
    return render(request, "imports/run.html", status_code=422 if errors else 200, **context)


async def _progress(request: Request[Any, Any, Any], run: dict[str, Any]) -> int:
    if run["status"] == ImportStatus.DONE:
        return 100
    found = await jobs.progress_of(request.app.state.redis, request.app.state.settings.channel_namespace, run["id"])
    return found or 0


@get("/imports/{run_id:int}", guards=[admin_only])
async def run_page(request: Request[Any, Any, Any], run_id: FromPath[int]) -> Template:
    run, project = await store.run_for(me_of(request), run_id)
    return await _run_page(request, run, project)


@get("/imports/{run_id:int}/status", guards=[admin_only], media_type=MediaType.HTML)
async def run_status(request: Request[Any, Any, Any], run_id: FromPath[int]) -> Template:
    """The progress block alone, polled by the page while the worker runs the import."""
    run, project = await store.run_for(me_of(request), run_id)
    progress = await _progress(request, run)
    return render(request, "imports/_status.html", run=run, project=project, progress=progress)


@post("/imports/{run_id:int}/mapping", status_code=200, guards=[admin_only])
async def save_time_mapping(request: Request[Any, Any, Any], run_id: FromPath[int]) -> Template | Redirect:
    """The time CSV's columns as the admin chose them; the preview is drawn again with them."""
    run, project = await store.run_for(me_of(request), run_id)
    if run["kind"] != ImportKind.TIME or run["status"] != ImportStatus.PREVIEW:
        return see_other(f"/imports/{run_id}")
    form = Form(await request.form())
    headers = timecsv.read_text(run["source"]).headers
    current = timecsv.Mapping.from_json(run["mapping"])
    allowed = set(headers) | {v for v in current.columns.values() if " + " in v}
    columns = {}
    for name in timecsv.FIELDS:
        value = form.value(f"column_{name}")
        if value and value not in allowed:
            form.error(f"column_{name}", _("Choose one of the options."))
        elif value:
            columns[name] = value
    unit = form.choice("unit", timecsv.UNITS)
    if not form.ok:
        return await _run_page(request, run, project, form.errors)
    await writes.save_mapping(run_id, {**run["mapping"], "columns": columns, "unit": unit})
    return see_other(f"/imports/{run_id}")


@post("/imports/{run_id:int}/confirm", status_code=200, guards=[admin_only])
async def confirm(request: Request[Any, Any, Any], run_id: FromPath[int]) -> Template | Redirect:
    """The admin's go: who is who (Trello), then the worker applies the import in one transaction."""
    run, project = await store.run_for(me_of(request), run_id)
    if run["status"] != ImportStatus.PREVIEW:
        return see_other(f"/imports/{run_id}")
    form = Form(await request.form())
    mapping = dict(run["mapping"])
    if run["kind"] == ImportKind.TRELLO:
        plan = trello.read(run["source"].encode())
        people_ids = {p["id"] for p in await store.people()}
        chosen: dict[str, int | None] = {}
        for member in plan.members:
            person = form.id(f"person_{member.source_id}", required=False)
            if person is not None and person not in people_ids:
                form.error(f"person_{member.source_id}", _("Choose one of the options."))
            chosen[member.source_id] = person
        mapping["people"] = chosen
    elif missing := timecsv.Mapping.from_json(mapping).missing():
        form.error(
            "form", _("Choose the columns for: %(fields)s.", fields=", ".join(field_labels()[f] for f in missing))
        )
    if not form.ok:
        return await _run_page(request, run, project, form.errors)
    attempt = await writes.confirm(run_id, mapping)
    if attempt is not None:
        await jobs.enqueue(request.app.state.arq, run_id, attempt)
    return see_other(f"/imports/{run_id}")


@get("/imports/{run_id:int}/report.csv", guards=[admin_only])
async def report_file(request: Request[Any, Any, Any], run_id: FromPath[int]) -> Response[str]:
    run, _project = await store.run_for(me_of(request), run_id)
    return Response(
        exports.report_csv(run["report"]),
        media_type="text/csv",
        headers={"content-disposition": f'attachment; filename="import-{run_id}-report.csv"'},
    )


# ---- the board's exports -------------------------------------------------------------------------


@get("/projects/{project_id:int}/export.json", guards=[admin_only])
async def export_json(request: Request[Any, Any, Any], project_id: FromPath[int]) -> Response[dict[str, Any]]:
    project = await project_for(me_of(request), project_id)
    return Response(
        await exports.board_json(project),
        media_type=MediaType.JSON,
        headers={"content-disposition": f'attachment; filename="{project["key"].lower()}-board.json"'},
    )


@get("/projects/{project_id:int}/export.csv", guards=[admin_only])
async def export_csv(request: Request[Any, Any, Any], project_id: FromPath[int]) -> Response[str]:
    project = await project_for(me_of(request), project_id)
    return Response(
        await exports.cards_csv(project),
        media_type="text/csv",
        headers={"content-disposition": f'attachment; filename="{project["key"].lower()}-cards.csv"'},
    )


ROUTES = [
    import_page,
    upload_trello,
    upload_time,
    run_page,
    run_status,
    save_time_mapping,
    confirm,
    report_file,
    export_json,
    export_csv,
]
