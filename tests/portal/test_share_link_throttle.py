"""A share link's password is counted per link, whatever address the guesses come from."""

from __future__ import annotations

from typing import Any

from server.accounts.auth import ACCOUNT_MAX_FAILURES
from tests.accounts.test_throttle_by_account import from_address
from tests.conftest import Agency
from tests.portal.conftest import Planned
from tests.portal.test_share_links import make_link


async def test_a_share_links_password_is_counted_per_link_whatever_the_address(
    app: Any, agency: Agency, planned: Planned, as_user: Any
) -> None:
    path = await make_link(await as_user("ada"), agency.acme_project, password="open sesame")
    for n in range(ACCOUNT_MAX_FAILURES):
        guesser = from_address(app, f"203.0.113.{n + 1}")
        await guesser.get(path)
        assert (await guesser.post(path, {"password": f"guess {n}"})).status_code == 422
        await guesser.aclose()
    visitor = from_address(app, "198.51.100.7")
    await visitor.get(path)
    refused = await visitor.post(path, {"password": "open sesame"})
    assert refused.status_code == 429 and "Too many failed attempts" in refused.text
    await visitor.aclose()
