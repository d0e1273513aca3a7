"""The build on the seed articles: the dates, merges and statuses the issue names, and a golden file.

Regenerate the golden file after a deliberate change: python -m tests.test_build
"""

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from timeline.build import build, build_from_items
from timeline.outputs import load_build, write_outputs
from timeline.models import CorpusItem
from timeline.corpus import seeds_dir
from timeline.models import Document

GOLDEN = Path(__file__).parent / "golden" / "seeds_events.json"
BREITBART, OPPOSING_VIEWS, INDEPENDENT = "000_16e4113664efb583", "001_ec7aeb75b8986f6f", "002_a2e2e5e539fd6ca0"


@pytest.fixture(scope="module")
def seeds():
    return build([seeds_dir()])


def _events_with(result, doc_id: str, sentence_part: str, trigger: str):
    """The events having a mention with this trigger in a sentence containing this text."""
    return [
        e for e in result.events
        if any(m.doc_id == doc_id and sentence_part in m.sentence and m.trigger == trigger for m in e.mentions)
    ]


def _one(result, doc_id, sentence_part, trigger):
    found = _events_with(result, doc_id, sentence_part, trigger)
    assert len(found) == 1, f"{trigger!r} in {sentence_part!r}: {len(found)} events"
    return found[0]


# (document, text of the sentence, trigger, expected value, expected interval start, date basis)
SEED_DATES = [
    (BREITBART, "released a video on Sunday", "released", "2015-02-15", "2015-02-15", "explicit"),
    (BREITBART, "closed its embassy in Tripoli", "closed", "2015-02-15", "2015-02-15", "explicit"),
    (BREITBART, "Gentiloni said on Monday", "said", "2015-02-16", "2015-02-16", "explicit"),
    # The death toll is the event ("were reported" is told with it): its date is stated in its clause.
    (INDEPENDENT, "more than 300 were reported to have died", "died", "2015-W07", "2015-02-09", "clause"),
    (INDEPENDENT, "toppled Muammar Gaddafi in 2011", "toppled", "2011", "2011-01-01", "explicit"),
    (INDEPENDENT, "On Tuesday, Mr Sisi said", "said", "2015-02-17", "2015-02-17", "explicit"),
]


@pytest.mark.parametrize("doc_id, sentence, trigger, value, start, basis", SEED_DATES, ids=[c[1] for c in SEED_DATES])
def test_seed_events_have_their_dates(seeds, doc_id, sentence, trigger, value, start, basis):
    event = _one(seeds, doc_id, sentence, trigger)
    assert event.value.startswith(value)
    assert event.interval_start == dt.date.fromisoformat(start)
    assert event.basis == basis


def test_the_video_release_is_one_event_across_articles(seeds):
    event = _one(seeds, BREITBART, "released a video on Sunday", "released")
    assert {BREITBART, INDEPENDENT} <= set(event.sources)
    assert any(m.doc_id == INDEPENDENT and m.trigger == "release" and "Sunday night" in m.sentence for m in event.mentions)
    # The Opposing Views mention has no date of its own: it takes the event's.
    undated = [m for m in event.mentions if m.doc_id == OPPOSING_VIEWS]
    assert undated and all(m.basis == "reported" for m in undated)
    assert event.interval_start == dt.date(2015, 2, 15)


def test_the_embassy_closure_merges_with_its_later_mention(seeds):
    event = _one(seeds, BREITBART, "closed its embassy in Tripoli", "closed")
    assert any(m.trigger == "closure" for m in event.mentions)


def test_the_migrant_plan_is_a_threat_not_a_fact(seeds):
    send = _one(seeds, BREITBART, "500 thousand immigrants", "send")
    assert send.status == "threatened"
    plan = _one(seeds, OPPOSING_VIEWS, "500,000 Libyan and Egyptian refugees adrift", "set")
    assert plan.status in ("planned", "threatened")
    rescue = _one(seeds, OPPOSING_VIEWS, "would most likely be rescued", "rescued")
    assert rescue.status == "hypothetical"


def test_two_days_after_dates_the_bombing_from_the_report(seeds):
    bombing = _one(seeds, INDEPENDENT, "two days after Cairo bombed Isis targets", "bombed")
    assert bombing.basis == "relative"
    assert bombing.value == "2015-02-16"


def test_events_without_a_time_keep_only_a_reported_date(seeds):
    undated = [e for e in seeds.events if e.basis == "reported"]
    assert undated, "every seed event got a date: the fallback is too eager"
    assert all(e.value is None and e.interval_start is None for e in undated)


def test_table_is_ordered_by_start_then_granularity(seeds):
    dated = seeds.table[seeds.table["value"] != ""]
    starts = list(dated["interval_start"])
    assert starts == sorted(starts)
    undated_rows = seeds.table[seeds.table["value"] == ""]
    assert undated_rows.index.min() > dated.index.max()


def test_outputs_are_written_and_consistent(seeds, tmp_path):
    write_outputs(seeds, tmp_path)
    with (tmp_path / "events.csv").open(encoding="utf-8") as handle:
        events = list(csv.DictReader(handle))
    with (tmp_path / "mentions.csv").open(encoding="utf-8") as handle:
        mentions = list(csv.DictReader(handle))
    assert len(events) == len(seeds.table)
    assert {m["event_id"] for m in mentions} == {e["event_id"] for e in events}
    texts = {d.doc_id: Path(d.path).read_text("utf-8") for d in seeds.built}
    for mention in mentions:
        start, end = int(mention["trigger_start"]), int(mention["trigger_end"])
        assert texts[mention["doc_id"]][start:end] == mention["trigger"]
    timelinejs = json.loads((tmp_path / "timelinejs.json").read_text("utf-8"))
    assert len(timelinejs["events"]) == sum(1 for e in events if e["value"])
    assert json.loads((tmp_path / "events.json").read_text("utf-8"))["events"][0]["mentions"]


def test_distinct_events_that_share_words_stay_apart_and_disagreements_are_flagged():
    day = dt.date(2015, 2, 17)
    docs = [
        Document("a", "Italy closed its embassy in Tripoli on Sunday, officials said.", day, "manifest"),
        Document("b", "Italy closed its embassy in Tripoli on Saturday, the ministry said.", day, "manifest"),
        Document("c", "Italy closed its consulate in Benghazi on Monday.", day, "manifest"),
    ]
    result = build_from_items([CorpusItem(d.doc_id, d) for d in docs])
    closures = [e for e in result.events if e.lead.lemma == "close"]
    assert len(closures) == 2
    embassy = next(e for e in closures if "embassy" in e.lead.description)
    assert embassy.sources == ["a", "b"]
    assert embassy.conflicts and "Saturday" in " ".join(embassy.conflicts)
    # The reports are told with what they report, each source named, not as rows of their own.
    assert not [e for e in result.events if e.lead.lemma == "say"]
    assert embassy.according_to == ["officials", "ministry"]


def golden_rows(result) -> list[dict]:
    """The parts of the event table the golden file pins."""
    keep = ["value", "date_basis", "date_text", "description", "status", "according_to", "sources"]
    return [{k: str(row[k]) for k in keep} for row in result.table.to_dict("records")]


def test_seed_events_match_the_golden_file(seeds):
    expected = json.loads(GOLDEN.read_text("utf-8"))
    assert golden_rows(seeds) == expected


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(golden_rows(build([seeds_dir()])), ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"wrote {GOLDEN}")


def test_a_written_build_reads_back_the_same_table(seeds, tmp_path):
    write_outputs(seeds, tmp_path)
    loaded = load_build(tmp_path)
    columns = ["event_id", "value", "interval_start", "interval_end", "date_basis", "description", "status",
               "sources", "n_sources", "conflicts", "reported_date", "time_note"]
    assert loaded.table[columns].to_dict("records") == seeds.table[columns].to_dict("records")
    assert (seeds.table["time_note"] != "").any()  # "have been discussing this for months"
    notes = lambda result: {m.mention_id: m.time_note for e in result.events for m in e.mentions}  # noqa: E731
    assert notes(loaded) == notes(seeds)
    assert {d.doc_id for d in loaded.built} == {d.doc_id for d in seeds.built}
