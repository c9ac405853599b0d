"""`python -m tasks`: run the arq worker (see tasks.worker.run)."""

from tasks.worker import run

run()
