"""SemEval-2015 Task 4 (cross-document timelines): reading its data, writing entity timelines, scoring.

The scores are the ones issue 3 asks for: the share of gold event mentions found, anchoring
accuracy at the gold granularity, and pairwise order accuracy.  The official metric (temporal
awareness over a TLINK graph) is not reimplemented here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from xml.etree import ElementTree

from timeline.entities import EntityResolver
from timeline.models import BuildResult, DateBasis, Document, Event

UNDATED = "XXXX-XX-XX"
# Spaces a tokeniser put before closing punctuation and clitics, and after opening brackets.
DETOKENIZE_BEFORE = re.compile(r" ([,.;:!?%)\]]|'s\b|n't\b|'t\b|'re\b|'ve\b|'ll\b|'d\b)")
DETOKENIZE_AFTER = re.compile(r"([(\[$]) ")


@dataclass(frozen=True)
class SemEvalDocument:
    """A Wikinews article: its text (sentences on their own lines) and where each sentence starts."""

    document: Document
    sentence_starts: tuple[tuple[int, str], ...]  # (character offset, sentence id)

    def sentence_at(self, offset: int) -> str:
        """The id of the sentence holding this character offset."""
        current = self.sentence_starts[0][1]
        for start, sentence_id in self.sentence_starts:
            if start > offset:
                break
            current = sentence_id
        return current


@dataclass
class GoldTimeline:
    """One target entity's gold timeline: (order, anchor, mentions) per line."""

    entity: str
    rows: list[tuple[int, str, tuple[str, ...]]] = field(default_factory=list)


def read_document(path: Path) -> SemEvalDocument:
    """A task TimeML file: DOCID, DCT, and the text of its <s> elements (markup stripped)."""
    root = ElementTree.parse(path).getroot()
    doc_id = (root.findtext("DOCID") or path.stem.split("_")[0].split("-")[0]).strip()
    dct_element = root.find("DCT/TIMEX3")
    dct = dt.date.fromisoformat(dct_element.get("value")[:10]) if dct_element is not None else None
    parts, starts, offset = [], [], 0
    for sentence in root.iter("s"):
        text = detokenize(" ".join("".join(sentence.itertext()).split()))
        starts.append((offset, sentence.get("id")))
        parts.append(text)
        offset += len(text) + 1
    title = (root.findtext("EXTRAINFO") or "").strip() or None
    document = Document(doc_id, "\n".join(parts) + "\n", dct, "timeml", str(path), title=title)
    return SemEvalDocument(document, tuple(starts))


def detokenize(text: str) -> str:
    """The corpus's tokenised sentences as written news ("February 24 , 1955 ." -> "February 24, 1955."),
    so that the text reads as the articles the tool is made for."""
    text = DETOKENIZE_BEFORE.sub(r"\1", text)
    return DETOKENIZE_AFTER.sub(r"\1", text)


def read_gold(path: Path) -> GoldTimeline:
    """A gold timeline file: the entity on the first line, then ORDER, ANCHOR, mentions."""
    lines = path.read_text("utf-8").splitlines()
    timeline = GoldTimeline(entity=lines[0].strip())
    for line in lines[1:]:
        fields = line.split("\t")
        if len(fields) >= 3:
            timeline.rows.append((int(fields[0]), fields[1], tuple(fields[2:])))
    return timeline


def entity_timeline(result: BuildResult, documents: dict[str, SemEvalDocument], entity: str) -> list[tuple[Event, list[str]]]:
    """The events the entity takes part in, each with its mentions as DOCID-SENTID-TOKEN."""
    resolver = EntityResolver()
    resolver.learn_from(m for e in result.events for m in e.mentions)
    rows = []
    for event in result.events:
        if not any(_names(resolver, entity, arg) for m in event.mentions for arg in m.actors + m.affected):
            continue
        keys = [f"{m.doc_id}-{documents[m.doc_id].sentence_at(m.trigger_start)}-{m.trigger}" for m in event.mentions]
        rows.append((event, keys))
    return rows


def _names(resolver: EntityResolver, entity: str, argument: str) -> bool:
    """Whether an argument names the entity: same canonical name, or contains a form of it."""
    if resolver.matches(argument, entity):
        return True
    lowered = argument.lower()
    return any(re.search(r"(?<![\w])" + re.escape(form) + r"(?![\w])", lowered) for form in name_forms(entity))


def name_forms(entity: str) -> list[str]:
    """Ways a target entity is written: "Beatles Apple Corps" also as "Apple Corps", "iTunes store"
    as "iTunes", "iPhone 3G" as "3G iPhone"."""
    words = entity.split()
    forms = [entity]
    if len(words) >= 3:
        forms.append(" ".join(words[1:]))
    if len(words) == 2 and words[-1].islower():
        forms.append(words[0])
    if len(words) == 2:
        forms.append(f"{words[1]} {words[0]}")
    return [f.lower() for f in forms]


def anchor_of(event: Event) -> str:
    """The event's date in the task's form (day, month or year; XXXX-XX-XX when undated)."""
    if event.interval_start is None or event.basis == DateBasis.REPORTED:
        return UNDATED
    start = event.interval_start
    if event.granularity in ("day", "part_of_day", "minute"):
        return start.isoformat()
    if event.granularity == "month":
        return start.isoformat()[:7]
    if event.granularity == "year":
        return str(start.year)
    return UNDATED


def format_timeline(entity: str, rows: list[tuple[Event, list[str]]]) -> str:
    """The timeline in the task's format: undated first with order 0, then by date."""
    dated = sorted((r for r in rows if anchor_of(r[0]) != UNDATED), key=lambda r: (r[0].interval_start, anchor_of(r[0])))
    lines = [entity] + [f"0\t{UNDATED}\t" + "\t".join(keys) for event, keys in rows if anchor_of(event) == UNDATED]
    order, previous = 0, None
    for event, keys in dated:
        anchor = anchor_of(event)
        if anchor != previous:
            order, previous = order + 1, anchor
        lines.append(f"{order}\t{anchor}\t" + "\t".join(keys))
    return "\n".join(lines) + "\n"


@dataclass
class TimelineScores:
    """How one system timeline compares with the gold one."""

    entity: str
    gold_mentions: int = 0
    found: int = 0
    system_mentions: int = 0
    anchored: int = 0
    anchor_checked: int = 0
    dated_right: int = 0
    dated: int = 0
    order_pairs: int = 0
    order_agree: int = 0


def score(gold: GoldTimeline, rows: list[tuple[Event, list[str]]]) -> TimelineScores:
    """Gold mentions found, anchors right at the gold granularity, and pairwise order agreement."""
    system = {key: event for event, keys in rows for key in keys}
    scores = TimelineScores(gold.entity, system_mentions=len(system))
    found = []
    for order, anchor, mentions in gold.rows:
        for mention in mentions:
            scores.gold_mentions += 1
            if mention in system:
                scores.found += 1
                found.append((order, anchor, system[mention]))
    for order, anchor, event in found:
        scores.anchor_checked += 1
        scores.anchored += _same_anchor(anchor, anchor_of(event))
        if anchor_of(event) != UNDATED:
            scores.dated += 1
            scores.dated_right += _same_anchor(anchor, anchor_of(event))
    dated = [(o, a, e) for o, a, e in found if a != UNDATED and e.interval_start is not None]
    for (o1, _, e1), (o2, _, e2) in combinations(dated, 2):
        scores.order_pairs += 1
        gold_sign = (o1 > o2) - (o1 < o2)
        ours = (e1.interval_start > e2.interval_start) - (e1.interval_start < e2.interval_start)
        scores.order_agree += gold_sign == ours
    return scores


def _same_anchor(gold: str, ours: str) -> bool:
    """Equal at the gold's granularity: "2010-06" matches "2010-06-07", not "2010"."""
    if gold == UNDATED or ours == UNDATED:
        return gold == ours
    return len(ours) >= len(gold) and ours[: len(gold)] == gold
