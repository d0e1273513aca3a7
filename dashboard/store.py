"""The dashboard's server-side state: the built timeline, selections from it, and adding to it.

Filtering happens here, on the server, through `timeline.table.select`; the page only ever
receives the rows it shows.
"""

from __future__ import annotations

import threading

import pandas as pd

from timeline.models import BuildResult
from timeline.outputs import mention_rows
from timeline.table import Filters, Selection, dated_count, options, safe_url, select

GRID_LIMIT = 500


class TimelineStore:
    """The current timeline; uploads merge into it under a lock."""

    def __init__(self, result: BuildResult):
        self._lock = threading.Lock()
        self.version = 0
        self.documents: dict[str, dict] = {}
        self.failures: list[str] = []
        self._set(result)

    def _set(self, result: BuildResult) -> None:
        self.result = result
        self.documents = {d.doc_id: _document_info(d) for d in result.built}
        self.failures = [i.error for i in result.documents if i.error]
        self.events = {e.event_id: e for e in result.events}
        self.table = result.table
        self.version += 1

    def add(self, added: BuildResult) -> list[str]:
        """Merge newly built documents into the timeline (every existing date kept); returns their failures."""
        from timeline.build import add_to

        with self._lock:
            self._set(add_to(self.result, added))
        return [i.error for i in added.documents if i.error]

    def options(self, column: str) -> list[str]:
        """The distinct values of a list column, for a filter's choices."""
        return options(self.table, column)

    def select(self, filters: Filters) -> Selection:
        """The events that pass every filter, in table order."""
        return select(self.table, filters)

    def summary(self) -> str:
        """One line on what the timeline holds."""
        return (f"{len(self.table)} events from {len(self.documents)} articles; {dated_count(self.table)} have a date "
                "of their own, the others are shown in the 'reported only' strip at the date they were reported.")

    def mentions_of(self, event_id: str) -> list[dict]:
        """The mentions of one event with their article's metadata."""
        event = self.events.get(event_id)
        if event is None:
            return []
        return [row | self.documents.get(row["doc_id"], {"title": row["doc_id"], "url": None})
                for row in mention_rows([event])]

    def row(self, event_id: str) -> pd.Series | None:
        """The table row of one event."""
        rows = self.table[self.table["event_id"] == event_id]
        return rows.iloc[0] if len(rows) else None


def _document_info(document) -> dict:
    return {
        "title": document.title or document.doc_id, "source": document.source or "",
        "url": safe_url(document.url), "published": document.dct.isoformat() if document.dct else "",
        "published_from": document.dct_source,
    }
