"""Typed records that flow between the pipeline stages."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from enum import StrEnum

TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")
MODES = ("news", "narrative")


class Status(StrEnum):
    """What the text says of an event: it happened, goes on, is planned, threatened, ..."""

    HAPPENED = "happened"
    ONGOING = "ongoing"
    CLAIM = "claim"
    PLANNED = "planned"
    THREATENED = "threatened"
    HYPOTHETICAL = "hypothetical"
    NEGATED = "negated"


class DateBasis(StrEnum):
    """How an event's date was found (the first five are dates the text states)."""

    EXPLICIT = "explicit"  # the time expression is syntactically linked to the trigger
    CLAUSE = "clause"  # taken from the verb the trigger complements
    SENTENCE = "sentence"  # the only free date of the sentence
    RELATIVE = "relative"  # "two days after X": counted from another event
    INFERRED = "inferred"  # relative to a publication date inferred from the text
    PROPAGATED = "propagated"  # a mention that took its event's date from another mention
    CONTEXT = "context"  # from the article's preceding text: an earlier mention of the same event
    PUBLICATION = "publication"  # recent-past news ("has stepped up") with no other cue: the week before
    REPORTED = "reported"  # no date of its own: only when it was reported


class Granularity(StrEnum):
    """The precision of a date, finest first."""

    MINUTE = "minute"
    HOUR = "hour"
    PART_OF_DAY = "part_of_day"
    DAY = "day"
    WEEKEND = "weekend"
    WEEK = "week"
    MONTH = "month"
    SEASON = "season"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"
    DECADE = "decade"
    CENTURY = "century"


STATUSES = tuple(Status)
# Dates the text states for the event itself; any other date is a reader's inference.
STATED_BASES = (DateBasis.EXPLICIT, DateBasis.CLAUSE, DateBasis.SENTENCE, DateBasis.RELATIVE)
# How each basis reads to a user (hover, detail panel, briefing).
BASIS_WORDS = {
    DateBasis.EXPLICIT: "stated with the event", DateBasis.CLAUSE: "stated in its clause",
    DateBasis.SENTENCE: "stated in its sentence", DateBasis.RELATIVE: "counted from another event",
    DateBasis.INFERRED: "inferred: relative to a publication date read from the text",
    DateBasis.PROPAGATED: "inferred: from another report of the event",
    DateBasis.CONTEXT: "inferred: from the article's context",
    DateBasis.PUBLICATION: "inferred: in the week before publication (recent-past news, no date given)",
    DateBasis.REPORTED: "no date of its own: shown when reported",
}
GRANULARITY_RANK = {g.value: rank for rank, g in enumerate(Granularity)}
# Granularities drawn as a point on a time axis; the rest cover a span.
DAY_GRANULARITIES = (Granularity.MINUTE, Granularity.HOUR, Granularity.PART_OF_DAY, Granularity.DAY)


@dataclass(frozen=True)
class Document:
    """One input text with its document creation time (DCT)."""

    doc_id: str
    text: str
    dct: dt.date | None = None
    dct_source: str = "unknown"
    path: str | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    encoding: str = "utf-8"


@dataclass(frozen=True)
class TimeExpression:
    """One time expression found in a text, normalised to TIMEX3."""

    text: str
    start: int
    end: int
    type: str
    value: str
    mod: str | None = None
    granularity: str | None = None
    interval_start: dt.date | None = None
    interval_end: dt.date | None = None
    anchor: str = "absolute"
    rule: str = ""
    tid: str = ""

    @property
    def date_value(self) -> str:
        """The value an event it dates shows: a duration is no date, the days it covers are
        ("the past two months": 2014-12-17/2015-02-17)."""
        if self.type == "DURATION" and self.interval_start is not None:
            return f"{self.interval_start}/{self.interval_end}"
        return self.value

    def to_dict(self) -> dict:
        """A JSON-ready dict with ISO dates."""
        row = asdict(self)
        for key in ("interval_start", "interval_end"):
            row[key] = row[key].isoformat() if row[key] else None
        return row


@dataclass(frozen=True)
class TimeNote:
    """A time said of an event that gives no date: "for two days", "daily", "in the past"."""

    phrase: str  # as written, with the preposition that joins it to the event
    start: int  # character offsets of the time expression itself
    end: int
    value: str  # its TIMEX3 value ("P2D", "P1D", "PAST_REF")


@dataclass
class TaggedDocument:
    """A document and the time expressions found in it, with any warnings."""

    document: Document
    expressions: list[TimeExpression] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# TIMEX3 values that say roughly when, not which day; "now" is still the publication day.
PRESENT_VALUE = "PRESENT_REF"
VAGUE_VALUES = (PRESENT_VALUE, "PAST_REF", "FUTURE_REF")
# How a sentence may end; a first line ending otherwise is a headline.
SENTENCE_ENDS = (".", "!", "?", "\"", "”", "'", "’", ":")
# How much a mention's date is trusted, by how it was found.
BASIS_CONFIDENCE = {
    DateBasis.EXPLICIT: 0.9, DateBasis.CLAUSE: 0.75, DateBasis.SENTENCE: 0.6, DateBasis.RELATIVE: 0.5,
    DateBasis.INFERRED: 0.5, DateBasis.CONTEXT: 0.45, DateBasis.PUBLICATION: 0.35, DateBasis.REPORTED: 0.3,
}


@dataclass
class EventMention:
    """One mention of an event in one document."""

    mention_id: str
    doc_id: str
    trigger: str
    trigger_start: int
    trigger_end: int
    lemma: str
    kind: str  # "verb", "noun" or "reporting"
    sentence: str
    sentence_start: int
    description: str
    actors: list[str] = field(default_factory=list)
    affected: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    status: str = Status.HAPPENED
    timex: TimeExpression | None = None
    basis: str = DateBasis.REPORTED
    # How long, how often or roughly when the event's clause says it was ("for two days", "daily"):
    # said of the event, but no date to place it by.
    time_note: TimeNote | None = None
    # From "two days after X": (other mention id, days to add to its date, report date allowed).
    relative_to: tuple[str, int, bool] | None = None
    sentence_index: int = 0
    key_terms: frozenset = frozenset()
    published: dt.date | None = None
    # "X said Y": on Y, who it is attributed to.
    attributed_to: str | None = None
    # The mention whose event this one is told with, not as an event of its own: the Y a reporting
    # act reports, or the event a step of it belongs to ("died attempting the crossing").
    told_with: str | None = None
    # Told in the present perfect as news ("has stepped up"): it happened shortly before publication.
    recent_past: bool = False

    @property
    def confidence(self) -> float:
        return BASIS_CONFIDENCE.get(self.basis, 0.3)

    @property
    def in_headline(self) -> bool:
        """Told in the article's first line when that is a title (no closing punctuation), not a sentence."""
        return self.sentence_index == 0 and not self.sentence.rstrip().endswith(SENTENCE_ENDS)

    @property
    def dated(self) -> bool:
        """Whether the mention has a date of its own (not only the date it was reported)."""
        return self.timex is not None and self.basis != DateBasis.REPORTED


@dataclass
class Event:
    """One real-world event, with every mention that reports it."""

    event_id: str
    mentions: list[EventMention] = field(default_factory=list)
    value: str | None = None
    interval_start: dt.date | None = None
    interval_end: dt.date | None = None
    granularity: str | None = None
    basis: str = DateBasis.REPORTED
    conflicts: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    affected: list[str] = field(default_factory=list)
    relative_mention: str | None = None  # the mention whose "two days after X" dated the event

    @property
    def lead(self) -> EventMention:
        """The mention that best describes the event (dated, then the longest description)."""
        # max() keeps the first of equals: ties go to the earliest mention.
        return max(self.told, key=lambda m: (m.basis != DateBasis.REPORTED, m.kind != "reporting",
                                             len(m.description)))

    @property
    def told(self) -> list[EventMention]:
        """The mentions that tell the event itself (not the acts reporting it nor its steps)."""
        return [m for m in self.mentions if m.told_with is None] or self.mentions

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(m.doc_id for m in self.mentions))

    @property
    def status(self) -> str:
        """The status most of its mentions give; a claim only while every mention attributes it."""
        counts: dict[str, int] = {}
        for mention in self.told:
            counts[mention.status] = counts.get(mention.status, 0) + 1
        if len(counts) > 1:
            counts.pop(Status.CLAIM, None)
        return max(counts, key=counts.get)  # ties: the status met first

    @property
    def according_to(self) -> list[str]:
        """Who the event is attributed to ("X said ..."), in the order reported."""
        return list(dict.fromkeys(m.attributed_to for m in self.mentions if m.attributed_to))

    @property
    def locations(self) -> list[str]:
        return list(dict.fromkeys(loc for m in self.mentions for loc in m.locations))

    @property
    def confidence(self) -> float:
        best = max([m.confidence for m in self.told] + [BASIS_CONFIDENCE.get(self.basis, 0.3)])
        bonus = 0.05 * (len(self.sources) - 1)
        penalty = 0.2 if self.conflicts else 0.0
        return round(max(0.05, min(1.0, best + bonus - penalty)), 2)


@dataclass
class CorpusItem:
    """One input (a file, or a record of a .jsonl/.csv file) and what became of it."""

    name: str
    document: Document | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    kind: str = "article"  # "article" or "manifest"
    digest: str = ""  # sha256 of the input's bytes (files) or of the record's text
    rank: int = 99  # how good its publication date's source is (lower is better), for duplicates
    # An earlier copy of the same text that this better-dated one replaces.
    supersedes: CorpusItem | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.document is not None


@dataclass
class BuildResult:
    """Everything a build produced: the events, the event table and an account of every input."""

    events: list[Event] = field(default_factory=list)
    documents: list[CorpusItem] = field(default_factory=list)
    table: object = None  # the event table (pandas DataFrame, timeline.table's schema)

    @property
    def built(self) -> list[Document]:
        return [i.document for i in self.documents if i.document is not None]

    @property
    def failed(self) -> list[CorpusItem]:
        return [i for i in self.documents if i.error]
