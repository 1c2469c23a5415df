"""The walk-up report as one use-case: file a new ticket or add to the open one, and say what happens next.

The kiosk's details screen and any other caller (a test, a future web form) call :func:`file_report`; it holds
the rules the screen used to: a report added to an open ticket of the same problem, an unregistered tag kept in
the description, the device's room and campus, the response time and the next technician visit for the receipt.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain import desk_settings, rotation, tickets, walkup
from kiosk.domain.db import Ctx
from kiosk.domain.errors import InvalidInput
from kiosk.domain.models import Channel, Reporter, ReporterKind
from kiosk.domain.validation import DESCRIPTION_MAX, parse_reporter


class NotSchoolEmail(InvalidInput):
    """An email reporter outside the district's mail domains."""


class ReporterKindNeeded(InvalidInput):
    """A new email reporter whose domain does not say whether they are a student or staff: ask them."""


KIND_QUESTION = "are you a student or staff? Tap one beside your email"


def school_domains(session: Session) -> list[tuple[str, ReporterKind | None]]:
    """The district's school mail domains with the reporter kind each one means (None: ask).

    From the repair-desk setting ``reporter.email_domains`` (district data every kiosk pulls); when that is empty,
    the mail domains of ``KIOSK_MAIL_DOMAINS`` (no kind); when both are empty, none: any domain is taken.
    """
    rules = desk_settings.get(session, "reporter.email_domains")
    if rules:
        return [(str(r["domain"]).strip().lower().lstrip("@"),
                 ReporterKind(r["kind"]) if r.get("kind") else None) for r in rules]
    from kiosk.domain.mail import allowed_domains

    return [(d, None) for d in sorted(allowed_domains())]


def email_reporter_kind(session: Session, email: str) -> ReporterKind | None:
    """The kind a school email means (None: the person must say), or :class:`NotSchoolEmail`.

    An address matches a domain itself or any of its subdomains; the longest match wins
    (``students.rusd.example`` before ``rusd.example``)."""
    domains = school_domains(session)
    if not domains:
        return None
    host = email.rsplit("@", 1)[1].lower()
    best: tuple[str, ReporterKind | None] | None = None
    for dom, kind in domains:
        if (host == dom or host.endswith("." + dom)) and (best is None or len(dom) > len(best[0])):
            best = (dom, kind)
    if best is None:
        names = " or ".join(sorted({d for d, _ in domains})[:4])
        raise NotSchoolEmail(f"{email} is not a school email: use your address at {names}, or your school ID "
                             "number")
    return best[1]


def reporter_kind_for(session: Session, reporter: str, chosen: str | ReporterKind | None) -> ReporterKind | None:
    """The kind a walk-up reporter is stored with: a school ID is a student; an email's domain decides when the
    district's rule says so; else what the person chose. A reporter already known keeps their kind (None here).

    Raises :class:`NotSchoolEmail` for an address outside the district's domains, :class:`ReporterKindNeeded`
    for a new email reporter who has not chosen."""
    id_number, email = parse_reporter(reporter)
    if email is None:
        return ReporterKind.STUDENT
    derived = email_reporter_kind(session, email)  # checked for every email, known or not
    if derived is not None:
        return derived
    if session.scalars(select(Reporter.id).where(Reporter.email == email)).first() is not None:
        return None
    if chosen is None or chosen == "":
        raise ReporterKindNeeded(KIND_QUESTION)
    try:
        return ReporterKind(chosen)
    except ValueError:
        raise InvalidInput(f"a reporter is a student, teacher or staff, not {chosen!r}") from None


@dataclass(frozen=True)
class WalkupReport:
    """What the person chose and typed."""

    category: str  # category code
    description: str
    reporter: str  # school ID number or email
    priority: str | None = None
    tag: str | None = None  # a registered device's tag
    unknown_tag: str | None = None  # a tag that matched no device
    room_id: uuid.UUID | None = None  # a room problem
    campus_id: uuid.UUID | None = None  # the kiosk's campus
    add_to: str | None = None  # the open ticket to add this report to
    photo: str | None = None  # file name of the photo, already saved
    language: str | None = None  # the kiosk's language when it was filed ("en", "es"): later emails use it
    reporter_kind: str | None = None  # what the person tapped when asked "student or staff?" (an email only)


@dataclass(frozen=True)
class Filed:
    number: str
    added_to_existing: bool
    response_due_at: datetime | None
    next_visit: rotation.Visit | None


def file_report(ctx: Ctx, report: WalkupReport) -> Filed:
    kind = reporter_kind_for(ctx.session, report.reporter, report.reporter_kind)
    if report.add_to:
        tickets.add_report(ctx, report.add_to, report.reporter, report.description, reporter_kind=kind)
        t = tickets.get_ticket(ctx.session, report.add_to)
        added = True
    else:
        if not (report.tag or report.room_id or report.campus_id):
            raise InvalidInput("a report needs a device, a room or the kiosk's campus")
        description = report.description
        if report.unknown_tag:
            description = f"[unregistered tag {report.unknown_tag}] {description}"[:DESCRIPTION_MAX]
        t = tickets.create_ticket(
            ctx, category=report.category, description=description, reporter=report.reporter,
            tag=report.tag, room_id=None if report.tag else report.room_id, campus=report.campus_id,
            priority=report.priority, channel=Channel.KIOSK, photo=report.photo, language=report.language,
            reporter_kind=kind)
        added = False
    return Filed(t.number, added, t.response_due_at, walkup.next_visit(ctx.session, t.campus_id, ctx.clock.now()))
