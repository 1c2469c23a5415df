"""Renders every kiosk screen of the demo district to PNG files in docs/screenshots/ (offscreen Qt).

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/tools/render_screenshots.py [--out docs/screenshots]
        [--size 1366x768]

Every shot is the whole window at the kiosk's size (1366x768 unless --size says otherwise), and the saved PNG is
checked to be exactly that size. A screen whose body scrolls at that size is named on the output.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="docs/screenshots")
    ap.add_argument("--size", default="1366x768", help="window size, WIDTHxHEIGHT (the usual kiosk screen)")
    ap.add_argument("--lang", default="en", help="the kiosk's language; not en: the walk-up screens only, "
                    "named <lang>-NN-*.png")
    args = ap.parse_args()
    width, height = (int(v) for v in args.size.lower().split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="kiosk-shots-")
    os.environ["KIOSK_DATA_DIR"] = tmp

    import barcode
    from barcode.writer import ImageWriter
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import select

    from kiosk.domain import schema, seed, tickets
    from kiosk.domain.clock import FakeClock
    from kiosk.domain.db import Database
    from kiosk.domain.models import Device, StaffUser, Ticket
    from kiosk.ui import theme
    from kiosk.ui.app import KioskOptions, build
    from kiosk.ui.screens.report import ReportInput

    app = QApplication(sys.argv[:1])
    theme.apply(app, theme.DESIGN)
    clock = FakeClock(datetime(2026, 11, 23, 16, 0, tzinfo=UTC))  # Monday 10:00 in Chicago, a visit under way
    url = f"sqlite:///{tmp}/demo.sqlite3"
    db = Database(url, clock=clock)
    schema.upgrade(db.engine)
    seed.seed(db, seed.SeedOptions(as_of=date(2026, 11, 23)))
    with db.unit() as ctx:
        demo_campus = sorted(ctx.session.scalars(select(Ticket.campus_id)).all())[0]
        row = ctx.session.execute(
            select(Device.asset_tag, Device.campus_id).join(Ticket, Ticket.device_id == Device.id)
            .where(Ticket.status.in_(["new", "assigned", "in_progress"]))).first()
        assert row is not None
        tag, campus_id = row
    label = Path(tmp) / "label.png"
    barcode.get("code128", tag, writer=ImageWriter()).save(str(label.with_suffix("")))

    window, flow = build(KioskOptions(url=url, windowed=True, camera=None), clock=clock)
    flow.db.dispose()
    flow.db = db
    flow.config.campus_id = str(campus_id)
    flow.campus_id = campus_id
    del demo_campus
    window.resize(width, height)
    window.show()

    def pump(ms: int = 150) -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            app.processEvents()
            if flow.runner.pending == 0:
                break
            time.sleep(0.01)
        end = time.monotonic() + ms / 1000
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    from PySide6.QtGui import QImage

    from kiosk.ui.screens.base import Screen

    def shot(name: str) -> None:
        pump()
        window.resize(width, height)
        pump(50)
        assert (window.width(), window.height()) == (width, height), (name, window.size())
        path = out / (f"{name}.png" if args.lang == "en" else f"{args.lang}-{name}.png")
        window.grab().save(str(path))
        saved = QImage(str(path)).size()
        assert (saved.width(), saved.height()) == (width, height), f"{path} is {saved.width()}x{saved.height()}"
        note = ""
        current = window.current
        if isinstance(current, Screen) and current.body_widget.height() > current.body_scroll.viewport().height():
            note = f" (scrolls: {current.body_widget.height()} px in {current.body_scroll.viewport().height()})"
        print(f"wrote {path}{note}")

    flow.start()
    flow.home.show_frame(QImage(str(label)))
    pump(300)
    if args.lang != "en":
        flow.default_language = args.lang  # as if it were the district's: the idle reset keeps it
        flow.set_language(args.lang)
        pump(300)
    # the home screen during a technician's visit, so the "on campus now" banner shows
    from datetime import timedelta

    from kiosk.domain import walkup as _walkup

    with db.unit() as ctx:
        first = _walkup.week_schedule(ctx.session, campus_id, clock.now()).upcoming(clock.now(), 1)
    if first:
        visit_start = first[0].starts_at(ZoneInfo("America/Chicago"))
        saved_now = clock.now()
        clock.set(visit_start + timedelta(minutes=40))
        flow.load_home()
        shot("01-home")
        clock.set(saved_now)
        flow.load_home()
    else:
        shot("01-home")
    shot("01b-home-1366x768")  # outside a visit
    flow.show(flow.type_tag)
    flow.type_tag.field.setText(tag[:5])
    shot("02-type-tag")
    flow.on_tag(tag)
    shot("03-device-card")
    flow.start_device_report()
    shot("04-categories")
    with db.unit() as ctx:
        open_t = ctx.session.scalars(select(Ticket).join(Device, Device.id == Ticket.device_id)
                                     .where(Device.asset_tag == tag)).first()
        assert open_t is not None
        open_cat = open_t.category_id
    cat = next(c for c in flow.categories.buttons if c)  # ensure buttons exist
    del cat
    from kiosk.domain import walkup

    with db.unit() as ctx:
        choice = next(c for c in walkup.categories(ctx.session) if c.id == open_cat)
    flow.on_category(choice)
    shot("05-duplicate-offer")
    flow.on_file_new()
    flow.details.description.setPlainText("The screen has a crack across the top and flickers.")
    flow.details.reporter.setText("204511")
    shot("06-details")
    flow.on_submit(ReportInput(flow.details.description.toPlainText(), "204511", "P3", None))
    shot("07-receipt")
    number = flow.receipt.number.text()
    flow.go_home()
    flow.show(flow.check)
    flow.check.field.setText(number)
    flow.on_check(number)
    shot("08-check-ticket")
    flow.on_tag("DS999999")
    shot("09-unknown-tag")
    flow.start_room_problem()
    shot("10-room-pick")
    flow.survey.prepare(number, "Liquid or physical damage")
    flow.show(flow.survey)
    flow.survey.reporter.setText("204511")
    flow.survey.reporter_ok()  # the ID checked (the kiosk asks it before any question)
    shot("09b-survey")
    flow.start_staff_sign_in()
    flow.sign_in.username.setText("admin")
    shot("11-staff-sign-in")
    flow.start_campus_pick()
    shot("12-campus-pick")
    if args.lang != "en":
        return 0
    flow.staff_id = None
    with db.unit() as ctx:
        admin_id = ctx.session.scalars(select(StaffUser.id).where(StaffUser.username == "mlopez")).one()
    flow.staff_id = admin_id
    flow.tech.begin(admin_id, "Maria Lopez", False, campus_id)
    shot("13-technician-home")
    home = flow.tech.home
    home.search.setText("library 3")
    flow.tech.search_devices(home.search.text())
    shot("13b-find-a-device")
    home.search.clear()
    flow.tech.open_queue()
    shot("14-work-queue")
    flow.tech.open_ticket(number)
    shot("15-ticket")
    # the ticket to its end: resolved, waiting in the queue, closed with its survey
    t = flow.tech.ticket
    t.repair_action.setText("Replaced the LCD panel")
    t.repair_parts.setText("LCD 11.6in")
    t.repair_cost.setText("45.90")
    t.repair_minutes.setValue(30)
    t._repair()
    pump()
    t.set_status.emit("resolved", "Replaced the LCD panel; the picture is steady")
    pump()
    flow.tech.open_queue("waiting")
    shot("14b-queue-waiting-to-close")
    flow.tech.open_ticket(number)
    pump()
    t.set_status.emit("closed", "")
    shot("15b-ticket-closed-with-survey")
    flow.tech.open_device(tag)
    shot("16-device-record")
    flow.tech.open_troublesome()
    shot("17-troublesome")
    flow.tech.open_unknown()
    shot("18-unknown-tags")
    flow.tech.open_audit_rooms()
    shot("19-audit-rooms")
    flow.show(flow.tech.labels)
    flow.tech.labels.what.setCurrentIndex(flow.tech.labels.what.findData("rooms"))
    flow.tech.labels._go()
    shot("22-labels")
    with db.unit() as ctx:
        from kiosk.domain.models import Room

        lib = ctx.session.scalars(select(Room).where(Room.campus_id == campus_id, Room.name == "Library")).one()
        lib_tags = list(ctx.session.scalars(select(Device.asset_tag).where(Device.room_id == lib.id).limit(3)))
        other = ctx.session.scalars(select(Device.asset_tag).where(Device.room_id != lib.id)).first()
    flow.tech.start_audit(lib.id)
    pump()
    for t in lib_tags[:2] + [lib_tags[0], other or "", "ZZ0042"]:
        if t:
            flow.tech.audit_scan(t)
            pump(50)
    shot("20-audit-scanning")
    flow.tech.finish_audit()
    shot("21-audit-result")
    flow.tech.audit._tick_all(True)
    flow.tech.audit.apply_button.click()
    shot("21b-audit-confirm")
    flow.tech.audit.confirm_button.click()
    shot("21c-audit-applied")
    with db.unit() as ctx:
        assert tickets.get_ticket(ctx.session, number)

    # --- an admin's reports, and edits the server refused ------------------------------------------------------
    with db.unit() as ctx:
        admin = ctx.session.scalars(select(StaffUser).where(StaffUser.username == "admin")).one()
        admin_id, admin_name = admin.id, f"{admin.first_name} {admin.last_name}"
    flow.staff_id = admin_id
    refused = _refuse_some_edits(db, admin_id, campus_id)
    flow.tech.begin(admin_id, admin_name, True, campus_id)
    shot("admin-reports-menu")
    flow.tech.admin_reports.open()
    pump()
    screen = flow.tech.reports
    for name in ("weekly", "objectives", "service"):
        screen.which.setCurrentIndex(screen.which.findData(name))
        screen._go()
        pump(300)
        assert screen.report is not None and screen.report.name == name, screen.error_label.text()
        shot(f"admin-reports-{name}")
    flow.tech.refused_edits.open()
    pump()
    view = flow.tech.refused.view
    view.selectRow(0)
    shot("refused-edits")
    assert flow.tech.refused.model.rowCount() == refused
    flow.runner.wait()
    return 0


def _refuse_some_edits(db: object, staff_id: object, campus_id: object) -> int:
    """Makes this database a kiosk node with three edits the server refused (as after a sync), for the shot."""
    import uuid

    from sqlalchemy import select

    from kiosk.domain import devices, tickets
    from kiosk.domain.db import Actor, Database
    from kiosk.domain.models import Device, Room, SyncOutbox, Ticket
    from kiosk.sync import local

    assert isinstance(db, Database)
    with db.unit() as ctx:
        s = ctx.session
        devs = list(s.scalars(select(Device).where(Device.campus_id == campus_id, Device.room_id.is_not(None))
                              .order_by(Device.asset_tag).limit(2)))
        room = s.scalars(select(Room).where(Room.campus_id == campus_id, Room.id != devs[0].room_id)
                         .order_by(Room.name)).first()
        number = s.scalars(select(Ticket.number).where(Ticket.campus_id == campus_id)
                           .order_by(Ticket.number.desc())).first()
        assert room is not None and number is not None
        tag0, tag1, room_name = devs[0].asset_tag, devs[1].asset_tag, room.name
    local.enroll_node(db, uuid.uuid4(), campus_id)  # type: ignore[arg-type]
    actor = Actor(staff_id=staff_id, label="technician")
    with db.unit(actor) as ctx:
        devices.set_fields(ctx, tag0, {"room": room_name})
    with db.unit(actor) as ctx:
        devices.set_fields(ctx, tag1, {"status": "in_repair", "notes": "Hinge cracked, waiting for the part"})
    with db.unit(actor) as ctx:
        tickets.add_note(ctx, number, "Replaced the charger; the student took it to class", public=False)
    with db.unit() as ctx:
        ops = ctx.session.execute(select(SyncOutbox.op_id, SyncOutbox.table_name, SyncOutbox.op)
                                  .order_by(SyncOutbox.seq)).all()
    updates = [o for o, t, op in ops if t == "devices" and op == "update"]
    note = next(o for o, t, _ in ops if t == "ticket_events")
    local.quarantine(db, {str(updates[0]): f"devices row is outside campus {campus_id}",
                          str(updates[1]): f"no devices row {uuid.uuid4()} to change",
                          str(note): "a kiosk can only record its own kiosk id"})
    return 3


if __name__ == "__main__":
    raise SystemExit(main())
