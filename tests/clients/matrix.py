"""The authorization matrix's lines for the client and project routes (the project list, the
admin's client and project pages), and values for their path parameters (assembled in
tests/test_authorization_matrix.py; a route without a line fails there)."""

from __future__ import annotations

from typing import Any

from tests.authz import Expect, Row, admin_only, signed_in
from tests.conftest import Agency

ROWS: dict[str, Row] = {
    "GET /projects": signed_in(200),
    # Agency administration
    "GET /admin/clients": admin_only(200),
    "POST /admin/clients": admin_only(422),
    "GET /admin/clients/new": admin_only(200),
    "GET /admin/clients/{client_id:int}": admin_only(200),
    "POST /admin/clients/{client_id:int}": admin_only(422),
    "POST /admin/clients/{client_id:int}/archived": admin_only(Expect(303, "/admin/clients")),
    "POST /admin/projects": admin_only(422),
    "GET /admin/projects/new": admin_only(200),
    "GET /admin/projects/{project_id:int}": admin_only(200),
    "POST /admin/projects/{project_id:int}": admin_only(422),
    "POST /admin/projects/{project_id:int}/archived": admin_only(Expect(303, "/admin/projects/")),
    "POST /admin/projects/{project_id:int}/members": admin_only(422),
    "POST /admin/projects/{project_id:int}/members/{membership_id:int}/remove": admin_only(
        Expect(303, "/admin/projects/")
    ),
}


async def values(agency: Agency, earlier: dict[str, Any]) -> dict[str, Any]:
    """The ACME project (every feature's routes use it), its client Acme and max's membership."""
    return {"project_id": agency.acme_project, "client_id": agency.acme, "membership_id": agency.max_on_acme}
