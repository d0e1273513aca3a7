"""The dashboard at scale: 20,000 or 1,000,000 generated events, served as `timeline serve OUT`
serves a build folder (the events queried through DuckDB from events.parquet).

Reports the server-side cost of the opening view and of filter, zoom and detail callbacks (as the
page's callbacks run them), the bytes each sends, and, when Debian's Chromium is present, the time
until the page has drawn its chart and grid in headless Chromium and a filter has redrawn it.
Usage: python benchmarks/bench_dashboard.py [--events 20000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import socket
import subprocess
import sys
import time

from timeline.models import BuildResult, Event, EventMention, TimeExpression
from timeline.table import Filters, event_table

STATUSES = ["happened"] * 6 + ["ongoing", "claim", "planned", "threatened", "hypothetical", "negated"]
GRANULARITIES = [("day", 0)] * 6 + [("week", 6), ("month", 29), ("year", 364)]
ACTORS = [f"Actor {i}" for i in range(300)]
PLACES = [f"Place {i}" for i in range(120)]


def generated_result(count: int, seed: int = 7) -> BuildResult:
    """A build result with `count` events spread over 20 years, a fifth of them undated."""
    rng = random.Random(seed)
    events = []
    for n in range(count):
        day = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(7300))
        granularity, span = rng.choice(GRANULARITIES)
        dated = rng.random() > 0.2
        timex = TimeExpression("on that day", 0, 11, "DATE", day.isoformat(), None, granularity, day,
                               day + dt.timedelta(days=span), "absolute") if dated else None
        mention = EventMention(
            f"d{n % 2000}:m{n}", f"d{n % 2000}", "attacked", 10, 18, "attack", "verb",
            f"Actor attacked a place in sentence {n}.", 0, f"{rng.choice(ACTORS)} attacked {rng.choice(PLACES)} #{n}",
            actors=[rng.choice(ACTORS)], locations=[rng.choice(PLACES)], status=rng.choice(STATUSES), timex=timex,
            basis="explicit" if dated else "reported", published=day + dt.timedelta(days=2),
        )
        event = Event(f"E{n:05d}", [mention], actors=list(mention.actors))
        if dated:
            event.value, event.granularity, event.basis = day.isoformat(), granularity, "explicit"
            event.interval_start, event.interval_end = timex.interval_start, timex.interval_end
        events.append(event)
    result = BuildResult(events=events)
    result.table = event_table(events)
    return result


def write_store(result: BuildResult, folder) -> None:
    """The Parquet files and build record `timeline serve OUT` reads (not the CSV/JSON exports, which a
    million generated events would take long to render and nothing here reads)."""
    import hashlib
    from pathlib import Path

    from timeline.outputs import DOCUMENT_COLUMNS, MENTION_COLUMNS, RECORD_FORMAT, mention_rows
    from timeline.store import DOCUMENTS_FILE, EVENTS_FILE, MENTIONS_FILE, events_parquet, rows_parquet

    documents = [{"doc_id": f"d{n}", "status": "ok", "title": f"Article {n}", "source": "Generated",
                  "published": "2010-01-01", "input": f"d{n}.txt"} for n in range(2000)]
    files = {EVENTS_FILE: events_parquet(result.table), MENTIONS_FILE: rows_parquet(mention_rows(result.events),
             MENTION_COLUMNS), DOCUMENTS_FILE: rows_parquet(documents, DOCUMENT_COLUMNS)}
    for name, data in files.items():
        (Path(folder) / name).write_bytes(data)
    record = {"tool": "timeline", "format": RECORD_FORMAT,
              "files": {name: {"sha256": hashlib.sha256(data).hexdigest()} for name, data in files.items()}}
    (Path(folder) / "build.json").write_text(json.dumps(record), "utf-8")


def timed(function):
    start = time.perf_counter()
    value = function()
    return value, time.perf_counter() - start


def server_side(count: int, folder) -> None:
    from dashboard.app import build_app
    from dashboard.view import refreshed_view
    from dashboard.detail import detail

    app, seconds = timed(lambda: build_app(corpus=[folder]))
    print(f"app and layout built over the store in {seconds:.2f} s")
    store = app.timeline_store
    app.upload_queue.close()

    def refresh(filters: Filters, zoom=None):
        figure, rows, note, _summary, _choice = refreshed_view(store, filters, "status", None, zoom)
        return note.split(" events")[0], len(figure.to_json()) + len(json.dumps(rows, default=str))

    some_event = store.select(Filters(top=1)).table["event_id"].iloc[0]
    cases = [
        ("opening view (30 key events)", lambda: refresh(Filters(top=30))),
        ("show all events", lambda: refresh(Filters())),
        ("status = threatened", lambda: refresh(Filters(statuses=["threatened"]))),
        ("one actor", lambda: refresh(Filters(actors=["Actor 7"]))),
        ("text search", lambda: refresh(Filters(text="place 42"))),
        ("date range (one year)", lambda: refresh(Filters(start=dt.date(2010, 1, 1), end=dt.date(2010, 12, 31)))),
        ("zoom to one month", lambda: refresh(Filters(), (dt.date(2010, 3, 1), dt.date(2010, 3, 31)))),
        ("zoom to one week", lambda: refresh(Filters(), (dt.date(2010, 3, 1), dt.date(2010, 3, 7)))),
        ("detail panel of one event", lambda: ("1", len(str(detail(store, some_event))))),
    ]
    print(f"{'callback':32}{'events':>10}{'seconds':>9}{'bytes sent':>12}")
    for name, call in cases:
        times = []
        for _ in range(3):
            (shown, size), seconds = timed(call)
            times.append(seconds)
        print(f"{name:32}{shown:>10}{sorted(times)[1]:9.2f}{size:12,}")


def changed_note_after(page, action) -> float:
    """Seconds from an action until the server's answer has replaced the table's note."""
    before = page.inner_text("#grid-note")
    start = time.perf_counter()
    action()
    page.wait_for_function("document.querySelector('#grid-note').innerText !== %s" % json.dumps(before),
                           timeout=120_000)
    return time.perf_counter() - start


def browser_load(count: int, folder) -> None:
    chromium = shutil.which("/usr/bin/chromium")
    if not chromium:
        print("no /usr/bin/chromium: browser load time not measured")
        return
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "timeline.cli", "serve", str(folder), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            start = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_selector(".ag-row", timeout=300_000)
            page.wait_for_function("document.querySelector('#timeline-chart .js-plotly-plot') && "
                                   "document.querySelector('#timeline-chart .js-plotly-plot').data.length > 0",
                                   timeout=300_000)
            loaded = time.perf_counter() - start
            page.wait_for_load_state("networkidle")  # the page's own first callbacks are done
            zoomed = changed_note_after(page, lambda: page.evaluate(
                "Plotly.relayout(document.querySelector('#timeline-chart .js-plotly-plot'), "
                "{'xaxis.range': ['2010-03-01', '2010-03-08']})"))
            filtered = changed_note_after(
                page, lambda: page.locator("#status-filter").get_by_label("threatened", exact=True).check())
            browser.close()
        print(f"headless Chromium: page over {count:,} events drawn in {loaded:.1f} s; "
              f"a zoom to one week redrawn in {zoomed:.1f} s, then a status filter in {filtered:.1f} s")
    finally:
        server.terminate()


def main() -> None:
    import tempfile

    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20_000)
    count = parser.parse_args().events
    result, seconds = timed(lambda: generated_result(count))
    print(f"generated {count:,} events in {seconds:.1f} s")
    with tempfile.TemporaryDirectory() as folder:
        _, seconds = timed(lambda: write_store(result, folder))
        print(f"wrote the store in {seconds:.1f} s")
        del result
        server_side(count, folder)
        browser_load(count, folder)


if __name__ == "__main__":
    main()
