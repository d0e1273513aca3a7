"""SemEval-2015 Task 4 trial data: build each target entity's timeline and score it.

Reads ../shared/data/timelines/semeval2015-trial (says so and stops when it is absent), builds
the event table of its 30 Wikinews articles, writes one timeline per gold entity in the task's
format to OUT (default: benchmarks/out/semeval), and prints per entity and overall: the share of
gold event mentions found, anchoring accuracy at the gold granularity, pairwise order accuracy.
Then merge precision/recall: the mentions on one gold timeline line are one event; over pairs of
gold mentions of one entity's timeline that both appear in our timeline of that entity (and,
on a second line, anywhere in our events), precision = share of the pairs we put in one event that the gold puts on one line, recall =
share of the gold's same-line pairs that we put in one event (target P >= 0.90 at R >= 0.60).
Last, the official scorer (../shared/tools/semeval2015-scorer, Python 2.7: $PYTHON27, pyenv's
2.7 builds or python2.7 on PATH, whichever runs; skipped with a note when none does) on the
written timelines: its micro F1, precision and recall.
Usage: python benchmarks/bench_semeval.py [OUT]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from itertools import combinations
from pathlib import Path

from timeline.build import build_from_items
from timeline.models import CorpusItem
from timeline.models import BuildResult, Event
from timeline.semeval import GoldTimeline, SemEvalDocument, entity_timeline, format_timeline, read_document, read_gold, score

SHARED = Path(__file__).resolve().parents[2] / "shared"
DATA = SHARED / "data" / "timelines" / "semeval2015-trial"
GOLD = DATA / "TimeLines_trial_data_task4_v1.2"
SCORER = SHARED / "tools" / "semeval2015-scorer"
MERGE_TARGET = (0.90, 0.60)  # precision at least, at recall at least


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
    timelines = []
    for gold_path in sorted(GOLD.glob("*.txt")):
        gold = read_gold(gold_path)
        rows = entity_timeline(result, documents, gold.entity)
        timelines.append((gold, rows))
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
    print_merging(timelines, all_event_rows(result, documents))
    print_official(out)
    return 0


def merge_pairs(gold: GoldTimeline, rows: list[tuple[Event, list[str]]]) -> Counter:
    """Pairs of gold mentions found in our timeline: on one gold line, in one event of ours, both."""
    ours = {key: id(event) for event, keys in rows for key in keys}
    found = [(key, line) for line, (_, _, mentions) in enumerate(gold.rows) for key in dict.fromkeys(mentions) if key in ours]
    counts = Counter()
    for (key1, line1), (key2, line2) in combinations(found, 2):
        if key1 != key2:
            same_gold, same_ours = line1 == line2, ours[key1] == ours[key2]
            counts["gold"] += same_gold
            counts["ours"] += same_ours
            counts["both"] += same_gold and same_ours
            counts["pairs"] += 1
    return counts


def all_event_rows(result: BuildResult, documents: dict[str, SemEvalDocument]) -> list[tuple[Event, list[str]]]:
    """Every event of the build with its mentions as DOCID-SENTID-TOKEN (entity_timeline's keys, unfiltered)."""
    return [(e, [f"{m.doc_id}-{documents[m.doc_id].sentence_at(m.trigger_start)}-{m.trigger}" for m in e.mentions])
            for e in result.events]


def print_merging(timelines: list[tuple[GoldTimeline, list[tuple[Event, list[str]]]]],
                  every_event: list[tuple[Event, list[str]]]) -> None:
    """Pairwise merge precision and recall, pooled over the entity timelines; found in them, or anywhere."""
    print(f"merging (pairs of found gold mentions of one entity; target P >= {MERGE_TARGET[0]:.2f} "
          f"at R >= {MERGE_TARGET[1]:.2f}):")
    scopes = (("found in our entity timeline", timelines), ("found in any of our events",
                                                            [(gold, every_event) for gold, _ in timelines]))
    for label, pairs in scopes:
        counts = sum((merge_pairs(gold, rows) for gold, rows in pairs), Counter())
        print(f"  {label:30}{counts['pairs']:6} pairs; we join {counts['ours']:3}, the gold {counts['gold']:3}, "
              f"both {counts['both']:3}: precision {_ratio(counts['both'], counts['ours'])}, "
              f"recall {_ratio(counts['both'], counts['gold'])}")


def python27() -> str | None:
    """A Python 2.7 that runs: $PYTHON27, then pyenv's 2.7 builds, then python2.7 on PATH."""
    pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    candidates = [os.environ.get("PYTHON27"), *map(str, sorted(pyenv.glob("versions/2.7*/bin/python2.7"))),
                  shutil.which("python2.7")]
    return next((c for c in candidates if c and _is_python27(c)), None)


def _is_python27(command: str) -> bool:
    """Whether the command is a working Python 2.7 (a pyenv shim without 2.7 selected is not)."""
    check = "import sys; sys.exit(sys.version_info[:2] != (2, 7))"
    try:
        return subprocess.run([command, "-c", check], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def official_scores(python: str, system: Path) -> tuple[list[str], str]:
    """The official scorer's output lines and its error text, run from its folder with `python` = 2.7."""
    with tempfile.TemporaryDirectory() as shim:
        os.symlink(python, Path(shim) / "python")
        # The scripts call `python` by name; their temporary folders go under ours and go with it.
        env = {**os.environ, "PATH": shim + os.pathsep + os.environ.get("PATH", ""), "TMPDIR": shim}
        done = subprocess.run([python, "evaluation_all.py", str(GOLD), str(system.resolve())], cwd=SCORER, env=env,
                              capture_output=True, text=True, timeout=900)
    return done.stdout.splitlines(), done.stderr.strip()


def print_official(system: Path) -> None:
    """The official SemEval-2015 Task 4 scores of our timelines, or why there are none."""
    if not SCORER.is_dir():
        print(f"official scorer: {SCORER} is absent; skipped.")
        return
    python = python27()
    if python is None:
        print("official scorer: no Python 2.7 found ($PYTHON27, ~/.pyenv/versions/2.7*/bin/python2.7, python2.7 "
              "on PATH); skipped.")
        return
    missing = [p.name for p in sorted(GOLD.glob("*.txt")) if not (system / p.name).is_file()]
    if missing:
        print(f"official scorer: no system timeline for {', '.join(missing)} (scored as F1 0)")
    lines, errors = official_scores(python, system)
    micro = [line.split() for line in lines if "MICRO-FSCORE" in line]
    print(f"official scorer ({python}), temporal awareness F1 / P / R in %:")
    for fields in (line.split("\t") for line in lines if "\tFSCORE\t" in line):
        print(f"  {fields[0]:28}F1 {float(fields[2]):6.2f}  P {float(fields[4]):6.2f}  R {float(fields[6]):6.2f}")
    if not micro:
        print("  the scorer gave no micro scores: " + (errors.splitlines()[-1] if errors else "no output"))
        return
    fields = micro[0]
    print(f"  {'micro':28}F1 {float(fields[1]):6.2f}  P {float(fields[3]):6.2f}  R {float(fields[5]):6.2f}"
          "   (published Track A best: F1 7.85, on the test data)")


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "-"


if __name__ == "__main__":
    sys.exit(main())
