"""Settings read from the environment, with defaults that run on a bare machine. Every environment
variable Boardroom reads is read here."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    path = Path(os.environ.get("BOARDROOM_DATA_DIR", ROOT / "data"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _secret_key() -> str:
    """SECRET_KEY, or one generated once and kept under ./data/ so sessions survive restarts."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = data_dir() / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in {"1", "true", "yes"}


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{data_dir() / 'boardroom.sqlite3'}"


def redis_url() -> str:
    """REDIS_URL: the Redis every web process and the worker share; '' when unset."""
    return os.environ.get("REDIS_URL", "")


def agency_timezone() -> str:
    """BOARDROOM_TZ: the agency's time zone, in which weeks and days are counted."""
    return os.environ.get("BOARDROOM_TZ", "UTC")


def max_upload_mb() -> int:
    """BOARDROOM_MAX_UPLOAD_MB: the largest file a card takes, in megabytes (default 25)."""
    raw = os.environ.get("BOARDROOM_MAX_UPLOAD_MB", "")
    try:
        value = int(raw) if raw else 25
    except ValueError as error:
        raise RuntimeError(f"BOARDROOM_MAX_UPLOAD_MB must be a whole number of megabytes, not {raw!r}") from error
    if value < 1:
        raise RuntimeError(f"BOARDROOM_MAX_UPLOAD_MB must be at least 1, not {raw!r}")
    return value


def files_dir() -> Path:
    """Where cards' files are kept when BOARDROOM_STORAGE_URL is unset: ./data/files/."""
    return data_dir() / "files"


def storage_url() -> str:
    """BOARDROOM_STORAGE_URL: where cards' files are kept. Unset: a directory, ./data/files/ (under
    BOARDROOM_DATA_DIR); `s3://bucket/prefix` an S3-compatible bucket (its endpoint in
    BOARDROOM_S3_ENDPOINT_URL when not AWS; credentials as boto3 reads them: AWS_ACCESS_KEY_ID, ...)."""
    return os.environ.get("BOARDROOM_STORAGE_URL", "")


def s3_endpoint_url() -> str | None:
    return os.environ.get("BOARDROOM_S3_ENDPOINT_URL") or None


def smtp_url() -> str:
    """BOARDROOM_SMTP_URL: where emails go, `smtp://user:password@host:587` (STARTTLS when offered)
    or `smtps://…:465` (TLS). Unset: emails stay in the admin's outbox (/admin/outbox), unsent."""
    return os.environ.get("BOARDROOM_SMTP_URL", "")


def mail_from() -> str:
    """BOARDROOM_MAIL_FROM: the sender of Boardroom's emails."""
    return os.environ.get("BOARDROOM_MAIL_FROM") or "Boardroom <boardroom@localhost>"


def agency_name() -> str:
    """BOARDROOM_AGENCY_NAME: the agency's name on what it sends its clients (the monthly report);
    unset, the name BOARDROOM_MAIL_FROM sends as ("Boardroom" by default)."""
    if name := os.environ.get("BOARDROOM_AGENCY_NAME", "").strip():
        return name
    sender = mail_from()
    return sender.split("<", 1)[0].strip().strip('"') or "Boardroom"


def base_url() -> str:
    """BOARDROOM_BASE_URL: the address people open Boardroom at, for the links in emails."""
    return (os.environ.get("BOARDROOM_BASE_URL") or f"http://localhost:{os.environ.get('PORT', '8000')}").rstrip("/")


def debug_mode() -> bool:
    """BOARDROOM_DEBUG: templates reload when they change, and errors show their traceback."""
    return _flag("BOARDROOM_DEBUG")


def argon2_profile() -> str:
    """BOARDROOM_ARGON2_PROFILE: the name of one of argon2-cffi's parameter profiles
    (`argon2.profiles`) that password hashes are made with. The default, RFC 9106's low-memory
    profile, is deliberately slow; a test suite that signs in hundreds of times names CHEAPEST."""
    return os.environ.get("BOARDROOM_ARGON2_PROFILE") or "RFC_9106_LOW_MEMORY"


@dataclass(frozen=True)
class RealtimeTimings:
    """How often every open board hears its heartbeat (BOARDROOM_HEARTBEAT_SECONDS, default 15), how
    long a viewer counts without a refresh (BOARDROOM_PRESENCE_TTL_SECONDS, default two heartbeats),
    and how often an open socket's access is checked again besides the revocation signals
    (BOARDROOM_ACCESS_RECHECK_SECONDS, default one heartbeat). The test suite shortens them."""

    heartbeat: float = 15.0
    presence_ttl: float = 30.0
    access_recheck: float = 15.0


def _seconds(name: str, default: float) -> float:
    raw = os.environ.get(name, "")
    try:
        value = float(raw) if raw else default
    except ValueError as error:
        raise RuntimeError(f"{name} must be a number of seconds, not {raw!r}") from error
    if value <= 0:
        raise RuntimeError(f"{name} must be more than 0 seconds, not {raw!r}")
    return value


def realtime_timings() -> RealtimeTimings:
    heartbeat = _seconds("BOARDROOM_HEARTBEAT_SECONDS", RealtimeTimings.heartbeat)
    return RealtimeTimings(
        heartbeat=heartbeat,
        presence_ttl=_seconds("BOARDROOM_PRESENCE_TTL_SECONDS", 2 * heartbeat),
        access_recheck=_seconds("BOARDROOM_ACCESS_RECHECK_SECONDS", heartbeat),
    )


def worker_stop_seconds() -> float:
    """BOARDROOM_WORKER_STOP_SECONDS: on SIGTERM, how long a worker lets its running jobs finish
    before it cancels them (arq then queues them again for another worker). Default 20: inside the
    30 s that Heroku, Kubernetes and our docker-compose.yml give a process to stop."""
    return _seconds("BOARDROOM_WORKER_STOP_SECONDS", 20.0)


@dataclass(frozen=True)
class Settings:
    database_url: str
    redis_url: str
    secret_key: str
    timezone: str
    secure_cookies: bool
    debug: bool
    channel_namespace: str
    realtime: RealtimeTimings
    # Email (issue 13): no SMTP URL keeps every email in the outbox.
    smtp_url: str = ""
    mail_from: str = "Boardroom <boardroom@localhost>"
    base_url: str = "http://localhost:8000"
    agency_name: str = "Boardroom"  # on the monthly client report (issue 16)

    @classmethod
    def from_env(cls) -> Settings:
        redis = redis_url()
        if not redis:
            raise RuntimeError(
                "REDIS_URL is not set. `boardroom run` starts an embedded Redis and sets it for you; "
                "for a web process of your own, point REDIS_URL at a Redis server."
            )
        return cls(
            database_url=database_url(),
            redis_url=redis,
            secret_key=_secret_key(),
            timezone=agency_timezone(),
            secure_cookies=_flag("BOARDROOM_SECURE_COOKIES"),
            debug=debug_mode(),
            channel_namespace=os.environ.get("BOARDROOM_CHANNEL_NAMESPACE", ""),
            realtime=realtime_timings(),
            smtp_url=smtp_url(),
            mail_from=mail_from(),
            base_url=base_url(),
            agency_name=agency_name(),
        )
