"""Property tests of the pure merge rules: per-field last-writer-wins and ticket status from events."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.models import TicketEventKind, TicketStatus
from kiosk.protocol import hlc
from kiosk.protocol.merge import EventFact, FieldWrite, derive_status, lww

nodes = st.sampled_from(["a" * 32, "b" * 32, "c" * 32])
stamps = st.builds(lambda ms, c, n: str(hlc.Stamp(ms, c, n)), st.integers(1, 50), st.integers(0, 3), nodes)
writes = st.lists(st.builds(FieldWrite, st.sampled_from(["x", "y", "z", None]), stamps,
                            st.sampled_from(["x", "y", "z", None])), min_size=1, max_size=8,
                  unique_by=lambda w: w.hlc)


def _apply_all(order: list[FieldWrite]) -> tuple[object, str | None, list[FieldWrite]]:
    value: object = "initial"
    stamp: str | None = None
    lost = []
    for w in order:
        out = lww(value, stamp, w)
        value, stamp = out.value, out.hlc
        if out.lost:
            lost.append(out.lost)
    return value, stamp, lost


@settings(max_examples=300, deadline=None)
@given(writes, st.randoms(use_true_random=False))
def test_every_arrival_order_ends_with_the_highest_stamp(ws: list[FieldWrite], rnd: object) -> None:
    order = list(ws)
    rnd.shuffle(order)  # type: ignore[attr-defined]
    value, stamp, lost = _apply_all(order)
    winner = max(ws, key=lambda w: w.hlc)
    assert (value, stamp) == (winner.value, winner.hlc)
    # a write that arrives after a higher one, with a different value, never disappears silently: it is logged
    for i, w in enumerate(order):
        current, _stamp, _ = _apply_all(order[:i])
        if any(o.hlc > w.hlc for o in order[:i]) and w.value != current:
            assert any(lw.hlc == w.hlc and lw.value == w.value for lw in lost)


@settings(max_examples=200, deadline=None)
@given(writes)
def test_applying_the_same_write_twice_changes_nothing(ws: list[FieldWrite]) -> None:
    value, stamp, _ = _apply_all(ws)
    again = lww(value, stamp, max(ws, key=lambda w: w.hlc))
    assert (again.value, again.hlc, again.lost) == (value, stamp, None)


def test_the_clock_moves_forward_and_past_what_it_receives() -> None:
    a = hlc.tick(None, "a" * 32, now_ms=1000)
    b = hlc.tick(a, "a" * 32, now_ms=900)  # the wall clock stepped back
    assert b > a
    remote = str(hlc.Stamp(5000, 7, "b" * 32))
    c = hlc.receive(b, remote, "a" * 32, now_ms=1000)
    assert c > remote and hlc.tick(c, "a" * 32, now_ms=1000) > c


kinds = st.sampled_from([TicketEventKind.STATUS, TicketEventKind.ASSIGNMENT, TicketEventKind.NOTE])
statuses = st.sampled_from([s.value for s in TicketStatus] + [None])
events = st.lists(st.builds(EventFact, st.integers(0, 20).map(lambda m: datetime(2026, 9, 14, tzinfo=UTC)
                                                                   + timedelta(minutes=m)),
                            st.uuids(version=4), kinds, statuses), max_size=10)


@settings(max_examples=300, deadline=None)
@given(events, st.randoms(use_true_random=False))
def test_ticket_status_does_not_depend_on_the_order_events_arrive(evs: list[EventFact], rnd: object) -> None:
    shuffled = list(evs)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert derive_status(shuffled) == derive_status(evs)


def test_two_status_changes_made_in_two_places_are_ordered_not_lost() -> None:
    t0 = datetime(2026, 9, 14, 15, tzinfo=UTC)
    hold = EventFact(t0 + timedelta(minutes=1), uuid.uuid4(), TicketEventKind.STATUS, "on_hold")
    resolve = EventFact(t0 + timedelta(minutes=2), uuid.uuid4(), TicketEventKind.STATUS, "resolved")
    assert derive_status([resolve, hold]) == TicketStatus.RESOLVED
    assert derive_status([hold]) == TicketStatus.ON_HOLD
