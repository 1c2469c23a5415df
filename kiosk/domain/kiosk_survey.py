"""The satisfaction survey answered at the walk-up kiosk: whose it is, checked before any question is asked.

The kiosk offers the survey of a closed ticket when its device is scanned; only the person who reported that
ticket may answer it. Their ID number or email is checked first (:func:`check_reporter`), against *any* of their
pending surveys, not only the oldest (a teacher with two closed tickets answers the one for the device in hand).
Answering goes through :func:`kiosk.domain.surveys.submit_pending` (the reports stream's rules: reopen on
"not solved", resurvey after a reopen).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain import surveys
from kiosk.domain.db import Ctx
from kiosk.domain.errors import PermissionDenied
from kiosk.domain.models import Reporter, ServiceCategory, Survey, Ticket
from kiosk.domain.validation import parse_reporter

NOT_YOURS = ("this survey belongs to the person who reported the ticket: enter the school ID or email you "
             "gave then")


@dataclass(frozen=True)
class SurveyOffer:
    """A pending survey offered on a scanned device's card: which ticket, and its problem's name."""

    survey_id: uuid.UUID
    ticket_number: str
    category: str
    category_es: str | None = None  # the district's Spanish name for it, if it gave one


def offer_for_tag(session: Session, now: Any, tag: str) -> SurveyOffer | None:
    """The oldest pending survey of a closed ticket on this device, to offer on its card (None: nothing to offer).

    It names no reporter: whose it is is checked by :func:`check_reporter` before any question."""
    survey = surveys.pending_for(session, now, tag=tag)
    if survey is None:
        return None
    row = session.execute(select(Ticket.number, ServiceCategory.name, ServiceCategory.name_es)
                          .join(ServiceCategory, ServiceCategory.id == Ticket.category_id)
                          .where(Ticket.id == survey.ticket_id)).first()
    return SurveyOffer(survey.id, row[0], row[1], row[2]) if row else None


def _owned(session: Session, survey_id: uuid.UUID, reporter: str, now: Any) -> Survey:
    id_number, email = parse_reporter(reporter)
    rep = session.scalars(select(Reporter.id).where(
        Reporter.id_number == id_number if id_number else Reporter.email == email)).first()
    survey = session.get(Survey, survey_id)
    if rep is None or survey is None or survey.reporter_id != rep:
        raise PermissionDenied(NOT_YOURS)
    if survey.submitted_at is not None or (survey.expires_at is not None and survey.expires_at <= now):
        raise PermissionDenied("this survey has already been answered or has expired, thank you")
    return survey


def check_reporter(session: Session, now: Any, survey_id: uuid.UUID, reporter: str) -> bool:
    """True when ``reporter`` (ID or email) reported this survey's ticket and it is still open; else raises."""
    _owned(session, survey_id, reporter, now)
    return True


def answer(ctx: Ctx, survey_id: uuid.UUID, reporter: str, answers: dict[str, Any]) -> bool:
    """Submit the answers (checked again in this transaction); returns whether the problem was solved."""
    _owned(ctx.session, survey_id, reporter, ctx.clock.now())
    data = dict(answers)
    data["solved"] = "yes" if answers.get("solved") == "yes" else "no"
    surveys.submit_pending(ctx, survey_id, surveys.Answers.from_mapping(data))
    return data["solved"] == "yes"
