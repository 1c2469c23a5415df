"""Who is reporting at the walk-up: a school email must be at the district's domains, and an email reporter is
stored as the student, teacher or staff member they are (the domain's rule, or their own answer), never "teacher"
by default (pytest-qt, offscreen)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import func, select

from kiosk.domain import desk_settings, tickets
from kiosk.domain.models import Reporter, ReporterKind, Ticket

from .conftest import Kiosk
from .shots import save_shot
from .test_walkup import _category_button, _fill_details

RULES = [{"domain": "students.demosprings.example.org", "kind": "student"},
         {"domain": "demosprings.example.org"}]


def _start_report(k: Kiosk, description: str, reporter: str, again: bool = False) -> None:
    k.flow.on_tag(k.quiet_tag)
    k.wait_for(k.flow.card)
    k.flow.card.report.emit()
    QTest.mouseClick(_category_button(k, code_not="screen") if again else _category_button(k, code="screen"),
                     Qt.MouseButton.LeftButton)
    _fill_details(k, description, reporter)


def _kind_of(k: Kiosk, email: str) -> ReporterKind | None:
    with k.db.read() as ctx:
        return ctx.session.scalars(select(Reporter.kind).where(Reporter.email == email)).one_or_none()


def _tickets(k: Kiosk) -> int:
    with k.db.read() as ctx:
        return ctx.session.scalar(select(func.count()).select_from(Ticket)) or 0


def test_an_outside_email_is_refused_with_nothing_lost_and_a_student_domain_files_as_a_student(kiosk: Kiosk) -> None:
    k = kiosk
    with k.db.unit() as ctx:
        desk_settings.set_value(ctx, "reporter.email_domains", RULES)
    before = _tickets(k)
    _start_report(k, "The hinge is loose", "kid.gamer@gmail.com")
    d = k.flow.details
    d.submit_button.click()
    k.qtbot.waitUntil(lambda: d.error_label.isVisible() and d.submit_button.isEnabled())
    assert "not a school email" in d.error_label.text() and "demosprings.example.org" in d.error_label.text()
    assert k.window.current is d
    assert d.description.toPlainText() == "The hinge is loose" and d.reporter.text() == "kid.gamer@gmail.com"
    assert _tickets(k) == before and _kind_of(k, "kid.gamer@gmail.com") is None
    d.reporter.setText("ana.ruiz@students.demosprings.example.org")  # the domain says: a student, nothing asked
    d.submit_button.click()
    k.wait_for(k.flow.receipt)
    assert not d.kind_row.isVisible()
    assert _kind_of(k, "ana.ruiz@students.demosprings.example.org") is ReporterKind.STUDENT
    assert _tickets(k) == before + 1


def test_a_new_staff_domain_email_is_asked_student_or_staff_and_stored_as_the_answer(kiosk: Kiosk) -> None:
    k = kiosk
    with k.db.unit() as ctx:
        desk_settings.set_value(ctx, "reporter.email_domains", RULES)
    _start_report(k, "The projector cable is frayed", "j.office@demosprings.example.org")
    d = k.flow.details
    d.submit_button.click()
    k.qtbot.waitUntil(lambda: d.kind_row.isVisible())
    assert "student or staff" in d.error_label.text()
    assert d.description.toPlainText() == "The projector cable is frayed"  # asked, nothing lost
    assert _kind_of(k, "j.office@demosprings.example.org") is None
    save_shot(k.window, "06b-details-student-or-staff")
    d.kind_buttons["staff"].click()  # one tap answers and sends
    k.wait_for(k.flow.receipt)
    number = k.flow.receipt.number.text()
    assert _kind_of(k, "j.office@demosprings.example.org") is ReporterKind.STAFF
    with k.db.read() as ctx:
        t = tickets.get_ticket(ctx.session, number, related=True)
        assert t.reporter is not None and t.reporter.email == "j.office@demosprings.example.org"
    # The same person again: known, so not asked again; the next person starts with the question hidden.
    k.flow.go_home()
    _start_report(k, "The battery swells too", "j.office@demosprings.example.org", again=True)
    assert not d.kind_row.isVisible()
    d.submit_button.click()
    k.wait_for(k.flow.receipt)


def test_without_domain_rules_an_email_reporter_is_asked_not_stored_as_a_teacher(kiosk: Kiosk) -> None:
    k = kiosk
    _start_report(k, "Keyboard types double letters", "helper@demosprings.example.org")
    d = k.flow.details
    d.submit_button.click()
    k.qtbot.waitUntil(lambda: d.kind_row.isVisible())
    d.kind_buttons["student"].click()
    k.wait_for(k.flow.receipt)
    assert _kind_of(k, "helper@demosprings.example.org") is ReporterKind.STUDENT
