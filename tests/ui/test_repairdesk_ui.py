"""The repair desk on screen: a student borrows a loaner after a report (badge-confirmed, then self-service), a
technician lends and takes back at the desk, logs a walk-in in two taps and a repair with a part from stock."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kiosk.domain import desk_settings, loaners, parts, seed
from kiosk.domain.models import OPEN_STATUSES, Channel, Device, Loan, RepairLog, Ticket, TicketStatus

from .conftest import Kiosk
from .test_technician import sign_in
from .test_walkup import _category_button, _fill_details


def _make_loaners(k: Kiosk, n: int = 2) -> list[str]:
    from kiosk.domain import devices

    with k.db.unit() as ctx:
        campus = k.flow.campus_id
        busy = set(ctx.session.scalars(select(Ticket.device_id).where(Ticket.device_id.is_not(None))))
        tags = list(ctx.session.scalars(select(Device.asset_tag).where(
            Device.campus_id == campus, Device.id.not_in(busy), Device.asset_tag != k.quiet_tag)
            .order_by(Device.asset_tag.desc()).limit(n)))
        for tag in tags:
            devices.set_fields(ctx, tag, {"status": "loaner"}, reason="loaner pool")
    return tags


def _report(k: Kiosk, tag: str, reporter: str) -> None:
    k.flow.on_tag(tag)
    k.wait_for(k.flow.card)
    k.flow.card.report_button.click()
    _category_button(k, code="screen").click()
    _fill_details(k, "Cracked along the top edge", reporter)
    k.flow.details.submit_button.click()
    k.wait_for(k.flow.receipt)


def test_a_student_borrows_a_loaner_after_a_report_with_a_technicians_badge(kiosk: Kiosk) -> None:
    k = kiosk
    loaner, _ = _make_loaners(k)
    _report(k, k.quiet_tag, "204511")
    offer = k.flow.loaner_offer
    k.qtbot.waitUntil(lambda: offer.offer_button.isVisible())
    offer.offer_button.click()
    k.wait_for(offer.screen)
    assert offer.screen.badge.isVisible()  # self-service is off: a technician confirms
    k.flow.on_wedge(loaner)  # the loaner's tag scanned with the USB scanner
    assert offer.screen.loaner.text() == loaner
    offer.screen.badge.setFocus()
    offer.screen.badge.setText("BADGE1001")
    offer.screen.pin.setText("0000")  # a wrong PIN is refused and nothing is lent
    offer.screen.go.click()
    k.qtbot.waitUntil(lambda: offer.screen.error_label.isVisible())
    with k.db.unit() as ctx:
        assert list(ctx.session.scalars(select(Loan))) == []
    offer.screen.pin.setText(seed.DEMO_PIN)
    offer.screen.go.click()
    k.wait_for(offer.receipt)
    assert loaner in offer.receipt.lines.text() and k.quiet_tag in offer.receipt.lines.text()
    assert not offer.receipt.qr.pixmap().isNull()
    with k.db.unit() as ctx:
        loan = ctx.session.scalars(select(Loan)).one()
        assert loan.out_by_id is not None and loan.for_device_id is not None
    offer.receipt.done_button.click()
    k.wait_for(k.flow.home)


def test_self_service_needs_no_badge_and_a_second_loaner_is_not_offered(kiosk: Kiosk) -> None:
    k = kiosk
    loaner, _ = _make_loaners(k)
    with k.db.unit() as ctx:
        desk_settings.set_value(ctx, "loaner.self_service", True)
    _report(k, k.quiet_tag, "204599")
    offer = k.flow.loaner_offer
    k.qtbot.waitUntil(lambda: offer.offer_button.isVisible())
    offer.offer_button.click()
    k.wait_for(offer.screen)
    assert not offer.screen.badge.isVisible()
    offer.screen.loaner.setText(loaner)
    offer.screen.go.click()
    k.wait_for(offer.receipt)
    offer.receipt.done_button.click()
    k.wait_for(k.flow.home)
    _report(k, k.tag_with_open_ticket, "204599")  # the same student again: one loaner at a time
    k.idle_workers()
    assert not offer.offer_button.isVisible()


def test_the_technician_desk_lends_takes_back_logs_a_walk_in_and_a_repair_with_a_part(kiosk: Kiosk) -> None:
    k = kiosk
    loaner, _ = _make_loaners(k)
    with k.db.unit() as ctx:
        parts.add_part(ctx, code="KB-3110", name="Keyboard 3110", unit_cost_cents=3200, reorder_level=1)
        parts.receive(ctx, "KB-3110", 2, campus=k.flow.campus_id)
    sign_in(k, "mlopez")
    tech = k.flow.tech
    k.qtbot.waitUntil(lambda: "Loaners: 2 available, 0 out" in tech.home.desk_line.text())
    tech.home.repair_desk.emit()
    desk = tech.desk.screen
    k.wait_for(desk)
    tech.on_tag(loaner)  # scanned: the loaner field first
    assert desk.loaner.text() == loaner
    desk.reporter.setText("204511")
    desk.lend_button.click()
    k.qtbot.waitUntil(lambda: "Lent " + loaner in desk.result.text())
    k.qtbot.waitUntil(lambda: desk.loans.rowCount() == 1)
    desk.loaner.setText(loaner)
    desk.back_button.click()
    k.qtbot.waitUntil(lambda: "is back from 204511, on time" in desk.result.text())
    k.qtbot.waitUntil(lambda: desk.loans.rowCount() == 0)

    desk.walkin_button.click()
    walkin = tech.desk.walkin_screen
    k.wait_for(walkin)
    tech.on_tag(k.quiet_tag)  # tap 1: the device is scanned
    assert walkin.tag.text() == k.quiet_tag
    quick = [b for b in walkin.findChildren(type(desk.lend_button)) if b.text() == "Swapped the charger"][0]
    quick.click()  # tap 2: what was done (10 minutes by default)
    k.qtbot.waitUntil(lambda: "resolved" in walkin.result.text())
    with k.db.unit() as ctx:
        t = ctx.session.scalars(select(Ticket).where(Ticket.channel == Channel.WALK_IN)).one()
        assert t.status is TicketStatus.RESOLVED and t.resolution_code == "repaired_on_site"

    with k.db.unit() as ctx:
        number = ctx.session.scalars(select(Ticket.number).join(Device, Device.id == Ticket.device_id).where(
            Device.asset_tag == k.tag_with_open_ticket, Ticket.status.in_(OPEN_STATUSES))).first()
    assert number is not None
    tech.open_ticket(number)
    k.wait_for(tech.ticket)
    k.qtbot.waitUntil(lambda: tech.desk.parts_model.rowCount() > 0)
    tech.desk._part_chosen(tech.desk.parts_model.stringList()[0])  # picked from the completer
    assert tech.ticket.repair_parts.text() == "KB-3110" and tech.ticket.repair_cost.text() == "32.00"
    tech.ticket.repair_action.setText("Replaced the keyboard")
    tech.ticket.repair_minutes.setValue(20)
    tech.ticket._repair()  # the form's own Log repair button
    k.qtbot.waitUntil(lambda: k.flow.runner.pending == 0)
    with k.db.unit() as ctx:
        repair = ctx.session.scalars(select(RepairLog).where(RepairLog.parts == "KB-3110 Keyboard 3110")).one()
        assert repair.parts_cost_cents == 3200
        assert [x.stock for x in parts.stock_lines(ctx.session, campus=k.flow.campus_id, low_only=True)] == [1]
        assert loaners.list_loans(ctx.session, ctx.clock.now()) == []
    tech.ticket.repair_action.setText("Cleaned the fan")  # typed parts that are not in the catalogue: as before
    tech.ticket.repair_parts.setText("thermal paste")
    tech.ticket._repair()
    k.qtbot.waitUntil(lambda: k.flow.runner.pending == 0)
    with k.db.unit() as ctx:
        assert ctx.session.scalars(select(RepairLog.parts).where(RepairLog.action == "Cleaned the fan")).one() \
            == "thermal paste"
    tech.desk.triage_button.click()  # triage: the technician sees which damage incident this is
    tri = tech.desk.triage_screen
    k.wait_for(tri)
    tri.cause.setCurrentIndex(tri.cause.findData("accidental"))
    tri.save_button.click()
    k.qtbot.waitUntil(lambda: "Damage incident 1 of this reporter" in tri.triage_text.text())
    assert desk_settings.DEFAULT_POLICY[0]["action"] in tri.triage_text.text()
    with k.db.unit() as ctx:
        assert ctx.session.scalars(select(Ticket.cause).where(Ticket.number == number)).one() == "accidental"
    tri.vendor.setText("Dell depot")
    tri.shipped.setText("2026-09-14")
    tri._depot()  # the checklist is not done: refused, and it says what is missing
    k.qtbot.waitUntil(lambda: "Before shipping: Remove the device" in tri.error_label.text())
    for box in tri.checks:
        box.setChecked(True)
    tri._depot()
    k.qtbot.waitUntil(lambda: "Depot repair with Dell depot saved" in tri.result.text())
    tri.home_button.click()
    k.wait_for(tech.ticket)
    tech.show_home()
    k.qtbot.waitUntil(lambda: "Low stock: 1 part(s)" in tech.home.desk_line.text())


def test_a_loan_made_at_the_walk_up_of_an_enrolled_kiosk_carries_the_kiosks_id(kiosk: Kiosk) -> None:
    """Like the ticket it is for: the service keeps the loan as this kiosk's, and the double-loan notice
    ("checked out first to ... at <kiosk>") names it."""
    import uuid

    from kiosk.domain.models import Kiosk as KioskRow
    from kiosk.sync import local

    k = kiosk
    loaner, _ = _make_loaners(k)
    with k.db.unit() as ctx:
        desk_settings.set_value(ctx, "loaner.self_service", True)
        now = ctx.clock.now()
        kiosk_id = uuid.uuid4()
        ctx.session.add(KioskRow(id=kiosk_id, campus_id=k.flow.campus_id, name="front desk", enrolled_at=now,
                                 created_at=now, updated_at=now))
    local.enroll_node(k.db, kiosk_id, k.flow.campus_id)
    _report(k, k.quiet_tag, "204533")
    offer = k.flow.loaner_offer
    k.qtbot.waitUntil(lambda: offer.offer_button.isVisible())
    offer.offer_button.click()
    k.wait_for(offer.screen)
    offer.screen.loaner.setText(loaner)
    offer.screen.go.click()
    k.wait_for(offer.receipt)
    with k.db.read() as ctx:
        loan = ctx.session.scalars(select(Loan)).one()
        ticket = ctx.session.get(Ticket, loan.ticket_id)
        assert ticket is not None
        assert loan.kiosk_id == kiosk_id and ticket.kiosk_id == kiosk_id
        shown = loaners.list_loans(ctx.session, ctx.clock.now())
        assert [v.kiosk for v in shown if v.loaner_tag == loaner] == ["front desk"]


def test_the_loan_receipt_prints_through_the_labels_print_path_with_both_tags(kiosk: Kiosk, tmp_path: Any) -> None:
    """On screen with its QR, and on paper: the PDF printer the label tests use stands in for the printer; in
    kiosk mode with no default printer the screen says so and the receipt stays on screen."""
    import pypdfium2

    from kiosk.ui.printing import Printing

    from .shots import save_shot

    k = kiosk
    loaner, _ = _make_loaners(k)
    with k.db.unit() as ctx:
        desk_settings.set_value(ctx, "loaner.self_service", True)
    _report(k, k.quiet_tag, "204544")
    offer = k.flow.loaner_offer
    k.qtbot.waitUntil(lambda: offer.offer_button.isVisible())
    offer.offer_button.click()
    k.wait_for(offer.screen)
    offer.screen.loaner.setText(loaner)
    offer.screen.go.click()
    k.wait_for(offer.receipt)
    assert not offer.receipt.qr.pixmap().isNull()
    kiosk_mode = Printing(kiosk_mode=True, parent=k.window)
    if kiosk_mode._printer_or_none() is None:  # this machine has no default printer: the message, nothing lost
        k.flow.tech.printing, saved = kiosk_mode, k.flow.tech.printing
        offer.receipt.print_button.click()
        assert "No printer is set up on this kiosk" in offer.receipt.error_label.text()
        assert k.window.current is offer.receipt and loaner in offer.receipt.lines.text()
        k.flow.tech.printing = saved
    target = tmp_path / "loan-receipt.pdf"
    k.flow.tech.printing.to_file = target
    offer.receipt.print_button.click()
    assert "Receipt sent to" in offer.receipt.printed.text() and not offer.receipt.error_label.isVisible()
    assert not offer.receipt.print_button.isEnabled()  # one paper receipt per loan
    save_shot(k.window, "desk-03b-loan-receipt-printed")
    pdf = pypdfium2.PdfDocument(str(target))
    text = pdf[0].get_textpage().get_text_range()
    pdf.close()
    with k.db.read() as ctx:
        number = ctx.session.scalars(select(Ticket.number).join(Loan, Loan.ticket_id == Ticket.id)).one()
    for shown in (loaner, k.quiet_tag, number, "Due back"):
        assert shown in text, (shown, text)
