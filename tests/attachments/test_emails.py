"""A client's email dropped on a card: kept as a message, shown inert, its own files downloadable."""

from __future__ import annotations

from typing import Any

from server.tables import Attachment
from tests.attachments.files import EML, upload
from tests.conftest import Agency
from tests.factories import add_card


async def test_an_eml_is_shown_as_a_message_with_nothing_active(agency: Agency, as_user: Any) -> None:
    card = await add_card(agency.acme_project, "Homepage brief")
    max_ = await as_user("max")
    response = await upload(max_, card, ("brief.eml", EML), visibility="client")
    assert response.status_code == 200, response.text
    row = await Attachment.select().first()
    assert row is not None and row["kind"] == "email" and row["content_type"] == "message/rfc822"
    # The list shows its subject and sender without opening it.
    assert "The brief for the homepage" in response.text and "ann@acme.test" in response.text
    for who in ("max", "cleo"):
        shown = await (await as_user(who)).get(f"/attachments/{row['id']}/email")
        assert shown.status_code == 200
        html = shown.text
        assert "The brief for the homepage" in html and "Ann Client" in html and "<b>Max</b>" in html
        for active in ("<script", "alert(", "onmouseover", "javascript:", "<iframe", "<style", "tracker.test"):
            assert active not in html, active
        assert "notes.txt" in html
    part = await max_.get(f"/attachments/{row['id']}/parts/1")
    assert part.status_code == 200 and part.content.strip() == b"Colours: navy and gold."
    assert part.headers["content-disposition"].startswith("attachment;")
    assert part.headers["x-content-type-options"] == "nosniff"
    assert (await max_.get(f"/attachments/{row['id']}/parts/2")).status_code == 404
    # The file itself downloads as it was sent.
    original = await max_.get(f"/attachments/{row['id']}")
    assert original.content == EML and original.headers["content-disposition"].startswith("attachment;")
