"""Change capture belongs to the Database object: no import has to happen for edits to be recorded."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.domain import schema, seed
from kiosk.domain.clock import FakeClock
from kiosk.domain.db import Database
from kiosk.domain.models import Campus, Device, SyncChange, SyncFieldClock, SyncOutbox
from kiosk.protocol import hlc
from kiosk.protocol.capture import server_stamp
from kiosk.server.changelog import mark_central
from kiosk.sync import local

ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh interpreter: edit a device through the domain service, and say which packages got imported.
EDIT = """
import sys
from kiosk.domain.db import Database
from kiosk.domain import devices
from sqlalchemy import select
from kiosk.domain.models import Device
db = Database(sys.argv[1])
with db.unit() as ctx:
    tag = ctx.session.scalars(select(Device.asset_tag).order_by(Device.asset_tag)).first()
    devices.set_fields(ctx, tag, {"notes": "edited in a fresh process"})
print(" ".join(sorted(m for m in sys.modules if m.startswith(("kiosk.sync", "kiosk.server", "kiosk.ui")))))
"""


def _seeded(path: Path) -> Database:
    db = Database(f"sqlite:///{path}")
    schema.upgrade(db.engine)
    seed.seed(db, seed.SeedOptions(devices=12, tickets=4, campuses=1, hash_passwords=False))
    return db


def _edit_in_fresh_process(url: str) -> str:
    done = subprocess.run([sys.executable, "-c", EDIT, url], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_an_edit_in_a_process_that_imports_only_the_domain_reaches_the_outbox_of_an_enrolled_kiosk(
        tmp_path: Path) -> None:
    db = _seeded(tmp_path / "kiosk.sqlite3")
    with db.unit() as ctx:
        campus_id = ctx.session.scalars(select(Campus.id)).first()
    local.enroll_node(db, uuid.uuid4(), campus_id)
    imported = _edit_in_fresh_process(db.url)
    assert imported == ""  # neither the sync client nor the service was imported
    with db.engine.connect() as conn:
        ops = conn.execute(select(SyncOutbox.table_name, SyncOutbox.op, SyncOutbox.data)).all()
    assert ("devices", "update") in {(t, op) for t, op, _ in ops}
    assert any(d.get("set", {}).get("notes") == "edited in a fresh process" for t, _, d in ops if t == "devices")


def test_a_stand_alone_kiosk_records_nothing(tmp_path: Path) -> None:
    db = _seeded(tmp_path / "alone.sqlite3")
    _edit_in_fresh_process(db.url)
    with db.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(SyncOutbox)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(SyncChange)).scalar_one() == 0


def test_an_edit_of_the_central_database_in_a_fresh_process_reaches_the_change_log(tmp_path: Path) -> None:
    db = _seeded(tmp_path / "central.sqlite3")
    mark_central(db)
    with db.engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(SyncChange)).scalar_one()
    assert _edit_in_fresh_process(db.url) == ""
    with db.engine.connect() as conn:
        logged = conn.execute(select(SyncChange.table_name).where(SyncChange.seq > before)).scalars().all()
        stamps = conn.execute(select(SyncFieldClock.hlc).where(SyncFieldClock.field == "notes")).scalars().all()
    assert "devices" in logged
    assert stamps and all(s.endswith(":" + "0" * 32) for s in stamps)


def test_the_outbox_reads_the_databases_injected_clock(tmp_path: Path) -> None:
    db = _seeded(tmp_path / "kiosk.sqlite3")
    with db.unit() as ctx:
        campus_id = ctx.session.scalars(select(Campus.id)).first()
    local.enroll_node(db, uuid.uuid4(), campus_id)
    when = datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC)
    clocked = Database(db.url, clock=FakeClock(when))
    from kiosk.domain import devices

    with clocked.unit() as ctx:
        tag = ctx.session.scalars(select(Device.asset_tag)).first()
        devices.set_fields(ctx, tag, {"notes": "at a known time"})
    with db.engine.connect() as conn:
        rows = conn.execute(select(SyncOutbox.created_at, SyncOutbox.hlc)).all()
    assert rows and all(created == when for created, _ in rows)
    assert all(hlc.Stamp.parse(stamp).ms == int(when.timestamp() * 1000) for _, stamp in rows)


def test_a_database_opened_as_a_kiosk_that_is_not_enrolled_says_so(tmp_path: Path) -> None:
    _seeded(tmp_path / "k.sqlite3")
    db = Database(f"sqlite:///{tmp_path / 'k.sqlite3'}", role="kiosk")
    from kiosk.domain import devices

    with pytest.raises(RuntimeError, match="not enrolled"), db.unit() as ctx:
        tag = ctx.session.scalars(select(Device.asset_tag)).first()
        devices.set_fields(ctx, tag, {"notes": "x"})


def test_the_service_clock_is_persistent_and_never_runs_backwards(tmp_path: Path) -> None:
    db = _seeded(tmp_path / "central.sqlite3")
    mark_central(db)
    now = datetime(2030, 1, 1, tzinfo=UTC)
    ahead = str(hlc.Stamp(int((now + timedelta(minutes=3)).timestamp() * 1000), 7, "ab" * 16))
    with db.engine.begin() as conn:
        first = server_stamp(conn, [], now)
    with db.engine.begin() as conn:  # the wall clock went back an hour (e.g. a restart on a bad clock)
        second = server_stamp(conn, [], now - timedelta(hours=1))
    with db.engine.begin() as conn:  # an edit over a field a kiosk stamped 3 minutes ahead still wins it
        third = server_stamp(conn, [ahead], now)
    assert first < second < third and ahead < third
    assert all(hlc.is_valid(s) for s in (first, second, third))
