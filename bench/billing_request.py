"""How fast the web answers "compute a summary": the request only writes a row and queues a job.

    .venv/bin/python bench/billing_request.py                    # 200,000 entries, 200 requests
    .venv/bin/python bench/billing_request.py --entries 1000000  # a year of a large agency
    .venv/bin/python bench/billing_request.py --requests 500
    .venv/bin/python bench/billing_request.py --smoke             # 2,000 entries, 10 requests; targets not checked

uvicorn (one worker) against a throwaway PostgreSQL database (BENCH_POSTGRES_URL's server) filled by
bench/billing.py's generator, and the embedded Redis (or BENCH_REDIS_URL); no arq worker runs, so
the queued jobs stay queued and the figures are the web's alone. An admin signs in over HTTP and asks,
one request after another, for a summary of all clients over last month (POST /billing/summaries,
answered 303 to the summary's page). Run it twice with different --entries to see that the answer
does not depend on the data's size. Target: under 50 ms (issue 6), under 20 ms (DESIGN.md).
A smoke run uses PostgreSQL when BENCH_POSTGRES_URL is set and SQLite otherwise.
Exits non-zero only on errors; a missed target prints MISSED.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness
from billing import setup_sql


async def fill(entries: int, sqlite: bool) -> None:
    from piccolo.engine import engine_finder

    from server.kernel.db import write_transaction
    from server.kernel.passwords import hash_password
    from server.tables import TimeEntry, User

    await harness.quiet_migrate()
    engine = engine_finder()
    assert engine is not None
    began = time.perf_counter()
    async with write_transaction(engine):
        for statement in setup_sql(entries, sqlite=sqlite):
            await TimeEntry.raw(statement)
    await User.insert(
        User(email="admin@bench.test", name="Bench Admin", role="admin", password_hash=hash_password(harness.PASSWORD))
    )
    if not sqlite:
        await engine.run_ddl("ANALYZE")
    print(f"  generated {entries:,} entries in {time.perf_counter() - began:.1f} s")


async def ask(base: str, requests: int) -> list[float]:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        csrf = await harness.sign_in(client, "admin")

        async def once(n: int) -> None:
            response = await client.post(
                "/billing/summaries", data={"client": "", "preset": "last_month"}, headers={"x-csrftoken": csrf}
            )
            if response.status_code != 303:
                raise harness.BenchError(f"request {n} answered {response.status_code}: {response.text[:300]}")

        return await harness.timed(requests, once)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=200)
    args = harness.options(parser)
    db = "postgres"
    if args.smoke:
        args.entries, args.requests, db = 2_000, 10, harness.smoke_db()
    try:
        if db == "postgres" and not harness.postgres_or_skip("billing request on PostgreSQL"):
            return 0
    except harness.BenchError as error:
        print(f"  ERROR: {error}")
        return 1
    sandbox = harness.Sandbox(db)
    try:
        harness.heading(f"POST /billing/summaries with {args.entries:,} entries in the database")
        print(f"  {sandbox.describe()}")
        asyncio.run(fill(args.entries, sqlite=db == "sqlite"))
        base = sandbox.uvicorn(workers=1)
        latencies = asyncio.run(ask(base, args.requests))
        stats = harness.show_stats("POST /billing/summaries (queue a summary)", latencies)
        harness.verdict("median answer (issue 6)", stats["median"], 50, "ms", source="issue 6")
        harness.verdict("p95 answer (issue 6)", stats["p95"], 50, "ms", source="issue 6")
        harness.verdict("median answer (design)", stats["median"], 20, "ms", source="DESIGN.md")
        return 0
    except harness.BenchError as error:
        print(f"  error: {error}\n{sandbox.server_log()}")
        return 1
    finally:
        sandbox.close()


if __name__ == "__main__":
    sys.exit(main())
