"""Which tables sync, in which direction, under which rules, and how their values travel as JSON."""

from __future__ import annotations

import enum
import functools
import math
import uuid
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    Time,
    Uuid,
)
from sqlalchemy import Enum as SAEnum

from kiosk.domain.models import Base, UTCDateTime

PROTOCOL_VERSION = 2  # 2: kiosks pull their campus's surveys (a kiosk of protocol 1 would not know the table)
MAX_PUSH_OPS = 2000
MAX_PULL_ROWS = 5000

# Reference data every kiosk pulls; kiosks cannot change it (rotation schedules are pulled by every kiosk but
# a kiosk may edit its own campus's entries).
REFERENCE_TABLES = ("districts", "campuses", "service_categories", "sla_targets", "working_hours", "holidays",
                    "staff_users", "objectives", "desk_settings", "parts", "damage_plans")
SCHEDULE_TABLES = ("rotation_visits", "rotation_exceptions")
# Operational data, scoped to one campus.
CAMPUS_TABLES = ("kiosks", "rooms", "reporters", "devices", "tickets", "ticket_events", "repair_logs",
                 "device_moves", "unknown_tag_scans", "audit_sessions", "audit_scans", "audit_results",
                 "loans", "part_movements", "ticket_triage", "depot_repairs", "fees", "surveys")
# What a kiosk pulls, in foreign-key order.
PULL_TABLES: tuple[str, ...] = tuple(
    t.name for t in Base.metadata.sorted_tables if t.name in REFERENCE_TABLES + SCHEDULE_TABLES + CAMPUS_TABLES
)
# What a kiosk may push (the server still checks every row's campus).
PUSH_TABLES = frozenset(set(SCHEDULE_TABLES) | set(CAMPUS_TABLES) - {"kiosks"} | {"surveys", "audit_log"})
# Append-only records never conflict: inserts only.
APPEND_ONLY_TABLES = frozenset({"ticket_events", "audit_log", "device_moves", "audit_scans", "repair_logs",
                                "part_movements"})
# Fields the server derives itself and never takes from a kiosk.
DERIVED_FIELDS: dict[str, frozenset[str]] = {"tickets": frozenset({"status"})}
# Columns that never leave the server.
REDACTED: dict[str, frozenset[str]] = {
    "staff_users": frozenset({"password_hash", "pin_hash", "badge_code", "email"}),
    "kiosks": frozenset({"token_hash", "last_sync_at"}),
    "surveys": frozenset({"token_hash"}),  # the link's verifier stays with the service that sends the link
}
# Columns the service computes itself: a kiosk never sends them (its outbox leaves them out) and a push that sets
# one is refused. A survey link's token and expiry; a ticket's SLA deadlines and first response.
SERVER_OWNED: dict[str, frozenset[str]] = {
    "surveys": frozenset({"token_hash", "expires_at"}),
    "tickets": frozenset({"response_due_at", "resolution_due_at", "first_response_at"}),
}
PUSH_FORBIDDEN = SERVER_OWNED
# Unique natural keys: two kiosks may create the same reporter or register the same tag offline.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {"reporters": ("id_number", "email"), "devices": ("asset_tag",)}
# Campus rows that name other rows of the same campus: (column, table). The server refuses a pushed row whose
# device or ticket belongs to another campus (a kiosk cannot lend out, or use parts for, another campus's device).
SAME_CAMPUS_REFS: dict[str, tuple[tuple[str, str], ...]] = {
    "loans": (("loaner_id", "devices"), ("for_device_id", "devices"), ("ticket_id", "tickets")),
    "part_movements": (("ticket_id", "tickets"),),
    "ticket_triage": (("ticket_id", "tickets"), ("device_id", "devices")),
    "depot_repairs": (("ticket_id", "tickets"), ("device_id", "devices")),
    "fees": (("ticket_id", "tickets"), ("device_id", "devices")),
}


def table(name: str) -> Table:
    return Base.metadata.tables[name]


@functools.cache
def columns(name: str) -> dict[str, Column[Any]]:
    return {c.name: c for c in table(name).columns}


@functools.cache
def referencing_columns(target: str) -> list[tuple[str, str]]:
    """(table, column) pairs whose foreign key points at ``target``.id (the schema is fixed: computed once)."""
    out = []
    for t in Base.metadata.sorted_tables:
        for fk in t.foreign_keys:
            if fk.column.table.name == target and fk.parent.name != "id":
                out.append((t.name, fk.parent.name))
    return out


def encode(value: Any) -> Any:
    """A column value as JSON."""
    if isinstance(value, enum.Enum):
        return value.value
    if value is None or isinstance(value, bool | int | str | float):
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, dict | list):
        return value
    raise TypeError(f"cannot encode {type(value).__name__}")


def decode(col: Column[Any], value: Any) -> Any:
    """A JSON value back into the column's Python type; ValueError when it does not fit."""
    if value is None:
        if not col.nullable:
            raise ValueError(f"{col.name} cannot be empty")
        return None
    typ = col.type
    if isinstance(typ, Uuid):
        return uuid.UUID(str(value))
    if isinstance(typ, UTCDateTime):
        parsed = datetime.fromisoformat(_str(value, col))
        if parsed.tzinfo is None:
            raise ValueError(f"{col.name} needs a timezone")
        return parsed
    if isinstance(typ, SAEnum):
        if typ.enum_class is None:
            return _str(value, col)
        return typ.enum_class(_str(value, col))
    if isinstance(typ, Boolean):
        if not isinstance(value, bool):
            raise ValueError(f"{col.name} must be true or false")
        return value
    if isinstance(typ, Integer | SmallInteger):
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > 2**31 - 1:
            raise ValueError(f"{col.name} must be an integer")
        return value
    if isinstance(typ, Float):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError(f"{col.name} must be a number")
        return float(value)
    if isinstance(typ, Date):
        return date.fromisoformat(_str(value, col))
    if isinstance(typ, Time):
        return time.fromisoformat(_str(value, col))
    if isinstance(typ, String | Text):
        text = _str(value, col)
        length = getattr(typ, "length", None)
        if length is not None and len(text) > length:
            raise ValueError(f"{col.name} is longer than {length} characters")
        if "\x00" in text:
            raise ValueError(f"{col.name} contains a NUL character")
        return text
    if isinstance(typ, JSON):
        if not isinstance(value, dict | list | str | int | float | bool):
            raise ValueError(f"{col.name} must be JSON")
        return value
    raise ValueError(f"{col.name} has an unsupported type")


def _str(value: Any, col: Column[Any]) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{col.name} must be a string")
    return value


def encode_row(name: str, row: dict[str, Any]) -> dict[str, Any]:
    hidden = REDACTED.get(name, frozenset())
    return {k: (None if k in hidden else encode(v)) for k, v in row.items()}


def decode_row(name: str, data: dict[str, Any]) -> dict[str, Any]:
    cols = columns(name)
    out = {}
    for key, value in data.items():
        col = cols.get(key)
        if col is None:
            raise ValueError(f"{name} has no column {key!r}")
        out[key] = decode(col, value)
    return out
