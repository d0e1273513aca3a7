"""Calendar points at a granularity: TIMEX3 values, intervals and shifts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import regex

SEASON_START_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
MONTHS_IN = {"month": 1, "quarter": 3, "half": 6, "season": 3, "year": 12, "decade": 120, "century": 1200}
# Python's dates start at AD 1, so a year BC is counted on a stand-in year far ahead, where its
# arithmetic still holds ("the following year" of 491 BC is 490 BC): 1 BC is 5000, 1999 BC is 3002.
# Such a point never leaves the tagger as a date (see `before_common_era`).
STAND_IN_OF_1_BC = 5000
LAST_YEAR_BC = 1999
FIRST_STAND_IN = STAND_IN_OF_1_BC + 1 - LAST_YEAR_BC
BC_VALUE = regex.compile(r"BC(\d{4})(.*)")

_VALUE_PATTERNS = (
    ("day", regex.compile(r"(\d{4})-(\d{2})-(\d{2})(?:T.*)?")),
    ("weekend", regex.compile(r"(\d{4})-W(\d{1,2})-WE")),
    ("week", regex.compile(r"(\d{4})-W(\d{1,2})")),
    ("month", regex.compile(r"(\d{4})-(\d{2})")),
    ("quarter", regex.compile(r"(\d{4})-Q([1-4])")),
    ("half", regex.compile(r"(\d{4})-H([12])")),
    ("season", regex.compile(r"(\d{4})-(SP|SU|FA|WI)")),
    ("year", regex.compile(r"(\d{4})")),
    ("decade", regex.compile(r"(\d{3})")),
    ("century", regex.compile(r"(\d{2})")),
)


@dataclass(frozen=True)
class CalendarPoint:
    """A calendar period: its granularity and its first day."""

    granularity: str
    start: dt.date

    @property
    def value(self) -> str:
        """The TIMEX3 value of this period."""
        return format_value(self.granularity, self.start)

    @property
    def end(self) -> dt.date:
        """The last day of this period (inclusive)."""
        return period_end(self.granularity, self.start)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


DURATION_VALUE = regex.compile(
    r"P(?:(?P<Y>\d+)Y)?(?:(?P<M>\d+)M)?(?:(?P<W>\d+)W)?(?:(?P<D>\d+)D)?(?:T(?:(?P<H>\d+)H)?(?:\d+M)?(?:\d+S)?)?")
# The granularity of a stretch of time named by its largest unit ("the past two months": month).
STRETCH_GRANULARITY = (("Y", "year"), ("M", "month"), ("W", "week"), ("D", "day"), ("H", "day"))


def stretch(value: str, day: dt.date, direction: int) -> tuple[dt.date, dt.date, str] | None:
    """The days a duration covers up to `day` (direction -1: "the past two months") or from it
    (+1: "the next three weeks"), with its granularity; None for a vague or unparsable duration."""
    match = DURATION_VALUE.fullmatch(value)
    if match is None or not any(match.groupdict().values()):
        return None
    amount = {unit: int(match.group(unit) or 0) for unit in "YMWDH"}
    months = 12 * amount["Y"] + amount["M"]
    days = 7 * amount["W"] + amount["D"] + -(-amount["H"] // 24)
    other = _same_day_months_on(day, direction * months) + dt.timedelta(days=direction * days)
    granularity = next(name for unit, name in STRETCH_GRANULARITY if amount[unit])
    return (other, day, granularity) if direction < 0 else (day, other, granularity)


def opening_stretch(value: str, day: dt.date) -> tuple[dt.date, dt.date, str] | None:
    """"The first nine months": the stretch from January 1 of the latest year in which it has
    ended by `day`, with its granularity; None for a vague duration or one longer than a year."""
    for year in (day.year, day.year - 1):
        covered = stretch(value, dt.date(year, 1, 1), +1)
        if covered is None or covered[1].year > year:
            return None
        start, next_start, granularity = covered
        if (end := next_start - dt.timedelta(days=1)) <= day:
            return start, end, granularity
    return None


def _same_day_months_on(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later (the month's last day when it is shorter)."""
    first = add_months(day, months)
    last = period_end("month", first)
    return first.replace(day=min(day.day, last.day))


def floor(granularity: str, day: dt.date) -> dt.date:
    """The first day of the period of this granularity containing `day`."""
    if granularity in ("day", "part_of_day", "hour", "minute"):
        return day
    if granularity == "week":
        return day - dt.timedelta(days=day.weekday())
    if granularity == "weekend":
        return day - dt.timedelta(days=day.weekday()) + dt.timedelta(days=5)
    if granularity == "season":
        # Seasons start in March, June, September and December.
        return add_months(dt.date(day.year, day.month, 1), -(day.month % 3))
    months = MONTHS_IN[granularity]
    index = day.year * 12 + day.month - 1
    if granularity in ("decade", "century"):
        years = months // 12
        return dt.date((day.year // years) * years or 1, 1, 1)
    return dt.date(index // 12, (index % 12) // months * months + 1, 1)


def shift(granularity: str, start: dt.date, count: int) -> dt.date:
    """The start of the period `count` periods after the one starting at `start`."""
    if granularity in ("day", "part_of_day", "hour", "minute"):
        return start + dt.timedelta(days=count)
    if granularity in ("week", "weekend"):
        return start + dt.timedelta(weeks=count)
    return add_months(start, MONTHS_IN[granularity] * count)


def period_end(granularity: str, start: dt.date) -> dt.date:
    """The last day of the period starting at `start`."""
    if granularity in ("day", "part_of_day", "hour", "minute"):
        return start
    if granularity == "weekend":
        return start + dt.timedelta(days=1)
    return shift(granularity, start, 1) - dt.timedelta(days=1)


def before_common_era(point: CalendarPoint) -> bool:
    """Whether a point is a period BC, counted on its stand-in year (it has no real dates)."""
    return point.start.year >= FIRST_STAND_IN


def _mirrored(year: int) -> int:
    """A year BC's stand-in year, or a stand-in year's year BC (the mapping is its own inverse)."""
    return STAND_IN_OF_1_BC + 1 - year


def format_value(granularity: str, start: dt.date) -> str:
    """The TIMEX3 value of the period of `granularity` starting at `start`."""
    value = _format_common_era(granularity, start)
    if start.year < FIRST_STAND_IN:
        return value
    if granularity in ("decade", "century"):
        year_bc = _mirrored(start.year)
        return f"BC{year_bc // 10:03d}" if granularity == "decade" else f"BC{year_bc // 100:02d}"
    return f"BC{_mirrored(int(value[:4])):04d}{value[4:]}"


def _format_common_era(granularity: str, start: dt.date) -> str:
    if granularity in ("day", "part_of_day", "hour", "minute"):
        return start.isoformat()
    if granularity in ("week", "weekend"):
        year, week, _ = start.isocalendar()
        return f"{year:04d}-W{week:02d}" + ("-WE" if granularity == "weekend" else "")
    if granularity == "month":
        return f"{start.year:04d}-{start.month:02d}"
    if granularity == "quarter":
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    if granularity == "half":
        return f"{start.year:04d}-H{(start.month - 1) // 6 + 1}"
    if granularity == "season":
        code = {3: "SP", 6: "SU", 9: "FA", 12: "WI"}[start.month]
        # Winter Y runs from December of Y-1 to February of Y.
        return f"{start.year + (code == 'WI'):04d}-{code}"
    if granularity == "year":
        return f"{start.year:04d}"
    if granularity == "decade":
        return f"{start.year // 10:03d}"
    return f"{start.year // 100:02d}"


def parse_value(value: str) -> CalendarPoint | None:
    """The calendar period of a fully specified TIMEX3 date value, else None."""
    bc = BC_VALUE.fullmatch(value)
    if bc:
        year_bc = int(bc.group(1))
        return parse_value(f"{_mirrored(year_bc):04d}{bc.group(2)}") if 1 <= year_bc <= LAST_YEAR_BC else None
    for granularity, pattern in _VALUE_PATTERNS:
        match = pattern.fullmatch(value)
        if match:
            try:
                return CalendarPoint(granularity, _start_of(granularity, match.groups()))
            except ValueError:
                return None
    return None


def _start_of(granularity: str, groups: tuple[str, ...]) -> dt.date:
    year = int(groups[0]) if granularity not in ("decade", "century") else 0
    if granularity == "day":
        return dt.date(year, int(groups[1]), int(groups[2]))
    if granularity in ("week", "weekend"):
        monday = dt.date.fromisocalendar(year, int(groups[1]), 1)
        return monday + dt.timedelta(days=5 if granularity == "weekend" else 0)
    if granularity == "month":
        return dt.date(year, int(groups[1]), 1)
    if granularity == "quarter":
        return dt.date(year, (int(groups[1]) - 1) * 3 + 1, 1)
    if granularity == "half":
        return dt.date(year, (int(groups[1]) - 1) * 6 + 1, 1)
    if granularity == "season":
        return dt.date(year - (groups[1] == "WI"), SEASON_START_MONTH[groups[1]], 1)
    if granularity == "year":
        return dt.date(year, 1, 1)
    if granularity == "decade":
        return dt.date(max(int(groups[0]) * 10, 1), 1, 1)
    return dt.date(max(int(groups[0]) * 100, 1), 1, 1)


def narrow(point: CalendarPoint, mod: str | None) -> tuple[dt.date, dt.date]:
    """The interval of a period, narrowed to its first, middle or last third by mod."""
    start, end = point.start, point.end
    if mod not in ("START", "MID", "END"):
        return start, end
    third = (end - start).days // 3
    if mod == "START":
        return start, start + dt.timedelta(days=third)
    if mod == "END":
        return end - dt.timedelta(days=third), end
    return start + dt.timedelta(days=third), end - dt.timedelta(days=third)
