"""Shared plumbing for the benchmarks in bench/: a throwaway database and Redis, seeding a board,
uvicorn as a subprocess on a free 127.0.0.1 port, signing in over HTTP, reading the board's event
numbers off the wire, and printing figures beside their targets.

The server reads DATABASE_URL when `piccolo_conf` is imported, so `Sandbox(...)` must be built
before anything under `server` is imported; the helpers below import server modules lazily.

Every script takes `--smoke` (see `options`): tiny sizes, a few seconds, targets printed but not
checked. A smoke run uses PostgreSQL when BENCH_POSTGRES_URL is set and SQLite otherwise
(`smoke_db`), and exits non-zero only when the bench could not run (an exception, a failed
request, a lost delivery), so CI notices a bench the code has left behind.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/postgres"
PASSWORD = "bench-password-not-secret"
STARTUP_SECONDS = 30
CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"|"x-csrftoken": "([^"]+)"')
# The board's event number on the wire: the element with id "board-seq", wherever it sits in a
# message and whatever the order of its attributes.
SEQ_ELEMENT = re.compile(rb'<[^<>]*\bid="board-seq"[^<>]*>(?:\s*</div>)?')
SEQ_VALUE = re.compile(rb'data-seq="(-?\d+)"')
LABELS = {"copy": "amber", "design": "violet", "dev": "blue", "ux": "teal", "legal": "red", "bug": "pink"}
PEOPLE = (
    ("ada@bench.test", "Ada Admin", "admin"),
    ("max@bench.test", "Max Member", "member"),
    ("mia@bench.test", "Mia Member", "member"),
)


SMOKE = False  # set by options(--smoke): tiny sizes, targets printed but not checked


class BenchError(Exception):
    """Something failed that makes the figures meaningless (not a missed target)."""


def options(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """Parse the script's arguments, with `--smoke` added (and remembered in SMOKE)."""
    global SMOKE
    parser.add_argument(
        "--smoke", action="store_true", help="a few seconds, tiny sizes, targets not checked (CI: make bench-smoke)"
    )
    args = parser.parse_args()
    # `timeout` (make bench-smoke) stops a stuck bench with SIGTERM: exit through the `finally`
    # blocks, so its uvicorn processes and throwaway database go too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    SMOKE = bool(args.smoke) or os.environ.get("BENCH_SMOKE") == "1"
    if SMOKE:
        os.environ["BENCH_SMOKE"] = "1"  # children started with sys.executable inherit it
    args.smoke = SMOKE
    return args


def smoke_db() -> str:
    """The database of a smoke run: PostgreSQL when BENCH_POSTGRES_URL names a server, else SQLite."""
    return "postgres" if os.environ.get("BENCH_POSTGRES_URL") else "sqlite"


def postgres_or_skip(what: str) -> bool:
    """True when PostgreSQL is reachable; otherwise says `what` is skipped, and raises when
    BENCH_REQUIRE_POSTGRES=1 (CI) so a missing database fails instead of passing quietly."""
    if postgres_available():
        return True
    if os.environ.get("BENCH_REQUIRE_POSTGRES") == "1":
        raise BenchError(f"{what}: PostgreSQL required (BENCH_REQUIRE_POSTGRES=1) but not reachable")
    print(f"== {what}: SKIPPED (PostgreSQL not reachable; set BENCH_POSTGRES_URL)")
    return False


# ---------------------------------------------------------------- environment


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def postgres_admin_url() -> str:
    return os.environ.get("BENCH_POSTGRES_URL", PG_DEFAULT)


async def _pg(url: str, *statements: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url, timeout=5)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


def postgres_available() -> bool:
    try:
        asyncio.run(_pg(postgres_admin_url(), "SELECT 1"))
    except Exception as error:
        print(f"  PostgreSQL not reachable at {postgres_admin_url()}: {type(error).__name__}: {error}")
        return False
    return True


class Sandbox:
    """A temp folder (data dir, SQLite file, embedded Redis socket, server logs), a database and a
    Redis, all thrown away by close(). Sets the environment the server and Piccolo read."""

    def __init__(self, db: str, *, redis: bool = True) -> None:
        self.db = db
        self.tmp = Path(tempfile.mkdtemp(prefix="boardroom-bench-"))
        self.pg_name: str | None = None
        self.redis: Any = None
        self.servers: list[subprocess.Popen[bytes]] = []
        os.environ["BOARDROOM_DATA_DIR"] = str(self.tmp)
        os.environ["SECRET_KEY"] = "bench-secret-key-not-for-production"
        os.environ["BOARDROOM_CHANNEL_NAMESPACE"] = f"bench-{os.getpid()}:"
        os.environ.pop("BOARDROOM_DEBUG", None)
        if db == "sqlite":
            os.environ["DATABASE_URL"] = f"sqlite:///{self.tmp / 'bench.sqlite3'}"
        elif db == "postgres":
            admin = postgres_admin_url()
            self.pg_name = f"boardroom_bench_{os.getpid()}"
            asyncio.run(_pg(admin, f'DROP DATABASE IF EXISTS "{self.pg_name}"', f'CREATE DATABASE "{self.pg_name}"'))
            os.environ["DATABASE_URL"] = urlunparse(urlparse(admin)._replace(path=f"/{self.pg_name}"))
        else:
            raise ValueError(db)
        self.redis_url = ""
        if not redis:
            pass
        elif url := os.environ.get("BENCH_REDIS_URL"):
            os.environ["REDIS_URL"] = self.redis_url = url
        else:
            from server.kernel.redis_runtime import EmbeddedRedis

            self.redis = EmbeddedRedis()
            os.environ["REDIS_URL"] = self.redis.url

    def describe(self) -> str:
        database = "SQLite (temp file)" if self.db == "sqlite" else f"PostgreSQL database {self.pg_name}"
        if self.redis is not None:
            return f"{database}, embedded Redis"
        if self.redis_url:
            return f"{database}, Redis at BENCH_REDIS_URL ({self.redis_url})"
        return database

    def uvicorn(
        self, workers: int = 1, *, app: str = "server.asgi:app", cwd: Path = ROOT, env: dict[str, str] | None = None
    ) -> str:
        """Start `uvicorn server.asgi:app` (or another `app`, imported from `cwd`, with `env` added to the
        environment) on a free port; returns its base URL."""
        port = free_port()
        log = self.tmp / f"uvicorn-{port}.log"
        command = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)]
        command += ["--ws", "websockets-sansio", "--log-level", "warning", "--no-access-log"]
        if workers > 1:
            command += ["--workers", str(workers)]
        with log.open("wb") as output:
            server = subprocess.Popen(
                command,
                cwd=cwd,
                env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        self.servers.append(server)
        base = f"http://127.0.0.1:{port}"
        _wait_for_health(base, server, log, answers=4 * workers)
        return base

    def server_cpu(self) -> float:
        """CPU seconds (user + system) used so far by every uvicorn process started here and their
        workers; PostgreSQL and Redis not included. Less sensitive to a busy machine than wall time."""
        return sum(process_cpu(pid) for server in self.servers for pid in process_tree(server.pid))

    def server_log(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted(self.tmp.glob("uvicorn-*.log")))

    def stop_servers(self) -> None:
        for server in self.servers:
            server.terminate()
        for server in self.servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        self.servers.clear()

    def close(self) -> None:
        self.stop_servers()
        if self.redis is not None:
            self.redis.stop()
        if self.pg_name:
            try:
                asyncio.run(_pg(postgres_admin_url(), f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)'))
            except Exception as error:
                print(f"  could not drop {self.pg_name}: {error}")
        shutil.rmtree(self.tmp, ignore_errors=True)


def process_tree(pid: int) -> list[int]:
    """The process and its descendants (Linux /proc); just the process elsewhere."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in task.read_text().split():
            found += process_tree(int(child))
    return found


def process_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_health(base: str, server: subprocess.Popen[bytes], log: Path, answers: int) -> None:
    import httpx

    deadline = time.monotonic() + STARTUP_SECONDS
    seen = 0
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"uvicorn exited with {server.returncode}:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                seen += 1
                if seen >= answers:
                    return
                continue
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise BenchError(f"uvicorn did not answer /health within {STARTUP_SECONDS} s:\n{log.read_text(errors='replace')}")


# ---------------------------------------------------------------- data


async def quiet_migrate() -> None:
    """Apply the migrations without Piccolo's chatter on stdout (its errors still raise)."""
    import contextlib
    import io

    from server.kernel.migrate import migrate

    with contextlib.redirect_stdout(io.StringIO()):
        await migrate()


@dataclass
class Board:
    project_id: int
    columns: list[int]
    cards: list[int]  # every card id, in creation order
    column_of: dict[int, int] = field(default_factory=dict)


@dataclass
class Seeded:
    users: dict[str, int]
    boards: list[Board]


async def seed(*, boards: int, cards_per_board: int, columns: int = 8, shared_with_client: bool = True) -> Seeded:
    """Migrate, then create three people (once) and `boards` more boards, each with `columns` columns and
    `cards_per_board` cards spread evenly over them: labels (0-2 a card), assignees (0-2),
    due dates (half), estimates, checklists (a third, 2-6 items) and comments (a quarter, 1-3)."""
    from server.kernel.passwords import hash_password
    from server.rules import rank
    from server.tables import (
        BoardColumn,
        ChecklistItem,
        Client,
        Comment,
        Label,
        Membership,
        Project,
        Task,
        TaskAssignee,
        TaskLabel,
        User,
    )

    await quiet_migrate()
    rng = random.Random(42)
    today: date = datetime.now(UTC).date()
    (client,) = await Client.insert(Client(name="Bench Client", currency="EUR")).returning(Client.id)
    existing = {r["email"]: r["id"] for r in await User.select(User.email, User.id)}
    if missing := [(e, n, r) for e, n, r in PEOPLE if e not in existing]:
        password = hash_password(PASSWORD)
        rows = await User.insert(
            *(User(email=e, name=n, role=r, password_hash=password) for e, n, r in missing)
        ).returning(User.id, User.email)
        existing |= {r["email"]: r["id"] for r in rows}
    users = {email.split("@")[0]: existing[email] for email, _, _ in PEOPLE}
    first = await Project.count()
    people = list(users.values())
    result = Seeded(users=users, boards=[])
    for b in range(boards):
        (project,) = await Project.insert(
            Project(
                client=client["id"],
                name=f"Bench board {first + b}",
                key=f"B{first + b}",
                shared_with_client=shared_with_client,
            )
        ).returning(Project.id)
        pid = project["id"]
        await Membership.insert(*(Membership(project=pid, member=users[n]) for n in ("max", "mia")))
        col_rows = await BoardColumn.insert(
            *(
                BoardColumn(project=pid, name=f"Column {i + 1}", rank=key, is_done=i == columns - 1)
                for i, key in enumerate(rank.spread(columns))
            )
        ).returning(BoardColumn.id)
        column_ids = [r["id"] for r in col_rows]
        label_rows = await Label.insert(
            *(Label(project=pid, name=name, color=color) for name, color in LABELS.items())
        ).returning(Label.id)
        label_ids = [r["id"] for r in label_rows]
        per_column = [cards_per_board // columns + (1 if i < cards_per_board % columns else 0) for i in range(columns)]
        tasks: list[Any] = []
        number = 0
        for column_id, count in zip(column_ids, per_column, strict=True):
            for key in rank.spread(count):
                number += 1
                due = today + timedelta(days=rng.randint(-10, 30)) if rng.random() < 0.5 else None
                tasks.append(
                    Task(
                        project=pid,
                        number=number,
                        column=column_id,
                        title=f"Card {number}: {rng.choice(['Homepage', 'Checkout', 'Onboarding', 'Report'])} "
                        f"{rng.choice(['copy', 'layout', 'bug fix', 'review', 'migration'])}",
                        rank=key,
                        due_on=due,
                        estimate_minutes=rng.choice([None, 30, 60, 120, 240, 480]),
                        description="Benchmark card.",
                    )
                )
        task_ids: list[int] = []
        for start in range(0, len(tasks), 200):
            task_ids += [r["id"] for r in await Task.insert(*tasks[start : start + 200]).returning(Task.id)]
        board = Board(project_id=pid, columns=column_ids, cards=task_ids)
        i = 0
        for column_id, count in zip(column_ids, per_column, strict=True):
            for task_id in task_ids[i : i + count]:
                board.column_of[task_id] = column_id
            i += count
        assignees, labels, items, comments = [], [], [], []
        for task_id in task_ids:
            for person in rng.sample(people, rng.choice([0, 1, 1, 2])):
                assignees.append(TaskAssignee(task=task_id, person=person))
            for label in rng.sample(label_ids, rng.choice([0, 1, 1, 2])):
                labels.append(TaskLabel(task=task_id, label=label))
            if rng.random() < 1 / 3:
                n = rng.randint(2, 6)
                for j, key in enumerate(rank.spread(n)):
                    items.append(ChecklistItem(task=task_id, text=f"Step {j + 1}", rank=key, done=rng.random() < 0.5))
            if rng.random() < 1 / 4:
                for _ in range(rng.randint(1, 3)):
                    comments.append(Comment(task=task_id, author=rng.choice(people), body="Looks good so far."))
        for table, objects in ((TaskAssignee, assignees), (TaskLabel, labels), (ChecklistItem, items)):
            for start in range(0, len(objects), 300):
                await table.insert(*objects[start : start + 300])
        for start in range(0, len(comments), 300):
            await Comment.insert(*comments[start : start + 300])
        await Project.update({Project.last_task_number: number}).where(Project.id == pid)
        result.boards.append(board)
    return result


# ---------------------------------------------------------------- HTTP


async def sign_in(client: Any, person: str) -> str:
    """Sign `client` (an httpx.AsyncClient on the server) in through the login form; returns the
    CSRF token to send as x-csrftoken. The session cookie stays in the client's jar."""
    page = await client.get("/login")
    token = _csrf(page.text)
    response = await client.post(
        "/login",
        data={"email": f"{person}@bench.test", "password": PASSWORD, "next": "/"},
        headers={"x-csrftoken": token},
    )
    if response.status_code != 303:
        raise BenchError(f"login as {person} answered {response.status_code}: {response.text[:300]}")
    return _csrf((await client.get("/profile")).text)


async def timed(requests: int, ask: Callable[[int], Awaitable[None]], warm: int = 10) -> list[float]:
    """`ask(n)` (one request, checked: it raises BenchError) `requests` times after `warm` more that
    warm the server's caches and its connection pool, one after another; their times in ms."""
    latencies = []
    for n in range(requests + warm):
        began = time.perf_counter()
        await ask(n)
        if n >= warm:
            latencies.append((time.perf_counter() - began) * 1000)
    return latencies


def _csrf(html: str) -> str:
    match = CSRF.search(html)
    if not match:
        raise BenchError("no CSRF token in the page")
    return match.group(1) or match.group(2)


def seq_in(html: str) -> int | None:
    """The board's event number in a page (the first `#board-seq` element's)."""
    return event_of(html.encode())[0]


def event_of(message: bytes) -> tuple[int | None, bool]:
    """(event number, is a heartbeat) of one websocket message: the number of the board event it
    carries, None for other news (presence); a message that is nothing but the number is a
    heartbeat (the board's current number, repeated), not a delivery."""
    element = SEQ_ELEMENT.search(message)
    if element is None:
        return None, False
    value = SEQ_VALUE.search(element.group(0))
    if value is None:
        return None, False
    rest = message[: element.start()] + message[element.end() :]
    return int(value.group(1)), not rest.strip()


async def board_socket(base: str, project_id: int, cookie: str) -> Any:
    """A websocket on the board's page socket with a signed-in session cookie (as a browser's)."""
    import websockets

    return await websockets.connect(
        f"{base.replace('http://', 'ws://')}/projects/{project_id}/ws",
        additional_headers={"Cookie": f"boardroom_session={cookie}"},
        max_size=None,
        open_timeout=60,
        ping_interval=None,
        compression=None,
    )


# ---------------------------------------------------------------- figures


def percentile(ordered: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not ordered:
        return math.nan
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "n": len(ordered),
        "median": percentile(ordered, 50),
        "p95": percentile(ordered, 95),
        "p99": percentile(ordered, 99),
        "max": ordered[-1] if ordered else math.nan,
    }


def show_stats(name: str, values_ms: list[float]) -> dict[str, float]:
    s = stats(values_ms)
    if not values_ms:
        print(f"  {name:<44} no samples (time limit reached during warm-up)")
        return s
    print(
        f"  {name:<44} n={s['n']:<6} median {s['median']:7.1f} ms  p95 {s['p95']:7.1f}  "
        f"p99 {s['p99']:7.1f}  max {s['max']:7.1f}"
    )
    return s


def verdict(
    name: str,
    value: float,
    target: float,
    unit: str,
    *,
    source: str,
    higher_is_better: bool = False,
    at_most: bool = False,
) -> bool:
    """Print a figure beside its target: `< target` (or `<= target` with at_most, `>= target` with
    higher_is_better), met or MISSED; a smoke run prints it unchecked."""
    if higher_is_better:
        met, sign = value >= target, ">="
    elif at_most:
        met, sign = value <= target, "<="
    else:
        met, sign = value < target, "<"
    mark = "not checked (smoke run)" if SMOKE else "met" if met else "MISSED"
    print(f"    {name:<40} {_shown(value)} {unit:<6} target {sign} {target:g} {unit} ({source}): {mark}")
    return met


def _shown(value: float) -> str:
    if isinstance(value, int):
        return f"{value:9d}"
    return f"{value:9.2f}" if abs(value) < 10 else f"{value:9.1f}"


def heading(title: str) -> None:
    print(f"\n== {title}  [{load()}]", flush=True)
