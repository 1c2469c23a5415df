"""The service's own rules for a pushed operation, on top of the column types ``tables.decode`` checks.

A pushed value must satisfy what the kiosk's domain services would have required of it (lengths, characters,
known statuses, minutes of a repair, a reporter's identifier), columns the service computes are never taken
from a push, times are bounded by the service's clock, and an actor on a pushed row must be a staff member who
signed in through the service at that very kiosk. ``vet`` runs for every operation before it is merged; it
returns the reason a kiosk is told, or None, and may adjust the operation (a clock ahead of the service's
clamped to it, an audit entry given the receive time).
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from kiosk.domain.auth import PUSHED_VIA, SUCCEEDED
from kiosk.domain.models import AuditLogEntry, TicketStatus
from kiosk.domain.repairs import MAX_MINUTES
from kiosk.domain.validation import DESCRIPTION_MAX, EMAIL_RE, ID_NUMBER_RE, TAG_RE
from kiosk.protocol import hlc
from kiosk.protocol.tables import SERVER_OWNED, columns

MAX_AHEAD = timedelta(minutes=5)  # how far a kiosk's clock may run ahead of the service's
OLDEST = datetime(2000, 1, 1, tzinfo=UTC)
MAX_OPENED_BEFORE = timedelta(days=30)  # a ticket filed offline is dated at most this long before it arrives
SIGN_IN_WINDOW = timedelta(days=15)  # offline sign-in at a kiosk lasts 14 days after an online one
TEXT_DEFAULT = 4000
JSON_MAX = 8000
# Free text the domain bounds more tightly than the column does (field, max length); multiline allowed.
TEXT_LIMITS: dict[tuple[str, str], int] = {
    ("tickets", "description"): DESCRIPTION_MAX,
    ("tickets", "resolution"): 4000,
    ("tickets", "override_reason"): 500,
    ("ticket_events", "body"): 4000,
    ("devices", "notes"): 4000,
    ("repair_logs", "action"): 1000,
    ("repair_logs", "parts"): 500,
    ("surveys", "comment"): 2000,
}
# Columns naming the staff member who did the work (must have signed in at the pushing kiosk).
ACTOR_COLUMNS: dict[str, str] = {"ticket_events": "actor_id", "repair_logs": "technician_id",
                                 "device_moves": "actor_id", "audit_sessions": "technician_id",
                                 "audit_log": "actor_id",
                                 # the repair desk (kiosk/domain/loaners.py, parts.py, triage.py)
                                 "loans": "out_by_id", "part_movements": "actor_id", "ticket_triage": "recorded_by_id",
                                 "depot_repairs": "created_by_id", "fees": "recorded_by_id"}
# Columns fixed when the row is made: a kiosk never changes them afterwards.
IMMUTABLE: dict[str, frozenset[str]] = {
    "tickets": frozenset({"number", "opened_at", "campus_id", "channel", "kiosk_id", "reporter_id"}),
    "surveys": frozenset({"ticket_id", "reporter_id", "technician_id", "invited_at"}),
    "devices": frozenset({"asset_tag"}),
}
SURVEY_ANSWER = frozenset({"submitted_at", "solved", "timeliness", "courtesy", "communication", "quality",
                           "overall", "comment"})
_STATUS_VALUES = frozenset(s.value for s in TicketStatus)
_NUMBER_RE = re.compile(r"^[A-Z0-9]{1,16}-[2-9A-HJKMNP-TV-Z]{6}$")


@dataclass
class Vetting:
    """What one batch's checks need from the database, read once."""

    conn: Connection
    kiosk_id: uuid.UUID
    node: str
    now: datetime
    signed_in: set[uuid.UUID] | None = None
    last_stamp: str | None = None
    problems: list[str] = field(default_factory=list)

    def actors(self, wanted: set[uuid.UUID]) -> set[uuid.UUID]:
        """Staff the service signed in at this kiosk lately (read once per batch)."""
        if self.signed_in is None:
            rows = self.conn.execute(select(AuditLogEntry.entity_id, AuditLogEntry.detail).where(
                AuditLogEntry.action == SUCCEEDED, AuditLogEntry.kiosk_id == self.kiosk_id,
                AuditLogEntry.at > self.now - SIGN_IN_WINDOW)).all()
            found: set[uuid.UUID] = set()
            for entity_id, detail in rows:
                if isinstance(detail, dict) and detail.get("via") == PUSHED_VIA:
                    continue
                try:
                    found.add(uuid.UUID(str(entity_id)))
                except ValueError:
                    continue
            self.signed_in = found
        return self.signed_in & wanted


def printable(text: str, *, multiline: bool) -> bool:
    """No control characters (newline and tab allowed in multiline text), no lone surrogates."""
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Cs" or (cat == "Cc" and not (multiline and ch in "\n\t")):
            return False
    return True


def vet(v: Vetting, op: Any, current: dict[str, Any] | None) -> str | None:
    """The reason ``op`` is refused, or None; adjusts clamped values in place."""
    name, values = op.table, op.values
    # Clocks: the node is the pushing kiosk's; a stamp ahead of the service's clock is clamped to it.
    stamp = hlc.Stamp.parse(op.hlc)
    if stamp.node != v.node:
        return "the clock stamp names another kiosk"
    limit_ms = int((v.now + MAX_AHEAD).timestamp() * 1000)
    if stamp.ms > limit_ms:
        v.last_stamp = hlc.tick(v.last_stamp, v.node, int(v.now.timestamp() * 1000))
        op.hlc = v.last_stamp
    owned = SERVER_OWNED.get(name, frozenset()) & set(values)
    if owned:
        return f"{name}.{sorted(owned)[0]} is set by the service, not by a kiosk"
    if current is not None and op.kind != "insert":
        fixed = [c for c in IMMUTABLE.get(name, ()) if c in values and values[c] != current.get(c)]
        if fixed:
            return f"{name}.{fixed[0]} cannot be changed once the row exists"
    cols = columns(name)
    for key, value in values.items():
        col = cols[key]
        if isinstance(value, str):
            multiline = col.type.__class__.__name__ == "Text"
            if not printable(value, multiline=multiline):
                return f"{name}.{key} contains a control character"
            limit = TEXT_LIMITS.get((name, key), TEXT_DEFAULT if multiline else None)
            if limit is not None and len(value) > limit:
                return f"{name}.{key} is longer than {limit} characters"
        elif isinstance(value, datetime):
            if value < OLDEST:
                return f"{name}.{key} is before the year 2000"
            if value > v.now + MAX_AHEAD:
                values[key] = v.now  # a kiosk clock ahead of the service's: the service's time
        elif isinstance(value, dict | list):
            import json

            if len(json.dumps(value, ensure_ascii=False)) > JSON_MAX:
                return f"{name}.{key} is larger than {JSON_MAX} characters"
            if not printable(json.dumps(value), multiline=False):
                return f"{name}.{key} contains a control character"
    reason = _table_rules(v, op, current)
    if reason:
        return reason
    actor_col = ACTOR_COLUMNS.get(name)
    actor = values.get(actor_col) if actor_col else None
    if isinstance(actor, uuid.UUID) and not v.actors({actor}):
        return "the staff member named on it has not signed in at this kiosk"
    return None


def _table_rules(v: Vetting, op: Any, current: dict[str, Any] | None) -> str | None:
    name, values = op.table, op.values
    if name == "reporters":
        if current is not None and op.kind != "insert":
            return "a kiosk cannot change a reporter's details"
        email, ident = values.get("email"), values.get("id_number")
        if email is not None and (len(email) > 254 or not EMAIL_RE.match(email) or email != email.lower()):
            return "reporters.email is not one valid email address"
        if ident is not None and not ID_NUMBER_RE.match(ident):
            return "reporters.id_number is not a school ID number"
    elif name == "tickets":
        number = values.get("number")
        if number is not None and not _NUMBER_RE.match(number):
            return "tickets.number is not a ticket number"
        if op.kind == "insert" and current is None:
            opened = values.get("opened_at")
            if isinstance(opened, datetime) and opened < v.now - MAX_OPENED_BEFORE:
                values["opened_at"] = v.now - MAX_OPENED_BEFORE
        if values.get("description") is not None and len(values["description"].strip()) < 3:
            return "tickets.description is too short"
    elif name == "ticket_events":
        new_value = values.get("new_value")
        if str(values.get("kind")) in ("status", "TicketEventKind.STATUS") and new_value not in _STATUS_VALUES:
            return "ticket_events.new_value is not a ticket status"
    elif name == "repair_logs":
        minutes = values.get("minutes")
        if minutes is not None and not 0 <= minutes <= MAX_MINUTES:
            return f"repair_logs.minutes must be from 0 to {MAX_MINUTES}"
        cost = values.get("parts_cost_cents")
        if cost is not None and not 0 <= cost <= 10_000_000:
            return "repair_logs.parts_cost_cents is out of range"
    elif name == "devices":
        tag = values.get("asset_tag")
        if tag is not None and not TAG_RE.match(tag):
            return "devices.asset_tag is not an asset tag"
    elif name == "surveys":
        for key in ("timeliness", "courtesy", "communication", "quality", "overall"):
            score = values.get(key)
            if score is not None and not 1 <= score <= 5:
                return f"surveys.{key} must be from 1 to 5"
        if current is not None and SURVEY_ANSWER & set(values):
            if current.get("submitted_at") is not None:
                return "this survey was answered already"
            expires = current.get("expires_at")
            if expires is not None and expires < v.now:
                return "this survey has expired"
    return None
