"""A big Trello export imported by a real arq worker (in-process, as tests/tasks run it), with its
progress kept for the page; a failing import is marked failed with its error and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from arq import ArqRedis

from bench.import_trello import synthetic_board
from server.imports import jobs, trello_writes, writes
from server.kernel.config import Settings
from server.rules.imports import ImportKind
from server.tables import ChecklistItem, Comment, ImportRun, Task
from tests.billing.jobs_support import queue, run_worker
from tests.conftest import Agency
from tests.imports.helpers import as_bytes, counts, new_project

__all__ = ["queue"]  # a fixture


async def test_a_5000_card_export_is_imported_by_the_worker_with_progress(
    agency: Agency,
    queue: ArqRedis,
    redis_url: str,
) -> None:
    project_id = await new_project(agency)
    raw = as_bytes(synthetic_board(cards=5000, items_per_card=1, comments_per_card=1))
    run_id = await writes.new_run(project_id, ImportKind.TRELLO, "big.json", raw.decode(), agency.ada)
    attempt = await writes.confirm(run_id, {"people": {}})
    assert attempt == 1
    assert await jobs.enqueue(queue, run_id, attempt) is not None
    worker = await run_worker(redis_url)
    assert worker.jobs_complete == 1 and worker.jobs_failed == 0
    assert await Task.count().where(Task.project == project_id) == 5000
    assert await ChecklistItem.count() == 5000 and await Comment.count() == 5000
    run = await ImportRun.select().where(ImportRun.id == run_id).first()
    assert run is not None and run["status"] == "done" and run["progress"] == 100
    namespace = Settings.from_env().channel_namespace
    assert await jobs.progress_of(queue, namespace, run_id) == 100


async def test_a_failing_import_is_marked_failed_and_writes_nothing(
    agency: Agency,
    queue: ArqRedis,
    redis_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project_id = await new_project(agency)
    raw = as_bytes(synthetic_board(cards=20, items_per_card=1, comments_per_card=1))
    run_id = await writes.new_run(project_id, ImportKind.TRELLO, "big.json", raw.decode(), agency.ada)
    await writes.confirm(run_id, {"people": {}})

    async def full_disk(*_args: Any) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(trello_writes, "_comments", full_disk)  # after cards and items are written
    before = await counts()
    await jobs.enqueue(queue, run_id, 1)
    worker = await run_worker(redis_url)
    assert worker.jobs_failed == 1  # tried MAX_TRIES times, failing each time
    run: dict[str, Any] | None = await ImportRun.select().where(ImportRun.id == run_id).first()
    assert run is not None and run["status"] == "failed" and run["error"]
    assert await counts() == before
