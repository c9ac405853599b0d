"""The authorization matrix's lines for files on cards (assembled in
tests/test_authorization_matrix.py). The file asked for is an image max put on the ACME card, shared
with the client; what a client gets of an internal file is tests/attachments/test_access.py's."""

from __future__ import annotations

from typing import Any

from server.attachments.schemas import Checked, Upload
from server.attachments.storage import upload_dir
from server.attachments.writes import add_attachments
from server.boards.changes import Announcer, Silent
from server.rules.attachments import Decision, Kind, Visibility
from tests.attachments.files import png
from tests.authz import LOGIN, Expect, Row, project_page, project_work
from tests.conftest import Agency
from tests.factories import actor, task_row

ROWS: dict[str, Row] = {
    # The card dialog's list, and adding files (the client adds files too); an empty form is refused (422)
    "GET /tasks/{task_id:int}/attachments": project_page(200),
    "POST /tasks/{task_id:int}/attachments": project_page(422),
    # Reading a shared file: whoever sees the card
    "GET /attachments/{attachment_id:int}": project_page(200),
    "GET /attachments/{attachment_id:int}/thumbnail": project_page(200),
    # The image is no email: past the access check, there is no message to show
    "GET /attachments/{attachment_id:int}/email": project_page(404),
    "GET /attachments/{attachment_id:int}/parts/{part:int}": project_page(404),
    # Changing files: the agency (an empty form is refused); deleting: who added it (max) or an admin
    "POST /attachments/{attachment_id:int}/visibility": project_work(422),
    "POST /attachments/{attachment_id:int}/cover": project_work(422),
    "POST /attachments/{attachment_id:int}/delete": {
        "ada": Expect(303, "/tasks/"),
        "max": Expect(303, "/tasks/"),
        "mia": Expect(404),
        "cleo": Expect(403),
        "cole": Expect(404),
        "anonymous": LOGIN,
    },
}


async def stored_image(
    task_id: int,
    agency: Agency,
    who: str = "max",
    visibility: Visibility = Visibility.CLIENT,
    announcer: Announcer | None = None,
) -> int:
    """An image on the card as if `who` had uploaded it (stored, with its thumbnail)."""
    path = upload_dir() / f"matrix-{task_id}.png"
    path.write_bytes(png())
    thumb = upload_dir() / f"matrix-{task_id}-thumb.webp"
    thumb.write_bytes(b"RIFF\x00\x00\x00\x00WEBP")
    checked = Checked(
        Upload(name="hero.png", path=path, size=path.stat().st_size),
        "hero.png",
        Decision(Kind.IMAGE, "image/png"),
        thumbnail=thumb,
    )
    ids = await add_attachments(
        await task_row(task_id), actor(agency, who), [checked], visibility, announcer or Silent()
    )
    return ids[0]


async def values(agency: Agency, earlier: dict[str, Any]) -> dict[str, Any]:
    return {"attachment_id": await stored_image(earlier["task_id"], agency), "part": 1}
