"""The embedded store at scale: filters over 1,000,000 generated events, DuckDB on Parquet against
pandas on the in-memory table (server time only: what a dashboard callback or `chart` waits for).

Usage: python benchmarks/bench_store.py [--events 1000000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_dashboard import generated_result  # noqa: E402

from timeline.store import EVENTS_FILE, EventStore, events_parquet  # noqa: E402
from timeline.table import Filters, select  # noqa: E402

CASES = {
    "everything, top 30": Filters(top=30),
    "one year": Filters(start=dt.date(2010, 1, 1), end=dt.date(2010, 12, 31), top=30),
    "one actor": Filters(actors=["Actor 7"], top=30),
    "status + place": Filters(statuses=["planned", "threatened"], locations=["Place 3"]),
    "text search": Filters(text="place 42 #9", top=30),
    "entity (aliases)": Filters(entity="Actor 12", top=30),
    "stated dates, one month": Filters(stated_only=True, start=dt.date(2005, 3, 1), end=dt.date(2005, 3, 31)),
}
REPEATS = 5


def median_ms(function) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    count = parser.parse_args().events
    start = time.perf_counter()
    table = generated_result(count).table
    print(f"generated {count:,} events in {time.perf_counter() - start:.0f} s")
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        data = events_parquet(table)
        (Path(folder) / EVENTS_FILE).write_bytes(data)
        print(f"events.parquet: {len(data) / 1e6:.1f} MB, written in {time.perf_counter() - start:.1f} s")
        store = EventStore(Path(folder))
        print(f"{'filter':28}{'matched':>10}{'DuckDB ms':>11}{'pandas ms':>11}")
        for name, filters in CASES.items():
            matched = store.select(filters).matched
            assert matched == select(table, filters).matched, name
            duck = median_ms(lambda: store.select(filters, limit=500))
            pandas = median_ms(lambda: select(table, filters))
            print(f"{name:28}{matched:10,}{duck:11.0f}{pandas:11.0f}", flush=True)


if __name__ == "__main__":
    main()
