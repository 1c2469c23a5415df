"""The pull cursor never skips a change, even when change-log transactions commit out of order."""

from __future__ import annotations

import threading
import uuid

import psycopg
import pytest

from kiosk.domain.db import Database
from kiosk.protocol.scope import write_changes
from kiosk.server import pull as pull_module
from kiosk.server.apply import Pusher
from kiosk.server.pull import encode_cursor, pull
from tests.conftest import PG_ADMIN_URL


def _race(db: Database) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    """Transaction 1 takes a log position first but commits last; a kiosk pulls in between.

    Returns (rows written, rows the kiosk received by following its cursor).
    """
    campus = uuid.uuid4()
    kiosk = Pusher(kiosk_id=uuid.uuid4(), campus_id=campus, node="1" * 32)
    first, second = uuid.uuid4(), uuid.uuid4()
    received: set[uuid.UUID] = set()
    cursor = encode_cursor({"x": 0, "seq": 0})

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
    racer.join(10)  # nothing waits: the later transaction commits first
    assert not racer.is_alive()
    follow()
    tx.commit()
    slow.close()
    follow()
    return {first, second}, received


def test_a_change_committed_after_a_later_one_is_still_pulled(pg_db: Database) -> None:
    written, received = _race(pg_db)
    assert received == written


def test_negative_control_without_the_running_transaction_bound_the_same_check_sees_a_skipped_change(
        pg_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pull_module, "BOUND_BY_RUNNING_TRANSACTIONS", False)
    written, received = _race(pg_db)
    assert received != written and len(received) == 1


def test_an_older_cursor_starts_over_with_a_snapshot_and_a_forged_one_is_refused() -> None:
    assert pull_module.decode_cursor(encode_cursor({"seq": 5})) is None
    assert pull_module.decode_cursor(encode_cursor({"x": 3, "seq": 5})) == {"x": 3, "seq": 5}
    for forged in ({"x": -1, "seq": 5}, {"x": "3", "seq": 5}, {"hx": 1, "hs": 0, "t": 999, "after": None}, [1]):
        with pytest.raises(pull_module.BatchRefused):
            pull_module.decode_cursor(encode_cursor(forged))  # type: ignore[arg-type]


def test_a_long_transaction_in_another_database_does_not_hold_this_one_back(pg_db: Database) -> None:
    other = psycopg.connect(PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://"))
    try:
        other.execute("CREATE TEMP TABLE held (x int)")
        other.execute("INSERT INTO held VALUES (1)")  # the other database's transaction now has an id, and waits
        campus = uuid.uuid4()
        kiosk = Pusher(kiosk_id=uuid.uuid4(), campus_id=campus, node="1" * 32)
        row = uuid.uuid4()
        with pg_db.engine.begin() as conn:
            write_changes(conn, {("devices", row): {campus}}, set())
        with pg_db.engine.connect() as conn:
            page = pull(conn, kiosk, encode_cursor({"x": 0, "seq": 0}), 100)
        assert [r["id"] for r in page.rows] == [str(row)]
    finally:
        other.rollback()
        other.close()


def test_a_running_transaction_of_this_database_holds_the_cursor_until_it_ends(pg_db: Database) -> None:
    campus = uuid.uuid4()
    kiosk = Pusher(kiosk_id=uuid.uuid4(), campus_id=campus, node="1" * 32)
    held, later = uuid.uuid4(), uuid.uuid4()
    with pg_db.engine.connect() as slow:
        tx = slow.begin()
        write_changes(slow, {("devices", held): {campus}}, set())
        with pg_db.engine.begin() as conn:
            write_changes(conn, {("devices", later): {campus}}, set())
        with pg_db.engine.connect() as conn:
            page = pull(conn, kiosk, encode_cursor({"x": 0, "seq": 0}), 100)
        assert page.rows == [] and not page.more
        tx.commit()
    with pg_db.engine.connect() as conn:
        page = pull(conn, kiosk, page.cursor, 100)
    assert [r["id"] for r in page.rows] == [str(held), str(later)]
