"""The pull cursor never skips a change, even when change-log transactions commit out of order."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import pytest

from kiosk.domain import schema
from kiosk.domain.db import Database
from kiosk.server import apply
from kiosk.server.apply import Pusher, write_changes
from kiosk.server.pull import encode_cursor, pull


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    db = Database(pg_url)
    schema.upgrade(db.engine)
    try:
        yield db
    finally:
        db.dispose()


def _race(db: Database) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    """Transaction 1 takes a log position first but commits last; a kiosk pulls in between.

    Returns (rows written, rows the kiosk received by following its cursor).
    """
    campus = uuid.uuid4()
    kiosk = Pusher(kiosk_id=uuid.uuid4(), campus_id=campus, node="1" * 32)
    first, second = uuid.uuid4(), uuid.uuid4()
    received: set[uuid.UUID] = set()
    cursor = encode_cursor({"seq": 0})

    def follow() -> None:
        nonlocal cursor
        with db.engine.connect() as conn:
            page = pull(conn, kiosk, cursor, 100)
        received.update(uuid.UUID(r["id"]) for r in page.rows)
        cursor = page.cursor

    slow = db.engine.connect()
    tx = slow.begin()
    write_changes(slow, {("devices", first): {campus}}, set())

    def fast() -> None:
        with db.engine.begin() as conn:
            write_changes(conn, {("devices", second): {campus}}, set())

    racer = threading.Thread(target=fast)
    racer.start()
    racer.join(0.5)  # with the lock it waits for the slow transaction; without, it commits now
    follow()
    tx.commit()
    slow.close()
    racer.join(10)
    follow()
    return {first, second}, received


def test_a_change_committed_after_a_later_one_is_still_pulled(pg_db: Database) -> None:
    written, received = _race(pg_db)
    assert received == written


def test_negative_control_without_serialized_commits_the_same_check_sees_a_skipped_change(
        pg_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(apply, "SERIALIZE_CHANGE_LOG", False)
    started = time.monotonic()
    written, received = _race(pg_db)
    assert time.monotonic() - started < 5
    assert received != written and len(received) == 1
