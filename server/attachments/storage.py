"""Where cards' files are kept: a directory (./data/files/ by default, nothing else to run) or an
S3-compatible bucket when BOARDROOM_STORAGE_URL is `s3://bucket/prefix`. Files go in and come out in
chunks, never read whole into memory; each is named by a random key (the name people gave it lives in
the database only)."""

from __future__ import annotations

import asyncio
import secrets
import shutil
from collections.abc import AsyncIterator
from functools import cache
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

from server.kernel.config import data_dir, files_dir, s3_endpoint_url, storage_url

CHUNK = 64 * 1024


def new_key() -> str:
    """A random storage name: nothing of the file's own name or of who sent it."""
    return secrets.token_urlsafe(24)


class Storage(Protocol):
    async def put(self, key: str, source: Path) -> None:
        """Keep the file at `source` (a finished temporary file) under `key`; `source` is gone after."""
        ...

    def chunks(self, key: str) -> AsyncIterator[bytes]: ...

    async def read(self, key: str) -> bytes:
        """A whole file, for the few small ones read whole (an email to show, an image to thumbnail)."""
        ...

    async def delete(self, key: str) -> None: ...


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        if not key or "/" in key or "\\" in key or key.startswith("."):
            raise ValueError("not a storage key")
        return self.root / key[:2] / key

    async def put(self, key: str, source: Path) -> None:
        target = self.path(key)

        def move() -> None:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target)

        await asyncio.to_thread(move)

    async def chunks(self, key: str) -> AsyncIterator[bytes]:
        handle = await asyncio.to_thread(self.path(key).open, "rb")
        try:
            while chunk := await asyncio.to_thread(handle.read, CHUNK):
                yield chunk
        finally:
            handle.close()

    async def read(self, key: str) -> bytes:
        return await asyncio.to_thread(self.path(key).read_bytes)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.path(key).unlink, missing_ok=True)


class S3Storage:
    """A bucket through boto3 (its calls run in threads): uploads from the temporary file in parts,
    downloads read from the response body a chunk at a time."""

    def __init__(self, bucket: str, prefix: str, endpoint_url: str | None) -> None:
        import boto3

        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client: Any = boto3.client("s3", endpoint_url=endpoint_url)

    def name(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    async def put(self, key: str, source: Path) -> None:
        await asyncio.to_thread(self.client.upload_file, str(source), self.bucket, self.name(key))
        await asyncio.to_thread(source.unlink, missing_ok=True)

    async def chunks(self, key: str) -> AsyncIterator[bytes]:
        answer = await asyncio.to_thread(self.client.get_object, Bucket=self.bucket, Key=self.name(key))
        body = answer["Body"]
        try:
            while chunk := await asyncio.to_thread(body.read, CHUNK):
                yield chunk
        finally:
            body.close()

    async def read(self, key: str) -> bytes:
        return b"".join([chunk async for chunk in self.chunks(key)])

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.client.delete_object, Bucket=self.bucket, Key=self.name(key))


@cache
def _storage(url: str, root: str, endpoint: str | None) -> Storage:
    if not url:
        return LocalStorage(Path(root))
    parsed = urlparse(url)
    if parsed.scheme != "s3" or not parsed.netloc:
        raise RuntimeError(f"BOARDROOM_STORAGE_URL must be s3://bucket/prefix or unset, not {url!r}")
    return S3Storage(parsed.netloc, parsed.path, endpoint)


def storage() -> Storage:
    """The configured storage (settings read when first asked, one client per configuration)."""
    return _storage(storage_url(), str(files_dir()), s3_endpoint_url())


def upload_dir() -> Path:
    """Where uploads are written while they arrive (next to the files, so a finished one is moved,
    not copied)."""
    path = data_dir() / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def remove_quietly(path: Path) -> None:
    path.unlink(missing_ok=True)
