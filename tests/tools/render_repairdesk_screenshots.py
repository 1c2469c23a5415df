"""Renders the repair desk's screens of the demo district to docs/screenshots/desk-*.png (offscreen Qt).

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/tools/render_repairdesk_screenshots.py [--out docs/screenshots]

The walk-up loaner offer (badge-confirmed), the loan receipt, the technician home with the pool's state, the repair
desk with a loan out, an overdue one, a double loan from two kiosks and low stock, the walk-in screen, and the
part picker on a ticket. Each PNG is checked to be 1366x768.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="docs/screenshots")
    args = ap.parse_args()
    width, height = 1366, 768
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="kiosk-desk-shots-")
    os.environ["KIOSK_DATA_DIR"] = tmp

    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import select

    from kiosk.domain import devices, loaners, parts, schema, seed, walkins
    from kiosk.domain.clock import FakeClock
    from kiosk.domain.db import Actor, Database
    from kiosk.domain.models import Device, Kiosk, Loan, StaffUser, Ticket
    from kiosk.ui import theme
    from kiosk.ui.app import KioskOptions, build
    from kiosk.ui.screens.report import ReportInput

    app = QApplication(sys.argv[:1])
    theme.apply(app)
    clock = FakeClock(datetime(2026, 11, 23, 16, 0, tzinfo=UTC))
    url = f"sqlite:///{tmp}/demo.sqlite3"
    db = Database(url, clock=clock)
    schema.upgrade(db.engine)
    seed.seed(db, seed.SeedOptions(as_of=date(2026, 11, 23)))
    with db.unit() as ctx:
        s = ctx.session
        row = s.execute(select(Device.asset_tag, Device.campus_id).join(Ticket, Ticket.device_id == Device.id)
                        .where(Ticket.status.in_(["new", "assigned", "in_progress"]))).first()
        assert row is not None
        tag, campus_id = row
        busy = set(s.scalars(select(Ticket.device_id).where(Ticket.device_id.is_not(None))))
        pool = list(s.scalars(select(Device.asset_tag).where(Device.campus_id == campus_id, Device.id.not_in(busy),
                                                             Device.category == "chromebook")
                              .order_by(Device.asset_tag.desc()).limit(6)))
        for t in pool[:5]:
            devices.set_fields(ctx, t, {"status": "loaner"}, reason="loaner pool")
        quiet = pool[5]
        tech = s.scalars(select(StaffUser).where(StaffUser.username == "mlopez")).one()
        tech_id = tech.id
        now = clock.now()
        k1 = Kiosk(campus_id=campus_id, name="front desk", created_at=now, updated_at=now)
        k2 = Kiosk(campus_id=campus_id, name="library", created_at=now, updated_at=now)
        s.add_all([k1, k2])
        s.flush()
        k1_id, k2_id = k1.id, k2.id
        parts.add_part(ctx, code="LCD-116", name="LCD panel 11.6in", unit_cost_cents=4500, reorder_level=3)
        parts.add_part(ctx, code="KB-3110", name="Keyboard, Chromebook 3110", unit_cost_cents=3200, reorder_level=2)
        parts.receive(ctx, "LCD-116", 2, campus=campus_id)
        parts.receive(ctx, "KB-3110", 8, campus=campus_id)
    with db.unit(Actor(staff_id=tech_id, kiosk_id=k1_id)) as ctx:  # an overdue loan from two weeks ago
        clock.set(datetime(2026, 11, 9, 15, 0, tzinfo=UTC))
        loaners.check_out(ctx, loaner_tag=pool[0], reporter="204533")
        clock.set(datetime(2026, 11, 23, 15, 0, tzinfo=UTC))
        loaners.check_out(ctx, loaner_tag=pool[1], reporter="204577", for_tag=tag)
    with db.unit(Actor(staff_id=tech_id, kiosk_id=k2_id)) as ctx:  # lent at the library while offline, earlier
        ctx.session.add(Loan(campus_id=campus_id, loaner_id=ctx.session.scalars(select(Device.id).where(
            Device.asset_tag == pool[1])).one(), reporter_id=tickets_reporter(ctx, "204512"),
            out_at=datetime(2026, 11, 23, 14, 50, tzinfo=UTC), due_on=date(2026, 11, 30), out_by_id=tech_id,
            kiosk_id=k2_id, created_at=clock.now(), updated_at=clock.now()))
    with db.unit(Actor(staff_id=tech_id)) as ctx:
        walkins.log_walkin(ctx, tag=quiet, action="Swapped the charger", minutes=5)
    clock.set(datetime(2026, 11, 23, 16, 0, tzinfo=UTC))

    window, flow = build(KioskOptions(url=url, windowed=True, camera=None), clock=clock)
    flow.db.dispose()
    flow.db = db
    flow.tech.db = db
    flow.config.campus_id = str(campus_id)
    flow.campus_id = campus_id
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

    def shot(name: str) -> None:
        pump()
        window.resize(width, height)
        pump(50)
        path = out / f"{name}.png"
        window.grab().save(str(path))
        saved = QImage(str(path)).size()
        assert (saved.width(), saved.height()) == (width, height), f"{path} is {saved.width()}x{saved.height()}"
        print(f"wrote {path}")

    flow.start()
    pump(300)
    with db.unit() as ctx:
        broken = ctx.session.scalars(select(Device.asset_tag).where(
            Device.campus_id == campus_id, Device.status == "in_service", Device.category == "chromebook",
            Device.asset_tag.not_in(pool)).order_by(Device.asset_tag)).first()
        assert broken is not None
    flow.on_tag(broken)
    pump()
    flow.start_device_report()
    pump()
    from kiosk.domain import walkup

    with db.unit() as ctx:
        choice = next(c for c in walkup.categories(ctx.session) if c.code == "screen")
    flow.on_category(choice)
    pump()
    if flow.window.current is flow.duplicate:
        flow.on_file_new()
    flow.on_submit(ReportInput("The screen cracked in my backpack.", "204599", "P3", None))
    pump(300)
    shot("desk-01-receipt-with-loaner-offer")
    flow.loaner_offer.open()
    pump()
    flow.loaner_offer.screen.on_scan(pool[2])
    flow.loaner_offer.screen.badge.setText("BADGE1001")
    flow.loaner_offer.screen.pin.setText("1234")
    shot("desk-02-loaner-offer-badge")
    flow.loaner_offer.screen.pin.setText(seed.DEMO_PIN)
    flow.loaner_offer.screen._borrow()
    pump(400)
    shot("desk-03-loan-receipt")
    flow.go_home()
    flow.staff_id = tech_id
    flow.tech.begin(tech_id, "Maria Lopez", False, campus_id)
    pump(300)
    shot("desk-04-technician-home")
    flow.tech.desk.open()
    pump(300)
    flow.tech.desk.screen.on_tag(pool[3])
    flow.tech.desk.screen.reporter.setText("204620")
    shot("desk-05-repair-desk")
    flow.tech.desk.open_walkin()
    pump()
    flow.tech.desk.walkin_screen.on_tag(broken)
    shot("desk-06-walk-in")
    with db.unit() as ctx:
        number = ctx.session.scalars(select(Ticket.number).join(Device, Device.id == Ticket.device_id)
                                     .where(Device.asset_tag == tag)).first()
    assert number is not None
    flow.tech.open_ticket(number)
    pump(300)
    flow.tech.ticket.repair_action.setText("Replaced the keyboard")
    flow.tech.ticket.repair_minutes.setValue(20)
    flow.tech.ticket.repair_parts.setText("KB")
    flow.tech.ticket.repair_parts.setFocus()
    flow.tech.desk.completer.complete()
    pump(200)
    shot("desk-07-ticket-parts-from-stock")
    flow.tech.desk.completer.popup().hide()
    with db.unit() as ctx:
        from kiosk.domain import triage

        model = ctx.session.scalars(select(Device.model).where(Device.asset_tag == tag)).one()
        triage.add_plan(ctx, name="Accidental damage 2026", claims_per_year=40, model=model)
    flow.tech.desk.open_triage()
    pump()
    tri = flow.tech.desk.triage_screen
    tri.cause.setCurrentIndex(tri.cause.findData("accidental"))
    tri.save_button.click()
    pump(300)
    tri.vendor.setText("Dell depot")
    tri.case.setText("SR-4471902")
    for box in tri.checks[:2]:
        box.setChecked(True)
    shot("desk-08-cause-coverage-fees")
    flow.runner.wait()
    return 0


def tickets_reporter(ctx: object, ident: str) -> object:
    from kiosk.domain import tickets

    return tickets.get_or_create_reporter(ctx, ident).id  # type: ignore[arg-type]


if __name__ == "__main__":
    sys.exit(main())
