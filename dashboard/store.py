"""The dashboard's server-side state: the timeline, selections from it, and adding to it.

Every selection is a DuckDB query (`timeline.store.EventStore`), over the build folder's
events.parquet when the dashboard serves a build, or over the event table of a timeline built
in this process; the page only ever receives the rows it shows.  A build folder is served
without reading its events or mentions into memory: a million events cost what their Parquet
file costs.  The first upload reads the build in (adding needs every mention).
"""

from __future__ import annotations

import threading
from pathlib import Path

from timeline.models import BuildResult
from timeline.outputs import mention_rows
from timeline.store import EventStore, StoredBuild
from timeline.table import Filters, Selection, safe_url

GRID_LIMIT = 500


class TimelineStore:
    """The current timeline; uploads merge into it under a lock."""

    def __init__(self, result: BuildResult | None = None, out_dir: Path | None = None):
        self._lock = threading.Lock()
        self.version = 0
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self.result: BuildResult | None = None
        if result is not None:
            self._set(result)
        else:
            self._open(StoredBuild(self.out_dir))

    @classmethod
    def of_build(cls, out_dir: Path) -> TimelineStore:
        """The timeline of a `timeline build` folder, checked against its record, queried where it lies."""
        return cls(out_dir=out_dir)

    def _open(self, stored: StoredBuild) -> None:
        self.events = {}  # not read: mentions come from mentions.parquet, one event at a time
        self.db = stored.events
        self.documents = {d["doc_id"]: _document_info(d) for d in stored.built}
        self._counted()

    def _set(self, result: BuildResult) -> None:
        self.result = result
        self.events = {e.event_id: e for e in result.events}
        self.db = EventStore(table=result.table)
        self.documents = {d.doc_id: _document_info(_document_fields(d)) for d in result.built}
        self._counted()

    def _counted(self) -> None:
        self.total, self.dated = self.db.count(), self.db.dated_count()
        self._options: dict[str, list[str]] = {}
        self.version += 1

    @property
    def table(self):
        """The whole event table (pandas); for a timeline held in memory only."""
        return self.result.table if self.result is not None else None

    def add(self, added: BuildResult) -> list[str]:
        """Merge newly built documents into the timeline (every existing date kept); returns their failures."""
        from timeline.build import add_to
        from timeline.outputs import load_build

        with self._lock:
            current = self.result if self.result is not None else load_build(self.out_dir)
            self._set(add_to(current, added))
        return [i.error for i in added.documents if i.error]

    def options(self, column: str) -> list[str]:
        """The distinct values of a list column, for a filter's choices."""
        if column not in self._options:
            self._options[column] = self.db.options(column)
        return self._options[column]

    def select(self, filters: Filters, limit: int | None = None, matched: int | None = None) -> Selection:
        """The events that pass every filter, in table order (at most `limit` rows read back; `matched`:
        their number, when the caller has counted them already)."""
        return self.db.select(filters, limit, matched)

    def count(self, filters: Filters) -> int:
        """How many events pass every filter."""
        return self.db.count(filters)

    def daily_counts(self, filters: Filters):
        """Events per day of a selection, for the overview."""
        return self.db.daily_counts(filters)

    def summary(self) -> str:
        """One line on what the timeline holds."""
        return (f"{self.total:,} events from {len(self.documents):,} articles; {self.dated:,} have a date "
                "of their own, the others are shown in the 'reported only' strip at the date they were reported.")

    def mentions_of(self, event_id: str) -> list[dict]:
        """The mentions of one event with their article's metadata."""
        if self.result is not None:
            event = self.events.get(event_id)
            rows = mention_rows([event]) if event is not None else []
        else:
            rows = self.db.mention_rows(event_id)
        return [row | self.documents.get(row["doc_id"], {"title": row["doc_id"], "url": None}) for row in rows]

    def row(self, event_id: str) -> dict | None:
        """The table row of one event."""
        return self.db.row(event_id)


def _document_fields(document) -> dict:
    """A built document's metadata as documents.parquet holds it."""
    return {"title": document.title or "", "source": document.source or "", "url": document.url or "",
            "published": document.dct.isoformat() if document.dct else "", "published_from": document.dct_source,
            "doc_id": document.doc_id}


def _document_info(row: dict) -> dict:
    return {
        "title": row.get("title") or row["doc_id"], "source": row.get("source") or "",
        "url": safe_url(row.get("url")), "published": row.get("published") or "",
        "published_from": row.get("published_from") or "",
    }
