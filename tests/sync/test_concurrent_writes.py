"""An enrolled kiosk writing from every side at once: walk-up threads, a second process and sync rounds.

Every write succeeds, nothing is lost locally, and every ticket reaches the service (one writer per database,
kiosk/domain/db.py; docs/runtime.md).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from kiosk.domain import tickets
from kiosk.domain.db import Actor, Database
from kiosk.domain.models import Device, Ticket
from kiosk.sync import local
from kiosk.sync.client import Syncer

THREADS = 4
PER_THREAD = 8
PER_PROCESS = 8

CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import kiosk.sync  # the outbox hooks (until the Database owns change capture)
    from kiosk.domain import tickets
    from kiosk.domain.db import Actor, Database
    url, go, tags = sys.argv[1], Path(sys.argv[2]), sys.argv[3].split(",")
    db = Database(url)
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.005)
    for i, tag in enumerate(tags):
        with db.unit(Actor(label="kiosk")) as ctx:
            tickets.create_ticket(ctx, category="power", description=f"from the CLI {i}", reporter="204512",
                                  tag=tag)
""")


def _count(db: Database) -> int:
    with db.read() as ctx:
        return int(ctx.session.scalar(select(func.count()).select_from(Ticket)) or 0)


def test_walk_up_threads_a_second_process_and_sync_rounds_at_once(
        pair: tuple[Database, Database, Syncer, TestClient], tmp_path: Path) -> None:
    server, kiosk, syncer, _client = pair
    with kiosk.read() as ctx:
        tags = list(ctx.session.scalars(select(Device.asset_tag).order_by(Device.asset_tag)))
    before_kiosk, before_server = _count(kiosk), _count(server)
    go = tmp_path / "go"
    child = subprocess.Popen([sys.executable, "-c", CHILD, kiosk.url, str(go),
                              ",".join(tags[THREADS:THREADS + PER_PROCESS])],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    errors: list[BaseException] = []
    writers_done = threading.Event()
    gate = threading.Barrier(THREADS + 1)

    def walk_up(tag: str) -> None:
        gate.wait()
        try:
            for i in range(PER_THREAD):
                with kiosk.unit(Actor(label="kiosk")) as ctx:
                    tickets.create_ticket(ctx, category="screen", description=f"walk-up {i}", reporter="204511",
                                          tag=tag)
        except BaseException as exc:  # noqa: BLE001 - shown by the test
            errors.append(exc)

    def sync_rounds() -> None:
        gate.wait()
        go.touch()
        try:
            while not writers_done.is_set():
                syncer.sync_once()
        except BaseException as exc:  # noqa: BLE001 - shown by the test
            errors.append(exc)

    threads = [threading.Thread(target=walk_up, args=(tags[n],)) for n in range(THREADS)]
    syncing = threading.Thread(target=sync_rounds)
    for t in [*threads, syncing]:
        t.start()
    for t in threads:
        t.join(120)
    _out, err = child.communicate(timeout=120)
    writers_done.set()
    syncing.join(120)
    assert errors == [] and child.returncode == 0, (errors, err)
    made = THREADS * PER_THREAD + PER_PROCESS
    assert _count(kiosk) == before_kiosk + made
    syncer.sync_once()  # whatever the last round missed
    assert local.pending_count(kiosk) == 0 and local.rejected_count(kiosk) == 0
    assert _count(server) == before_server + made
