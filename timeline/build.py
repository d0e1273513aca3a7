"""The build: a corpus of articles in, an ordered event table and its files out."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator

import pandas as pd

from timeline.corpus import CorpusItem, iter_corpus
from timeline.entities import EntityResolver
from timeline.events import EventMention, extract_mentions
from timeline.export import csv_text
from timeline.merge import GRANULARITY_RANK, Event, merge_all
from timeline.models import Document

EVENT_COLUMNS = [
    "event_id", "value", "interval_start", "interval_end", "granularity", "date_basis", "date_text",
    "description", "actors", "locations", "status", "sources", "n_sources", "conflicts", "confidence",
    "reported_date",
]
MENTION_COLUMNS = [
    "event_id", "mention_id", "doc_id", "sentence", "trigger", "trigger_start", "trigger_end",
    "timex_text", "timex_value", "timex_start", "timex_end", "date_basis", "actors", "affected",
    "locations", "status", "sentence_start", "lemma", "kind", "timex_type", "timex_granularity",
    "timex_interval_start", "timex_interval_end", "published", "description", "key_terms",
]
DOCUMENT_COLUMNS = ["input", "doc_id", "status", "problem", "title", "source", "url", "published", "published_from", "warnings"]
PIPE_BATCH = 16


@dataclass
class BuildResult:
    """Everything a build produced: the event table and an account of every input."""

    events: list[Event] = field(default_factory=list)
    documents: list[CorpusItem] = field(default_factory=list)
    table: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=EVENT_COLUMNS))

    @property
    def built(self) -> list[Document]:
        return [i.document for i in self.documents if i.document is not None]

    @property
    def failed(self) -> list[CorpusItem]:
        return [i for i in self.documents if i.error]


def build(paths: list[Path], published: dt.date | None = None, progress: Callable | None = None,
          n_process: int = 1) -> BuildResult:
    """Read, tag, extract and merge: the whole pipeline over files and folders."""
    return build_from_items(iter_corpus(paths, published), progress=progress, n_process=n_process)


def build_from_items(items, progress: Callable | None = None, n_process: int = 1) -> BuildResult:
    """The pipeline over corpus items (documents or failures), streamed through spaCy."""
    from timeline.nlp import load_nlp
    from timeline.tagger import default_tagger

    result = BuildResult()
    tagger = default_tagger()
    mentions: list[EventMention] = []
    readable = _readable(items, result, progress)
    texts = ((item.document.text, item) for item in readable)
    for spacy_doc, item in load_nlp("full").pipe(texts, as_tuples=True, batch_size=PIPE_BATCH, n_process=n_process):
        tagged = tagger.tag_document(item.document, doc=spacy_doc)
        item.warnings.extend(tagged.warnings)
        found = extract_mentions(item.document, spacy_doc, tagged.expressions)
        if item.document.dct_source == "inferred":
            for mention in found:
                if mention.timex is not None and mention.timex.anchor != "absolute":
                    mention.basis = "inferred"
        mentions.extend(found)
        # Keep the account of the document, not its text: memory grows with the table only.
        item.document = replace(item.document, text="")
    result.events = merge_all(mentions)
    result.table = event_table(result.events, _document_order(result))
    return result


def _readable(items, result: BuildResult, progress) -> Iterator[CorpusItem]:
    for item in items:
        result.documents.append(item)
        if progress is not None:
            progress(item)
        if item.document is not None:
            yield item


def _document_order(result: BuildResult) -> dict[str, int]:
    return {d.doc_id: n for n, d in enumerate(result.built)}


def event_table(events: list[Event], document_order: dict[str, int] | None = None) -> pd.DataFrame:
    """One row per event, ordered by interval start, then finer granularity, then document order."""
    document_order = document_order or {}
    rows = [_event_row(e) for e in events]
    frame = pd.DataFrame(rows, columns=EVENT_COLUMNS + ["_rank", "_doc", "_offset"])
    if frame.empty:
        return frame[EVENT_COLUMNS]
    frame["_doc"] = [document_order.get(e.lead.doc_id, 0) for e in events]
    frame["_sort_date"] = frame["interval_start"].fillna(frame["reported_date"])
    frame["_undated"] = frame["interval_start"].isna()
    frame = frame.sort_values(["_undated", "_sort_date", "_rank", "_doc", "_offset"], na_position="last", kind="stable")
    return frame[EVENT_COLUMNS].reset_index(drop=True)


def has_own_date(table: pd.DataFrame) -> pd.Series:
    """True for the events with a date of their own (not only a report date)."""
    return table["value"].astype(str) != ""


def overlaps(table: pd.DataFrame, start: dt.date | None, end: dt.date | None) -> pd.Series:
    """True for events whose interval (undated ones: their report date) meets [start, end]."""
    dated = has_own_date(table)
    keep = pd.Series(True, index=table.index)
    if start:
        keep &= table["interval_end"].where(dated, table["reported_date"]).map(lambda d: d is None or d >= start)
    if end:
        keep &= table["interval_start"].where(dated, table["reported_date"]).map(lambda d: d is None or d <= end)
    return keep


def _event_row(event: Event) -> dict:
    lead = event.lead
    dated = next((m for m in event.mentions if m.timex is not None and m.timex.value == event.value), None)
    return {
        "event_id": event.event_id, "value": event.value or "",
        "interval_start": event.interval_start, "interval_end": event.interval_end,
        "granularity": event.granularity or "", "date_basis": event.basis,
        "date_text": dated.timex.text if dated else "", "description": lead.description,
        "actors": "; ".join(event.actors), "locations": "; ".join(event.locations), "status": event.status,
        "sources": "; ".join(event.sources), "n_sources": len(event.sources),
        "conflicts": "; ".join(event.conflicts), "confidence": event.confidence,
        "_rank": GRANULARITY_RANK.get(event.granularity or "", 99), "_offset": lead.trigger_start,
        "reported_date": min((m.published for m in event.mentions if m.published), default=None),
    }


def mention_rows(events: list[Event]) -> list[dict]:
    """One row per mention, with the event it belongs to."""
    rows = []
    for event in events:
        for m in event.mentions:
            rows.append({
                "event_id": event.event_id, "mention_id": m.mention_id, "doc_id": m.doc_id, "sentence": m.sentence,
                "trigger": m.trigger, "trigger_start": m.trigger_start, "trigger_end": m.trigger_end,
                "timex_text": m.timex.text if m.timex else "", "timex_value": m.timex.value if m.timex else "",
                "timex_start": m.timex.start if m.timex else "", "timex_end": m.timex.end if m.timex else "",
                "date_basis": _mention_basis(m, event), "actors": "; ".join(m.actors),
                "affected": "; ".join(m.affected), "locations": "; ".join(m.locations), "status": m.status,
                "sentence_start": m.sentence_start, "lemma": m.lemma, "kind": m.kind,
                "timex_type": m.timex.type if m.timex else "",
                "timex_granularity": (m.timex.granularity or "") if m.timex else "",
                "timex_interval_start": _iso(m.timex.interval_start) if m.timex else "",
                "timex_interval_end": _iso(m.timex.interval_end) if m.timex else "",
                "published": _iso(m.published), "description": m.description,
                "key_terms": "; ".join(sorted(m.key_terms)),
            })
    return rows


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def load_build(out_dir: Path) -> BuildResult:
    """A build written by `write_outputs`, read back from its events.json (plain JSON, never code)."""
    path = out_dir / "events.json"
    if not path.is_file():
        raise FileNotFoundError(f"{out_dir}: no events.json here (is it a `timeline build` output folder?)")
    data = json.loads(path.read_text("utf-8"))
    result = BuildResult(documents=[_document_item(row) for row in data.get("documents", [])])
    result.events = [_event_from_row(row) for row in data.get("events", [])]
    result.table = event_table(result.events, _document_order(result))
    return result


def _date(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _split(value) -> list[str]:
    return [v for v in str(value or "").split("; ") if v]


def _document_item(row: dict) -> CorpusItem:
    kind = "manifest" if row.get("status") == "manifest" else "article"
    if row.get("status") != "ok":
        return CorpusItem(row.get("input", ""), error=row.get("problem") or None, kind=kind)
    document = Document(row["doc_id"], "", _date(row.get("published")), row.get("published_from") or "unknown",
                        row.get("input"), title=row.get("title") or None, source=row.get("source") or None,
                        url=row.get("url") or None)
    return CorpusItem(row.get("input", ""), document)


def _event_from_row(row: dict) -> Event:
    event = Event(row["event_id"], [_mention_from_row(m) for m in row.get("mentions", [])],
                  value=row.get("value") or None, interval_start=_date(row.get("interval_start")),
                  interval_end=_date(row.get("interval_end")), granularity=row.get("granularity") or None,
                  basis=row.get("date_basis") or "reported", conflicts=_split(row.get("conflicts")),
                  actors=_split(row.get("actors")))
    return event


def _mention_from_row(row: dict) -> EventMention:
    from timeline.models import TimeExpression

    timex = None
    if row.get("timex_value"):
        timex = TimeExpression(
            row["timex_text"], int(row["timex_start"]), int(row["timex_end"]), row.get("timex_type") or "DATE",
            row["timex_value"], None, row.get("timex_granularity") or None, _date(row.get("timex_interval_start")),
            _date(row.get("timex_interval_end")),
        )
    basis = row.get("date_basis") or "reported"
    return EventMention(
        row["mention_id"], row["doc_id"], row["trigger"], int(row["trigger_start"]), int(row["trigger_end"]),
        row.get("lemma") or row["trigger"].lower(), row.get("kind") or "verb", row["sentence"],
        int(row.get("sentence_start") or 0), row.get("description") or row["trigger"], _split(row.get("actors")),
        _split(row.get("affected")), _split(row.get("locations")), row.get("status") or "happened", timex,
        "reported" if basis == "propagated" else basis, published=_date(row.get("published")),
        key_terms=frozenset(_split(row.get("key_terms"))),
    )


def _mention_basis(mention: EventMention, event: Event) -> str:
    if mention.basis == "reported" and event.basis not in ("reported",):
        return "propagated"
    return mention.basis


def document_rows(result: BuildResult) -> list[dict]:
    """One row per input: read or not, and why; its publication date and where it came from."""
    rows = []
    for item in result.documents:
        document = item.document
        status = "manifest" if item.kind == "manifest" else ("ok" if document else "failed")
        rows.append({
            "input": item.name, "doc_id": document.doc_id if document else "", "status": status,
            "problem": item.error or "", "title": (document.title if document else "") or "",
            "source": (document.source if document else "") or "", "url": (document.url if document else "") or "",
            "published": document.dct.isoformat() if document and document.dct else "",
            "published_from": document.dct_source if document else "", "warnings": " | ".join(item.warnings),
        })
    return rows


def write_outputs(result: BuildResult, out_dir: Path) -> list[Path]:
    """events.csv, mentions.csv, documents.csv, events.json and timelinejs.json in out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    table = result.table.copy()
    for column in ("interval_start", "interval_end", "reported_date"):
        table[column] = table[column].map(lambda d: d.isoformat() if isinstance(d, dt.date) else "")
    event_rows, mentions, documents = table.to_dict("records"), mention_rows(result.events), document_rows(result)
    written = [
        _write_csv(out_dir / "events.csv", EVENT_COLUMNS, event_rows),
        _write_csv(out_dir / "mentions.csv", MENTION_COLUMNS, mentions),
        _write_csv(out_dir / "documents.csv", DOCUMENT_COLUMNS, documents),
    ]
    events_json = out_dir / "events.json"
    payload = events_document(event_rows, mentions, documents)
    events_json.write_text(json.dumps(payload, ensure_ascii=False, indent=1), "utf-8")
    timelinejs = out_dir / "timelinejs.json"
    timelinejs.write_text(json.dumps(timelinejs_document(event_rows), ensure_ascii=False, indent=1), "utf-8")
    return written + [events_json, timelinejs]


def _write_csv(path: Path, columns: list[str], rows: list[dict]) -> Path:
    path.write_text(csv_text(columns, rows), encoding="utf-8")
    return path


def events_document(event_rows: list[dict], mentions: list[dict], documents: list[dict]) -> dict:
    """The events with their mentions, and the documents, as one JSON document."""
    by_event: dict[str, list[dict]] = {}
    for row in mentions:
        by_event.setdefault(row["event_id"], []).append(row)
    events = [{**row, "mentions": by_event.get(row["event_id"], [])} for row in event_rows]
    return {"documents": documents, "events": events}


def timelinejs_document(event_rows: list[dict]) -> dict:
    """The dated events (rows with ISO dates) in TimelineJS3's JSON format."""
    events = []
    for row in event_rows:
        if not row["interval_start"]:
            continue
        start, end = dt.date.fromisoformat(row["interval_start"]), dt.date.fromisoformat(row["interval_end"])
        entry = {
            "unique_id": row["event_id"], "start_date": _tjs_date(start, row["granularity"]),
            "text": {"headline": row["description"], "text": f"{row['value']} · {row['status']} · {row['sources']}"},
            "group": row["status"],
        }
        if end != start:
            entry["end_date"] = _tjs_date(end, "day")
        events.append(entry)
    return {"title": {"text": {"headline": "Timeline", "text": f"{len(events)} dated events"}}, "events": events}


def _tjs_date(day: dt.date, granularity: str) -> dict:
    date = {"year": day.year}
    if granularity not in ("year", "decade", "century"):
        date["month"] = day.month
    if granularity in ("day", "part_of_day", "minute"):
        date["day"] = day.day
    return date


def entity_events(result: BuildResult, name: str) -> list[Event]:
    """The events where an actor (under any of its aliases) takes part."""
    resolver = EntityResolver()
    resolver.learn_from(m for e in result.events for m in e.mentions)
    return [
        e for e in result.events
        if any(resolver.matches(a, name) for m in e.mentions for a in m.actors + m.affected)
    ]
