"""Nothing a kiosk may do is refused: devices registered or imported at a kiosk, tickets filed in the office,
tickets filed from the command line of an enrolled kiosk all arrive whole, and every kiosk's foreign keys hold.

In-process service on SQLite with real kiosk databases (the ``pair`` fixture); each test was checked to fail on
the code before the fix (the device refused as "outside campus", the reporter missing, kiosk_id empty).
"""

from __future__ import annotations

import io
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select, text

from kiosk.cli import main
from kiosk.domain import device_csv, devices, schema, tickets
from kiosk.domain.db import Actor, Database
from kiosk.domain.models import AuditLogEntry, Campus, Channel, Device, Reporter, ReporterKind, Room, Ticket
from kiosk.server import auth
from kiosk.sync import local
from kiosk.sync.client import Syncer
from kiosk.sync.config import KioskConfig

Pair = tuple[Database, Database, Syncer, TestClient]


def second_kiosk(server: Database, client: TestClient, folder: Path, campus: str) -> tuple[Database, Syncer]:
    code, _, _ = auth.create_enrollment_code(server, campus)
    with server.engine.begin() as conn:
        got = auth.enroll(conn, code, "library", server.clock.now())
    cfg = KioskConfig("http://testserver", got.token, got.kiosk_id, got.campus_id, "library")
    db = Database(f"sqlite:///{folder / 'kiosk2.sqlite3'}")
    schema.upgrade(db.engine)
    local.enroll_node(db, cfg.kiosk_id, cfg.campus_id)
    syncer = Syncer(db, cfg, client=client)
    syncer.sync_once()
    return db, syncer


def foreign_key_problems(db: Database) -> list[tuple[object, ...]]:
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("PRAGMA foreign_key_check"))]


def campus_and_room(db: Database, campus_id: object) -> tuple[str, str]:
    with db.unit() as ctx:
        code = ctx.session.scalars(select(Campus.code).where(Campus.id == campus_id)).one()
        room = ctx.session.scalars(select(Room.name).where(Room.campus_id == campus_id).order_by(Room.name)).first()
    assert room is not None
    return code, room


def test_a_device_registered_at_a_kiosk_reaches_the_server_and_every_kiosk_of_its_campus(
        pair: Pair, tmp_path: Path) -> None:
    server, kiosk, syncer, client = pair
    other, other_syncer = second_kiosk(server, client, tmp_path, campus_and_room(kiosk, syncer.config.campus_id)[0])
    code, room = campus_and_room(kiosk, syncer.config.campus_id)
    with kiosk.unit(Actor(kiosk_id=syncer.config.kiosk_id)) as ctx:
        made = devices.register(ctx, "NEW0001", category="laptop", campus=code, room=room, serial="SN-1")
        made_id = made.id
    report = syncer.sync_once()
    assert report.rejected == 0 and local.rejected_count(kiosk) == 0 and local.pending_count(kiosk) == 0
    with server.unit() as ctx:
        row = ctx.session.get(Device, made_id)
        assert row is not None and row.asset_tag == "NEW0001" and row.serial == "SN-1"
        assert row.campus_id == syncer.config.campus_id and row.room_id is not None
    other_syncer.sync_once()
    with other.unit() as ctx:
        copy = ctx.session.get(Device, made_id)
        assert copy is not None and copy.serial == "SN-1"
    assert foreign_key_problems(kiosk) == [] and foreign_key_problems(other) == []
    other_syncer.close()
    other.dispose()


def test_devices_imported_at_a_kiosk_reach_the_server_even_when_a_batch_boundary_falls_inside_one(
        pair: Pair) -> None:
    server, kiosk, syncer, _ = pair
    code, room = campus_and_room(kiosk, syncer.config.campus_id)
    csv = "asset_tag,category,campus,room,serial\n" + "".join(
        f"IMP{i:04d},laptop,{code},{room},S{i}\n" for i in range(40))
    got = device_csv.import_devices(kiosk, csv.encode(), actor=Actor(kiosk_id=syncer.config.kiosk_id))
    assert not got.errors, got.errors
    syncer.push_batch = 7  # small batches: some fall between a device's insert and the update that places it
    syncer.sync_once()
    assert local.rejected_count(kiosk) == 0 and local.pending_count(kiosk) == 0
    with server.unit() as ctx:
        tags = set(ctx.session.scalars(select(Device.asset_tag).where(Device.asset_tag.like("IMP%"),
                                                                      Device.campus_id == syncer.config.campus_id)))
    assert len(tags) == 40


def test_a_ticket_filed_in_the_office_reaches_the_kiosk_with_its_reporter(pair: Pair) -> None:
    server, kiosk, syncer, _ = pair
    with server.unit() as ctx:
        tag = ctx.session.scalars(select(Device.asset_tag).where(Device.campus_id == syncer.config.campus_id)
                                  .order_by(Device.asset_tag)).first()
        ticket = tickets.create_ticket(ctx, category="screen", description="Flickers", reporter="S9988776",
                                       tag=tag, channel=Channel.TECHNICIAN)
        number, reporter_id = ticket.number, ticket.reporter_id
    syncer.sync_once()
    with kiosk.unit() as ctx:
        assert ctx.session.scalars(select(Ticket).where(Ticket.number == number)).one().reporter_id == reporter_id
        assert ctx.session.get(Reporter, reporter_id) is not None
    assert foreign_key_problems(kiosk) == []


def test_an_office_edit_of_a_reporter_reaches_only_the_campuses_whose_tickets_name_them(pair: Pair) -> None:
    server, kiosk, syncer, _ = pair
    with kiosk.unit() as ctx:
        held = list(ctx.session.scalars(select(Reporter.id)))
    assert held
    with server.unit() as ctx:
        nobody = Reporter(kind=ReporterKind.STUDENT, id_number="S0000001", created_at=ctx.clock.now(),
                          updated_at=ctx.clock.now())
        ctx.session.add(nobody)
        ctx.session.get(Reporter, held[0]).email = "changed@example.org"  # type: ignore[union-attr]
    syncer.sync_once()
    with kiosk.unit() as ctx:
        assert ctx.session.get(Reporter, held[0]).email == "changed@example.org"  # type: ignore[union-attr]
        assert ctx.session.scalars(select(Reporter).where(Reporter.id_number == "S0000001")).first() is None


def test_a_ticket_filed_with_the_command_line_of_an_enrolled_kiosk_carries_the_kiosks_id(pair: Pair) -> None:
    server, kiosk, syncer, _ = pair
    with kiosk.unit() as ctx:
        tag = ctx.session.scalars(select(Device.asset_tag).order_by(Device.asset_tag)).first()
    out = io.StringIO()
    assert main(["ticket", "new", "--url", kiosk.url, "--tag", str(tag), "--category", "screen",
                 "--description", "Dead pixel", "--reporter", "S7654321", "--json"], out=out) == 0
    assert main(["devices", "set", "--url", kiosk.url, str(tag), "notes=checked from the command line"]) == 0
    syncer.sync_once()
    with server.unit() as ctx:
        row = ctx.session.scalars(select(Ticket).where(Ticket.description == "Dead pixel")).one()
        assert row.kiosk_id == syncer.config.kiosk_id
        device_id = ctx.session.scalars(select(Device.id).where(Device.asset_tag == tag)).one()
        entries = ctx.session.scalars(select(AuditLogEntry).where(AuditLogEntry.entity_id == str(device_id))).all()
        assert entries and all(e.kiosk_id == syncer.config.kiosk_id for e in entries)


def test_the_same_tag_registered_offline_at_two_kiosks_becomes_one_device_everywhere(
        pair: Pair, tmp_path: Path) -> None:
    server, kiosk, syncer, client = pair
    code, room = campus_and_room(kiosk, syncer.config.campus_id)
    other, other_syncer = second_kiosk(server, client, tmp_path, code)
    for db, kid, serial in ((kiosk, syncer.config.kiosk_id, "A-1"), (other, other_syncer.config.kiosk_id, "B-2")):
        with db.unit(Actor(kiosk_id=kid)) as ctx:
            devices.register(ctx, "TWIN0001", category="laptop", campus=code, room=room, serial=serial)
    for s in (syncer, other_syncer, syncer, other_syncer):
        s.sync_once()
    assert local.refused_changes(kiosk) == [] and local.refused_changes(other) == []
    ids = set()
    for db in (server, kiosk, other):
        with db.unit() as ctx:
            ids.add(ctx.session.scalars(select(Device.id).where(Device.asset_tag == "TWIN0001")).one())
    assert len(ids) == 1
    assert foreign_key_problems(kiosk) == [] and foreign_key_problems(other) == []
    other_syncer.close()
    other.dispose()
