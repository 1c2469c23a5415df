"""Test harness for sync: a real server process on a free 127.0.0.1 port, kiosk nodes, state comparison."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from kiosk.domain import schema
from kiosk.domain.db import Database
from kiosk.protocol.tables import PULL_TABLES, encode_row, table
from kiosk.server import auth
from kiosk.server.pull import scope_query
from kiosk.sync.client import Syncer, enroll
from kiosk.sync.config import KioskConfig

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    """`kiosk server` in its own process, so a test can stop it, or kill -9 it, like the real thing."""

    def __init__(self, db_url: str, port: int | None = None, log: Path | None = None, module: str = "kiosk") -> None:
        self.module = module  # what ``python -m`` runs with the ``kiosk`` command's arguments
        self.db_url = db_url
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> ServerProcess:  # a loaded CI machine needs more than 20 s
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        root = os.environ.get("KIOSK_TEST_SERVER_ROOT")  # another checkout's service (e.g. an older version)
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **({"PYTHONPATH": root} if root else {})}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", self.module, "server", "--db", self.db_url, "--host", "127.0.0.1",
             "--port", str(self.port)],
            cwd=root or ROOT, stdout=out, stderr=out, env=env,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}")
            try:
                if httpx.get(self.url + "/v1/info", timeout=0.5).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("the server did not start in time")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None

    def kill9(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self.proc = None


@dataclass
class KioskNode:
    db: Database
    config: KioskConfig
    syncer: Syncer

    def close(self) -> None:
        self.syncer.close()
        self.db.dispose()


def signed_in_at(server_db: Database, kiosk_id: uuid.UUID, staff_ids: list[uuid.UUID] | None = None) -> None:
    """Record on the service that these staff (all, by default) signed in at this kiosk, as ``/v1/signin`` does
    when it grants a sign-in: the service accepts work a kiosk pushes only from staff who signed in there."""
    from kiosk.domain import audit_log
    from kiosk.domain.auth import SUCCEEDED
    from kiosk.domain.db import Actor
    from kiosk.domain.models import StaffUser

    with server_db.unit(Actor(kiosk_id=kiosk_id, label="kiosk via server")) as ctx:
        ids = staff_ids if staff_ids is not None else list(ctx.session.scalars(select(StaffUser.id)))
        for staff_id in ids:
            audit_log.record(ctx, SUCCEEDED, "staff", staff_id)


def make_kiosk(server_db: Database, server_url: str, campus: str, path: Path, name: str,
               staff_signed_in: bool = True) -> KioskNode:
    """A fresh kiosk database enrolled at ``campus`` through the real HTTP enrollment (and, unless told
    otherwise, with every technician signed in there once, so their work at this kiosk is accepted)."""
    db = Database(f"sqlite:///{path}")
    schema.upgrade(db.engine)
    code, _campus, _expires = auth.create_enrollment_code(server_db, campus)
    cfg, _ = enroll(db, server_url, code, name, path=path.with_suffix(".json"))
    if staff_signed_in:
        signed_in_at(server_db, cfg.kiosk_id)
    return KioskNode(db, cfg, Syncer(db, cfg, push_batch=500))


def kiosk_rows(db: Database) -> dict[tuple[str, str], dict[str, Any]]:
    out = {}
    with db.engine.connect() as conn:
        for name in PULL_TABLES:
            for r in conn.execute(select(table(name))).mappings():
                out[(name, str(r["id"]))] = encode_row(name, dict(r))
    return out


def server_rows_for(server_db: Database, campus_id: uuid.UUID,
                    extra: set[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    """What a kiosk of ``campus_id`` should hold: the campus's scope, plus any other rows it already holds."""
    out = {}
    with server_db.engine.connect() as conn:
        for name in PULL_TABLES:
            t = table(name)
            for r in conn.execute(scope_query(name, campus_id)).mappings():
                out[(name, str(r["id"]))] = encode_row(name, dict(r))
            ids = [uuid.UUID(i) for (n, i) in extra if n == name]
            for start in range(0, len(ids), 500):
                for r in conn.execute(select(t).where(t.c.id.in_(ids[start:start + 500]))).mappings():
                    out[(name, str(r["id"]))] = encode_row(name, dict(r))
    return out


def differences(server_db: Database, node: KioskNode) -> list[str]:
    """Rows that differ between a kiosk and the server (empty when they have converged)."""
    mine = kiosk_rows(node.db)
    theirs = server_rows_for(server_db, node.config.campus_id, set(mine))
    problems = []
    for key in sorted(set(mine) | set(theirs)):
        a, b = mine.get(key), theirs.get(key)
        if a != b:
            if a is None or b is None:
                problems.append(f"{key}: only on the {'server' if a is None else 'kiosk'}")
            else:
                diff = {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if a.get(k) != b.get(k)}
                problems.append(f"{key}: {diff}")
    return problems
