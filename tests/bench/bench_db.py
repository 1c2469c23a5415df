"""Database benchmark (run by hand): seed a big district, then time the hot queries on SQLite and PostgreSQL.

    .venv/bin/python tests/bench/bench_db.py                       # 500k devices, ~1M ticket events, both DBs
    .venv/bin/python tests/bench/bench_db.py --devices 50000 --tickets 18000 --only sqlite

Prints one block of figures per database. Targets (issue 2): lookup by tag median <= 1 ms, a device's full
history <= 10 ms, a campus's open queue sorted by SLA time left <= 20 ms, seeding 500k devices <= 60 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

import psycopg
from sqlalchemy import func, select

from kiosk.domain import devices, schema, seed, tickets
from kiosk.domain.db import Database
from kiosk.domain.models import Campus, Device, Ticket, TicketEvent


def timed(fn: Callable[[], object], n: int) -> tuple[float, float, float]:
    """(median, p95, max) in milliseconds over n calls."""
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (n - 1))], samples[-1]


def bench(url: str, label: str, n_devices: int, n_tickets: int) -> None:
    db = Database(url)
    schema.upgrade(db.engine)
    stages: dict[str, list[float]] = {}

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        stages.setdefault(stage, [now, now])[1] = now

    t0 = time.perf_counter()
    summary = seed.seed(db, seed.SeedOptions(devices=n_devices, tickets=n_tickets, seed=1, as_of=date(2026, 11, 2),
                                             hash_passwords=False), progress=progress)
    total = time.perf_counter() - t0
    dev_s = stages["devices"][1] - stages["devices"][0]
    with db.engine.connect() as conn:
        if db.dialect == "postgresql":
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
        else:
            conn.exec_driver_sql("ANALYZE")
    rng = random.Random(5)
    with db.sessions() as s:
        n_events = s.scalar(select(func.count()).select_from(TicketEvent))
        tags = [f"{seed.TAG_PREFIX}{100000 + rng.randrange(n_devices):06d}" for _ in range(2000)]
        busy = list(s.scalars(select(Device.asset_tag).join(Ticket, Ticket.device_id == Device.id)
                              .group_by(Device.asset_tag).having(func.count() >= 2).limit(500)))
        codes = list(s.scalars(select(Campus.code)))
        it = iter(tags * 2)
        lookup = timed(lambda: devices.find_by_tag(s, next(it)), 2000)
        s.expunge_all()
        hit = iter(busy * 4)

        def history() -> None:
            devices.history(s, next(hit))
            s.expunge_all()

        hist = timed(history, 500)
        cit = iter(codes * 50)

        def queue() -> None:
            campus = next(cit)
            rows = tickets.list_tickets(s, campus=campus, limit=500)
            for t in rows:  # what the queue screen shows: category and device tag
                _ = (t.category.code, t.device.asset_tag if t.device else None, t.resolution_due_at)
            s.expunge_all()

        queue_t = timed(queue, min(300, len(codes) * 10))
        open_per_campus = s.scalar(select(func.count()).select_from(Ticket).where(
            Ticket.status.in_(["new", "assigned", "in_progress", "on_hold", "reopened"]))) or 0
    db.dispose()
    print(f"== {label}")
    print(f"   seeded {summary.devices:,} devices, {summary.tickets:,} tickets, {n_events:,} ticket events, "
          f"{summary.repairs:,} repairs, {summary.surveys:,} surveys, {summary.campuses} campuses")
    print(f"   seed: devices phase {dev_s:.1f} s (target <= 60 s for 500k), whole seed {total:.1f} s")
    print(f"   lookup by tag      median {lookup[0]:.3f} ms  p95 {lookup[1]:.3f} ms  max {lookup[2]:.2f} ms"
          "  (target median <= 1 ms)")
    print(f"   device history     median {hist[0]:.3f} ms  p95 {hist[1]:.3f} ms  max {hist[2]:.2f} ms"
          f"  (target <= 10 ms; devices with >= 2 tickets)")
    print(f"   campus open queue  median {queue_t[0]:.3f} ms  p95 {queue_t[1]:.3f} ms  max {queue_t[2]:.2f} ms"
          f"  (target <= 20 ms; {open_per_campus / max(1, len(codes)):.0f} open tickets per campus on average)")
    sys.stdout.flush()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--devices", type=int, default=500_000)
    ap.add_argument("--tickets", type=int, default=180_000)
    ap.add_argument("--only", choices=["sqlite", "postgresql"])
    ap.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = ap.parse_args()
    if args.only != "postgresql":
        with tempfile.TemporaryDirectory() as tmp:
            bench(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", "SQLite (file, WAL, synchronous=FULL)",
                  args.devices, args.tickets)
    if args.only != "sqlite":
        name = f"kiosk_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(args.pg, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            base = args.pg.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
            bench(f"{base}/{name}", "PostgreSQL 15 (127.0.0.1)", args.devices, args.tickets)
        finally:
            with psycopg.connect(args.pg, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
