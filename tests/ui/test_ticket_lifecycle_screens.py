"""Technician stories on screen: a ticket to closed-with-survey, SLA clocks that pause, notes that say who."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from kiosk.domain import tickets
from kiosk.domain.models import Survey, TicketStatus
from kiosk.ui.tech.queue_model import TicketQueueModel

from .conftest import Kiosk
from .test_technician import sign_in


def _open_ticket(k: Kiosk, number: str) -> None:
    k.flow.tech.open_ticket(number)
    k.wait_for(k.flow.tech.ticket)
    k.qtbot.waitUntil(lambda: k.flow.tech.ticket.number == number)


def _act(k: Kiosk, fn: object) -> None:
    fn()  # type: ignore[operator]
    k.idle_workers()
    t = k.flow.tech.ticket
    assert not t.error_label.isVisible(), t.error_label.text()


def _queue(k: Kiosk, view: str) -> TicketQueueModel:
    q = k.flow.tech.queue
    k.flow.tech.home.open_queue.emit()
    k.wait_for(q)
    k.idle_workers()
    if q.current_view() != view:
        q.view_choice.setCurrentIndex(q.view_choice.findData(view))
        k.idle_workers()
    return q.model


def test_a_resolved_ticket_waits_in_the_queue_then_closes_itself_with_a_survey(kiosk: Kiosk) -> None:
    k = kiosk
    sign_in(k, "mlopez")
    number = k.tag_with_open_ticket and _number_for(k)
    _open_ticket(k, number)
    t = k.flow.tech.ticket
    t.status_note.setText("Replaced the keyboard")
    _act(k, lambda: t.set_status.emit("resolved", t.status_note.text()))
    assert "closes by itself after" in t.clocks.text()
    model = _queue(k, "open")
    assert number not in [r.number for r in model.rows]
    model = _queue(k, "waiting")  # resolved tickets are reachable: "waiting to close"
    row = next(r for r in model.rows if r.number == number)
    shown = model.data(model.index(model.rows.index(row), TicketQueueModel.SLA))
    assert shown.startswith("closes after")
    k.flow.tech.queue.search.setText(number)
    assert k.flow.tech.queue.proxy.rowCount() == 1
    k.db.clock.advance(timedelta(days=10))  # type: ignore[attr-defined]
    _queue(k, "open")  # opening the queue applies the district's rules: the waiting days are over
    with k.db.unit() as ctx:
        ticket = tickets.get_ticket(ctx.session, number)
        assert ticket.status is TicketStatus.CLOSED
        assert ctx.session.scalars(select(Survey).where(Survey.ticket_id == ticket.id)).one_or_none() is not None
    _open_ticket(k, number)
    assert "Survey: invited" in t.clocks.text() and "closed" in t.header.text()
    authors = {row[4] for row in t.events.rows}
    assert "system" in authors and any("Lopez" in a for a in authors)


def _number_for(k: Kiosk) -> str:
    from kiosk.domain.models import Device, Ticket

    with k.db.unit() as ctx:
        return ctx.session.scalars(select(Ticket.number).join(Device, Device.id == Ticket.device_id).where(
            Device.asset_tag == k.tag_with_open_ticket, Ticket.status.in_(["new", "assigned", "in_progress"]))
        ).first()  # type: ignore[return-value]


def test_a_ticket_on_hold_shows_a_paused_clock_that_does_not_run_down(kiosk: Kiosk) -> None:
    k = kiosk
    sign_in(k, "mlopez")
    number = _number_for(k)
    _open_ticket(k, number)
    t = k.flow.tech.ticket
    _act(k, lambda: t.set_status.emit("on_hold", "Waiting for the teacher to bring the charger"))
    assert "paused while on hold" in t.clocks.text()
    model = _queue(k, "open")
    i = next(i for i, r in enumerate(model.rows) if r.number == number)
    before = model.data(model.index(i, TicketQueueModel.SLA))
    assert before.startswith("paused")
    k.db.clock.advance(timedelta(days=3))  # type: ignore[attr-defined]
    k.flow.tech.queue.tick()
    assert model.data(model.index(i, TicketQueueModel.SLA)) == before  # the screen's clock moved; SLA did not
    model = _queue(k, "open")
    i = next(i for i, r in enumerate(model.rows) if r.number == number)
    assert model.data(model.index(i, TicketQueueModel.SLA)) == before  # nor after a reload three days later
    assert not before.startswith("paused · -")


def test_the_first_response_deadline_shows_until_it_is_met(kiosk: Kiosk) -> None:
    k = kiosk
    with k.db.unit() as ctx:
        number = tickets.create_ticket(ctx, category=k.open_category_code, description="Projector flickers",
                                       reporter="204511", tag=k.quiet_tag).number
    sign_in(k, "mlopez")
    model = _queue(k, "open")
    i = next(i for i, r in enumerate(model.rows) if r.number == number)
    assert model.data(model.index(i, TicketQueueModel.RESPOND)) not in ("", "met")
    assert model.data(model.index(i, TicketQueueModel.DESCRIPTION)) == "Projector flickers"
    _open_ticket(k, number)
    t = k.flow.tech.ticket
    assert "First response by" in t.clocks.text()
    t.note_text.setText("On my way")
    t.note_public.setChecked(True)
    _act(k, t._note)
    assert "First response" not in t.clocks.text()
    assert not t.note_public.isChecked()  # the next note is internal unless ticked again
    by, visible = t.events.rows[-1][4], t.events.rows[-1][5]
    assert "Lopez" in by and visible == "everyone"
    model = _queue(k, "open")
    i = next(i for i, r in enumerate(model.rows) if r.number == number)
    assert model.data(model.index(i, TicketQueueModel.RESPOND)) == "met"


def test_mine_and_assigning_to_another_technician(kiosk: Kiosk) -> None:
    k = kiosk
    sign_in(k, "mlopez")
    number = _number_for(k)
    _open_ticket(k, number)
    t = k.flow.tech.ticket
    _act(k, lambda: t.assign_me.emit())
    model = _queue(k, "mine")
    assert number in [r.number for r in model.rows]
    assert all(r.assignee == model.rows[0].assignee for r in model.rows)
    _open_ticket(k, number)
    assert "Lopez" in t.assignee.currentText()  # the choice shows who has it now
    other = next(i for i in range(t.assignee.count()) if t.assignee.itemData(i)
                 and "Lopez" not in t.assignee.itemText(i))
    name = t.assignee.itemText(other)
    t.assignee.setCurrentIndex(other)
    _act(k, t._assign)
    assert f"assigned to {name}" in t.info.text()
    model = _queue(k, "mine")
    assert number not in [r.number for r in model.rows]
