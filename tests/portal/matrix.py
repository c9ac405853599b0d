"""The authorization matrix's lines for the client review, portal and share-link routes, and values
for their path parameters (assembled in tests/test_authorization_matrix.py; a route without a line
fails there).

Deciding on a plan is the client's: the agency may see the sprint, so it gets 403 (not 404) when it
posts a decision. The matrix's sprint is this week's, empty and in draft: a submit is refused (409,
nothing to submit) and so is a decision (409, not in review), once past authorization."""

from __future__ import annotations

from typing import Any

from server.kernel.passwords import hash_password
from server.sprints.share_store import token_hash
from server.sprints.share_writes import new_token
from server.tables import ShareLink
from tests.authz import LOGIN, Expect, Row, admin_only, project_page, project_work, public
from tests.conftest import Agency
from tests.factories import weekly_sprint


def decision(status: int) -> Row:
    """Only the project's client's users decide; the agency may look (403), others may not (404)."""
    return {
        "ada": Expect(403),
        "max": Expect(403),
        "mia": Expect(404),
        "cleo": Expect(status),
        "cole": Expect(404),
        "anonymous": LOGIN,
    }


def clients_only(status: int) -> Row:
    """The portal is a client's users' own: to the agency it does not exist."""
    return {
        **dict.fromkeys(("ada", "max", "mia"), Expect(404)),
        "cleo": Expect(status),
        "cole": Expect(status),
        "anonymous": LOGIN,
    }


ROWS: dict[str, Row] = {
    # The review box (sprint page) and the board's badges
    "GET /sprints/{sprint_id:int}/review-box": project_page(200),
    "GET /projects/{project_id:int}/review-badges": project_page(200),
    # Review steps: an empty draft cannot be submitted (409), a draft cannot be decided on (409)
    "POST /sprints/{sprint_id:int}/submit": project_work(409),
    "POST /sprints/{sprint_id:int}/approve": decision(409),
    "POST /sprints/{sprint_id:int}/request-changes": decision(409),
    "GET /sprints/{sprint_id:int}/review": project_page(200),
    "GET /sprints/{sprint_id:int}/print": project_page(200),
    "POST /sprints/{sprint_id:int}/comments": project_page(422),  # the client comments too
    # The client portal
    "GET /portal": clients_only(200),
    "GET /portal/pending-count": clients_only(200),
    "GET /portal/projects/{project_id:int}/hours": project_page(200),
    # Share links: the admin's, and the public page (the matrix's link has a password)
    "GET /projects/{project_id:int}/share-links": admin_only(200),
    "POST /projects/{project_id:int}/share-links": admin_only(422),
    "POST /share-links/{link_id:int}/revoke": admin_only(Expect(303, "/projects/")),
    "GET /share/{token:str}": public(200),
    "POST /share/{token:str}": public(422),
}


async def values(agency: Agency, earlier: dict[str, Any]) -> dict[str, Any]:
    """This week's sprint of ACME, and a share link to the board with a password."""
    token = new_token()
    links = await ShareLink.insert(
        ShareLink(
            project=agency.acme_project,
            label="Acme board",
            token_hash=token_hash(token),
            password_hash=hash_password("open sesame"),
            created_by=agency.ada,
        )
    ).returning(ShareLink.id)
    return {"sprint_id": await weekly_sprint(agency.acme_project), "link_id": links[0]["id"], "token": token}
