"""Demo files, so a newcomer sees them: a wireframe (drawn here with Pillow) as the cover of a card the
client sees, an internal sketch, and the client's brief as an .eml on the homepage card."""

from __future__ import annotations

import asyncio
import io
import os
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

from server.attachments import schemas
from server.attachments.storage import upload_dir
from server.attachments.writes import add_attachments, set_cover
from server.boards.changes import Silent
from server.rules.attachments import Visibility
from server.rules.policy import Actor, Role
from server.tables import Attachment, Project, Task, User

BRIEF = """From: Cleo Carter <cleo@acme.example>
To: Max Mustermann <max@agency.example>
Subject: Homepage hero: our brief
Date: Mon, 30 Nov 2026 09:12:00 +0100
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="brief"

--brief
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=utf-8

Hi Max,

here is what we would like the hero to say: fast delivery, friendly people, fair prices.
Three headline options would be great; the tone guide is attached.

Thanks,
Cleo
--alt
Content-Type: text/html; charset=utf-8

<p>Hi Max,</p><p>here is what we would like the hero to say: <b>fast delivery, friendly people, fair
prices</b>.</p><p>Three headline options would be great; the tone guide is attached.</p>
<p>Thanks,<br>Cleo</p><img src="https://newsletter.acme.example/open.gif">
--alt--

--brief
Content-Type: text/plain; charset=utf-8; name="tone-guide.txt"
Content-Disposition: attachment; filename="tone-guide.txt"

Warm, direct, no jargon. Short sentences. Say "you", not "customers".
--brief--
"""


def wireframe(title: str, accent: str) -> bytes:
    image = Image.new("RGB", (640, 400), "#f8fafc")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 640, 56), fill=accent)
    draw.text((24, 20), title, fill="white")
    for i, x in enumerate((24, 232, 440)):
        draw.rectangle((x, 96, x + 176, 236), fill="#e2e8f0", outline="#94a3b8")
        draw.text((x + 12, 248), f"Section {i + 1}", fill="#334155")
        draw.rectangle((x + 12, 272, x + 150, 280), fill="#cbd5e1")
        draw.rectangle((x + 12, 290, x + 120, 298), fill="#cbd5e1")
    draw.rounded_rectangle((24, 330, 184, 370), radius=8, fill=accent)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


async def _file(name: str, content: bytes) -> schemas.Checked:
    descriptor, path = tempfile.mkstemp(prefix="demo-", dir=upload_dir())
    os.close(descriptor)
    await asyncio.to_thread(Path(path).write_bytes, content)
    upload = schemas.Upload(name=name, path=Path(path), size=len(content), head=content[:16])
    return await schemas.check(upload, name)


async def _card(key: str, title: str) -> dict[str, object] | None:
    project = await Project.select(Project.id).where(Project.key == key).first()
    if project is None:
        return None
    return await Task.select().where((Task.project == project["id"]) & (Task.title == title)).first()


async def _actor(email: str) -> Actor | None:
    row = await User.select().where(User.email == email).first()
    return Actor(row["id"], row["email"], row["name"], Role(row["role"]), row["client"]) if row else None


async def seed_attachments() -> None:
    navigation = await _card("ACME", "Navigation redesign")
    homepage = await _card("ACME", "Homepage hero copy")
    mia, max_ = await _actor("mia@agency.example"), await _actor("max@agency.example")
    if navigation is None or homepage is None or mia is None or max_ is None:
        return
    shared = [
        await _file("navigation-wireframe.png", await asyncio.to_thread(wireframe, "Acme · Navigation", "#4f46e5"))
    ]
    await add_attachments(navigation, mia, shared, Visibility.CLIENT, Silent())
    sketch = [await _file("menu-sketch-internal.png", await asyncio.to_thread(wireframe, "Draft · menu", "#0f766e"))]
    await add_attachments(navigation, mia, sketch, Visibility.INTERNAL, Silent())
    cover = await Attachment.select().where(Attachment.name == "navigation-wireframe.png").first()
    if cover is not None:
        await set_cover(cover, navigation, mia, Silent())
    await add_attachments(
        homepage, max_, [await _file("brief-from-acme.eml", BRIEF.encode())], Visibility.CLIENT, Silent()
    )
