"""Dated summaries (`timeline summarize`): the important days, told by sentences from the articles."""

import datetime as dt
import json

import pytest

from tests.conftest import run_cli

from timeline.build import build_from_items
from timeline.models import CorpusItem, Document
from timeline.summarize import summarize, summary_rows
from timeline.table import Filters

PUBLISHED = dt.date(2015, 3, 2)
ARTICLES = [
    "Rebels seized the airport in Tripoli on February 20. The government said it would respond.",
    "The rebels took control of the airport in Tripoli on February 20, witnesses said.",
    "On February 20 rebels captured Tripoli airport after a night of fighting near the runway.",
    "Troops recaptured a border post on February 24, the army said in a statement.",
    "The unrest began in February and has spread to three provinces since then, officials said.",
    "Officials met in Rome to discuss the crisis and agreed to send aid to the refugees.",
]


@pytest.fixture(scope="module")
def result():
    items = [CorpusItem(f"a{n}", Document(f"a{n}", text, PUBLISHED, "manifest", title=f"Article {n}",
                                          source=f"Outlet {n}"))
             for n, text in enumerate(ARTICLES)]
    return build_from_items(items)


def test_the_day_most_articles_date_events_to_comes_first(result):
    summary = summarize(result, dates=1, sentences=2)
    assert [item.day for item in summary] == [dt.date(2015, 2, 20)]
    texts = [c.text for c in summary[0].sentences]
    assert len(texts) == 2 and all("airport" in t for t in texts)


def test_days_are_in_date_order_and_a_sentence_tells_one_day_only(result):
    summary = summarize(result, dates=5, sentences=3)
    days = [item.day for item in summary]
    assert days == sorted(days) and dt.date(2015, 2, 24) in days
    texts = [c.text for item in summary for c in item.sentences]
    assert len(texts) == len(set(texts))
    # What was only published that day, or dated to a whole month, is no day of its own.
    assert PUBLISHED not in days and all(d.day != 1 for d in days)
    assert not any("Rome" in t or "three provinces" in t for t in texts)


def test_every_sentence_is_taken_from_its_sources(result):
    texts = {f"a{n}": text for n, text in enumerate(ARTICLES)}
    for item in summarize(result, dates=5, sentences=3):
        for candidate in item.sentences:
            assert candidate.sources and all(candidate.text in texts[s] for s in candidate.sources)


def test_near_duplicates_are_told_once():
    text = "Rebels seized the airport in Tripoli on February 20 after heavy fighting."
    items = [CorpusItem(f"d{n}", Document(f"d{n}", text.replace("heavy", word), PUBLISHED, "manifest"))
             for n, word in enumerate(["heavy", "fierce"])]
    summary = summarize(build_from_items(items), dates=1, sentences=2)
    assert len(summary[0].sentences) == 1


def test_a_vague_time_makes_no_day_of_its_own():
    texts = ["In recent days, rebels shelled the city of Misrata.", "Rebels recently seized a border post near Zuwara.",
             "Government troops are now shelling the port of Sirte.", "Militias have taken control of the port in recent weeks."]
    items = [CorpusItem(f"v{n}", Document(f"v{n}", text, PUBLISHED, "manifest")) for n, text in enumerate(texts)]
    result = build_from_items(items)
    assert {e.value for e in result.events if e.value} >= {"PAST_REF", "PRESENT_REF"}  # dated, roughly
    assert summarize(result, dates=5, sentences=2) == []


def test_filters_narrow_the_days(result):
    summary = summarize(result, dates=5, sentences=1, filters=Filters(start=dt.date(2015, 2, 22)))
    assert [item.day for item in summary] == [dt.date(2015, 2, 24)]


def test_the_command_writes_the_task_format_and_readable_versions_with_sources(seeds_written, tmp_path):
    target = tmp_path / "summary.json"
    done = run_cli("summarize", seeds_written, "--dates", 3, "--sentences", 2, "-o", target)
    assert done.exit_code == 0, done.output
    rows = json.loads(target.read_text("utf-8"))
    assert 1 <= len(rows) <= 3 and [r[0] for r in rows] == sorted(r[0] for r in rows)
    for day, sentences in rows:
        dt.date.fromisoformat(day)
        assert 1 <= len(sentences) <= 2 and all(isinstance(s, str) and s for s in sentences)
    for suffix in (".md", ".txt"):
        readable = tmp_path / f"summary{suffix}"
        assert run_cli("summarize", seeds_written, "--dates", 3, "-o", readable).exit_code == 0
        text = readable.read_text("utf-8")
        assert rows[0][0] in text and ("Breitbart" in text or "The Independent" in text)


@pytest.mark.parametrize("args, option", [
    (["-o", "summary.pdf"], "-o"),
    (["--from", "2015-03-01", "--to", "2015-02-01", "-o", "s.json"], "--from"),
    (["--dates", "0", "-o", "s.json"], "--dates"),
])
def test_bad_options_are_usage_errors(seeds_written, tmp_path, args, option):
    done = run_cli("summarize", seeds_written, *[tmp_path / a if a.startswith("s") and "." in a else a for a in args])
    assert done.exit_code == 2 and option in done.output


def test_the_json_rows_are_the_summary(result):
    summary = summarize(result, dates=2, sentences=1)
    assert summary_rows(summary) == [[i.day.isoformat(), [c.text for c in i.sentences]] for i in summary]


def test_markdown_shows_article_text_and_source_names_as_text(tmp_path):
    from timeline.summarize import write_summary

    items = [CorpusItem("h", Document("h", "Rebels seized the airport in Tripoli on February 20 <b>[x](javascript:1)</b>.",
                                      PUBLISHED, "manifest", source="<script>alert(1)</script>"))]
    result = build_from_items(items)
    documents = {d.doc_id: {"title": d.title, "source": d.source, "url": ""} for d in result.built}
    text = write_summary(summarize(result, dates=1, sentences=1), tmp_path / "s.md", documents).read_text("utf-8")
    assert "February 20" in text
    assert "<script>" not in text and "<b>" not in text and "](javascript" not in text
