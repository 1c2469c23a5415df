"""Fault test: kiosk processes edit and sync while kiosks and the server are killed with SIGKILL and connections
are cut by a proxy; after draining, nothing is lost, duplicated or different on any node.

The negative control runs the same scenario and the same check with kiosks that forget their outbox before the
server has committed (a deliberately broken variant): the check must catch it. FAULT_EDITS and FAULT_SECONDS make
the long soak (see docs/sync.md).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select, text

from kiosk.domain.db import Database
from kiosk.domain.models import Device, TicketEvent
from kiosk.sync import config, local
from tests.sync.conftest import District
from tests.sync.harness import ROOT, KioskNode, ServerProcess, differences, make_kiosk
from tests.sync.proxy import CuttingProxy

EDITS = int(os.environ.get("FAULT_EDITS", "350"))  # per kiosk; 3 kiosks, plus device edits and new tickets
SECONDS = float(os.environ.get("FAULT_SECONDS", "15"))
KIOSKS = 3


def _markers(db: Database) -> Counter[str]:
    with db.engine.connect() as conn:
        return Counter(conn.execute(select(TicketEvent.body).where(TicketEvent.body.like("fault:%"))).scalars())


def audit(server_db: Database, nodes: list[KioskNode]) -> list[str]:
    """Everything every kiosk recorded is on the server exactly once, and every kiosk equals the server."""
    problems: list[str] = []
    on_server = _markers(server_db)
    problems += [f"duplicated on the server: {body}" for body, n in on_server.items() if n > 1]
    for node in nodes:
        mine = {b for b in _markers(node.db) if b.startswith(f"fault:{node.config.name}:")}
        problems += [f"lost: {body}" for body in sorted(mine - set(on_server))]
        problems += [f"{node.config.name}: {d}" for d in differences(server_db, node)[:20]]
        if local.pending_count(node.db):
            problems.append(f"{node.config.name}: {local.pending_count(node.db)} edits never pushed")
        refused = local.refused_changes(node.db)
        problems += [f"{node.config.name}: refused {r.record}: {r.change} ({r.reason})" for r in refused[:10]]
        with node.db.engine.connect() as conn:
            broken = conn.execute(text("PRAGMA foreign_key_check")).all()
            registered = set(conn.execute(select(Device.asset_tag).where(Device.asset_tag.like("RG%"))).scalars())
        problems += [f"{node.config.name}: foreign key broken: {tuple(r)}" for r in broken[:10]]
        with server_db.engine.connect() as conn:
            on_server_tags = set(conn.execute(select(Device.asset_tag).where(Device.asset_tag.like("RG%"))).scalars())
        problems += [f"{node.config.name}: registered {t} never reached the server"
                     for t in sorted(registered - on_server_tags)]
    return problems


def _office_ticket(district: District, rng: random.Random) -> None:
    from kiosk.domain import tickets
    from kiosk.domain.models import Channel

    try:
        with district.db.unit() as ctx:
            tickets.create_ticket(ctx, category="screen", description="Filed in the office",
                                  reporter=f"P{rng.randint(0, 10**6):07d}", tag=rng.choice(district.tags),
                                  channel=Channel.TECHNICIAN)
    except Exception as exc:  # noqa: BLE001  (the office keeps working while the chaos goes on; say what failed)
        print("office ticket failed:", exc)


def _run(district: District, tmp_path: Path, broken: bool, seconds: float) -> tuple[list[str], dict[str, int]]:
    rng = random.Random(5)
    server = ServerProcess(district.url, log=tmp_path / "server.log").start()
    proxy = CuttingProxy(server.port)
    nodes = []
    for i in range(KIOSKS):
        node = make_kiosk(district.db, server.url, district.campus, tmp_path / f"k{i}.sqlite3", f"k{i}")
        node.syncer.sync_once()  # the first snapshot, before the chaos starts
        config.save(config.KioskConfig(proxy.url, node.config.token, node.config.kiosk_id, node.config.campus_id,
                                       node.config.name), tmp_path / f"k{i}.proxy.json")
        nodes.append(node)
    procs: dict[int, subprocess.Popen[bytes]] = {}
    log = open(tmp_path / "kiosks.log", "ab")  # noqa: SIM115

    def launch(i: int) -> None:
        args = [sys.executable, str(ROOT / "tests/sync/fault_kiosk.py"), str(tmp_path / f"k{i}.sqlite3"),
                str(tmp_path / f"k{i}.proxy.json"), f"k{i}", str(EDITS), str(i)] + (["broken"] if broken else [])
        procs[i] = subprocess.Popen(args, cwd=ROOT, stdout=log, stderr=log)

    stats = Counter[str]()
    try:
        for i in range(KIOSKS):
            launch(i)
        deadline = time.monotonic() + seconds
        schedule = [0.1, 0.7, 0.5]  # a kiosk kill, a cut and a server kill first, then at random
        while time.monotonic() < deadline and any(p.poll() is None for p in procs.values()):
            time.sleep(rng.uniform(0.1, 0.4))
            _office_ticket(district, rng)  # tickets filed on the central database, with new reporters
            stats["office tickets"] += 1
            roll = schedule.pop(0) if schedule else rng.random()
            if roll < 0.45:
                running = [i for i, p in procs.items() if p.poll() is None]
                if running:
                    i = rng.choice(running)
                    os.kill(procs[i].pid, signal.SIGKILL)
                    procs[i].wait(10)
                    launch(i)
                    stats["kiosk kill -9"] += 1
            elif roll < 0.6:
                server.kill9()
                server.start()
                stats["server kill -9"] += 1
            else:
                proxy.cut()
                stats["connection cuts"] += 1
        for p in procs.values():
            if p.poll() is None:
                os.kill(p.pid, signal.SIGKILL)  # a last crash, wherever it lands
                p.wait(10)
            elif p.returncode != 0:
                stats["kiosk process failures"] += 1
        # Drain: the network is back and nobody is killed any more.
        for _ in range(2):
            for node in nodes:
                node.syncer.sync_once()
        stats["notes"] = sum(_markers(district.db).values())
        with district.db.engine.connect() as conn:
            stats["devices registered at kiosks"] = conn.execute(text(
                "SELECT count(*) FROM devices WHERE asset_tag LIKE 'RG%'")).scalar_one()
        with district.db.engine.connect() as conn:
            stats["operations applied"] = conn.execute(text("SELECT count(*) FROM sync_applied_ops")).scalar_one()
        return audit(district.db, nodes), dict(stats)
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.kill()
                p.wait(10)
        log.close()
        for node in nodes:
            node.close()
        proxy.close()
        server.stop()


@pytest.mark.slow
def test_kill_9_and_cut_connections_lose_and_duplicate_nothing(district: District, tmp_path: Path) -> None:
    problems, stats = _run(district, tmp_path, broken=False, seconds=SECONDS)
    print("fault run:", stats)
    assert problems == []
    assert stats.get("kiosk process failures", 0) == 0, (tmp_path / "kiosks.log").read_text()[-3000:]
    assert stats["operations applied"] >= 200 and stats["kiosk kill -9"] and stats["server kill -9"]


@pytest.mark.slow
def test_negative_control_a_kiosk_that_forgets_its_outbox_early_is_caught(district: District,
                                                                         tmp_path: Path) -> None:
    problems, stats = _run(district, tmp_path, broken=True, seconds=min(SECONDS, 6))
    print("broken run:", stats, problems[:5])
    assert any(p.startswith("lost: ") for p in problems)
