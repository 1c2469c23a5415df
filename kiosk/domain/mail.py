"""Outgoing email: a persistent queue in the database and an SMTP sender (standard library) with backoff.

``enqueue`` only writes a row, inside the caller's unit of work, so filing or closing a ticket never waits on a
mail server. ``send_due`` drains the queue: each message is sent and marked in its own transaction; a failure
records the error and schedules the next attempt with exponential backoff (capped, retried forever), so a
failing or unreachable server never loses a message. Delivery is at-least-once: a crash between the SMTP
server accepting a message and the commit can send it twice.
"""

from __future__ import annotations

import smtplib
import ssl
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage as MimeMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import select

from kiosk.domain.db import Ctx, Database
from kiosk.domain.errors import InvalidInput
from kiosk.domain.models import EmailMessage, Reporter, Ticket
from kiosk.domain.validation import EMAIL_RE

KINDS = ("ticket_received", "ticket_resolved", "escalation", "survey_not_solved", "survey_invite")


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send. ``security``: "starttls" (default), "ssl" (implicit TLS) or "none"."""

    host: str = "127.0.0.1"
    port: int = 587
    username: str | None = None
    password: str | None = None
    security: str = "starttls"
    from_address: str = "kiosk@localhost"
    timeout: float = 10.0
    verify_tls: bool = True
    backoff_base: timedelta = timedelta(minutes=1)
    backoff_max: timedelta = timedelta(hours=1)
    batch: int = 100

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SmtpSettings:
        """KIOSK_SMTP_HOST, _PORT, _USER, _PASSWORD, _SECURITY (starttls|ssl|none), _FROM, _VERIFY (0/1).

        Without ``env``: the process's settings (kiosk.settings.current()); with it, those variables in it.
        """
        from kiosk.settings import KioskSettings, current

        if env is None:
            k = current()
        else:
            fields = {name[len("KIOSK_"):].lower(): value for name, value in env.items()
                      if name.startswith("KIOSK_SMTP_")}
            try:
                k = KioskSettings.model_validate(fields)
            except ValueError as exc:
                raise InvalidInput(_smtp_problem(exc)) from None
        if k.smtp_security not in ("starttls", "ssl", "none"):
            raise InvalidInput("KIOSK_SMTP_SECURITY must be starttls, ssl or none")
        default_port = {"starttls": 587, "ssl": 465, "none": 25}[k.smtp_security]
        return cls(host=k.smtp_host, port=k.smtp_port or default_port, username=k.smtp_user,
                   password=k.smtp_password, security=k.smtp_security, from_address=k.smtp_from,
                   verify_tls=k.smtp_verify)


def _smtp_problem(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        name = "KIOSK_" + "_".join(str(p) for p in first["loc"]).upper()
        if name == "KIOSK_SMTP_SECURITY":
            return "KIOSK_SMTP_SECURITY must be starttls, ssl or none"
        if name == "KIOSK_SMTP_PORT":
            return "KIOSK_SMTP_PORT must be a number"
        return f"{name}: {first['msg']}"
    return str(exc)


def allowed_domains() -> frozenset[str]:
    """The district's mail domains (``KIOSK_MAIL_DOMAINS``, comma-separated); empty: any domain."""
    from kiosk.settings import current

    raw = current().mail_domains
    return frozenset(d.strip().lower().lstrip("@") for d in raw.split(",") if d.strip())


def deliverable(address: str | None) -> bool:
    """One syntactically valid address, in one of the district's domains when those are set."""
    if not address or len(address) > 254 or not EMAIL_RE.match(address):
        return False
    domains = allowed_domains()
    return not domains or address.rsplit("@", 1)[1].lower() in domains


def enqueue(ctx: Ctx, to: str, subject: str, body: str, kind: str,
            ticket_id: uuid.UUID | None = None) -> EmailMessage:
    """Queue one message; it is sent by ``send_due`` after the caller's transaction commits.

    ``to`` must be one valid address (``deliverable``); the subject is for fixed wording and ticket numbers,
    never for text someone typed or a kiosk pushed.
    """
    if not deliverable((to or "").strip()):
        raise InvalidInput(f"not a deliverable email address: {to!r}")
    now = ctx.clock.now()
    msg = EmailMessage(to_address=to.strip(), subject=" ".join(subject.split())[:200], body=body, kind=kind,
                       ticket_id=ticket_id, attempts=0, next_attempt_at=now, created_at=now, updated_at=now)
    ctx.session.add(msg)
    return msg


def backoff(settings: SmtpSettings, attempts: int) -> timedelta:
    """Delay before the next try after ``attempts`` failures: base, 2x, 4x ... capped at ``backoff_max``."""
    delay = settings.backoff_base * (2 ** max(0, min(attempts - 1, 30)))
    return min(delay, settings.backoff_max)


def _mime(settings: SmtpSettings, msg: EmailMessage) -> MimeMessage:
    mime = MimeMessage()
    mime["From"] = settings.from_address
    mime["To"] = msg.to_address
    mime["Subject"] = msg.subject
    mime["Date"] = formatdate(localtime=False)
    mime["Message-ID"] = make_msgid(idstring=str(msg.id))
    mime.set_content(msg.body)
    return mime


def connect(settings: SmtpSettings) -> smtplib.SMTP:
    """An SMTP connection, upgraded with STARTTLS and logged in as configured."""
    context = ssl.create_default_context()
    if not settings.verify_tls:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    smtp: smtplib.SMTP
    if settings.security == "ssl":
        smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        smtp.ehlo()
        if settings.security == "starttls":
            smtp.starttls(context=context)
            smtp.ehlo()
        if settings.username:
            smtp.login(settings.username, settings.password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


@dataclass
class SendResult:
    sent: int = 0
    failed: int = 0
    error: str | None = None


def send_due(db: Database, settings: SmtpSettings,
             connector: Callable[[SmtpSettings], smtplib.SMTP] = connect) -> SendResult:
    """Send every queued message that is due; returns how many were sent and how many failed this round."""
    result = SendResult()
    now = db.clock.now()
    with db.unit() as ctx:
        ids = list(ctx.session.scalars(
            select(EmailMessage.id)
            .where(EmailMessage.sent_at.is_(None), EmailMessage.next_attempt_at <= now)
            .order_by(EmailMessage.next_attempt_at, EmailMessage.id).limit(settings.batch)))
    if not ids:
        return result
    smtp: smtplib.SMTP | None = None
    try:
        smtp = connector(settings)
    except (OSError, smtplib.SMTPException) as exc:
        result.error = f"{type(exc).__name__}: {exc}"
    try:
        for mid in ids:
            with db.unit() as ctx:
                q = select(EmailMessage).where(EmailMessage.id == mid, EmailMessage.sent_at.is_(None))
                if db.dialect == "postgresql":
                    q = q.with_for_update(skip_locked=True)
                msg = ctx.session.scalars(q).one_or_none()
                if msg is None:  # sent meanwhile by another sender
                    continue
                error = result.error
                if smtp is not None:
                    try:
                        smtp.send_message(_mime(settings, msg))
                    except (OSError, smtplib.SMTPException) as exc:
                        error = f"{type(exc).__name__}: {exc}"
                        per_message = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused,
                                       smtplib.SMTPDataError)
                        if not isinstance(exc, per_message):
                            smtp = None  # the connection is gone: the rest wait for the next round
                            result.error = error
                    else:
                        error = None
                stamp = db.clock.now()
                msg.updated_at = stamp
                if error is None:
                    msg.sent_at = stamp
                    msg.last_error = None
                    result.sent += 1
                else:
                    msg.attempts += 1
                    msg.last_error = error[:500]
                    msg.next_attempt_at = stamp + backoff(settings, msg.attempts)
                    result.failed += 1
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
    return result


def ticket_received(ctx: Ctx, ticket: Ticket) -> EmailMessage | None:
    """Queue the "we received your ticket" email when the reporter gave an email address.

    Call it right after ``tickets.create_ticket`` (the kiosk shows the receipt either way).
    """
    if ticket.reporter_id is None:
        return None
    reporter = ctx.session.get(Reporter, ticket.reporter_id)
    if reporter is None or reporter.email is None or not deliverable(reporter.email):
        return None
    from kiosk.domain.language import message

    lang = ticket.language  # the reporter's, chosen at the kiosk
    from kiosk.domain.language import long_date

    at = ticket.resolution_due_at
    due = ("\n" + message(lang, "We aim to resolve it by {due} UTC.", due=f"{long_date(lang, at)}, {at:%H:%M}")
           if at else "")
    body = (message(lang, "We received your ticket {number} ({priority} priority).", number=ticket.number,
                    priority=message(lang, ticket.priority.label)) + f"{due}\n"
            + message(lang, "You can check its status at the tech-room kiosk with the ticket number.") + "\n")
    return enqueue(ctx, reporter.email, message(lang, "Ticket {number} received", number=ticket.number), body,
                   "ticket_received", ticket.id)
