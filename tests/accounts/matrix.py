"""The authorization matrix's lines for the account routes (home, sign-in, profile, personal API
tokens, the admin's user pages), and values for their path parameters (assembled in
tests/test_authorization_matrix.py; a route without a line fails there)."""

from __future__ import annotations

from typing import Any

from server.accounts.writes import create_token
from server.tables import ApiToken
from tests.authz import Expect, Row, admin_only, public, signed_in
from tests.conftest import Agency

ROWS: dict[str, Row] = {
    "GET /": {**signed_in(Expect(303, "/me")), "cleo": Expect(303, "/portal"), "cole": Expect(303, "/portal")},
    "GET /login": public(Expect(303, "/"), anonymous=200),
    "POST /login": public(422),
    "POST /logout": signed_in(Expect(303, "/login")),
    "POST /language": public(422),  # the empty form names no language; visitors may choose too
    "GET /profile": signed_in(200),
    "POST /profile/password": signed_in(422),
    # Personal API tokens (profile page): max's token is nobody else's to revoke
    "GET /profile/tokens": signed_in(200),
    "POST /profile/tokens": signed_in(422),
    "POST /profile/tokens/{token_id:int}/revoke": {
        **signed_in(404),
        "max": Expect(303, "/profile"),
    },
    # Agency administration
    "GET /admin/users": admin_only(200),
    "POST /admin/users": admin_only(422),
    "GET /admin/users/new": admin_only(200),
    "GET /admin/users/{user_id:int}": admin_only(200),
    "POST /admin/users/{user_id:int}": admin_only(422),
    "POST /admin/users/{user_id:int}/active": admin_only(Expect(303, "/admin/users")),
    "POST /admin/users/{user_id:int}/password": admin_only(422),
    "POST /admin/users/{user_id:int}/cost": admin_only(Expect(303, "/admin/users/")),  # empty: no cost rate
}


async def values(agency: Agency, earlier: dict[str, Any]) -> dict[str, Any]:
    """max, and a personal API token of his."""
    await create_token(agency.max, "max's script")
    token = await ApiToken.select(ApiToken.id).where(ApiToken.owner == agency.max).first()
    assert token is not None
    return {"user_id": agency.max, "token_id": token["id"]}
