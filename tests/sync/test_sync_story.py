"""Two or three kiosks edit offline (the same device, the same ticket), then sync in every order and converge."""

from __future__ import annotations

import io
import itertools
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.cli import main
from kiosk.domain import devices, tickets
from kiosk.domain.db import Actor
from kiosk.domain.models import (
    RotationException,
    StaffUser,
    SyncConflict,
    SyncTombstone,
    Ticket,
    TicketStatus,
    VisitExceptionKind,
)
from kiosk.sync import local
from tests.sync.conftest import District
from tests.sync.harness import KioskNode, ServerProcess, differences, make_kiosk


def _tech(node: KioskNode) -> Actor:
    with node.db.unit() as ctx:
        staff = ctx.session.scalars(select(StaffUser.id).where(StaffUser.username == "mlopez")).one()
    return Actor(staff_id=staff, kiosk_id=node.config.kiosk_id, label="kiosk")


def test_two_kiosks_file_tickets_while_the_server_is_down_and_converge(
        district: District, server: ServerProcess, tmp_path: Path) -> None:
    a = make_kiosk(district.db, server.url, district.campus, tmp_path / "a.sqlite3", "kiosk-a")
    b = make_kiosk(district.db, server.url, district.campus, tmp_path / "b.sqlite3", "kiosk-b")
    try:
        first = a.syncer.sync_once()
        b.syncer.sync_once()
        assert first.pulled > len(district.tags)  # the whole campus came down
        assert differences(district.db, a) == [] and differences(district.db, b) == []
        server.stop()
        tag = district.tags[0]
        with a.db.unit(Actor(kiosk_id=a.config.kiosk_id, label="kiosk")) as ctx:
            ta = tickets.create_ticket(ctx, category="screen", description="Cracked in the corner", reporter="S100200",
                                       tag=tag).number
        with b.db.unit(Actor(kiosk_id=b.config.kiosk_id, label="kiosk")) as ctx:
            tb = tickets.create_ticket(ctx, category="power", description="Will not charge", reporter="S100200",
                                       tag=district.tags[1]).number
        assert local.pending_count(a.db) > 0 and local.pending_count(b.db) > 0
        with pytest.raises(Exception, match="cannot reach the server"):
            a.syncer.sync_once()
        server.start()
        for node in (a, b, a):
            node.syncer.sync_once()
        assert local.pending_count(a.db) == local.pending_count(b.db) == 0
        assert differences(district.db, a) == [] and differences(district.db, b) == []
        with district.db.unit() as ctx:
            numbers = set(ctx.session.scalars(select(Ticket.number).where(Ticket.number.in_([ta, tb]))))
        assert numbers == {ta, tb}
        # the comparison is not blind: a row changed behind sync's back on one kiosk shows up
        with a.db.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE devices SET notes = 'edited behind sync' WHERE asset_tag = ?", (tag,))
        assert any("edited behind sync" in d for d in differences(district.db, a))
    finally:
        a.close()
        b.close()


def test_three_kiosks_edit_the_same_device_and_ticket_offline_and_converge_in_every_order(
        district: District, server: ServerProcess, tmp_path: Path) -> None:
    nodes = [make_kiosk(district.db, server.url, district.campus, tmp_path / f"k{i}.sqlite3", f"kiosk-{i}")
             for i in range(3)]
    try:
        for n in nodes:
            n.syncer.sync_once()
        tag = district.tags[2]
        with nodes[0].db.unit(_tech(nodes[0])) as ctx:
            number = tickets.create_ticket(ctx, category="screen", description="Lines across the screen",
                                           reporter="S555001", tag=tag).number
        for n in nodes:
            n.syncer.sync_once()
        for order in itertools.permutations(range(3)):
            # Offline: every kiosk edits the same device fields and the same ticket.
            for i, n in enumerate(nodes):
                actor = _tech(n)
                with n.db.unit(actor) as ctx:
                    devices.set_fields(ctx, tag, {"notes": f"note from kiosk {i} in round {order}",
                                                  "status": ["in_repair", "loaner", "spare"][i]})
                with n.db.unit(actor) as ctx:
                    tickets.add_note(ctx, number, f"kiosk {i} looked at it, order {order}", public=True)
            for i in order:
                nodes[i].syncer.sync_once()
            for n in nodes:
                n.syncer.sync_once()
            for n in nodes:
                assert differences(district.db, n) == [], f"kiosk diverged after order {order}"
        # the ticket's status is derived from events, the same everywhere; every note arrived exactly once
        with district.db.unit() as ctx:
            ticket = tickets.view(ctx.session, number)
            notes = [e.body for e in ticket.events if e.kind.value == "note"]
            assert len(notes) == len(set(notes)) == 3 * 6
            assert ticket.ticket.status == TicketStatus.ASSIGNED or ticket.ticket.status.is_open
            lost = ctx.session.scalars(select(SyncConflict).where(SyncConflict.field == "notes")).all()
        assert lost, "concurrent edits of the same field leave their losing values in the conflict log"
    finally:
        for n in nodes:
            n.close()


def test_an_admin_edit_on_the_central_database_reaches_the_campus_kiosk(
        district: District, server: ServerProcess, tmp_path: Path) -> None:
    node = make_kiosk(district.db, server.url, district.campus, tmp_path / "k.sqlite3", "k")
    try:
        node.syncer.sync_once()
        tag = district.tags[3]
        with node.db.unit(Actor(kiosk_id=node.config.kiosk_id)) as ctx:
            devices.set_fields(ctx, tag, {"notes": "kiosk says: in the cart"})  # older, still offline
        with district.db.unit() as ctx:  # e.g. `kiosk devices set --url postgresql://...` at the district office
            devices.set_fields(ctx, tag, {"notes": "office says: sent to vendor", "status": "in_repair"})
        node.syncer.sync_once()
        assert differences(district.db, node) == []
        with node.db.unit() as ctx:
            device = devices.get_by_tag(ctx.session, tag)
            assert (device.notes, device.status.value) == ("office says: sent to vendor", "in_repair")
        with district.db.unit() as ctx:
            lost = ctx.session.scalars(select(SyncConflict.lost_value).where(SyncConflict.field == "notes")).all()
        assert "kiosk says: in the cart" in lost
        out = io.StringIO()
        assert main(["server", "conflicts", "--db", district.url, "--json"], out) == 0  # what an admin sees
        shown = json.loads(out.getvalue())
        assert any(c["lost"] == "kiosk says: in the cart" and c["kept"] == "office says: sent to vendor"
                   and c["kiosk"] == "k" for c in shown)
    finally:
        node.close()


def test_a_deleted_schedule_exception_becomes_a_tombstone_everywhere(
        district: District, server: ServerProcess, tmp_path: Path) -> None:
    a = make_kiosk(district.db, server.url, district.campus, tmp_path / "a.sqlite3", "a")
    b = make_kiosk(district.db, server.url, district.campus, tmp_path / "b.sqlite3", "b")
    try:
        a.syncer.sync_once()
        b.syncer.sync_once()
        with a.db.unit() as ctx:
            now = ctx.clock.now()
            exc = RotationException(campus_id=a.config.campus_id, on_date=date(2026, 10, 12),
                                    kind=VisitExceptionKind.CANCELLED, note="staff day", created_at=now,
                                    updated_at=now)
            ctx.session.add(exc)
        a.syncer.sync_once()
        b.syncer.sync_once()
        with b.db.unit() as ctx:
            assert ctx.session.get(RotationException, exc.id) is not None
            ctx.session.get(RotationException, exc.id).note = "edited while the delete was in flight"  # type: ignore[union-attr]
        with a.db.unit() as ctx:
            ctx.session.delete(ctx.session.get(RotationException, exc.id))
        a.syncer.sync_once()
        b.syncer.sync_once()  # its late edit of the deleted row is ignored, and the row goes
        a.syncer.sync_once()
        for node in (a, b):
            with node.db.unit() as ctx:
                assert ctx.session.get(RotationException, exc.id) is None
            assert differences(district.db, node) == []
        with district.db.unit() as ctx:
            assert ctx.session.get(RotationException, exc.id) is None
            assert ctx.session.get(SyncTombstone, ("rotation_exceptions", exc.id)) is not None
    finally:
        a.close()
        b.close()
