"""The event table: its one schema, how it is built and ordered, and the one way to select from it.

The CLI, the dashboard, charts and briefings all read events through this module: they never
re-code what "undated" means, how list cells are split, or how a date range is matched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

import pandas as pd

from timeline.models import GRANULARITY_RANK, STATED_BASES
from timeline.salience import salience

if TYPE_CHECKING:
    from timeline.models import BuildResult, Event

LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Column:
    """One column of the event table: its name, pandas dtype and meaning."""

    name: str
    dtype: str
    meaning: str


SCHEMA = (
    Column("event_id", "str", "stable id of the event: kept when articles are added (E followed by 10 hex digits)"),
    Column("value", "str", "TIMEX3 value of the event's own date at its granularity (a duration placed in time: "
                          "its first/last day); empty when undated"),
    Column("interval_start", "date", "first day the date covers (\"last week\" is the whole week)"),
    Column("interval_end", "date", "last day the date covers"),
    Column("granularity", "str", "day, week, month, year, ... (timeline.models.Granularity)"),
    Column("date_basis", "str", "how the date was found (timeline.models.DateBasis); 'reported' when undated"),
    Column("date_text", "str", "the time expression as written in the article"),
    Column("time_note", "str", "how long, how often or roughly when the article says the event was, as written, "
                               "when that is no date: 'for two days', 'daily', 'in the past'"),
    Column("description", "str", "a short clause saying what happened"),
    Column("actors", "list", "who acted, canonical names"),
    Column("affected", "list", "who or what the event acted on"),
    Column("locations", "list", "places named in the event's clause"),
    Column("status", "str", "happened, ongoing, planned, ... (timeline.models.Status); 'claim' while only attributed"),
    Column("according_to", "list", "who the event is attributed to (\"X said ...\", \"according to X\")"),
    Column("sources", "list", "ids of the documents that report the event"),
    Column("n_sources", "int", "number of documents that report the event"),
    Column("conflicts", "list", "the dates sources disagree on, by source"),
    Column("confidence", "float", "0-1: how the date was found, more sources, less when sources disagree"),
    Column("salience", "float", "0-1: how much the event matters to a briefing (evidence in timeline.salience)"),
    Column("reported_date", "date", "earliest publication date among its sources: when it was reported"),
)
EVENT_COLUMNS = [c.name for c in SCHEMA]
LIST_COLUMNS = tuple(c.name for c in SCHEMA if c.dtype == "list")
DATE_COLUMNS = tuple(c.name for c in SCHEMA if c.dtype == "date")
UNRANKED = 99
DEFAULT_TOP = 40  # events a chart or briefing shows unless told otherwise


def split_cell(cell) -> list[str]:
    """The items of a list cell ("ISIS; Italy" -> ["ISIS", "Italy"])."""
    if cell is None or cell != cell:  # None or NaN
        return []
    return [item for item in str(cell).split(LIST_SEPARATOR) if item]


def join_cell(items: Iterable[str]) -> str:
    """A list cell from its items."""
    return LIST_SEPARATOR.join(items)


def event_table(events: list[Event], document_order: dict[str, int] | None = None) -> pd.DataFrame:
    """One row per event, ordered by interval start, then finer granularity, then document order."""
    document_order = document_order or {}
    rows = [_event_row(e, document_order) for e in events]
    frame = pd.DataFrame(rows, columns=EVENT_COLUMNS + ["_rank", "_doc", "_offset"])
    if frame.empty:
        return empty_table()
    frame["_sort_date"] = frame["interval_start"].fillna(frame["reported_date"])
    frame["_undated"] = frame["interval_start"].isna()
    frame = frame.sort_values(["_undated", "_sort_date", "_rank", "_doc", "_offset", "event_id"],
                              na_position="last", kind="stable")
    return frame[EVENT_COLUMNS].reset_index(drop=True)


def result_table(result: BuildResult) -> pd.DataFrame:
    """The event table of a build: its events in the order of its documents."""
    return event_table(result.events, {d.doc_id: n for n, d in enumerate(result.built)})


def empty_table() -> pd.DataFrame:
    """A table with the schema's columns and no rows."""
    return pd.DataFrame(columns=EVENT_COLUMNS)


def _event_row(event: Event, document_order: dict[str, int]) -> dict:
    lead = event.lead
    dated = next((m for m in event.told if m.dated and m.timex.date_value == event.value), None)
    return {
        "event_id": event.event_id, "value": event.value or "",
        "interval_start": event.interval_start, "interval_end": event.interval_end,
        "granularity": event.granularity or "", "date_basis": str(event.basis),
        "date_text": dated.timex.text if dated else "", "time_note": _time_note(event),
        "description": lead.description,
        "actors": join_cell(event.actors), "affected": join_cell(event.affected),
        "locations": join_cell(event.locations), "status": str(event.status),
        "according_to": join_cell(event.according_to),
        "sources": join_cell(event.sources), "n_sources": len(event.sources),
        "conflicts": join_cell(event.conflicts), "confidence": event.confidence, "salience": salience(event),
        "reported_date": min((m.published for m in event.mentions if m.published), default=None),
        "_rank": GRANULARITY_RANK.get(event.granularity or "", UNRANKED),
        "_doc": document_order.get(lead.doc_id, 0), "_offset": lead.trigger_start,
    }


def _time_note(event: Event) -> str:
    """The time its best-told mention says of the event that is no date, else another mention's."""
    noted = [event.lead] + [m for m in event.told if m is not event.lead]
    return next((m.time_note.phrase for m in noted if m.time_note is not None), "")


def has_own_date(table: pd.DataFrame) -> pd.Series:
    """True for the events with a date of their own (not only a report date)."""
    return table["value"].fillna("").astype(str) != ""


def is_stated(table: pd.DataFrame) -> pd.Series:
    """True for events whose date the text states for them (not inferred, and not only reported)."""
    return has_own_date(table) & table["date_basis"].isin([str(b) for b in STATED_BASES])


def overlaps(table: pd.DataFrame, start: dt.date | None, end: dt.date | None) -> pd.Series:
    """True for events whose interval (undated ones: their report date) meets [start, end]."""
    dated = has_own_date(table)
    keep = pd.Series(True, index=table.index)
    if start:
        keep &= table["interval_end"].where(dated, table["reported_date"]).map(lambda d: d is None or d >= start)
    if end:
        keep &= table["interval_start"].where(dated, table["reported_date"]).map(lambda d: d is None or d <= end)
    return keep


@dataclass
class Filters:
    """What a reader narrowed the table to; every field left empty keeps everything."""

    start: dt.date | None = None
    end: dt.date | None = None
    actors: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    min_sources: int = 1
    text: str = ""
    entity: str | None = None  # an actor or affected party under any alias ("ISIS" = "Islamic State")
    event_ids: set[str] | None = None
    stated_only: bool = False  # only events whose date the text states (no inferred, no undated)
    top: int | None = None  # keep only the N key events (highest salience)


@dataclass(frozen=True)
class Selection:
    """The events a selection kept, in table order, and how many matched before `top` cut them."""

    table: pd.DataFrame
    matched: int

    @property
    def note(self) -> str | None:
        """A note for the reader when `top` kept only some of the events that matched."""
        if self.matched <= len(self.table):
            return None
        return f"the {len(self.table)} key events of {self.matched:,} (highest salience)"


def select(table: pd.DataFrame, filters: Filters) -> Selection:
    """The events that pass every filter, in table order (the `top` key events, if given)."""
    if not len(table):
        return Selection(table, 0)
    keep = overlaps(table, filters.start, filters.end)
    for column, wanted in (("actors", filters.actors), ("locations", filters.locations),
                           ("sources", filters.sources)):
        if wanted:
            keep &= table[column].map(lambda cell, w=set(wanted): bool(w & set(split_cell(cell))))
    if filters.statuses:
        keep &= table["status"].isin([str(s) for s in filters.statuses])
    if filters.min_sources > 1:
        keep &= table["n_sources"] >= filters.min_sources
    if filters.text.strip():
        keep &= searchable_text(table).str.contains(filters.text.strip().lower(), regex=False)
    if filters.event_ids is not None:
        keep &= table["event_id"].isin(filters.event_ids)
    if filters.stated_only:
        keep &= is_stated(table)
    if filters.entity:
        keep &= _with_entity(table, filters.entity)
    view = table[keep]
    return Selection(key_events(view, filters.top), len(view))


def searchable_text(table: pd.DataFrame) -> pd.Series:
    """The searchable words of each event, lower-cased."""
    parts = [table[c].fillna("").astype(str) for c in ("description", "actors", "locations", "date_text")]
    return (parts[0] + " " + parts[1] + " " + parts[2] + " " + parts[3]).str.lower()


def _with_entity(table: pd.DataFrame, name: str) -> pd.Series:
    """True for events where this entity (under any alias, or by surname) acts or is acted on."""
    from timeline.entities import EntityResolver

    resolver = EntityResolver()
    names = [n for column in ("actors", "affected") for cell in table[column] for n in split_cell(cell)]
    resolver.learn(sorted(set(names)))
    wanted = resolver.canonical(name).lower()
    return (table["actors"].map(split_cell) + table["affected"].map(split_cell)).map(
        lambda cell: any(resolver.canonical(n).lower() == wanted for n in cell))


def key_events(view: pd.DataFrame, top: int | None) -> pd.DataFrame:
    """The `top` events of highest salience (ties: more sources, then table order), in table order."""
    if top is None or len(view) <= top:
        return view
    ranked = view.sort_values(["salience", "n_sources"], ascending=False, kind="stable")
    return view.loc[sorted(ranked.index[:top], key=view.index.get_loc)]


def safe_url(url) -> str | None:
    """The URL if it is an http(s) link to a host, else None: a manifest's URL is never a script."""
    from urllib.parse import urlsplit

    text = str(url or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c in text for c in "\n\r\t<>\"'`"):
        return None
    return text


def options(table: pd.DataFrame, column: str) -> list[str]:
    """The distinct items of a list column, for a filter's choices."""
    values = {item for cell in table[column] for item in split_cell(cell)} if len(table) else set()
    return sorted(values, key=lambda v: (v.lower(), v))


def dated_count(table: pd.DataFrame) -> int:
    """How many events have a date of their own."""
    return int(has_own_date(table).sum()) if len(table) else 0


def json_rows(table: pd.DataFrame, limit: int | None = None) -> list[dict]:
    """Rows of a (selected) table, JSON-ready: ISO dates, empty strings for missing values."""
    frame = table if limit is None else table.head(limit)
    return [{k: _json_cell(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _json_cell(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or value != value:
        return ""
    return value


def parse_rows(rows: list[dict]) -> pd.DataFrame:
    """The event table from JSON-ready rows (as `json_rows` or events.json give them)."""
    frame = pd.DataFrame([{c: row.get(c, "") for c in EVENT_COLUMNS} for row in rows], columns=EVENT_COLUMNS)
    for column in DATE_COLUMNS:
        frame[column] = frame[column].map(lambda v: dt.date.fromisoformat(v) if v else None)
    frame["n_sources"] = frame["n_sources"].map(int)
    frame["confidence"] = frame["confidence"].map(float)
    frame["salience"] = frame["salience"].map(lambda v: float(v) if v != "" else 0.0)
    return frame
