"""The authorization matrix's lines for My work (assembled in tests/test_authorization_matrix.py).

My work is the agency's: every admin and member has one (their own cards, whatever the project); a
client's user is sent to their portal from the page and finds no sections route at all."""

from __future__ import annotations

from typing import Any

from tests.authz import Expect, Row, agency
from tests.conftest import Agency

ROWS: dict[str, Row] = {
    "GET /me": {**agency(200), "cleo": Expect(303, "/portal"), "cole": Expect(303, "/portal")},
    "GET /me/sections": agency(200),
}


async def values(agency: Agency, earlier: dict[str, Any]) -> dict[str, Any]:
    """No path parameters: My work is always the signed-in person's own."""
    return {}
