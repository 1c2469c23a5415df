"""Benchmark (run by hand): time each report on an existing database, e.g. the 1,000,000-ticket district.

    .venv/bin/kiosk seed --url postgresql+psycopg://postgres@127.0.0.1/kiosk_bench_reports \\
        --devices 200000 --tickets 1000000 --as-of 2026-11-20
    .venv/bin/python tests/bench/bench_reports.py postgresql+psycopg://postgres@127.0.0.1/kiosk_bench_reports \\
        --week 2026-W46 --now 2026-11-20T18:00:00+00:00 --repeat 5

Prints, per report, the best and median wall time of building it (queries included, rendering excluded).
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime

from kiosk.domain.clock import FakeClock
from kiosk.domain.db import Database
from kiosk.domain.reports import REPORTS, generate


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("--week", default=None)
    p.add_argument("--now", default=None, help="ISO instant used as 'now' (default: the real clock)")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--reports", default="weekly", help="comma-separated names, or 'all'")
    args = p.parse_args()
    clock = FakeClock(datetime.fromisoformat(args.now)) if args.now else None
    db = Database(args.url, clock=clock) if clock else Database(args.url)
    names = list(REPORTS) if args.reports == "all" else args.reports.split(",")
    with db.unit() as ctx:
        from sqlalchemy import text

        tickets = ctx.session.execute(text("SELECT COUNT(*) FROM tickets")).scalar()
    print(f"{db.dialect}, {tickets:,} tickets")
    for name in names:
        times = []
        closed = None
        for _ in range(args.repeat):
            with db.unit() as ctx:
                started = time.perf_counter()
                report = generate(ctx.session, name, now=ctx.clock.now(), week=args.week)
                times.append(time.perf_counter() - started)
                closed = report.pages[0].facts
        print(f"{name:15} best {min(times):.3f} s  median {statistics.median(times):.3f} s  "
              f"({args.repeat} runs)  {dict(list(closed.items())[:3]) if closed else ''}")
    db.dispose()


if __name__ == "__main__":
    main()
