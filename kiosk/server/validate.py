"""The service's own rules for a pushed operation, on top of the column types ``tables.decode`` checks.

A pushed value must satisfy what the kiosk's domain services would have required of it (lengths, characters,
known statuses, minutes of a repair, a reporter's identifier), columns the service computes are never taken
from a push, times are bounded by the service's clock, and an actor on a pushed row must be a staff member who
signed in through the service at that very kiosk. ``vet`` runs for every operation before it is merged; it
returns the reason a kiosk is told, or None, and may adjust the operation (a clock ahead of the service's
clamped to it, an audit entry given the receive time, a loan dated before the kiosk's last sync moved up to it).
``batch_refusals`` runs once the whole batch is merged: status changes follow the domain's workflow
(``kiosk.domain.tickets.may_move``) from the ticket as the service has it, and a survey is made only by a
closing. ``keeps_existing_reporter`` says a reporter created offline that the service already has stays as the
service has it.

Everything the service refuses or adjusts on a push is decided in this module, so the hostile-kiosk suite can
swap it for a permissive stand-in (``tests/server/unguarded_server.py``) and show that each attack it refuses
would otherwise succeed.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select, text

from kiosk.domain.auth import PUSHED_VIA, SUCCEEDED
from kiosk.domain.models import AuditLogEntry, TicketEventKind, TicketStatus
from kiosk.domain.repairs import MAX_MINUTES
from kiosk.domain.tickets import may_move, needs_staff
from kiosk.domain.validation import DESCRIPTION_MAX, EMAIL_RE, ID_NUMBER_RE, TAG_RE
from kiosk.protocol import hlc
from kiosk.protocol.tables import SERVER_OWNED, columns, encode, table

log = logging.getLogger("kiosk.server.validate")

MAX_AHEAD = timedelta(minutes=5)  # how far a kiosk's clock may run ahead of the service's
OLDEST = datetime(2000, 1, 1, tzinfo=UTC)
MAX_OPENED_BEFORE = timedelta(days=30)  # a ticket filed offline is dated at most this long before it arrives
MAX_OFFLINE = MAX_OPENED_BEFORE  # the offline window: work done at a kiosk is at most this old when it arrives
SURVEY_CLOSE_GAP = timedelta(minutes=10)  # a survey is invited in the closing's own use-case (seconds apart)
DRAINED_KEY = "pull_pos:"  # retention's per-kiosk record; "drained_at": the kiosk's last round with its whole outbox
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
    # a survey's technician and invitation time change only when a new closing renews it (``batch_refusals``)
    "surveys": frozenset({"ticket_id", "reporter_id"}),
    "devices": frozenset({"asset_tag"}),
    "loans": frozenset({"out_at", "loaner_id", "campus_id", "reporter_id"}),
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
    _floor: datetime | None = None

    def floor(self) -> datetime:
        """The earliest time work done at this kiosk can carry: its last round that sent its whole outbox (less
        the clock skew allowed), and never more than the offline window ago. Anything the kiosk did before that
        round was in that round's push, so a newer push cannot hold it."""
        if self._floor is None:
            floor = self.now - MAX_OFFLINE
            raw = self.conn.execute(text("SELECT value FROM sync_state WHERE key = :k"),
                                    {"k": DRAINED_KEY + str(self.kiosk_id)}).scalar()
            try:
                drained = json.loads(raw).get("drained_at") if raw else None
                if drained:
                    floor = max(floor, datetime.fromisoformat(drained) - MAX_AHEAD)
            except (ValueError, AttributeError, TypeError):
                pass
            self._floor = floor
        return self._floor

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
            if len(json.dumps(value, ensure_ascii=False)) > JSON_MAX:
                return f"{name}.{key} is larger than {JSON_MAX} characters"
            if not printable(json.dumps(value), multiline=False):
                return f"{name}.{key} contains a control character"
    reason = _table_rules(v, op, current)
    if reason:
        return reason
    if name == "audit_log":
        if values.get("kiosk_id") not in (None, v.kiosk_id):
            return "a kiosk can only record its own kiosk id"
        # The service's receive time and its mark: the lockout and the reports never count a pushed entry as one
        # the service made (kiosk.domain.auth reads only entries it vouches for).
        detail = values.get("detail")
        values["detail"] = {**(detail if isinstance(detail, dict) else {}), "via": PUSHED_VIA,
                            "kiosk_at": encode(values.get("at"))}
        values["at"] = v.now
        values["kiosk_id"] = v.kiosk_id
    actor_col = ACTOR_COLUMNS.get(name)
    actor = values.get(actor_col) if actor_col else None
    if isinstance(actor, uuid.UUID) and not v.actors({actor}):
        return "the staff member named on it has not signed in at this kiosk"
    return None


def _not_before_floor(v: Vetting, op: Any, key: str, current: dict[str, Any] | None) -> bool:
    """A new row's time before this kiosk's floor (its last full sync, or the offline window) is moved up to the
    floor: the kiosk sent everything it did before then in that round, so the date is not true. True if moved."""
    at = op.values.get(key)
    if op.kind != "insert" or current is not None or not isinstance(at, datetime) or at >= v.floor():
        return False
    log.warning("kiosk %s: %s.%s %s of %s is before the kiosk's last full sync; set to %s", v.kiosk_id, op.table,
                key, at.isoformat(), op.row_id, v.floor().isoformat())
    op.values[key] = v.floor()
    return True


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
        _not_before_floor(v, op, "at", current)  # a backdated first response would meet an SLA it missed
    elif name == "repair_logs":
        _not_before_floor(v, op, "performed_at", current)  # dated into a week whose report was read already
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
    elif name == "loans" and op.kind == "insert" and current is None:
        out = values.get("out_at")
        if isinstance(out, datetime) and out < v.floor():
            # Backdated: a loan's place in the loaner's check-out order is its out_at (loaners.standing), so an
            # earlier one would void loans made since. Moved up to the earliest time this kiosk can have made it.
            log.warning("kiosk %s: loans.out_at %s of loan %s is before the kiosk's last full sync; set to %s",
                        v.kiosk_id, out.isoformat(), op.row_id, v.floor().isoformat())
            values["out_at"] = v.floor()
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


def status_from_events(op: Any) -> bool:
    """A ticket a kiosk creates takes its status from its events (checked by ``batch_refusals``), never from the
    status column the push carries."""
    return op.table == "tickets" and op.kind == "insert"


def keeps_existing_reporter(op: Any, current: dict[str, Any] | None) -> bool:
    """A reporter created offline that the service already has (same key, or the same ID number or email found
    as its twin) stays as the service has it: a kiosk never changes a reporter's contact details."""
    return op.table == "reporters" and op.kind == "insert" and current is not None


def _status(value: Any) -> TicketStatus | None:
    try:
        return TicketStatus(str(value))
    except ValueError:
        return None


def batch_refusals(v: Vetting, touched: dict[tuple[str, uuid.UUID], tuple[bool, Any, list[Any]]],
                   rows: Any) -> list[tuple[Any, str]]:
    """Rules on the batch as a whole, once every operation is merged: ``(operation, reason)`` for each refused.

    * Status changes. A ticket's pushed status events, in the order the kiosk made them, must follow the
      domain's workflow (``tickets.may_move``, ``tickets.needs_staff``) starting from the ticket as the service
      has it. An event may start from a status the ticket held earlier rather than its current one: a kiosk that
      was offline had not seen the latest change (the status is then derived from all events in time order).
      It can never start from a status the ticket never held, skip a step the workflow requires, or be made
      without a technician where one is needed. A move to resolved leaves the ticket with a resolution.
    * Surveys. A survey is made (or renewed with a new invitation) only by a closing: the ticket's latest status
      event to closed (in this batch or on the service) at or before the survey's invitation and at most
      ``SURVEY_CLOSE_GAP`` before it, not before this kiosk's last full sync, with no other survey invited
      after that closing, for the ticket's own reporter.
    """
    out: list[tuple[Any, str]] = []
    events: dict[uuid.UUID, list[Any]] = {}
    surveys: list[tuple[tuple[str, uuid.UUID], bool, list[Any]]] = []
    for key, (created, _before, key_ops) in touched.items():
        if key[0] == "ticket_events":
            for op in key_ops:
                if op.kind == "insert" and str(op.values.get("kind")) in ("status", "assignment"):
                    events.setdefault(op.values.get("ticket_id"), []).append(op)
        elif key[0] == "surveys":
            surveys.append((key, created, key_ops))
    closings: dict[uuid.UUID, list[datetime]] = {}
    if events:
        ev = table("ticket_events")
        held: dict[uuid.UUID, set[TicketStatus]] = {}
        for tid, kind, new_value in v.conn.execute(select(ev.c.ticket_id, ev.c.kind, ev.c.new_value).where(
                ev.c.ticket_id.in_(list(events)),
                ev.c.kind.in_([TicketEventKind.STATUS, TicketEventKind.ASSIGNMENT]))):
            found = TicketStatus.ASSIGNED if kind == TicketEventKind.ASSIGNMENT else _status(new_value)
            if found is not None and new_value:
                held.setdefault(tid, set()).add(found)
        for tid, ops in events.items():
            created = touched.get(("tickets", tid), (False,))[0]
            ticket = rows.get("tickets", tid)
            if ticket is None:
                continue  # refused elsewhere (no such ticket)
            status = TicketStatus.NEW if created else (_status(ticket.get("status")) or TicketStatus.NEW)
            seen = {TicketStatus.NEW, status} | held.get(tid, set())
            resolved_by: Any = None
            for op in ops:
                values = op.values
                if str(values.get("kind")) == "assignment":
                    if values.get("actor_id") is None:
                        out.append((op, "only a signed-in technician can assign a ticket"))
                    elif values.get("new_value") and status in (TicketStatus.NEW, TicketStatus.REOPENED):
                        status = TicketStatus.ASSIGNED
                        seen.add(status)
                    continue
                old, new = _status(values.get("old_value")), _status(values.get("new_value"))
                if old is None or new is None:
                    out.append((op, "a status change names the status it moved from and to"))
                elif old is not status and old not in seen:
                    out.append((op, f"the ticket was never {old.value} (it is {status.value} on the service)"))
                elif not may_move(old, new):
                    out.append((op, f"a ticket cannot go from {old.value} to {new.value}"))
                elif values.get("actor_id") is None and needs_staff(old, new, automatic=True):
                    out.append((op, f"only a signed-in technician can move a ticket to {new.value}"))
                else:
                    status = new
                    seen.add(new)
                    if new is TicketStatus.RESOLVED:
                        resolved_by = op
                    if new is TicketStatus.CLOSED and isinstance(values.get("at"), datetime):
                        closings.setdefault(tid, []).append(values["at"])
            if resolved_by is not None and len(str(ticket.get("resolution") or "").strip()) < 3:
                out.append((resolved_by, "a resolved ticket needs a resolution (3 characters or more)"))
    if surveys:
        out += _survey_refusals(v, surveys, rows, closings)
    return out


def _survey_refusals(v: Vetting, surveys: list[tuple[tuple[str, uuid.UUID], bool, list[Any]]], rows: Any,
                     closings: dict[uuid.UUID, list[datetime]]) -> list[tuple[Any, str]]:
    out: list[tuple[Any, str]] = []
    made = []
    for key, created, key_ops in surveys:
        row = rows.cache.get(key)
        renewing = [op for op in key_ops if op.kind == "update" and {"invited_at", "technician_id"} & set(op.values)]
        if row is not None and (created or renewing):
            made.append((key, row, key_ops if created else renewing))
    if not made:
        return out
    ticket_ids = list({row["ticket_id"] for _, row, _ in made})
    ev, sv = table("ticket_events"), table("surveys")
    for tid, at in v.conn.execute(select(ev.c.ticket_id, ev.c.at).where(
            ev.c.ticket_id.in_(ticket_ids), ev.c.kind == TicketEventKind.STATUS,
            ev.c.new_value == TicketStatus.CLOSED.value)):
        closings.setdefault(tid, []).append(at)
    others: dict[uuid.UUID, list[tuple[uuid.UUID, datetime]]] = {}
    for sid, tid, invited in v.conn.execute(select(sv.c.id, sv.c.ticket_id, sv.c.invited_at).where(
            sv.c.ticket_id.in_(ticket_ids))):
        others.setdefault(tid, []).append((sid, invited))
    for key, row, key_ops in made:
        ticket = rows.get("tickets", row["ticket_id"])
        invited = row.get("invited_at")
        # the closing that made it: the latest one at or before its invitation, in the same use-case
        before = [at for at in closings.get(row["ticket_id"], []) if isinstance(invited, datetime) and at <= invited]
        closing = [max(before)] if before and invited - max(before) <= SURVEY_CLOSE_GAP else []
        reason = None
        if ticket is None or not isinstance(invited, datetime):
            reason = "a survey needs its ticket and its invitation time"
        elif row.get("reporter_id") != ticket.get("reporter_id"):
            reason = "a survey is for its ticket's own reporter"
        elif (tech := row.get("technician_id")) not in (None, ticket.get("assignee_id")) and not v.actors({tech}):
            # the domain credits the ticket's assignee at the closing (surveys.invite_on_close): a push that names
            # another technician would move the answer, and its score, into their weekly report. One who signed in
            # at this kiosk is let be: offline, the kiosk closed it while another kiosk reassigned it.
            reason = "a survey's technician is its ticket's assignee"
        elif not closing:
            reason = "a survey is made only when its ticket is closed, at that closing"
        elif invited < v.floor():
            reason = "this survey's closing is older than this kiosk's last full sync"
        elif any(sid != key[1] and at > closing[0] for sid, at in others.get(ticket["id"], [])):
            reason = "that closing has its survey already"
        if reason is not None:
            out += [(op, reason) for op in key_ops]
    return out
