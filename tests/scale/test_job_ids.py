"""Every job kind has an id derived from what it computes, so that two workers never compute the same
thing twice: each job our code queues names its `_job_id` (arq then refuses a second one with that id
while the first is queued, running or its result kept), and every cron is `unique` (one worker runs
each of its slots, whichever took it first)."""

from __future__ import annotations

import ast
from pathlib import Path

from server.kernel.config import ROOT


def enqueue_calls() -> list[tuple[str, ast.Call]]:
    found = []
    for path in sorted([*(ROOT / "server").rglob("*.py"), *(ROOT / "tasks").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "enqueue_job":
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return found


def test_every_job_our_code_queues_names_its_id() -> None:
    calls = enqueue_calls()
    assert calls, "the billing jobs at least are queued somewhere"
    without = [where for where, call in calls if not any(k.arg == "_job_id" for k in call.keywords)]
    assert without == []


def test_every_cron_runs_once_per_slot_whichever_worker_takes_it() -> None:
    from tasks.worker import cron_jobs

    assert [job.name for job in cron_jobs() if not job.unique] == []


def test_a_summarys_job_id_derives_from_its_row_and_attempt() -> None:
    from server.billing.jobs import job_id

    assert job_id(7, 0) == job_id(7, 0) != job_id(7, 1) != job_id(8, 1)


def test_each_worker_keeps_a_health_key_of_its_own_host() -> None:
    from tasks import health
    from tasks.worker import WorkerSettings

    assert WorkerSettings.health_check_key == health.key() != health.key("another-host")
    assert WorkerSettings.health_check_interval <= 10
    assert 0 < WorkerSettings.job_completion_wait < 30  # inside a 30 s stop timeout


def test_the_procfile_worker_is_python_m_tasks_and_its_check_is_python_m_tasks_check() -> None:
    assert (ROOT / "Procfile").read_text().count("worker: python -m tasks\n") == 1
    assert Path(ROOT / "tasks" / "__main__.py").read_text().count('["--check"]') == 1
