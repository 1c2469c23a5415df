"""Backup and restore of a kiosk's SQLite file with SQLite's online backup API (safe while the kiosk runs).

The central PostgreSQL database is backed up with pg_dump; docs/kiosk-pc.md says how.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from kiosk.domain.errors import InvalidInput

PAGES_PER_STEP = 2048  # ~8 MiB with 4 KiB pages: the kiosk's own writes get the file between steps

Progress = Callable[[int, int], None]  # (pages copied, pages in all)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    bytes: int
    revision: str | None
    safety_copy: Path | None = None


def sqlite_path(url: str) -> Path:
    """The file behind a sqlite:/// URL; a clear message for anything else."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise InvalidInput("kiosk db backup/restore work on a kiosk's SQLite file; back up the central "
                           "PostgreSQL database with pg_dump (see docs/kiosk-pc.md)")
    if not parsed.database or parsed.database == ":memory:":
        raise InvalidInput("that database is in memory: there is nothing on disk to back up")
    return Path(parsed.database).expanduser()


def _revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


def _check(path: Path) -> str | None:
    """Raises InvalidInput unless ``path`` is an intact kiosk database; returns its schema revision."""
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise InvalidInput(f"cannot open {path}: {exc}") from exc
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()
        if not result or result[0] != "ok":
            raise InvalidInput(f"{path} is damaged (SQLite quick_check: {result[0] if result else 'no answer'})")
        revision = _revision(conn)
        if revision is None:
            raise InvalidInput(f"{path} is not a kiosk database (it has no schema revision)")
        return revision
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(f"{path} is not a kiosk database ({exc})") from exc
    finally:
        conn.close()


def _copy(src: sqlite3.Connection, dest_path: Path, progress: Progress | None) -> None:
    tmp = dest_path.with_name(dest_path.name + ".partial")
    tmp.unlink(missing_ok=True)
    dest = sqlite3.connect(tmp)
    try:
        src.backup(dest, pages=PAGES_PER_STEP,
                   progress=(lambda _status, remaining, total: progress(total - remaining, total))
                   if progress else None)
        dest.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
    finally:
        dest.close()
    os.replace(tmp, dest_path)


def backup(url: str, dest: Path, *, force: bool = False, progress: Progress | None = None) -> BackupResult:
    """Copy the kiosk's database at ``url`` to ``dest`` while it may be in use; checks the copy."""
    src_path = sqlite_path(url)
    if not src_path.is_file():
        raise InvalidInput(f"there is no database at {src_path}")
    dest = dest.expanduser()
    if dest.resolve() == src_path.resolve():
        raise InvalidInput("the backup file must not be the database itself")
    if dest.exists() and not force:
        raise InvalidInput(f"{dest} exists: choose another name, or add --force to replace it")
    dest.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{src_path}?mode=ro", uri=True)
    try:
        _copy(src, dest, progress)
    finally:
        src.close()
    revision = _check(dest)
    return BackupResult(path=dest, bytes=dest.stat().st_size, revision=revision)


def restore(url: str, source: Path, *, progress: Progress | None = None,
            now: datetime | None = None) -> BackupResult:
    """Replace the database at ``url`` with the backup ``source``; the current file is kept beside it first.

    The backup is checked (intact, a kiosk database) before anything is touched. The caller upgrades the
    schema afterwards if the backup is older than the program.
    """
    source = source.expanduser()
    revision = _check(source)
    target = sqlite_path(url)
    safety: Path | None = None
    if target.exists():
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
        safety = target.with_name(f"{target.stem}.before-restore-{stamp}{target.suffix or '.db'}")
        live = sqlite3.connect(target)
        try:
            _copy(live, safety, None)
        finally:
            live.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dest = sqlite3.connect(target)
    try:
        # Into the live file through the backup API: a running kiosk's connections see the restored data at
        # their next transaction instead of holding a file that was swapped under them.
        src.backup(dest, pages=PAGES_PER_STEP,
                   progress=(lambda _status, remaining, total: progress(total - remaining, total))
                   if progress else None)
    finally:
        dest.close()
        src.close()
    return BackupResult(path=target, bytes=target.stat().st_size, revision=revision, safety_copy=safety)
