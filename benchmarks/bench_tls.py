"""Timeline summarisation on Timeline17 (six topics with journalists' gold timelines).

Reads ../shared/data/tls/timeline17 (says so and stops when it is absent).  For each topic, as
news-tls sets the task: only the articles published within the gold timeline's first..last date
are built (`timeline build`'s pipeline, output kept in OUT/<topic>, rebuilt only when missing or
--rebuild), then `timeline summarize OUT/<topic> --dates T --sentences N --from FIRST --to LAST`
writes the timeline, T = the gold's number of dates, N = round(mean sentences per gold date), over
the same time span the articles were chosen by (news-tls keeps its dates within it too).

Scores: date F1 (exact days) and ROUGE-1/2 F, the alignment-based "align+ m:1" variant of tilse
(Martschat & Markert 2017), per topic and averaged over timelines (mean P and R, F from them).
tilse is a benchmark-only dependency with its own environment: `bash scripts/setup-bench.sh`
makes .venv-tls (tilse and its ROUGE-1.5.5); without it only date F1 is reported.
Usage: python benchmarks/bench_tls.py [OUT] [--rebuild] [--topics A,B]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "tls" / "timeline17"
TILSE_PYTHON = ROOT / ".venv-tls" / "bin" / "python"
SCORER = Path(__file__).with_name("tls_score.py")


def read_gold(topic: str) -> list[list]:
    """The topic's gold timelines: each a list of [date, [sentences]]."""
    lines = (DATA / "gold" / f"{topic}.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def task_size(timeline: list[list]) -> tuple[int, int]:
    """(T, N): the gold's number of dates and its mean sentences per date, rounded."""
    dates = len(timeline)
    return dates, max(1, round(sum(len(sentences) for _, sentences in timeline) / dates))


def gold_span(timeline: list[list]) -> tuple[dt.date, dt.date]:
    """The gold timeline's first and last date (its lines are not in date order)."""
    days = [dt.date.fromisoformat(day[:10]) for day, _ in timeline]
    return min(days), max(days)


def articles_within(topic: str, first: dt.date, last: dt.date) -> list[dict]:
    """The topic's articles published from the gold's first to its last date."""
    rows = [json.loads(line) for line in (DATA / "articles" / f"{topic}.jsonl").read_text("utf-8").splitlines()
            if line.strip()]
    return [r for r in rows if first <= dt.date.fromisoformat(r["published"][:10]) <= last]


def build_topic(topic: str, rows: list[dict], out: Path) -> float:
    """Build the topic's articles into `out` (the pipeline `timeline build` runs); seconds taken."""
    from timeline.build import build_from_items
    from timeline.corpus import parse_publication_date
    from timeline.models import CorpusItem, Document
    from timeline.outputs import write_outputs

    start = time.perf_counter()
    items = []
    for row in rows:
        date, _problem = parse_publication_date(row["published"])
        items.append(CorpusItem(f"{topic}.jsonl:{row['id']}", Document(
            str(row["id"]), row["text"], date, "record", title=row.get("title"), source=row.get("source"))))
    write_outputs(build_from_items(items), out)
    return time.perf_counter() - start


def summarize(out: Path, dates: int, sentences: int, span: tuple[dt.date, dt.date], target: Path) -> None:
    """Run the `timeline summarize` command as a user would, over the task's time span."""
    subprocess.run([sys.executable, "-m", "timeline.cli", "summarize", str(out), "--dates", str(dates),
                    "--sentences", str(sentences), "--from", span[0].isoformat(), "--to", span[1].isoformat(),
                    "-o", str(target)], check=True, capture_output=True, text=True)


def date_scores(predicted: list[list], gold: list[list]) -> tuple[float, float, float]:
    """Date precision, recall and F1 over exact days."""
    ours, theirs = {d for d, _ in predicted}, {d for d, _ in gold}
    shared = len(ours & theirs)
    precision = shared / len(ours) if ours else 0.0
    recall = shared / len(theirs) if theirs else 0.0
    return precision, recall, f1(precision, recall)


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def rouge_scores(predicted_path: Path, gold_path: Path) -> dict | None:
    """tilse's align+ m:1 ROUGE-1/2 (P, R, F) in its own environment, or None without it."""
    if not TILSE_PYTHON.exists():
        return None
    done = subprocess.run([str(TILSE_PYTHON), str(SCORER), str(predicted_path), str(gold_path)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=str(Path(__file__).parent / "out" / "tls"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--topics", default="")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"{DATA} is absent: the Timeline17 benchmark needs ../shared beside the project.")
        return 1
    topics = args.topics.split(",") if args.topics else sorted(p.stem for p in (DATA / "gold").glob("*.jsonl"))
    out = Path(args.out)
    rows = []
    for topic in topics:
        for number, gold in enumerate(read_gold(topic)):
            rows.append(score_topic(topic, number, gold, out, args.rebuild))
    print_table(rows)
    if not TILSE_PYTHON.exists():
        print("ROUGE skipped: run `bash scripts/setup-bench.sh` for tilse (a benchmark-only environment).")
    return 0


def score_topic(topic: str, number: int, gold: list[list], out: Path, rebuild: bool) -> dict:
    """Build (when needed), summarise and score one gold timeline of a topic."""
    first, last = gold_span(gold)
    folder = out / topic
    articles = articles_within(topic, first, last)
    seconds = None
    if rebuild or not (folder / "build.json").exists():
        seconds = build_topic(topic, articles, folder)
    dates, sentences = task_size(gold)
    predicted_path = out / f"{topic}-{number}.json"
    summarize(folder, dates, sentences, (first, last), predicted_path)
    predicted = json.loads(predicted_path.read_text("utf-8"))
    gold_path = out / f"{topic}-{number}.gold.json"
    gold_path.write_text(json.dumps(gold, ensure_ascii=False), "utf-8")
    row = {"topic": topic, "articles": len(articles), "T": dates, "N": sentences,
           "build_s": seconds, "date": date_scores(predicted, gold), "rouge": rouge_scores(predicted_path, gold_path)}
    return row


def print_table(rows: list[dict]) -> None:
    """Per topic and averaged over timelines (mean P and R, F from them)."""
    print(f"{'topic':18}{'articles':>9}{'T':>5}{'N':>3}{'date F1':>9}{'AR1 F':>8}{'AR2 F':>8}{'build s':>9}")
    for row in rows:
        rouge = row["rouge"]
        print(f"{row['topic']:18}{row['articles']:9}{row['T']:5}{row['N']:3}{row['date'][2]:9.3f}"
              f"{rouge['rouge_1']['f'] if rouge else float('nan'):8.3f}"
              f"{rouge['rouge_2']['f'] if rouge else float('nan'):8.3f}"
              f"{row['build_s'] if row['build_s'] is not None else float('nan'):9.0f}")
    mean = lambda values: sum(values) / len(values)  # noqa: E731
    date_p, date_r = mean([r["date"][0] for r in rows]), mean([r["date"][1] for r in rows])
    line = f"{'mean':18}{'':9}{'':5}{'':3}{f1(date_p, date_r):9.3f}"
    if all(r["rouge"] for r in rows):
        for measure in ("rouge_1", "rouge_2"):
            p, r = mean([x["rouge"][measure]["p"] for x in rows]), mean([x["rouge"][measure]["r"] for x in rows])
            line += f"{f1(p, r):8.3f}"
    print(line)
    print("date F1: exact days; AR1/AR2: tilse align+ m:1 ROUGE-1/2 F (Martschat & Markert 2017); mean: over "
          "timelines, F from mean P and R. Published on all of Timeline17: DATEWISE 0.544 / 0.120 / 0.035.")


if __name__ == "__main__":
    sys.exit(main())
