"""Edits the district server refused: listed in plain words for a technician, who can discard them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QItemSelectionModel
from sqlalchemy import func, select

from kiosk.domain import devices, tickets
from kiosk.domain.db import Actor, Database
from kiosk.domain.errors import NotFound
from kiosk.domain.models import AuditLogEntry, Campus, Device, Room, StaffUser, SyncOutbox, Ticket
from kiosk.sync import local

from .conftest import Kiosk
from .test_technician import sign_in


@dataclass
class Refused:
    tag: str
    old_room: str
    new_room: str
    campus: str  # this kiosk's campus code
    ticket: str


def refuse_two_edits(db: Database) -> Refused:
    """As if this kiosk moved a device and noted a ticket offline, and the server then refused both."""
    with db.unit() as ctx:
        s = ctx.session
        device = s.scalars(select(Device).where(Device.room_id.is_not(None)).order_by(Device.asset_tag)).first()
        assert device is not None and device.campus_id is not None
        old_room = s.get(Room, device.room_id)
        assert old_room is not None
        new_room = s.scalars(select(Room).where(Room.campus_id == device.campus_id, Room.id != device.room_id)
                             .order_by(Room.name)).first()
        assert new_room is not None
        campus = s.get(Campus, device.campus_id)
        assert campus is not None
        ticket = s.scalars(select(Ticket).order_by(Ticket.number)).first()
        assert ticket is not None
        staff = s.scalars(select(StaffUser.id).where(StaffUser.username == "mlopez")).one()
        tag, old_name, new_name, code, number, campus_id = (
            device.asset_tag, old_room.name, new_room.name, campus.code, ticket.number, device.campus_id)
    local.enroll_node(db, uuid.uuid4(), campus_id)
    actor = Actor(staff_id=staff, label="technician")
    with db.unit(actor) as ctx:
        devices.set_fields(ctx, tag, {"room": new_name})
    with db.unit(actor) as ctx:
        tickets.add_note(ctx, number, "Charger swapped, left in the cart", public=False)
    with db.unit() as ctx:
        ops = ctx.session.execute(select(SyncOutbox.op_id, SyncOutbox.table_name, SyncOutbox.op)
                                  .order_by(SyncOutbox.seq)).all()
    move = next(o for o, t, op in ops if t == "devices" and op == "update")
    note = next(o for o, t, op in ops if t == "ticket_events")
    # the server's words (kiosk/server/apply.py): the device had moved to another campus there
    local.quarantine(db, {str(move): f"devices row is outside campus {campus_id}",
                          str(note): "a kiosk can only record its own kiosk id"})
    return Refused(tag, old_name, new_name, code, number)


def test_refused_edits_are_listed_in_plain_words_and_a_discard_is_audited_and_undone_here(kiosk: Kiosk) -> None:
    db = kiosk.db
    r = refuse_two_edits(db)
    assert local.rejected_count(db) == 2
    pending_before = local.pending_count(db)
    items = local.refused_changes(db)
    assert [i.table for i in items] == ["devices", "ticket_events"]
    move, note = items
    assert move.record == f"Device {r.tag}" and move.op == "update"
    assert move.change == f"room: {r.old_room} → {r.new_room}"
    assert move.reason == f"Not at this kiosk's campus ({r.campus}) on the server"
    assert note.reason == "It names another kiosk as where it was made"
    assert note.record == f"Ticket event on ticket {r.ticket}"
    assert note.change == "note added: “Charger swapped, left in the cart”"
    assert move.at.tzinfo is not None

    with db.unit() as ctx:
        staff = ctx.session.scalars(select(StaffUser.id).where(StaffUser.username == "admin")).one()
    item, undone = local.discard_refused(db, move.seq, Actor(staff_id=staff, label="technician"))
    assert item == move and undone
    assert [i.seq for i in local.refused_changes(db)] == [note.seq]
    with db.unit() as ctx:
        device = ctx.session.scalars(select(Device).where(Device.asset_tag == r.tag)).one()
        room = ctx.session.get(Room, device.room_id)
        assert room is not None and room.name == r.old_room  # the kiosk's copy is back to what it was
        entry = ctx.session.scalars(select(AuditLogEntry).where(AuditLogEntry.action == "sync.discard_refused")
                                    ).one()
        assert entry.actor_id == staff and entry.entity == "devices" and entry.entity_id == str(device.id)
        assert entry.detail is not None and entry.detail["change"] == move.change
        assert entry.detail["reason"].startswith("devices row is outside campus")
        assert entry.detail["undone_here"] is True
    # the audit entry is itself an edit the district will receive; the undo is not one to send
    assert local.pending_count(db) == pending_before + 1
    with pytest.raises(NotFound):
        local.discard_refused(db, move.seq, Actor(staff_id=staff))
    # an added note is discarded without touching the kiosk's copy
    _, undone = local.discard_refused(db, note.seq, Actor(staff_id=staff))
    assert not undone and local.rejected_count(db) == 0


def test_a_refused_edit_changed_again_since_is_discarded_but_not_undone(kiosk: Kiosk) -> None:
    db = kiosk.db
    r = refuse_two_edits(db)
    with db.unit(Actor(label="technician")) as ctx:
        devices.set_fields(ctx, r.tag, {"notes": "label replaced"})
    move = local.refused_changes(db)[0]
    _, undone = local.discard_refused(db, move.seq, Actor())
    assert not undone
    with db.unit() as ctx:
        device = ctx.session.scalars(select(Device).where(Device.asset_tag == r.tag)).one()
        room = ctx.session.get(Room, device.room_id)
        assert room is not None and room.name == r.new_room
        assert ctx.session.scalar(select(func.count()).select_from(AuditLogEntry)
                                  .where(AuditLogEntry.action == "sync.discard_refused")) == 1


def test_a_technician_sees_the_refused_changes_and_discards_one(kiosk: Kiosk) -> None:
    k = kiosk
    sign_in(k, "mlopez")
    home = k.flow.tech.home
    k.idle_workers()
    assert not home.refused_button.isVisible()  # nothing refused: no button
    r = refuse_two_edits(k.db)
    k.flow.tech.show_home()
    k.idle_workers()
    assert home.refused_button.isVisible() and "(2)" in home.refused_button.text()
    home.refused_button.click()
    screen = k.flow.tech.refused
    k.wait_for(screen)
    m = screen.model
    assert m.rowCount() == 2
    cells = [[m.data(m.index(row, c)) for c in range(m.columnCount())] for row in range(2)]
    assert cells[0][1] == f"Device {r.tag}" and r.new_room in cells[0][2] and r.campus in cells[0][3]
    assert cells[1][1] == f"Ticket event on ticket {r.ticket}" and "Charger swapped" in cells[1][2]
    assert not screen.discard_button.isEnabled()  # nothing chosen yet
    screen.view.selectionModel().select(m.index(1, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                        | QItemSelectionModel.SelectionFlag.Rows)
    assert screen.discard_button.isEnabled()
    screen.discard_button.click()
    k.qtbot.waitUntil(lambda: m.rowCount() == 1, timeout=5000)
    k.idle_workers()
    assert not screen.error_label.isVisible(), screen.error_label.text()
    assert m.data(m.index(0, 1)) == f"Device {r.tag}"
    assert "Discarded" in screen.result.text() and "Charger swapped" in screen.result.text()
    assert local.rejected_count(k.db) == 1
    screen.home_requested.emit()
    k.wait_for(home)
    k.idle_workers()
    assert "(1)" in home.refused_button.text()
