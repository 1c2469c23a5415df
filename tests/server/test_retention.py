"""Sync retention on PostgreSQL: pruning removes only what every active kiosk has pulled, and a kiosk left
behind (stale, or unknown to the server) starts over and still converges; negative control: a kiosk that is
not told to start over misses what was pruned, and the same convergence check sees it."""

from __future__ import annotations

import io
import json
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from kiosk.cli import main
from kiosk.domain import devices
from kiosk.domain.models import Campus, RotationException, SyncChange, VisitExceptionKind
from kiosk.server import auth, retention
from tests.sync.conftest import District
from tests.sync.harness import KioskNode, ServerProcess, differences, make_kiosk


def _row(district: District, node: KioskNode) -> dict[str, Any]:
    with district.db.engine.connect() as conn:
        raw = conn.execute(text("SELECT value FROM sync_state WHERE key = :k"),
                           {"k": retention.KEY_PREFIX + str(node.config.kiosk_id)}).scalar_one()
    return dict(json.loads(raw))


def _set_row(district: District, node: KioskNode, row: dict[str, Any]) -> None:
    with district.db.engine.begin() as conn:
        conn.execute(text("UPDATE sync_state SET value = :v WHERE key = :k"),
                     {"k": retention.KEY_PREFIX + str(node.config.kiosk_id), "v": json.dumps(row)})


def _log(district: District) -> list[tuple[int, int, str, uuid.UUID, uuid.UUID | None, bool]]:
    with district.db.engine.connect() as conn:
        return [(int(t or 0), s, n, r, c, d) for s, t, n, r, c, d in conn.execute(select(
            SyncChange.seq, SyncChange.txid, SyncChange.table_name, SyncChange.row_id, SyncChange.campus_id,
            SyncChange.deleted))]


def _sync(node: KioskNode) -> None:
    """Two rounds: the server records the cursor a kiosk sends, so the second shows all the first pulled."""
    node.syncer.sync_once()
    node.syncer.sync_once()


def _positions(district: District) -> set[str]:
    with district.db.engine.connect() as conn:
        return set(conn.execute(text("SELECT key FROM sync_state WHERE key LIKE 'pull_pos:%'")).scalars())


def _edit(district: District, tag: str, notes: str) -> None:
    with district.db.unit() as ctx:
        devices.set_fields(ctx, tag, {"notes": notes})


def test_pruning_removes_only_what_every_active_kiosk_has_pulled(
        district: District, server: ServerProcess, tmp_path: Path) -> None:
    a = make_kiosk(district.db, server.url, district.campus, tmp_path / "a.sqlite3", "a")
    b = make_kiosk(district.db, server.url, district.campus, tmp_path / "b.sqlite3", "b")
    gone = make_kiosk(district.db, server.url, district.campus, tmp_path / "c.sqlite3", "c")
    try:
        for node in (a, b, gone):
            node.syncer.sync_once()
        _edit(district, district.tags[0], "first edit")
        _edit(district, district.tags[1], "first edit")
        gone.syncer.sync_once()
        auth.revoke(district.db, "c")  # a revoked kiosk holds nothing back, whatever its position
        for i in range(3):
            _edit(district, district.tags[0], f"edit {i}")  # older entries of the same row go
        _sync(b)  # b has everything so far ...
        _edit(district, district.tags[2], "after b")
        _sync(a)  # ... a has one more
        b_pos = tuple(_row(district, b)["pos"])
        a_pos = tuple(_row(district, a)["pos"])
        assert b_pos < a_pos
        before = _log(district)
        revoked_key = retention.KEY_PREFIX + str(gone.config.kiosk_id)
        assert revoked_key in _positions(district)

        out = io.StringIO()
        assert main(["server", "prune", "--db", district.url, "--dry-run"], out) == 0
        assert out.getvalue().startswith("would delete ")
        assert _log(district) == before  # a dry run changes nothing

        result = retention.prune(district.db)
        after = _log(district)
        assert result.floor == b_pos and result.kiosks_holding == 2 and result.kiosks_left_behind == []
        assert result.changes_deleted == len(before) - len(after) > 0
        # nothing above the lowest active kiosk's position went; below it, only superseded or in-place entries
        assert {e for e in before if (e[0], e[1]) > b_pos} <= set(after)
        assert all((e[0], e[1]) > b_pos for e in after)  # no row here was deleted or moved: nothing is kept
        assert all(tuple(_row(district, n)["floor"]) == b_pos for n in (a, b))

        _edit(district, district.tags[3], "after the prune")
        for node in (a, b):
            node.syncer.sync_once()
            assert differences(district.db, node) == []
        assert not _row(district, b)["restarting"]  # b was never sent back to a snapshot
        assert revoked_key not in _positions(district)  # the revoked kiosk's position went
    finally:
        for node in (a, b, gone):
            node.close()


def _away_while_things_change(district: District, server: ServerProcess,
                              tmp_path: Path) -> tuple[KioskNode, KioskNode, uuid.UUID]:
    """Kiosk b syncs, then is away while a device is edited, another moves campus and an exception is deleted;
    a keeps syncing. Returns (a, b, the deleted exception's id)."""
    a = make_kiosk(district.db, server.url, district.campus, tmp_path / "a.sqlite3", "a")
    b = make_kiosk(district.db, server.url, district.campus, tmp_path / "b.sqlite3", "b")
    with district.db.unit() as ctx:
        campus_id = ctx.session.scalars(select(Campus.id).where(Campus.code == district.campus)).one()
        now = ctx.clock.now()
        exc = RotationException(campus_id=campus_id, on_date=date(2026, 12, 14), kind=VisitExceptionKind.CANCELLED,
                                note="in-service day", created_at=now, updated_at=now)
        ctx.session.add(exc)
    a.syncer.sync_once()
    b.syncer.sync_once()
    _edit(district, district.tags[0], "edited while b was away")
    with district.db.unit() as ctx:
        devices.set_fields(ctx, district.tags[1], {"campus": district.other_campus})
        ctx.session.delete(ctx.session.get(RotationException, exc.id))
    _sync(a)
    row = _row(district, b)
    row["at"] = (datetime.now(UTC) - timedelta(days=40)).isoformat()  # b last pulled 40 days ago
    _set_row(district, b, row)
    return a, b, exc.id


def test_a_kiosk_left_behind_starts_over_and_converges(
        district: District, server: ServerProcess, tmp_path: Path) -> None:
    a, b, deleted = _away_while_things_change(district, server, tmp_path)
    try:
        result = retention.prune(district.db)
        assert result.kiosks_left_behind == ["b"] and result.kiosks_holding == 1
        assert result.floor == tuple(_row(district, a)["pos"]) and result.changes_deleted > 0
        kept = [e for e in _log(district) if (e[0], e[1]) <= result.floor]
        assert {e[2] for e in kept} == {"devices", "rotation_exceptions"}  # the moved device, the deleted row
        assert result.changes_kept == len(kept)

        b.syncer.sync_once()  # a fresh snapshot, then the log from its start
        assert differences(district.db, b) == []
        with b.db.unit() as ctx:
            assert ctx.session.get(RotationException, deleted) is None
            moved = devices.get_by_tag(ctx.session, district.tags[1])
            other = ctx.session.scalars(select(Campus.id).where(Campus.code == district.other_campus)).one()
            assert moved.campus_id == other
            assert devices.get_by_tag(ctx.session, district.tags[0]).notes == "edited while b was away"
        _edit(district, district.tags[2], "after b came back")
        _sync(a)
        _sync(b)
        assert not _row(district, b)["restarting"]  # past the floor again: it holds the log like any kiosk

        # b's disk is restored from a backup taken before the next edit: old data, old cursor
        from kiosk.sync import local

        old_cursor = local.cursor(b.db)
        _edit(district, district.tags[2], "edited after the backup")
        _sync(a)
        _sync(b)
        assert retention.prune(district.db).changes_deleted > 0
        with b.db.engine.begin() as conn:
            conn.execute(text("UPDATE sync_state SET value = :v WHERE key = 'cursor'"), {"v": old_cursor})
            conn.execute(text("UPDATE devices SET notes = 'after b came back' WHERE asset_tag = :t"),
                         {"t": district.tags[2]})
        assert differences(district.db, b) != []
        b.syncer.sync_once()  # its cursor is below the floor: it starts over
        assert differences(district.db, b) == []
    finally:
        a.close()
        b.close()


def test_negative_control_a_kiosk_not_told_to_start_over_misses_what_was_pruned(
        district: District, server: ServerProcess, tmp_path: Path) -> None:
    a, b, _deleted = _away_while_things_change(district, server, tmp_path)
    try:
        retention.prune(district.db)
        row = _row(district, b)
        row.pop("start_over")  # what pruning would look like if it forgot the kiosks it leaves behind
        row["floor"] = None
        _set_row(district, b, row)
        b.syncer.sync_once()
        problems = differences(district.db, b)
        assert problems, "pruning too much went unnoticed"
        assert any("devices" in p for p in problems)
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize("days_ago, expected", [(100, 1), (10, 0)])
def test_applied_operation_ids_older_than_the_retention_period_go(
        district: District, days_ago: int, expected: int) -> None:
    now = datetime.now(UTC)
    with district.db.engine.begin() as conn:
        conn.execute(text("INSERT INTO sync_applied_ops (op_id, kiosk_id, applied_at) VALUES (:o, NULL, :at)"),
                     {"o": uuid.uuid4(), "at": now - timedelta(days=days_ago)})
    assert retention.prune(district.db, now=now, dry_run=True).ops_deleted == expected
    assert retention.prune(district.db, now=now).ops_deleted == expected
    assert retention.prune(district.db, now=now).ops_deleted == 0


def test_negative_control_pruning_the_entries_of_deleted_and_moved_rows_is_caught(
        district: District, server: ServerProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b, deleted = _away_while_things_change(district, server, tmp_path)
    try:
        monkeypatch.setattr(retention, "_prunable", lambda name: (
            f"SELECT r.seq FROM sync_changes r WHERE r.table_name = '{name}' AND {retention._AT_OR_BELOW}"))
        assert retention.prune(district.db).kiosks_left_behind == ["b"]
        b.syncer.sync_once()  # starts over, but nothing tells it what was deleted or moved while it was away
        problems = differences(district.db, b)
        assert any("rotation_exceptions" in p and str(deleted) in p for p in problems)
        assert any("devices" in p for p in problems)
    finally:
        a.close()
        b.close()
