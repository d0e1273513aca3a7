"""Golden file: every time expression of the seed articles, with the manifest's dates.

Regenerate after a reviewed change with: python -m tests.test_seeds_golden
"""

import json
from pathlib import Path

from timeline.corpus import read_manifest, seeds_dir
from timeline.tagger import default_tagger

GOLDEN = Path(__file__).parent / "golden" / "seeds_timexes.json"


def seed_timexes() -> dict:
    tagged = {}
    for document in read_manifest(seeds_dir() / "manifest.csv"):
        expressions = default_tagger().tag_document(document).expressions
        tagged[document.doc_id] = [[e.text, e.start, e.type, e.value, e.mod] for e in expressions]
    return tagged


def test_seed_articles_match_the_golden_file():
    assert seed_timexes() == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_key_seed_dates():
    found = {(doc, t[0]): t[3] for doc, rows in seed_timexes().items() for t in rows}
    assert found[("000_16e4113664efb583", "February 15")] == "2015-02-15"
    assert found[("000_16e4113664efb583", "Sunday")] == "2015-02-15"
    assert found[("000_16e4113664efb583", "Monday")] == "2015-02-16"
    assert found[("000_16e4113664efb583", "last weekend")] == "2015-W07-WE"
    assert found[("002_a2e2e5e539fd6ca0", "Last week")] == "2015-W07"
    assert found[("002_a2e2e5e539fd6ca0", "Tuesday")] == "2015-02-17"
    assert found[("002_a2e2e5e539fd6ca0", "the first six weeks of the year")] == "P6W"
    assert found[("001_ec7aeb75b8986f6f", "2011")] == "2011"


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(seed_timexes(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
