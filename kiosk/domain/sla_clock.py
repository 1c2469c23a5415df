"""SLA clocks: a ticket's first-response and resolution state, computed purely from its history.

Everything here is a pure function of its arguments (no database, no wall clock: ``now`` is passed in).
Times are business time on a :class:`~kiosk.domain.business_hours.BusinessCalendar`.

Rules
-----
* **Clock.** Each clock (first response, resolution) starts when the ticket is created and counts
  business time. It stops at its stop event: the first response for the response clock (a resolution
  with no recorded response counts as the first response), the resolution for the resolution clock.
  Until then it runs up to ``now``. The state is "as of ``now``": events later than ``now`` are ignored.
* **Holds.** While a ticket is on hold (waiting on the customer) both clocks pause. Holds may overlap;
  they are merged. An open hold (``end is None``) lasts until the clock's end. Holds after a clock
  has stopped do not affect it.
* **Priority override.** The priority history is a chronological list of segments: the reporter's
  priority at creation, then any technician overrides. Both values are kept in the input. An override
  *re-targets the clock from that moment*: business time already elapsed (excluding holds) still counts,
  and from the override on the new priority's target applies. So ``due_at`` is the instant at which the
  total elapsed business time reaches the new target; if it has already passed that target at the
  override moment, the clock is breached at the override moment (``breached_at`` is the override).
  The target in force is the one of the last segment that started no later than the clock's end.
  The first segment applies from ``created_at`` whatever its own ``effective_from``; a segment starting
  at the same instant as the previous one supersedes it.
* **Breach.** A clock is breached once the elapsed business time exceeds the target in force
  (``elapsed > target``; meeting a 4-hour target in exactly 4 hours is met). ``breached_at`` is the
  instant from which it exceeds it: ``due_at`` itself when the clock is running at that instant, else the
  moment the clock next runs (a target that runs out at Friday closing breaches at Monday opening, not
  on Saturday). A breach is a recorded fact: a later override to a longer target does not clear it, so
  ``breached`` stays true and ``breached_at`` keeps the first breach, even though ``remaining`` (which
  always describes the current target) may become positive again.
* **Projection.** ``due_at`` assumes no further holds after the clock's end; an open hold is assumed to
  end at ``now``. For a stopped clock it is the deadline the clock was held to.
* **Met.** ``met`` is None while the clock runs, then ``not breached``.
* **Errors.** Naive datetimes, an empty or unsorted priority history, a priority without targets,
  a non-positive target, a hold ending before it starts, and ``now`` or a stop event before the ticket
  was created raise ValueError. Inputs may be in any time zone; every instant returned is UTC.
* **Escalation.** :func:`escalation_level`: "breached" if breached; else "warn" when the running clock
  has used at least ``warn_at`` (default 75%) of its target; else "ok". A clock that was met is "ok".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal

from kiosk.domain.business_hours import (
    BusinessCalendar,
    add_business_time,
    business_time_between,
    next_open,
    require_aware,
)

__all__ = [
    "DEFAULT_WARN_AT",
    "PRIORITIES",
    "ClockKind",
    "Escalation",
    "HoldInterval",
    "PrioritySegment",
    "SlaState",
    "SlaTargets",
    "TicketSla",
    "compute_ticket_sla",
    "escalation_level",
    "sla_clock_state",
    "ticket_escalation",
    "validate_targets",
]

PRIORITIES: tuple[str, ...] = ("P1", "P2", "P3", "P4")
DEFAULT_WARN_AT = 0.75

ClockKind = Literal["response", "resolution"]
SlaTargets = Mapping[str, tuple[timedelta, timedelta]]
"""Priority -> (first-response target, resolution target), both in business time."""

_ZERO = timedelta(0)


@dataclass(frozen=True)
class PrioritySegment:
    """``priority`` is in force from ``effective_from`` until the next segment."""

    priority: str
    effective_from: datetime


@dataclass(frozen=True)
class HoldInterval:
    """A period on hold, waiting on the customer; ``end`` is None while the hold is still open."""

    start: datetime
    end: datetime | None = None


class Escalation(StrEnum):
    """How urgently a clock needs attention; compares equal to its plain string value."""

    OK = "ok"
    WARN = "warn"
    BREACHED = "breached"


@dataclass(frozen=True)
class SlaState:
    """One SLA clock of one ticket, as of a given ``now``. All instants are aware UTC datetimes."""

    kind: ClockKind
    priority: str  # the priority whose target is in force
    target: timedelta
    elapsed: timedelta  # business time, excluding holds
    remaining: timedelta  # target - elapsed; negative once over target
    due_at: datetime  # when elapsed reaches target (assuming no further holds)
    breached: bool
    breached_at: datetime | None
    met: bool | None  # None while running
    stopped_at: datetime | None  # the response / resolution that stopped the clock
    on_hold: bool  # running and paused by an open hold at ``now``

    @property
    def running(self) -> bool:
        """True until the stop event (first response / resolution) has happened."""
        return self.stopped_at is None

    @property
    def fraction_used(self) -> float:
        """Elapsed business time as a fraction of the target (1.0 = due now; above 1 = breached)."""
        return self.elapsed / self.target


@dataclass(frozen=True)
class TicketSla:
    """Both SLA clocks of a ticket."""

    response: SlaState
    resolution: SlaState


def validate_targets(targets: SlaTargets) -> None:
    """Raise ValueError unless every target given is positive (a priority may be missing: P1..P4 are usual).

    A ticket whose priority history names a priority without targets is refused by the clock functions.
    """
    for priority, (response, resolution) in targets.items():
        if response <= _ZERO or resolution <= _ZERO:
            raise ValueError(f"SLA targets for {priority} must be positive, got {response}, {resolution}")


class _PausedClock:
    """Business time on a calendar minus a set of disjoint, sorted hold intervals (UTC)."""

    def __init__(self, cal: BusinessCalendar, holds: Sequence[tuple[datetime, datetime]]) -> None:
        self.cal = cal
        self.holds = holds

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        total = business_time_between(self.cal, start, end)
        for hold_start, hold_end in self.holds:
            if hold_start >= end:
                break
            total -= business_time_between(self.cal, max(start, hold_start), min(end, hold_end))
        return total

    def add(self, start: datetime, amount: timedelta) -> datetime:
        """Earliest instant at which ``amount`` of un-held business time has elapsed since ``start``."""
        current = start
        remaining = amount
        if remaining <= _ZERO:
            return current
        for hold_start, hold_end in self.holds:
            if hold_end <= current:
                continue
            if hold_start > current:
                gap = business_time_between(self.cal, current, hold_start)
                if remaining <= gap:
                    return add_business_time(self.cal, current, remaining)
                remaining -= gap
            current = max(current, hold_end)
        return add_business_time(self.cal, current, remaining)

    def resume(self, at: datetime) -> datetime:
        """Earliest instant at or after ``at`` when the clock runs (open and not on hold)."""
        current = next_open(self.cal, at)
        for hold_start, hold_end in self.holds:
            if hold_end <= current:
                continue
            if hold_start > current:
                break
            current = next_open(self.cal, hold_end)
        return current


def _merged_holds(
    holds: Iterable[HoldInterval], start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """Holds clipped to [start, end] and merged into disjoint, sorted UTC intervals."""
    clipped: list[tuple[datetime, datetime]] = []
    for hold in holds:
        hold_start = require_aware(hold.start, "hold start")
        hold_end = max(end, hold_start) if hold.end is None else require_aware(hold.end, "hold end")
        if hold_end < hold_start:
            raise ValueError(f"hold ends before it starts: {hold}")
        hold_start, hold_end = max(hold_start, start), min(hold_end, end)
        if hold_end > hold_start:
            clipped.append((hold_start, hold_end))
    clipped.sort()
    merged: list[tuple[datetime, datetime]] = []
    for hold_start, hold_end in clipped:
        if merged and hold_start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hold_end))
        else:
            merged.append((hold_start, hold_end))
    return merged


def _segments(
    priorities: Sequence[PrioritySegment], targets: SlaTargets, created: datetime, end: datetime
) -> list[tuple[str, datetime]]:
    """Priority segments in force during [created, end] as (priority, UTC start).

    The first segment is the priority the ticket was created with and runs from ``created``. A segment
    starting at the same instant as the previous one supersedes it; segments after ``end`` are ignored.
    """
    if not priorities:
        raise ValueError("a ticket needs at least one priority segment (its priority at creation)")
    for segment in priorities:
        if segment.priority not in targets:
            raise ValueError(f"unknown priority {segment.priority!r}")
    segments = [(priorities[0].priority, created)]
    previous = require_aware(priorities[0].effective_from, "priority effective_from")
    for segment in priorities[1:]:
        effective = require_aware(segment.effective_from, "priority effective_from")
        if effective < previous:
            raise ValueError("priority segments must be in chronological order")
        previous = effective
        if effective > end:
            break
        start = max(effective, created)
        if start == segments[-1][1]:
            segments[-1] = (segment.priority, start)
        else:
            segments.append((segment.priority, start))
    return segments


def sla_clock_state(
    cal: BusinessCalendar,
    targets: SlaTargets,
    kind: ClockKind,
    *,
    created_at: datetime,
    priorities: Sequence[PrioritySegment],
    holds: Iterable[HoldInterval],
    stopped_at: datetime | None,
    now: datetime,
) -> SlaState:
    """The state of one clock (``kind``) as of ``now``; see the module docstring for the rules."""
    validate_targets(targets)
    created = require_aware(created_at, "created_at")
    current = require_aware(now, "now")
    if current < created:
        raise ValueError(f"now ({current}) is before the ticket was created ({created})")
    stop = None if stopped_at is None else require_aware(stopped_at, "stopped_at")
    if stop is not None and stop < created:
        raise ValueError(f"stop event ({stop}) is before the ticket was created ({created})")
    if stop is not None and stop > current:
        stop = None  # not yet happened as of now
    end = current if stop is None else stop

    target_index = 0 if kind == "response" else 1
    segments = _segments(priorities, targets, created, end)
    hold_list = list(holds)
    merged = _merged_holds(hold_list, created, end)
    clock = _PausedClock(cal, merged)

    breached_at: datetime | None = None
    for index, (priority, segment_start) in enumerate(segments):
        segment_end = segments[index + 1][1] if index + 1 < len(segments) else end
        target = targets[priority][target_index]
        if clock.elapsed(created, segment_start) > target:
            candidate = segment_start
        else:
            candidate = clock.resume(max(segment_start, clock.add(created, target)))
        if candidate < segment_end:
            breached_at = candidate
            break

    priority = segments[-1][0]
    target = targets[priority][target_index]
    elapsed = clock.elapsed(created, end)
    on_hold = stop is None and any(
        require_aware(hold.start) <= current and (hold.end is None or require_aware(hold.end) > current)
        for hold in hold_list
    )
    breached = breached_at is not None
    return SlaState(
        kind=kind,
        priority=priority,
        target=target,
        elapsed=elapsed,
        remaining=target - elapsed,
        due_at=clock.add(created, target),
        breached=breached,
        breached_at=breached_at,
        met=None if stop is None else not breached,
        stopped_at=stop,
        on_hold=on_hold,
    )


def compute_ticket_sla(
    cal: BusinessCalendar,
    targets: SlaTargets,
    *,
    created_at: datetime,
    priorities: Sequence[PrioritySegment],
    holds: Sequence[HoldInterval] = (),
    first_response_at: datetime | None = None,
    resolved_at: datetime | None = None,
    now: datetime,
) -> TicketSla:
    """Both SLA clocks of a ticket as of ``now``.

    A resolution without a recorded first response counts as the first response.
    """
    response_stop = first_response_at
    if resolved_at is not None and (
        response_stop is None or require_aware(resolved_at, "resolved_at") < require_aware(response_stop)
    ):
        response_stop = resolved_at
    response = sla_clock_state(
        cal,
        targets,
        "response",
        created_at=created_at,
        priorities=priorities,
        holds=holds,
        stopped_at=response_stop,
        now=now,
    )
    resolution = sla_clock_state(
        cal,
        targets,
        "resolution",
        created_at=created_at,
        priorities=priorities,
        holds=holds,
        stopped_at=resolved_at,
        now=now,
    )
    return TicketSla(response=response, resolution=resolution)


def escalation_level(state: SlaState, warn_at: float = DEFAULT_WARN_AT) -> Escalation:
    """Escalation of one clock: breached; warn if running with ``warn_at`` of the target used; else ok."""
    if not 0.0 < warn_at <= 1.0:
        raise ValueError(f"warn_at must be in (0, 1], got {warn_at}")
    if state.breached:
        return Escalation.BREACHED
    if state.running and state.fraction_used >= warn_at:
        return Escalation.WARN
    return Escalation.OK


def ticket_escalation(sla: TicketSla, warn_at: float = DEFAULT_WARN_AT) -> Escalation:
    """The more urgent of the two clocks' escalation levels."""
    order = (Escalation.OK, Escalation.WARN, Escalation.BREACHED)
    levels = (escalation_level(sla.response, warn_at), escalation_level(sla.resolution, warn_at))
    return max(levels, key=order.index)
