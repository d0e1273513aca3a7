"""Score one predicted timeline against gold timelines with tilse (run by bench_tls.py in .venv-tls).

Usage: python tls_score.py PREDICTED.json GOLD.json  (each [[date, [sentences]], ...]; GOLD may be
one timeline or a list of them).  Prints {"rouge_1": {"p", "r", "f"}, "rouge_2": {...}}: the
alignment-based ROUGE "align+ m:1" (evaluate_align_date_content_costs_many_to_one).
"""

import datetime
import json
import sys

from tilse.data.timelines import GroundTruth, Timeline
from tilse.evaluation import rouge


def timeline(rows):
    """A tilse Timeline from [[date, [sentences]], ...]."""
    return Timeline({datetime.date.fromisoformat(day[:10]): list(sentences) for day, sentences in rows})


def main():
    predicted = json.loads(open(sys.argv[1], encoding="utf-8").read())
    gold = json.loads(open(sys.argv[2], encoding="utf-8").read())
    golds = gold if gold and isinstance(gold[0][0], list) else [gold]
    evaluator = rouge.TimelineRougeEvaluator(measures=["rouge_1", "rouge_2"])
    scores = evaluator.evaluate_align_date_content_costs_many_to_one(
        timeline(predicted), GroundTruth([timeline(g) for g in golds]))
    print(json.dumps({measure: {"p": values["precision"], "r": values["recall"], "f": values["f_score"]}
                      for measure, values in scores.items()}))


if __name__ == "__main__":
    main()
