"""Memory of the dashboard while clients upload articles at the same time (loopback only, bounded).

Starts `timeline serve` on the seed articles, then N clients (default 20) each add one
article through the page's own callbacks at once, and follow it until it is merged.  The
resident memory of the server and every process it started is sampled throughout; the peak
is what the README reports (issue 9: under 1.5 GB for 20 simultaneous uploads).
Usage: python benchmarks/bench_uploads.py [--clients 20] [--workers 1]
"""

from __future__ import annotations

import argparse
import base64
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dash_client import Callbacks, start_dashboard, stop  # noqa: E402

SEED = Path(__file__).resolve().parents[1] / "seeds" / "002_a2e2e5e539fd6ca0.txt"


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def upload(callbacks: Callbacks, number: int, results: list) -> None:
    """One client: add an article, then poll until the server says it is merged."""
    text = f"Client {number} reports.\n\n" + SEED.read_text("utf-8")
    content = "data:text/plain;base64," + base64.b64encode(text.encode("utf-8")).decode()
    started = time.perf_counter()
    reply = callbacks.call("upload-job.data", {"upload-button.n_clicks": 1}, {
        "upload-accepted.data": {"names": [f"client{number}.txt"], "contents": [content]},
        "upload-date.date": "2015-02-18"})
    job = reply["response"]["upload-job"]["data"]
    while True:
        state = callbacks.call("upload-progress.value", {"upload-poll.n_intervals": 1}, {"upload-job.data": job})
        messages = state["response"].get("upload-messages", {}).get("children")
        if messages:
            results.append((number, time.perf_counter() - started, str(messages)[:80]))
            return
        time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        process, base = start_dashboard(["--upload-workers", str(args.workers)], env={"TMPDIR": tmp})
        try:
            idle = tree_rss(process.pid)
            callbacks = Callbacks(base)
            peak, done = idle, threading.Event()

            def sample():
                nonlocal peak
                while not done.is_set():
                    peak = max(peak, tree_rss(process.pid))
                    time.sleep(0.1)

            sampler = threading.Thread(target=sample)
            sampler.start()
            results: list = []
            started = time.perf_counter()
            clients = [threading.Thread(target=upload, args=(callbacks, n, results)) for n in range(args.clients)]
            for client in clients:
                client.start()
            for client in clients:
                client.join()
            elapsed = time.perf_counter() - started
            done.set()
            sampler.join()
            left = list(Path(tmp).glob("timeline-uploads-*/*"))
        finally:
            stop(process)
        print(f"{args.clients} simultaneous uploads, {args.workers} upload worker(s):")
        print(f"  server + workers resident memory: idle {idle / 2**20:,.0f} MB, peak {peak / 2**20:,.0f} MB")
        print(f"  all merged after {elapsed:.1f} s; slowest client {max(r[1] for r in results):.1f} s; "
              f"{sum('added 1' in r[2] for r in results)} of {args.clients} reported 'added 1 article(s)'")
        print(f"  job folders left while running: {len(left)}; after exit: "
              f"{len(list(Path(tmp).glob('timeline-uploads-*')))}")


if __name__ == "__main__":
    main()
