"""The dashboard at scale: 20,000 generated events.

Reports the server-side cost of the initial view and of filter callbacks (filter + figure +
grid rows, as the `refresh` callback does), the bytes each sends, and, when Debian's Chromium is
present, the time until the page has drawn its chart and grid in headless Chromium.
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


def timed(function):
    start = time.perf_counter()
    value = function()
    return value, time.perf_counter() - start


def server_side(count: int) -> None:
    from dashboard.app import build_app
    from dashboard.view import refreshed_view

    result, seconds = timed(lambda: generated_result(count))
    print(f"generated {count:,} events in {seconds:.1f} s")
    app, seconds = timed(lambda: build_app(result=result))
    print(f"app and layout built in {seconds:.2f} s")
    store = app.timeline_store

    def refresh(filters: Filters, lanes: str = "status"):
        figure, rows, _note, _summary, _choice = refreshed_view(store, filters, lanes, None)
        return len(store.select(filters).table), len(figure.to_json()) + len(json.dumps(rows, default=str))

    cases = [
        ("initial view (everything)", Filters()),
        ("status = threatened", Filters(statuses=["threatened"])),
        ("one actor", Filters(actors=["Actor 7"])),
        ("text search", Filters(text="place 42")),
        ("date range 2010", Filters(start=dt.date(2010, 1, 1), end=dt.date(2010, 12, 31))),
    ]
    app.upload_queue.close()
    print(f"{'callback':30}{'events':>8}{'seconds':>9}{'bytes sent':>12}")
    for name, filters in cases:
        (shown, size), seconds = timed(lambda f=filters: refresh(f))
        print(f"{name:30}{shown:8,}{seconds:9.2f}{size:12,}")


def browser_load(count: int) -> None:
    chromium = shutil.which("/usr/bin/chromium")
    if not chromium:
        print("no /usr/bin/chromium: browser load time not measured")
        return
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(port), "--events", str(count)],
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
            start = time.perf_counter()
            page.locator("#status-filter").get_by_label("threatened", exact=True).check()
            page.wait_for_function("!document.querySelector('#grid-note').innerText.startsWith('%d ')" % count,
                                   timeout=300_000)
            filtered = time.perf_counter() - start
            browser.close()
        print(f"headless Chromium: page with {count:,} events drawn in {loaded:.1f} s; "
              f"a status filter redrawn in {filtered:.1f} s")
    finally:
        server.terminate()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--serve", type=int)
    args = parser.parse_args()
    if args.serve:
        from dashboard.app import build_app

        from waitress import serve

        serve(build_app(result=generated_result(args.events)).server, host="127.0.0.1", port=args.serve, threads=8)
        return
    server_side(args.events)
    browser_load(args.events)


if __name__ == "__main__":
    main()
