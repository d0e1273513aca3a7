"""How long `timeline build` takes to stop on Ctrl-C, with one process and with worker processes.

Builds a generated corpus (copies of a seed article) and sends SIGINT once documents are being
parsed; reports the time from the signal to the process's exit, its exit code, and whether the
previous output folder was left as it was.  Usage: python benchmarks/bench_interrupt.py [--tries 3]
"""

from __future__ import annotations

import argparse
import hashlib
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "002_a2e2e5e539fd6ca0.txt"


def corpus(folder: Path, count: int) -> Path:
    folder.mkdir()
    text = SEED.read_text("utf-8")
    for n in range(count):
        (folder / f"a{n:04d}.txt").write_text(f"Article {n}.\n\n{text}", "utf-8")
    return folder


def digest(folder: Path) -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(folder.iterdir()))).hexdigest()


def one_try(articles: Path, out: Path, jobs: int) -> tuple[float, int, bool, int]:
    before = digest(out)
    process = subprocess.Popen([sys.executable, "-m", "timeline.cli", "build", str(articles), "-o", str(out),
                                "--jobs", str(jobs)], cwd=ROOT, stderr=subprocess.DEVNULL)
    parent = psutil.Process(process.pid)
    while True:  # until documents are being parsed: CPU spent by the build (and its workers) past start-up
        busy = sum(p.cpu_times().user for p in [parent, *parent.children(recursive=True)] if p.is_running())
        if busy > 12 or process.poll() is not None:
            break
        time.sleep(0.1)
    workers = parent.children(recursive=True)
    sent = time.perf_counter()
    process.send_signal(signal.SIGINT)
    code = process.wait(timeout=600)
    seconds = time.perf_counter() - sent
    _, alive = psutil.wait_procs(workers, timeout=5)
    return seconds, code, digest(out) == before, len(alive)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tries", type=int, default=3)
    parser.add_argument("--docs", type=int, default=600)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        articles = corpus(Path(tmp) / "corpus", args.docs)
        out = Path(tmp) / "out"
        subprocess.run([sys.executable, "-m", "timeline.cli", "build", str(ROOT / "seeds"), "-o", str(out)],
                       cwd=ROOT, check=True, capture_output=True)
        for jobs in (1, 2):
            for number in range(args.tries):
                seconds, code, intact, alive = one_try(articles, out, jobs)
                print(f"--jobs {jobs}, try {number + 1}: stopped {seconds:.2f} s after Ctrl-C, exit code {code}, "
                      f"previous output {'untouched' if intact else 'CHANGED'}, "
                      f"half-written folders left: {len(list(Path(tmp).glob('.out.building-*')))}, "
                      f"worker processes left: {alive}")


if __name__ == "__main__":
    main()
