"""Write-path benchmark (run by hand): concurrent writes on one kiosk database, plain BEGIN vs the one writer.

    .venv/bin/python tests/bench/bench_writes.py [--pairs 100] [--threads 4] [--writes 25]

Two figures per mode, measured in the same run: how many of N pairs of simultaneous write units had one fail
(the issue measured 98 of 100 with a plain BEGIN), and the latency of a walk-up ticket while other threads write
(median, p95, max, failures). "plain" replaces the writer's turn + BEGIN IMMEDIATE by a deferred BEGIN, as
before issue 11. Prints the load average: this machine is shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select

from kiosk.domain import db as db_module
from kiosk.domain import schema, seed, tickets
from kiosk.domain.db import Actor, Database
from kiosk.domain.models import AuditLogEntry, Device


def _plain_begin(_self: Any, conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN")


def _district(folder: Path, name: str) -> tuple[Database, list[str]]:
    db = Database(f"sqlite:///{folder / name}")
    schema.upgrade(db.engine)
    seed.seed(db, seed.SeedOptions(devices=60, tickets=0, hash_passwords=False, as_of=date(2026, 9, 14)))
    with db.read() as ctx:
        tags = list(ctx.session.scalars(select(Device.asset_tag).order_by(Device.asset_tag)))
    return db, tags


def pairs(db: Database, tag: str, n: int) -> int:
    """N times: two units released together, each reading then writing (as an audit scan does)."""
    failed = 0
    for _ in range(n):
        gate = threading.Barrier(2)
        errors: list[BaseException] = []

        def unit(gate: threading.Barrier = gate, errors: list[BaseException] = errors) -> None:
            gate.wait()
            try:
                with db.unit(Actor(label="kiosk")) as ctx:
                    ctx.session.scalar(select(func.count()).select_from(AuditLogEntry))
                    tickets.create_ticket(ctx, category="screen", description="pair", reporter="204511", tag=tag)
            except Exception as exc:  # noqa: BLE001 - counted
                errors.append(exc)

        ts = [threading.Thread(target=unit) for _ in range(2)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        failed += bool(errors)
    return failed


def latency(db: Database, tags: list[str], threads: int, writes: int) -> tuple[list[float], int]:
    samples: list[float] = []
    failures = [0]
    lock = threading.Lock()
    gate = threading.Barrier(threads)

    def writer(tag: str) -> None:
        gate.wait()
        for i in range(writes):
            t0 = time.perf_counter()
            try:
                with db.unit(Actor(label="kiosk")) as ctx:
                    tickets.create_ticket(ctx, category="power", description=f"w {i}", reporter="204511", tag=tag)
            except Exception:  # noqa: BLE001 - counted
                with lock:
                    failures[0] += 1
                continue
            with lock:
                samples.append((time.perf_counter() - t0) * 1000)

    ts = [threading.Thread(target=writer, args=(tags[n],)) for n in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return samples, failures[0]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--pairs", type=int, default=100)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--writes", type=int, default=25)
    args = p.parse_args()
    real: Callable[..., None] = db_module._SQLiteWriter.begin
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("plain", "writer", "plain", "writer"):  # interleaved, so both see the same load
            db_module._SQLiteWriter.begin = _plain_begin if mode == "plain" else real  # type: ignore[method-assign]
            db, tags = _district(Path(tmp), f"{mode}-{time.monotonic_ns()}.sqlite3")
            failed = pairs(db, tags[0], args.pairs)
            samples, failures = latency(db, tags[1:], args.threads, args.writes)
            samples.sort()
            line = (f"{mode:6}  pairs with a failure: {failed:3}/{args.pairs}   "
                    f"{args.threads} threads x {args.writes} tickets: failures {failures:3}")
            if samples:
                line += (f", median {statistics.median(samples):6.1f} ms, "
                         f"p95 {samples[int(0.95 * (len(samples) - 1))]:6.1f} ms, max {samples[-1]:6.1f} ms")
            print(line, flush=True)
            db.dispose()
    db_module._SQLiteWriter.begin = real  # type: ignore[method-assign]
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
