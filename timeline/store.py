"""The embedded store: a build's events and mentions as Parquet, queried in-process with DuckDB.

Every build writes `events.parquet` (the event table, in table order, list cells as lists) and
`mentions.parquet` beside its CSV files.  `EventStore` answers `timeline.table.Filters` with SQL
over the Parquet file, so a selection from millions of events never loads them all into pandas;
the selection means exactly what `timeline.table.select` means (a test compares the two).
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from timeline.table import (
    DATE_COLUMNS, EVENT_COLUMNS, LIST_COLUMNS, SCHEMA, Filters, Selection, searchable_text, split_cell,
)

EVENTS_FILE, MENTIONS_FILE = "events.parquet", "mentions.parquet"
MENTION_INTEGERS = ("trigger_start", "trigger_end", "sentence_start", "sentence_index")


def _arrow_type(dtype: str):
    import pyarrow as pa

    return {"str": pa.string(), "date": pa.date32(), "list": pa.list_(pa.string()), "int": pa.int64(),
            "float": pa.float64()}[dtype]


def events_parquet(table: pd.DataFrame) -> bytes:
    """The event table as Parquet bytes (deterministic: same table, same bytes), plus its row order."""
    import pyarrow as pa

    columns = {c.name: [_cell(v, c.dtype) for v in table[c.name]] for c in SCHEMA}
    columns["row"] = list(range(len(table)))
    # The words a text filter searches, lower-cased once here rather than on every query.
    columns["search_text"] = list(searchable_text(table)) if len(table) else []
    schema = pa.schema([(c.name, _arrow_type(c.dtype)) for c in SCHEMA]
                       + [("row", pa.int64()), ("search_text", pa.string())])
    return _parquet(pa.Table.from_pydict(columns, schema=schema))


def mentions_parquet(rows: list[dict], columns: list[str]) -> bytes:
    """The mention rows as Parquet bytes (offsets as integers, the rest as text)."""
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
    """A build's events in DuckDB (in-process, read-only): selections by SQL over events.parquet."""

    def __init__(self, out_dir: Path):
        import duckdb

        self.path = Path(out_dir) / EVENTS_FILE
        self.db = duckdb.connect(":memory:")
        # The file is read through a view; DuckDB reads only the columns and row groups a query needs.
        self.db.execute(f"CREATE VIEW events AS SELECT * FROM read_parquet('{_sql_path(self.path)}')")
        self._canonical: dict[str, str] | None = None
        self._resolver = None

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM events").fetchone()[0]

    def select(self, filters: Filters, limit: int | None = None) -> Selection:
        """The events that pass every filter, in table order (the `top` key events, if given)."""
        where, params = self._where(filters)
        matched = self.db.execute(f"SELECT count(*) FROM events WHERE {where}", params).fetchone()[0]
        if filters.top is not None and matched > filters.top:
            query = (f"SELECT * FROM (SELECT * FROM events WHERE {where} "
                     "ORDER BY salience DESC, n_sources DESC, row LIMIT ?) ORDER BY row")
            params = [*params, filters.top]
        else:
            query = f"SELECT * FROM events WHERE {where} ORDER BY row"
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        return Selection(self._frame(self.db.execute(query, params).df()), matched)

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

        if self._canonical is None:  # every name's canonical form, once per store
            names = sorted(row[0] for row in self.db.execute(
                "SELECT DISTINCT unnest(list_concat(actors, affected)) FROM events").fetchall())
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


def _sql_path(path: Path) -> str:
    """A path as a SQL string literal's content (quotes doubled: a folder name is never SQL)."""
    return str(path.resolve()).replace("'", "''")
