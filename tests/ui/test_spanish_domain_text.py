"""The sentences the domain refuses with reach a Spanish screen in Spanish.

``kiosk.domain`` raises in English; ``kiosk/ui/domain_text.py`` (generated from those raises by
``kiosk.i18n_domain``) makes each sentence a translatable pattern, and ``kiosk.ui.language.error`` (which every
screen's ``show_error`` calls) shows the translation with the values (tags, numbers, statuses) put back.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from kiosk import i18n_domain
from kiosk.domain import loaners, surveys, ticket_work, tickets
from kiosk.domain.db import Actor
from kiosk.domain.errors import DomainError
from kiosk.domain.models import StaffUser, Ticket, TicketStatus
from kiosk.ui import language
from kiosk.ui.tasks import user_message

from .conftest import Kiosk
from .shots import save_shot
from .test_repairdesk_ui import _make_loaners
from .test_spanish_technician import ENGLISH_WORDS
from .test_technician import sign_in


def test_the_generated_domain_text_is_up_to_date() -> None:
    """A new or changed ``raise InvalidInput(...)`` in kiosk/domain needs ``python -m kiosk.i18n extract`` (and its
    translation in the .ts, which ``python -m kiosk.i18n check`` demands)."""
    assert i18n_domain.OUTPUT.read_text(encoding="utf-8") == i18n_domain.render(i18n_domain.messages())


def test_every_pattern_reads_its_own_message_back() -> None:
    pairs = i18n_domain.messages()
    assert len(pairs) > 150  # the domain's refusals, not a handful
    for rx, msg in pairs:
        sample = msg.format(*(f"V{i}" for i in range(6)))
        m = re.fullmatch(rx, sample)
        assert m is not None and list(m.groups()) == [f"V{i}" for i in range(len(m.groups()))], (rx, msg)


def _a_ticket_in(k: Kiosk, actor: Actor, status: TicketStatus, *, besides: str = "") -> str:
    """A ticket brought to ``status`` along the workflow (the seeder's statuses depend on the hour it runs)."""
    chain = [TicketStatus.NEW, TicketStatus.IN_PROGRESS, TicketStatus.RESOLVED, TicketStatus.CLOSED]
    with k.db.unit(actor) as ctx:
        ticket = ctx.session.scalars(select(Ticket).where(Ticket.status.in_(chain[:chain.index(status) + 1]),
                                                          Ticket.number != besides).order_by(Ticket.number)).first()
        assert ticket is not None
        for step in chain[chain.index(ticket.status) + 1:chain.index(status) + 1]:
            tickets.change_status(ctx, ticket.number, step, resolution="Replaced the keyboard")
        return ticket.number


def _refusal(k: Kiosk, actor: Actor, action) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as info, k.db.unit(actor) as ctx:
        action(ctx)
    return user_message(info.value)  # what the job runner hands the screen


def test_refusals_read_in_spanish_on_the_repair_desk_and_elsewhere(kiosk: Kiosk) -> None:
    k = kiosk
    with k.db.unit() as ctx:
        s = ctx.session
        tech = s.scalars(select(StaffUser.id).where(StaffUser.username == "mlopez")).one()
    actor = Actor(staff_id=tech, label="test")
    loaner = _make_loaners(k, 1)[0]
    closed = _a_ticket_in(k, actor, TicketStatus.CLOSED)
    open_one = _a_ticket_in(k, actor, TicketStatus.IN_PROGRESS, besides=closed)
    k.flow.set_language("es")
    k.flow.on_wedge("https://example.org/")  # a refused scan on Home: the tag rule's reason
    k.idle_workers()
    assert k.flow.home.scan_message.text() == "El enlace no lleva ninguna etiqueta de inventario"
    sign_in(k, "mlopez")

    english = {
        "not out": _refusal(k, actor, lambda ctx: loaners.check_in(ctx, loaner_tag=loaner)),
        "closed": _refusal(k, actor, lambda ctx: ticket_work.log_repair(ctx, closed, action="Swapped the screen",
                                                                        minutes=10)),
        "minutes": _refusal(k, actor, lambda ctx: ticket_work.log_repair(ctx, open_one, action="Swapped the screen",
                                                                         minutes=-5)),
        "no one": _refusal(k, Actor(), lambda ctx: ticket_work.log_repair(ctx, open_one, action="Swapped it",
                                                                          minutes=5)),
    }
    spanish = {key: language.error(text) for key, text in english.items()}
    assert spanish["not out"] == f"{loaner} no está prestado", english
    assert spanish["closed"] == f"El ticket {closed} está cerrado: reábralo para registrar más trabajo", english
    assert spanish["minutes"].startswith("Los minutos deben ser un número entero de 0 a "), english
    assert spanish["no one"] == "Solo un técnico con sesión iniciada puede hacer eso", english
    for key, text in spanish.items():
        assert text != english[key] and not ENGLISH_WORDS.search(text), (key, text)

    # and through a screen: the repair desk's "Loaner returned" for a loaner that is not out
    k.flow.tech.home.repair_desk.emit()
    desk = k.flow.tech.desk.screen
    k.wait_for(desk)
    k.idle_workers()
    desk.loaner.setText(loaner)
    desk.back_button.click()
    k.qtbot.waitUntil(lambda: desk.error_label.isVisible(), timeout=5000)
    assert desk.error_label.text() == f"{loaner} no está prestado"
    save_shot(k.window, "es-tech-08-refusal")

    k.flow.set_language("en")  # English is still English
    assert language.error(english["not out"]) == english["not out"] == f"{loaner} is not checked out"


def test_what_the_system_writes_on_a_ticket_reads_in_spanish(kiosk: Kiosk) -> None:
    """A repair's line, the survey invitation and answer, the reopen they cause: written by the domain in English,
    shown on a Spanish ticket screen in Spanish; the technician's and the reporter's own words as they wrote them."""
    k = kiosk
    with k.db.unit() as ctx:
        tech = ctx.session.scalars(select(StaffUser.id).where(StaffUser.username == "mlopez")).one()
    actor = Actor(staff_id=tech, label="test")
    number = _a_ticket_in(k, actor, TicketStatus.IN_PROGRESS)
    with k.db.unit(actor) as ctx:
        ticket_work.log_repair(ctx, number, action="Swapped the screen", minutes=19, parts="screen")
        tickets.change_status(ctx, number, TicketStatus.RESOLVED, resolution="Swapped the screen")
        tickets.change_status(ctx, number, TicketStatus.CLOSED)
        ticket_id = tickets.get_ticket(ctx.session, number).id
    with k.db.unit() as ctx:
        survey = surveys.for_ticket(ctx.session, ticket_id)
        assert survey is not None
        surveys.submit_pending(ctx, survey.id, surveys.Answers(False, 2, 2, 2, 2, 2, "Still flickers"))
    k.flow.set_language("es")
    sign_in(k, "mlopez")
    k.flow.tech.open_ticket(number)
    screen = k.flow.tech.ticket
    k.wait_for(screen)
    k.idle_workers()
    rows = screen.events.rows
    bodies = [str(r[3]) for r in rows if r[3]]
    changes = [str(r[2]) for r in rows if r[2]]
    assert "Swapped the screen (19 min, piezas: screen)" in bodies, bodies
    assert any(b.startswith("Invitación a la encuesta") for b in bodies), bodies
    assert "Encuesta respondida: no resuelto, en general 2/5" in bodies, bodies
    assert ("Reabierto: quien reportó respondió en la encuesta de satisfacción que el problema no está resuelto. "
            "Su comentario: Still flickers") in bodies, bodies
    assert "- → respondida" in changes and "- → invitación enviada" in changes, changes
    assert "Encuesta: respondida: no resuelto, en general 2/5" in screen.clocks.text(), screen.clocks.text()
    save_shot(k.window, "es-tech-09-ticket-events")
    english = ("min, parts", "Survey", "answered", "invited", "Reopened", "the reporter")
    assert not [b for b in bodies + changes if any(word in b for word in english)], bodies + changes


def test_a_cancelled_visit_on_a_spanish_home_says_why_in_spanish(kiosk: Kiosk) -> None:
    """The rotation writes "cancelled" when the admin typed no reason: Home's week shows it in Spanish."""
    from datetime import datetime, timedelta

    from kiosk.domain import district_admin, walkup
    from kiosk.domain.models import Campus, StaffRole, VisitExceptionKind

    k = kiosk
    with k.db.unit() as ctx:
        assert k.flow.campus_id is not None
        visit = walkup.week_schedule(ctx.session, k.flow.campus_id, ctx.clock.now()).visits[0]
        admin = ctx.session.scalars(select(StaffUser.id).where(StaffUser.role == StaffRole.ADMIN)).first()
    with k.db.unit(Actor(staff_id=admin, label="test")) as ctx:
        campus = ctx.session.get(Campus, k.flow.campus_id)
        tech = ctx.session.scalars(select(StaffUser).where(StaffUser.first_name == visit.technician)).first()
        assert campus is not None and tech is not None
        district_admin.set_exception(ctx, campus, tech, visit.day, VisitExceptionKind.CANCELLED)
        tz = walkup.week_schedule(ctx.session, campus.id, ctx.clock.now()).tz
    k.db.clock.set(datetime.combine(visit.day, visit.start, tzinfo=tz) - timedelta(hours=1))  # type: ignore[attr-defined]
    k.flow.set_language("es")
    k.flow.load_home()
    k.idle_workers()
    week = k.flow.home.rotation.week_label.text()
    assert f"{visit.technician}: sin visita (cancelada)" in week, week
    assert "cancelled" not in week


def test_what_an_admin_action_did_reads_in_spanish(kiosk: Kiosk) -> None:
    """The domain's Change ("created campus EAST", "changed campus EAST: name", "mlopez: no change") on the
    admin screens' result line, through the screen's own message function; English stays as the domain wrote it."""
    from kiosk.domain import admin_actions
    from kiosk.domain.models import StaffRole

    k = kiosk
    with k.db.unit() as ctx:
        admin = ctx.session.scalars(select(StaffUser.id).where(StaffUser.role == StaffRole.ADMIN)).first()
        username = ctx.session.scalars(select(StaffUser.username).where(StaffUser.username == "mlopez")).one()
    actor = Actor(staff_id=admin, label="test")
    with k.db.unit(actor) as ctx:
        made = admin_actions.perform(ctx, "campuses", "add_campus", None, {"code": "EAST", "name": "East Campus"})
    with k.db.unit(actor) as ctx:
        edited = admin_actions.perform(ctx, "campuses", "rename", "EAST", {"name": "East High"})
    with k.db.unit(actor) as ctx:
        same = admin_actions.perform(ctx, "staff", "set_role", username, {"role": "technician"})
    message = k.flow.tech.district_admin._message
    assert [message(r) for r in (made, edited, same)] == [r.text for r in (made, edited, same)]  # English
    assert made.text.startswith("created campus EAST") and edited.text == "changed campus EAST: name", (made, edited)
    k.flow.set_language("es")
    shown = [message(r) for r in (made, edited, same)]
    assert shown[0].startswith("Alta: plantel EAST"), shown
    assert shown[1] == "Cambio: plantel EAST: nombre", shown
    assert shown[2] == f"{username}: sin cambios", (same, shown)
