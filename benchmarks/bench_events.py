"""The event layer on TBAQ-cleaned (TimeBank + AQUAINT): detection, anchoring and dating against gold TimeML.

Reads ../shared/data/timeml/tbaq (all 256 .tml files; says so and exits 0 when it is absent),
builds each document on its own with its DCT (build_from_items, as the tool does for one
article) and compares our event mentions with the gold EVENT, TIMEX3 and TLINK annotations.
Gold offsets are taken in the plain text read_timeml produces (checked file by file).

Definitions (pooled over all documents):
- match: one of our mentions' trigger overlaps a gold EVENT extent by at least one character;
  one-to-one, greedy in text order (each gold event takes the first free overlapping mention).
- detection, all classes: P = matched mentions / our mentions, R = matched gold events / gold events.
- detection, OCCURRENCE + I_ACTION: R = matched gold events of those classes / gold events of
  those classes; P = mentions matched to a gold event of those classes / (our mentions - mentions
  matched to a gold event of another class). Unmatched mentions count against P in both rows.
- links: gold event-time TLINKs of an inclusion type (IS_INCLUDED, INCLUDES, DURING, DURING_INV,
  SIMULTANEOUS, BEGINS, ENDS, BEGUN_BY, ENDED_BY), written either way round (eventInstanceID +
  relatedToTime, or timeID + relatedToEventInstance); "DCT" links are those to the DCT's tid.
  A link is found when its gold event is matched by one of our mentions.
  Links to a DATE/TIME TIMEX3 with a calendar interval are also counted apart ("calendar"),
  the rest (DURATION, SET, PRESENT_REF, ...) as "other".
- anchoring: of found links, the share whose mention is dated (timex set, basis not 'reported')
  by a time expression overlapping the gold TIMEX3 ("right"), or carries it as its time note (a
  time said of the event that gives no date, "for two days", "daily": "noted"); "other": dated
  otherwise; "undated"; for DCT links, whose dated mention's interval contains the DCT. Target 0.75 on
  non-DCT links. For DCT links the share counting undated mentions as right is also given
  (an undated event is placed at its report date, which is the DCT).
- date: of found links, the share whose event (the mention's Event) has the gold TIMEX3's value,
  or an interval nesting in the gold one's or holding it (intervals from calendar.parse_value;
  a gold value's unknown part ends it: "1998-10-XX" is October 1998, "1989-WXX" is 1989).
Usage: python benchmarks/bench_events.py [--json] [--limit N] [--top N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter

import regex

from timeline.build import build_from_items
from timeline.calendar import parse_value
from timeline.evaluate import gold_files
from timeline.models import CorpusItem, Document, Event, EventMention
from timeline.timeml import ATTRIBUTE, CREATION_TIMEX, ENTITY, TAG, TEXT_SECTION, read_timeml

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "timeml" / "tbaq"
INCLUSION = frozenset({"IS_INCLUDED", "INCLUDES", "DURING", "DURING_INV", "SIMULTANEOUS", "BEGINS", "ENDS",
                       "BEGUN_BY", "ENDED_BY"})
CLASSES = ("OCCURRENCE", "I_ACTION", "REPORTING", "STATE", "I_STATE", "ASPECTUAL", "PERCEPTION")
FOCUS = ("OCCURRENCE", "I_ACTION")
TARGET_ANCHORING = 0.75
UNKNOWN_PART = regex.compile(r"-[WQH]?X+")


# ---------------------------------------------------------------- gold TimeML


@dataclass(frozen=True)
class Span:
    """A gold EVENT or TIMEX3 in the plain text: offsets, text, class (or type) and value."""

    tag: str  # EVENT or TIMEX3
    ident: str
    start: int
    end: int
    text: str
    kind: str
    value: str = ""


@dataclass
class Gold:
    """One gold file: its document, events, in-text timexes, DCT and event-time links."""

    document: Document
    events: dict[str, Span]
    timexes: dict[str, Span]
    dct: Span
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (eid, tid, relType)


def read_gold(path: Path) -> Gold:
    """A .tml file's gold annotations, offsets checked against read_timeml's text and TIMEX3s."""
    raw = path.read_text("utf-8")
    timeml = read_timeml(path)
    text, spans = plain_text(TEXT_SECTION.search(raw).group(1))
    timexes = {s.ident: s for s in spans if s.tag == "TIMEX3"}
    same_timexes = {(s.start, s.end) for s in timexes.values()} == {(g.start, g.end) for g in timeml.gold}
    if text != timeml.document.text or not same_timexes:
        raise ValueError(f"{path}: gold offsets disagree with read_timeml's")
    instances = {a.get("eiid"): a.get("eventID") for a in tags(raw, "MAKEINSTANCE")}
    dct = dict(ATTRIBUTE.findall(CREATION_TIMEX.search(raw).group(0)))
    gold = Gold(timeml.document, {s.ident: s for s in spans if s.tag == "EVENT"}, timexes,
                Span("TIMEX3", dct.get("tid", "t0"), -1, -1, "", dct.get("type", "DATE"), dct.get("value", "")))
    gold.links = [link for a in tags(raw, "TLINK") if (link := event_time_link(a, instances))]
    return gold


def plain_text(markup: str) -> tuple[str, list[Span]]:
    """The text without tags (entities unescaped, as read_timeml does) and its EVENT/TIMEX3 spans."""
    pieces, length, position = [], 0, 0
    open_tags: list[tuple[str, int, dict]] = []
    spans: list[Span] = []
    for tag in TAG.finditer(markup):
        chunk = ENTITY.sub(lambda m: html.unescape(m.group(0)), markup[position:tag.start()])
        pieces.append(chunk)
        length, position = length + len(chunk), tag.end()
        closing, name = tag.group(1), tag.group(2)
        if name not in ("EVENT", "TIMEX3"):
            continue
        if not closing:
            open_tags.append((name, length, dict(ATTRIBUTE.findall(tag.group(3)))))
        elif open_tags:
            spans.append(_span("".join(pieces), *open_tags.pop(), length))
    pieces.append(ENTITY.sub(lambda m: html.unescape(m.group(0)), markup[position:]))
    return "".join(pieces), spans


def _span(text: str, tag: str, start: int, attrs: dict, end: int) -> Span:
    """A tagged extent, trimmed of white space at its edges."""
    inner = text[start:end]
    start, end = start + len(inner) - len(inner.lstrip()), end - (len(inner) - len(inner.rstrip()))
    ident = attrs.get("eid") or attrs.get("tid", "")
    kind = attrs.get("class") or attrs.get("type", "")
    return Span(tag, ident, start, end, text[start:end], kind, attrs.get("value", ""))


def tags(raw: str, name: str) -> list[dict]:
    """The attributes of every <name ...> element of a file."""
    return [dict(ATTRIBUTE.findall(t.group(3))) for t in TAG.finditer(raw) if t.group(2) == name and not t.group(1)]


def event_time_link(attrs: dict, instances: dict) -> tuple[str, str, str] | None:
    """(eid, tid, relType) of an event-time TLINK written either way round, else None."""
    if "eventInstanceID" in attrs and "relatedToTime" in attrs:
        instance, tid = attrs["eventInstanceID"], attrs["relatedToTime"]
    elif "timeID" in attrs and "relatedToEventInstance" in attrs:
        instance, tid = attrs["relatedToEventInstance"], attrs["timeID"]
    else:
        return None
    return (instances[instance], tid, attrs.get("relType", "")) if instance in instances else None


# ---------------------------------------------------------------- our side


def build_one(document: Document) -> list[Event]:
    """Our events of one document, built on its own with its DCT."""
    return build_from_items([CorpusItem(document.path or document.doc_id, document)]).events


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """Whether two character ranges share at least one character."""
    return a_start < b_end and b_start < a_end


def match(events: list[Span], mentions: list[EventMention]) -> dict[str, EventMention]:
    """Gold eid -> our mention: one-to-one on character overlap, greedy in text order."""
    taken: set[int] = set()
    matched = {}
    for event in sorted(events, key=lambda s: s.start):
        for mention in mentions:
            if id(mention) in taken or not overlaps(mention.trigger_start, mention.trigger_end, event.start, event.end):
                continue
            matched[event.ident] = mention
            taken.add(id(mention))
            break
    return matched


def interval(value: str | None) -> tuple[dt.date, dt.date] | None:
    """A value's calendar interval; an unknown part ends it ("1998-10-XX" is October 1998, "1989-WXX" 1989)."""
    point = parse_value(UNKNOWN_PART.split(value)[0]) if value else None
    return (point.start, point.end) if point else None


def nested(a: tuple[dt.date, dt.date] | None, b: tuple[dt.date, dt.date] | None) -> bool:
    """Whether one interval lies within the other."""
    if a is None or b is None:
        return False
    return (a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1])


def anchoring(mention: EventMention, time: Span, dct: dt.date | None) -> str:
    """'right', 'noted' (the gold time is the mention's time note), 'other' (dated by another
    expression or date) or 'undated'."""
    note = mention.time_note
    if time.start >= 0 and note is not None and overlaps(note.start, note.end, time.start, time.end):
        return "noted"
    if not mention.dated:
        return "undated"
    timex = mention.timex
    if time.start < 0:  # the DCT
        inside = dct is not None and None not in (timex.interval_start, timex.interval_end)
        return "right" if inside and timex.interval_start <= dct <= timex.interval_end else "other"
    return "right" if overlaps(timex.start, timex.end, time.start, time.end) else "other"


def dated_right(event: Event, time: Span) -> bool:
    """Our event's date is the gold time's value, or nests with its interval."""
    if event.value is None:
        return False
    ours = (event.interval_start, event.interval_end) if event.interval_end else interval(event.value)
    return event.value == time.value or nested(ours, interval(time.value))


# ---------------------------------------------------------------- scoring


@dataclass
class Tally:
    """Counts pooled over documents."""

    documents: int = 0
    mentions: int = 0
    matched_by_class: Counter = field(default_factory=Counter)
    gold_by_class: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    kinds_matched: Counter = field(default_factory=Counter)
    links: Counter = field(default_factory=Counter)  # (scope, outcome)
    false_positives: Counter = field(default_factory=Counter)
    false_negatives: Counter = field(default_factory=Counter)


def score_document(gold: Gold, events: list[Event], tally: Tally) -> None:
    """Add one document's detection, anchoring and dating counts."""
    event_of = {id(m): e for e in events for m in e.mentions}
    mentions = sorted((m for e in events for m in e.mentions), key=lambda m: m.trigger_start)
    matched = match(list(gold.events.values()), mentions)
    matched_ids = {id(m) for m in matched.values()}
    tally.documents += 1
    tally.mentions += len(mentions)
    for mention in mentions:
        tally.kinds[mention.kind] += 1
        tally.kinds_matched[mention.kind] += id(mention) in matched_ids
        if id(mention) not in matched_ids:
            tally.false_positives[mention.trigger.lower()] += 1
    for span in gold.events.values():
        tally.gold_by_class[span.kind] += 1
        tally.matched_by_class[span.kind] += span.ident in matched
        if span.ident not in matched:
            tally.false_negatives[f"{span.text.lower()}/{span.kind}"] += 1
    for eid, tid, rel in gold.links:
        _score_link(gold, matched, event_of, eid, tid, rel, tally)


def _score_link(gold: Gold, matched: dict, event_of: dict, eid: str, tid: str, rel: str, tally: Tally) -> None:
    """Count one gold event-time link: found or not, anchored right, dated right."""
    time = gold.dct if tid == gold.dct.ident else gold.timexes.get(tid)
    if rel not in INCLUSION or time is None or eid not in gold.events:
        return
    mention = matched.get(eid)
    for scope in _scopes(time, gold.dct):
        tally.links[scope, "gold"] += 1
        if mention is not None:
            tally.links[scope, "found"] += 1
            tally.links[scope, anchoring(mention, time, gold.document.dct)] += 1
            tally.links[scope, "dated_right"] += dated_right(event_of[id(mention)], time)


def _scopes(time: Span, dct: Span) -> list[str]:
    """The rows a link counts in: the DCT, or a TIMEX3 and its type group."""
    if time is dct:
        return ["dct"]
    calendar = time.kind in ("DATE", "TIME") and interval(time.value) is not None
    return ["time", "time/calendar" if calendar else "time/other"]


def ratio(part: int, whole: int) -> float | None:
    """part / whole to three places, None when there is no whole."""
    return round(part / whole, 3) if whole else None


def summary(tally: Tally, seconds: float, top: int) -> dict:
    """Every number the benchmark reports, JSON-ready."""
    gold_events = sum(tally.gold_by_class.values())
    matched = sum(tally.matched_by_class.values())
    return {
        "documents": tally.documents, "seconds": round(seconds, 1), "mentions": tally.mentions,
        "gold_events": gold_events,
        "detection": {
            "all": {"precision": ratio(matched, tally.mentions), "recall": ratio(matched, gold_events),
                    "matched": matched},
            "occurrence+i_action": _focus_detection(tally, matched),
        },
        "recall_by_class": {c: {"gold": tally.gold_by_class[c], "found": tally.matched_by_class[c],
                                "recall": ratio(tally.matched_by_class[c], tally.gold_by_class[c])} for c in CLASSES},
        "precision_by_kind": {kind: {"mentions": n, "matched": tally.kinds_matched[kind],
                                     "precision": ratio(tally.kinds_matched[kind], n)}
                              for kind, n in sorted(tally.kinds.items())},
        "links": {scope: _link_summary(tally, scope) for scope in ("time", "time/calendar", "time/other", "dct")},
        "top_false_positives": tally.false_positives.most_common(top),
        "top_false_negatives": tally.false_negatives.most_common(top),
    }


def _focus_detection(tally: Tally, matched: int) -> dict:
    """Detection of OCCURRENCE + I_ACTION: mentions matched to other classes leave the precision denominator."""
    focus_matched = sum(tally.matched_by_class[c] for c in FOCUS)
    denominator = tally.mentions - (matched - focus_matched)
    return {"precision": ratio(focus_matched, denominator), "matched": focus_matched,
            "recall": ratio(focus_matched, sum(tally.gold_by_class[c] for c in FOCUS)),
            "precision_denominator": denominator}


def _link_summary(tally: Tally, scope: str) -> dict:
    """One row of link counts and shares."""
    counts = {k: tally.links[scope, k] for k in ("gold", "found", "right", "noted", "other", "undated", "dated_right")}
    counts["anchored_share"] = ratio(counts["right"] + counts["noted"], counts["found"])
    counts["dated_by_it_share"] = ratio(counts["right"], counts["found"])
    counts["date_share"] = ratio(counts["dated_right"], counts["found"])
    counts["anchored_or_undated_share"] = ratio(counts["right"] + counts["undated"], counts["found"])
    return counts


# ---------------------------------------------------------------- output

LINK_LABELS = {"time": "to a TIMEX3 (not DCT)", "time/calendar": "  calendar DATE/TIME",
               "time/other": "  other (DURATION...)", "dct": "to the DCT"}


def print_table(result: dict) -> None:
    """The summary as a compact table."""
    print(f"TBAQ-cleaned: {result['documents']} documents in {result['seconds']} s; "
          f"{result['mentions']} our mentions, {result['gold_events']} gold events")
    print(f"{'detection':24}{'P':>7}{'R':>7}{'matched':>9}")
    for name, row in result["detection"].items():
        print(f"{name:24}{_f(row['precision']):>7}{_f(row['recall']):>7}{row['matched']:9}")
    kinds = [f"   |  {k:10}{r['matched']:6}/{r['mentions']:<6}{_f(r['precision'])}"
             for k, r in result["precision_by_kind"].items()]
    print(f"{'recall by class':24}{'gold':>7}{'found':>7}{'R':>7}   |  precision by kind")
    for i, (name, row) in enumerate(result["recall_by_class"].items()):
        print(f"{name:24}{row['gold']:7}{row['found']:7}{_f(row['recall']):>7}{kinds[i] if i < len(kinds) else ''}")
    print(f"{'inclusion links':24}{'gold':>7}{'found':>7}{'right':>7}{'noted':>7}{'other':>7}{'undated':>8}"
          f"{'anchored':>10}{'by date':>9}{'date ok':>9}")
    for scope, row in result["links"].items():
        print(f"{LINK_LABELS[scope]:24}{row['gold']:7}{row['found']:7}{row['right']:7}{row['noted']:7}{row['other']:7}"
              f"{row['undated']:8}{_f(row['anchored_share']):>10}{_f(row['dated_by_it_share']):>9}"
              f"{_f(row['date_share']):>9}")
    print(f"anchoring target (links to a TIMEX3, not DCT): {TARGET_ANCHORING}; DCT links counting undated mentions "
          f"(placed at their report date) as right: {_f(result['links']['dct']['anchored_or_undated_share'])}")
    print("top unmatched triggers (FP): " + ", ".join(f"{w} {n}" for w, n in result["top_false_positives"]))
    print("top missed gold events (FN): " + ", ".join(f"{w} {n}" for w, n in result["top_false_negatives"]))
    print("definitions (details in this script's docstring): match = character overlap, one-to-one; OCC+I_ACTION\n"
          "precision leaves out of its denominator our mentions matched to gold events of other classes;\n"
          "anchored = dated by an expression overlapping the gold TIMEX3 (DCT links: a date containing the DCT),\n"
          "or noted with it (a time said of the event that gives no date); by date = the first alone;\n"
          "date ok = the event's value equals the gold value, or the two intervals nest.")


def _f(value: float | None) -> str:
    """A share for the table."""
    return "-" if value is None else f"{value:.3f}"


def run(paths: list[Path], top: int) -> dict:
    """Build and score every file."""
    started = perf_counter()
    tally = Tally()
    for path in paths:
        gold = read_gold(path)
        score_document(gold, build_one(gold.document), tally)
    return summary(tally, perf_counter() - started, top)


def main() -> int:
    """Run the benchmark; 0 also when the corpus is absent (it says so)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--limit", type=int, default=None, help="only the first N files")
    parser.add_argument("--top", type=int, default=12, help="how many frequent FP/FN words to list")
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"{SHARED} is absent: the event benchmark needs ../shared beside the project; skipped.")
        return 0
    result = run(gold_files(SHARED)[: args.limit], args.top)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
