"""SLA clocks: worked tickets on the district calendar (holds, overrides, DST, breaches), then properties."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kiosk.domain.business_hours import BusinessCalendar, add_business_time, business_time_between
from kiosk.domain.sla_clock import (
    ClockKind,
    Escalation,
    HoldInterval,
    PrioritySegment,
    SlaState,
    TicketSla,
    compute_ticket_sla,
    escalation_level,
    sla_clock_state,
    ticket_escalation,
)

CHICAGO = ZoneInfo("America/Chicago")
H = timedelta(hours=1)
M = timedelta(minutes=1)
DISTRICT = BusinessCalendar.default("America/Chicago", holidays=[date(2025, 1, 20)])
TARGETS = {
    "P1": (1 * H, 4 * H),
    "P2": (2 * H, 9 * H),
    "P3": (4 * H, 18 * H),
    "P4": (9 * H, 45 * H),
}


def local(month: int, day: int, hour: int = 0, minute: int = 0, year: int = 2025) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CHICAGO)


def wall(instant: datetime | None) -> tuple[int, int, int, int] | None:
    """An instant as Chicago wall-clock (month, day, hour, minute)."""
    if instant is None:
        return None
    t = instant.astimezone(CHICAGO)
    return (t.month, t.day, t.hour, t.minute)


def sla(
    created: datetime,
    now: datetime,
    priorities: list[tuple[str, datetime]] | str = "P3",
    holds: Sequence[tuple[datetime, datetime | None]] = (),
    first_response_at: datetime | None = None,
    resolved_at: datetime | None = None,
) -> TicketSla:
    history = [(priorities, created)] if isinstance(priorities, str) else priorities
    return compute_ticket_sla(
        DISTRICT,
        TARGETS,
        created_at=created,
        priorities=[PrioritySegment(p, t) for p, t in history],
        holds=[HoldInterval(s, e) for s, e in holds],
        first_response_at=first_response_at,
        resolved_at=resolved_at,
        now=now,
    )


# --- a ticket filed late on Friday --------------------------------------------------------------------

FRIDAY_1600 = local(1, 10, 16)  # Friday 2025-01-10


def test_a_p3_ticket_filed_friday_at_four_is_due_monday_at_eleven() -> None:
    state = sla(FRIDAY_1600, now=local(1, 13, 9, 30)).response
    assert state.priority == "P3"
    assert state.target == 4 * H
    assert wall(state.due_at) == (1, 13, 11, 0)
    assert state.due_at.tzinfo is UTC
    assert state.elapsed == 2 * H + 30 * M  # 30 min on Friday, 2 h on Monday
    assert state.remaining == 1 * H + 30 * M
    assert state.fraction_used == pytest.approx(0.625)
    assert (state.breached, state.breached_at, state.met, state.running, state.on_hold) == (
        False,
        None,
        None,
        True,
        False,
    )
    assert escalation_level(state) == "ok"


def test_the_technician_is_warned_at_three_quarters_of_the_target() -> None:
    state = sla(FRIDAY_1600, now=local(1, 13, 10)).response
    assert state.elapsed == 3 * H
    assert state.fraction_used == pytest.approx(0.75)
    assert escalation_level(state) is Escalation.WARN
    assert escalation_level(state, warn_at=0.9) is Escalation.OK


def test_no_response_by_eleven_on_monday_is_a_breach_at_eleven() -> None:
    state = sla(FRIDAY_1600, now=local(1, 13, 11, 30)).response
    assert state.breached
    assert wall(state.breached_at) == (1, 13, 11, 0)
    assert state.remaining == -30 * M
    assert state.met is None
    assert escalation_level(state) == "breached"


def test_a_response_at_ten_forty_five_meets_the_target_and_stops_the_clock() -> None:
    state = sla(FRIDAY_1600, now=local(1, 15, 12), first_response_at=local(1, 13, 10, 45)).response
    assert state.met is True
    assert not state.breached
    assert state.elapsed == 3 * H + 45 * M  # 30 min Friday, 3 h 15 min Monday
    assert wall(state.stopped_at) == (1, 13, 10, 45)
    assert not state.running
    assert escalation_level(state) == "ok"  # a met clock is never escalated


def test_a_response_exactly_at_the_due_time_is_met() -> None:
    state = sla(FRIDAY_1600, now=local(1, 14), first_response_at=local(1, 13, 11)).response
    assert state.met is True
    assert state.remaining == timedelta(0)


def test_a_late_response_is_recorded_as_not_met() -> None:
    state = sla(FRIDAY_1600, now=local(1, 14), first_response_at=local(1, 13, 12)).response
    assert state.met is False
    assert state.breached
    assert wall(state.breached_at) == (1, 13, 11, 0)
    assert escalation_level(state) == "breached"


def test_resolving_without_a_recorded_response_counts_as_the_response() -> None:
    ticket = sla(FRIDAY_1600, now=local(1, 14), resolved_at=local(1, 13, 9))
    assert ticket.response.met is True
    assert ticket.response.stopped_at == ticket.resolution.stopped_at == local(1, 13, 9)
    assert ticket.resolution.met is True
    assert ticket.response.elapsed == ticket.resolution.elapsed == 2 * H


def test_the_resolution_clock_keeps_running_after_the_first_response() -> None:
    # P3 resolution is 18 h: 30 min Friday, 9 h Monday; Monday 2025-01-20 is a holiday; 8.5 h on Tuesday.
    ticket = sla(FRIDAY_1600, now=local(1, 13, 16, 30), first_response_at=local(1, 13, 8))
    assert ticket.resolution.running
    assert ticket.resolution.elapsed == 9 * H + 30 * M
    assert wall(ticket.resolution.due_at) == (1, 14, 16, 0)


def test_the_holiday_is_skipped() -> None:
    # Friday 2025-01-17 16:00, P3 response 4 h: Monday 2025-01-20 is MLK day, so due Tuesday 11:00.
    state = sla(local(1, 17, 16), now=local(1, 20, 12)).response
    assert wall(state.due_at) == (1, 21, 11, 0)
    assert state.elapsed == 30 * M


def test_a_target_running_out_at_friday_closing_breaches_at_monday_opening() -> None:
    created = local(1, 10, 12, 30)  # 4 h P3 response runs out at 16:30
    on_saturday = sla(created, now=local(1, 11, 12)).response
    assert wall(on_saturday.due_at) == (1, 10, 16, 30)
    assert not on_saturday.breached
    assert on_saturday.remaining == timedelta(0)
    assert escalation_level(on_saturday) == "warn"
    on_monday = sla(created, now=local(1, 13, 8)).response
    assert on_monday.breached
    assert wall(on_monday.breached_at) == (1, 13, 7, 30)
    assert on_monday.remaining == -30 * M


def test_across_the_march_dst_change() -> None:
    # Friday 2025-03-07 16:00 CST; clocks go forward on Sunday; due Monday 11:00 CDT.
    state = sla(local(3, 7, 16), now=local(3, 10, 11, 30)).response
    assert wall(state.due_at) == (3, 10, 11, 0)
    assert state.due_at == datetime(2025, 3, 10, 16, 0, tzinfo=UTC)
    assert wall(state.breached_at) == (3, 10, 11, 0)
    assert state.elapsed == 4 * H + 30 * M


def test_across_the_november_dst_change() -> None:
    state = sla(local(10, 31, 16), now=local(11, 3, 10)).response
    assert wall(state.due_at) == (11, 3, 11, 0)
    assert state.elapsed == 3 * H


def test_the_summer_break_stops_the_clock() -> None:
    summer = BusinessCalendar.default(closed_ranges=[(date(2025, 6, 2), date(2025, 8, 8))])
    state = sla_clock_state(
        summer,
        TARGETS,
        "response",
        created_at=local(5, 30, 16),
        priorities=[PrioritySegment("P3", local(5, 30, 16))],
        holds=[],
        stopped_at=None,
        now=local(7, 15, 12),
    )
    assert state.elapsed == 30 * M
    assert wall(state.due_at) == (8, 11, 11, 0)
    assert not state.breached


# --- holds --------------------------------------------------------------------------------------------

TUESDAY_0900 = local(1, 14, 9)


def test_a_hold_pauses_both_clocks() -> None:
    # 1 h before the hold (Tue 10:00 to Wed 09:00, 8 business hours), then the clock resumes.
    ticket = sla(TUESDAY_0900, now=local(1, 15, 11), holds=[(local(1, 14, 10), local(1, 15, 9))])
    assert ticket.response.elapsed == ticket.resolution.elapsed == 3 * H
    assert wall(ticket.response.due_at) == (1, 15, 12, 0)  # without the hold: Tue 13:00
    # 18 h resolution: 1 h Tue, 7.5 h Wed from 09:00, 9 h Thu, 30 min Fri.
    assert wall(ticket.resolution.due_at) == (1, 17, 8, 0)
    assert not ticket.response.on_hold


def test_an_open_hold_pauses_the_clock_and_due_assumes_it_ends_now() -> None:
    state = sla(TUESDAY_0900, now=local(1, 14, 14), holds=[(local(1, 14, 10), None)]).response
    assert state.on_hold
    assert state.elapsed == 1 * H
    assert wall(state.due_at) == (1, 15, 8, 0)  # 3 h from now: 2.5 h Tuesday, 30 min Wednesday
    assert escalation_level(state) == "ok"


def test_a_held_ticket_past_its_target_is_not_breached_by_time_on_hold() -> None:
    # Response was due Tue 13:00 but the ticket went on hold at 12:00 and is still on hold on Thursday.
    state = sla(TUESDAY_0900, now=local(1, 16, 12), holds=[(local(1, 14, 12), None)]).response
    assert state.elapsed == 3 * H
    assert not state.breached
    assert state.on_hold


def test_overlapping_and_out_of_range_holds_are_merged_and_clipped() -> None:
    holds = [
        (local(1, 14, 10), local(1, 14, 12)),
        (local(1, 14, 11), local(1, 14, 13)),  # overlaps the first
        (local(1, 13, 8), local(1, 14, 9, 30)),  # starts before the ticket
        (local(1, 20), local(1, 21)),  # after now
    ]
    state = sla(TUESDAY_0900, now=local(1, 14, 14), holds=holds).response
    # Counted: 09:30-10:00 and 13:00-14:00.
    assert state.elapsed == 1 * H + 30 * M


def test_holds_after_the_response_do_not_move_the_response_clock() -> None:
    ticket = sla(
        TUESDAY_0900,
        now=local(1, 16, 12),
        first_response_at=local(1, 14, 9, 30),
        holds=[(local(1, 14, 10), local(1, 15, 10))],
    )
    assert ticket.response.elapsed == 30 * M
    assert wall(ticket.response.due_at) == (1, 14, 13, 0)
    # Tue 09:00-10:00, Wed 10:00-16:30, Thu 07:30-12:00.
    assert ticket.resolution.elapsed == 1 * H + 6 * H + 30 * M + 4 * H + 30 * M


# --- priority overrides -------------------------------------------------------------------------------

MONDAY_0800 = local(1, 13, 8)


def test_an_override_to_p1_midway_retargets_from_that_moment() -> None:
    # Reported P4 (45 h) at 08:00; raised to P1 (4 h) at 10:00 after 2 h: due when 4 h have elapsed.
    history = [("P4", MONDAY_0800), ("P1", local(1, 13, 10))]
    state = sla(MONDAY_0800, now=local(1, 13, 11), priorities=history).resolution
    assert (state.priority, state.target, state.elapsed, state.remaining) == ("P1", 4 * H, 3 * H, 1 * H)
    assert wall(state.due_at) == (1, 13, 12, 0)
    assert escalation_level(state) == "warn"
    later = sla(MONDAY_0800, now=local(1, 13, 12, 30), priorities=history).resolution
    assert wall(later.breached_at) == (1, 13, 12, 0)


def test_an_override_past_the_new_target_breaches_at_the_override() -> None:
    # P4 at 08:00, raised to P1 at 14:00 when 6 h have elapsed: already past P1's 4 h.
    history = [("P4", MONDAY_0800), ("P1", local(1, 13, 14))]
    ticket = sla(MONDAY_0800, now=local(1, 13, 15), priorities=history)
    assert ticket.resolution.breached
    assert wall(ticket.resolution.breached_at) == (1, 13, 14, 0)
    assert wall(ticket.resolution.due_at) == (1, 13, 12, 0)  # when 4 h had elapsed
    assert ticket.resolution.remaining == -3 * H
    # The response clock (P1: 1 h) also breaches at the override moment.
    assert wall(ticket.response.breached_at) == (1, 13, 14, 0)
    assert ticket_escalation(ticket) == "breached"


def test_an_override_at_the_exact_moment_the_target_runs_out_is_not_a_breach() -> None:
    # P1 response (1 h) runs out at 09:00; lowered to P4 (9 h) at 09:00: due Tue 08:00.
    history = [("P1", MONDAY_0800), ("P4", local(1, 13, 9))]
    state = sla(MONDAY_0800, now=local(1, 13, 12), priorities=history).response
    assert not state.breached
    assert state.priority == "P4"
    assert wall(state.due_at) == (1, 14, 8, 0)


def test_a_breach_is_not_erased_by_lowering_the_priority_afterwards() -> None:
    history = [("P1", MONDAY_0800), ("P4", local(1, 13, 13))]
    state = sla(MONDAY_0800, now=local(1, 13, 15), priorities=history).resolution
    assert state.priority == "P4"
    assert state.breached
    assert wall(state.breached_at) == (1, 13, 12, 0)  # P1's 4 h ran out at noon
    assert state.remaining == 45 * H - 7 * H  # measured against the target now in force
    assert escalation_level(state) == "breached"


def test_an_override_after_the_response_does_not_retarget_the_response_clock() -> None:
    history = [("P4", MONDAY_0800), ("P1", local(1, 13, 14))]
    ticket = sla(MONDAY_0800, now=local(1, 13, 15), priorities=history, first_response_at=local(1, 13, 10))
    assert ticket.response.priority == "P4"
    assert ticket.response.met is True
    assert ticket.resolution.priority == "P1"


def test_events_after_now_are_ignored() -> None:
    history = [("P4", MONDAY_0800), ("P1", local(1, 13, 14))]
    ticket = sla(
        MONDAY_0800, now=local(1, 13, 9), priorities=history, first_response_at=local(1, 13, 10), resolved_at=local(1, 14)
    )
    assert ticket.response.running and ticket.resolution.running
    assert ticket.resolution.priority == "P4"


def test_an_override_at_creation_supersedes_the_reported_priority() -> None:
    history = [("P4", MONDAY_0800), ("P2", MONDAY_0800)]
    assert sla(MONDAY_0800, now=local(1, 13, 9), priorities=history).response.target == 2 * H


def test_ticket_escalation_is_the_worse_of_the_two_clocks() -> None:
    ticket = sla(MONDAY_0800, now=local(1, 13, 11), priorities="P3")  # response 3/4 h used, resolution 3/18 h
    assert escalation_level(ticket.response) == "warn"
    assert escalation_level(ticket.resolution) == "ok"
    assert ticket_escalation(ticket) == "warn"


# --- refusals -----------------------------------------------------------------------------------------


def test_bad_history_is_refused() -> None:
    naive = datetime(2025, 1, 13, 8)
    with pytest.raises(ValueError, match="timezone-aware"):
        sla(naive, now=local(1, 13, 9))
    with pytest.raises(ValueError, match="timezone-aware"):
        sla(MONDAY_0800, now=naive)
    with pytest.raises(ValueError, match="chronological"):
        sla(MONDAY_0800, now=local(1, 13, 12), priorities=[("P4", MONDAY_0800), ("P1", local(1, 13, 11)), ("P2", local(1, 13, 9))])
    with pytest.raises(ValueError, match="unknown priority"):
        sla(MONDAY_0800, now=local(1, 13, 9), priorities="P9")
    with pytest.raises(ValueError, match="before it starts"):
        sla(MONDAY_0800, now=local(1, 13, 12), holds=[(local(1, 13, 10), local(1, 13, 9))])
    with pytest.raises(ValueError, match="before the ticket was created"):
        sla(MONDAY_0800, now=local(1, 13, 7))
    with pytest.raises(ValueError, match="before the ticket was created"):
        sla(MONDAY_0800, now=local(1, 13, 9), first_response_at=local(1, 13, 7))
    with pytest.raises(ValueError, match="at least one priority"):
        compute_ticket_sla(DISTRICT, TARGETS, created_at=MONDAY_0800, priorities=[], now=local(1, 13, 9))
    with pytest.raises(ValueError, match="positive"):
        compute_ticket_sla(
            DISTRICT,
            {"P1": (timedelta(0), H)},
            created_at=MONDAY_0800,
            priorities=[PrioritySegment("P1", MONDAY_0800)],
            now=local(1, 13, 9),
        )
    state = sla(MONDAY_0800, now=local(1, 13, 9)).response
    for bad in (0.0, 1.5):
        with pytest.raises(ValueError, match="warn_at"):
            escalation_level(state, warn_at=bad)


# --- properties ---------------------------------------------------------------------------------------

START = datetime(2025, 1, 1, tzinfo=UTC)
FAST = settings(max_examples=100, deadline=None)
offsets = st.timedeltas(timedelta(0), timedelta(days=40))
priorities = st.sampled_from(sorted(TARGETS))
kinds: st.SearchStrategy[ClockKind] = st.sampled_from(["response", "resolution"])


@st.composite
def hold_lists(draw: st.DrawFn, created: datetime) -> list[HoldInterval]:
    holds: list[HoldInterval] = []
    for _ in range(draw(st.integers(0, 3))):
        start = created + draw(offsets)
        end = None if draw(st.booleans()) and not holds else start + draw(st.timedeltas(timedelta(0), timedelta(days=5)))
        holds.append(HoldInterval(start, end))
    return holds


def clock(
    kind: ClockKind,
    created: datetime,
    now: datetime,
    history: list[PrioritySegment],
    holds: list[HoldInterval],
    stopped_at: datetime | None = None,
) -> SlaState:
    return sla_clock_state(
        DISTRICT,
        TARGETS,
        kind,
        created_at=created,
        priorities=history,
        holds=holds,
        stopped_at=stopped_at,
        now=now,
    )


RANK = {Escalation.OK: 0, Escalation.WARN: 1, Escalation.BREACHED: 2}


@FAST
@given(st.data(), kinds, priorities, offsets, offsets)
def test_holds_only_ever_push_due_later(
    data: st.DataObject, kind: ClockKind, priority: str, created_off: timedelta, age: timedelta
) -> None:
    created = START + created_off
    now = created + age
    history = [PrioritySegment(priority, created)]
    holds = data.draw(hold_lists(created))
    free = clock(kind, created, now, history, [])
    held = clock(kind, created, now, history, holds)
    assert held.due_at >= free.due_at
    assert held.elapsed <= free.elapsed
    assert not held.breached or free.breached
    if held.breached_at is not None and free.breached_at is not None:
        assert held.breached_at >= free.breached_at


@FAST
@given(st.data(), kinds, priorities, offsets, offsets)
def test_with_one_priority_breached_means_over_target(
    data: st.DataObject, kind: ClockKind, priority: str, created_off: timedelta, age: timedelta
) -> None:
    created = START + created_off
    now = created + age
    holds = data.draw(hold_lists(created))
    state = clock(kind, created, now, [PrioritySegment(priority, created)], holds)
    assert state.breached == (state.elapsed > state.target) == (state.remaining < timedelta(0))
    assert state.elapsed <= business_time_between(DISTRICT, created, now)
    if not holds:
        assert state.due_at == add_business_time(DISTRICT, created, state.target)
        assert state.elapsed == business_time_between(DISTRICT, created, now)
    if state.breached_at is not None:
        assert state.due_at <= state.breached_at <= now


@FAST
@given(st.data(), kinds, priorities, offsets, offsets)
def test_the_clock_reaches_its_target_exactly_at_due(
    data: st.DataObject, kind: ClockKind, priority: str, created_off: timedelta, age: timedelta
) -> None:
    created = START + created_off
    now = created + age
    holds = [h for h in data.draw(hold_lists(created)) if h.end is not None and h.end <= now]
    history = [PrioritySegment(priority, created)]
    state = clock(kind, created, now, history, holds)
    assume(state.due_at >= now)
    at_due = clock(kind, created, state.due_at, history, holds)
    assert at_due.elapsed == state.target
    assert not at_due.breached
    assert at_due.due_at == state.due_at


@FAST
@given(st.data(), kinds, priorities, priorities, offsets, offsets, offsets)
def test_raising_the_priority_never_makes_the_ticket_due_later(
    data: st.DataObject,
    kind: ClockKind,
    first: str,
    second: str,
    created_off: timedelta,
    override_after: timedelta,
    age: timedelta,
) -> None:
    created = START + created_off
    override_at = created + override_after
    now = override_at + age
    holds = data.draw(hold_lists(created))
    original = clock(kind, created, now, [PrioritySegment(first, created)], holds)
    overridden = clock(kind, created, now, [PrioritySegment(first, created), PrioritySegment(second, override_at)], holds)
    assert overridden.priority == second
    assert overridden.elapsed == original.elapsed
    if second == first:
        assert overridden == original
    elif second < first:  # "P1" < "P2": more urgent
        assert overridden.due_at <= original.due_at
        assert overridden.breached or not original.breached
        if overridden.breached_at is not None and original.breached_at is not None:
            assert overridden.breached_at <= original.breached_at
            assert overridden.breached_at >= min(override_at, original.breached_at)


@FAST
@given(st.data(), kinds, priorities, priorities, offsets, offsets, offsets, offsets)
def test_escalation_only_rises_and_a_breach_stays_put_as_time_passes(
    data: st.DataObject,
    kind: ClockKind,
    first: str,
    second: str,
    created_off: timedelta,
    override_after: timedelta,
    age: timedelta,
    more: timedelta,
) -> None:
    created = START + created_off
    history = [PrioritySegment(first, created), PrioritySegment(second, created + override_after)]
    holds = data.draw(hold_lists(created))
    now = created + override_after + age
    earlier = clock(kind, created, now, history, holds)
    later = clock(kind, created, now + more, history, holds)
    if earlier.breached:
        assert later.breached_at == earlier.breached_at
    if first == second:
        assert RANK[escalation_level(earlier)] <= RANK[escalation_level(later)]


@FAST
@given(st.data(), kinds, priorities, offsets, offsets, offsets)
def test_a_stopped_clock_is_frozen(
    data: st.DataObject, kind: ClockKind, priority: str, created_off: timedelta, stop_after: timedelta, more: timedelta
) -> None:
    created = START + created_off
    stop = created + stop_after
    history = [PrioritySegment(priority, created)]
    holds = data.draw(hold_lists(created))
    at_stop = clock(kind, created, stop, history, holds, stopped_at=stop)
    later = clock(kind, created, stop + more, history, holds, stopped_at=stop)
    assert later == at_stop
    assert later.met is (later.elapsed <= later.target)


@FAST
@given(st.data(), kinds, priorities, priorities, offsets, offsets, offsets)
def test_breached_at_is_the_last_instant_within_target(
    data: st.DataObject,
    kind: ClockKind,
    first: str,
    second: str,
    created_off: timedelta,
    override_after: timedelta,
    age: timedelta,
) -> None:
    created = START + created_off
    history = [PrioritySegment(first, created), PrioritySegment(second, created + override_after)]
    holds = data.draw(hold_lists(created))
    state = clock(kind, created, created + override_after + age, history, holds)
    assume(state.breached_at is not None)
    assert state.breached_at is not None
    assert not clock(kind, created, state.breached_at, history, holds).breached
    just_after = clock(kind, created, state.breached_at + timedelta(microseconds=1), history, holds)
    assert just_after.breached_at == state.breached_at
