"""SemEval-2015 Task 4 trial data: build each target entity's timeline and score it.

Reads ../shared/data/timelines/semeval2015-trial (says so and stops when it is absent), builds
the event table of its 30 Wikinews articles, writes one timeline per gold entity in the task's
format to OUT (default: benchmarks/out/semeval), and prints per entity and overall: the share of
gold event mentions found, anchoring accuracy at the gold granularity, pairwise order accuracy.
Usage: python benchmarks/bench_semeval.py [OUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

from timeline.build import build_from_items
from timeline.models import CorpusItem
from timeline.semeval import entity_timeline, format_timeline, read_document, read_gold, score

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "timelines" / "semeval2015-trial"


def main() -> int:
    if not DATA.is_dir():
        print(f"{DATA} is absent: the SemEval benchmark needs ../shared beside the project.")
        return 1
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "out" / "semeval"
    out.mkdir(parents=True, exist_ok=True)
    documents = {d.document.doc_id: d for d in map(read_document, sorted((DATA / "Corpus-trial-data_task4_TimeML").glob("*.tml")))}
    result = build_from_items([CorpusItem(d.document.path, d.document) for d in documents.values()])
    print(f"{len(documents)} documents, {len(result.events)} events")
    print(f"{'entity':28}{'gold':>6}{'found':>7}{'recall':>8}{'system':>8}{'anchor acc':>12}"
          f"{'dated acc':>11}{'order acc':>11}")
    totals = [0] * 9
    for gold_path in sorted((DATA / "TimeLines_trial_data_task4_v1.2").glob("*.txt")):
        gold = read_gold(gold_path)
        rows = entity_timeline(result, documents, gold.entity)
        (out / gold_path.name).write_text(format_timeline(gold.entity, rows), "utf-8")
        s = score(gold, rows)
        print(f"{gold.entity:28}{s.gold_mentions:6}{s.found:7}{_ratio(s.found, s.gold_mentions):>8}"
              f"{s.system_mentions:8}{_ratio(s.anchored, s.anchor_checked):>12}{_ratio(s.dated_right, s.dated):>11}"
              f"{_ratio(s.order_agree, s.order_pairs):>11}")
        for i, v in enumerate((s.gold_mentions, s.found, s.system_mentions, s.anchored, s.anchor_checked,
                               s.dated_right, s.dated, s.order_agree, s.order_pairs)):
            totals[i] += v
    gold_n, found, system, anchored, checked, dated_right, dated, agree, pairs = totals
    print(f"{'all (pooled)':28}{gold_n:6}{found:7}{_ratio(found, gold_n):>8}{system:8}"
          f"{_ratio(anchored, checked):>12}{_ratio(dated_right, dated):>11}{_ratio(agree, pairs):>11}")
    print("anchor acc: found gold mentions whose event date equals the gold anchor at its granularity;\n"
          "dated acc: the same, over those our timeline dates (undated events keep XXXX-XX-XX);\n"
          "order acc: pairs of found, gold-dated mentions ordered as in the gold (ties included).")
    print(f"timelines written to {out}")
    return 0


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "-"


if __name__ == "__main__":
    sys.exit(main())
