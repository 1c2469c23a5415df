"""A reporter checks a resolved ticket from the receipt and says it is not solved (pytest-qt, offscreen): their ID
is checked before anything else is asked, then the ticket reopens (so it never closes by itself)."""

from __future__ import annotations

from sqlalchemy import select

from kiosk.domain import tickets
from kiosk.domain.db import Actor
from kiosk.domain.models import StaffUser, TicketEventKind, TicketStatus

from .conftest import Kiosk
from .shots import save_shot


def _resolved_ticket(k: Kiosk, reporter: str) -> str:
    with k.db.unit() as ctx:
        tech = ctx.session.scalars(select(StaffUser.id).where(StaffUser.username == "mlopez")).one()
        number = tickets.create_ticket(ctx, category="power", description="Does not charge", reporter=reporter,
                                       tag=k.quiet_tag).number
    with k.db.unit(Actor(staff_id=tech)) as ctx:
        tickets.change_status(ctx, number, "resolved", resolution="Replaced the charger")
    return number


def test_the_reporter_says_not_solved_from_the_receipt_and_the_ticket_reopens(kiosk: Kiosk) -> None:
    k = kiosk
    number = _resolved_ticket(k, "204777")
    c = k.flow.check
    k.flow.home.check_button.click()
    k.wait_for(c)
    c.field.setText(number)
    c.go.click()
    k.qtbot.waitUntil(lambda: number in c.result.text())
    assert c.not_solved_button.isVisible()
    c.not_solved_button.click()
    assert c.reporter.isVisible() and not c.comment.isVisible() and not c.reopen_button.isVisible()
    c.reporter.setText("205000")  # someone else: refused before anything else is asked
    c.reporter_next.click()
    k.qtbot.waitUntil(lambda: c.error_label.isVisible() and c.reporter_next.isEnabled())
    assert "only the person who reported" in c.error_label.text().lower()
    assert not c.comment.isVisible() and not c.reopen_button.isVisible()
    with k.db.read() as ctx:
        assert tickets.get_ticket(ctx.session, number).status is TicketStatus.RESOLVED
    c.reporter.setText("204777")
    c.reporter_next.click()
    k.qtbot.waitUntil(lambda: c.reopen_button.isVisible())
    c.comment.setText("It still does not charge at school")
    save_shot(k.window, "08b-check-ticket-not-solved")
    c.reopen_button.click()
    k.qtbot.waitUntil(lambda: "open again" in c.detail.text())
    assert not c.not_solved_button.isVisible()  # reopened: nothing more to say here
    with k.db.read() as ctx:
        t = tickets.get_ticket(ctx.session, number)
        assert t.status is TicketStatus.REOPENED and t.resolved_at is None
        notes = [e.body for e in tickets.view(ctx.session, number).events if e.kind is TicketEventKind.STATUS]
    assert any(n and "not solved" in n and "still does not charge" in n for n in notes)


def test_not_solved_is_offered_only_on_a_resolved_ticket_and_start_over_forgets_the_id(kiosk: Kiosk) -> None:
    k = kiosk
    number = _resolved_ticket(k, "204778")
    with k.db.unit() as ctx:
        other = tickets.create_ticket(ctx, category="power", description="Does not turn on", reporter="204778",
                                      tag=k.tag_with_open_ticket).number
    c = k.flow.check
    k.flow.show(c)
    k.flow.on_check(other)
    k.qtbot.waitUntil(lambda: other in c.result.text())
    assert not c.not_solved_button.isVisible()
    k.flow.on_check(number)
    k.qtbot.waitUntil(lambda: number in c.result.text() and c.not_solved_button.isVisible())
    c.not_solved_button.click()
    c.reporter.setText("204778")
    c.reporter_next.click()
    k.qtbot.waitUntil(lambda: c.reopen_button.isVisible())
    k.flow.go_home()  # Start over or the idle reset: the next person sees none of it
    assert c.reporter.text() == "" and c.not_solved_box.isHidden() and c.reporter.isEnabled()
