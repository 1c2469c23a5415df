"""The walk-up report as one use-case: file a new ticket or add to the open one, and say what happens next.

The kiosk's details screen and any other caller (a test, a future web form) call :func:`file_report`; it holds
the rules the screen used to: a report added to an open ticket of the same problem, an unregistered tag kept in
the description, the device's room and campus, the response time and the next technician visit for the receipt.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from kiosk.domain import rotation, tickets, walkup
from kiosk.domain.db import Ctx
from kiosk.domain.errors import InvalidInput
from kiosk.domain.models import Channel
from kiosk.domain.validation import DESCRIPTION_MAX


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


@dataclass(frozen=True)
class Filed:
    number: str
    added_to_existing: bool
    response_due_at: datetime | None
    next_visit: rotation.Visit | None


def file_report(ctx: Ctx, report: WalkupReport) -> Filed:
    if report.add_to:
        tickets.add_report(ctx, report.add_to, report.reporter, report.description)
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
            priority=report.priority, channel=Channel.KIOSK, photo=report.photo, language=report.language)
        added = False
    return Filed(t.number, added, t.response_due_at, walkup.next_visit(ctx.session, t.campus_id, ctx.clock.now()))
