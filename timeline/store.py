"""The embedded store: a build's events and mentions as Parquet, queried in-process with DuckDB.

Every build writes `events.parquet` (the event table, in table order, list cells as lists),
`mentions.parquet` and `documents.parquet` beside its CSV files.  `EventStore` answers `timeline.table.Filters` with SQL
over the Parquet file, so a selection from millions of events never loads them all into pandas;
the selection means exactly what `timeline.table.select` means (a test compares the two).
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pandas as pd

from timeline.table import (
    DATE_COLUMNS, EVENT_COLUMNS, LIST_COLUMNS, SCHEMA, Filters, Selection, searchable_text, split_cell,
)

EVENTS_FILE, MENTIONS_FILE, DOCUMENTS_FILE = "events.parquet", "mentions.parquet", "documents.parquet"
MENTION_INTEGERS = ("trigger_start", "trigger_end", "sentence_start", "sentence_index", "recent_past",
                    "timex_start", "timex_end", "relative_days", "relative_report_date", "time_note_start",
                    "time_note_end")


def _arrow_type(dtype: str):
    import pyarrow as pa

    return {"str": pa.string(), "date": pa.date32(), "list": pa.list_(pa.string()), "int": pa.int64(),
            "float": pa.float64()}[dtype]


def events_parquet(table: pd.DataFrame) -> bytes:
    """The event table as Parquet bytes (deterministic: same table, same bytes), plus its row order."""
    return _parquet(events_arrow(table))


def events_arrow(table: pd.DataFrame):
    """The event table as an Arrow table in the store's schema (list cells as lists, row order, search text)."""
    import pyarrow as pa

    columns = {c.name: [_cell(v, c.dtype) for v in table[c.name]] for c in SCHEMA}
    columns["row"] = list(range(len(table)))
    # The words a text filter searches, lower-cased once here rather than on every query.
    columns["search_text"] = list(searchable_text(table)) if len(table) else []
    schema = pa.schema([(c.name, _arrow_type(c.dtype)) for c in SCHEMA]
                       + [("row", pa.int64()), ("search_text", pa.string())])
    return pa.Table.from_pydict(columns, schema=schema)


def rows_parquet(rows: list[dict], columns: list[str]) -> bytes:
    """Mention or document rows as Parquet bytes (mention offsets as integers, the rest as text, as
    written: unlike the CSV files, no cell is changed to keep spreadsheets from running it)."""
    import pyarrow as pa

    types = {c: pa.int64() if c in MENTION_INTEGERS else pa.string() for c in columns}
    data = {c: [_integer(row.get(c)) if c in MENTION_INTEGERS else _text(row.get(c)) for row in rows]
            for c in columns}
    return _parquet(pa.Table.from_pydict(data, schema=pa.schema(list(types.items()))))


def _cell(value, dtype: str):
    if dtype == "list":
        return split_cell(value)
    if value is None or value != value or (dtype == "str" and value == ""):
        return "" if dtype == "str" else None
    return value


def _integer(value) -> int | None:
    return int(value) if value not in (None, "") else None


def _text(value) -> str:
    return "" if value is None else str(value)


def _parquet(table) -> bytes:
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd", write_statistics=True)
    return sink.getvalue()


class EventStore:
    """A build's events in DuckDB (in-process, read-only): selections by SQL over events.parquet, or
    over an event table held in memory (a timeline built or grown in this process)."""

    def __init__(self, out_dir: Path | None = None, *, table: pd.DataFrame | None = None):
        import duckdb

        self._db = duckdb.connect(":memory:")
        self._has_mentions = table is None and (Path(out_dir) / MENTIONS_FILE).is_file()
        if table is not None:
            self._db.register("loaded_events", events_arrow(table))
            self._db.execute("CREATE TABLE events AS SELECT * FROM loaded_events")
            self._db.unregister("loaded_events")
        else:
            # Read through views: DuckDB reads only the columns and row groups a query needs.
            self._db.execute(f"CREATE VIEW events AS SELECT * FROM read_parquet('{_sql_path(Path(out_dir) / EVENTS_FILE)}')")
            if self._has_mentions:
                self._db.execute("CREATE VIEW mentions AS SELECT * FROM "
                                 f"read_parquet('{_sql_path(Path(out_dir) / MENTIONS_FILE)}', file_row_number=true)")
        self._lock = threading.Lock()
        self._canonical: dict[str, str] | None = None
        self._resolver = None

    def _rows(self, query: str, params: list | None = None) -> list[tuple]:
        # One cursor per query: a DuckDB connection is not shared between threads (the server has several).
        with self._db.cursor() as cursor:
            return cursor.execute(query, params or []).fetchall()

    def _frame_of(self, query: str, params: list | None = None) -> pd.DataFrame:
        with self._db.cursor() as cursor:
            return cursor.execute(query, params or []).df()

    def count(self, filters: Filters | None = None) -> int:
        """How many events pass the filters (all of them when none are given)."""
        where, params = self._where(filters or Filters())
        return self._rows(f"SELECT count(*) FROM events WHERE {where}", params)[0][0]

    def select(self, filters: Filters, limit: int | None = None, matched: int | None = None) -> Selection:
        """The events that pass every filter, in table order (the `top` key events, if given); at
        most `limit` rows are read back, while `matched` counts them all (counted here unless given)."""
        where, params = self._where(filters)
        if matched is None:
            matched = self._rows(f"SELECT count(*) FROM events WHERE {where}", params)[0][0]
        if filters.top is not None and matched > filters.top:
            query = (f"SELECT * FROM (SELECT * FROM events WHERE {where} "
                     "ORDER BY salience DESC, n_sources DESC, row LIMIT ?) ORDER BY row")
            params = [*params, filters.top]
        else:
            query = f"SELECT * FROM events WHERE {where} ORDER BY row"
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        return Selection(self._frame(self._frame_of(query, params)), matched)

    def daily_counts(self, filters: Filters) -> pd.Series:
        """Events per day of the selection (an undated event at its report date), in date order."""
        where, params = self._where(filters)
        frame = self._frame_of(
            "SELECT day, count(*) AS events FROM (SELECT CASE WHEN value <> '' THEN interval_start "
            f"ELSE reported_date END AS day FROM events WHERE {where}) WHERE day IS NOT NULL GROUP BY day ORDER BY day",
            params)
        return pd.Series(frame["events"].to_numpy(), index=pd.to_datetime(frame["day"]), name="events")

    def row(self, event_id: str) -> dict | None:
        """One event's row in the table's own form, or None."""
        frame = self._frame(self._frame_of("SELECT * FROM events WHERE event_id = ? LIMIT 1", [event_id]))
        return frame.iloc[0].to_dict() if len(frame) else None

    def options(self, column: str) -> list[str]:
        """The distinct items of a list column, for a filter's choices (as `timeline.table.options`)."""
        if column not in LIST_COLUMNS:
            raise ValueError(f"{column!r} is not a list column")
        values = [r[0] for r in self._rows(f"SELECT DISTINCT unnest({column}) FROM events")]
        return sorted((v for v in values if v), key=lambda v: (v.lower(), v))

    def dated_count(self) -> int:
        """How many events have a date of their own."""
        return self._rows("SELECT count(*) FROM events WHERE value <> ''")[0][0]

    def mention_rows(self, event_id: str) -> list[dict]:
        """The rows of mentions.parquet for one event (empty for a store held in memory)."""
        if not self._has_mentions:
            return []
        with self._db.cursor() as cursor:  # Python values, not pandas' (a column with gaps would be floats)
            # In the file's order (the event's mentions as the build listed them); scans run in parallel.
            cursor.execute("SELECT * EXCLUDE (file_row_number) FROM mentions WHERE event_id = ? "
                           "ORDER BY file_row_number", [event_id])
            names = [column[0] for column in cursor.description]
            return [_mention_row(dict(zip(names, values))) for values in cursor.fetchall()]

    def _where(self, filters: Filters) -> tuple[str, list]:
        """The SQL condition of a selection and its parameters (values are never pasted into SQL)."""
        dated = "value <> ''"
        clauses, params = ["TRUE"], []
        if filters.start:
            clauses.append(f"coalesce(CASE WHEN {dated} THEN interval_end ELSE reported_date END >= ?, TRUE)")
            params.append(filters.start)
        if filters.end:
            clauses.append(f"coalesce(CASE WHEN {dated} THEN interval_start ELSE reported_date END <= ?, TRUE)")
            params.append(filters.end)
        for column, wanted in (("actors", filters.actors), ("locations", filters.locations),
                               ("sources", filters.sources)):
            if wanted:
                clauses.append(f"list_has_any({column}, ?::VARCHAR[])")
                params.append(list(wanted))
        if filters.statuses:
            clauses.append("list_contains(?::VARCHAR[], status)")
            params.append([str(s) for s in filters.statuses])
        if filters.min_sources > 1:
            clauses.append("n_sources >= ?")
            params.append(filters.min_sources)
        if filters.text.strip():
            clauses.append("contains(search_text, ?)")
            params.append(filters.text.strip().lower())
        if filters.event_ids is not None:
            clauses.append("list_contains(?::VARCHAR[], event_id)")
            params.append(sorted(filters.event_ids))
        if filters.stated_only:
            from timeline.models import STATED_BASES

            clauses.append(f"{dated} AND list_contains(?::VARCHAR[], date_basis)")
            params.append([str(b) for b in STATED_BASES])
        if filters.entity:
            clauses.append("list_has_any(list_concat(actors, affected), ?::VARCHAR[])")
            params.append(self._names_of(filters.entity))
        return " AND ".join(clauses), params

    def _names_of(self, entity: str) -> list[str]:
        """Every actor or affected name in the store that stands for this entity (aliases, surnames)."""
        from timeline.entities import EntityResolver

        with self._lock:
            if self._canonical is None:  # every name's canonical form, once per store
                names = sorted(row[0] for row in self._rows(
                    "SELECT DISTINCT unnest(list_concat(actors, affected)) FROM events"))
                resolver = EntityResolver()
                resolver.learn(names)
                self._resolver = resolver
                self._canonical = {n: resolver.canonical(n).lower() for n in names}
        wanted = self._resolver.canonical(entity).lower()
        return [n for n, canonical in self._canonical.items() if canonical == wanted]

    @staticmethod
    def _frame(frame: pd.DataFrame) -> pd.DataFrame:
        """Rows in the event table's own form (list cells joined, dates as dates)."""
        for column in LIST_COLUMNS:
            frame[column] = frame[column].map(lambda items: "; ".join(items) if items is not None else "")
        for column in DATE_COLUMNS:
            frame[column] = frame[column].map(lambda d: None if d is None or d != d else pd.Timestamp(d).date())
        return frame[EVENT_COLUMNS].reset_index(drop=True)


def _mention_row(row: dict) -> dict:
    """A mention row as `timeline.outputs.mention_rows` gives it (a number that is not there as "")."""
    return {k: "" if k in MENTION_INTEGERS and v is None else v for k, v in row.items()}


def _sql_path(path: Path) -> str:
    """A path as a SQL string literal's content (quotes doubled: a folder name is never SQL)."""
    return str(path.resolve()).replace("'", "''")


class StoredBuild:
    """A build folder read through the store, checked against its record: the events by SQL, the
    documents from documents.parquet, and no event table or mention held in memory."""

    def __init__(self, out_dir: Path):
        from timeline.outputs import OutputError, read_record

        self.out_dir = Path(out_dir)
        record = read_record(self.out_dir)  # raises OutputError for a folder that is not a whole build
        missing = [n for n in (EVENTS_FILE, MENTIONS_FILE, DOCUMENTS_FILE) if n not in (record.get("files") or {})]
        if missing:
            raise OutputError(f"{self.out_dir}: built by an earlier version (no {missing[0]}); build it again")
        self.events = EventStore(self.out_dir)
        self.documents = _document_rows(self.out_dir / DOCUMENTS_FILE)

    @property
    def built(self) -> list[dict]:
        """The documents that were built (not failed inputs or manifests)."""
        return [d for d in self.documents if d.get("status") == "ok"]


def _document_rows(path: Path) -> list[dict]:
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()
