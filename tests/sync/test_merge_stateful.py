"""Hypothesis stateful test: three kiosks edit, file, note and sync in random interleavings; all converge.

The server runs in process (SQLite, through the ASGI app) so hundreds of interleavings fit in CI; the
PostgreSQL-over-HTTP stories are in test_sync_story.py.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from pathlib import Path

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select

from kiosk.domain import devices, schema, seed, tickets
from kiosk.domain.db import Actor, Database
from kiosk.domain.errors import DomainError
from kiosk.domain.models import StaffUser, Ticket, TicketEvent, TicketEventKind
from kiosk.protocol.merge import EventFact, derive_status
from kiosk.server import auth
from kiosk.server.app import create_app
from kiosk.sync import local
from kiosk.sync.client import Syncer
from kiosk.sync.config import KioskConfig
from tests.sync.harness import KioskNode, differences, signed_in_at

KIOSKS = 3


def build_template(folder: Path) -> dict[str, object]:
    """A seeded server database and three kiosks that have done their first sync."""
    server = Database(f"sqlite:///{folder / 'server.sqlite3'}")
    schema.upgrade(server.engine)
    summary = seed.seed(server, seed.SeedOptions(devices=30, tickets=6, campuses=2, hash_passwords=False))
    client = TestClient(create_app(server))
    configs = []
    for i in range(KIOSKS):
        code, _, _ = auth.create_enrollment_code(server, summary.demo_campus)
        with server.engine.begin() as conn:
            got = auth.enroll(conn, code, f"k{i}", server.clock.now())
        cfg = KioskConfig("http://testserver", got.token, got.kiosk_id, got.campus_id, f"k{i}")
        signed_in_at(server, got.kiosk_id)
        db = Database(f"sqlite:///{folder / f'k{i}.sqlite3'}")
        schema.upgrade(db.engine)
        local.enroll_node(db, cfg.kiosk_id, cfg.campus_id)
        Syncer(db, cfg, client=client).sync_once()
        db.dispose()
        configs.append(cfg)
    with server.engine.connect() as conn:
        tags = list(conn.execute(select(devices.Device.asset_tag).where(devices.Device.campus_id == configs[0].campus_id)
                                 .order_by(devices.Device.asset_tag).limit(4)).scalars())
    server.dispose()
    return {"configs": configs, "tags": tags}


class Kiosks(RuleBasedStateMachine):
    template: Path
    meta: dict[str, object]

    @initialize()
    def open(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="sync-sm-"))
        for f in self.template.glob("*.sqlite3"):
            shutil.copy(f, self.dir / f.name)
        self.server = Database(f"sqlite:///{self.dir / 'server.sqlite3'}")
        self.client = TestClient(create_app(self.server))
        self.nodes: list[KioskNode] = []
        for i, cfg in enumerate(self.meta["configs"]):  # type: ignore[attr-defined]
            db = Database(f"sqlite:///{self.dir / f'k{i}.sqlite3'}")
            self.nodes.append(KioskNode(db, cfg, Syncer(db, cfg, client=self.client, push_batch=7)))
        self.tags: list[str] = list(self.meta["tags"])  # type: ignore[call-overload]
        self.numbers: list[str] = []
        self.notes: set[str] = set()

    def _actor(self, k: int) -> Actor:
        node = self.nodes[k]
        with node.db.unit() as ctx:
            staff = ctx.session.scalars(select(StaffUser.id).order_by(StaffUser.username).limit(1)).one()
        return Actor(staff_id=staff, kiosk_id=node.config.kiosk_id, label="kiosk")

    @rule(k=st.integers(0, KIOSKS - 1), d=st.integers(0, 3),
          field=st.sampled_from(["notes", "status", "purchase_cost"]), v=st.integers(0, 4))
    def edit_device(self, k: int, d: int, field: str, v: int) -> None:
        value = {"notes": f"note {v}", "status": ["in_service", "in_repair", "loaner", "spare", "missing"][v],
                 "purchase_cost": f"{100 + v}.00"}[field]
        with self.nodes[k].db.unit(self._actor(k)) as ctx:
            devices.set_fields(ctx, self.tags[d], {field: value})

    @rule(k=st.integers(0, KIOSKS - 1), d=st.integers(0, 3))
    def file_ticket(self, k: int, d: int) -> None:
        with self.nodes[k].db.unit(Actor(kiosk_id=self.nodes[k].config.kiosk_id)) as ctx:
            t = tickets.create_ticket(ctx, category="screen", description="Cracked screen", reporter=f"S{d}0{k}",
                                      tag=self.tags[d])
            self.numbers.append(t.number)

    @rule(k=st.integers(0, KIOSKS - 1), t=st.integers(0, 20))
    def add_note(self, k: int, t: int) -> None:
        node = self.nodes[k]
        with node.db.unit() as ctx:
            known = list(ctx.session.scalars(select(Ticket.number).where(Ticket.number.in_(self.numbers))))
        if not known:
            return
        body = f"note {uuid.uuid4().hex[:8]}"
        with node.db.unit(self._actor(k)) as ctx:
            tickets.add_note(ctx, known[t % len(known)], body, public=True)
        self.notes.add(body)

    @rule(k=st.integers(0, KIOSKS - 1), t=st.integers(0, 20),
          status=st.sampled_from(["in_progress", "on_hold", "resolved", "reopened", "closed"]))
    def change_status(self, k: int, t: int, status: str) -> None:
        node = self.nodes[k]
        with node.db.unit() as ctx:
            known = list(ctx.session.scalars(select(Ticket.number).where(Ticket.number.in_(self.numbers))))
        if not known:
            return
        try:
            with node.db.unit(self._actor(k)) as ctx:
                tickets.change_status(ctx, known[t % len(known)], status, note="done", resolution="Replaced part")
        except DomainError:
            pass  # not a legal move from the kiosk's current view

    @rule(k=st.integers(0, KIOSKS - 1))
    def sync(self, k: int) -> None:
        self.nodes[k].syncer.sync_once()

    @invariant()
    def server_status_is_derived_from_events(self) -> None:
        if not hasattr(self, "server"):
            return
        with self.server.unit() as ctx:
            for ticket in ctx.session.scalars(select(Ticket).where(Ticket.number.in_(self.numbers))):
                facts = [EventFact(e.at, e.id, e.kind, e.new_value) for e in ctx.session.scalars(
                    select(TicketEvent).where(TicketEvent.ticket_id == ticket.id))]
                if any(f.kind in (TicketEventKind.STATUS, TicketEventKind.ASSIGNMENT) for f in facts):
                    assert ticket.status == derive_status(facts)

    def teardown(self) -> None:
        if not hasattr(self, "server"):
            return
        try:
            for _ in range(2):
                for node in self.nodes:
                    node.syncer.sync_once()
            for i, node in enumerate(self.nodes):
                assert local.pending_count(node.db) == 0
                assert local.rejected_count(node.db) == 0
                assert differences(self.server, node) == [], f"kiosk {i} diverged"
            with self.server.unit() as ctx:
                bodies = list(ctx.session.scalars(select(TicketEvent.body).where(TicketEvent.body.in_(self.notes))))
                filed = ctx.session.scalar(select(func.count()).select_from(Ticket)
                                           .where(Ticket.number.in_(self.numbers)))
            assert sorted(bodies) == sorted(self.notes), "a note was lost or duplicated"
            assert filed == len(self.numbers), "a ticket was lost"
        finally:
            for node in self.nodes:
                node.close()
            self.client.close()
            self.server.dispose()
            shutil.rmtree(self.dir, ignore_errors=True)


def test_random_interleavings_of_offline_edits_and_syncs_converge(tmp_path: Path) -> None:
    Kiosks.template = tmp_path
    Kiosks.meta = build_template(tmp_path)
    run_state_machine_as_test(Kiosks, settings=settings(max_examples=12, stateful_step_count=20, deadline=None,
                                                        suppress_health_check=list(HealthCheck)))
