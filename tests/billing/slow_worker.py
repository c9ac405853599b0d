"""A worker for the tests that watch a billing job's progress or kill its worker mid-job: the worker
`arq tasks.worker.WorkerSettings` runs, waiting SECONDS before each progress step of a billing job
(arq's ctx, jobs.STEP_PAUSE). Run as a script in a process of its own, as
jobs_support.slow_worker_command builds it: `python tests/billing/slow_worker.py SECONDS`.

Never imported by the suite: importing the tests package points the environment at a fresh test
database, and this worker must use the database and Redis of the test that started it (its
environment)."""

from __future__ import annotations

import logging.config
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def main(pause: float) -> None:
    from arq.logs import default_log_config
    from arq.worker import run_worker

    from server.billing.jobs import STEP_PAUSE
    from tasks import worker

    async def startup(ctx: dict[str, Any]) -> None:
        await worker.startup(ctx)
        ctx[STEP_PAUSE] = pause

    logging.config.dictConfig(default_log_config(verbose=False))
    run_worker({**vars(worker.WorkerSettings), "on_startup": startup})


if __name__ == "__main__":
    sys.path[0] = str(ROOT)  # Boardroom's packages, not this folder's modules
    main(float(sys.argv[1]))
