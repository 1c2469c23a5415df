"""Email for work done at a kiosk: the district service sends it, because a kiosk cannot.

A ticket filed at an enrolled kiosk gets its "received" email from the service; closing it at the kiosk makes a
survey whose one-time link the service issues (the kiosk never sends a token). In-process server on SQLite.
"""

from __future__ import annotations

import re
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import select

from kiosk.domain import schema, surveys, tickets
from kiosk.domain.db import Actor, Database
from kiosk.domain.models import Device, EmailMessage, Kiosk, StaffUser, Survey, SyncOutbox, Ticket
from kiosk.protocol import hlc
from kiosk.protocol.tables import PROTOCOL_VERSION
from kiosk.sync import local
from kiosk.sync.client import Syncer


def test_a_ticket_filed_and_closed_at_a_kiosk_gets_its_emails_and_a_working_survey_link_from_the_service(
        pair: tuple[Database, Database, Syncer, TestClient]) -> None:
    server, kiosk, syncer, _ = pair
    with kiosk.unit() as ctx:
        staff = ctx.session.scalars(select(StaffUser.id).order_by(StaffUser.username)).first()
        tag = ctx.session.scalars(select(Device.asset_tag).order_by(Device.asset_tag)).first()
    assert staff is not None and tag is not None
    with kiosk.unit(Actor(kiosk_id=syncer.config.kiosk_id)) as ctx:
        number = tickets.create_ticket(ctx, category="screen", description="Cracked screen",
                                       reporter="ana@example.org", tag=tag).number
    with kiosk.unit(Actor(staff_id=staff, kiosk_id=syncer.config.kiosk_id)) as ctx:
        tickets.change_status(ctx, number, "closed", note="done", resolution="Replaced the screen")
    with kiosk.engine.connect() as conn:
        sent = [r.data["set"] for r in conn.execute(select(SyncOutbox).where(SyncOutbox.table_name == "surveys"))]
    assert sent and all("token_hash" not in s for s in sent)  # the kiosk's token stays on the kiosk

    report = syncer.sync_once()
    assert report.rejected == 0 and local.rejected_count(kiosk) == 0

    with server.unit() as ctx:
        mails = {m.kind: m for m in ctx.session.scalars(select(EmailMessage).where(
            EmailMessage.to_address == "ana@example.org"))}
        assert set(mails) == {"ticket_received", "ticket_resolved"}
        assert number in mails["ticket_received"].subject
        link = re.search(r"/survey/(\S+)", mails["ticket_resolved"].body)
        assert link is not None
        survey = surveys.by_token(ctx.session, link.group(1), ctx.clock.now())  # the emailed link opens it
        assert survey.submitted_at is None
    with server.unit() as ctx:  # pushing the same work again sends nothing twice
        before = len(list(ctx.session.scalars(select(EmailMessage))))
    syncer.sync_once()
    with server.unit() as ctx:
        assert len(list(ctx.session.scalars(select(EmailMessage)))) == before


def test_a_kiosk_that_sends_a_survey_token_is_refused(pair: tuple[Database, Database, Syncer, TestClient]) -> None:
    server, _, syncer, client = pair
    with server.unit() as ctx:
        survey = ctx.session.scalars(select(Survey)).first()
    assert survey is not None
    op = {"op_id": str(uuid.uuid4()), "table": "surveys", "row_id": str(survey.id), "kind": "update",
          "set": {"token_hash": surveys.hash_token("planted")}, "old": {}, "hlc": hlc.tick(None, "1" * 32)}
    resp = client.post("/v1/push", json={"protocol": PROTOCOL_VERSION, "schema_rev": schema.head_revision(), "ops": [op]},
                       headers={"Authorization": f"Bearer {syncer.config.token}"})
    assert resp.status_code == 422
    assert "cannot set surveys.token_hash" in resp.json()["problems"][0]["reason"]


def test_not_solved_answered_at_a_kiosk_reopens_the_ticket_everywhere_and_the_service_emails_the_technician(
        pair: tuple[Database, Database, Syncer, TestClient]) -> None:
    server, kiosk, syncer, _ = pair
    with server.unit() as ctx:  # a technician the service can email (kiosks never hold staff emails)
        tech = ctx.session.scalars(select(StaffUser).where(StaffUser.email.is_not(None))
                                   .order_by(StaffUser.username)).first()
        assert tech is not None
        tech_id, tech_email = tech.id, tech.email
    with kiosk.unit() as ctx:
        tag = ctx.session.scalars(select(Device.asset_tag).order_by(Device.asset_tag)).first()
        assert ctx.session.get(StaffUser, tech_id).email is None  # type: ignore[union-attr]
    with kiosk.unit(Actor(kiosk_id=syncer.config.kiosk_id)) as ctx:
        number = tickets.create_ticket(ctx, category="screen", description="Cracked screen",
                                       reporter="S4242", tag=tag).number
    with kiosk.unit(Actor(staff_id=tech_id, kiosk_id=syncer.config.kiosk_id)) as ctx:
        tickets.change_status(ctx, number, "closed", note="done", resolution="Replaced the screen")
    with kiosk.unit(Actor(kiosk_id=syncer.config.kiosk_id)) as ctx:  # the student answers at the kiosk
        found = surveys.pending_for(ctx.session, ctx.clock.now(), reporter="S4242")
        assert found is not None
        surveys.submit_pending(ctx, found.id, surveys.Answers(solved=False, timeliness=2, courtesy=4,
                                                              communication=3, quality=1, overall=2,
                                                              comment="Still flickers"))
    assert syncer.sync_once().rejected == 0
    with server.unit() as ctx:
        ticket = ctx.session.scalars(select(tickets.Ticket).where(tickets.Ticket.number == number)).one()
        assert ticket.status.value == "reopened"
        told = list(ctx.session.scalars(select(EmailMessage).where(EmailMessage.kind == "survey_not_solved")))
        assert [(m.to_address, number in m.subject, "Still flickers" in m.body) for m in told] == [
            (tech_email, True, True)]


def test_every_round_sets_the_kiosks_last_sync_for_the_status_page_even_with_nothing_to_push(
        pair: tuple[Database, Database, Syncer, TestClient]) -> None:
    server, _, syncer, _ = pair
    with server.unit() as ctx:
        ctx.session.get(Kiosk, syncer.config.kiosk_id).last_sync_at = None  # type: ignore[union-attr]
    report = syncer.sync_once()
    assert report.pushed == 0
    with server.unit() as ctx:
        assert ctx.session.get(Kiosk, syncer.config.kiosk_id).last_sync_at is not None  # type: ignore[union-attr]


def test_a_ticket_the_service_closes_by_itself_can_be_surveyed_at_the_kiosk(
        pair: tuple[Database, Database, Syncer, TestClient]) -> None:
    """The district service's auto-close makes the survey there; the kiosk pulls it (without its link's verifier),
    offers it on the device's card, and the answer at the kiosk reaches the service."""
    from datetime import timedelta

    from kiosk.domain import kiosk_survey, ticket_work

    server, kiosk, syncer, _ = pair
    with kiosk.unit() as ctx:
        staff = ctx.session.scalars(select(StaffUser.id).order_by(StaffUser.username)).first()
        tag = ctx.session.scalars(select(Device.asset_tag).order_by(Device.asset_tag.desc())).first()
    assert staff is not None and tag is not None
    with kiosk.unit(Actor(kiosk_id=syncer.config.kiosk_id)) as ctx:
        number = tickets.create_ticket(ctx, category="screen", description="Cracked screen",
                                       reporter="204511", tag=tag).number
    with kiosk.unit(Actor(staff_id=staff, kiosk_id=syncer.config.kiosk_id)) as ctx:
        tickets.change_status(ctx, number, "in_progress")
        tickets.change_status(ctx, number, "resolved", resolution="Replaced the screen")
    syncer.sync_once()
    with kiosk.unit() as ctx:
        assert kiosk_survey.offer_for_tag(ctx.session, ctx.clock.now(), tag) is None  # resolved, not closed

    with server.unit() as ctx:  # two weeks pass without an answer (resolved_at is when its waiting began)
        ticket = ctx.session.scalars(select(Ticket).where(Ticket.number == number)).one()
        assert ticket.resolved_at is not None
        ticket.resolved_at -= timedelta(days=14)
    with server.unit() as ctx:  # the service's scheduled job
        closed = ticket_work.auto_close(ctx)
        assert number in closed.closed, closed
        made = ctx.session.scalars(select(Survey).join(Ticket, Ticket.id == Survey.ticket_id)
                                   .where(Ticket.number == number)).one()
        assert made.token_hash is not None
        survey_id = made.id
    assert syncer.sync_once().rejected == 0

    with kiosk.unit() as ctx:
        pulled = ctx.session.get(Survey, survey_id)
        assert pulled is not None and pulled.token_hash is None  # the verifier never leaves the service
        offer = kiosk_survey.offer_for_tag(ctx.session, ctx.clock.now(), tag)
        assert offer is not None and offer.survey_id == survey_id and offer.ticket_number == number
    with kiosk.unit(Actor(kiosk_id=syncer.config.kiosk_id)) as ctx:
        assert kiosk_survey.answer(ctx, survey_id, "204511", {
            "solved": "yes", "timeliness": 5, "courtesy": 4, "communication": 5, "quality": 4, "overall": 5})
    report = syncer.sync_once()
    assert report.rejected == 0 and local.rejected_count(kiosk) == 0
    with server.unit() as ctx:
        answered = ctx.session.get(Survey, survey_id)
        assert answered is not None and answered.submitted_at is not None and answered.overall == 5
        assert answered.token_hash == made.token_hash  # the kiosk's pull and push left the service's verifier be
