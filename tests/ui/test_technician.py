"""Technician mode, driven as a technician would: sign in, work the queue and a ticket, audit a room."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy import func, select, update

from kiosk.domain import seed, tickets
from kiosk.domain.models import (
    AuditLogEntry,
    Device,
    DeviceMove,
    RepairLog,
    Room,
    Ticket,
    TicketEventKind,
)
from kiosk.domain.queue import QueueRow
from kiosk.scan.clock import FakeClock as ScanClock
from kiosk.scan.wedge import WedgeInput
from kiosk.ui.tech.queue_model import QueueFilter, TicketQueueModel

from .conftest import Kiosk


def sign_in(k: Kiosk, username: str = "admin", password: str = seed.DEMO_PASSWORD) -> None:
    k.flow.home.staff_button.click()
    k.wait_for(k.flow.sign_in)
    k.flow.sign_in.username.setText(username)
    k.flow.sign_in.password.setText(password)
    k.flow.sign_in.go.click()
    k.wait_for(k.flow.tech.home)


def test_a_technician_signs_in_with_badge_and_pin_and_signs_out_to_the_locked_kiosk(kiosk: Kiosk) -> None:
    k = kiosk
    k.flow.home.staff_button.click()
    k.wait_for(k.flow.sign_in)
    k.flow.on_wedge("BADGE1001")  # the badge is scanned with the USB scanner
    assert k.flow.sign_in.username.text() == "BADGE1001"
    k.flow.sign_in.password.setText(seed.DEMO_PIN)
    k.flow.sign_in.go.click()
    k.wait_for(k.flow.tech.home)
    assert "Maria" in k.flow.tech.home.who.text()
    assert not k.flow.lockdown.locked
    k.flow.tech.home.sign_out_button.click()
    k.wait_for(k.flow.home)
    assert k.flow.lockdown.locked and k.window.locked and k.flow.staff_id is None


def test_five_wrong_passwords_lock_and_the_screen_says_so(kiosk: Kiosk) -> None:
    k = kiosk
    k.flow.home.staff_button.click()
    k.wait_for(k.flow.sign_in)
    for _ in range(5):
        k.flow.sign_in.username.setText("mlopez")
        k.flow.sign_in.password.setText("nope")
        k.flow.sign_in.go.click()
        k.qtbot.waitUntil(lambda: k.flow.sign_in.go.isEnabled())
    assert "locked" in k.flow.sign_in.error_label.text()
    k.flow.sign_in.username.setText("mlopez")
    k.flow.sign_in.password.setText(seed.DEMO_PASSWORD)
    k.flow.sign_in.go.click()
    k.qtbot.waitUntil(lambda: k.flow.sign_in.go.isEnabled())
    assert k.window.current is k.flow.sign_in and "locked" in k.flow.sign_in.error_label.text()


def test_idle_signs_the_technician_out(kiosk: Kiosk) -> None:
    k = kiosk
    sign_in(k)
    k.flow.idle.timer.setInterval(200)
    k.flow.idle.poke()
    k.wait_for(k.flow.home, timeout=3000)
    assert k.flow.staff_id is None and k.flow.lockdown.locked


def test_the_queue_sorts_and_filters_ten_thousand_open_tickets() -> None:
    """The model and proxy alone, without a widget, on a large fixture."""
    import uuid
    from datetime import UTC, datetime

    now = datetime(2026, 9, 14, 15, tzinfo=UTC)
    rows = [
        QueueRow(uuid.uuid4(), f"C{i % 7}-{i:06d}", f"P{1 + i % 4}", "P3", i % 10 == 0,
                 ["new", "assigned", "in_progress", "on_hold"][i % 4], now - timedelta(hours=i % 500), None,
                 now + timedelta(minutes=(i * 7919) % 20000 - 3000), None, f"C{i % 7}", f"R{i % 40}",
                 ["Screen", "Power", "Wi-Fi"][i % 3], f"DS{100000 + i}", "Model", None, None)
        for i in range(10_000)
    ]
    model = TicketQueueModel(now)
    proxy = QueueFilter()
    proxy.setSourceModel(model)
    t0 = time.perf_counter()
    model.set_rows(rows, now)
    proxy.sort(TicketQueueModel.SLA, Qt.SortOrder.AscendingOrder)
    sort_s = time.perf_counter() - t0
    lefts = [proxy.data(proxy.index(r, TicketQueueModel.SLA), Qt.ItemDataRole.UserRole + 10)
             for r in range(proxy.rowCount())]
    assert lefts == sorted(lefts) and len(lefts) == 10_000
    assert proxy.data(proxy.index(0, TicketQueueModel.SLA)).startswith("-")  # most overdue first
    proxy.set_filter(status="on_hold", priority="P4")
    kept = [proxy.data(proxy.index(r, 0)) for r in range(proxy.rowCount())]
    by_number = {r.number: r for r in rows}
    assert kept and all(by_number[n].status == "on_hold" and by_number[n].priority == "P4" for n in kept)
    assert len(kept) == sum(1 for r in rows if r.status == "on_hold" and r.priority == "P4")
    proxy.set_filter(status="", priority="", text="ds100042")
    assert proxy.rowCount() == 1
    print(f"set_rows + sort of 10,000 rows: {sort_s:.3f} s")  # figures: tests/bench, not a timed test
    proxy.set_filter(text="")
    proxy.sort(TicketQueueModel.TICKET, Qt.SortOrder.DescendingOrder)
    numbers = [proxy.data(proxy.index(r, 0)) for r in range(proxy.rowCount())]
    assert len(numbers) == 10_000 and numbers == sorted(numbers, key=str.lower, reverse=True)


def test_working_a_ticket_writes_an_event_for_every_step(kiosk: Kiosk) -> None:
    k = kiosk
    sign_in(k, "mlopez")
    k.flow.tech.home.open_queue.emit()
    k.wait_for(k.flow.tech.queue)
    q = k.flow.tech.queue
    assert q.proxy.rowCount() > 0
    q.search.setText(k.tag_with_open_ticket)
    assert q.proxy.rowCount() >= 1
    q.view.doubleClicked.emit(q.proxy.index(0, 0))
    k.wait_for(k.flow.tech.ticket)
    t = k.flow.tech.ticket
    number = t.number

    def act(fn: object) -> None:
        fn()  # type: ignore[operator]
        k.idle_workers()
        assert not t.error_label.isVisible(), t.error_label.text()

    act(lambda: t.assign_me.emit())
    t.prio.setCurrentIndex(t.prio.findData("P1"))
    act(lambda: t.override.emit("P1", "Whole class affected"))
    act(lambda: t.note.emit("Picked up from room", True))
    act(lambda: t.note.emit("Likely the DC board", False))
    t.repair_action.setText("Replaced DC-in board")
    t.repair_parts.setText("DC board")
    t.repair_cost.setText("12.50")
    t.repair_minutes.setValue(35)
    act(t._repair)
    status_buttons = [t.status_row.itemAt(i).widget() for i in range(t.status_row.count())]
    labels = [b.text() for b in status_buttons if isinstance(b, QPushButton)]
    assert "resolved" in labels
    act(lambda: t.set_status.emit("resolved", "Replaced the DC-in board; charges again"))
    act(lambda: t.set_status.emit("closed", ""))
    with k.db.unit() as ctx:
        view = tickets.view(ctx.session, number)
        kinds = [e.kind for e in view.events]
        assert view.ticket.status.value == "closed"
        assert view.ticket.reporter_priority.value != "P1" or view.ticket.override_priority is not None
        assert view.ticket.priority.value == "P1" and view.ticket.override_reason == "Whole class affected"
        for kind in (TicketEventKind.ASSIGNMENT, TicketEventKind.PRIORITY, TicketEventKind.NOTE,
                     TicketEventKind.REPAIR, TicketEventKind.STATUS):
            assert kind in kinds
        assert ctx.session.scalar(select(func.count()).select_from(RepairLog)
                                  .where(RepairLog.ticket_id == view.ticket.id, RepairLog.minutes == 35,
                                         RepairLog.parts_cost_cents == 1250)) == 1
        assert ctx.session.scalars(select(AuditLogEntry).where(
            AuditLogEntry.action == "ticket.priority_override")).first() is not None


def test_a_scanned_device_opens_its_record_with_its_timeline(kiosk: Kiosk) -> None:
    k = kiosk
    sign_in(k, "mlopez")
    k.flow.on_wedge(k.tag_with_open_ticket)
    k.wait_for(k.flow.tech.device)
    d = k.flow.tech.device
    assert k.tag_with_open_ticket in d.header.text()
    kinds = {d.timeline.rows[i][1] for i in range(d.timeline.rowCount())}
    assert "ticket" in kinds
    d.room.setText("Library")
    d.save.emit(d.tag, {"room": "Library", "status": "in_repair", "model": d.model_field.text(),
                        "serial": d.serial.text(), "notes": "In the tech room"})
    k.idle_workers()
    k.wait_for(k.flow.tech.device)
    with k.db.unit() as ctx:
        dev = ctx.session.scalars(select(Device).where(Device.asset_tag == k.tag_with_open_ticket)).one()
        assert dev.status.value == "in_repair"
        moves = ctx.session.scalars(select(DeviceMove.field).where(DeviceMove.device_id == dev.id)).all()
        assert set(moves) == {"room", "status"}


def test_an_unknown_tag_in_technician_mode_leads_to_registering_it(kiosk: Kiosk) -> None:
    k = kiosk
    k.flow.on_tag("ZZ7001")  # a student scanned an unregistered tag earlier
    k.wait_for(k.flow.unknown)
    k.flow.go_home()
    sign_in(k, "mlopez")
    k.flow.tech.home.unknown_tags.emit()
    k.wait_for(k.flow.tech.unknown)
    assert k.flow.tech.unknown.model.rows[0][0] == "ZZ7001"
    k.flow.tech.unknown.view.selectRow(0)
    k.flow.tech.unknown.action_button.click()
    k.wait_for(k.flow.tech.register)
    r = k.flow.tech.register
    assert r.tag.text() == "ZZ7001"
    r.room.setText("Library")
    r.model_field.setText("Chromebook 3110")
    r._go()
    k.wait_for(k.flow.tech.device)
    k.flow.tech.home.unknown_tags.emit()
    k.wait_for(k.flow.tech.unknown)
    assert k.flow.tech.unknown.model.rowCount() == 0


@pytest.fixture
def room_with_devices(kiosk: Kiosk) -> tuple[str, list[str], str]:
    """A room of the kiosk's campus with its registered devices, and one device registered elsewhere."""
    k = kiosk
    with k.db.unit() as ctx:
        s = ctx.session
        room = s.scalars(select(Room).where(Room.campus_id == k.flow.campus_id, Room.name == "Library")).one()
        s.execute(update(Device).where(Device.room_id == room.id, Device.status == "retired")
                  .values(status="in_service"))
        tags = list(s.scalars(select(Device.asset_tag).where(Device.room_id == room.id)))
        if len(tags) < 3:
            extra = list(s.scalars(select(Device).where(Device.campus_id == k.flow.campus_id,
                                                        Device.room_id != room.id).limit(3 - len(tags))))
            for d in extra:
                d.room_id = room.id
            tags += [d.asset_tag for d in extra]
        elsewhere = s.scalars(select(Device.asset_tag).where(  # registered in another room of this campus
            Device.room_id != room.id, Device.campus_id == k.flow.campus_id, Device.status == "in_service")).first()
        assert elsewhere is not None
        return str(room.id), tags, elsewhere


def test_a_room_audit_finds_all_four_outcomes_pauses_resumes_and_applies(
    kiosk: Kiosk, room_with_devices: tuple[str, list[str], str]
) -> None:
    import uuid

    k = kiosk
    room_id, tags, elsewhere = room_with_devices
    sign_in(k, "mlopez")
    k.flow.tech.home.room_audit.emit()
    k.wait_for(k.flow.tech.audit)
    a = k.flow.tech.audit
    a.pick_room.emit(uuid.UUID(room_id))
    k.qtbot.waitUntil(lambda: a.entry.isVisible())
    found, missing = tags[:-1], tags[-1]
    scanner_clock = ScanClock()
    k.flow.wedge_input = WedgeInput(lambda: k.flow.tag_rule, clock=scanner_clock)
    k.flow.on_wedge(found[0])
    k.idle_workers()
    assert "belongs here" in a.last.text() and a.counter.text() == f"expected {len(tags)} / scanned 1"
    scanner_clock.advance(0.2)
    k.flow.on_wedge(found[0])  # the scanner's burst again at once (a double trigger): one scan, no warning
    k.idle_workers()
    assert a.warning.text() == "" and a.counter.text().endswith("scanned 1")
    scanner_clock.advance(2.0)
    k.flow.on_wedge(found[0])  # scanned again on purpose: warns and is not double-counted
    k.idle_workers()
    assert "Already scanned" in a.warning.text() and a.counter.text().endswith("scanned 1")
    a.pause.emit()
    k.qtbot.waitUntil(lambda: a.rooms.isVisible())
    a.pick_room.emit(uuid.UUID(room_id))  # resume
    k.qtbot.waitUntil(lambda: a.entry.isVisible())
    assert a.counter.text().endswith("scanned 1")
    for tag in found[1:]:
        k.flow.on_wedge(tag)
        k.idle_workers()
    k.flow.on_wedge(elsewhere)
    k.idle_workers()
    assert "registered in" in a.last.text()
    k.flow.on_wedge("ZZ0099")
    k.idle_workers()
    assert "not a registered device" in a.last.text()
    a.finish.emit()
    k.qtbot.waitUntil(lambda: a.result_view.isVisible())
    outcomes = {(r[0], r[1]) for r in a.result.rows}
    assert ("missing", missing) in outcomes and ("misplaced", elsewhere) in outcomes
    assert ("unknown", "ZZ0099") in outcomes and all(("found", t) in outcomes for t in found)
    a._tick_all(True)  # the technician ticks the misplaced device (one from another campus is never pre-ticked)
    a.apply_button.click()
    assert a.confirm_text.isVisible() and elsewhere in a.confirm_text.text() and missing in a.confirm_text.text()
    a.confirm_button.click()
    k.qtbot.waitUntil(lambda: a.changes_view.isVisible())
    changes = {(r[0], r[1]) for r in a.changes.rows}
    assert ("moved here", elsewhere) in changes and ("marked missing", missing) in changes
    a.done.emit()
    k.qtbot.waitUntil(lambda: a.rooms.isVisible())
    with k.db.unit() as ctx:
        moved = ctx.session.scalars(select(Device).where(Device.asset_tag == elsewhere)).one()
        assert str(moved.room_id) == room_id and moved.last_audited_at is not None


def test_troublesome_devices_and_model_outliers_are_listed(kiosk: Kiosk) -> None:
    k = kiosk
    with k.db.unit() as ctx:
        dev = ctx.session.scalars(select(Device).where(Device.asset_tag == k.quiet_tag)).one()
        tech = ctx.session.scalars(select(Ticket.assignee_id).where(Ticket.assignee_id.is_not(None))).first()
        now = ctx.clock.now()
        for i in range(4):
            ctx.session.add(RepairLog(device_id=dev.id, technician_id=tech, action="Replaced screen", minutes=20,
                                      performed_at=now - timedelta(days=5 * i), created_at=now, updated_at=now))
    sign_in(k, "mlopez")
    k.flow.tech.home.troublesome.emit()
    k.wait_for(k.flow.tech.trouble)
    rows = k.flow.tech.trouble.model.rows
    assert any(k.quiet_tag in str(r[1]) and r[2] == 4 for r in rows)
    index = k.flow.tech.trouble.model.items.index(k.quiet_tag)
    k.flow.tech.trouble.view.activated.emit(k.flow.tech.trouble.model.index(index, 0, QModelIndex()))
    k.wait_for(k.flow.tech.device)
    assert "Troublesome" in k.flow.tech.device.flag.text()


def test_a_technician_prints_room_labels_to_a_pdf(kiosk: Kiosk) -> None:
    from pathlib import Path

    k = kiosk
    sign_in(k, "mlopez")
    k.flow.tech.home.labels.emit()
    k.wait_for(k.flow.tech.labels)
    screen = k.flow.tech.labels
    screen.what.setCurrentIndex(screen.what.findData("rooms"))
    screen.sheet.setCurrentIndex(screen.sheet.findData("avery5160"))
    screen.go.click()
    k.qtbot.waitUntil(lambda: screen.result.text() != "" or screen.error_label.isVisible(), timeout=20_000)
    assert not screen.error_label.isVisible(), screen.error_label.text()
    path = Path(screen.result.text().rsplit(": ", 1)[1])
    assert path.exists() and path.read_bytes().startswith(b"%PDF")
    with k.db.unit() as ctx:
        rooms = ctx.session.scalar(select(func.count()).select_from(Room).where(Room.campus_id == k.flow.campus_id))
    assert screen.result.text().startswith(f"{rooms} labels")
    screen.what.setCurrentIndex(screen.what.findData("room"))
    screen.detail.setText("No Such Room")
    screen.go.click()
    k.qtbot.waitUntil(lambda: screen.error_label.isVisible(), timeout=10_000)
    assert "no room" in screen.error_label.text().lower()


def test_overdue_tickets_are_escalated_and_flagged_in_the_queue(kiosk: Kiosk) -> None:
    from kiosk.domain.models import TicketEvent

    k = kiosk
    k.db.clock.advance(timedelta(days=30))  # type: ignore[attr-defined]
    sign_in(k, "mlopez")
    k.flow.tech.home.open_queue.emit()
    k.wait_for(k.flow.tech.queue)
    model = k.flow.tech.queue.model
    flagged = [r for r in model.rows if r.escalation == "breached"]
    assert flagged, "a month later every open ticket is past its resolution target"
    shown = {model.data(model.index(i, TicketQueueModel.ESCALATED)) for i in range(model.rowCount())}
    assert "breached" in shown
    with k.db.unit() as ctx:
        assert ctx.session.scalar(select(func.count()).select_from(TicketEvent).where(
            TicketEvent.kind == TicketEventKind.ESCALATION)) >= len(flagged)
