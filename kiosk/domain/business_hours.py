"""Business-hours arithmetic on a district calendar: opening hours, holidays, closed ranges, DST-safe."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "DEFAULT_CLOSING",
    "DEFAULT_OPENING",
    "BusinessCalendar",
    "add_business_time",
    "business_time_between",
    "business_window",
    "is_open",
    "next_open",
    "require_aware",
]

DEFAULT_OPENING = time(7, 30)
DEFAULT_CLOSING = time(16, 30)

_ONE_DAY = timedelta(days=1)
_ZERO = timedelta(0)
_WINDOW_CACHE_LIMIT = 20_000  # about 55 years of days per calendar

# Semantics shared by every function here:
#
# * Opening hours are local wall-clock times in ``BusinessCalendar.tz``. Each open day contributes one
#   half-open UTC window [opening, closing). Local wall times are resolved with PEP 495 ``fold=0``: an
#   ambiguous time (the repeated hour in autumn) is its first occurrence, and a time that does not exist
#   (the skipped hour in spring) is read with the pre-transition offset, i.e. moved later by the gap.
#   A day whose window comes out empty that way counts as closed.
# * Business time is real elapsed time (a UTC duration) inside those windows, so an open period that spans
#   a DST change counts the hours that actually passed, not the wall-clock difference.
# * All arithmetic is done on UTC instants. Aware datetimes that share a ZoneInfo compare and subtract by
#   wall clock in Python, which is wrong across a DST change, so every input is converted to UTC first and
#   every output is an aware UTC datetime.


def require_aware(value: datetime, name: str = "datetime") -> datetime:
    """Return ``value`` as an aware UTC datetime; raise ValueError if it is naive."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value!r}")
    return value.astimezone(UTC)


def _default_hours() -> Mapping[int, tuple[time, time]]:
    return MappingProxyType({weekday: (DEFAULT_OPENING, DEFAULT_CLOSING) for weekday in range(5)})


@dataclass(frozen=True)
class BusinessCalendar:
    """When the tech room is staffed: weekly hours in a time zone, minus holidays and closed ranges.

    ``hours`` maps a weekday (0 = Monday) to its local (opening, closing) times; absent days are closed.
    Opening must be strictly before closing on the same day (a window cannot run past midnight).
    ``closed_ranges`` are inclusive local date ranges, e.g. a summer break.
    """

    tz: str
    hours: Mapping[int, tuple[time, time]] = field(default_factory=_default_hours, hash=False)
    holidays: frozenset[date] = frozenset()
    closed_ranges: tuple[tuple[date, date], ...] = ()
    zone: ZoneInfo = field(init=False, repr=False, compare=False, hash=False)
    # Memo of business_window() per local date; a pure cache, so it takes no part in equality.
    _windows: dict[date, tuple[datetime, datetime] | None] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        try:
            zone = ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {self.tz!r}") from exc
        hours: dict[int, tuple[time, time]] = {}
        for weekday, (opening, closing) in self.hours.items():
            if weekday not in range(7):
                raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {weekday!r}")
            if opening.tzinfo is not None or closing.tzinfo is not None:
                raise ValueError("opening hours are local wall-clock times and must be naive")
            if not opening < closing:
                raise ValueError(f"weekday {weekday}: opening {opening} must be before closing {closing}")
            hours[weekday] = (opening, closing)
        ranges = tuple((first, last) for first, last in self.closed_ranges)
        for first, last in ranges:
            if last < first:
                raise ValueError(f"closed range ends before it starts: {first} .. {last}")
        # Copy into immutable containers so a caller's dict or set cannot change a frozen calendar.
        object.__setattr__(self, "hours", MappingProxyType(hours))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "closed_ranges", ranges)
        object.__setattr__(self, "zone", zone)

    @classmethod
    def default(
        cls,
        tz: str = "America/Chicago",
        holidays: Iterable[date] = (),
        closed_ranges: Iterable[tuple[date, date]] = (),
    ) -> BusinessCalendar:
        """The district default: Monday to Friday, 07:30 to 16:30 local time."""
        return cls(
            tz=tz,
            hours=_default_hours(),
            holidays=frozenset(holidays),
            closed_ranges=tuple(closed_ranges),
        )

    def is_business_day(self, day: date) -> bool:
        """True if ``day`` (a local date) has opening hours and is not a holiday or in a closed range."""
        if day.weekday() not in self.hours or day in self.holidays:
            return False
        return not any(first <= day <= last for first, last in self.closed_ranges)


def business_window(cal: BusinessCalendar, day: date) -> tuple[datetime, datetime] | None:
    """The UTC [opening, closing) window of local date ``day``, or None when closed that day."""
    try:
        return cal._windows[day]
    except KeyError:
        pass
    window = _compute_window(cal, day)
    if len(cal._windows) >= _WINDOW_CACHE_LIMIT:
        cal._windows.clear()
    cal._windows[day] = window
    return window


def _compute_window(cal: BusinessCalendar, day: date) -> tuple[datetime, datetime] | None:
    if not cal.is_business_day(day):
        return None
    opening, closing = cal.hours[day.weekday()]
    start = datetime.combine(day, opening, tzinfo=cal.zone).astimezone(UTC)
    end = datetime.combine(day, closing, tzinfo=cal.zone).astimezone(UTC)
    if end <= start:  # only possible when a DST gap swallows the whole window
        return None
    return start, end


def _windows_from(cal: BusinessCalendar, start: datetime) -> Iterator[tuple[datetime, datetime]]:
    """Disjoint open windows in time order, clipped so that none starts before ``start`` (UTC)."""
    if not cal.hours:
        raise ValueError("the calendar has no opening hours on any weekday")
    # Start a day early: a window that a DST gap pushed past midnight could still cover ``start``.
    day = start.astimezone(cal.zone).date() - _ONE_DAY
    cursor = start
    while True:
        window = business_window(cal, day)
        if window is not None:
            opening = max(window[0], cursor)
            closing = window[1]
            if closing > opening:
                yield opening, closing
                cursor = closing
        day += _ONE_DAY


def add_business_time(cal: BusinessCalendar, start: datetime, amount: timedelta) -> datetime:
    """The earliest UTC instant at which ``amount`` of business time has elapsed since ``start``.

    If ``start`` is outside business hours the clock starts at the next opening. An amount that runs out
    exactly at closing time gives that closing instant (not the next opening). A zero amount gives ``start``.
    """
    current = require_aware(start, "start")
    if amount < _ZERO:
        raise ValueError(f"amount must not be negative, got {amount}")
    if amount == _ZERO:
        return current
    remaining = amount
    for opening, closing in _windows_from(cal, current):
        available = closing - opening
        if remaining <= available:
            return opening + remaining
        remaining -= available
    raise AssertionError("unreachable: _windows_from never ends")  # pragma: no cover


def business_time_between(cal: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    """Business time elapsed from ``start`` to ``end``; zero if ``end`` is not after ``start``."""
    first = require_aware(start, "start")
    last = require_aware(end, "end")
    total = _ZERO
    if last <= first:
        return total
    for opening, closing in _windows_from(cal, first):
        if opening >= last:
            break
        total += min(closing, last) - opening
    return total


def next_open(cal: BusinessCalendar, at: datetime) -> datetime:
    """The earliest UTC instant at or after ``at`` when the calendar is open (``at`` itself if open)."""
    current = require_aware(at, "at")
    for opening, _closing in _windows_from(cal, current):
        return opening
    raise AssertionError("unreachable: _windows_from never ends")  # pragma: no cover


def is_open(cal: BusinessCalendar, at: datetime) -> bool:
    """True if ``at`` falls inside business hours (opening inclusive, closing exclusive)."""
    current = require_aware(at, "at")
    return next_open(cal, current) == current
