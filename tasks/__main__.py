"""`python -m tasks`: run the arq worker (see tasks.worker.run). `python -m tasks --check`: is this
host's worker up, with Redis and the database (tasks/health.py)? Exit 0 if so, 1 if not."""

import sys

if sys.argv[1:] == ["--check"]:
    from tasks.health import main

    sys.exit(main())

from tasks.worker import run

run()
