"""Speed of the tagger beside dateparser.search_dates and spaCy's small English pipeline.

Reads the raw text of the TimeML corpora in ../shared (TimeBank + AQUAINT); says so
and falls back to the seed articles when ../shared is absent.  One run, same text.
Usage: python benchmarks/bench_tagger.py [--docs N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from timeline.corpus import read_manifest, seeds_dir
from timeline.evaluate import gold_files
from timeline.nlp import load_nlp
from timeline.tagger import default_tagger
from timeline.timeml import read_timeml

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "timeml" / "tbaq"


def corpus(limit: int):
    if SHARED.is_dir():
        return [read_timeml(p).document for p in gold_files(SHARED)[:limit]], f"{SHARED} (first {limit} files)"
    print(f"note: {SHARED} is absent; benchmarking on the seed articles instead")
    return read_manifest(seeds_dir() / "manifest.csv"), "seed articles"


def timed(function):
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=80)
    args = parser.parse_args()
    documents, source = corpus(args.docs)
    nlp = load_nlp("full")
    tagger = default_tagger()
    tagger.tag("warm up on Monday", dct="2015-02-17")
    texts = [d.text for d in documents]
    docs, spacy_seconds = timed(lambda: list(nlp.pipe(texts)))
    tokens = sum(len(doc) for doc in docs)
    _, shared_seconds = timed(lambda: [tagger.tag_document(d, doc=doc) for d, doc in zip(documents, docs)])
    _, alone_seconds = timed(lambda: [tagger.tag_document(d) for d in documents])
    import dateparser.search

    _, dateparser_seconds = timed(lambda: [dateparser.search.search_dates(t, languages=["en"]) for t in texts])
    print(f"corpus: {source}: {len(documents)} documents, {tokens:,} tokens")
    rows = [
        ("spaCy en_core_web_sm (full pipeline, nlp.pipe)", spacy_seconds),
        ("timeline tagger on top of spaCy's parse", shared_seconds),
        ("timeline tagger alone (parses only tense windows)", alone_seconds),
        ("dateparser.search_dates", dateparser_seconds),
    ]
    for name, seconds in rows:
        print(f"{name:52} {tokens / seconds:10,.0f} tokens/s  ({seconds:.1f} s)")
    print(f"tagger cost on top of spaCy / spaCy cost: {shared_seconds / spacy_seconds:.2f} (target <= 0.33)")


if __name__ == "__main__":
    main()
