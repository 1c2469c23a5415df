"""The district's repair-desk settings: loan limits, damage policy, resolution codes, depot checklist, school year.

Each setting has a default, a type and a description (``SETTINGS``); the district sets them with
``kiosk desk set KEY=VALUE`` on the central database and every kiosk pulls them (table ``desk_settings``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain import audit_log
from kiosk.domain.db import Ctx
from kiosk.domain.errors import InvalidInput, PermissionDenied
from kiosk.domain.labels import local_today
from kiosk.domain.models import DeskSetting, District, StaffRole, StaffUser

DOMAIN_RE = re.compile(r"^[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63})+$")


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    kind: str  # bool, int, str, list
    description: str


DEFAULT_RESOLUTION_CODES = [
    {"code": "repaired_on_site", "label": "Repaired on site"},
    {"code": "part_replaced", "label": "Part replaced"},
    {"code": "sent_to_depot", "label": "Sent to depot"},
    {"code": "replaced_with_spare", "label": "Replaced with spare"},
    {"code": "user_training", "label": "User training"},
    {"code": "no_fault_found", "label": "No fault found"},
]
DEFAULT_POLICY = [
    {"action": "Repair at no charge; go over device care with the student", "fee_cents": 0},
    {"action": "Fee of $25; the school calls home", "fee_cents": 2500},
    {"action": "Fee of the full repair cost; meeting with a parent; the device stays at school", "fee_cents": None},
]
DEFAULT_CHECKLIST = [
    "Remove the device from the management console (Chromebooks: Google Admin, deprovision)",
    "Note the serial number and the vendor's case number on the ticket",
    "Photograph the damage",
    "Keep the charger and the asset tag record at school",
]

SETTINGS: dict[str, Setting] = {s.key: s for s in (
    Setting("loaner.self_service", False, "bool",
            "walk-up reporters may take a loaner themselves (otherwise a technician confirms with a badge)"),
    Setting("loaner.max_out", 1, "int", "loaners one reporter may hold at a time"),
    Setting("loaner.per_term", 3, "int", "loaners one reporter may check out per term (0: no limit)"),
    Setting("loaner.days", 7, "int", "default loan length in days"),
    Setting("loaner.terms", [], "list",
            'terms as [{"name": "Fall", "first": "2026-08-10", "last": "2026-12-18"}, ...]; '
            "none: the school year is the term"),
    Setting("school_year.start", "08-01", "str", "the first day (MM-DD) of the school year"),
    Setting("walkin.category", "other", "str", "service category code of walk-in tickets"),
    Setting("resolution.codes", DEFAULT_RESOLUTION_CODES, "list", 'the resolution codes: [{"code", "label"}, ...]'),
    Setting("damage.policy", DEFAULT_POLICY, "list",
            'the action for the 1st, 2nd, 3rd... damage incident of a reporter in a school year: '
            '[{"action": text, "fee_cents": amount or null}, ...]; the last one applies beyond'),
    Setting("depot.checklist", DEFAULT_CHECKLIST, "list", "what to do before a device ships to a depot or vendor"),
    Setting("reporter.email_domains", [], "list",
            'the school mail domains a walk-up reporter\'s email must be at, each with the kind of reporter it '
            'means when it says so: [{"domain": "students.rusd.example", "kind": "student"}, '
            '{"domain": "rusd.example"}] (no kind: the kiosk asks "student or staff?"); none: KIOSK_MAIL_DOMAINS'),
)}

REPORTER_KINDS = ("student", "teacher", "staff")


def _check(setting: Setting, value: Any) -> Any:
    kind = setting.kind
    ok = {"bool": isinstance(value, bool), "int": isinstance(value, int) and not isinstance(value, bool),
          "str": isinstance(value, str), "list": isinstance(value, list)}[kind]
    if not ok:
        raise InvalidInput(f"{setting.key} must be a {kind}, not {json.dumps(value)}")
    if kind == "int" and not 0 <= value <= 365:
        raise InvalidInput(f"{setting.key} must be from 0 to 365")
    if setting.key == "resolution.codes" and not all(
            isinstance(c, dict) and isinstance(c.get("code"), str) and isinstance(c.get("label"), str)
            and 0 < len(c["code"]) <= 32 for c in value):
        raise InvalidInput('resolution.codes must be [{"code": "...", "label": "..."}, ...] (codes up to 32 chars)')
    if setting.key == "damage.policy" and not (value and all(
            isinstance(p, dict) and isinstance(p.get("action"), str)
            and (p.get("fee_cents") is None or isinstance(p.get("fee_cents"), int)) for p in value)):
        raise InvalidInput('damage.policy must be [{"action": "...", "fee_cents": 2500 or null}, ...]')
    if setting.key == "reporter.email_domains":
        for d in value:
            dom = d.get("domain") if isinstance(d, dict) else None
            if not (isinstance(dom, str) and DOMAIN_RE.match(dom.strip().lower().lstrip("@"))
                    and d.get("kind") in (None, *REPORTER_KINDS) and set(d) <= {"domain", "kind"}):
                raise InvalidInput('reporter.email_domains must be [{"domain": "rusd.example", "kind": "student", '
                                   '"teacher", "staff" or left out}, ...]')
    if setting.key == "loaner.terms":
        for t in value:
            try:
                if date.fromisoformat(t["first"]) > date.fromisoformat(t["last"]):
                    raise ValueError
            except (TypeError, KeyError, ValueError):
                raise InvalidInput('loaner.terms must be [{"name": "Fall", "first": "YYYY-MM-DD", '
                                   '"last": "YYYY-MM-DD"}, ...]') from None
    if setting.key == "school_year.start":
        try:
            date.fromisoformat(f"2001-{value}")
        except ValueError:
            raise InvalidInput("school_year.start is a month and day, MM-DD (e.g. 08-01)") from None
    return value


def check_value(setting: Setting, value: Any) -> Any:
    """``value`` checked for ``setting`` (InvalidInput saying what is wrong): the district file's [desk] uses it."""
    return _check(setting, value)


def get(session: Session, key: str) -> Any:
    """A setting's value (its default when the district has not set it)."""
    setting = SETTINGS[key]
    row = session.scalars(select(DeskSetting).where(DeskSetting.key == key)).one_or_none()
    if row is None:
        return setting.default
    try:
        return _check(setting, row.value)
    except InvalidInput:
        return setting.default  # a bad value written around the service: the default, not a crash


def all_values(session: Session) -> dict[str, Any]:
    return {key: get(session, key) for key in SETTINGS}


def parse_value(key: str, text: str) -> Any:
    """A value typed on the command line: JSON, or a bare word for strings, yes/no for booleans."""
    setting = SETTINGS.get(key)
    if setting is None:
        raise InvalidInput(f"unknown setting {key!r}; one of: {', '.join(SETTINGS)}")
    low = text.strip().lower()
    if setting.kind == "bool" and low in ("yes", "no", "true", "false", "on", "off"):
        return low in ("yes", "true", "on")
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        if setting.kind == "str":
            return text.strip()
        raise InvalidInput(f"{key} takes JSON (e.g. {json.dumps(setting.default)[:80]})") from None


def _may_change(ctx: Ctx) -> None:
    if ctx.actor.staff_id is not None:
        staff = ctx.session.get(StaffUser, ctx.actor.staff_id)
        if staff is None or staff.role is not StaffRole.ADMIN:
            raise PermissionDenied("only a district admin changes repair-desk settings")
    elif ctx.actor.kiosk_id is not None:
        raise PermissionDenied("only a district admin changes repair-desk settings")


def set_value(ctx: Ctx, key: str, value: Any) -> Any:
    """Set a district setting (the command line, or a signed-in admin)."""
    _may_change(ctx)
    setting = SETTINGS.get(key)
    if setting is None:
        raise InvalidInput(f"unknown setting {key!r}; one of: {', '.join(SETTINGS)}")
    value = _check(setting, value)
    s = ctx.session
    now = ctx.clock.now()
    row = s.scalars(select(DeskSetting).where(DeskSetting.key == key)).one_or_none()
    if row is None:
        s.add(DeskSetting(key=key, value=value, created_at=now, updated_at=now))
    else:
        row.value = value
        row.updated_at = now
    audit_log.record(ctx, "desk.setting", "desk_setting", key, value=json.dumps(value)[:500])
    return value


def reset(ctx: Ctx, key: str) -> None:
    """Back to the default: the district's row for ``key`` is removed (kiosks pull the removal)."""
    _may_change(ctx)
    if key not in SETTINGS:
        raise InvalidInput(f"unknown setting {key!r}; one of: {', '.join(SETTINGS)}")
    row = ctx.session.scalars(select(DeskSetting).where(DeskSetting.key == key)).one_or_none()
    if row is not None:
        ctx.session.delete(row)
        ctx.session.flush()
        audit_log.record(ctx, "desk.setting_reset", "desk_setting", key)


# ---------------------------------------------------------------------------------------------
# The school year and terms
# ---------------------------------------------------------------------------------------------


def school_year(session: Session, day: date) -> tuple[str, date, date]:
    """The school year ``day`` falls in: ("2026-2027", first day, last day)."""
    month, dom = (int(x) for x in str(get(session, "school_year.start")).split("-"))
    start = date(day.year, month, dom)
    if day < start:
        start = date(day.year - 1, month, dom)
    end = date(start.year + 1, month, dom) - timedelta(days=1)
    return f"{start.year}-{start.year + 1}", start, end


def term(session: Session, day: date) -> tuple[str, date, date]:
    """The term ``day`` falls in (a configured term, else the school year)."""
    for t in get(session, "loaner.terms"):
        first, last = date.fromisoformat(t["first"]), date.fromisoformat(t["last"])
        if first <= day <= last:
            return str(t.get("name") or f"{first}..{last}"), first, last
    return school_year(session, day)


def today(session: Session, now: datetime) -> date:
    return local_today(session, now)


def zone(session: Session) -> ZoneInfo:
    """The district's time zone."""
    return ZoneInfo(session.scalars(select(District.timezone).limit(1)).first() or "America/Chicago")


def resolution_codes(session: Session) -> list[tuple[str, str]]:
    return [(c["code"], c["label"]) for c in get(session, "resolution.codes")]
