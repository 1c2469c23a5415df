"""Every admin-screen action in one function: ``perform(ctx, key, action, ref, values)``.

The admin screens call it on their own database (the central one, or a standalone kiosk's), and the district
service calls it for an enrolled kiosk (``POST /v1/admin/act``, ``kiosk.server.admin_act``) on the service's
database. ``ref`` names the row the action is about by a plain value, never an ORM object, so it crosses the
network: a username (staff), a campus or category code, a weekday number (hours), a holiday's or objective's
id. ``values`` are the form's fields as plain JSON values (dates as ``YYYY-MM-DD`` or ``date``).

The caller opens the unit of work with the admin as the actor; the district services check the role
(``district_admin.require_admin``) and write the audit log and the change log. A temporary PIN or password is in
the result once (the screen shows it) and never in any log.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from kiosk.domain import district_admin as admin
from kiosk.domain import staff_accounts
from kiosk.domain.db import Ctx
from kiosk.domain.errors import InvalidInput, NotFound
from kiosk.domain.models import (
    Campus,
    Holiday,
    Objective,
    Room,
    ServiceCategory,
    StaffUser,
    VisitExceptionKind,
)

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
KEYS = ("staff", "campuses", "catalog", "sla", "hours", "holidays", "objectives", "rotation")

# Results the screens translate (the template is the English text; the screen holds its tr() form)
TEMP_PIN = "Temporary PIN for {0}: {1} (shown once; changed at the next sign-in)"
TEMP_PASSWORD = "Temporary password for {0}: {1} (shown once; changed at the next sign-in)"
UNLOCKED = "{0} unlocked."
NOT_LOCKED = "{0} was not locked."
NO_CHANGE = "No change."


@dataclass(frozen=True)
class Result:
    """What an action did, as English text; ``template``/``args`` when the screen shows a translated form."""

    text: str
    template: str = ""
    args: tuple[str, ...] = ()


def _t(template: str, *args: str) -> Result:
    return Result(template.format(*args), template, tuple(args))


def perform(ctx: Ctx, key: str, action: str, ref: Any, values: dict[str, Any]) -> Result:
    """Run one admin action in ``ctx`` (one unit of work, the admin as the actor). Raises ``DomainError``s
    (``InvalidInput``, ``NotFound``, ``PermissionDenied``) with a plain message; an unknown key or action is
    ``InvalidInput``."""
    v = dict(values)
    s = ctx.session
    handlers: dict[str, Callable[[], Any]] = {}
    if key == "staff":
        who = "" if action == "add" else str(_must(ref))
        handlers = {
            "add": lambda: _staff_add(ctx, v),
            "reset_pin": lambda: _t(TEMP_PIN, who, staff_accounts.reset_pin(ctx, who)),
            "reset_password": lambda: _t(TEMP_PASSWORD, who, staff_accounts.reset_password(ctx, who)),
            "unlock": lambda: _t(UNLOCKED if staff_accounts.unlock(ctx, who) else NOT_LOCKED, who),
            "set_role": lambda: _said(staff_accounts.set_role(ctx, who, str(v.get("role") or "")), who),
            "disable": lambda: _said(staff_accounts.set_active(ctx, who, False), who),
            "enable": lambda: _said(staff_accounts.set_active(ctx, who, True), who),
        }
    elif key == "campuses":
        def campus() -> Campus:
            code = str(_must(ref))
            found = s.scalars(select(Campus).where(Campus.code == code)).one_or_none()
            if found is None:
                raise NotFound(f"there is no campus {code!r}")
            return found
        handlers = {
            "add_campus": lambda: str(admin.add_campus(ctx, _need(v, "code", "name")["code"], v["name"])[1]),
            "rename": lambda: _said(admin.update(ctx, campus(), "campus", campus().code,
                                                 {"name": _clean_name(v.get("name"))}), campus().code),
            "add_room": lambda: str(admin.add_room(ctx, campus(), _need(v, "room")["room"])[1]),
            "retire_room": lambda: _said(admin.set_active(ctx, _room(ctx, campus(), v.get("room")), False),
                                         str(v.get("room"))),
            "retire": lambda: _said(admin.set_active(ctx, campus(), False), campus().code),
            "restore": lambda: _said(admin.set_active(ctx, campus(), True), campus().code),
        }
    elif key == "catalog":
        def save_category() -> str:
            _need(v, "key", "name")
            order = int(v["order"]) if str(v.get("order") or "").isdigit() else 100
            return _said(admin.set_category(ctx, str(v["key"]), name=v["name"], default_priority=v.get("priority"),
                                            icon=v.get("icon") or "other", covered=bool(v.get("covered")),
                                            scope=v.get("scope"), sort_order=order), str(v["key"]))

        def category() -> ServiceCategory:
            code = str(_must(ref))
            found = s.scalars(select(ServiceCategory).where(ServiceCategory.code == code)).one_or_none()
            if found is None:
                raise NotFound(f"there is no category {code!r}")
            return found
        handlers = {"save": save_category,
                    "hide": lambda: _said(admin.set_active(ctx, category(), False), category().code),
                    "show": lambda: _said(admin.set_active(ctx, category(), True), category().code)}
    elif key == "sla":
        handlers = {"save": lambda: _said(admin.set_sla(ctx, str(v.get("priority")),
                                                        admin.parse_duration(str(v.get("first") or "")),
                                                        admin.parse_duration(str(v.get("resolution") or ""))),
                                          str(v.get("priority")))}
    elif key == "hours":
        def weekday(raw: Any) -> int:
            try:
                day = int(raw)
            except (TypeError, ValueError):
                raise InvalidInput(f"{raw!r} is not a weekday") from None
            if not 0 <= day < 7:
                raise InvalidInput(f"{raw!r} is not a weekday")
            return day
        handlers = {"save": lambda: _said(admin.set_hours(ctx, weekday(v.get("weekday")),
                                                          admin.parse_window(str(v.get("window") or ""))),
                                          DAYS[weekday(v.get("weekday"))]),
                    "close": lambda: _said(admin.set_hours(ctx, weekday(v.get("weekday") if ref is None else ref),
                                                           None),
                                           DAYS[weekday(v.get("weekday") if ref is None else ref)])}
    elif key == "holidays":
        def holiday() -> Holiday:
            return _must(s.get(Holiday, _uuid(_must(ref))))
        handlers = {"save": lambda: _said(admin.set_holiday(ctx, _date(v.get("start")), _date(v.get("end")),
                                                            _need(v, "name")["name"]), str(v["name"])),
                    "remove": lambda: str(admin.remove_holiday(ctx, holiday()))}
    elif key == "objectives":
        def save_objective() -> str:
            try:
                target = float(str(v.get("target")).replace("%", "").strip())
            except ValueError:
                raise InvalidInput(f"{v.get('target')!r} is not a number") from None
            return _said(admin.set_objective(ctx, str(v.get("metric")), str(v.get("comparator")), target,
                                             _date(v.get("from"))), str(v.get("metric")))

        def remove_objective() -> str:
            o = _must(s.get(Objective, _uuid(_must(ref))))
            return str(admin.remove(ctx, o, "objective", f"{o.metric} from {o.valid_from}"))
        handlers = {"save": save_objective, "remove": remove_objective}
    elif key == "rotation":
        def exception(kind: VisitExceptionKind) -> Result:
            campus = _must(s.get(Campus, _uuid(v.get("campus_id"))))
            tech = _must(s.get(StaffUser, _uuid(v.get("tech_id"))))
            window = str(v.get("window") or "")
            if kind is VisitExceptionKind.EXTRA and not window:
                raise InvalidInput("give the extra visit's window, e.g. 13:00-15:00")
            change = admin.set_exception(ctx, campus, tech, _date(v.get("day")), kind,
                                         admin.parse_window(window) if window else None)
            return Result(str(change)) if change else _t(NO_CHANGE)
        handlers = {"cancel": lambda: exception(VisitExceptionKind.CANCELLED),
                    "extra": lambda: exception(VisitExceptionKind.EXTRA)}
    handler = handlers.get(action)
    if handler is None:
        raise InvalidInput(f"there is no admin action {key!r}/{action!r}")
    out = handler()
    return out if isinstance(out, Result) else Result(str(out))


def _need(values: dict[str, Any], *keys: str) -> dict[str, Any]:
    missing = [k.replace("_", " ") for k in keys if not values.get(k)]
    if missing:
        raise InvalidInput(f"fill in: {', '.join(missing)}")
    return values


def _said(change: Any, name: str) -> str:
    return str(change) if change is not None else f"{name}: no change"


def _must(obj: Any) -> Any:
    if obj is None or obj == "":
        raise NotFound("select a row first")
    return obj


def _uuid(raw: Any) -> uuid.UUID:
    if isinstance(raw, uuid.UUID):
        return raw
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise NotFound("select a row first") from None


def _date(raw: Any) -> date:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise InvalidInput(f"{raw!r} is not a date (YYYY-MM-DD)") from None


def _clean_name(name: Any) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise InvalidInput("give the new name")
    return name


def _room(ctx: Ctx, campus: Campus, name: Any) -> Room:
    _need({"room": name}, "room")
    for r in ctx.session.scalars(select(Room).where(Room.campus_id == campus.id)):
        if admin.fold(r.name) == admin.fold(str(name)):
            return r
    raise NotFound(f"{campus.code} has no room {name!r}")


def _staff_add(ctx: Ctx, v: dict[str, Any]) -> str:
    _need(v, "username", "first_name", "last_name")
    _, change = staff_accounts.add(ctx, v["username"], first_name=v["first_name"], last_name=v["last_name"],
                                   email=v.get("email") or None, role=v.get("role") or "technician",
                                   badge_code=v.get("badge") or None)
    return f"{change}; give them a temporary PIN with Reset PIN"
