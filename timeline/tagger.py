"""The temporal tagger: rule matching, overlap resolution, normalisation in document order."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from dataclasses import dataclass, replace

import regex

from timeline import calendar as cal
from timeline.models import MODES, PRESENT_VALUE, VAGUE_VALUES, Document, TaggedDocument, TimeExpression
from timeline.normalize import (
    Context, NormalisationError, Resolution, fill, group_values, parse_absolute, resolve,
)
from timeline.resources import Rule, Ruleset, load_ruleset
from timeline.tense import TenseOracle, cues, direction_of

RULE_TIMEOUT_SECONDS = 10.0
TENSE_FORMS = ("WD:", "XXXX", "WEEKEND", "DAYOF:", "HOLIDAY:XXXX")
MOD_PREFIX_WINDOW = 30
WINDOW_COVERAGE_LIMIT = 0.5
ANCHOR_MARGIN = 80  # longer than the text of any expression beyond its last anchor
DATE_MODS = ("START", "MID", "END")
DURATION_MODS = ("MORE_THAN", "LESS_THAN", "EQUAL_OR_MORE", "EQUAL_OR_LESS")
# TimeML leaves these outside the extent; they still set the mod.
OUTSIDE_MODS = ("APPROX",)
COARSER_THAN_YEAR = ("decade", "century")  # no year for a later "in March" to take


@dataclass(frozen=True)
class Candidate:
    """One rule match before overlaps are settled."""

    rule_index: int
    start: int
    end: int
    match: regex.Match

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Extent:
    """A span to tag with the value template that normalises it."""

    start: int
    end: int
    template: str
    rule: Rule
    values: dict
    mod_word: str | None = None  # the mod as written ("earlier"), when the rule has one


class Tagger:
    """Finds time expressions and normalises them against a reference date."""

    def __init__(self, language: str = "en"):
        self.ruleset: Ruleset = load_ruleset(language)
        words = cues(language)
        self._rule_only_mods = words["back_mods"] | words["ahead_mods"]  # "earlier", "later": rules' own mods
        self._mod_prefix = {
            group: self._prefix_pattern(mods)
            for group, mods in (("date", DATE_MODS), ("duration", DURATION_MODS), ("outside", OUTSIDE_MODS))
        }

    def tag(self, text: str, dct: dt.date | str | None = None, mode: str = "news", doc=None) -> list[TimeExpression]:
        """Every time expression in `text`, normalised against `dct`."""
        document = Document(doc_id="", text=text, dct=as_date(dct))
        return self.tag_document(document, mode=mode, doc=doc).expressions

    def tag_document(self, document: Document, mode: str = "news", doc=None) -> TaggedDocument:
        """Tag one document; problems become warnings, never exceptions."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        result = TaggedDocument(document=document)
        if not document.text.strip():
            return result
        candidates = self._candidates(document.text, result.warnings)
        extents = [e for c in select_longest(candidates) for e in self._extents(c, result.warnings)]
        extents.sort(key=lambda e: e.start)
        result.expressions = self._normalise_all(document, extents, mode, doc, result.warnings)
        return result

    # ------------------------------------------------------------ matching

    def _candidates(self, text: str, warnings: list[str]) -> list[Candidate]:
        candidates = []
        windows = anchor_windows(text, self.ruleset.anchor)
        for index, rule in enumerate(self.ruleset.rules):
            try:
                for window_start, window_end in windows:
                    for match in rule.compiled.finditer(text, window_start, window_end, timeout=RULE_TIMEOUT_SECONDS):
                        candidates.append(Candidate(index, match.start(), match.end(), match))
            except TimeoutError:
                warnings.append(f"rule {rule.name} timed out; its matches in this text were skipped")
        return candidates

    def _extents(self, candidate: Candidate, warnings: list[str]) -> list[Extent]:
        rule = self.ruleset.rules[candidate.rule_index]
        match = candidate.match
        try:
            values = group_values(match, self.ruleset)
        except NormalisationError as exc:
            warnings.append(f"skipped {match.group(0)!r} at {match.start()}: {exc}")
            return []
        mod_word = (match.group("mod") or "").lower() or None if "mod" in rule.compiled.groupindex else None
        if rule.value is not None:
            return [Extent(match.start(), match.end(), rule.value, rule, values, mod_word)]
        parts = [
            Extent(match.start(group), match.end(group), template, rule, values, mod_word)
            for group, template in rule.parts.items()
            if match.start(group) >= 0
        ]
        return parts if runs_forward(parts) else []

    # ------------------------------------------------------------ normalisation

    def _normalise_all(self, document: Document, extents: list[Extent], mode: str, doc, warnings) -> list[TimeExpression]:
        filled = [(extent, self._fill(document.text, extent, warnings)) for extent in extents]
        filled = [(extent, form) for extent, form in filled if form is not None]
        oracle = TenseOracle(document.text, doc)
        oracle.prepare([(extent.start, extent.end) for extent, form in filled if _needs_tense(form)])
        reference: cal.CalendarPoint | None = None
        expressions: list[TimeExpression] = []
        for extent, form in filled:
            normalised = self._normalise(document, extent, form, oracle, reference, mode, warnings)
            if normalised is None:
                continue
            expression, point = normalised
            expression = replace(expression, tid=f"t{len(expressions) + 1}")
            expressions.append(expression)
            if self._sets_reference(document.text, expression, point, oracle, mode, reference is None):
                reference = point
        return expressions

    def _sets_reference(self, text: str, expression: TimeExpression, point: cal.CalendarPoint | None,
                        oracle: TenseOracle, mode: str, first: bool) -> bool:
        """Whether this expression becomes the date later relative expressions count from."""
        if point is None or expression.type not in ("DATE", "TIME") or expression.value in VAGUE_VALUES:
            return False
        if mode != "narrative":
            return expression.anchor != "reference"  # in news, a date derived from the last one is no anchor
        if point.granularity in COARSER_THAN_YEAR:
            return False  # a decade in passing gives no year to a later "in March"
        # The narrative's time moves with what it tells, not with a quotation or a plan ("a campaign
        # planned for 1976"); while it has no time yet, these are the best there is.
        return first or not (inside_quotation(text, expression.start)
                             or oracle.tense_at(expression.start, expression.end) == "future")

    def _fill(self, text: str, extent: Extent, warnings: list[str]) -> str | None:
        """The extent's value template with its groups filled in, or None (with a warning)."""
        try:
            return fill(extent.template, extent.values)
        except NormalisationError as exc:
            warnings.append(f"skipped {text[extent.start:extent.end]!r} at {extent.start}: {exc}")
            return None

    def _normalise(self, document, extent, form, oracle, reference, mode,
                   warnings) -> tuple[TimeExpression, cal.CalendarPoint | None] | None:
        text = document.text
        surface = text[extent.start:extent.end]
        try:
            tense = oracle.tense_at(extent.start, extent.end) if _needs_tense(form) else None
            context = Context(dct=document.dct, reference=reference, tense=tense, mode=mode)
            if form == "PARSE":
                resolution = parse_absolute(surface, document.dct)
            elif extent.rule.type == "SET" and not form.startswith("DUR:"):
                resolution = Resolution(form)  # a recurrence has no single year to resolve
            else:
                resolution = resolve(form, context)
            mod = self._rule_mod(extent)
        except (NormalisationError, ValueError, OverflowError) as exc:
            warnings.append(f"skipped {surface!r} at {extent.start}: {exc}")
            return None
        start, mod = self._extend_with_mod(text, extent.start, extent.rule.type, mod)
        point = resolution.point
        interval = cal.narrow(point, mod) if point is not None else (None, None)
        if point is not None and cal.before_common_era(point):
            interval = (None, None)  # its stand-in dates are for counting only: no date is shown
        granularity = resolution.granularity
        if resolution.value == PRESENT_VALUE and document.dct is not None:
            # "now", "currently": the publication day, so the events they date have a place in time.
            interval, granularity = (document.dct, document.dct), "day"
        elif resolution.value in VAGUE_VALUES and document.dct is not None:
            interval, granularity = self._reach(surface, resolution.value, document.dct)
        if point is not None and document.dct is not None and point.start <= document.dct <= point.end:
            if tense is None and not _needs_tense(form):
                tense = oracle.tense_at(extent.start, extent.end)
            by_mod_word = extent.mod_word in self._rule_only_mods
            direction = direction_of(tense, extent.mod_word)
            interval = honest_interval(point, interval, document.dct, direction, by_mod_word)
        if extent.rule.type == "DURATION" and mode == "news" and document.dct is not None:
            interval, granularity = self._stretch(surface, resolution.value, document.dct)
        expression = TimeExpression(
            text=text[start:extent.end], start=start, end=extent.end, type=extent.rule.type,
            value=resolution.value, mod=mod, granularity=granularity,
            interval_start=interval[0], interval_end=interval[1], anchor=resolution.anchor,
            rule=extent.rule.name,
        )
        return expression, point

    def _stretch(self, surface: str, value: str, dct: dt.date) -> tuple[tuple, str | None]:
        """The days "the past two months" / "the next three weeks" / "the first nine months" cover, placed
        by the publication date, with their granularity; (None, None) and None for a duration with no place."""
        words = surface.lower().split()
        table = self.ruleset.tables["stretchdir"]
        found = (table.lookup(" ".join(words[:2])) or table.lookup(words[0])) if words else None
        if found is None:
            return (None, None), None
        if "X" in value:  # "recent years": a few of them
            value = value.replace("X", self.ruleset.tables["vaguecount"].lookup("X"))
        if direction := int(found):
            covered = cal.stretch(value, dct, direction)
        else:
            opened = self._year_opened(words, dct)
            covered = cal.opening_stretch(value, opened) if opened else None
        return _placed(covered)

    def _reach(self, surface: str, value: str, dct: dt.date) -> tuple[tuple, str | None]:
        """The days "recently" or "the coming weeks" covers before or after the publication date, with
        their granularity; (None, None) and None for a reference with no reach ("the past")."""
        window = self.ruleset.tables["vaguewindow"].lookup(surface.lower())
        return _placed(cal.stretch(window, dct, -1 if value == "PAST_REF" else +1) if window else None)

    def _year_opened(self, words: list[str], dct: dt.date) -> dt.date | None:
        """The day from which "the first six weeks [of the year | of last year]" is placed; None when it
        opens something else ("of the month")."""
        if "of" not in words:
            return dct
        if self.ruleset.tables["calunit"].lookup(words[-1]) != "year":
            return None
        last_year = self.ruleset.tables["dir"].lookup(words[-2]) == "-1"
        return dt.date(dct.year - 1, 12, 31) if last_year else dct

    def _rule_mod(self, extent: Extent) -> str | None:
        if not extent.rule.mod:
            return None
        surface_mod = fill(extent.rule.mod, extent.values)
        return self.ruleset.tables["mod"].lookup(surface_mod) or surface_mod

    def _extend_with_mod(self, text: str, start: int, timex_type: str, mod: str | None) -> tuple[int, str | None]:
        """Take a preceding "early", "the end of", "about" ... into the extent."""
        if mod is not None or timex_type == "SET":
            return start, mod
        window_start = max(0, start - MOD_PREFIX_WINDOW)
        pattern = self._mod_prefix["duration" if timex_type == "DURATION" else "date"]
        match = pattern.search(text, window_start, start)
        if match is not None:
            return match.start(), self.ruleset.tables["mod"].lookup(match.group("mod"))
        outside = self._mod_prefix["outside"].search(text, window_start, start)
        if outside is not None:
            return start, self.ruleset.tables["mod"].lookup(outside.group("mod"))
        return start, mod

    def _prefix_pattern(self, mods: tuple[str, ...]) -> regex.Pattern:
        table = self.ruleset.tables["mod"]
        surfaces = sorted(
            (s for s in table.surfaces if table.lookup(s) in mods and s not in self._rule_only_mods),
            key=len, reverse=True,
        )
        body = "|".join(r"\s+".join(regex.escape(w) for w in s.split()) for s in surfaces)
        return regex.compile(rf"(?<![\w])(?:the\s+)?(?P<mod>{body})(?:\s+|-)\Z", regex.IGNORECASE)


def _placed(covered: tuple[dt.date, dt.date, str] | None) -> tuple[tuple, str | None]:
    """((first day, last day), granularity) of a stretch, or ((None, None), None) when it has no place."""
    return ((covered[0], covered[1]), covered[2]) if covered else ((None, None), None)


def runs_forward(parts: list[Extent]) -> bool:
    """Whether a range's parts are in calendar order ("1998-12" is no range from 1998 to 1912)."""
    try:
        values = [fill(part.template, part.values) for part in parts]
    except NormalisationError:
        return True  # the part that cannot be filled is reported when it is normalised
    # Parts that share an unknown year are compared within one stand-in year.
    points = [cal.parse_value(value.replace("XXXX", "2000")) for value in values]
    return all(a.start <= b.start for a, b in zip(points, points[1:]) if a is not None and b is not None)


def anchor_windows(text: str, anchor: regex.Pattern) -> list[tuple[int, int]]:
    """Merged spans of text around anchor words; only there can a time expression be."""
    windows: list[tuple[int, int]] = []
    for hit in anchor.finditer(text):
        start, end = max(0, hit.start() - ANCHOR_MARGIN), min(len(text), hit.end() + ANCHOR_MARGIN)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], end))
        else:
            windows.append((start, end))
    windows = [(_word_edge(text, start, -1), _word_edge(text, end, 1)) for start, end in windows]
    if sum(end - start for start, end in windows) > len(text) * WINDOW_COVERAGE_LIMIT:
        return [(0, len(text))]  # one pass over the text costs less than many small ones
    return windows


def _word_edge(text: str, position: int, step: int) -> int:
    """Move a window edge off the middle of a word, so no match starts or ends inside one."""
    while 0 < position < len(text) and not text[position - 1].isspace() and not text[position].isspace():
        position += step
    return position


def select_longest(candidates: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: longest first, then the earlier rule, then the earlier start."""
    chosen: list[Candidate] = []
    starts: list[int] = []  # sorted starts of the chosen spans
    ends: dict[int, int] = {}
    for candidate in sorted(candidates, key=lambda c: (-c.length, c.rule_index, c.start)):
        if candidate.length == 0 or _overlaps(candidate, starts, ends):
            continue
        chosen.append(candidate)
        bisect.insort(starts, candidate.start)
        ends[candidate.start] = candidate.end
    return chosen


def _overlaps(candidate: Candidate, starts: list[int], ends: dict[int, int]) -> bool:
    index = bisect.bisect_left(starts, candidate.start)
    if index < len(starts) and starts[index] < candidate.end:
        return True
    return index > 0 and ends[starts[index - 1]] > candidate.start


def _needs_tense(form: str) -> bool:
    return any(marker in form for marker in TENSE_FORMS)


def honest_interval(point: cal.CalendarPoint, interval: tuple, dct: dt.date, direction: int,
                    by_mod_word: bool = False) -> tuple:
    """The interval of a period holding the publication date, cut at that date on the side the text rules out.

    "earlier this year" (a looking-back mod word) runs from the period's start to the
    publication date and "later this month" from it to the period's end, instead of a third
    of the period; a past "this week" never reaches past the publication date, a future one
    never starts before it.
    """
    start, end = interval
    if by_mod_word and direction:
        return (point.start, dct) if direction < 0 else (dct, point.end)
    if direction < 0:
        return (start, min(end, dct)) if start <= dct else (point.start, dct)
    if direction > 0:
        return (max(start, dct), end) if end >= dct else (dct, point.end)
    return interval


def inside_quotation(text: str, position: int) -> bool:
    """Whether `position` is inside quotation marks opened in its own paragraph."""
    paragraph = text[text.rfind("\n", 0, position) + 1:position]
    if paragraph.rfind("\u201c") > paragraph.rfind("\u201d"):
        return True
    return paragraph.count('"') % 2 == 1


def as_date(value: dt.date | str | None) -> dt.date | None:
    """A date from a date, a datetime or an ISO string."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip()[:10])


@functools.cache
def default_tagger(language: str = "en") -> Tagger:
    """A shared tagger per language (rules compile once)."""
    return Tagger(language)


def tag(text: str, dct: dt.date | str | None = None, mode: str = "news", doc=None, language: str = "en") -> list[TimeExpression]:
    """Find and normalise the time expressions of `text` against the document date `dct`."""
    return default_tagger(language).tag(text, dct=dct, mode=mode, doc=doc)
