"""Scale: Dask scaling, memory at 1x/4x/16x a corpus, and `timeline add` against a full rebuild.

Reads the Timeline17 articles in ../shared/data/tls/timeline17/articles (1,344 news articles; says
so and stops when absent).  Every measurement runs in a fresh subprocess, so its peak memory
(ru_maxrss) is its own.  Results are printed as a table and written to benchmarks/out/scale.json.
Usage: python benchmarks/bench_scale.py [dask] [memory] [add]   (all three when none is named)
  dask:   the build on a local Dask cluster of 1 and of 2 worker processes (scaling efficiency)
  memory: single-process builds of 1x, 4x and 16x an 84-article slice (peak memory)
  add:    `timeline add` of 10 articles to a 1,000-article build, against building all 1,010
"""

from __future__ import annotations

import filecmp
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT.parent / "shared" / "data" / "tls" / "timeline17" / "articles"
OUT = ROOT / "benchmarks" / "out"
DASK_ARTICLES = 200
MEMORY_BASE = 84  # 16 x 84 = 1,344: the whole of Timeline17
ADD_BASE, ADD_NEW = 1000, 10


def interleave(topics: list[list]) -> list:
    """The first of every topic, then the second of every topic, ... (a slice is a mix of topics,
    as a growing archive is)."""
    return [topic[index] for index in range(max(map(len, topics), default=0)) for topic in topics if index < len(topic)]


def interleaved_rows() -> list[str]:
    """Every article line, topics interleaved."""
    return interleave([p.read_text("utf-8").splitlines() for p in sorted(ARTICLES.glob("*.jsonl"))])


def write_corpus(rows: list[str], folder: Path, name: str = "articles.jsonl") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("\n".join(rows) + "\n", "utf-8")
    return folder


# Runs the CLI and then reports its own peak memory and its workers' (each measurement its own).
CHILD = """
import json, resource, runpy, sys
sys.argv = ["timeline", *sys.argv[1:]]
code = 0
try:
    runpy.run_module("timeline.cli", run_name="__main__")
except SystemExit as exc:
    code = exc.code or 0
peak = max(resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print("PEAK_KB", peak, file=sys.stderr)
sys.exit(code)
"""


def timeline(*args) -> dict:
    """Run the CLI in a subprocess: seconds, and the peak memory (MB) of its largest process."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, *map(str, args)], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seconds = round(time.perf_counter() - start, 1)
    lines = done.stderr.strip().splitlines()
    if done.returncode != 0 or not lines or not lines[-1].startswith("PEAK_KB"):
        raise SystemExit(f"timeline {' '.join(map(str, args))} failed:\n{done.stderr[-2000:]}")
    return {"seconds": seconds, "peak_mb": round(int(lines[-1].split()[1]) / 1024), "said": lines[-2]}


def bench_dask(work: Path, rows: list[str]) -> dict:
    """A local Dask cluster of 1 worker process against 2 on the same articles (spaCy loads included)."""
    corpus = write_corpus(rows[:DASK_ARTICLES], work / "dask")
    runs = {n: timeline("build", corpus, "-o", work / f"dask-{n}", "--scheduler", "local", "--jobs", n) for n in (1, 2)}
    same = all(filecmp.cmp(work / "dask-1" / f, work / "dask-2" / f, shallow=False)
               for f in ("events.csv", "mentions.csv", "documents.csv"))
    efficiency = runs[1]["seconds"] / (2 * runs[2]["seconds"])
    return {"articles": DASK_ARTICLES, "one_worker_s": runs[1]["seconds"], "two_workers_s": runs[2]["seconds"],
            "scaling_efficiency": round(efficiency, 2), "identical_outputs": same}


def bench_memory(work: Path, rows: list[str]) -> list[dict]:
    """Peak memory of single-process builds of 1x, 4x and 16x a slice: does it grow with the table only?"""
    results = []
    for times in (1, 4, 16):
        corpus = write_corpus(rows[:MEMORY_BASE * times], work / f"mem-{times}")
        run = timeline("build", corpus, "-o", work / f"mem-{times}-out")
        events = json.loads((work / f"mem-{times}-out" / "build.json").read_text("utf-8"))["counts"]["events"]
        results.append({"times": times, "articles": MEMORY_BASE * times, "events": events, **run})
    return results


def bench_add(work: Path, rows: list[str]) -> dict:
    """Adding 10 articles to a 1,000-article build against building all 1,010 (time, and equal outputs)."""
    base = write_corpus(rows[:ADD_BASE], work / "add-base")
    new = write_corpus(rows[ADD_BASE:ADD_BASE + ADD_NEW], work / "add-new", "new.jsonl")
    first = timeline("build", base, "-o", work / "add-out")
    added = timeline("add", work / "add-out", new)
    full = timeline("build", base, new, "-o", work / "add-full")
    files = ("events.csv", "mentions.csv", "documents.csv", "events.json", "timelinejs.json")
    equal = all(filecmp.cmp(work / "add-out" / f, work / "add-full" / f, shallow=False) for f in files)
    return {"base_build_s": first["seconds"], "add_s": added["seconds"], "full_rebuild_s": full["seconds"],
            "add_peak_mb": added["peak_mb"], "equal_to_full_rebuild": equal, "said": added["said"]}


def main() -> int:
    if not ARTICLES.is_dir():
        print(f"{ARTICLES} is absent: this benchmark needs the Timeline17 articles from ../shared", file=sys.stderr)
        return 2
    wanted = set(sys.argv[1:]) or {"dask", "memory", "add"}
    rows = interleaved_rows()
    results = {}
    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        if "dask" in wanted:
            results["dask"] = bench_dask(work, rows)
            print("dask:", results["dask"], flush=True)
        if "memory" in wanted:
            results["memory"] = bench_memory(work, rows)
            for row in results["memory"]:
                print("memory:", row, flush=True)
        if "add" in wanted:
            results["add"] = bench_add(work, rows)
            print("add:", results["add"], flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    OUT.mkdir(exist_ok=True)
    (OUT / "scale.json").write_text(json.dumps(results, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
