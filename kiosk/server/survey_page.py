"""The survey page a reporter reaches from the "resolved" email: GET shows the form, POST records the answer.

The link's token works once and expires (see :mod:`kiosk.domain.surveys`). The page shows the ticket number and
category only, no other ticket details. The form is plain HTML posted as ``application/x-www-form-urlencoded``
(parsed here with the standard library, no multipart dependency).
"""

from __future__ import annotations

import html
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from kiosk.domain import surveys
from kiosk.domain.db import Actor, Database
from kiosk.domain.errors import Conflict, DomainError, InvalidInput, NotFound
from kiosk.domain.language import message
from kiosk.domain.models import ServiceCategory, Ticket

router = APIRouter()

QUESTIONS = [("timeliness", "How quickly was your request handled?"),
             ("courtesy", "How courteous was the technician?"),
             ("communication", "How well were you kept informed?"),
             ("quality", "How good is the fix?"),
             ("overall", "Overall, how satisfied are you?")]
MAX_FORM_BYTES = 16_384


def _page(title: str, body: str, status: int = 200, lang: str = "en") -> HTMLResponse:
    doc = (f'<!doctype html><html lang="{html.escape(lang)}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
           '<meta name="viewport" content="width=device-width"><style>body{font-family:system-ui,sans-serif;'
           "max-width:40em;margin:2em auto;padding:0 1em}fieldset{margin:1em 0}label{margin-right:1em}</style>"
           f"</head><body><h1>{html.escape(title)}</h1>{body}</body></html>\n")
    return HTMLResponse(doc, status_code=status)


def _form(token: str, number: str, category: str, error: str | None = None, lang: str = "en") -> str:
    def t(text: str, **values: str) -> str:
        return html.escape(message(lang, text, **values))

    parts = [f"<p>{t('Ticket {number} ({category}) was resolved.', number=number, category=category)} "
             f"{t('Thank you for taking two minutes to tell us how it went.')}</p>"]
    if error:
        parts.append(f'<p role="alert" style="color:#a00">{html.escape(error)}</p>')
    parts.append(f'<form method="post" action="/survey/{html.escape(token)}">')
    parts.append(f'<fieldset><legend>{t("Was the problem solved?")}</legend>'
                 f'<label><input type="radio" name="solved" value="yes" required> {t("Yes")}</label>'
                 f'<label><input type="radio" name="solved" value="no"> {t("No")}</label></fieldset>')
    for name, question in QUESTIONS:
        radios = "".join(f'<label><input type="radio" name="{name}" value="{i}" required> {i}</label>'
                         for i in range(1, 6))
        parts.append(f"<fieldset><legend>{t(question)} {t('(1 = poor, 5 = excellent)')}</legend>{radios}"
                     "</fieldset>")
    parts.append(f'<p><label for="comment">{t("Anything else?")}</label><br>'
                 '<textarea id="comment" name="comment" rows="4" cols="50" maxlength="2000"></textarea></p>'
                 f'<button type="submit">{t("Send")}</button></form>')
    return "".join(parts)


def _language(db: Database, token: str) -> str:
    """The reporter's language for this link (the ticket keeps it), English when the link is not open."""
    with db.unit() as ctx:
        try:
            survey = surveys.by_token(ctx.session, token, ctx.clock.now())
        except (NotFound, Conflict):
            return "en"
        ticket = ctx.session.get(Ticket, survey.ticket_id)
        return (ticket.language or "en") if ticket is not None else "en"


def _db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def _closed_page(exc: DomainError) -> HTMLResponse:
    status = 404 if isinstance(exc, NotFound) else 410
    return _page("Survey", f"<p>{html.escape(str(exc))}</p>", status)


@router.get("/survey/{token}", response_class=HTMLResponse)
def survey_form(token: str, request: Request) -> HTMLResponse:
    return _form_page(_db(request), token)


def _form_page(db: Database, token: str, error: str | None = None) -> HTMLResponse:
    """The survey form for an open link (again with ``error`` after a bad answer), or why it is closed."""
    with db.unit() as ctx:
        try:
            survey = surveys.by_token(ctx.session, token, ctx.clock.now())
        except (NotFound, Conflict) as exc:
            return _closed_page(exc)
        ticket = ctx.session.get(Ticket, survey.ticket_id)
        assert ticket is not None
        category = ctx.session.get(ServiceCategory, ticket.category_id)
        lang = ticket.language or "en"
        body = _form(token, ticket.number, category.name if category else "", error, lang)
        return _page(message(lang, "How did we do?"), body, 422 if error else 200, lang)


@router.post("/survey/{token}", response_class=HTMLResponse)
async def survey_submit(token: str, request: Request) -> HTMLResponse:
    raw = await request.body()
    if len(raw) > MAX_FORM_BYTES:
        return _page("Survey", "<p>That answer is too long.</p>", 413)
    # Form fields as text PostgreSQL can hold: undecodable bytes become U+FFFD, NULs go.
    fields = {k.replace("\x00", ""): v[0].replace("\x00", "")
              for k, v in parse_qs(raw.decode("utf-8", errors="replace"), errors="replace").items()}
    # The database work runs on a worker thread, like the sync endpoints', never on the event loop.
    return await run_in_threadpool(_answer, _db(request), token, fields)


def _answer(db: Database, token: str, fields: dict[str, str]) -> HTMLResponse:
    lang = _language(db, token)
    try:
        answers = surveys.Answers.from_mapping(dict(fields))
    except InvalidInput as exc:
        return _form_page(db, token, str(exc))
    try:
        with db.unit(Actor(label="survey page")) as ctx:
            surveys.submit(ctx, token, answers)
    except (NotFound, Conflict) as exc:
        return _closed_page(exc)
    thanks = message(lang, "Thank you")
    if answers.solved:
        return _page(thanks, f"<p>{html.escape(message(lang, 'Thank you, your answer has been recorded.'))}</p>",
                     lang=lang)
    return _page(thanks, "<p>" + html.escape(message(
        lang, "Thank you. We are sorry the problem is not solved: your ticket has been reopened and your "
        "technician has been told.")) + "</p>", lang=lang)
