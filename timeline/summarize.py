"""Dated summaries: the most important days of a built timeline, each told in sentences from the articles.

Extractive and deterministic.  A day's candidates are the sentences whose events are dated to
that day (stated dates count most, inferred ones less); a week, month or year supports the days
inside it that have candidates of their own but never becomes a day.  Days are ranked by how many
articles date something to them, then by the weight of their sentences; each day's sentences
are the ones closest to what its candidates say in common (TF-IDF centroid), without near
duplicates or page furniture.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from timeline.events import boilerplate_spans
from timeline.outputs import current_umask
from timeline.models import DAY_GRANULARITIES, VAGUE_VALUES, BuildResult, DateBasis, Event, EventMention
from timeline.table import Filters, select

SUMMARY_SUFFIXES = (".json", ".md", ".txt")
# How much a sentence says about a day, by how its event was dated to that day.
BASIS_WEIGHT = {DateBasis.EXPLICIT: 1.0, DateBasis.CLAUSE: 0.9, DateBasis.SENTENCE: 0.7,
                DateBasis.RELATIVE: 0.7, DateBasis.INFERRED: 0.6, DateBasis.PROPAGATED: 0.5,
                DateBasis.CONTEXT: 0.4}
COARSE_SUPPORT = 0.1  # what a mention dated to a week or a month adds to each candidate day in it
PUBLISHED_SUPPORT = 0.5  # what each article published on a candidate day adds to it
MAX_SUPPORT_DAYS = 31  # a year or a season is too coarse to say which of its days mattered
SENTENCE_SHARE = 0.1  # a day's score: its articles, plus this share of its sentences' weight
MIN_WORDS, MAX_WORDS = 6, 60  # sentences outside these lengths are fragments or run-ons
NEAR_DUPLICATE = 0.5  # word-set overlap (Jaccard) above which two sentences say the same
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass
class Candidate:
    """One sentence that tells something about a day, from one or more articles."""

    text: str
    weight: float
    sources: list[str] = field(default_factory=list)
    order: tuple = ()  # (article order, offset): ties go to the earlier


@dataclass(frozen=True)
class DatedSummary:
    """One day of the summary and the sentences that tell it."""

    day: dt.date
    sentences: tuple[Candidate, ...]


def summarize(result: BuildResult, dates: int, sentences: int, filters: Filters | None = None) -> list[DatedSummary]:
    """The `dates` most important days (in date order), each with up to `sentences` sentences."""
    filters = filters or Filters()
    kept = set(select(result.table, filters).table["event_id"]) if len(result.table) else set()
    order = {d.doc_id: n for n, d in enumerate(result.built)}
    days, support = day_candidates([e for e in result.events if e.event_id in kept], order, filters)
    idf = _idf([c for found in days.values() for c in found.values()])
    for document in result.built:  # news of the day: a day with articles of its own is likelier to matter
        if document.dct in support:
            support[document.dct] += PUBLISHED_SUPPORT
    ranked = sorted(days, key=lambda day: (-(_day_score(days[day].values()) + support[day]), day))[:dates]
    told: set[str] = set()  # a sentence tells one day only: the most important one it is a candidate for
    picked = {}
    for day in ranked:
        picked[day] = _pick([c for key, c in days[day].items() if key not in told], sentences, idf)
        told.update(_key(c.text) for c in picked[day])
    return [DatedSummary(day, tuple(picked[day])) for day in sorted(ranked) if picked[day]]


def day_candidates(events: list[Event], order: dict[str, int],
                   filters: Filters) -> tuple[dict[dt.date, dict[str, Candidate]], dict[dt.date, float]]:
    """(day -> its candidate sentences keyed by their normalised text, day -> what coarser dates add to it)."""
    days: dict[dt.date, dict[str, Candidate]] = {}
    coarse: list[tuple[dt.date, dt.date, float]] = []
    for event in events:
        for mention in event.told:
            dated = _mention_date(mention, event)
            if dated is None:
                continue
            start, end, granularity, weight = dated
            if filters.start and end < filters.start or filters.end and start > filters.end:
                continue
            if granularity not in DAY_GRANULARITIES:
                coarse.append((start, end, weight))
                continue
            text = clean_sentence(mention.sentence)
            if not _is_summary_sentence(text):
                continue
            found = days.setdefault(start, {})
            candidate = found.setdefault(_key(text), Candidate(text, 0.0, [], (order.get(mention.doc_id, 0),
                                                                                mention.sentence_start)))
            candidate.weight = max(candidate.weight, weight)
            if mention.doc_id not in candidate.sources:
                candidate.sources.append(mention.doc_id)
    support = {day: 0.0 for day in days}
    for start, end, weight in coarse:
        if (end - start).days < MAX_SUPPORT_DAYS:
            for day in support:
                if start <= day <= end:
                    support[day] += COARSE_SUPPORT * weight
    return days, support


def _mention_date(mention: EventMention, event: Event) -> tuple[dt.date, dt.date, str, float] | None:
    """(start, end, granularity, weight) of what the mention tells: its own date, else its event's."""
    if mention.dated and mention.timex.interval_start and mention.timex.interval_end:
        timex = mention.timex
        if _is_vague(timex.value):
            return None
        return timex.interval_start, timex.interval_end, timex.granularity or "", BASIS_WEIGHT.get(mention.basis, 0.0)
    if event.interval_start and event.basis in BASIS_WEIGHT and mention.kind != "reporting" and not _is_vague(event.value):
        weight = BASIS_WEIGHT[DateBasis.PROPAGATED] if event.basis != DateBasis.RELATIVE else BASIS_WEIGHT[event.basis]
        return event.interval_start, event.interval_end, event.granularity or "", weight
    return None


def _is_vague(value: str | None) -> bool:
    """"Recently", "in recent weeks", "now": a rough reach from the publication date, or what holds at
    it, says nothing of which day mattered (the articles published that day already count)."""
    return value in VAGUE_VALUES or "X" in (value or "")


def clean_sentence(text: str) -> str:
    """The sentence on one line, spaces collapsed."""
    return " ".join(str(text).split())


def _key(text: str) -> str:
    return " ".join(_words(text))


def _words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def _is_summary_sentence(text: str) -> bool:
    """A whole sentence of readable length that is not page furniture ("Follow ... on Twitter")."""
    count = len(text.split())
    return MIN_WORDS <= count <= MAX_WORDS and not boilerplate_spans(text)


def _day_score(candidates) -> float:
    """Articles that date something to the day (each by its best sentence), plus a share of all sentence weight."""
    best: dict[str, float] = {}
    total = 0.0
    for candidate in candidates:
        total += candidate.weight
        for source in candidate.sources:
            best[source] = max(best.get(source, 0.0), candidate.weight)
    return round(sum(best.values()) + SENTENCE_SHARE * total, 6)


@functools.cache
def _stop_words() -> frozenset:
    from spacy.lang.en.stop_words import STOP_WORDS  # spaCy's list, imported only when summarising

    return frozenset(STOP_WORDS)


def _content_words(text: str) -> list[str]:
    stop_words = _stop_words()
    return [w for w in _words(text) if w not in stop_words and len(w) > 1]


def _idf(candidates: list[Candidate]) -> dict[str, float]:
    """Inverse document frequency of each content word over all candidate sentences."""
    counts = Counter(w for c in candidates for w in set(_content_words(c.text)))
    total = len(candidates) or 1
    return {w: math.log((1 + total) / (1 + n)) + 1 for w, n in counts.items()}


def _vector(text: str, idf: dict[str, float]) -> dict[str, float]:
    counts = Counter(_content_words(text))
    return {w: n * idf.get(w, 1.0) for w, n in counts.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(v * b.get(w, 0.0) for w, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def _pick(candidates: list[Candidate], count: int, idf: dict[str, float]) -> list[Candidate]:
    """The `count` sentences most typical of the day (closest to its centroid, weighted), no near duplicates."""
    vectors = [_vector(c.text, idf) for c in candidates]
    centroid: Counter = Counter()
    for candidate, vector in zip(candidates, vectors):
        for word, value in vector.items():
            centroid[word] += value * candidate.weight * len(candidate.sources)
    scored = sorted(zip(candidates, vectors), key=lambda cv: (
        -round(cv[0].weight * (0.5 + _cosine(cv[1], centroid)), 6), cv[0].order))
    chosen: list[tuple[Candidate, set]] = []
    for candidate, vector in scored:
        words = set(vector)  # the vector's keys are the sentence's content words
        if any(_jaccard(words, told) > NEAR_DUPLICATE for _, told in chosen):
            continue
        chosen.append((candidate, words))
        if len(chosen) == count:
            break
    return [candidate for candidate, _ in chosen]


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


# ---------------------------------------------------------------- writing


def summary_rows(summary: list[DatedSummary]) -> list[list]:
    """[["2011-03-17", ["sentence", ...]], ...] in date order."""
    return [[item.day.isoformat(), [c.text for c in item.sentences]] for item in summary]


def render_summary(summary: list[DatedSummary], suffix: str, documents: dict[str, dict]) -> str:
    """The summary as JSON (the task's format), Markdown or plain text (these two with their sources)."""
    if suffix == ".json":
        return json.dumps(summary_rows(summary), ensure_ascii=False, indent=1) + "\n"
    markdown = suffix == ".md"
    lines = ["# Dated summary" if markdown else "DATED SUMMARY", ""]
    for item in summary:
        lines.append(f"## {item.day.isoformat()}" if markdown else item.day.isoformat())
        for candidate in item.sentences:
            told = f"{candidate.text} ({'; '.join(_source_name(s, documents) for s in candidate.sources)})"
            lines.append(f"- {_markdown_text(told) if markdown else told}")
        lines.append("")
    return "\n".join(lines)


def _source_name(doc_id: str, documents: dict[str, dict]) -> str:
    info = documents.get(doc_id, {})
    name = info.get("source") or info.get("title") or doc_id
    return f"{name}, {doc_id}" if name != doc_id else doc_id


def _markdown_text(text: str) -> str:
    """Article text shown as text in Markdown: no links, emphasis or HTML of its own."""
    return re.sub(r"([\\`*_{}\[\]<>()#+!|])", r"\\\1", text)


def write_summary(summary: list[DatedSummary], path: Path, documents: dict[str, dict]) -> Path:
    """Write the summary (format by suffix) atomically: a reader never sees half a file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUMMARY_SUFFIXES:
        raise ValueError(f"{path.name}: a summary is written as {', '.join(SUMMARY_SUFFIXES)}")
    text = render_summary(summary, suffix, documents)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(staging, 0o666 & ~current_umask())  # as an ordinary new file, not mkstemp's 0600
        os.replace(staging, path)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise
    return path
