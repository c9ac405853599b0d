"""Files kept in an S3-compatible bucket (BOARDROOM_STORAGE_URL=s3://...): the same uploads,
downloads and deletes through the real app, against moto's standalone S3 server running for real on
a local port (boto3 speaks HTTP to it as to any S3)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from server.tables import Attachment
from tests.attachments.files import png, upload
from tests.conftest import Agency
from tests.factories import add_card

moto_server = pytest.importorskip("moto.server")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def bucket(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "BOARDROOM_STORAGE_URL": "s3://boardroom-files/cards",
        "BOARDROOM_S3_ENDPOINT_URL": endpoint,
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=endpoint)
    client.create_bucket(Bucket="boardroom-files")
    try:
        yield client
    finally:
        server.stop()


def keys(client: Any) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket="boardroom-files").get("Contents", [])}


async def test_files_go_to_the_bucket_and_come_back(bucket: Any, agency: Agency, as_user: Any) -> None:
    card = await add_card(agency.acme_project, "Homepage mock-ups")
    max_ = await as_user("max")
    content = png(800, 600)
    assert (await upload(max_, card, ("hero.png", content))).status_code == 200
    row = await Attachment.select().first()
    assert row is not None
    assert keys(bucket) == {f"cards/{row['storage_key']}", f"cards/{row['thumbnail_key']}"}
    downloaded = await max_.get(f"/attachments/{row['id']}")
    assert downloaded.status_code == 200 and downloaded.content == content
    thumb = await max_.get(f"/attachments/{row['id']}/thumbnail")
    assert thumb.status_code == 200 and thumb.content[:4] == b"RIFF"
    assert (await max_.post(f"/attachments/{row['id']}/delete", {}, htmx=True)).status_code == 200
    assert keys(bucket) == set()
