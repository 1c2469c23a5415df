"""One writer per database: threads and processes writing at once all succeed, in order, and nothing is lost."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from kiosk.domain import room_audit, seed, tickets
from kiosk.domain.db import Actor, Database, DatabaseBusy, WriterTurn
from kiosk.domain.errors import DomainError
from kiosk.domain.models import AuditScan, Device, Room, StaffRole, StaffUser, Ticket

THREADS = 8
WRITES_PER_THREAD = 10
PROCESSES = 3
WRITES_PER_PROCESS = 10


@pytest.fixture
def district(db: Database) -> Database:
    seed.seed(db, seed.SeedOptions(devices=60, tickets=0, hash_passwords=False, as_of=db.clock.now().date()))
    return db


def _tags(db: Database) -> list[str]:
    with db.read() as ctx:
        return list(ctx.session.scalars(select(Device.asset_tag).order_by(Device.asset_tag)))


def _ticket_count(db: Database) -> int:
    with db.read() as ctx:
        return int(ctx.session.scalar(select(func.count()).select_from(Ticket)) or 0)


def _all_at_once(jobs: list[Callable[[], None]]) -> list[BaseException]:
    """Run every job on its own thread, released together; the errors they raised."""
    errors: list[BaseException] = []
    gate = threading.Barrier(len(jobs))

    def run(job: Callable[[], None]) -> None:
        gate.wait()
        try:
            job()
        except BaseException as exc:  # noqa: BLE001 - counted and shown by the test
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(j,)) for j in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return errors


def _file(db: Database, tag: str, note: str) -> Callable[[], None]:
    def job() -> None:
        for i in range(WRITES_PER_THREAD):
            with db.unit(Actor(label="kiosk")) as ctx:
                tickets.create_ticket(ctx, category="screen", description=f"{note} {i}", reporter="204511",
                                      tag=tag)
    return job


def test_threads_filing_tickets_at_once_all_succeed(district: Database) -> None:
    tags = _tags(district)
    errors = _all_at_once([_file(district, tags[n], f"thread {n}") for n in range(THREADS)])
    assert errors == []
    assert _ticket_count(district) == THREADS * WRITES_PER_THREAD


CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from kiosk.domain import tickets
    from kiosk.domain.db import Actor, Database
    url, go, tags = sys.argv[1], Path(sys.argv[2]), sys.argv[3].split(",")
    db = Database(url)
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.005)
    for i, tag in enumerate(tags):
        with db.unit(Actor(label="kiosk")) as ctx:
            tickets.create_ticket(ctx, category="power", description=f"process {i}", reporter="204512", tag=tag)
    print("done", flush=True)
""")


def test_processes_and_threads_writing_at_once_all_succeed(district: Database, tmp_path: Path) -> None:
    """Three kiosk processes (or the CLI beside the kiosk) and eight threads write the same file at once."""
    tags = _tags(district)
    go = tmp_path / "go"
    children = []
    for p in range(PROCESSES):
        mine = tags[20 + p * WRITES_PER_PROCESS:20 + (p + 1) * WRITES_PER_PROCESS]
        children.append(subprocess.Popen([sys.executable, "-c", CHILD, district.url, str(go), ",".join(mine)],
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for child in children:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"

    def release() -> None:
        go.touch()
    errors = _all_at_once([release, *(_file(district, tags[n], f"thread {n}") for n in range(THREADS))])
    outcomes = [child.communicate(timeout=120) for child in children]
    assert errors == []
    assert [c.returncode for c in children] == [0] * PROCESSES, [err for _out, err in outcomes]
    assert _ticket_count(district) == THREADS * WRITES_PER_THREAD + PROCESSES * WRITES_PER_PROCESS


def _audit(db: Database) -> tuple[Actor, Any, list[str]]:
    with db.unit() as ctx:
        s = ctx.session
        tech = s.scalars(select(StaffUser).where(StaffUser.role == StaffRole.TECHNICIAN)).first()
        assert tech is not None
        room_id = s.scalar(select(Device.room_id).where(Device.room_id.is_not(None))
                           .group_by(Device.room_id).order_by(func.count().desc()).limit(1))
        room = s.get(Room, room_id)
        assert room is not None
        in_room = list(s.scalars(select(Device.asset_tag).where(Device.room_id == room_id)))
        actor = Actor(staff_id=tech.id, label="technician")
    with db.unit(actor) as ctx:
        audit_id = room_audit.start_audit(ctx, room.id)
    return actor, audit_id, in_room


def test_a_fast_room_audit_records_every_scan(district: Database) -> None:
    """Scans 50 ms apart, each on its own job that does not wait for the one before: every scan is recorded."""
    actor, audit_id, in_room = _audit(district)
    scans = (in_room * 4)[:16] + ["NOT-A-DEVICE-1"]
    errors: list[BaseException] = []
    results: list[room_audit.ScanResult] = []
    threads = []

    def scan(tag: str) -> None:
        try:
            with district.unit(actor) as ctx:
                results.append(room_audit.record_scan(ctx, audit_id, tag))
        except BaseException as exc:  # noqa: BLE001 - counted and shown by the test
            errors.append(exc)

    for tag in scans:
        t = threading.Thread(target=scan, args=(tag,))
        t.start()
        threads.append(t)
        time.sleep(0.05)
    for t in threads:
        t.join(60)
    assert errors == []
    with district.read() as ctx:
        recorded = list(ctx.session.scalars(select(AuditScan.tag).where(AuditScan.session_id == audit_id)
                                            .order_by(AuditScan.scanned_at, AuditScan.created_at)))
    assert sorted(recorded) == sorted(t.upper() for t in scans)
    assert max(r.distinct_count for r in results) == len({t.upper() for t in scans})


def test_a_sync_round_and_walk_up_writes_at_once(district: Database) -> None:
    """The sync worker's local steps (outbox, cursor, state) share the writer with the UI's jobs."""
    from kiosk.sync import local

    tags = _tags(district)

    def sync_like() -> None:
        for i in range(WRITES_PER_THREAD * 2):
            local.apply_page(district, [], f"cursor-{i}", None)
            local.record_success(district)

    errors = _all_at_once([sync_like, *(_file(district, tags[n], f"thread {n}") for n in range(4))])
    assert errors == []
    assert _ticket_count(district) == 4 * WRITES_PER_THREAD
    assert local.cursor(district) == f"cursor-{WRITES_PER_THREAD * 2 - 1}"


def test_reads_do_not_wait_for_the_writer(district: Database) -> None:
    """A long write holds the writer's turn; a read meanwhile answers at once (WAL: the last committed data)."""
    before = _ticket_count(district)
    tag = _tags(district)[0]
    inside = threading.Event()
    finish = threading.Event()

    def long_write() -> None:
        with district.unit() as ctx:
            tickets.create_ticket(ctx, category="screen", description="slow one", reporter="204511", tag=tag)
            ctx.session.flush()
            inside.set()
            finish.wait(10)

    t = threading.Thread(target=long_write)
    t.start()
    assert inside.wait(10)
    started = time.monotonic()
    assert _ticket_count(district) == before
    with district.reading() as conn:
        assert conn.execute(text("SELECT count(*) FROM tickets")).scalar_one() == before
    waited = time.monotonic() - started
    finish.set()
    t.join(10)
    assert waited < 2.0
    assert _ticket_count(district) == before + 1


def test_a_read_unit_refuses_to_write(district: Database) -> None:
    tag = _tags(district)[0]
    with pytest.raises(RuntimeError, match="read-only"), district.read() as ctx:
        tickets.create_ticket(ctx, category="screen", description="not here", reporter="204511", tag=tag)
        ctx.session.flush()
    with pytest.raises(RuntimeError, match="read-only"), district.read() as ctx:  # a change never flushed
        device = ctx.session.scalars(select(Device).where(Device.asset_tag == tag)).one()
        device.model = "changed where nothing is saved"
    assert _ticket_count(district) == 0
    with district.read() as ctx:
        assert ctx.session.scalars(select(Device.model).where(Device.asset_tag == tag)).one() != \
            "changed where nothing is saved"


def test_a_write_that_waits_too_long_says_so_in_plain_words(tmp_path: Path) -> None:
    """Another program holds the write lock past the allowance: the error is a sentence, not SQL."""
    import sqlite3

    path = tmp_path / "busy.sqlite3"
    db = Database(f"sqlite:///{path}", write_wait=0.3)
    with db.writing() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        db.engine.pool.dispose()
        with pytest.raises(DatabaseBusy) as caught, db.unit() as ctx:
            ctx.session.execute(text("INSERT INTO t VALUES (1)"))
        assert isinstance(caught.value, DomainError)
        assert "SQL" not in str(caught.value) and "busy" in str(caught.value)
    finally:
        other.execute("ROLLBACK")
        other.close()
        db.dispose()


def test_writer_turns_are_first_come_first_served() -> None:
    turn = WriterTurn("test")
    assert turn.acquire(1)
    order: list[int] = []
    waiting = []

    def wait_turn(n: int) -> None:
        assert turn.acquire(10)
        order.append(n)
        turn.release()

    for n in range(5):
        t = threading.Thread(target=wait_turn, args=(n,))
        t.start()
        waiting.append(t)
        time.sleep(0.02)  # each is queued before the next arrives
    turn.release()
    for t in waiting:
        t.join(10)
    assert order == [0, 1, 2, 3, 4]
    assert turn.acquire(0)  # free again
    turn.release()
