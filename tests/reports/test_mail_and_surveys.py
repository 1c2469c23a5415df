"""Closing a ticket emails a survey link through a real SMTP server (aiosmtpd, in-process on 127.0.0.1);
"not solved" reopens the ticket; the link works once and expires; a failing mail server loses nothing."""

from __future__ import annotations

import email
import re
import socket
import ssl
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from kiosk.domain import mail, seed, surveys, tickets
from kiosk.domain.clock import FakeClock
from kiosk.domain.db import Actor, Database
from kiosk.domain.errors import Conflict, InvalidInput, NotFound
from kiosk.domain.models import EmailMessage, StaffUser, Survey, TicketEvent, TicketEventKind, TicketStatus
from kiosk.server.survey_page import router as survey_router

USER, PASSWORD = "kiosk", "s3cret-pass"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd hook)
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() \
        and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok)


@pytest.fixture(scope="module")
def tls_context(tmp_path_factory: pytest.TempPathFactory) -> ssl.SSLContext:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                    "-days", "1", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(str(cert), str(key))
    return ctx


@pytest.fixture
def smtp_server(tls_context: ssl.SSLContext) -> Iterator[tuple[Inbox, mail.SmtpSettings]]:
    """An SMTP server that requires STARTTLS and a login, like a district relay."""
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=tls_context,
                            require_starttls=True, authenticator=_authenticator, auth_require_tls=True)
    controller.start()
    try:
        yield inbox, mail.SmtpSettings(host="127.0.0.1", port=port, username=USER, password=PASSWORD,
                                       security="starttls", verify_tls=False, from_address="it@district.example")
    finally:
        controller.stop()


@pytest.fixture
def district(db: Database) -> Database:
    seed.seed(db, seed.SeedOptions(devices=20, tickets=0, hash_passwords=False, as_of=db.clock.now().date()))
    return db


def _tech(db: Database) -> StaffUser:
    with db.unit() as ctx:
        tech = ctx.session.scalars(select(StaffUser).where(StaffUser.role == "technician")
                                   .order_by(StaffUser.username)).first()
        assert tech is not None
        return tech


class Link:
    """The survey link as the reporter received it (read from the queued email)."""

    def __init__(self, token: str) -> None:
        self.token = token


def _closed_ticket(db: Database, reporter: str = "teacher9@district.example") -> tuple[str, Link]:
    tech = _tech(db)
    clock = db.clock
    assert isinstance(clock, FakeClock)
    with db.unit(Actor(staff_id=tech.id)) as ctx:
        campus = ctx.session.scalars(select(StaffUser.lead_of_campus_id).where(StaffUser.id == tech.id)).one()
        t = tickets.create_ticket(ctx, category="software", description="Testing app will not open",
                                  reporter=reporter, campus=campus)
        tickets.assign(ctx, t.number, tech.id)
        number = t.number
    clock.advance(hours=1)
    with db.unit(Actor(staff_id=tech.id)) as ctx:
        tickets.change_status(ctx, number, "resolved", resolution="Reinstalled the app")
        tickets.change_status(ctx, number, "closed")
        # a no-op once tickets.change_status invites by itself
        surveys.invite_on_close(ctx, tickets.get_ticket(ctx.session, number), base_url="http://kiosk.test")
        queued = ctx.session.scalars(select(EmailMessage.body).where(EmailMessage.kind == "ticket_resolved")
                                     .order_by(EmailMessage.created_at.desc())).first()
    match = re.search(r"/survey/(\S+)", queued or "")
    return number, Link(match.group(1) if match else "")


def _app(db: Database) -> TestClient:
    app = FastAPI()
    app.state.db = db
    app.include_router(survey_router)
    return TestClient(app)


def test_closing_a_ticket_emails_a_survey_link_and_not_solved_reopens_it(
        district: Database, smtp_server: tuple[Inbox, mail.SmtpSettings]) -> None:
    inbox, settings = smtp_server
    number, inv = _closed_ticket(district)
    result = mail.send_due(district, settings)
    assert (result.sent, result.failed) == (2, 0)  # "we received your ticket", then the survey invitation
    assert len(inbox.messages) == 2
    assert "received" in inbox.messages[0]["Subject"]
    msg = inbox.messages[1]
    assert msg["To"] == "teacher9@district.example" and number in msg["Subject"]
    body = msg.get_payload(decode=True).decode()  # type: ignore[union-attr]
    link = re.search(r"http://\S+/survey/(\S+)", body)
    assert link is not None and link.group(1) == inv.token
    with district.unit() as ctx:  # the token is stored only as a hash
        survey = ctx.session.scalars(select(Survey)).one()
        assert survey.token_hash != inv.token and survey.token_hash == surveys.hash_token(inv.token)

    client = _app(district)
    form = client.get(f"/survey/{inv.token}")
    assert form.status_code == 200 and number in form.text and "Testing app" not in form.text
    answer = {"solved": "no", "timeliness": "2", "courtesy": "4", "communication": "2", "quality": "1",
              "overall": "2", "comment": "Still crashes when I open it"}
    posted = client.post(f"/survey/{inv.token}", data=answer)
    assert posted.status_code == 200 and "reopened" in posted.text
    with district.unit() as ctx:
        view = tickets.view(ctx.session, number)
        assert view.ticket.status is TicketStatus.REOPENED
        reopen = [e for e in view.events if e.kind is TicketEventKind.STATUS and e.new_value == "reopened"][-1]
        assert reopen.body is not None and "not solved" in reopen.body and "Still crashes" in reopen.body
        survey = ctx.session.scalars(select(Survey)).one()
        assert (survey.solved, survey.overall, survey.quality) == (False, 2, 1)
    # the technician hears about it by email
    assert mail.send_due(district, settings).sent == 1
    tech = _tech(district)
    assert inbox.messages[-1]["To"] == tech.email and "reopened" in inbox.messages[-1]["Subject"]
    # the link works once
    again = client.post(f"/survey/{inv.token}", data=answer)
    assert again.status_code == 410 and "already been answered" in again.text
    assert client.get("/survey/not-a-real-token").status_code == 404
    # and the unhappy answer is on the follow-up list
    now = district.clock.now()
    with district.unit() as ctx:
        items = surveys.followups(ctx.session, now - timedelta(days=7), now + timedelta(minutes=1))
    assert [(f.ticket, f.solved, f.lowest, f.reporter) for f in items] == [
        (number, False, 1, "teacher9@district.example")]


def test_a_survey_link_expires(district: Database) -> None:
    number, inv = _closed_ticket(district)
    clock = district.clock
    assert isinstance(clock, FakeClock)
    clock.advance(days=surveys.DEFAULT_TTL.days, seconds=1)
    client = _app(district)
    page = client.get(f"/survey/{inv.token}")
    assert page.status_code == 410 and "expired" in page.text
    with district.unit() as ctx, pytest.raises(Conflict):
        surveys.submit(ctx, inv.token, surveys.Answers(True, 5, 5, 5, 5, 5))


def test_a_bad_answer_shows_the_form_again(district: Database) -> None:
    _number, inv = _closed_ticket(district)
    client = _app(district)
    page = client.post(f"/survey/{inv.token}", data={"solved": "yes", "overall": "9"})
    assert page.status_code == 422 and "rating from 1 to 5" in page.text
    with pytest.raises(InvalidInput):
        surveys.Answers.from_mapping({"solved": "maybe"})


def test_the_kiosk_finds_a_pending_survey_by_id_or_device(district: Database) -> None:
    number, _inv = _closed_ticket(district, reporter="204511")
    now = district.clock.now()
    with district.unit() as ctx:
        pending = surveys.pending_for(ctx.session, now, reporter="204511")
        assert pending is not None
        assert surveys.pending_for(ctx.session, now, reporter="999999") is None
        surveys.submit_pending(ctx, pending.id, surveys.Answers(True, 5, 4, 5, 5, 5, "Thanks!"))
    with district.unit() as ctx:
        assert surveys.pending_for(ctx.session, now, reporter="204511") is None
        assert tickets.get_ticket(ctx.session, number).status is TicketStatus.CLOSED
        # an ID-number reporter gets no email; the invitation waits at the kiosk
        assert ctx.session.scalars(select(EmailMessage).where(EmailMessage.kind == "ticket_resolved")).all() == []
        with pytest.raises(NotFound):
            surveys.submit_pending(ctx, __import__("uuid").uuid4(), surveys.Answers(True, 5, 5, 5, 5, 5))


def test_surveys_are_anonymous_to_other_technicians_and_visible_to_admins(district: Database) -> None:
    _closed_ticket(district)
    with district.unit() as ctx:
        s = ctx.session
        survey = s.scalars(select(Survey)).one()
        owner = s.get(StaffUser, survey.technician_id)
        other = s.scalars(select(StaffUser).where(StaffUser.role == "technician", StaffUser.id != owner.id)).first()
        admin = s.scalars(select(StaffUser).where(StaffUser.role == "admin")).one()
        assert other is not None and owner is not None
        assert surveys.visible_to(s, other.id, survey) is None
        own = surveys.visible_to(s, owner.id, survey)
        assert own is not None and "reporter" not in own
        full = surveys.visible_to(s, admin.id, survey)
        assert full is not None and full["reporter"] == "teacher9@district.example"


def test_a_failing_mail_server_keeps_the_message_and_retries_with_backoff(
        district: Database, smtp_server: tuple[Inbox, mail.SmtpSettings]) -> None:
    inbox, good = smtp_server
    _closed_ticket(district)  # queues "ticket received" and the survey invitation
    down = mail.SmtpSettings(host="127.0.0.1", port=_free_port(), timeout=2)
    clock = district.clock
    assert isinstance(clock, FakeClock)
    first = mail.send_due(district, down)
    assert (first.sent, first.failed) == (0, 2) and first.error
    with district.unit() as ctx:
        msgs = ctx.session.scalars(select(EmailMessage)).all()
        assert len(msgs) == 2
        for msg in msgs:
            assert msg.sent_at is None and msg.attempts == 1 and msg.last_error
            assert msg.next_attempt_at == clock.now() + timedelta(minutes=1)
    # not due yet: nothing is tried, even with a working server
    assert mail.send_due(district, good).sent == 0
    clock.advance(minutes=1)
    assert mail.send_due(district, down).failed == 2
    with district.unit() as ctx:
        for msg in ctx.session.scalars(select(EmailMessage)):
            assert msg.attempts == 2 and msg.next_attempt_at == clock.now() + timedelta(minutes=2)
    clock.advance(minutes=2)
    assert mail.send_due(district, good).sent == 2
    assert len(inbox.messages) == 2
    with district.unit() as ctx:
        assert {m.sent_at for m in ctx.session.scalars(select(EmailMessage))} == {clock.now()}


def test_wrong_credentials_fail_without_losing_mail(
        district: Database, smtp_server: tuple[Inbox, mail.SmtpSettings]) -> None:
    inbox, good = smtp_server
    _closed_ticket(district)
    bad = mail.SmtpSettings(host=good.host, port=good.port, username=USER, password="wrong", verify_tls=False,
                            timeout=2)
    result = mail.send_due(district, bad)
    assert result.failed == 2 and result.error
    assert inbox.messages == []
    with district.unit() as ctx:
        assert [m.sent_at for m in ctx.session.scalars(select(EmailMessage))] == [None, None]


def test_backoff_doubles_and_is_capped() -> None:
    s = mail.SmtpSettings(backoff_base=timedelta(minutes=1), backoff_max=timedelta(hours=1))
    assert [mail.backoff(s, n) for n in (1, 2, 3, 7, 8, 50)] == [
        timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4), timedelta(minutes=60),
        timedelta(hours=1), timedelta(hours=1)]


def test_settings_come_from_the_environment() -> None:
    s = mail.SmtpSettings.from_env({"KIOSK_SMTP_HOST": "smtp.district.example", "KIOSK_SMTP_SECURITY": "ssl",
                                    "KIOSK_SMTP_USER": "u", "KIOSK_SMTP_PASSWORD": "p"})
    assert (s.host, s.port, s.security, s.username) == ("smtp.district.example", 465, "ssl", "u")
    with pytest.raises(InvalidInput):
        mail.SmtpSettings.from_env({"KIOSK_SMTP_SECURITY": "tls9"})
    with pytest.raises(InvalidInput):
        mail.enqueue(None, "not-an-address", "s", "b", "x")  # type: ignore[arg-type]


def test_events_record_the_survey(district: Database) -> None:
    number, _ = _closed_ticket(district)
    with district.unit() as ctx:
        view = tickets.view(ctx.session, number)
        assert [e.new_value for e in view.events if e.kind is TicketEventKind.SURVEY] == ["invited"]
        assert ctx.session.scalars(select(TicketEvent)).first() is not None



def test_a_new_ticket_from_an_email_reporter_queues_a_receipt(district: Database) -> None:
    tech = _tech(district)
    with district.unit() as ctx:
        campus = ctx.session.scalars(select(StaffUser.lead_of_campus_id).where(StaffUser.id == tech.id)).one()
        by_email = tickets.create_ticket(ctx, category="software", description="Clever keeps loading",
                                         reporter="Teacher7@District.example", campus=campus)
        by_id = tickets.create_ticket(ctx, category="software", description="Clever keeps loading",
                                      reporter="204777", campus=campus)
        queued = mail.ticket_received(ctx, by_email)
        assert mail.ticket_received(ctx, by_id) is None
        assert queued is not None and queued.to_address == "teacher7@district.example"
        assert by_email.number in queued.subject and queued.kind == "ticket_received"
