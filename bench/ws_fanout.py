"""Websocket fan-out: how fast a card move reaches every viewer of the board, and how many bytes it costs.

    .venv/bin/python bench/ws_fanout.py                      # issue 10's scenarios: two, thousand, bytes50, bytes500
    .venv/bin/python bench/ws_fanout.py --scenario thousand  # one or more by name; `all` adds `one`
    .venv/bin/python bench/ws_fanout.py --db sqlite          # default PostgreSQL (BENCH_POSTGRES_URL's server)
    .venv/bin/python bench/ws_fanout.py --smoke              # `one` and `two`, 6 viewers; targets not checked

Scenarios (viewers split evenly over the web processes, which share Redis pub/sub; moves sent to process 1):
- one:      200 viewers, 1 process, board of 80 cards, 100 moves at most 50 ms apart (issue 3: p99 < 100 ms);
- two:      200 viewers, 2 processes, board of 80 cards, 100 moves at most 50 ms apart (issue 10: p99 < 40 ms);
- thousand: 1,000 viewers, 2 processes, board of 80 cards, 50 moves at 5 a second (issue 10: p99 < 150 ms, 0 lost);
- bytes50, bytes500: 20 viewers, 2 processes, boards of 50 and of 500 cards, 20 moves 100 ms apart:
  bytes a viewer receives for a move, which should not depend on the board's size (issue 10: <= 2 KB).
Override a scenario's sizes with --viewers, --moves, --spacing-ms, --cards.

Every viewer is a real `websockets` client with a signed-in session (three personas, each cookie shared by
many sockets), reading as a browser would. The mover sends one move at a time over HTTP (a move is sent
when its slot comes and the previous one was answered, so a slow server lowers the rate) and is the board's
only writer, so its n-th move is the board's event n. Latency: from sending the POST to a viewer receiving
the message that carries the move's event number; a delivery is lost if it has not arrived 10 s after the
last move. Bytes a delivery: everything the viewers received from the first move to the end of the drain
(heartbeats included, presence excluded since nobody joins then), divided by the deliveries.
Exits non-zero only on errors (failed moves or sockets, lost or duplicated deliveries); a missed target
prints MISSED.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

COLUMNS = 8
CONNECT_BATCH = 25  # sockets opened at once
SETTLE_SECONDS = 30.0  # at most, waiting for presence chatter to calm down after connecting
DRAIN_SECONDS = 10.0  # at most, waiting for the last deliveries after the last move
MOVES_SECONDS = 60.0  # at most, for the whole move loop
KB_TARGET = 2.0  # bytes a delivery (issue 10), whatever the board size


@dataclass(frozen=True)
class Scenario:
    name: str
    viewers: int
    processes: int
    cards: int
    moves: int
    spacing_ms: float
    p99_targets: tuple[tuple[float, str], ...] = ()  # (ms, source)


SCENARIOS = {
    s.name: s
    for s in (
        Scenario("one", 200, 1, 80, 100, 50, ((100, "issue 3"),)),
        Scenario("two", 200, 2, 80, 100, 50, ((40, "issue 10, DESIGN.md"), (100, "issue 3"))),
        Scenario("thousand", 1000, 2, 80, 50, 200, ((150, "issue 10, DESIGN.md"),)),
        Scenario("bytes50", 20, 2, 50, 20, 100),
        Scenario("bytes500", 20, 2, 500, 20, 100),
    )
}
ISSUE = ["two", "thousand", "bytes50", "bytes500"]
SMOKE = ["one", "two"]


class Viewer:
    def __init__(self, index: int) -> None:
        self.index = index
        self.received: dict[int, float] = {}
        self.duplicates = 0
        self.heartbeats = 0
        self.messages = 0
        self.bytes = 0
        self.bytes_from: float | None = None  # count bytes_during from this moment on
        self.bytes_during = 0
        self.last_message = time.perf_counter()
        self.error: str | None = None

    async def watch(self, base: str, project_id: int, cookie: str, opened: asyncio.Queue[int]) -> None:
        try:
            async with await harness.board_socket(base, project_id, cookie) as socket:
                await opened.put(self.index)
                await self._receive(socket)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            self.error = f"{type(error).__name__}: {error}"
            await opened.put(-1 - self.index)

    async def _receive(self, socket: Any) -> None:
        while True:
            message = await socket.recv(decode=False)
            now = time.perf_counter()
            self.messages += 1
            self.bytes += len(message)
            self.last_message = now
            if self.bytes_from is not None and now >= self.bytes_from:
                self.bytes_during += len(message)
            seq, heartbeat = harness.event_of(message)
            if seq is None:
                continue  # presence
            if heartbeat:
                self.heartbeats += 1
            elif seq in self.received:
                self.duplicates += 1
            else:
                self.received[seq] = now


async def sessions(base: str) -> list[str]:
    """One signed-in session cookie per persona (sessions live in the shared Redis)."""
    import httpx

    cookies: list[str] = []
    async with httpx.AsyncClient(base_url=base, timeout=15) as client:
        for person in ("ada", "max", "mia"):
            client.cookies.clear()
            await harness.sign_in(client, person)
            cookie = client.cookies.get("boardroom_session")
            if not cookie:
                raise harness.BenchError("no session cookie after login")
            cookies.append(cookie)
    return cookies


async def connect(scenario: Scenario, bases: list[str], project_id: int) -> tuple[list[Viewer], list[Any]]:
    cookies = await sessions(bases[0])
    viewers = [Viewer(i) for i in range(scenario.viewers)]
    opened: asyncio.Queue[int] = asyncio.Queue()
    tasks = []
    started = time.perf_counter()
    for batch in range(0, len(viewers), CONNECT_BATCH):
        for viewer in viewers[batch : batch + CONNECT_BATCH]:
            base = bases[viewer.index % len(bases)]
            cookie = cookies[viewer.index % len(cookies)]
            tasks.append(asyncio.create_task(viewer.watch(base, project_id, cookie, opened)))
        for _ in viewers[batch : batch + CONNECT_BATCH]:
            await asyncio.wait_for(opened.get(), timeout=90)
    failed = [v for v in viewers if v.error]
    took = time.perf_counter() - started
    print(f"  {len(viewers) - len(failed)} of {len(viewers)} sockets open in {took:.1f} s", end="")
    # Each connect publishes presence to every open socket: wait until that chatter stops.
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline:
        await asyncio.sleep(0.25)
        if time.perf_counter() - max(v.last_message for v in viewers) > 1.0:
            break
    print(f", quiet after {time.perf_counter() - started:.1f} s  [{harness.load()}]")
    if failed:
        raise harness.BenchError(f"{len(failed)} sockets failed to open, e.g. {failed[0].error}")
    return viewers, tasks


async def move_cards(
    scenario: Scenario, base: str, board: harness.Board, viewers: list[Viewer]
) -> tuple[dict[int, float], list[float], int, float]:
    """(send time by event number, answer ms of each move, failed moves, seconds taken)"""
    import httpx

    spacing = scenario.spacing_ms / 1000
    sent: dict[int, float] = {}
    move_ms: list[float] = []
    errors = 0
    async with httpx.AsyncClient(base_url=base, timeout=15) as mover:
        csrf = await harness.sign_in(mover, "max")
        page = await mover.get(f"/projects/{board.project_id}")
        expected = harness.seq_in(page.text)
        if expected is None:
            raise harness.BenchError("no board-seq number in the board page")
        versions = dict.fromkeys(board.cards, 1)
        column_of = dict(board.column_of)
        t0 = time.perf_counter()
        for viewer in viewers:
            viewer.bytes_from = t0
        for k in range(scenario.moves):
            if time.perf_counter() - t0 > MOVES_SECONDS:
                print(f"  (stopped after {k} moves: {MOVES_SECONDS:.0f} s limit)")
                break
            await asyncio.sleep(max(0.0, t0 + k * spacing - time.perf_counter()))
            card = board.cards[(k * 7) % len(board.cards)]
            target = board.columns[(board.columns.index(column_of[card]) + 1) % COLUMNS]
            expected += 1
            start = time.perf_counter()
            sent[expected] = start
            response = await mover.post(
                f"/tasks/{card}/move",
                data={"column_id": target, "version": versions[card]},
                headers={"x-csrftoken": csrf, "hx-request": "true"},
            )
            move_ms.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                # A refused move writes nothing and takes no event number.
                errors += 1
                del sent[expected]
                expected -= 1
                if errors <= 3:
                    print(f"  move {k}: {response.status_code}: {' '.join(response.text.split())[:200]}")
                continue
            versions[card] += 1
            column_of[card] = target
        return sent, move_ms, errors, time.perf_counter() - t0


async def measure(scenario: Scenario, bases: list[str], board: harness.Board, sandbox: harness.Sandbox) -> int:
    viewers, tasks = await connect(scenario, bases, board.project_id)
    cpu = sandbox.server_cpu()
    sent, move_ms, errors, elapsed = await move_cards(scenario, bases[0], board, viewers)
    deadline = time.monotonic() + DRAIN_SECONDS
    while time.monotonic() < deadline and any(sent.keys() - v.received.keys() for v in viewers):  # noqa: ASYNC110
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.2)  # anything a move sends after its numbered message
    cpu_ms = (sandbox.server_cpu() - cpu) * 1000 / max(1, len(sent))
    for task in tasks:
        task.cancel()
    await asyncio.wait(tasks, timeout=10)
    closed = [v for v in viewers if v.error]

    latencies: list[float] = []
    per_process: dict[int, list[float]] = {}
    lost = 0
    for v in viewers:
        for seq, at in sent.items():
            if seq in v.received:
                latency = (v.received[seq] - at) * 1000
                latencies.append(latency)
                per_process.setdefault(v.index % len(bases), []).append(latency)
            else:
                lost += 1
    duplicates = sum(v.duplicates for v in viewers)
    heartbeats = sum(v.heartbeats for v in viewers)
    during = sum(v.bytes_during for v in viewers)
    per_delivery = during / max(1, len(latencies)) / 1024
    total = sum(v.bytes for v in viewers)
    print(
        f"  {len(sent)} moves in {elapsed:.1f} s ({len(sent) / max(elapsed, 1e-9):.1f}/s; a move at a time, every "
        f"{scenario.spacing_ms:.0f} ms at most), {errors} failed; {len(latencies)} deliveries, {lost} lost, "
        f"{duplicates} duplicated, {heartbeats} heartbeats  [{harness.load()}]"
    )
    print(
        f"  {per_delivery:.2f} KB a delivery; {during / 1e6:.1f} MB received during the moves, "
        f"{total / 1e6:.1f} MB in all (with presence)"
    )
    print(f"  uvicorn CPU time {cpu_ms:.0f} ms a move, all processes (draw, publish, {len(viewers)} websocket sends)")
    harness.show_stats("POST move (HTTP answer)", move_ms)
    s = harness.show_stats(f"move -> each of {len(viewers)} viewers", latencies)
    if len(bases) > 1:
        for p, values in sorted(per_process.items()):
            harness.show_stats(f"  viewers on process {p + 1}{' (the mover)' if p == 0 else ''}", values)
    last = [max(v.received[q] for v in viewers) - at for q, at in sent.items() if all(q in v.received for v in viewers)]
    harness.show_stats("move -> last viewer (per move)", [x * 1000 for x in last])
    for target, source in scenario.p99_targets:
        harness.verdict("p99 move -> viewer", s["p99"], target, "ms", source=source)
    harness.verdict("lost deliveries", lost, 0, "", source="issue 10", at_most=True)
    harness.verdict("KB a delivery", per_delivery, KB_TARGET, "KB", source="issue 10", at_most=True)
    problems = errors + lost + duplicates + len(closed)
    if problems:
        example = f", e.g. {closed[0].error}" if closed else ""
        print(
            f"  ERROR: {errors} failed moves, {lost} lost, {duplicates} duplicated, "
            f"{len(closed)} sockets closed{example}"
        )
    return 1 if problems else 0


def run(db: str, scenarios: list[Scenario]) -> int:
    sandbox = harness.Sandbox(db)
    status = 0
    try:

        async def boards() -> list[harness.Board]:
            # A board per scenario, seeded up front: Piccolo picks its database at import, once a process.
            made = []
            for s in scenarios:
                made += (await harness.seed(boards=1, cards_per_board=s.cards, columns=COLUMNS)).boards
            return made

        seeded = asyncio.run(boards())
        bases = [sandbox.uvicorn() for _ in range(max(s.processes for s in scenarios))]
        for scenario, board in zip(scenarios, seeded, strict=True):
            n = scenario.processes
            harness.heading(
                f"ws fan-out '{scenario.name}': {scenario.viewers} viewers over {n} uvicorn process"
                f"{'es' if n > 1 else ''}, {scenario.moves} moves {scenario.spacing_ms:.0f} ms apart, "
                f"board of {scenario.cards} cards in {COLUMNS} columns"
            )
            print(f"  {sandbox.describe()}; board shared with the client; moves via process 1")
            status = max(status, asyncio.run(measure(scenario, bases[:n], board, sandbox)))
        return status
    except (harness.BenchError, TimeoutError, OSError) as error:
        print(f"  ERROR: {type(error).__name__}: {error}\n{sandbox.server_log()}")
        return 1
    finally:
        sandbox.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", nargs="+", choices=[*SCENARIOS, "issue", "all"], default=["issue"])
    parser.add_argument("--db", choices=["postgres", "sqlite"], help="default PostgreSQL (a smoke run: see harness)")
    parser.add_argument("--viewers", type=int)
    parser.add_argument("--moves", type=int)
    parser.add_argument("--spacing-ms", type=float)
    parser.add_argument("--cards", type=int)
    args = harness.options(parser)
    names: list[str] = []
    for name in SMOKE if args.smoke else args.scenario:
        for one in {"issue": ISSUE, "all": ["one", *ISSUE]}.get(name, [name]):
            names += [one] if one not in names else []
    scenarios = [SCENARIOS[n] for n in names]
    if args.smoke:
        scenarios = [replace(s, viewers=6, moves=4, spacing_ms=30, cards=16) for s in scenarios]
    overrides = {"viewers": args.viewers, "moves": args.moves, "spacing_ms": args.spacing_ms, "cards": args.cards}
    scenarios = [replace(s, **{k: v for k, v in overrides.items() if v is not None}) for s in scenarios]
    db = args.db or (harness.smoke_db() if args.smoke else "postgres")
    try:
        if db == "postgres" and not harness.postgres_or_skip("ws fan-out on PostgreSQL"):
            return 0
    except harness.BenchError as error:
        print(f"  ERROR: {error}")
        return 1
    return run(db, scenarios)


if __name__ == "__main__":
    raise SystemExit(main())
