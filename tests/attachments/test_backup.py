"""`boardroom backup` keeps cards' files (kept in a directory) beside the database copy, and
`boardroom restore` puts them back."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.kernel.backups import backup_files, files_copy, restore_files


def test_the_files_directory_is_copied_beside_the_backup_and_restored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOARDROOM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BOARDROOM_STORAGE_URL", raising=False)
    stored = tmp_path / "data" / "files" / "ab" / "abcdef"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"a mock-up")
    target = tmp_path / "backups" / "boardroom.backup"
    target.parent.mkdir()
    backup_files(target)
    assert (files_copy(target) / "ab" / "abcdef").read_bytes() == b"a mock-up"
    monkeypatch.setenv("BOARDROOM_DATA_DIR", str(tmp_path / "elsewhere"))
    restore_files(target)
    assert (tmp_path / "elsewhere" / "files" / "ab" / "abcdef").read_bytes() == b"a mock-up"


def test_files_in_a_bucket_are_not_copied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOARDROOM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BOARDROOM_STORAGE_URL", "s3://bucket/files")
    (tmp_path / "data" / "files").mkdir(parents=True)
    backup_files(tmp_path / "boardroom.backup")
    assert not files_copy(tmp_path / "boardroom.backup").exists()
