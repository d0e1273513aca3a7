"""Callback throughput of the dashboard: waitress (what `timeline serve` runs) against Flask's development server.

10 client processes on 127.0.0.1, each on one keep-alive connection, post the same callback
for a fixed time (and at most a fixed number of requests).  Two callbacks: the detail panel
with nothing selected (the server's own cost) and the view refresh with a status filter (a
real redraw of chart and table).  Usage: python benchmarks/bench_server.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dash_client import ROOT, Callbacks, free_port, start_dashboard, stop  # noqa: E402

MAX_REQUESTS = 20_000  # per client: the load is bounded whatever the speed


def client(args) -> tuple[int, int]:
    port, body, seconds = args
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    done = errors = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and done < MAX_REQUESTS:
        connection.request("POST", "/_dash-update-component", body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        done += 1
        errors += response.status != 200
    connection.close()
    return done, errors


def measure(port: int, body: bytes, seconds: float, clients: int = 10) -> tuple[float, int]:
    with multiprocessing.Pool(clients) as pool:
        pool.map(client, [(port, body, 1.0)] * clients)  # warm-up
        started = time.monotonic()
        results = pool.map(client, [(port, body, seconds)] * clients)
        elapsed = time.monotonic() - started
    return sum(r[0] for r in results) / elapsed, sum(r[1] for r in results)


def start_development_server() -> tuple[subprocess.Popen, str]:
    """The same app on Flask's development server (threaded), as `timeline serve` ran it before."""
    port = free_port()
    code = ("import signal\nfrom dashboard.app import build_app\napp = build_app()\n"
            "signal.signal(signal.SIGTERM, signal.default_int_handler)\n"
            f"try:\n    app.run(host='127.0.0.1', port={port}, debug=False)\n"
            "except KeyboardInterrupt:\n    pass\nfinally:\n    app.upload_queue.close()\n")
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
            return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("the development server did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    rows = []
    for name, start in (("Flask development server (before)", start_development_server),
                        ("waitress, 8 threads (timeline serve)", lambda: start_dashboard([]))):
        process, base = start()
        try:
            callbacks = Callbacks(base)
            port = int(base.rsplit(":", 1)[1])
            cheap = callbacks.body("detail.children", {})
            redraw = callbacks.body("timeline-chart.figure", {"status-filter.value": ["happened"], "lanes.value": "status"})
            rows.append((name, *measure(port, cheap, args.seconds), *measure(port, redraw, args.seconds)))
        finally:
            stop(process)
    print(f"10 concurrent clients on 127.0.0.1, {args.seconds:.0f} s each (requests/s, errors):")
    print(f"{'server':40}{'detail panel':>16}{'view refresh':>16}")
    for name, cheap_rate, cheap_errors, redraw_rate, redraw_errors in rows:
        print(f"{name:40}{cheap_rate:12.0f} ({cheap_errors}){redraw_rate:12.1f} ({redraw_errors})")


if __name__ == "__main__":
    main()
