"""The event vocabulary files, actor aliases, and the SemEval-2015 Task 4 reader and scorer."""

from pathlib import Path

import pytest

from timeline.build import build_from_items
from timeline.models import CorpusItem
from timeline.entities import EntityResolver, alias_table
from timeline.events import load_lexicon
from timeline.semeval import entity_timeline, format_timeline, name_forms, read_document, read_gold, score

FIXTURES = Path(__file__).parent / "fixtures" / "semeval"


def test_event_lexicon_is_consistent():
    lexicon = load_lexicon()
    assert not lexicon.event_nouns & lexicon.non_event_nouns
    assert not lexicon.light_verbs & lexicon.reporting_verbs
    assert not lexicon.threat & lexicon.plan
    for word, verb in lexicon.derivation.items():
        assert word.isalpha() and word.islower() and verb.isalpha() and verb.islower(), (word, verb)
        assert verb not in lexicon.light_verbs, f"{word} -> {verb}: a light verb never names an event"


@pytest.mark.parametrize("name, canonical", [
    ("ISIS", "Islamic State"), ("Isis", "Islamic State"), ("the Islamic State", "Islamic State"),
    ("Daesh", "Islamic State"), ("IS", "Islamic State"), ("is", "is"), ("U.S.", "United States"),
    ("Mr Sisi", "Abdel Fattah al-Sisi"), ("Sisi", "Abdel Fattah al-Sisi"), ("Rossi", "Rossi"),
])
def test_aliases_and_learned_surnames(name, canonical):
    resolver = EntityResolver()
    resolver.learn(["Abdel Fattah al-Sisi", "Mr Sisi", "Paolo Rossi", "Mario Rossi"])
    assert resolver.canonical(name) == canonical


def test_alias_table_has_no_alias_under_two_names():
    from importlib import resources
    import tomllib

    data = tomllib.loads(resources.files("timeline").joinpath("resources", "en", "aliases.toml").read_text("utf-8"))
    seen = {}
    for canonical, aliases in data["aliases"].items():
        for alias in aliases:
            assert seen.setdefault(alias, canonical) == canonical, f"{alias!r} under two names"
    assert alias_table()


def test_name_forms():
    assert "apple corps" in name_forms("Beatles Apple Corps")
    assert "itunes" in name_forms("iTunes store")
    assert "3g iphone" in name_forms("iPhone 3G")


def test_semeval_reader_timeline_and_scores():
    documents = {d.document.doc_id: d for d in map(read_document, sorted((FIXTURES / "corpus").glob("*.tml")))}
    first = documents["101"]
    assert first.document.dct.isoformat() == "2010-06-08"
    assert first.sentence_at(first.document.text.index("Acme unveiled")) == "2"
    result = build_from_items([CorpusItem(k, d.document) for k, d in documents.items()])
    gold = read_gold(FIXTURES / "timelines" / "widget_4.txt")
    rows = entity_timeline(result, documents, gold.entity)
    keys = {key for _, ks in rows for key in ks}
    assert {"101-2-unveiled", "102-2-unveiled", "101-4-release"} <= keys
    text = format_timeline(gold.entity, rows)
    assert text.splitlines()[0] == "Widget 4"
    assert "2010-06-07\t" in text and "2010-06-24\t" in text
    scores = score(gold, rows)
    assert scores.gold_mentions == 4
    assert scores.found >= 3
    assert scores.dated_right == scores.dated >= 3
    assert scores.order_agree == scores.order_pairs > 0


@pytest.mark.parametrize("tokenised, written", [
    ("born on February 24 , 1955 , in San Francisco .", "born on February 24, 1955, in San Francisco."),
    ("the company 's base price ( US$ 999 )", "the company's base price (US$999)"),
    ("He didn 't say ; it wasn 't clear !", "He didn't say; it wasn't clear!"),
    ("\" Stop me , \" he said .", "\" Stop me, \" he said."),
])
def test_the_corpus_tokenised_text_is_read_as_written_news(tokenised, written):
    from timeline.semeval import detokenize
    assert detokenize(tokenised) == written
