"""`kiosk db backup` / `kiosk db restore`: a kiosk's SQLite file copied while the kiosk keeps writing."""

from __future__ import annotations

import io
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.domain import backup, schema
from kiosk.domain.db import Database
from kiosk.domain.errors import InvalidInput


def _kiosk_db(tmp_path: Path) -> tuple[str, Path]:
    path = tmp_path / "kiosk.sqlite3"
    url = f"sqlite:///{path}"
    db = Database(url)
    schema.upgrade(db.engine)
    db.dispose()
    with sqlite3.connect(path) as conn:  # a scratch table the "kiosk" keeps writing to during the backup
        conn.execute("CREATE TABLE scratch (n INTEGER PRIMARY KEY, body TEXT)")
        conn.executemany("INSERT INTO scratch (body) VALUES (?)", [("x" * 2000,)] * 5000)  # ~10 MB
    return url, path


def _count(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM scratch").fetchone()[0])


def test_a_backup_taken_while_the_kiosk_writes_is_whole_and_the_writer_never_fails(tmp_path: Path) -> None:
    url, path = _kiosk_db(tmp_path)
    before = _count(path)
    stop, errors, written = threading.Event(), [], [0]

    def writer() -> None:  # the running kiosk: small write transactions all through the backup
        conn = sqlite3.connect(path, timeout=5, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        while not stop.is_set():
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("INSERT INTO scratch (body) VALUES ('during')")
                conn.execute("COMMIT")
                written[0] += 1
            except sqlite3.Error as exc:
                errors.append(exc)
            time.sleep(0.001)
        conn.close()

    t = threading.Thread(target=writer)
    t.start()
    try:
        time.sleep(0.05)
        result = backup.backup(url, tmp_path / "copy.db")
    finally:
        stop.set()
        t.join()
    assert errors == []
    assert written[0] > 0
    copied = _count(result.path)
    assert before <= copied <= before + written[0]  # a consistent snapshot: everything before, nothing torn
    with sqlite3.connect(result.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert result.revision == schema.head_revision()


def test_restore_puts_the_backup_back_and_keeps_the_file_it_replaced(tmp_path: Path) -> None:
    url, path = _kiosk_db(tmp_path)
    out = io.StringIO()
    assert main(["db", "backup", str(tmp_path / "b.db"), "--url", url], out=out) == 0
    assert "checked" in out.getvalue()
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM scratch WHERE n > 10")  # the day's damage
    assert _count(path) == 10
    out = io.StringIO()
    assert main(["db", "restore", str(tmp_path / "b.db"), "--url", url], out=out) == 0
    assert _count(path) == 5000
    safety = [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]
    assert len(safety) == 1 and _count(safety[0]) == 10
    assert "kept in" in out.getvalue()


def test_restore_refuses_a_file_that_is_not_a_kiosk_database_and_touches_nothing(tmp_path: Path) -> None:
    url, path = _kiosk_db(tmp_path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    plain = tmp_path / "plain.db"
    sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.commit()
    for bad in (junk, plain, tmp_path / "missing.db"):
        with pytest.raises(InvalidInput):
            backup.restore(url, bad)
    assert _count(path) == 5000
    assert not [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]


def test_backup_says_what_to_do_for_postgresql_and_never_overwrites_without_force(tmp_path: Path,
                                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    url, _ = _kiosk_db(tmp_path)
    assert main(["db", "backup", str(tmp_path / "x.db"), "--url", "postgresql+psycopg://u@h/db"]) == 2
    assert "pg_dump" in capsys.readouterr().err
    (tmp_path / "exists.db").write_text("keep me")
    assert main(["db", "backup", str(tmp_path / "exists.db"), "--url", url]) == 2
    assert "--force" in capsys.readouterr().err
    assert (tmp_path / "exists.db").read_text() == "keep me"
    assert main(["db", "backup", str(tmp_path / "exists.db"), "--url", url, "--force"], out=io.StringIO()) == 0
