"""The JSON API under /api/: projects, boards, columns and cards for scripts and integrations.

Same permissions as the pages (the same access helpers and writes, which announce every change to
open browsers); errors are problem details (RFC 9457) that name the offending field.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

import msgspec
from litestar import Request, Response, get, patch, post
from litestar.connection import ASGIConnection
from litestar.exceptions import HTTPException
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_409_CONFLICT

from server.boards import store as cards
from server.boards.card_store import description_of
from server.boards.schemas import CardChanges, CardMove, NewCard, card_values, new_card_title
from server.boards.writes import BoardError, StaleVersion, create_task, move_task, update_task
from server.kernel.access import not_found, project_for, task_for, visible_projects
from server.kernel.api_router import ERRORS, PROBLEM, Problem, api_router, invalid
from server.kernel.errors import problem
from server.kernel.i18n import _
from server.kernel.web import me_of
from server.realtime.hub import hub_of
from server.rules.policy import Actor
from server.rules.priority import by_priority

BoardOrder = Literal["rank", "priority"]

# What the API sends


class ProjectOut(msgspec.Struct):
    id: int
    key: str
    name: str
    client_id: int
    shared_with_client: bool
    archived: bool


class PersonOut(msgspec.Struct):
    id: int
    name: str


class LabelOut(msgspec.Struct):
    id: int
    name: str
    color: str


class CardOut(msgspec.Struct):
    id: int
    ref: str
    number: int
    column_id: int
    title: str
    rank: str
    version: int
    due_on: date | None
    estimate_minutes: int | None
    billable: bool
    archived: bool
    assignees: list[PersonOut]
    labels: list[LabelOut]
    checklist_done: int
    checklist_total: int
    comments: int
    internal: bool = False  # the agency's alone (a client never gets such a card)
    priority: str = "none"  # none, low, normal, high or urgent
    important: bool = False  # important for the client


class CardDetail(CardOut):
    project_id: int = 0
    description: str = ""


class ColumnOut(msgspec.Struct):
    id: int
    name: str
    rank: str
    wip_limit: int | None
    wip_strict: bool
    is_done: bool


class BoardColumnOut(ColumnOut):
    cards: list[CardOut] = msgspec.field(default_factory=list)


class BoardOut(msgspec.Struct):
    project: ProjectOut
    columns: list[BoardColumnOut]


class StaleProblem(Problem):
    card: CardDetail | msgspec.UnsetType = msgspec.UNSET


# Errors


class StaleCard(HTTPException):
    """Someone changed the card first: the answer carries the card as it is now."""

    status_code = HTTP_409_CONFLICT

    def __init__(self, detail: str, card: CardDetail) -> None:
        super().__init__(detail=detail)
        self.card = card


def stale_problem(request: Request[Any, Any, Any], exc: StaleCard) -> Response[Any]:
    return problem(409, str(exc.detail), card=msgspec.to_builtins(exc.card))


# Helpers


async def load_object(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
    """Guard: load the project or card a route names, for this user, before the body is read: what
    they may not see answers 404 (and what they may not change 403) whatever they sent."""
    me = connection.scope.get("user")
    assert isinstance(me, Actor), "the API requires a signed-in user"
    write = isinstance(connection, Request) and connection.method not in {"GET", "HEAD"}
    params = connection.path_params
    if "task_id" in params:
        connection.state.task, connection.state.project = await task_for(me, params["task_id"], write=write)
    elif "project_id" in params:
        connection.state.project = await project_for(me, params["project_id"], write=write)


def project_of(request: Request[Any, Any, Any]) -> dict[str, Any]:
    project: dict[str, Any] = request.state.project
    return project


def task_of(request: Request[Any, Any, Any]) -> dict[str, Any]:
    task: dict[str, Any] = request.state.task
    return task


def project_out(row: dict[str, Any]) -> ProjectOut:
    return ProjectOut(
        id=row["id"],
        key=row["key"],
        name=row["name"],
        client_id=row["client"],
        shared_with_client=row["shared_with_client"],
        archived=row["archived"],
    )


def card_fields(card: cards.CardView) -> dict[str, Any]:
    return {
        "id": card.id,
        "ref": card.ref,
        "number": card.number,
        "column_id": card.column_id,
        "title": card.title,
        "rank": card.rank,
        "version": card.version,
        "due_on": card.due_on,
        "estimate_minutes": card.estimate_minutes,
        "billable": card.billable,
        "archived": card.archived,
        "assignees": [PersonOut(p.id, p.name) for p in card.assignees],
        "labels": [LabelOut(label["id"], label["name"], label["color"]) for label in card.labels],
        "checklist_done": card.checklist_done,
        "checklist_total": card.checklist_total,
        "comments": card.comments,
        "internal": card.internal,
        "priority": card.priority.key,
        "important": card.important,
    }


def column_out(column: cards.ColumnView) -> ColumnOut:
    return ColumnOut(column.id, column.name, column.rank, column.wip_limit, column.wip_strict, column.is_done)


async def card_detail(me: Actor, project: dict[str, Any], task_id: int) -> CardDetail:
    card = await cards.card(project, task_id, client_view=me.is_client)
    description = await description_of(task_id)
    if card is None or description is None:
        raise not_found()
    return CardDetail(**card_fields(card), project_id=project["id"], description=description)


def board_refusal(error: BoardError) -> HTTPException:
    """A write the board refused for its state (a column gone, a WIP limit reached)."""
    exc = invalid("column_id", str(error))
    exc.status_code = error.status
    return exc


# Routes

STALE = ResponseSpec(
    data_container=StaleProblem,
    media_type="application/problem+json",
    description="Someone changed the card first; `card` is the card as it is now.",
)


@get("/projects", responses=ERRORS)
async def list_projects(request: Request[Any, Any, Any]) -> list[ProjectOut]:
    """The projects you may open."""
    return [project_out(row) for row in await visible_projects(me_of(request))]


@get("/projects/{project_id:int}/board", responses=ERRORS)
async def get_board(
    request: Request[Any, Any, Any], project_id: FromPath[int], sort: FromQuery[BoardOrder] = "rank"
) -> BoardOut:
    """The board: its live columns in order, each with its live cards in order (`sort=priority`:
    the most pressing first, then in the board's order; ranks are as stored either way)."""
    me = me_of(request)
    project = project_of(request)
    columns = await cards.board(project, client_view=me.is_client)
    if sort == "priority":
        for column in columns:
            column.cards = by_priority(column.cards)
    return BoardOut(
        project=project_out(project),
        columns=[
            BoardColumnOut(
                **msgspec.structs.asdict(column_out(c)),
                cards=[CardOut(**card_fields(card)) for card in c.cards],
            )
            for c in columns
        ],
    )


@get("/projects/{project_id:int}/columns", responses=ERRORS)
async def list_columns(request: Request[Any, Any, Any], project_id: FromPath[int]) -> list[ColumnOut]:
    project = project_of(request)
    return [column_out(c) for c in await cards.columns_of(project["id"])]


@post("/projects/{project_id:int}/tasks", responses={**ERRORS, 409: PROBLEM})
async def add_card(request: Request[Any, Any, Any], project_id: FromPath[int], data: JSONBody[NewCard]) -> CardDetail:
    """Add a card at the bottom of a column of this project."""
    me = me_of(request)
    project = project_of(request)
    title = new_card_title(data)
    try:
        task_id = await create_task(project, me, data.column_id, title, hub_of(request))
    except BoardError as error:
        raise board_refusal(error) from None
    return await card_detail(me, project, task_id)


@get("/tasks/{task_id:int}", responses=ERRORS)
async def get_card(request: Request[Any, Any, Any], task_id: FromPath[int]) -> CardDetail:
    me = me_of(request)
    task, project = task_of(request), project_of(request)
    return await card_detail(me, project, task["id"])


@patch("/tasks/{task_id:int}", responses={**ERRORS, 409: STALE})
async def edit_card(request: Request[Any, Any, Any], task_id: FromPath[int], data: JSONBody[CardChanges]) -> CardDetail:
    """Change the fields sent. A stale `version` answers 409 with the current card; nothing is written."""
    me = me_of(request)
    task, project = task_of(request), project_of(request)
    values = card_values(data)
    if values:
        try:
            await update_task(task, me, values, version=data.version, verb="edited", announcer=hub_of(request))
        except StaleVersion as error:
            raise StaleCard(str(error), await card_detail(me, project, task["id"])) from None
    elif data.version != task["version"]:
        raise StaleCard(_("Someone changed this card first."), await card_detail(me, project, task["id"]))
    return await card_detail(me, project, task["id"])


@post("/tasks/{task_id:int}/move", status_code=200, responses={**ERRORS, 409: STALE})
async def move_card(request: Request[Any, Any, Any], task_id: FromPath[int], data: JSONBody[CardMove]) -> CardDetail:
    """Move the card; one row is written. A stale `version` answers 409 with the current card."""
    me = me_of(request)
    task, project = task_of(request), project_of(request)
    try:
        await move_task(
            task,
            me,
            column_id=data.column_id,
            before_id=data.before_id,
            version=data.version,
            announcer=hub_of(request),
        )
    except StaleVersion as error:
        raise StaleCard(str(error), await card_detail(me, project, task["id"])) from None
    except BoardError as error:
        raise board_refusal(error) from None
    return await card_detail(me, project, task["id"])


router = api_router(
    [list_projects, get_board, list_columns, add_card, get_card, edit_card, move_card],
    tags=["API"],
    guards=[load_object],
    exception_handlers={StaleCard: stale_problem},
)

ROUTES = [router]
