"""`kiosk server --workers N`: several processes serve one district; each keeps its own pool."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.sync.harness import free_port

pytestmark = pytest.mark.postgres


def _workers(pid: int) -> list[int]:
    """The worker processes uvicorn spawned under ``pid`` (not its resource tracker)."""
    kids = Path(f"/proc/{pid}/task/{pid}/children")
    found = []
    for child in (int(x) for x in kids.read_text().split()) if kids.exists() else []:
        try:
            if "spawn_main" in Path(f"/proc/{child}/cmdline").read_text(errors="replace"):
                found.append(child)
        except FileNotFoundError:
            pass
    return found


def _start(pg_url: str, port: int) -> tuple[subprocess.Popen[bytes], list[int]]:
    """`kiosk server --workers 2` on ``port``, once both workers run and it answers."""
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "server", "--db", pg_url, "--port", str(port),
                             "--workers", "2", "--no-jobs"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 90
    workers: list[int] = []
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
        workers = _workers(proc.pid)
        try:
            ok = httpx.get(f"http://127.0.0.1:{port}/v1/info", timeout=1).status_code == 200
        except httpx.HTTPError:
            ok = False
        if ok and len(workers) == 2:
            break
        time.sleep(0.3)
    return proc, workers


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_two_workers_serve_the_district_and_a_killed_worker_is_replaced(pg_url: str) -> None:
    port = free_port()
    proc, workers = _start(pg_url, port)
    try:
        assert len(workers) == 2
        answers = [httpx.get(f"http://127.0.0.1:{port}/v1/info", timeout=5).status_code for _ in range(20)]
        assert answers == [200] * 20
        os.kill(workers[0], 9)  # a crashed worker: the others keep serving and a new one takes its place
        assert httpx.get(f"http://127.0.0.1:{port}/v1/info", timeout=5).status_code == 200
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            now = _workers(proc.pid)
            if len(now) == 2 and workers[0] not in now:
                break
            time.sleep(0.3)
        assert len(now) == 2 and workers[0] not in now
    finally:
        _stop(proc)


def test_the_rate_limit_is_one_budget_across_two_workers(pg_url: str) -> None:
    """An enrollment-code guesser gets 10 tries a minute from one address, not 10 from each worker process:
    on PostgreSQL the counts live in the database (kiosk/server/ratelimit.py). Each try is a new connection, so
    the kernel hands them to both workers."""
    from kiosk.domain import schema
    from kiosk.domain.db import Database
    from kiosk.protocol.tables import PROTOCOL_VERSION
    from kiosk.server.ratelimit import LIMITS, WINDOW

    db = Database(pg_url)
    schema.upgrade(db.engine)
    db.dispose()
    port = free_port()
    proc, workers = _start(pg_url, port)
    try:
        assert len(workers) == 2
        while time.time() % WINDOW > WINDOW - 15:  # all 40 tries inside one one-minute window
            time.sleep(0.5)
        statuses = [httpx.post(f"http://127.0.0.1:{port}/v1/enroll", timeout=10, json={
            "protocol": PROTOCOL_VERSION, "schema_rev": schema.head_revision(), "code": f"AAAA-BBBB-{i:04d}",
            "name": "guess"}).status_code for i in range(40)]
    finally:
        _stop(proc)
    assert set(statuses) <= {401, 429}, statuses
    assert statuses.count(401) == LIMITS["/v1/enroll"], statuses  # before: up to 10 per worker


def test_a_bad_worker_count_gets_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli import main

    assert main(["server", "--db", "sqlite:///x.db", "--workers", "0"]) == 2
    assert "--workers must be between 1 and 64" in capsys.readouterr().err
