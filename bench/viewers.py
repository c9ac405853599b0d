"""Many viewers across several web processes: what a websocket connection costs and where one machine stops.

    .venv/bin/python bench/viewers.py                          # 3,000 viewers, 2 processes, 10 boards
    .venv/bin/python bench/viewers.py --viewers 6000 --processes 3
    .venv/bin/python bench/viewers.py --smoke                  # 20 viewers, a few seconds; nothing checked

Opens N board websockets (real `websockets` clients, signed in as three people) spread round-robin over
P uvicorn processes (one Redis, one database) and B boards, in batches, printing at each step the web
processes' resident memory (RSS, every process of every uvicorn) over the viewers open so far: the
memory a connection costs. Opening stops early, saying why, when a socket fails to open (file
descriptors, the kernel's backlog, timeouts) or the machine's available memory falls under --reserve-mb.
Then, with every viewer connected:
- fan-out: --moves moves, --spacing-ms apart, each through the process that owns its board (board b
  through process b mod P), read by every viewer of that board: deliveries (each numbered event a
  viewer received; lost ones counted) and the web processes' CPU time a delivered message (user +
  system, /proc) and a move;
- throughput: for --seconds, four movers per process move cards on boards of their own as fast as
  their answers come: moves a second a process, with the viewers still reading.
The load generator (this script, one Python process) shares the machine's cores with the servers: on
a 2-core machine it, not the servers, is often what limits the viewers; the figures say so.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

COLUMNS = 6
CONNECT_BATCH = 50
STEPS = 6  # memory figures printed this many times while opening
SETTLE_SECONDS = 20.0
DRAIN_SECONDS = 10.0
MOVERS_PER_PROCESS = 4


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def available_mb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return float("inf")


def raise_file_limit() -> int:
    """As many descriptors as the hard limit allows (servers started after this inherit it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        new = hard if hard != resource.RLIM_INFINITY else 1_048_576
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
        soft = new
    return soft


@dataclass
class Viewer:
    index: int
    board: int  # index into the seeded boards
    events: int = 0
    seen: set[int] = field(default_factory=set)
    error: str | None = None

    async def watch(self, base: str, project_id: int, cookie: str, opened: asyncio.Queue[bool]) -> None:
        try:
            async with await harness.board_socket(base, project_id, cookie) as socket:
                await opened.put(True)
                while True:
                    seq, heartbeat = harness.event_of(await socket.recv(decode=False))
                    if seq is not None and not heartbeat and seq not in self.seen:
                        self.seen.add(seq)
                        self.events += 1
        except asyncio.CancelledError:
            raise
        except Exception as error:
            self.error = f"{type(error).__name__}: {error}"
            await opened.put(False)


async def cookies_from(base: str) -> list[str]:
    import httpx

    found = []
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for person in ("ada", "max", "mia"):
            client.cookies.clear()
            await harness.sign_in(client, person)
            found.append(client.cookies.get("boardroom_session") or "")
    return found


async def open_viewers(
    n: int, bases: list[str], boards: list[harness.Board], pids: list[int], reserve_mb: float
) -> tuple[list[Viewer], list[asyncio.Task[None]], str]:
    cookies = await cookies_from(bases[0])
    viewers: list[Viewer] = []
    tasks: list[asyncio.Task[None]] = []
    opened: asyncio.Queue[bool] = asyncio.Queue()
    before = rss_mb(pids)
    print(f"  web processes' RSS with no viewer: {before:.0f} MB ({len(pids)} processes)")
    step = max(CONNECT_BATCH, n // STEPS // CONNECT_BATCH * CONNECT_BATCH)
    why = f"all {n} open"
    started = time.perf_counter()
    while len(viewers) < n:
        batch = [
            Viewer(len(viewers) + i, (len(viewers) + i) % len(boards))
            for i in range(min(CONNECT_BATCH, n - len(viewers)))
        ]
        for v in batch:
            base = bases[v.index % len(bases)]
            tasks.append(asyncio.create_task(v.watch(base, boards[v.board].project_id, cookies[v.index % 3], opened)))
        results = [await asyncio.wait_for(opened.get(), timeout=120) for _ in batch]
        viewers += batch
        if not all(results):
            failed = next(v for v in batch if v.error)
            why = f"stopped at {len(viewers)}: a socket failed to open ({failed.error})"
            break
        if len(viewers) % step == 0 or len(viewers) == n:
            now = rss_mb(pids)
            print(
                f"  {len(viewers):>6} viewers: RSS {now:.0f} MB, {(now - before) * 1024 / len(viewers):.1f} KB a "
                f"viewer; {time.perf_counter() - started:.0f} s  [{harness.load()}]"
            )
        if available_mb() < reserve_mb:
            why = f"stopped at {len(viewers)}: the machine has under {reserve_mb:.0f} MB available"
            break
    await asyncio.sleep(1)
    quiet = time.monotonic() + SETTLE_SECONDS
    last = -1
    while time.monotonic() < quiet:  # presence news after each join: wait until the events stop
        await asyncio.sleep(1)
        total = sum(v.events for v in viewers)
        if total == last:
            break
        last = total
    return [v for v in viewers if not v.error], tasks, why


async def mover_client(base: str) -> tuple[Any, str]:
    import httpx

    client = httpx.AsyncClient(base_url=base, timeout=30)
    csrf = await harness.sign_in(client, "max")
    return client, csrf


async def move_once(client: Any, csrf: str, board: harness.Board, state: dict[str, Any], k: int) -> bool:
    card = board.cards[(k * 7) % len(board.cards)]
    target = board.columns[(board.columns.index(state["column"][card]) + 1) % len(board.columns)]
    answer = await client.post(
        f"/tasks/{card}/move",
        data={"column_id": target, "version": state["version"][card]},
        headers={"x-csrftoken": csrf, "hx-request": "true"},
    )
    if answer.status_code != 200:
        return False
    state["version"][card] += 1
    state["column"][card] = target
    return True


async def fan_out(
    moves: int,
    spacing: float,
    bases: list[str],
    boards: list[harness.Board],
    viewers: list[Viewer],
    sandbox: harness.Sandbox,
    states: list[dict[str, Any]],
) -> None:
    clients = [await mover_client(base) for base in bases]
    watching = [sum(1 for v in viewers if v.board == b) for b in range(len(boards))]
    events_before = sum(v.events for v in viewers)
    cpu_before = sandbox.server_cpu()
    t0 = time.perf_counter()
    expected = failed = 0
    for k in range(moves):
        await asyncio.sleep(max(0.0, t0 + k * spacing - time.perf_counter()))
        b = k % len(boards)
        client, csrf = clients[b % len(bases)]
        if await move_once(client, csrf, boards[b], states[b], k // len(boards)):
            expected += watching[b]
        else:
            failed += 1
    sent = time.perf_counter() - t0
    deadline = time.monotonic() + DRAIN_SECONDS
    while time.monotonic() < deadline and sum(v.events for v in viewers) - events_before < expected:  # noqa: ASYNC110
        await asyncio.sleep(0.2)
    cpu = sandbox.server_cpu() - cpu_before
    delivered = sum(v.events for v in viewers) - events_before
    for client, _ in clients:
        await client.aclose()
    print(
        f"  fan-out: {moves - failed} moves in {sent:.1f} s, {delivered} of {expected} deliveries "
        f"({expected - delivered} lost), {failed} moves refused"
    )
    if delivered:
        print(
            f"  web CPU: {cpu * 1000 / delivered:.3f} ms a delivered message, "
            f"{cpu * 1000 / max(1, moves - failed):.1f} ms a move (all processes, user + system)"
        )


async def throughput(
    seconds: float,
    bases: list[str],
    boards: list[harness.Board],
    states: list[dict[str, Any]],
    sandbox: harness.Sandbox,
) -> None:
    done = [0] * len(bases)
    refused = [0]
    # Boards of their own per mover (b mod P = p), so movers never collide on a card's version.
    movers = [(b % len(bases), b) for b in range(len(boards))][: MOVERS_PER_PROCESS * len(bases)]
    clients = [await mover_client(bases[p]) for p, _ in movers]  # signed in before the clock starts
    stop_at = time.perf_counter() + seconds

    async def mover(p: int, b: int, client: Any, csrf: str) -> None:
        k = 0
        while time.perf_counter() < stop_at:
            if await move_once(client, csrf, boards[b], states[b], 1000 + k):
                done[p] += 1
            else:
                refused[0] += 1
            k += 1

    cpu_before = sandbox.server_cpu()
    began = time.perf_counter()
    await asyncio.gather(*(mover(p, b, *client) for (p, b), client in zip(movers, clients, strict=True)))
    for client, _ in clients:
        await client.aclose()
    took = time.perf_counter() - began
    cpu = sandbox.server_cpu() - cpu_before
    rates = ", ".join(f"{d / took:.0f}" for d in done)
    print(
        f"  throughput: {sum(done) / took:.0f} moves/s in all ({rates} per process; {len(movers)} movers), "
        f"{refused[0]} refused; web CPU {cpu / took:.2f} cores busy  [{harness.load()}]"
    )


async def scenario(args: argparse.Namespace, sandbox: harness.Sandbox) -> int:
    seeded = await harness.seed(boards=args.boards, cards_per_board=args.cards, columns=COLUMNS)
    boards = seeded.boards
    states = [{"version": dict.fromkeys(b.cards, 1), "column": dict(b.column_of)} for b in boards]
    bases = [sandbox.uvicorn() for _ in range(args.processes)]
    pids = [pid for server in sandbox.servers for pid in harness.process_tree(server.pid)]
    viewers, tasks, why = await open_viewers(args.viewers, bases, boards, pids, args.reserve_mb)
    print(f"  viewers: {why}; {len(viewers)} reading")
    await fan_out(args.moves, args.spacing_ms / 1000, bases, boards, viewers, sandbox, states)
    await throughput(args.seconds, bases, boards, states, sandbox)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return 1 if not viewers else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, default=3000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--boards", type=int, default=10)
    parser.add_argument("--cards", type=int, default=40, help="cards a board")
    parser.add_argument("--moves", type=int, default=100)
    parser.add_argument("--spacing-ms", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=10, help="of the throughput phase")
    parser.add_argument(
        "--reserve-mb", type=float, default=400, help="stop opening viewers under this much free memory"
    )
    parser.add_argument("--db", choices=["postgres", "sqlite"], help="default PostgreSQL (a smoke run: see harness)")
    args = harness.options(parser)
    if args.smoke:
        args.viewers, args.processes, args.boards, args.cards = 20, 2, 2, 12
        args.moves, args.spacing_ms, args.seconds = 6, 30, 1
    db = args.db or (harness.smoke_db() if args.smoke else "postgres")
    if db == "postgres" and not harness.postgres_or_skip("viewers on PostgreSQL"):
        return 0
    limit = raise_file_limit()
    harness.heading(
        f"viewers: {args.viewers} over {args.processes} uvicorn processes, {args.boards} boards of {args.cards} cards"
    )
    sandbox = harness.Sandbox(db)
    print(f"  {sandbox.describe()}; {limit} file descriptors a process; {os.cpu_count()} CPUs [{harness.load()}]")
    try:
        return asyncio.run(scenario(args, sandbox))
    except (harness.BenchError, TimeoutError, OSError) as error:
        print(f"  ERROR: {type(error).__name__}: {error}\n{sandbox.server_log()}")
        return 1
    finally:
        sandbox.close()


if __name__ == "__main__":
    raise SystemExit(main())
