"""Files on cards through the real app: upload (one or several), thumbnail, cover on the board,
download, delete; and bad input refused with nothing stored."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from server.attachments.storage import files_dir, upload_dir
from server.tables import Activity, Attachment, Task
from tests.attachments.files import PDF, png, upload
from tests.conftest import Agency
from tests.factories import add_card


def stored_files() -> set[Path]:
    root = files_dir()
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def leftovers() -> list[Path]:
    return list(upload_dir().iterdir())


@pytest.fixture
async def card(agency: Agency) -> int:
    return await add_card(agency.acme_project, "Homepage mock-ups")


async def test_max_uploads_an_image_and_sees_it_with_its_thumbnail(card: int, as_user: Any) -> None:
    before = stored_files()
    max_ = await as_user("max")
    response = await upload(max_, card, ("hero.png", png()))
    assert response.status_code == 200, response.text
    row = await Attachment.select().where(Attachment.task == card).first()
    assert row is not None
    assert (row["name"], row["kind"], row["content_type"], row["visibility"]) == (
        "hero.png",
        "image",
        "image/png",
        "internal",
    )
    assert row["storage_key"] != "hero.png" and "hero" not in row["storage_key"]
    assert len(stored_files() - before) == 2  # the file and its thumbnail, under random names
    assert f"/attachments/{row['id']}/thumbnail" in response.text and "hero.png" in response.text
    thumb = await max_.get(f"/attachments/{row['id']}/thumbnail")
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/webp"
    assert thumb.content[:4] == b"RIFF"
    listed = await max_.get(f"/tasks/{card}/attachments")
    assert "hero.png" in listed.text and "Max Member" in listed.text
    assert leftovers() == []


async def test_several_files_at_once_are_all_kept(card: int, as_user: Any) -> None:
    max_ = await as_user("max")
    response = await upload(max_, card, ("a.png", png()), ("brief.pdf", PDF), ("notes.txt", b"hello"))
    assert response.status_code == 200, response.text
    kinds = {r["name"]: r["kind"] for r in await Attachment.select().where(Attachment.task == card)}
    assert kinds == {"a.png": "image", "brief.pdf": "pdf", "notes.txt": "file"}
    history = await Activity.select(Activity.verb, Activity.data).where(Activity.task == card)
    assert [h["verb"] for h in history].count("attached") == 1


async def test_an_image_downloads_inline_and_anything_else_as_an_attachment(card: int, as_user: Any) -> None:
    max_ = await as_user("max")
    await upload(max_, card, ("hero.png", png()), ("page.html", b"<script>alert(1)</script>"))
    await upload(max_, card, ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))
    rows = {r["name"]: r["id"] for r in await Attachment.select().where(Attachment.task == card)}
    image = await max_.get(f"/attachments/{rows['hero.png']}")
    assert image.status_code == 200 and image.content == png()
    assert image.headers["content-type"] == "image/png"
    assert image.headers["content-disposition"].startswith("inline")
    assert image.headers["x-content-type-options"] == "nosniff"
    for name in ("page.html", "logo.svg"):
        answer = await max_.get(f"/attachments/{rows[name]}")
        assert answer.status_code == 200
        assert answer.headers["content-disposition"].startswith("attachment;"), name
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["content-type"] == "application/octet-stream", name
        assert "sandbox" in answer.headers["content-security-policy"]


async def test_an_image_becomes_the_cards_cover_on_the_board(card: int, agency: Agency, as_user: Any) -> None:
    max_ = await as_user("max")
    await upload(max_, card, ("hero.png", png()), visibility="client")
    attachment_id = (await Attachment.select(Attachment.id).first())["id"]  # type: ignore[index]
    response = await max_.post(f"/attachments/{attachment_id}/cover", {"cover": "true"}, htmx=True)
    assert response.status_code == 200 and "Remove cover" in response.text
    assert (await Task.select(Task.cover_attachment).where(Task.id == card).first()) == {
        "cover_attachment": attachment_id
    }
    cover = f'class="card-cover" src="/attachments/{attachment_id}/thumbnail"'
    assert cover in (await max_.get(f"/projects/{agency.acme_project}")).text
    # Shared with the client: cleo sees the cover too; made internal, it goes from her board.
    cleo = await as_user("cleo")
    assert cover in (await cleo.get(f"/projects/{agency.acme_project}")).text
    await max_.post(f"/attachments/{attachment_id}/visibility", {"visibility": "internal"}, htmx=True)
    assert "card-cover" not in (await cleo.get(f"/projects/{agency.acme_project}")).text
    assert (await cleo.get(f"/attachments/{attachment_id}/thumbnail")).status_code == 404
    # Taking it off, and a PDF cannot be a cover.
    await max_.post(f"/attachments/{attachment_id}/cover", {"cover": "false"}, htmx=True)
    assert "card-cover" not in (await max_.get(f"/projects/{agency.acme_project}")).text
    await upload(max_, card, ("brief.pdf", PDF))
    pdf_id = (await Attachment.select(Attachment.id).where(Attachment.name == "brief.pdf").first())["id"]  # type: ignore[index]
    refused = await max_.post(f"/attachments/{pdf_id}/cover", {"cover": "true"}, htmx=True)
    assert refused.status_code == 422 and "Only an image" in refused.text


async def test_the_uploader_deletes_a_file_and_it_leaves_storage(card: int, as_user: Any) -> None:
    max_ = await as_user("max")
    before = stored_files()
    await upload(max_, card, ("hero.png", png()))
    attachment_id = (await Attachment.select(Attachment.id).first())["id"]  # type: ignore[index]
    await max_.post(f"/attachments/{attachment_id}/cover", {"cover": "true"}, htmx=True)
    response = await max_.post(f"/attachments/{attachment_id}/delete", {}, htmx=True)
    assert response.status_code == 200 and "No files yet." in response.text
    assert await Attachment.count() == 0
    assert stored_files() == before
    assert (await Task.select(Task.cover_attachment).where(Task.id == card).first()) == {"cover_attachment": None}
    assert (await max_.get(f"/attachments/{attachment_id}")).status_code == 404


async def test_only_the_uploader_or_an_admin_deletes(card: int, agency: Agency, as_user: Any) -> None:
    ada = await as_user("ada")
    await upload(ada, card, ("hero.png", png()), visibility="client")
    attachment_id = (await Attachment.select(Attachment.id).first())["id"]  # type: ignore[index]
    max_ = await as_user("max")
    assert (await max_.post(f"/attachments/{attachment_id}/delete", {}, htmx=True)).status_code == 403
    cleo = await as_user("cleo")
    assert (await cleo.post(f"/attachments/{attachment_id}/delete", {}, htmx=True)).status_code == 403
    assert await Attachment.count() == 1
    await upload(max_, card, ("mine.pdf", PDF))
    mine = (await Attachment.select(Attachment.id).where(Attachment.name == "mine.pdf").first())["id"]  # type: ignore[index]
    assert (await ada.post(f"/attachments/{mine}/delete", {}, htmx=True)).status_code == 200
    assert await Attachment.count() == 1


async def test_archiving_a_card_keeps_its_files(card: int, as_user: Any) -> None:
    max_ = await as_user("max")
    await upload(max_, card, ("hero.png", png()))
    task = await Task.select(Task.version).where(Task.id == card).first()
    await max_.post(f"/tasks/{card}/archived", {"archived": "true", "version": str(task["version"])}, htmx=True)  # type: ignore[index]
    assert (await Task.select(Task.archived).where(Task.id == card).first()) == {"archived": True}
    attachment_id = (await Attachment.select(Attachment.id).first())["id"]  # type: ignore[index]
    assert (await max_.get(f"/attachments/{attachment_id}")).status_code == 200
    # ... and an archived card takes no new files.
    assert (await upload(max_, card, ("more.png", png()))).status_code == 403


async def test_deleting_cards_removes_their_files(card: int, as_user: Any) -> None:
    from server.attachments.writes import forget_files_of_tasks

    before = stored_files()
    await upload(await as_user("max"), card, ("hero.png", png()), ("brief.pdf", PDF))
    assert len(stored_files() - before) == 3
    await forget_files_of_tasks([card])
    await Task.delete().where(Task.id == card)
    assert stored_files() == before and await Attachment.count() == 0


# ---- bad input: a clear 4xx, nothing stored


async def refused_and_nothing_stored(response: Any, status: int, message: str) -> None:
    assert response.status_code == status, response.text
    assert message in response.text
    assert await Attachment.count() == 0
    assert leftovers() == []


async def test_a_file_over_the_limit_is_refused_with_the_limit(
    card: int, as_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOARDROOM_MAX_UPLOAD_MB", "1")
    before = stored_files()
    response = await upload(await as_user("max"), card, ("small.png", png()), ("big.bin", b"x" * (1024 * 1024 + 1)))
    await refused_and_nothing_stored(response, 413, "at most 1 MB")
    assert stored_files() == before


async def test_an_empty_file_is_refused(card: int, as_user: Any) -> None:
    response = await upload(await as_user("max"), card, ("empty.txt", b""))
    await refused_and_nothing_stored(response, 422, "is empty")


async def test_a_file_whose_content_is_not_its_type_is_refused(card: int, as_user: Any) -> None:
    max_ = await as_user("max")
    await refused_and_nothing_stored(await upload(max_, card, ("photo.jpg", PDF)), 422, "does not contain")
    await refused_and_nothing_stored(await upload(max_, card, ("brief.pdf", png())), 422, "does not contain")
    # PNG magic with nothing after it: not an image Pillow can open.
    broken = png()[:40]
    await refused_and_nothing_stored(await upload(max_, card, ("cut.png", broken)), 422, "does not contain")


async def test_a_broken_eml_is_refused(card: int, as_user: Any) -> None:
    response = await upload(await as_user("max"), card, ("mail.eml", b"\x00\x01\x02 not a message"))
    await refused_and_nothing_stored(response, 422, "not an email message")


async def test_one_bad_file_among_good_ones_stores_none(card: int, as_user: Any) -> None:
    response = await upload(await as_user("max"), card, ("ok.png", png()), ("empty.txt", b""))
    await refused_and_nothing_stored(response, 422, "is empty")


async def test_no_file_at_all_is_refused(card: int, as_user: Any) -> None:
    max_ = await as_user("max")
    response = await max_.post(f"/tasks/{card}/attachments", {"visibility": "internal"}, htmx=True)
    await refused_and_nothing_stored(response, 422, "Choose a file")


async def test_a_cut_off_upload_leaves_no_partial_file(card: int, as_user: Any) -> None:
    max_ = await as_user("max")
    body = b'--B\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n' + b"x" * 200_000
    response = await max_.http.post(
        f"/tasks/{card}/attachments",
        content=body,
        headers={"content-type": "multipart/form-data; boundary=B", "x-csrftoken": max_.csrf, "hx-request": "true"},
    )
    await refused_and_nothing_stored(response, 400, "cut off")


async def test_a_dangerous_file_name_is_cleaned(card: int, as_user: Any) -> None:
    max_ = await as_user("max")
    name = "../../etc/\x07pass\x1bwd" + "a" * 500 + ".txt"
    assert (await upload(max_, card, (name, b"hello"))).status_code == 200
    row = await Attachment.select(Attachment.name).first()
    assert row is not None
    cleaned = row["name"]
    assert "/" not in cleaned and "\x07" not in cleaned and "\x1b" not in cleaned
    assert len(cleaned) <= 150 and cleaned.endswith(".txt")
    assert not re.search(r"\.\.", cleaned)


async def test_a_card_the_person_cannot_see_takes_no_files(agency: Agency, as_user: Any) -> None:
    globex_card = await add_card(agency.globex_project, "Globex launch")
    for who in ("max", "cleo"):
        response = await upload(await as_user(who), globex_card, ("hero.png", png()))
        assert response.status_code == 404
    assert await Attachment.count() == 0 and leftovers() == []
