"""Share links: an admin makes a read-only link to this week's plan (shown once, kept as a hash),
optionally with a password and a last day, and revokes it; the public page shows what a client
user sees of the plan, and every view is logged. A bad, expired or revoked link is a plain 404."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from server.sprints.share_store import token_hash
from server.tables import ShareLink, ShareView
from tests.conftest import Agency, Browser
from tests.factories import today
from tests.portal.conftest import Planned


async def make_link(ada: Browser, project_id: int, **fields: str) -> str:
    response = await ada.post(f"/projects/{project_id}/share-links", {"label": "Acme board", **fields})
    assert response.status_code == 200, response.text
    match = re.search(r'id="new-share-url" type="text" readonly value="([^"]+)"', response.text)
    assert match, "the new link is shown once"
    return "/share/" + match.group(1).rsplit("/share/", 1)[1]


async def test_ada_makes_a_link_and_only_its_hash_is_kept(agency: Agency, planned: Planned, as_user: Any) -> None:
    ada = await as_user("ada")
    path = await make_link(ada, agency.acme_project)
    token = path.removeprefix("/share/")
    assert len(token) >= 32
    row = await ShareLink.select().where(ShareLink.project == agency.acme_project).first()
    assert row is not None and row["token_hash"] == token_hash(token) and token not in str(row)
    listing = await ada.get(f"/projects/{agency.acme_project}/share-links")
    assert "Acme board" in listing.text and token not in listing.text


async def test_a_link_needs_a_label_and_a_sane_password_and_day(agency: Agency, as_user: Any) -> None:
    ada = await as_user("ada")
    bad = [
        ({"label": ""}, "label"),
        ({"label": "x", "password": "short"}, "password"),
        ({"label": "x", "expires_on": "yesterday"}, "expires_on"),
        ({"label": "x", "expires_on": (today() - timedelta(days=1)).isoformat()}, "expires_on"),
    ]
    for fields, field in bad:
        response = await ada.post(f"/projects/{agency.acme_project}/share-links", fields)
        assert response.status_code == 422, fields
        assert f'id="e-{field}"' in response.text, fields
    assert not await ShareLink.exists().where(ShareLink.project == agency.acme_project)


async def test_anyone_with_the_link_sees_the_plan_and_each_view_is_logged(
    agency: Agency, planned: Planned, as_user: Any, browser: Browser
) -> None:
    ada = await as_user("ada")
    from server.tables import Comment

    await Comment.insert(
        Comment(sprint=planned.sprint_id, author=agency.max, body="Margins thin", visibility="internal")
    )
    path = await make_link(ada, agency.acme_project)
    for _ in range(2):
        page = await browser.get(path)
        assert page.status_code == 200
        assert "Homepage hero copy" in page.text and "Launch the new homepage" in page.text
    assert "Margins thin" not in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "noindex" in page.headers["x-robots-tag"] and 'name="robots" content="noindex' in page.text
    link = await ShareLink.select().where(ShareLink.project == agency.acme_project).first()
    assert link is not None and link["view_count"] == 2 and link["last_viewed_at"] is not None
    assert await ShareView.count().where(ShareView.link == link["id"]) == 2


async def test_a_password_protected_link_asks_first_then_remembers(
    agency: Agency, planned: Planned, as_user: Any, browser: Browser
) -> None:
    path = await make_link(await as_user("ada"), agency.acme_project, password="open sesame")
    first = await browser.get(path)
    assert first.status_code == 200 and "Homepage hero copy" not in first.text
    wrong = await browser.post(path, {"password": "guess"})
    assert wrong.status_code == 422 and "That password is not right." in wrong.text
    right = await browser.post(path, {"password": "open sesame"})
    assert right.status_code == 303
    assert "httponly" in right.headers["set-cookie"].lower()
    page = await browser.get(path)
    assert "Homepage hero copy" in page.text
    assert await ShareView.count() == 1  # the password form is not a view of the plan


async def test_guessing_a_link_s_password_is_stopped_after_five_tries(
    agency: Agency, planned: Planned, as_user: Any, browser: Browser
) -> None:
    path = await make_link(await as_user("ada"), agency.acme_project, password="open sesame")
    await browser.get(path)
    answers = [(await browser.post(path, {"password": f"guess {n}"})).status_code for n in range(5)]
    assert answers == [422] * 5
    refused = await browser.post(path, {"password": "open sesame"})
    assert refused.status_code == 429 and "Too many failed attempts" in refused.text
    assert "Homepage hero copy" not in (await browser.get(path)).text


async def test_revoked_expired_and_unknown_links_are_the_same_404(
    agency: Agency, planned: Planned, as_user: Any, browser: Browser
) -> None:
    ada = await as_user("ada")
    revoked = await make_link(ada, agency.acme_project)
    expired = await make_link(ada, agency.acme_project, expires_on=today().isoformat())
    link = await ShareLink.select(ShareLink.id).where(ShareLink.token_hash == token_hash(revoked[7:])).first()
    assert link is not None
    response = await ada.post(f"/share-links/{link['id']}/revoke")
    assert response.status_code == 303
    await ShareLink.update({ShareLink.expires_on: today() - timedelta(days=1)}).where(
        ShareLink.token_hash == token_hash(expired[7:])
    )
    answers = [await browser.get(p) for p in (revoked, expired, "/share/not-a-real-token")]
    assert [a.status_code for a in answers] == [404, 404, 404]
    assert answers[0].text == answers[1].text == answers[2].text  # nothing tells which
    assert await ShareView.count() == 0


async def test_only_admins_manage_links(agency: Agency, as_user: Any) -> None:
    for name in ("max", "cleo"):
        client = await as_user(name)
        assert (await client.get(f"/projects/{agency.acme_project}/share-links")).status_code == 404
        response = await client.post(f"/projects/{agency.acme_project}/share-links", {"label": "mine"})
        assert response.status_code == 404
    assert not await ShareLink.exists()
