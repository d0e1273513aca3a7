"""Speed and memory of the whole build beside spaCy's bare `nlp.pipe` on the same texts.

Reads the TimeBank + AQUAINT raw texts in ../shared, or with --corpus timeline17 the Timeline17
news articles (topics interleaved); says so and uses the seeds when the corpus is absent.
Each measurement runs in a fresh subprocess so peak memory (ru_maxrss) is its own; the build
is also run on half the corpus to show whether memory grows with corpus size.
Usage: python benchmarks/bench_build.py [--corpus tbaq|timeline17] [--docs N] [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scale import interleave  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
CORPORA = {"tbaq": DATA / "timeml" / "tbaq", "timeline17": DATA / "tls" / "timeline17" / "articles"}


def load_documents(corpus: str, limit: int):
    from timeline.corpus import iter_corpus, read_manifest, seeds_dir
    from timeline.evaluate import gold_files
    from timeline.timeml import read_timeml

    folder = CORPORA[corpus]
    if not folder.is_dir():
        print(f"note: {folder} is absent; benchmarking on the seed articles instead", file=sys.stderr)
        return read_manifest(seeds_dir() / "manifest.csv")
    if corpus == "tbaq":
        return [read_timeml(p).document for p in gold_files(folder)[:limit]]
    topics = [[i.document for i in iter_corpus([path]) if i.ok] for path in sorted(folder.glob("*.jsonl"))]
    return interleave(topics)[:limit]


def measure(kind: str, corpus: str, limit: int, jobs: int) -> dict:
    """Run one measurement in this process (called in a subprocess)."""
    documents = load_documents(corpus, limit)
    if kind == "spacy":
        import importlib

        from timeline.nlp import MODEL_PACKAGES

        module = next(importlib.import_module(n) for n in MODEL_PACKAGES if importlib.util.find_spec(n))
        nlp = module.load()
        start = time.perf_counter()
        tokens = sum(len(doc) for doc in nlp.pipe((d.text for d in documents), batch_size=16, n_process=jobs))
    else:
        from timeline.build import build_from_items
        from timeline.models import CorpusItem
        from timeline.nlp import load_nlp
        from timeline.tagger import default_tagger

        load_nlp("full"), default_tagger()  # loading is not the build's steady-state cost
        tokens = sum(len(d.text.split()) for d in documents)
        start = time.perf_counter()
        result = build_from_items((CorpusItem(d.doc_id, d) for d in documents), jobs=jobs)
        tokens = None
        events = len(result.events)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    row = {"kind": kind, "documents": len(documents), "seconds": seconds, "peak_mb": peak_mb}
    if tokens is not None:
        row["tokens"] = tokens
    if kind == "build":
        row["events"] = events
    return row


def run_child(kind: str, corpus: str, limit: int, jobs: int) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--corpus", corpus, "--docs", str(limit), "--jobs", str(jobs)],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=256)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="tbaq")
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.corpus, args.docs, args.jobs)))
        return
    spacy_row, build_row, half_row = (run_child(kind, args.corpus, docs, args.jobs) for kind, docs in
                                      (("spacy", args.docs), ("build", args.docs), ("build", args.docs // 2)))
    tokens = spacy_row["tokens"]
    folder = CORPORA[args.corpus]
    print(f"corpus: {folder if folder.is_dir() else 'seed articles'}: {spacy_row['documents']} documents, "
          f"{tokens:,} spaCy tokens; {args.jobs} process(es)")
    for name, row in (("spaCy nlp.pipe (bare)", spacy_row), ("timeline build", build_row)):
        print(f"{name:24}{row['documents'] / row['seconds']:8.2f} docs/s {tokens / row['seconds']:9,.0f} tokens/s"
              f"  ({row['seconds']:.1f} s, peak {row['peak_mb']:.0f} MB)")
    print(f"build speed / bare spaCy speed: {spacy_row['seconds'] / build_row['seconds']:.2f} (target >= 0.8)")
    print(f"peak memory, build on {half_row['documents']} vs {build_row['documents']} documents: "
          f"{half_row['peak_mb']:.0f} MB vs {build_row['peak_mb']:.0f} MB; events {half_row['events']} vs {build_row['events']}")


if __name__ == "__main__":
    main()
