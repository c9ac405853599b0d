"""One validation of an upload, for the card dialog and anything else that takes files: the request's
multipart body streamed to temporary files (stopped at the size limit, never held in memory), then
each file checked (not empty, content matching its name, an email that is one, an image that opens)
before anything is stored. Whatever is refused or cut off leaves no file behind."""

from __future__ import annotations

import asyncio
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from litestar import Request
from multipart import MultipartError, MultipartSegment, PushMultipartParser, parse_options_header

from server.attachments import images
from server.attachments.storage import remove_quietly, upload_dir
from server.kernel.i18n import _
from server.rules import emails
from server.rules.attachments import SNIFF_BYTES, Decision, Kind, decide, limit_bytes, too_large_message

MAX_FILES = 20  # files in one request (the dialog sends one a request)
MAX_FIELD = 1000  # bytes of a plain form field in an upload


class Refused(Exception):
    """An upload refused as a whole: its status (413, 422, 400) and a message a person understands."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Upload:
    """One received file, still in its temporary file."""

    name: str  # as sent; cleaned by the writer's caller
    path: Path
    size: int = 0
    head: bytes = b""
    handle: IO[bytes] | None = None


@dataclass
class Received:
    uploads: list[Upload] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)

    def discard(self) -> None:
        for upload in self.uploads:
            if upload.handle is not None:
                upload.handle.close()
            remove_quietly(upload.path)


def _temp_file() -> tuple[IO[bytes], Path]:
    descriptor, name = tempfile.mkstemp(prefix="upload-", dir=upload_dir())
    return os.fdopen(descriptor, "wb"), Path(name)


def _boundary(request: Request[Any, Any, Any]) -> str:
    media, options = parse_options_header(request.headers.get("content-type", ""))
    if media != "multipart/form-data" or not options.get("boundary"):
        raise Refused(422, _("Choose a file to attach."))
    return str(options["boundary"])


class _Reader:
    """The parser's events into temporary files and fields."""

    def __init__(self, limit: int, limit_mb: int) -> None:
        self.received = Received()
        self.limit, self.limit_mb = limit, limit_mb
        self.file: Upload | None = None
        self.field: tuple[str, bytearray] | None = None

    def segment(self, segment: MultipartSegment) -> None:
        if segment.filename:
            if len(self.received.uploads) >= MAX_FILES:
                raise Refused(422, _("Send at most %(count)s files at once.", count=MAX_FILES))
            handle, path = _temp_file()
            self.file = Upload(name=segment.filename, path=path, handle=handle)
            self.received.uploads.append(self.file)
        elif segment.filename is None:
            self.field = (segment.name or "", bytearray())

    def data(self, chunk: bytes) -> None:
        if self.file is not None and self.file.handle is not None:
            self.file.size += len(chunk)
            if self.file.size > self.limit:
                raise Refused(413, too_large_message(self.limit_mb))
            if len(self.file.head) < SNIFF_BYTES:
                self.file.head += chunk[: SNIFF_BYTES - len(self.file.head)]
            self.file.handle.write(chunk)
        elif self.field is not None:
            self.field[1].extend(chunk)
            if len(self.field[1]) > MAX_FIELD:
                raise Refused(422, _("That upload was not understood."))

    def end(self) -> None:
        if self.file is not None and self.file.handle is not None:
            self.file.handle.close()
            self.file.handle = None
        if self.field is not None:
            self.received.fields[self.field[0]] = self.field[1].decode("utf-8", "replace")
        self.file = self.field = None


async def receive(request: Request[Any, Any, Any], limit_mb: int) -> Received:
    """The request's files in temporary files and its other fields. A file over the limit stops the
    reading at once (413); the route must not buffer the body (request_max_body_size=None)."""
    limit = limit_bytes(limit_mb)
    boundary = _boundary(request)
    if (length := request.content_length) is not None and length > MAX_FILES * limit + 1024 * 1024:
        raise Refused(413, too_large_message(limit_mb))
    reader = _Reader(limit, limit_mb)
    try:
        with PushMultipartParser(boundary, max_segment_count=MAX_FILES + 10) as parser:
            async for chunk in request.stream():
                for event in parser.parse(chunk):
                    if isinstance(event, MultipartSegment):
                        reader.segment(event)
                    elif event is None:
                        reader.end()
                    else:
                        reader.data(event)
    except MultipartError as error:
        reader.received.discard()
        raise Refused(400, _("The upload was cut off or not understood: nothing was stored.")) from error
    except BaseException:
        # Refused, a dropped connection, a cancelled request: no partial file stays behind.
        reader.received.discard()
        raise
    if not reader.received.uploads:
        raise Refused(422, _("Choose a file to attach."))
    return reader.received


@dataclass
class Checked:
    """A file that passed every check, ready to store: what it is, its thumbnail (images) in a second
    temporary file, and an email's summary."""

    upload: Upload
    name: str
    decision: Decision
    thumbnail: Path | None = None
    email: dict[str, str] = field(default_factory=dict)


async def check(upload: Upload, name: str) -> Checked:
    """One file's checks; Refused (422) names what is wrong with it."""
    decision = decide(name, upload.size, upload.head)
    if decision.error:
        raise Refused(422, decision.error)
    checked = Checked(upload, name, decision)
    if decision.kind is Kind.EMAIL:
        raw = await asyncio.to_thread(upload.path.read_bytes)
        try:
            checked.email = emails.parse(raw).summary()
        except emails.BrokenEmail as error:
            raise Refused(422, _("“%(name)s” is not an email message a mail program saved.", name=name)) from error
    if decision.kind is Kind.IMAGE:
        thumbnail = await asyncio.to_thread(images.thumbnail, upload.path, upload_dir())
        if thumbnail is None:
            raise Refused(422, _("“%(name)s” does not contain what its name says it is.", name=name))
        checked.thumbnail = thumbnail
    return checked


def discard_checked(checked: list[Checked]) -> None:
    for item in checked:
        if item.thumbnail is not None:
            remove_quietly(item.thumbnail)
