"""Business-hours arithmetic: worked examples on the district calendar, then properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.business_hours import (
    BusinessCalendar,
    add_business_time,
    business_time_between,
    business_window,
    is_open,
    next_open,
)

CHICAGO = ZoneInfo("America/Chicago")
H = timedelta(hours=1)
DISTRICT = BusinessCalendar.default("America/Chicago")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Chicago wall-clock time (fold=0)."""
    return datetime(year, month, day, hour, minute, tzinfo=CHICAGO)


def wall(instant: datetime) -> tuple[int, int, int, int, int]:
    """An instant as Chicago wall-clock (year, month, day, hour, minute)."""
    t = instant.astimezone(CHICAGO)
    return (t.year, t.month, t.day, t.hour, t.minute)


# --- the calendar -------------------------------------------------------------------------------------


def test_default_calendar_is_monday_to_friday_0730_to_1630() -> None:
    assert dict(DISTRICT.hours) == {d: (time(7, 30), time(16, 30)) for d in range(5)}
    assert DISTRICT.holidays == frozenset()
    assert DISTRICT.closed_ranges == ()
    assert BusinessCalendar.default() == BusinessCalendar("America/Chicago")


def test_calendar_is_immutable_and_hashable_even_if_built_from_a_dict() -> None:
    hours = {0: (time(8), time(12))}
    cal = BusinessCalendar("America/Chicago", hours=hours)
    hours[1] = (time(8), time(12))
    assert 1 not in cal.hours
    assert hash(cal) == hash(BusinessCalendar("America/Chicago", hours={0: (time(8), time(12))}))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"tz": "Mars/Olympus_Mons"},
        {"tz": "America/Chicago", "hours": {7: (time(8), time(9))}},
        {"tz": "America/Chicago", "hours": {0: (time(9), time(8))}},
        {"tz": "America/Chicago", "hours": {0: (time(9), time(9))}},
        {"tz": "America/Chicago", "hours": {0: (time(8, tzinfo=UTC), time(9))}},
        {"tz": "America/Chicago", "closed_ranges": ((date(2025, 8, 1), date(2025, 6, 1)),)},
    ],
)
def test_a_malformed_calendar_is_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        BusinessCalendar(**kwargs)  # type: ignore[arg-type]


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2025, 3, 7, 16, 0)
    aware = local(2025, 3, 7, 16)
    with pytest.raises(ValueError, match="timezone-aware"):
        add_business_time(DISTRICT, naive, H)
    with pytest.raises(ValueError, match="timezone-aware"):
        business_time_between(DISTRICT, aware, naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        business_time_between(DISTRICT, naive, aware)
    with pytest.raises(ValueError, match="timezone-aware"):
        is_open(DISTRICT, naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        next_open(DISTRICT, naive)


def test_negative_amounts_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_business_time(DISTRICT, local(2025, 3, 7, 16), -H)


def test_a_calendar_never_open_cannot_add_time() -> None:
    never = BusinessCalendar("America/Chicago", hours={})
    with pytest.raises(ValueError, match="no opening hours"):
        add_business_time(never, local(2025, 3, 7, 16), H)


# --- hand-computed examples ---------------------------------------------------------------------------


def test_friday_afternoon_ticket_with_four_hours_is_due_monday_morning() -> None:
    # Friday 2025-01-10 16:00: 30 min until closing, then 3 h 30 min from Monday 07:30 -> Monday 11:00.
    due = add_business_time(DISTRICT, local(2025, 1, 10, 16), 4 * H)
    assert wall(due) == (2025, 1, 13, 11, 0)
    assert due.tzinfo is UTC
    # An hour earlier on Friday leaves 3 h for Monday: due 10:30.
    assert wall(add_business_time(DISTRICT, local(2025, 1, 10, 15, 30), 4 * H)) == (2025, 1, 13, 10, 30)


def test_a_ticket_filed_on_saturday_starts_its_clock_on_monday_opening() -> None:
    assert wall(add_business_time(DISTRICT, local(2025, 1, 11, 10), 2 * H)) == (2025, 1, 13, 9, 30)
    assert wall(next_open(DISTRICT, local(2025, 1, 11, 10))) == (2025, 1, 13, 7, 30)
    assert business_time_between(DISTRICT, local(2025, 1, 11, 10), local(2025, 1, 13, 9, 30)) == 2 * H


def test_a_target_running_out_at_closing_is_due_at_closing_not_next_morning() -> None:
    due = add_business_time(DISTRICT, local(2025, 1, 10, 16), timedelta(minutes=30))
    assert wall(due) == (2025, 1, 10, 16, 30)


def test_a_zero_amount_is_due_immediately_even_when_closed() -> None:
    saturday = local(2025, 1, 11, 10)
    assert add_business_time(DISTRICT, saturday, timedelta(0)) == saturday


def test_a_holiday_monday_pushes_the_due_time_to_tuesday() -> None:
    mlk = BusinessCalendar.default(holidays=[date(2025, 1, 20)])
    due = add_business_time(mlk, local(2025, 1, 17, 16), 4 * H)
    assert wall(due) == (2025, 1, 21, 11, 0)
    assert business_time_between(mlk, local(2025, 1, 17, 16), due) == 4 * H
    assert business_time_between(mlk, local(2025, 1, 20, 0), local(2025, 1, 21, 0)) == timedelta(0)
    assert not is_open(mlk, local(2025, 1, 20, 10))


def test_across_the_march_dst_change_hours_stay_on_the_local_clock() -> None:
    # Clocks go forward on Sunday 2025-03-09: Friday is UTC-6, Monday UTC-5.
    created = local(2025, 3, 7, 16)
    due = add_business_time(DISTRICT, created, 4 * H)
    assert wall(due) == (2025, 3, 10, 11, 0)
    assert due == datetime(2025, 3, 10, 16, 0, tzinfo=UTC)  # not 17:00 UTC
    assert business_time_between(DISTRICT, created, due) == 4 * H
    # Friday 16:00 to Monday 11:00 is 67 hours on the wall clock but only 66 real hours.
    assert due - created == 66 * H


def test_across_the_november_dst_change_hours_stay_on_the_local_clock() -> None:
    # Clocks go back on Sunday 2025-11-02: Friday is UTC-5, Monday UTC-6.
    created = local(2025, 10, 31, 16)
    due = add_business_time(DISTRICT, created, 4 * H)
    assert wall(due) == (2025, 11, 3, 11, 0)
    assert due == datetime(2025, 11, 3, 17, 0, tzinfo=UTC)
    assert business_time_between(DISTRICT, created, due) == 4 * H


def test_an_open_period_spanning_a_dst_change_counts_real_elapsed_time() -> None:
    # A Sunday shift 01:00-04:00 local: on 2025-03-09 only 2 real hours pass, on 2025-11-02 four.
    sundays = BusinessCalendar("America/Chicago", hours={6: (time(1), time(4))})
    assert business_time_between(sundays, local(2025, 3, 9), local(2025, 3, 10)) == 2 * H
    assert business_time_between(sundays, local(2025, 3, 16), local(2025, 3, 17)) == 3 * H
    assert business_time_between(sundays, local(2025, 11, 2), local(2025, 11, 3)) == 4 * H
    assert wall(add_business_time(sundays, local(2025, 3, 9), 90 * timedelta(minutes=1))) == (2025, 3, 9, 3, 30)


def test_an_opening_time_inside_the_spring_gap_is_read_as_after_the_gap() -> None:
    # 02:30 does not exist on 2025-03-09; with fold=0 it reads as 02:30 CST = 03:30 CDT.
    gap = BusinessCalendar("America/Chicago", hours={6: (time(2, 30), time(5))})
    window = business_window(gap, date(2025, 3, 9))
    assert window is not None
    assert [wall(t) for t in window] == [(2025, 3, 9, 3, 30), (2025, 3, 9, 5, 0)]
    # A window that lies wholly inside the gap is empty that day: the day counts as closed.
    swallowed = BusinessCalendar("America/Chicago", hours={6: (time(2, 30), time(3))})
    assert business_window(swallowed, date(2025, 3, 9)) is None
    assert business_window(swallowed, date(2025, 3, 16)) is not None


def test_a_summer_closed_range_stops_the_clock_until_the_fall() -> None:
    summer = BusinessCalendar.default(closed_ranges=[(date(2025, 6, 2), date(2025, 8, 8))])
    # Friday 2025-05-30 16:00 -> 30 min that day, then nothing until Monday 2025-08-11.
    due = add_business_time(summer, local(2025, 5, 30, 16), 4 * H)
    assert wall(due) == (2025, 8, 11, 11, 0)
    assert business_time_between(summer, local(2025, 6, 2), local(2025, 8, 9)) == timedelta(0)
    # Both ends of the range are closed; the days just outside are open.
    assert not is_open(summer, local(2025, 6, 2, 10))
    assert not is_open(summer, local(2025, 8, 8, 10))
    assert is_open(summer, local(2025, 5, 30, 10))
    assert is_open(summer, local(2025, 8, 11, 10))


def test_a_whole_year_of_business_time() -> None:
    # 2025 has 261 weekdays of 9 hours each.
    assert business_time_between(DISTRICT, local(2025, 1, 1), local(2026, 1, 1)) == 261 * 9 * H
    with_holidays = BusinessCalendar.default(holidays=[date(2025, 1, 1), date(2025, 7, 4), date(2025, 7, 5)])
    # 2025-07-05 is a Saturday: listing it as a holiday changes nothing.
    assert business_time_between(with_holidays, local(2025, 1, 1), local(2026, 1, 1)) == 259 * 9 * H


def test_is_open_includes_opening_and_excludes_closing() -> None:
    assert not is_open(DISTRICT, local(2025, 1, 13, 7, 29))
    assert is_open(DISTRICT, local(2025, 1, 13, 7, 30))
    assert is_open(DISTRICT, local(2025, 1, 13, 16, 29))
    assert not is_open(DISTRICT, local(2025, 1, 13, 16, 30))
    assert next_open(DISTRICT, local(2025, 1, 13, 16, 30)) == local(2025, 1, 14, 7, 30)
    assert next_open(DISTRICT, local(2025, 1, 13, 9)) == local(2025, 1, 13, 9)


def test_results_are_utc_whatever_zone_the_input_uses() -> None:
    in_tokyo = local(2025, 1, 10, 16).astimezone(ZoneInfo("Asia/Tokyo"))
    due = add_business_time(DISTRICT, in_tokyo, 4 * H)
    assert due.tzinfo is UTC
    assert wall(due) == (2025, 1, 13, 11, 0)


def test_business_time_between_is_zero_when_end_is_not_after_start() -> None:
    t = local(2025, 1, 13, 9)
    assert business_time_between(DISTRICT, t, t) == timedelta(0)
    assert business_time_between(DISTRICT, t + H, t) == timedelta(0)


def test_a_long_span_is_cheap() -> None:
    import time as clock

    start = local(2025, 1, 1)
    begun = clock.perf_counter()
    for _ in range(20):
        business_time_between(DISTRICT, start, local(2026, 1, 1))
        add_business_time(DISTRICT, start, 2000 * H)
    assert (clock.perf_counter() - begun) / 40 < 0.01


# --- properties ---------------------------------------------------------------------------------------

ZONES = ["America/Chicago", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
YEAR_START = datetime(2024, 1, 1)
YEAR_END = datetime(2027, 1, 1)


@st.composite
def hours_strategy(draw: st.DrawFn) -> dict[int, tuple[time, time]]:
    days = draw(st.sets(st.integers(0, 6), min_size=1))
    hours = {}
    for day in days:
        # At least an hour a day, so that a few hundred business hours stay within a few years.
        opening = draw(st.integers(0, 22 * 60))
        closing = draw(st.integers(opening + 60, 24 * 60 - 1))
        hours[day] = (time(*divmod(opening, 60)), time(*divmod(closing, 60)))
    return hours


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    tz = draw(st.sampled_from(ZONES))
    hours = draw(st.one_of(st.just({d: (time(7, 30), time(16, 30)) for d in range(5)}), hours_strategy()))
    holidays = draw(st.frozensets(st.dates(YEAR_START.date(), YEAR_END.date()), max_size=20))
    ranges = []
    for first in draw(st.lists(st.dates(YEAR_START.date(), YEAR_END.date()), max_size=2)):
        ranges.append((first, first + timedelta(days=draw(st.integers(0, 80)))))
    return BusinessCalendar(tz, hours=hours, holidays=holidays, closed_ranges=tuple(ranges))


instants = st.datetimes(YEAR_START, YEAR_END, timezones=st.sampled_from([UTC, CHICAGO]))
amounts = st.one_of(st.timedeltas(timedelta(0), timedelta(hours=12)), st.timedeltas(timedelta(0), timedelta(hours=300)))
FAST = settings(max_examples=100, deadline=None)


@FAST
@given(calendars(), instants, amounts)
def test_between_undoes_add(cal: BusinessCalendar, start: datetime, amount: timedelta) -> None:
    due = add_business_time(cal, start, amount)
    assert due >= start
    assert business_time_between(cal, start, due) == amount
    # ... and `add` gives the earliest such instant: a microsecond earlier is not enough.
    if amount:
        assert business_time_between(cal, start, due - timedelta(microseconds=1)) < amount


@FAST
@given(calendars(), instants, amounts, amounts)
def test_add_is_additive(cal: BusinessCalendar, start: datetime, a: timedelta, b: timedelta) -> None:
    assert add_business_time(cal, add_business_time(cal, start, a), b) == add_business_time(cal, start, a + b)


@FAST
@given(calendars(), instants, amounts, amounts)
def test_add_is_monotonic_in_the_amount(cal: BusinessCalendar, start: datetime, a: timedelta, b: timedelta) -> None:
    small, large = sorted((a, b))
    assert add_business_time(cal, start, small) <= add_business_time(cal, start, large)


@FAST
@given(calendars(), instants, instants, amounts)
def test_add_is_monotonic_in_the_start(cal: BusinessCalendar, s1: datetime, s2: datetime, amount: timedelta) -> None:
    early, late = sorted((s1, s2))
    assert add_business_time(cal, early, amount) <= add_business_time(cal, late, amount)


@FAST
@given(calendars(), instants, instants, instants)
def test_between_is_additive_and_bounded_by_wall_time(
    cal: BusinessCalendar, t1: datetime, t2: datetime, t3: datetime
) -> None:
    a, b, c = sorted((t1, t2, t3))
    ab, bc, ac = (business_time_between(cal, x, y) for x, y in ((a, b), (b, c), (a, c)))
    assert ab + bc == ac
    assert timedelta(0) <= ac <= c - a
    assert business_time_between(cal, c, a) == timedelta(0)


@FAST
@given(calendars(), st.dates(YEAR_START.date(), YEAR_END.date()))
def test_no_business_time_on_closed_days(cal: BusinessCalendar, day: date) -> None:
    zone = ZoneInfo(cal.tz)
    day_start = datetime.combine(day, time(0), tzinfo=zone)
    day_end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    spent = business_time_between(cal, day_start, day_end)
    if not cal.is_business_day(day):
        assert spent == timedelta(0)
        assert not is_open(cal, datetime.combine(day, time(12), tzinfo=zone))
    else:
        window = business_window(cal, day)
        assert spent == (timedelta(0) if window is None else window[1] - window[0])


@FAST
@given(calendars(), instants)
def test_next_open_is_open_and_nothing_is_open_before_it(cal: BusinessCalendar, at: datetime) -> None:
    opening = next_open(cal, at)
    assert opening >= at
    assert is_open(cal, opening)
    assert business_time_between(cal, at, opening) == timedelta(0)
    assert is_open(cal, at) == (opening == at)
