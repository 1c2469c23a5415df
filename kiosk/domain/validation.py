"""Validation of what people type: asset tags, reporter identifiers, free text."""

from __future__ import annotations

import re
import unicodedata

from kiosk.domain.errors import InvalidInput
from kiosk.domain.models import ReporterKind

TAG_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,31}$")
ID_NUMBER_RE = re.compile(r"^[0-9A-Z]{4,16}$")
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})+$")
DESCRIPTION_MAX = 500


def normalize_tag(raw: str) -> str:
    """An asset tag as stored: upper case, 3–32 of A–Z, 0–9 and '-'; spaces typed inside are dropped."""
    tag = "".join((raw or "").split()).upper()
    if not TAG_RE.match(tag):
        shown = tag if len(tag) <= 40 and tag.isprintable() else repr(tag[:40])
        raise InvalidInput(f"{shown!s} is not an asset tag (3-32 letters, digits or '-')")
    return tag


def parse_reporter(raw: str) -> tuple[str | None, str | None]:
    """A reporter identifier: a school ID number or an email. Returns (id_number, email)."""
    text = (raw or "").strip()
    if "@" in text:
        if len(text) > 254 or not EMAIL_RE.match(text):
            raise InvalidInput("that email address does not look right")
        return None, text.lower()
    ident = text.upper()
    if not ID_NUMBER_RE.match(ident):
        raise InvalidInput("enter your school ID number (4-16 letters or digits) or your school email")
    return ident, None


def default_reporter_kind(id_number: str | None, email: str | None) -> ReporterKind:
    return ReporterKind.STUDENT if id_number else ReporterKind.TEACHER


def clean_text(raw: str, *, field: str, max_len: int, min_len: int = 0, multiline: bool = True) -> str:
    """Trimmed text with control characters refused (newlines allowed when ``multiline``)."""
    text = unicodedata.normalize("NFC", (raw or "").strip())
    for ch in text:
        if unicodedata.category(ch) == "Cc" and not (multiline and ch in "\n\t"):
            raise InvalidInput(f"the {field} contains a control character")
    if len(text) < min_len:
        raise InvalidInput(f"the {field} is too short (at least {min_len} characters)")
    if len(text) > max_len:
        raise InvalidInput(f"the {field} is too long ({len(text)} of at most {max_len} characters)")
    return text
