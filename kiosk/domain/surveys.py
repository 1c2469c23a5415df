"""Satisfaction surveys: invite on close (one-time expiring link, stored hashed), answer, follow up.

* ``invite_on_close(ctx, ticket)`` creates the survey of this closing (a ticket reopened and closed again is
  surveyed again) for the assignee at closing, and queues the "resolved" email
  with the survey link when the reporter has an email address. The link's token is random, stored only as a
  SHA-256 hash, works once and expires after ``ttl`` (default 14 days, ``KIOSK_SURVEY_DAYS``).
* At the kiosk, ``pending_for(session, reporter=..., tag=...)`` finds an open invitation for the person's ID
  (or email) or for the device just scanned, and ``submit_pending`` answers it without a token.
* A "not solved" answer reopens the ticket through ``tickets.change_status`` (the status event's note says why)
  and emails the technician.
* ``followups`` lists the period's unhappy answers (not solved, or any rating at or below ``low``).
* Privacy: ``visible_to`` shows admins everything; a technician sees only their own surveys, never the
  reporter, and never a colleague's.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kiosk.domain import mail, tickets
from kiosk.domain.db import Ctx
from kiosk.domain.devices import find_by_tag
from kiosk.domain.errors import Conflict, DomainError, InvalidInput, NotFound
from kiosk.domain.models import (
    Reporter,
    StaffRole,
    StaffUser,
    Survey,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
)
from kiosk.domain.validation import clean_text, parse_reporter

RATINGS = ("timeliness", "courtesy", "communication", "quality", "overall")
DEFAULT_TTL = timedelta(days=14)
LOW_SCORE = 2


def survey_ttl() -> timedelta:
    """How long a survey link stays valid (``KIOSK_SURVEY_DAYS``, through the process's settings)."""
    from kiosk.settings import current

    return current().survey_ttl


def public_base_url() -> str:
    """Where the central service is reachable by reporters (``KIOSK_PUBLIC_URL``)."""
    from kiosk.settings import current

    return current().public_base_url


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Invitation:
    survey: Survey
    token: str
    link: str
    emailed: bool


def _event(ctx: Ctx, ticket: Ticket, body: str, *, new: str | None = None) -> None:
    now = ctx.clock.now()
    ctx.session.add(TicketEvent(ticket_id=ticket.id, at=now, kind=TicketEventKind.SURVEY, body=body,
                                public=False, actor_id=ctx.actor.staff_id, new_value=new,
                                created_at=now, updated_at=now))


def invite_on_close(ctx: Ctx, ticket: Ticket, *, ttl: timedelta | None = None,
                    base_url: str | None = None) -> Invitation | None:
    """Invite the reporter to rate a just-closed ticket. Call it right after the ticket is closed.

    One survey per closing: the survey belongs to the ticket's assignee at that closing (None for a ticket
    closed unassigned, whoever closed it: it counts under "(unassigned)" and is never ranked). A ticket reopened
    and closed again gets a fresh survey when the last one was answered (that answer stays with the closing
    it was about), or a fresh link on the same survey when it was not (the old link stops working).

    Returns None when the ticket has no reporter or this closing was already invited (calling it twice is
    harmless).
    """
    if ticket.reporter_id is None:
        return None
    s = ctx.session
    now = ctx.clock.now()
    survey = for_ticket(s, ticket.id)
    if survey is not None and ticket.closed_at is not None and survey.invited_at >= ticket.closed_at:
        return None
    if survey is None or survey.submitted_at is not None:
        survey = Survey(ticket_id=ticket.id, reporter_id=ticket.reporter_id, created_at=now)
        s.add(survey)
    survey.technician_id = ticket.assignee_id
    return _issue_link(ctx, survey, ticket, ttl=ttl, base_url=base_url)


def _issue_link(ctx: Ctx, survey: Survey, ticket: Ticket, *, ttl: timedelta | None,
                base_url: str | None, record: bool = True) -> Invitation:
    """A fresh one-time link for ``survey`` (an older link stops working), emailed when the reporter has one."""
    s = ctx.session
    now = ctx.clock.now()
    token = secrets.token_urlsafe(24)
    expires = now + (ttl if ttl is not None else survey_ttl())
    survey.token_hash = hash_token(token)
    survey.invited_at = now
    survey.expires_at = expires
    survey.updated_at = now
    link = f"{base_url or public_base_url()}/survey/{token}"
    reporter = s.get(Reporter, ticket.reporter_id) if ticket.reporter_id else None
    emailed = False
    if reporter is not None and reporter.email and mail.deliverable(reporter.email):
        from kiosk.domain.language import long_date, message

        lang = ticket.language  # the reporter's, chosen at the kiosk
        body = (message(lang, "Your ticket {number} has been resolved: {resolution}.", number=ticket.number,
                        resolution=ticket.resolution or message(lang, "see the ticket")) + "\n\n"
                + message(lang, "Was the problem solved? Please tell us in two minutes (the link works once, "
                          "until {expires}):", expires=long_date(lang, expires)) + f"\n{link}\n\n"
                + message(lang, "You can also answer at the tech-room kiosk.") + "\n")
        mail.enqueue(ctx, reporter.email, message(lang, "Ticket {number} resolved: how did we do?",
                                                  number=ticket.number), body, "ticket_resolved", ticket.id)
        emailed = True
    if record:
        _event(ctx, ticket, "Survey invitation sent" + (" by email" if emailed else " (kiosk only)"), new="invited")
    s.flush()
    return Invitation(survey, token, link, emailed)


def link_for_kiosk_invitation(ctx: Ctx, survey_id: uuid.UUID) -> Invitation | None:
    """On the central service: a survey a kiosk created (or renewed) when it closed a ticket gets its link here.

    A kiosk cannot send email and never sends a link's token (its token hash stays on the kiosk), so the
    service issues the link and queues the email (the kiosk's own event already records the invitation).
    None when the survey is answered or its ticket is gone.
    """
    survey = ctx.session.get(Survey, survey_id)
    if survey is None or survey.submitted_at is not None:
        return None
    ticket = ctx.session.get(Ticket, survey.ticket_id)
    if ticket is None:
        return None
    return _issue_link(ctx, survey, ticket, ttl=None, base_url=None, record=False)


def for_ticket(session: Session, ticket_id: uuid.UUID) -> Survey | None:
    """The ticket's latest survey (one per closing), answered or not."""
    return session.scalars(select(Survey).where(Survey.ticket_id == ticket_id)
                           .order_by(Survey.invited_at.desc(), Survey.id.desc()).limit(1)).first()


def all_for_ticket(session: Session, ticket_id: uuid.UUID) -> list[Survey]:
    """Every survey of the ticket, one per closing that was invited, oldest first."""
    return list(session.scalars(select(Survey).where(Survey.ticket_id == ticket_id)
                                .order_by(Survey.invited_at, Survey.id)))


def _check_open(survey: Survey, now: datetime) -> None:
    if survey.submitted_at is not None:
        raise Conflict("this survey has already been answered, thank you")
    if survey.expires_at is not None and now >= survey.expires_at:
        raise Conflict("this survey link has expired")


def by_token(session: Session, token: str, now: datetime) -> Survey:
    """The open survey for a link's token; NotFound for an unknown token, Conflict if used or expired."""
    if not token or len(token) > 200:
        raise NotFound("unknown survey link")
    survey = session.scalars(select(Survey).where(Survey.token_hash == hash_token(token))).one_or_none()
    if survey is None:
        raise NotFound("unknown survey link")
    _check_open(survey, now)
    return survey


@dataclass(frozen=True)
class Answers:
    solved: bool
    timeliness: int
    courtesy: int
    communication: int
    quality: int
    overall: int
    comment: str | None = None

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> Answers:
        solved = data.get("solved")
        if isinstance(solved, str):
            if solved.lower() not in ("yes", "no", "true", "false", "1", "0"):
                raise InvalidInput("was the problem solved? answer yes or no")
            solved = solved.lower() in ("yes", "true", "1")
        if not isinstance(solved, bool):
            raise InvalidInput("was the problem solved? answer yes or no")
        values: dict[str, int] = {}
        for name in RATINGS:
            try:
                value = int(data.get(name))  # type: ignore[arg-type]
            except (TypeError, ValueError):
                raise InvalidInput(f"{name}: choose a rating from 1 to 5") from None
            if not 1 <= value <= 5:
                raise InvalidInput(f"{name}: choose a rating from 1 to 5")
            values[name] = value
        comment = clean_text(str(data.get("comment") or ""), field="comment", max_len=2000) or None
        return cls(solved=solved, comment=comment, **values)


def _submit(ctx: Ctx, survey: Survey, answers: Answers) -> Survey:
    now = ctx.clock.now()
    _check_open(survey, now)
    survey.solved = answers.solved
    for name in RATINGS:
        setattr(survey, name, getattr(answers, name))
    survey.comment = answers.comment
    survey.submitted_at = now
    survey.updated_at = now
    ticket = ctx.session.get(Ticket, survey.ticket_id)
    assert ticket is not None
    _event(ctx, ticket, f"Survey answered: {'solved' if answers.solved else 'not solved'}, overall "
                        f"{answers.overall}/5", new="answered")
    if not answers.solved:
        why = _not_solved_why(survey)
        if ticket.status in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
            try:  # the answer is kept even when the ticket cannot be reopened (e.g. a number from elsewhere)
                with ctx.session.begin_nested():
                    tickets.change_status(ctx, ticket.number, TicketStatus.REOPENED, note=why[:4000])
            except DomainError:
                pass
        tell_technician_not_solved(ctx, survey, ticket)
    ctx.session.flush()
    return survey


def _not_solved_why(survey: Survey) -> str:
    why = "Reopened: the reporter answered the satisfaction survey that the problem is not solved."
    if survey.comment:
        why += f" Their comment: {survey.comment}"
    return why


def tell_technician_not_solved(ctx: Ctx, survey: Survey, ticket: Ticket) -> None:
    """Email the survey's technician that the reporter says the problem is not solved (when they have an email:
    on a kiosk they never do, so the district service sends it when the answer arrives). A ticket closed
    unassigned has no technician on its survey: whoever closed it is told instead."""
    staff_id = survey.technician_id or _closed_by(ctx.session, ticket.id)
    tech = ctx.session.get(StaffUser, staff_id) if staff_id else None
    if tech is not None and tech.email and mail.deliverable(tech.email):
        mail.enqueue(ctx, tech.email, f"Ticket {ticket.number} reopened: not solved",
                     f"{_not_solved_why(survey)}\n\nTicket {ticket.number} is back in your queue.\n",
                     "survey_not_solved", ticket.id)


def _closed_by(session: Session, ticket_id: uuid.UUID) -> uuid.UUID | None:
    """Who closed the ticket last (the actor of its latest status event to closed)."""
    return session.scalars(select(TicketEvent.actor_id).where(
        TicketEvent.ticket_id == ticket_id, TicketEvent.kind == TicketEventKind.STATUS,
        TicketEvent.new_value == TicketStatus.CLOSED.value).order_by(TicketEvent.at.desc(), TicketEvent.id.desc())
        .limit(1)).first()


def answered_at_kiosk(ctx: Ctx, survey_id: uuid.UUID) -> None:
    """On the central service: a survey answered at a kiosk arrived; tell the technician if it was not solved
    (the kiosk reopened the ticket itself, and that event came with the push)."""
    survey = ctx.session.get(Survey, survey_id)
    if survey is None or survey.submitted_at is None or survey.solved is not False:
        return
    ticket = ctx.session.get(Ticket, survey.ticket_id)
    if ticket is not None:
        tell_technician_not_solved(ctx, survey, ticket)


def submit(ctx: Ctx, token: str, answers: Answers) -> Survey:
    """Answer a survey through its emailed link (works once, until it expires)."""
    return _submit(ctx, by_token(ctx.session, token, ctx.clock.now()), answers)


def pending_for(session: Session, now: datetime, *, reporter: str | None = None,
                tag: str | None = None) -> Survey | None:
    """The oldest open invitation for a reporter's ID number or email, or for a device's asset tag.

    The kiosk calls this when someone enters their ID or scans a device, and offers the survey.
    """
    q = select(Survey).join(Ticket, Ticket.id == Survey.ticket_id).where(
        Survey.submitted_at.is_(None), or_(Survey.expires_at.is_(None), Survey.expires_at > now))
    if reporter:
        id_number, email = parse_reporter(reporter)
        rep = session.scalars(select(Reporter.id).where(
            Reporter.id_number == id_number if id_number else Reporter.email == email)).first()
        if rep is None:
            return None
        q = q.where(Survey.reporter_id == rep)
    elif tag:
        device = find_by_tag(session, tag)
        if device is None:
            return None
        q = q.where(Ticket.device_id == device.id)
    else:
        raise InvalidInput("give a reporter ID or a device tag")
    return session.scalars(q.order_by(Survey.invited_at, Survey.id).limit(1)).first()


def submit_pending(ctx: Ctx, survey_id: uuid.UUID, answers: Answers) -> Survey:
    """Answer an invitation found with ``pending_for`` at the kiosk."""
    survey = ctx.session.get(Survey, survey_id)
    if survey is None:
        raise NotFound("no such survey")
    return _submit(ctx, survey, answers)


@dataclass(frozen=True)
class Followup:
    ticket: str
    technician: str | None
    submitted_at: datetime
    solved: bool | None
    lowest: int
    overall: int | None
    comment: str | None
    reporter: str | None  # ID number or email, for the follow-up call (admins only)


def followups(session: Session, start: datetime, end: datetime, *, low: int = LOW_SCORE,
              campus_id: uuid.UUID | None = None) -> list[Followup]:
    """Answers submitted in [start, end) that need a follow-up: not solved, or any rating <= ``low``."""
    lowest_expr = [getattr(Survey, n) <= low for n in RATINGS]
    q = (select(Survey, Ticket.number, StaffUser.username, Reporter.id_number, Reporter.email)
         .join(Ticket, Ticket.id == Survey.ticket_id)
         .outerjoin(StaffUser, StaffUser.id == Survey.technician_id)
         .outerjoin(Reporter, Reporter.id == Survey.reporter_id)
         .where(Survey.submitted_at >= start, Survey.submitted_at < end,
                or_(Survey.solved.is_(False), *lowest_expr))
         .order_by(Survey.submitted_at, Ticket.number))
    if campus_id is not None:
        q = q.where(Ticket.campus_id == campus_id)
    out = []
    for survey, number, username, id_number, email in session.execute(q):
        scores = [getattr(survey, n) for n in RATINGS if getattr(survey, n) is not None]
        assert survey.submitted_at is not None
        out.append(Followup(number, username, survey.submitted_at, survey.solved, min(scores) if scores else 0,
                            survey.overall, survey.comment, id_number or email))
    return out


def visible_to(session: Session, viewer_id: uuid.UUID, survey: Survey) -> dict[str, Any] | None:
    """A survey as the viewer may see it: admins see all; technicians their own, without the reporter."""
    viewer = session.get(StaffUser, viewer_id)
    if viewer is None:
        return None
    is_admin = viewer.role is StaffRole.ADMIN
    if not is_admin and survey.technician_id != viewer.id:
        return None
    out: dict[str, Any] = {name: getattr(survey, name) for name in (*RATINGS, "solved", "comment")}
    out["submitted_at"] = survey.submitted_at
    if is_admin:
        reporter = session.get(Reporter, survey.reporter_id) if survey.reporter_id else None
        out["reporter"] = (reporter.id_number or reporter.email) if reporter else None
        out["technician_id"] = survey.technician_id
    return out
