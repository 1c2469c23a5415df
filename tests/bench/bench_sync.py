"""Sync benchmark (run by hand): initial sync, offline push, 100 kiosks at once, and the server's apply rate.

    .venv/bin/python tests/bench/bench_sync.py                      # every figure in docs/sync.md
    .venv/bin/python tests/bench/bench_sync.py --devices 5000 --kiosks 20 --rounds 3

Needs PostgreSQL on 127.0.0.1:5432 (user postgres; KIOSK_TEST_PG overrides). The server is a real
`kiosk server` process on a free 127.0.0.1 port; every figure is wall time measured here. Targets (issue 5):
initial sync of a 20,000-device campus <= 10 s, a push of 1,000 offline edits <= 2 s, 100 kiosks syncing
at once p95 <= 1 s per round, apply rate >= 5,000 operations/s. `--only workers` runs 100 and 1,000 kiosks
against `kiosk server --workers 1` and `--workers 2`, interleaved in one run (issue 15).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.domain import devices, schema, seed, tickets  # noqa: E402
from kiosk.domain.db import Actor, Database  # noqa: E402
from kiosk.domain.models import Campus, Device, StaffUser, Ticket  # noqa: E402
from kiosk.protocol import hlc
from kiosk.server.apply import Pusher, apply_push, parse_ops  # noqa: E402
from kiosk.sync import local  # noqa: E402
from kiosk.sync.client import SyncReport  # noqa: E402
from tests.sync.harness import KioskNode, ServerProcess, make_kiosk  # noqa: E402

ADMIN = os.environ.get("KIOSK_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def fresh_pg(name: str) -> str:
    conn = psycopg.connect(ADMIN.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return ADMIN.rsplit("/", 1)[0] + "/" + name


def drop_pg(name: str) -> None:
    conn = psycopg.connect(ADMIN.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def cpu_seconds(server: ServerProcess) -> float:
    """CPU time the server process has used so far (Linux /proc), to show where a round's time goes."""
    assert server.proc is not None
    fields = Path(f"/proc/{server.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(samples: list[float], p: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, round(p * (len(s) - 1)))]


def staff_actor(node: KioskNode) -> Actor:
    with node.db.unit() as ctx:
        staff = ctx.session.scalars(select(StaffUser.id).order_by(StaffUser.username).limit(1)).one()
    return Actor(staff_id=staff, kiosk_id=node.config.kiosk_id, label="kiosk")


def big_campus(devices_n: int, tmp: Path) -> None:
    name = f"bench_sync_big_{uuid.uuid4().hex[:6]}"
    url = fresh_pg(name)
    db = Database(url)
    schema.upgrade(db.engine)
    t0 = time.perf_counter()
    summary = seed.seed(db, seed.SeedOptions(devices=devices_n, tickets=devices_n // 10, campuses=1,
                                             hash_passwords=False))
    print(f"seeded one campus with {summary.devices:,} devices, {summary.tickets:,} tickets, "
          f"{summary.events:,} events in {time.perf_counter() - t0:.1f} s")
    server = ServerProcess(url).start()
    try:
        node = make_kiosk(db, server.url, summary.demo_campus, tmp / "big.sqlite3", "big")
        t0 = time.perf_counter()
        report = node.syncer.sync_once()
        initial = time.perf_counter() - t0
        print(f"initial sync into an empty kiosk: {report.pulled:,} rows in {initial:.2f} s "
              f"({report.pulled / initial:,.0f} rows/s)  [target <= 10 s]")
        with node.db.unit() as ctx:
            tags = list(ctx.session.scalars(select(Device.asset_tag).order_by(Device.asset_tag).limit(1000)))
        actor = staff_actor(node)
        t0 = time.perf_counter()
        for i, tag in enumerate(tags):
            with node.db.unit(actor) as ctx:
                devices.set_fields(ctx, tag, {"notes": f"bench edit {i}"})
        edit_s = time.perf_counter() - t0
        ops = local.pending_count(node.db)
        push_report = SyncReport()
        t0 = time.perf_counter()
        node.syncer.push(push_report)
        push_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        node.syncer.pull(push_report)
        pull_s = time.perf_counter() - t0
        print(f"1,000 offline edits ({ops:,} outbox operations: device update + audit entry each; made locally in "
              f"{edit_s:.2f} s): push {push_s:.2f} s ({ops / push_s:,.0f} ops/s over HTTP)  [target <= 2 s]; "
              f"pulling them back {pull_s:.2f} s")
        node.close()
    finally:
        server.stop()
        db.dispose()
        drop_pg(name)


@dataclass
class OwnRound:
    samples: list[float]  # per kiosk: its local steps plus its request
    errors: list[str]
    wall: float  # from releasing the requests to the last answer
    requests: list[float]  # each request's own time
    used: list[float]  # what each meter counted while the requests ran (CPU seconds)


def own_computer_round(group: list[KioskNode], meters: list[Callable[[], float]], *,
                       join_timeout: float = 300) -> OwnRound:
    """One round of ``group`` as if each kiosk were its own computer (method A).

    A kiosk's local steps (read its outbox: ``begin_round``; apply the answer: ``finish_round``) are timed one
    kiosk at a time; the requests (``post_round``) are released at the same moment by one thread per kiosk, so
    the service gets all of them at once. ``meters`` (e.g. the service's CPU) are read around the requests.
    """
    local_part: dict[int, float] = {}
    requests: dict[int, Any] = {}
    for i, n in enumerate(group):
        t = time.perf_counter()
        requests[i] = n.syncer.begin_round()
        local_part[i] = time.perf_counter() - t
    answers: dict[int, tuple[float, object]] = {}
    gate = threading.Barrier(len(group))

    def send(i: int) -> None:
        gate.wait()
        t = time.perf_counter()
        try:
            answer: object = group[i].syncer.post_round(requests[i][1])
        except Exception as exc:
            answer = exc
        answers[i] = (time.perf_counter() - t, answer)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(group))]
    before = [m() for m in meters]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join(join_timeout)
    out = OwnRound([], [], time.perf_counter() - t0, sorted(a[0] for a in answers.values()),
                   [m() - b for m, b in zip(meters, before, strict=True)])
    for i, n in enumerate(group):
        spent, answer = answers.get(i, (0.0, RuntimeError("no answer")))
        if isinstance(answer, Exception):
            out.errors.append(str(answer))
            continue
        t = time.perf_counter()
        try:
            n.syncer.finish_round(requests[i][0], answer, t)  # type: ignore[arg-type]
        except Exception as exc:
            out.errors.append(str(exc))
            continue
        out.samples.append(local_part[i] + spent + time.perf_counter() - t)
    return out


def many_kiosks(kiosks: int, rounds: int, tmp: Path) -> None:
    name = f"bench_sync_many_{uuid.uuid4().hex[:6]}"
    url = fresh_pg(name)
    db = Database(url)
    schema.upgrade(db.engine)
    campuses_n = max(1, kiosks // 5)
    seed.seed(db, seed.SeedOptions(devices=campuses_n * 100, tickets=campuses_n * 20, campuses=campuses_n,
                                   hash_passwords=False))
    with db.unit() as ctx:
        codes = list(ctx.session.scalars(select(Campus.code).order_by(Campus.code)))
    server = ServerProcess(url).start()
    nodes: list[KioskNode] = []
    try:
        t0 = time.perf_counter()
        for i in range(kiosks):
            node = make_kiosk(db, server.url, codes[i % len(codes)], tmp / f"m{i}.sqlite3", f"m{i}")
            node.syncer.sync_once()
            nodes.append(node)
        print(f"{kiosks} kiosks on {campuses_n} campuses enrolled and initially synced in "
              f"{time.perf_counter() - t0:.1f} s")
        actors = [staff_actor(n) for n in nodes]
        numbers = []
        for n in nodes:
            with n.db.unit() as ctx:
                numbers.append(list(ctx.session.scalars(select(Ticket.number).where(
                    Ticket.campus_id == n.config.campus_id).limit(5))))
        samples: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()

        def offline_edits(r: int) -> None:
            for n, actor, nums in zip(nodes, actors, numbers, strict=True):
                for j in range(3):  # three offline edits per kiosk per round
                    with n.db.unit(actor) as ctx:
                        tickets.add_note(ctx, nums[j % len(nums)], f"round {r} note {j}", public=False)

        # A. Each kiosk on its own computer, as in a district: a kiosk's local steps (read its outbox, then
        # apply the answer) are timed one kiosk at a time; the requests all reach the service at once.
        own: list[float] = []
        own_errors: list[str] = []
        for r in range(rounds):
            offline_edits(r)
            done = own_computer_round(nodes, [lambda: cpu_seconds(server)], join_timeout=120)
            own += done.samples
            own_errors += done.errors
            print(f"  round {r + 1}: the service answered all {kiosks} in {done.wall:.2f} s (request p50 "
                  f"{statistics.median(done.requests) * 1000:.0f} ms; service CPU {done.used[0]:.2f} s)")
        print(f"{kiosks} kiosks syncing at once, each on its own computer, {rounds} rounds (push 3 notes + pull): "
              f"per-kiosk round p50 {statistics.median(own) * 1000:.0f} ms, p95 {pct(own, 0.95) * 1000:.0f} ms, "
              f"max {max(own) * 1000:.0f} ms, errors {len(own_errors)}  [target p95 <= 1 s]")
        if own_errors:
            print("  first error:", own_errors[0])

        # B. All 100 kiosks as threads of this process, sharing this machine's 2 cores with the service.
        for r in range(rounds, 2 * rounds):
            offline_edits(r)
            barrier = threading.Barrier(len(nodes))

            def one(node: KioskNode, barrier: threading.Barrier = barrier) -> None:
                barrier.wait()
                t = time.perf_counter()
                try:
                    node.syncer.sync_once()
                except Exception as exc:
                    with lock:
                        errors.append(str(exc))
                    return
                with lock:
                    samples.append(time.perf_counter() - t)

            threads = [threading.Thread(target=one, args=(n,)) for n in nodes]
            t0, c0, s0 = time.perf_counter(), time.process_time(), cpu_seconds(server)
            for th in threads:
                th.start()
            for th in threads:
                th.join(120)
            print(f"  round {r + 1 - rounds}: all {kiosks} kiosks done in {time.perf_counter() - t0:.2f} s "
                  f"(CPU: service {cpu_seconds(server) - s0:.2f} s, the simulated kiosks "
                  f"{time.process_time() - c0:.2f} s)")
        print(f"{kiosks} kiosks syncing at once as threads of one process, {rounds} rounds: per-kiosk round "
              f"p50 {statistics.median(samples) * 1000:.0f} ms, p95 {pct(samples, 0.95) * 1000:.0f} ms, "
              f"max {max(samples) * 1000:.0f} ms, errors {len(errors)}  [target p95 <= 1 s]")
        if errors:
            print("  first error:", errors[0])
    finally:
        for n in nodes:
            n.close()
        server.stop()
        db.dispose()
        drop_pg(name)


def apply_rate(ops_n: int) -> None:
    name = f"bench_sync_apply_{uuid.uuid4().hex[:6]}"
    url = fresh_pg(name)
    db = Database(url)
    schema.upgrade(db.engine)
    summary = seed.seed(db, seed.SeedOptions(devices=max(2000, ops_n // 2), tickets=200, campuses=1,
                                             hash_passwords=False))
    try:
        with db.unit() as ctx:
            campus = ctx.session.scalars(select(Campus.id).where(Campus.code == summary.demo_campus)).one()
            device_ids = list(ctx.session.scalars(select(Device.id).limit(ops_n // 2)))
            ticket_ids = list(ctx.session.scalars(select(Ticket.id).limit(50)))
        pusher = Pusher(kiosk_id=uuid.uuid4(), campus_id=campus, node="b" * 32)
        rates = []
        now = db.clock.now()
        for run in range(3):
            before, now = now, db.clock.now()
            clock = None
            raw = []
            for i in range(ops_n):
                clock = hlc.tick(clock, pusher.node)
                if i % 2:
                    raw.append({"op_id": str(uuid.uuid4()), "table": "devices", "row_id": str(device_ids[i // 2]),
                                "kind": "update", "set": {"notes": f"run {run} n{i}", "updated_at": now.isoformat()},
                                # what the kiosk saw before its edit, as a kiosk's outbox records it
                                "old": {"notes": f"run {run - 1} n{i}", "updated_at": before.isoformat()} if run else {},
                                "hlc": clock})
                else:
                    eid = uuid.uuid4()
                    raw.append({"op_id": str(uuid.uuid4()), "table": "ticket_events", "row_id": str(eid),
                                "kind": "insert", "hlc": clock, "set": {
                                    "id": str(eid), "ticket_id": str(ticket_ids[i % len(ticket_ids)]),
                                    "at": now.isoformat(), "kind": "note", "public": False, "body": f"note {i}",
                                    "created_at": now.isoformat(), "updated_at": now.isoformat()}})
            batches = [raw[i:i + 2000] for i in range(0, len(raw), 2000)]
            t0 = time.perf_counter()
            for batch in batches:
                with db.engine.begin() as conn:
                    apply_push(conn, pusher, parse_ops(batch), now, db)
            rates.append(ops_n / (time.perf_counter() - t0))
        print(f"server apply rate: {ops_n:,} operations (half note inserts, half device field updates) in "
              f"batches of 2,000, one PostgreSQL transaction each, 3 runs: "
              f"{', '.join(f'{r:,.0f}' for r in rates)} ops/s (median {statistics.median(rates):,.0f})  "
              f"[target >= 5,000/s]")
    finally:
        db.dispose()
        drop_pg(name)


class WorkerServer(ServerProcess):
    """`kiosk server --workers N` in its own process; CPU is summed over the parent and its workers."""

    def __init__(self, db_url: str, workers: int, port: int | None = None) -> None:
        super().__init__(db_url, port=port)
        self.workers = workers

    def start(self, timeout: float = 120.0) -> WorkerServer:
        import subprocess

        import httpx

        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "server", "--db", self.db_url, "--host", "127.0.0.1",
             "--port", str(self.port), "--workers", str(self.workers), "--no-jobs"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready = len(self.worker_pids()) == self.workers if self.workers > 1 else True
            try:
                if ready and all(httpx.get(self.url + "/v1/info", timeout=2).status_code == 200 for _ in range(4)):
                    time.sleep(1.0 if self.workers > 1 else 0)  # every worker past its start-up
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("the server did not start in time")

    def worker_pids(self) -> list[int]:
        assert self.proc is not None
        kids = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        out = []
        for c in (int(x) for x in kids.read_text().split()) if kids.exists() else []:
            try:
                if "spawn_main" in Path(f"/proc/{c}/cmdline").read_text(errors="replace"):
                    out.append(c)
            except FileNotFoundError:
                pass
        return out

    def cpu(self) -> float:
        assert self.proc is not None
        total = 0.0
        for pid in [self.proc.pid, *self.worker_pids()]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total


def pg_backend_cpu(dbname: str) -> float:
    """CPU seconds used so far by the PostgreSQL backends connected to ``dbname`` (the service's pool)."""
    conn = psycopg.connect(ADMIN.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
    try:
        pids = [r[0] for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> "
                                           "pg_backend_pid()", (dbname,))]
    finally:
        conn.close()
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, PermissionError):
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def workers_scaling(kiosk_counts: list[int], worker_counts: list[int], rounds: int, repeats: int,
                    tmp: Path) -> None:
    """Rounds of N kiosks at once against 1 and 2 worker processes, measured interleaved in one run.

    Each kiosk works as if on its own computer (method A of many_kiosks): its local steps are timed one
    kiosk at a time, and the requests of every kiosk are released together. The kiosks are enrolled once;
    the service is restarted with each worker count in turn (1, 2, 1, 2, ...) so drift in the machine's load
    falls on both alike.
    """
    name = f"bench_sync_workers_{uuid.uuid4().hex[:6]}"
    url = fresh_pg(name)
    db = Database(url)
    schema.upgrade(db.engine)
    most = max(kiosk_counts)
    campuses_n = max(1, most // 5)
    seed.seed(db, seed.SeedOptions(devices=campuses_n * 50, tickets=campuses_n * 10, campuses=campuses_n,
                                   hash_passwords=False))
    with db.unit() as ctx:
        codes = list(ctx.session.scalars(select(Campus.code).order_by(Campus.code)))
    nodes: list[KioskNode] = []
    results: dict[tuple[int, int], list[float]] = {}
    service_cpu: dict[tuple[int, int], list[float]] = {}
    db_cpu: dict[tuple[int, int], list[float]] = {}
    errors: dict[tuple[int, int], int] = {}
    server: WorkerServer | None = None
    try:
        server = WorkerServer(url, 1).start()
        port, base_url = server.port, server.url
        t0 = time.perf_counter()
        import shutil
        from concurrent.futures import ThreadPoolExecutor

        from kiosk.server import auth
        from kiosk.sync.client import Syncer, enroll

        template = tmp / "template.sqlite3"  # migrated once: Alembic's context is global, not for threads
        tdb = Database(f"sqlite:///{template}")
        schema.upgrade(tdb.engine)
        tdb.dispose()

        def enroll_one(i: int) -> KioskNode:
            path = tmp / f"w{i}.sqlite3"
            shutil.copyfile(template, path)
            kdb = Database(f"sqlite:///{path}")
            code, _campus, _expires = auth.create_enrollment_code(db, codes[i % len(codes)])
            cfg, _ = enroll(kdb, base_url, code, f"w{i}", path=path.with_suffix(".json"))
            node = KioskNode(kdb, cfg, Syncer(kdb, cfg, push_batch=500))
            node.syncer.sync_once()
            return node

        with ThreadPoolExecutor(6) as pool:  # set-up only: enrolled several at a time, not measured
            for i, node in enumerate(pool.map(enroll_one, range(most))):
                nodes.append(node)
                if (i + 1) % 100 == 0:
                    print(f"  {i + 1} of {most} kiosks enrolled and synced ({time.perf_counter() - t0:.0f} s)",
                          flush=True)
        server.stop()
        actors = [staff_actor(n) for n in nodes]
        numbers = []
        for n in nodes:
            with n.db.unit() as ctx:
                numbers.append(list(ctx.session.scalars(select(Ticket.number).where(
                    Ticket.campus_id == n.config.campus_id).limit(3))))
        r_global = 0
        for rep in range(repeats):
            for workers in worker_counts:
                server = WorkerServer(url, workers, port=port).start()  # the kiosks' port, each time
                try:
                    for k in kiosk_counts:
                        group = nodes[:k]
                        for _r in range(rounds):
                            r_global += 1
                            for n, actor, nums in zip(group, actors, numbers, strict=False):
                                with n.db.unit(actor) as ctx:
                                    tickets.add_note(ctx, nums[0], f"workers round {r_global}", public=False)
                            done = own_computer_round(group, [server.cpu, lambda: pg_backend_cpu(name)])
                            service_cpu.setdefault((k, workers), []).append(done.used[0])
                            db_cpu.setdefault((k, workers), []).append(done.used[1])
                            errors[(k, workers)] = errors.get((k, workers), 0) + len(done.errors)
                            results.setdefault((k, workers), []).extend(done.samples)
                            got = results.get((k, workers), [])
                            print(f"  pass {rep + 1}, {workers} worker(s), {k} kiosks: round done, "
                                  f"service CPU {service_cpu[(k, workers)][-1]:.2f} s, load "
                                  f"{os.getloadavg()[0]:.1f}, p95 so far {pct(got, 0.95) * 1000:.0f} ms", flush=True)
                finally:
                    server.stop()
        print(f"kiosks at once against N worker processes ({repeats} interleaved passes x {rounds} rounds each; "
              f"each round: push 1 note + pull; target p95 <= 1 s):")
        for k in kiosk_counts:
            for workers in worker_counts:
                got = results.get((k, workers), [])
                cpu = service_cpu.get((k, workers), [])
                pg = db_cpu.get((k, workers), [0.0])
                if not got:
                    print(f"  {k:5d} kiosks, {workers} worker(s): no successful rounds "
                          f"(errors {errors.get((k, workers), 0)})")
                    continue
                print(f"  {k:5d} kiosks, {workers} worker(s): p50 {statistics.median(got) * 1000:6.0f} ms, "
                      f"p95 {pct(got, 0.95) * 1000:6.0f} ms, max {max(got) * 1000:6.0f} ms, service CPU per "
                      f"round {statistics.median(cpu):.2f} s ({statistics.median(cpu) / k * 1000:.1f} ms per "
                      f"kiosk), PostgreSQL CPU {statistics.median(pg):.2f} s ({statistics.median(pg) / k * 1000:.1f} "
                      f"ms per kiosk), errors {errors.get((k, workers), 0)}")
    finally:
        if server is not None:
            server.stop()  # a set-up that failed leaves none running (stop() does nothing if stopped)
        for n in nodes:
            n.close()
        db.dispose()
        drop_pg(name)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--devices", type=int, default=20_000)
    p.add_argument("--kiosks", type=int, default=100)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--apply-ops", type=int, default=20_000)
    p.add_argument("--only", choices=["big", "many", "apply", "workers"], default=None)
    p.add_argument("--scale-kiosks", default="100,1000", help="kiosk counts for the workers run (comma list)")
    p.add_argument("--scale-workers", default="1,2", help="worker counts for the workers run (comma list)")
    p.add_argument("--scale-rounds", type=int, default=2)
    p.add_argument("--scale-passes", type=int, default=2)
    args = p.parse_args()
    # The service processes started here inherit this: the benchmark enrolls hundreds of kiosks from one
    # address, which the enrollment rate limit (10 a minute) exists to stop.
    os.environ.setdefault("KIOSK_RATE_LIMIT_SCALE", "0")
    with tempfile.TemporaryDirectory() as tmp:
        if args.only in (None, "apply"):
            apply_rate(args.apply_ops)
        if args.only in (None, "big"):
            big_campus(args.devices, Path(tmp))
        if args.only in (None, "many"):
            many_kiosks(args.kiosks, args.rounds, Path(tmp))
        if args.only in (None, "workers"):
            workers_scaling([int(x) for x in args.scale_kiosks.split(",")],
                            [int(x) for x in args.scale_workers.split(",")], args.scale_rounds,
                            args.scale_passes, Path(tmp))


if __name__ == "__main__":
    main()
