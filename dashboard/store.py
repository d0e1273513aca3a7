"""The dashboard's server-side state: the event table, its mentions and documents, and filtering.

Filtering happens here, on the server; the page only ever receives the filtered rows it shows.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field

import pandas as pd

from timeline.build import BuildResult, event_table, mention_rows, overlaps
from timeline.events import EventMention
from timeline.merge import merge_all

GRID_LIMIT = 500


@dataclass
class Filters:
    """What the user narrowed the view to."""

    start: dt.date | None = None
    end: dt.date | None = None
    actors: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    min_sources: int = 1
    text: str = ""


class TimelineStore:
    """The current timeline; uploads merge into it under a lock."""

    def __init__(self, result: BuildResult):
        self._lock = threading.Lock()
        self.version = 0
        self.documents: dict[str, dict] = {}
        self.failures: list[str] = []
        self._mentions: list[EventMention] = [m for e in result.events for m in e.mentions]
        self._remember_documents(result)
        self._set(result.events)

    def _remember_documents(self, result: BuildResult) -> None:
        for item in result.documents:
            if item.document is not None:
                d = item.document
                self.documents[d.doc_id] = {
                    "title": d.title or d.doc_id, "source": d.source or "", "url": d.url or "",
                    "published": d.dct.isoformat() if d.dct else "", "published_from": d.dct_source,
                }
            elif item.error:
                self.failures.append(item.error)

    def _set(self, events) -> None:
        self.events = {e.event_id: e for e in events}
        self.table = event_table(events)
        self.version += 1

    def add(self, result: BuildResult) -> list[str]:
        """Merge newly built documents into the timeline; returns their failures."""
        with self._lock:
            self._remember_documents(result)
            self._mentions.extend(m for e in result.events for m in e.mentions)
            self._set(merge_all(self._mentions))
        return [i.error for i in result.documents if i.error]

    def options(self, column: str) -> list[str]:
        """The distinct values of a "; "-joined column, for a filter's choices."""
        values = {v for cell in self.table[column].fillna("") for v in str(cell).split("; ") if v}
        return sorted(values, key=str.lower)

    def filtered(self, filters: Filters) -> pd.DataFrame:
        """The events that pass every filter, in table order."""
        table = self.table
        if not len(table):
            return table
        keep = overlaps(table, filters.start, filters.end)
        for column, wanted in (("actors", filters.actors), ("locations", filters.locations), ("sources", filters.sources)):
            if wanted:
                keep &= table[column].fillna("").map(lambda cell, w=set(wanted): bool(w & set(str(cell).split("; "))))
        if filters.statuses:
            keep &= table["status"].isin(filters.statuses)
        if filters.min_sources > 1:
            keep &= table["n_sources"] >= filters.min_sources
        if filters.text.strip():
            needle = filters.text.strip().lower()
            haystack = (table["description"].fillna("") + " " + table["actors"].fillna("") + " "
                        + table["locations"].fillna("") + " " + table["date_text"].fillna(""))
            keep &= haystack.str.lower().str.contains(needle, regex=False)
        return table[keep]

    def mentions_of(self, event_id: str) -> list[dict]:
        """The mentions of one event with their article's metadata."""
        event = self.events.get(event_id)
        if event is None:
            return []
        rows = []
        for row, mention in zip(mention_rows([event]), event.mentions):
            row |= self.documents.get(mention.doc_id, {"title": mention.doc_id})
            row["sentence_start"] = mention.sentence_start
            rows.append(row)
        return rows


def grid_rows(table: pd.DataFrame, limit: int = GRID_LIMIT) -> list[dict]:
    """The first rows of a (filtered) table, JSON-ready."""
    rows = []
    for row in table.head(limit).to_dict("records"):
        rows.append({k: (v.isoformat() if isinstance(v, dt.date) else ("" if v is None or v != v else v))
                     for k, v in row.items()})
    return rows
