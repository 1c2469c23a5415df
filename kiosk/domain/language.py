"""The languages the kiosk speaks, the district's default, and the text of the emails sent to reporters.

Screens are translated by Qt (``resources/translations/*.ts``, see ``kiosk.i18n``); email bodies are built here,
without Qt, from a small catalogue keyed by the English text (``message(lang, english, **values)``), so the
domain and the central service send each reporter mail in the language they used at the kiosk.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain.errors import InvalidInput

LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT = "en"

# English text -> Spanish. Placeholders are str.format names and stay as they are.
SPANISH: dict[str, str] = {
    "Ticket {number} received": "Recibimos el ticket {number}",
    "We received your ticket {number} ({priority} priority).": "Recibimos su ticket {number} (prioridad {priority}).",
    "We aim to resolve it by {due} UTC.": "Queremos resolverlo antes del {due} UTC.",
    "You can check its status at the tech-room kiosk with the ticket number.":
        "Puede ver cómo va en el quiosco del aula de tecnología con el número del ticket.",
    "Ticket {number} resolved: how did we do?": "Ticket {number} resuelto: ¿qué tal lo hicimos?",
    "Your ticket {number} has been resolved: {resolution}.": "Su ticket {number} está resuelto: {resolution}.",
    "see the ticket": "vea el ticket",
    "Was the problem solved? Please tell us in two minutes (the link works once, until {expires}):":
        "¿Se resolvió el problema? Cuéntenos en dos minutos (el enlace sirve una vez, hasta el {expires}):",
    "You can also answer at the tech-room kiosk.": "También puede responder en el quiosco del aula de tecnología.",
    "Low": "baja", "Normal": "normal", "High": "alta", "Critical": "crítica",
    # the survey page
    "How did we do?": "¿Qué tal lo hicimos?",
    "Ticket {number} ({category}) was resolved.": "El ticket {number} ({category}) está resuelto.",
    "Thank you for taking two minutes to tell us how it went.": "Gracias por dedicar dos minutos a contarnos cómo fue.",
    "Was the problem solved?": "¿Se resolvió el problema?",
    "Yes": "Sí", "No": "No",
    "How quickly was your request handled?": "¿Con qué rapidez se atendió su solicitud?",
    "How courteous was the technician?": "¿Qué tan amable fue el técnico?",
    "How well were you kept informed?": "¿Qué tan bien lo mantuvimos informado?",
    "How good is the fix?": "¿Qué tan buena es la reparación?",
    "Overall, how satisfied are you?": "En general, ¿qué tan satisfecho está?",
    "(1 = poor, 5 = excellent)": "(1 = malo, 5 = excelente)",
    "Anything else?": "¿Algo más?",
    "Send": "Enviar",
    "Thank you": "Gracias",
    "Thank you, your answer has been recorded.": "Gracias, guardamos su respuesta.",
    "Thank you. We are sorry the problem is not solved: your ticket has been reopened and your technician has "
    "been told.": "Gracias. Lamentamos que el problema no esté resuelto: reabrimos su ticket y avisamos a su "
                  "técnico.",
}
CATALOGUES = {"es": SPANISH}

_DAYS = {"en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
         "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")}
_MONTHS = {"en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                  "November", "December"),
           "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
                  "noviembre", "diciembre")}


def long_date(lang: str | None, value: date, *, weekday: bool = True) -> str:
    """A date as a reporter reads it in an email: "Wednesday 2 December" / "miércoles 2 de diciembre"."""
    code = lang if lang in _DAYS else DEFAULT
    month = _MONTHS[code][value.month - 1]
    day_month = f"{value.day} de {month}" if code == "es" else f"{value.day} {month}"
    return f"{_DAYS[code][value.weekday()]} {day_month}" if weekday else day_month


def check_language(lang: str) -> str:
    code = (lang or "").strip().lower()[:2]
    if code not in LANGUAGES:
        raise InvalidInput(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return code


def district_language(session: Session) -> str:
    """The district's default language (the first district's; a kiosk database holds one district)."""
    from kiosk.domain.models import District

    lang = session.scalars(select(District.language).order_by(District.created_at).limit(1)).first()
    return lang if lang in LANGUAGES else DEFAULT


def message(lang: str | None, english: str, **values: Any) -> str:
    """``english`` in ``lang`` (English when there is no translation), with ``values`` filled in."""
    text = CATALOGUES.get(lang or DEFAULT, {}).get(english, english)
    return text.format(**values) if values else text
