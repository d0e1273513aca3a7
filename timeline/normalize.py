"""Normalisation: matched groups to TIMEX3 values, resolved against a reference date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import regex

from timeline import calendar as cal
from timeline.resources import Ruleset

TEMPLATE_FIELD = regex.compile(r"\{(\w+)(?:\|([^}]*))?\}")
UNIT_GRANULARITY = {
    "second": "day", "minute": "day", "hour": "day", "night": "day", "day": "day",
    "weekend": "weekend", "week": "week", "fortnight": "week", "month": "month",
    "quarter": "quarter", "season": "season", "year": "year", "decade": "decade",
    "century": "century", "millennium": "century",
}
UNIT_STEP = {"fortnight": 2, "millennium": 10}
DURATION_CODE = {
    "second": "TS", "minute": "TM", "hour": "TH", "day": "D", "night": "D",
    "weekend": "WE", "week": "W", "fortnight": "W", "month": "M", "quarter": "M",
    "season": "M", "year": "Y", "decade": "Y", "century": "Y", "millennium": "Y",
}
# TimeML corpora count quarters in months and decades in years (P9M, P20Y).
DURATION_FACTOR = {"fortnight": 2, "season": 3, "quarter": 3, "decade": 10, "century": 100, "millennium": 1000}
VAGUE_DURATION_CODE = {"decade": "DE", "century": "CE", "millennium": "ML", "quarter": "Q"}
# A fractional amount is written with the next smaller unit: 2 1/2 years is P2Y6M.
SMALLER_UNIT = {"Y": (12, "M"), "W": (7, "D"), "D": (24, "TH"), "TH": (60, "TM"), "TM": (60, "TS")}
FRACTIONS = {"1/2": 0.5, "½": 0.5, "1/4": 0.25, "¼": 0.25, "3/4": 0.75, "¾": 0.75}
FRACTION_SUFFIX = regex.compile(r"[\s-]*(1/2|½|1/4|¼|3/4|¾)$")
TENSE_TOLERANCE_DAYS = 45


class NormalisationError(ValueError):
    """A match whose groups cannot form a valid TIMEX3 value."""


@dataclass(frozen=True)
class Context:
    """What a relative expression is resolved against."""

    dct: dt.date | None
    reference: cal.CalendarPoint | None
    tense: str | None
    mode: str = "news"

    @property
    def anchor_day(self) -> dt.date | None:
        """The day that relative expressions count from in this mode."""
        if self.mode == "narrative" and self.reference is not None:
            return self.reference.start
        return self.dct


@dataclass(frozen=True)
class Resolution:
    """A resolved value and the calendar period it denotes, if any."""

    value: str
    point: cal.CalendarPoint | None = None
    anchor: str = "absolute"
    time_of_day: str | None = None  # "minute" or "part_of_day" when a time narrows a day

    @property
    def granularity(self) -> str | None:
        """How precise the value is: a time of day, or its calendar period's granularity."""
        if self.point is None:
            return None
        return self.time_of_day or self.point.granularity


# ---------------------------------------------------------------- groups


def group_values(match: regex.Match, ruleset: Ruleset) -> dict[str, str]:
    """Normalise each named group of a match to the value templates use."""
    values: dict[str, str] = {}
    for name, surface in match.groupdict().items():
        if surface is not None:
            values[name] = normalise_group(name, surface, ruleset)
    clock = _clock(match.groupdict(), ruleset)
    if clock:
        values["clock"] = clock
    return values


def normalise_group(name: str, surface: str, ruleset: Ruleset) -> str:
    """The normalised value of one named group."""
    base = name.rstrip("0123456789")
    special = _SPECIAL_GROUPS.get(base)
    if special is not None:
        return special(surface, ruleset)
    table = ruleset.tables.get(base)
    if table is None:
        return surface
    value = table.lookup(surface)
    if value is None:
        raise NormalisationError(f"{surface!r} is not in table {base}")
    return value


def number_value(surface: str, ruleset: Ruleset) -> str:
    """A spelled or written number as a TIMEX3 amount ("X" when vague)."""
    text = surface.lower().replace(",", "")
    extra, text = _fraction_part(text, ruleset)
    if extra:
        whole = float(number_value(text, ruleset)) if text else 0.0
        return _plain_number(whole + extra)
    try:
        number = float(text)
        return str(int(number)) if number.is_integer() else str(number)
    except ValueError:
        pass
    for table_name in ("fewword", "numword"):
        value = ruleset.tables[table_name].lookup(text)
        if value is not None:
            return value
    total = 0
    for word in regex.split(r"[\s-]+", text):
        value = ruleset.tables["numword"].lookup(word)
        if value is None:
            raise NormalisationError(f"not a number: {surface!r}")
        total += int(value)
    return str(total)


def _fraction_part(text: str, ruleset: Ruleset) -> tuple[float, str]:
    """Split "2 1/2" or "two and a half" into the fraction and the whole part's text."""
    words = ruleset.tables["fractionword"]
    tail = regex.search(rf"\s+({words.alternation()})$", text, regex.IGNORECASE)
    if tail:
        return float(words.lookup(tail.group(1))), text[:tail.start()]
    fraction = FRACTION_SUFFIX.search(text)
    if fraction:
        return FRACTIONS[fraction.group(1)], text[:fraction.start()]
    return 0.0, text


def _plain_number(number: float) -> str:
    return str(int(number)) if number.is_integer() else str(number)


def _ordinal(surface: str, ruleset: Ruleset) -> int:
    value = ruleset.tables["ordinal"].lookup(surface)
    if value is None and surface.isdigit():
        return int(surface)
    if value is None:
        raise NormalisationError(f"not an ordinal: {surface!r}")
    return int(value)


def _clock(groups: dict[str, str | None], ruleset: Ruleset) -> str | None:
    if groups.get("noon"):
        return ruleset.tables["noon"].lookup(groups["noon"])
    minute = groups.get("minute") or "00"
    if groups.get("hour24"):
        return f"T{int(groups['hour24']):02d}:{minute}"
    if not groups.get("hour"):
        return None
    hour = int(groups["hour"]) % 12
    if groups.get("ampm", "").lower().startswith("p"):
        hour += 12
    return f"T{hour:02d}:{minute}"


def year_in_words(surface: str, ruleset: Ruleset) -> str:
    """ "nineteen ninety-six" as 1996, "two thousand and one" as 2001."""
    words = regex.sub(r"\b(?:the|year|and|hundred)\b", " ", surface.lower()).split()
    if words[:2] == ["two", "thousand"]:
        rest = " ".join(words[2:])
        return str(2000 + (int(number_value(rest, ruleset)) if rest else 0))
    rest = " ".join(words[1:])
    return str(1900 + int(number_value(rest, ruleset)))


_SPECIAL_GROUPS = {
    "day": lambda s, r: f"{int(s):02d}",
    "mm": lambda s, r: f"{int(s):02d}",
    "year": lambda s, r: s,
    "yearhead": lambda s, r: s,  # "19" of 1915-16
    "yeartail": lambda s, r: s,  # "16" of 1915-16
    "bcyear": lambda s, r: f"{int(s):04d}",
    "bcyear2": lambda s, r: f"{int(s):04d}",
    "num": number_value,
    "few": number_value,
    "quarter": lambda s, r: str(_ordinal(s, r)),
    "century": lambda s, r: f"{_ordinal(s, r) - 1:02d}",
    "decade": lambda s, r: s[:3],
    "decadedigit": lambda s, r: s,
    "hour": lambda s, r: s,
    "hour24": lambda s, r: s,
    "minute": lambda s, r: s,
    "ampm": lambda s, r: s,
    "noon": lambda s, r: s,
    "yearword": year_in_words,
}


def fill(template: str, values: dict[str, str]) -> str:
    """Substitute {group} and {group|default} fields of a value template."""

    def substitute(field: regex.Match) -> str:
        name, default = field.group(1), field.group(2)
        if name in values:
            return values[name]
        if default is not None:
            return default
        raise NormalisationError(f"template needs group {name!r}")

    return TEMPLATE_FIELD.sub(substitute, template)


# ---------------------------------------------------------------- resolution


def resolve(form: str, context: Context) -> Resolution:
    """Resolve a filled value template to a TIMEX3 value."""
    base, _, suffix = form.partition("|")
    resolution = _resolve_base(base, context)
    if not suffix:
        return resolution
    if resolution.point is None or resolution.point.granularity != "day":
        return Resolution(resolution.value + suffix, None, resolution.anchor)
    time_of_day = "minute" if ":" in suffix else "part_of_day"
    return Resolution(resolution.value + suffix, resolution.point, resolution.anchor, time_of_day)


def _resolve_base(form: str, context: Context) -> Resolution:
    head, _, rest = form.partition(":")
    if head.startswith("SHIFT"):
        return _resolve_shifted(int(head[5:] or 0), rest, context)
    handler = _FORM_HANDLERS.get(head)
    if handler is not None:
        return handler(rest, context)
    if form.startswith("XXXX-"):
        return _resolve_unknown_year(form, context, direction=_tense_direction(context))
    point = cal.parse_value(form)
    if point is None and regex.fullmatch(r"\d{4}-\d{2}-\d{2}", form):
        raise NormalisationError(f"no such date: {form}")
    return Resolution(form, point)


def _resolve_relative(rest: str, context: Context) -> Resolution:
    unit, _, amount = rest.partition(":")
    base = context.anchor_day
    anchor = "reference" if context.mode == "narrative" and context.reference else "dct"
    return _shifted_unit(unit, amount, base, anchor)


def _resolve_reference(rest: str, context: Context) -> Resolution:
    unit, _, amount = rest.partition(":")
    reference = context.reference
    if reference is None:
        return _shifted_unit(unit, amount, context.dct, "dct")
    granularity = UNIT_GRANULARITY[unit]
    if granularity == "year" and reference.granularity in ("quarter", "half", "month", "season"):
        # "a year earlier" after a quarter means the same quarter a year before.
        count = _count(amount) * UNIT_STEP.get(unit, 1)
        start = cal.add_months(reference.start, 12 * count)
        return Resolution(cal.format_value(reference.granularity, start),
                          cal.CalendarPoint(reference.granularity, start), "reference")
    return _shifted_unit(unit, amount, reference.start, "reference")


def _resolve_reference_calendar(rest: str, context: Context) -> Resolution:
    """A calendar period counted from the last mentioned date's: "the following year" after
    June 1915 is 1916, not June 1916 (as "a year later" is)."""
    unit, _, amount = rest.partition(":")
    reference = context.reference
    if reference is None:
        return _shifted_unit(unit, amount, context.dct, "dct")
    base = reference.start
    if UNIT_GRANULARITY.get(unit) == "year":
        base = dt.date(labelled_year(reference), 1, 1)  # the year after the winter of 1918 is 1919
    return _shifted_unit(unit, amount, base, "reference")


def _resolve_in_reference_year(suffix: str, context: Context) -> Resolution:
    """INREFYEAR:<suffix>: a period of the last mentioned date's year ("August of that year")."""
    if context.reference is not None:
        year, anchor = labelled_year(context.reference), "reference"
    elif context.dct is not None:
        year, anchor = context.dct.year, "dct"
    else:
        return Resolution(f"XXXX{suffix}", None, "dct")
    point = cal.parse_value(cal.format_value("year", dt.date(year, 1, 1)) + suffix)
    if point is None:
        raise NormalisationError(f"no such period: {year}{suffix}")
    return Resolution(point.value, point, anchor)


def _resolve_in_year(rest: str, context: Context) -> Resolution:
    """INYEAR:<shift>:<suffix>: a period of the year `shift` years from the anchor."""
    shift_text, _, suffix = rest.partition(":")
    base = context.anchor_day
    if base is None:
        return Resolution(f"XXXX{suffix}", None, "dct")
    value = f"{base.year + _count(shift_text):04d}{suffix}"
    point = cal.parse_value(value)
    if point is None:
        raise NormalisationError(f"no such period: {value}")
    return Resolution(value, point, "dct")


def _resolve_ago(rest: str, context: Context) -> Resolution:
    """ "a year ago" after a quarter is that quarter a year before; otherwise n units back."""
    unit, _, amount = rest.partition(":")
    reference = context.reference
    comparable = reference is not None and reference.granularity in ("quarter", "half")
    if unit == "year" and amount in ("-1", "1") and comparable:
        return _resolve_reference(rest, context)
    return _resolve_relative(rest, context)


def _count(amount: str) -> int:
    try:
        return int(float(amount.replace("+", "")))
    except ValueError as exc:
        raise NormalisationError(f"not a count: {amount!r}") from exc


def _shifted_unit(unit: str, amount: str, base: dt.date | None, anchor: str) -> Resolution:
    if unit not in UNIT_GRANULARITY:
        raise NormalisationError(f"unknown unit {unit!r}")
    if "X" in amount:
        return Resolution("FUTURE_REF" if amount.startswith("+") else "PAST_REF", None, anchor)
    granularity = UNIT_GRANULARITY[unit]
    if base is None:
        return Resolution(_unknown_value(granularity), None, anchor)
    count = _count(amount) * UNIT_STEP.get(unit, 1)
    start = cal.shift(granularity, cal.floor(granularity, base), count)
    return Resolution(cal.format_value(granularity, start), cal.CalendarPoint(granularity, start), anchor)


def _unknown_value(granularity: str) -> str:
    return {
        "day": "XXXX-XX-XX", "week": "XXXX-WXX", "weekend": "XXXX-WXX-WE",
        "month": "XXXX-XX", "quarter": "XXXX-QX", "season": "XXXX-XX",
        "half": "XXXX-HX", "year": "XXXX", "decade": "XXX", "century": "XX",
    }[granularity]


def _tense_direction(context: Context) -> int:
    """-1 for past, +1 for future, 0 when the tense does not say."""
    return {"past": -1, "future": 1}.get(context.tense or "", 0)


def _candidates(form: str, year: int) -> cal.CalendarPoint:
    """The period an XXXX- form denotes in a given year."""
    point = cal.parse_value(f"{year:04d}{form[4:]}")
    if point is None:
        raise NormalisationError(f"no such date: {year:04d}{form[4:]}")
    return point


def _resolve_unknown_year(form: str, context: Context, direction: int) -> Resolution:
    base = context.anchor_day
    if base is None:
        return Resolution(form, None, "dct")
    anchor = "reference" if context.mode == "narrative" and context.reference else "dct"
    if context.mode == "narrative" and context.reference is not None:
        # Narratives move forward from the last mentioned date: same year, whatever the tense,
        # the year the reference is named by ("the winter of 1918" began in December 1917).
        year = labelled_year(context.reference)
        point = _valid_candidate(form, year)
        if form.endswith("-WI"):
            # A winter spans two years: from an autumn the narrative goes on into the coming one
            # (labelled by the next year), from a spring it looks back at the one just ended.
            point = min((point, _valid_candidate(form, year + 1)), key=lambda p: _gap(p, context.reference))
        if direction > 0 and point.end < context.reference.start:
            point = _valid_candidate(form, year + 1)  # "will hold out over the winter": the coming one
        return Resolution(point.value, point, anchor)
    point = _pick_year(form, base, direction)
    return Resolution(point.value, point, anchor)


def _gap(point: cal.CalendarPoint, reference: cal.CalendarPoint) -> int:
    """Days between two periods, 0 when they overlap."""
    if point.end < reference.start:
        return (reference.start - point.end).days
    if point.start > reference.end:
        return (point.start - reference.end).days
    return 0


def labelled_year(point: cal.CalendarPoint) -> int:
    """The year a period's value names (1918 for 1918-WI and 1918-W01, which start in 1917)."""
    label = point.value[:4]
    return int(label) if len(label) == 4 and label.isdigit() else point.start.year


def _valid_candidate(form: str, year: int) -> cal.CalendarPoint:
    try:
        return _candidates(form, year)
    except NormalisationError:
        # 29 February: the nearest leap year keeps the date valid.
        for offset in (-1, 1, -2, 2, -3, 3):
            try:
                return _candidates(form, year + offset)
            except NormalisationError:
                continue
        raise


def _pick_year(form: str, base: dt.date, direction: int) -> cal.CalendarPoint:
    """The occurrence nearest to `base` in the given direction (0 = nearest).

    Tense is read off the main verb, which is not always the verb of the date
    ("declared a dividend payable Dec. 1"), so a day a few weeks ahead stays in
    the same year whatever the tense, and a future period just ended does too.
    """
    tolerance = dt.timedelta(days=TENSE_TOLERANCE_DAYS)
    options = []
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            options.append(_candidates(form, year))
        except NormalisationError:
            continue
    if not options:
        raise NormalisationError(f"no such date: {form}")
    if direction < 0:
        slack = tolerance if options[0].granularity == "day" else dt.timedelta(0)
        fitting = [p for p in options if p.start <= base + slack]
        return fitting[-1] if fitting else options[0]
    if direction > 0:
        fitting = [p for p in options if p.end >= base - tolerance]
        return fitting[0] if fitting else options[-1]
    return min(options, key=lambda p: _distance(p, base))


def _distance(point: cal.CalendarPoint, base: dt.date) -> int:
    if point.start <= base <= point.end:
        return 0
    return min(abs((point.start - base).days), abs((point.end - base).days))


def _resolve_shifted(direction: int, inner: str, context: Context) -> Resolution:
    base = context.anchor_day
    if inner.startswith("WD:"):
        return _weekday(int(inner[3:]), context, explicit=direction or None)
    if base is None:
        return Resolution(inner, None, "dct")
    if direction == 0:
        point = _candidates(inner, base.year)
        return Resolution(point.value, point, "dct")
    current = cal.floor(cal.parse_value(f"{base.year:04d}{inner[4:]}").granularity, base)
    options = []
    for year in (base.year - 1, base.year, base.year + 1):
        point = _candidates(inner, year)
        if (direction < 0 and point.start < current) or (direction > 0 and point.start > current):
            options.append(point)
    point = options[-1] if direction < 0 else options[0]
    return Resolution(point.value, point, "dct")


def _resolve_weekday(rest: str, context: Context) -> Resolution:
    return _weekday(int(rest), context, explicit=None)


def _weekday(weekday: int, context: Context, explicit: int | None) -> Resolution:
    base = context.anchor_day
    if base is None:
        return Resolution(f"XXXX-WXX-{weekday}", None, "dct")
    anchor = "reference" if context.mode == "narrative" and context.reference else "dct"
    delta = weekday - base.isoweekday()
    direction = explicit if explicit is not None else _tense_direction(context)
    if explicit is None and context.tense == "present":
        direction = 1  # "the talks resume Monday": news present tense looks ahead
    if explicit is not None:
        # "last Friday" and "next Monday" never mean today.
        if direction < 0:
            delta = delta - 7 if delta >= 0 else delta
        else:
            delta = delta + 7 if delta <= 0 else delta
    elif direction > 0:
        delta = delta + 7 if delta < 0 else delta
    else:
        delta = delta - 7 if delta > 0 else delta
    day = base + dt.timedelta(days=delta)
    return Resolution(day.isoformat(), cal.CalendarPoint("day", day), anchor)


def _resolve_weekend(rest: str, context: Context) -> Resolution:
    base = context.anchor_day
    if base is None:
        return Resolution("XXXX-WXX-WE", None, "dct")
    this_weekend = cal.floor("weekend", base)
    if _tense_direction(context) > 0 or base >= this_weekend:
        start = this_weekend
    else:
        start = this_weekend - dt.timedelta(weeks=1)
    return Resolution(cal.format_value("weekend", start), cal.CalendarPoint("weekend", start), "dct")


def _resolve_decade(rest: str, context: Context) -> Resolution:
    base = context.anchor_day
    if base is None:  # "the 90s" with nothing to say which century: never the machine's clock
        return Resolution(f"XX{rest}", None, "dct")
    century = base.year // 100
    if century * 100 + int(rest) * 10 > base.year:
        century -= 1
    value = f"{century:02d}{rest}"
    return Resolution(value, cal.parse_value(value), "dct")


def _resolve_holiday(rest: str, context: Context) -> Resolution:
    year_field, _, rule = rest.partition(":")
    if year_field != "XXXX":
        point = _holiday(int(year_field), rule)
        return Resolution(point.value, point)
    base = context.anchor_day
    if base is None:
        return Resolution("XXXX-" + (rule if not rule.startswith("NTH") else "XX-XX"), None, "dct")
    options = [_holiday(year, rule) for year in (base.year - 1, base.year, base.year + 1)]
    direction = _tense_direction(context)
    if direction < 0:
        point = [p for p in options if p.start <= base][-1]
    elif direction > 0:
        point = [p for p in options if p.start >= base][0]
    else:
        point = min(options, key=lambda p: _distance(p, base))
    return Resolution(point.value, point, "dct")


def _holiday(year: int, rule: str) -> cal.CalendarPoint:
    if not rule.startswith("NTH"):
        month, day = (int(x) for x in rule.split("-"))
        return cal.CalendarPoint("day", dt.date(year, month, day))
    _, month, weekday, nth = rule.split(":")
    first = dt.date(year, int(month), 1)
    offset = (int(weekday) - first.isoweekday()) % 7
    day = first + dt.timedelta(days=offset)
    if int(nth) > 0:
        day += dt.timedelta(weeks=int(nth) - 1)
    else:
        while (day + dt.timedelta(weeks=1)).month == first.month:
            day += dt.timedelta(weeks=1)
    return cal.CalendarPoint("day", day)


def _resolve_day_of(rest: str, context: Context) -> Resolution:
    if rest[:1] in "+-0":
        return _resolve_relative(f"day:{rest}", context)
    return _weekday(int(rest), context, explicit=None)


def _resolve_duration(rest: str, context: Context) -> Resolution:
    amount, _, unit = rest.partition(":")
    return Resolution(duration_value(amount, unit))


def duration_value(amount: str, unit: str) -> str:
    """A TIMEX3 duration such as P6W, PT24H or PXY."""
    code = DURATION_CODE.get(unit)
    if code is None:
        raise NormalisationError(f"unknown unit {unit!r}")
    if amount == "X":
        code = VAGUE_DURATION_CODE.get(unit, code)
    else:
        number = float(amount) * DURATION_FACTOR.get(unit, 1)
        return _duration_parts(number, code)
    return _duration_string([(amount, code)])


def _duration_parts(number: float, code: str) -> str:
    """P2Y6M for 2.5 years; a fraction no smaller unit makes whole stays decimal."""
    whole, fraction = divmod(number, 1)
    if not fraction:
        return _duration_string([(_plain_number(number), code)])
    factor, smaller = SMALLER_UNIT.get(code, (None, None))
    rest = fraction * factor if factor else None
    if rest is None or not float(rest).is_integer():
        return _duration_string([(_plain_number(number), code)])
    parts = [(_plain_number(whole), code)] if whole else []
    return _duration_string(parts + [(_plain_number(rest), smaller)])


def _duration_string(parts: list[tuple[str, str]]) -> str:
    """Join (amount, code) parts into one TIMEX3 duration, T before the first time part."""
    dates = "".join(f"{amount}{code}" for amount, code in parts if not code.startswith("T"))
    times = "".join(f"{amount}{code[1:]}" for amount, code in parts if code.startswith("T"))
    return f"P{dates}" + (f"T{times}" if times else "")


def parse_absolute(surface: str, dct: dt.date | None) -> Resolution:
    """Normalise an absolute numeric date string (the PARSE form) with dateparser."""
    import dateparser  # imported here: it takes a second to load

    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DAY_OF_MONTH": "first"}
    if dct is not None:
        settings["RELATIVE_BASE"] = dt.datetime(dct.year, dct.month, dct.day)
    parsed = dateparser.parse(surface, languages=["en"], settings=settings)
    if parsed is None:
        raise NormalisationError(f"not a date: {surface!r}")
    day = parsed.date()
    return Resolution(day.isoformat(), cal.CalendarPoint("day", day))


_FORM_HANDLERS = {
    "REL": _resolve_relative,
    "REF": _resolve_reference,
    "REFCAL": _resolve_reference_calendar,
    "INREFYEAR": _resolve_in_reference_year,
    "WD": _resolve_weekday,
    "WEEKEND": _resolve_weekend,
    "DECADE2": _resolve_decade,
    "HOLIDAY": _resolve_holiday,
    "DAYOF": _resolve_day_of,
    "DUR": _resolve_duration,
    "INYEAR": _resolve_in_year,
    "AGO": _resolve_ago,
}
