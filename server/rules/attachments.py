"""Files on cards, as decisions with no I/O: what a file's name becomes, what its first bytes say it
is, whether what it claims to be matches, whether it may be shown in the page or only downloaded, who
sees and who may remove it. The upload path and the download path both ask here."""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from server.kernel.i18n import _
from server.rules.policy import Actor, can_manage_agency, can_see_internal

MAX_NAME = 150  # characters of a cleaned file name (the database keeps up to 255)
DEFAULT_LIMIT_MB = 25
SNIFF_BYTES = 16  # how much of a file's start `sniff` needs


class Visibility(StrEnum):
    """Like comments: the agency's alone, or shown to the client too."""

    INTERNAL = "internal"
    CLIENT = "client"


class Kind(StrEnum):
    IMAGE = "image"  # a raster image: thumbnail, cover, shown inline
    PDF = "pdf"
    EMAIL = "email"  # an .eml message, shown as a message
    FILE = "file"


# Raster images by their magic numbers; these are the only types ever served inline.
RASTER = {"image/png", "image/jpeg", "image/gif", "image/webp"}
CLAIMED_BY_EXTENSION = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def clean_filename(name: str) -> str:
    """The name a person gave the file, safe to show and to put in a header: the last path part only,
    no control characters or separators, not hidden, at most MAX_NAME characters (keeping the
    extension). Never used as a storage name (stored files get random names)."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE.sub("_", name).strip(" ._") or "file"
    if len(name) > MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10 and stem:
            name = stem[: MAX_NAME - len(extension) - 1].rstrip(" ._") + "." + extension
        else:
            name = name[:MAX_NAME]
    return name


def extension_of(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return "." + extension.lower() if dot and stem else ""


def sniff(head: bytes) -> str | None:
    """What a file's first bytes say it is (the types whose claims we check), or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


@dataclass(frozen=True)
class Decision:
    """What an uploaded file is taken for, or why it is refused (`error`)."""

    kind: Kind = Kind.FILE
    content_type: str = "application/octet-stream"
    error: str | None = None


def decide(name: str, size: int, head: bytes) -> Decision:
    """Accept or refuse a file by its name, size and first bytes. A name that claims an image or a
    PDF must have that content; content that is a raster image or a PDF is taken for what it is."""
    if size <= 0:
        return Decision(error=_("“%(name)s” is empty.", name=name))
    found = sniff(head)
    claimed = CLAIMED_BY_EXTENSION.get(extension_of(name))
    if claimed is not None and found != claimed:
        return Decision(error=_("“%(name)s” does not contain what its name says it is.", name=name))
    if found in RASTER:
        return Decision(Kind.IMAGE, found)
    if found == "application/pdf":
        return Decision(Kind.PDF, found)
    if extension_of(name) == ".eml":
        return Decision(Kind.EMAIL, "message/rfc822")
    guessed = mimetypes.guess_type(name, strict=False)[0] or "application/octet-stream"
    return Decision(Kind.FILE, guessed)


def limit_bytes(limit_mb: int) -> int:
    return limit_mb * 1024 * 1024


def too_large_message(limit_mb: int) -> str:
    return _("Files can be at most %(limit)s MB each.", limit=limit_mb)


def served_inline(content_type: str) -> bool:
    """Only raster images are shown in the page; everything else (SVG and HTML above all) is
    downloaded, so no uploaded file runs in Boardroom's origin."""
    return content_type in RASTER


def upload_visibility(actor: Actor, chosen: str | None) -> Visibility:
    """What a new file's visibility is: the agency chooses (internal unless said otherwise); a
    client's upload is shared (they see their own files, and the agency sees everything)."""
    if not can_see_internal(actor):
        return Visibility.CLIENT
    return Visibility.CLIENT if chosen == Visibility.CLIENT else Visibility.INTERNAL


def may_see_attachment(actor: Actor, visibility: str) -> bool:
    """An internal file is the agency's alone: to a client it does not exist."""
    return can_see_internal(actor) or visibility == Visibility.CLIENT


def may_remove_attachment(actor: Actor, uploaded_by: int | None) -> bool:
    """Who put it there, or an admin."""
    return can_manage_agency(actor) or (uploaded_by is not None and uploaded_by == actor.id)
