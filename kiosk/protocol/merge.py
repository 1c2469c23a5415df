"""The merge rules, pure: last-writer-wins per field by hybrid logical clock, and ticket status from events."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.domain.models import TicketEventKind, TicketStatus


@dataclass(frozen=True)
class FieldWrite:
    """One write of one field: the value, its clock stamp, and the value the writer saw before."""

    value: Any
    hlc: str
    seen: Any = None


@dataclass(frozen=True)
class Outcome:
    """What a field holds after a write arrives, and the value that lost (if the write raced another)."""

    value: Any
    hlc: str
    lost: FieldWrite | None


def lww(current_value: Any, current_hlc: str | None, write: FieldWrite) -> Outcome:
    """Apply ``write`` to a field holding ``current_value`` written at ``current_hlc`` (None: never written).

    The higher stamp wins (stamps end in the node id, so there are no ties between nodes). A write that loses is
    the lost value; a write that wins over a value its writer never saw keeps the overwritten value as lost.
    """
    if current_hlc is not None and write.hlc <= current_hlc:
        if write.hlc == current_hlc:
            return Outcome(current_value, current_hlc, None)  # the same write again
        return Outcome(current_value, current_hlc, write if write.value != current_value else None)
    lost = None
    if current_hlc is not None and write.seen != current_value and write.value != current_value:
        lost = FieldWrite(current_value, current_hlc)
    return Outcome(write.value, write.hlc, lost)


@dataclass(frozen=True)
class EventFact:
    """The parts of a ticket event that decide the ticket's status."""

    at: datetime
    id: uuid.UUID
    kind: TicketEventKind
    new_value: str | None


def derive_status(events: Iterable[EventFact]) -> TicketStatus:
    """A ticket's status folded from its events in (time, id) order, so the order of arrival never matters."""
    status = TicketStatus.NEW
    for ev in sorted(events, key=lambda e: (e.at, e.id)):
        if ev.kind is TicketEventKind.STATUS and ev.new_value:
            try:
                status = TicketStatus(ev.new_value)
            except ValueError:
                continue
        elif ev.kind is TicketEventKind.ASSIGNMENT and ev.new_value and status in (TicketStatus.NEW,
                                                                                  TicketStatus.REOPENED):
            status = TicketStatus.ASSIGNED
    return status
