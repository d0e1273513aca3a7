"""The word lists behind tense and events (resources/en/tense.toml, words.toml): their examples hold."""

import datetime as dt

import pytest

from timeline.build import build_from_items
from timeline.events import load_lexicon, trigger_kind
from timeline.models import CorpusItem, Document
from timeline.nlp import load_nlp
from timeline.resources import load_words
from timeline.tense import tense_in_doc

TENSE_EXAMPLES = load_words("en", "tense")["example"]
WORD_EXAMPLES = load_words("en", "words")["example"]
DCT = dt.date(2015, 2, 17)


@pytest.mark.parametrize("example", TENSE_EXAMPLES, ids=lambda e: e["text"])
def test_tense_examples(example):
    from timeline.tense import TenseOracle

    start = example["text"].index(example["expression"])
    oracle = TenseOracle(example["text"])
    assert oracle.tense_at(start, start + len(example["expression"])) == example["tense"]


@pytest.mark.parametrize("example", WORD_EXAMPLES, ids=lambda e: e["text"])
def test_word_list_examples(example):
    document = Document("example", example["text"], DCT, "manifest")
    result = build_from_items([CorpusItem("example", document)])
    mentions = [m for e in result.events for m in e.mentions if m.trigger == example["trigger"]]
    assert mentions, f"no event for {example['trigger']!r}"
    mention = mentions[0]
    if "status" in example:
        assert mention.status == example["status"]
    if "actors" in example:
        assert mention.actors == example["actors"]
    if "affected" in example:
        assert all(any(a in found for found in mention.affected) for a in example["affected"])
    if "date" in example:  # the time expression dating the mention ("" when undated)
        assert (mention.timex.text if mention.dated else "") == example["date"]


def test_every_tense_cue_list_is_lower_case_and_unique():
    words = load_words("en", "tense")
    for name, values in words.items():
        if isinstance(values, list) and name != "example":
            assert len(set(values)) == len(values), name
            assert all(v == v.lower() for v in values), name


def test_the_parse_based_tense_reads_a_doc():
    doc = load_nlp("syntax")("The summit will open on Friday.")
    start = doc.text.index("Friday")
    assert tense_in_doc(doc, start, start + 6) == "future"


BOILERPLATE = load_words("en", "boilerplate")


@pytest.mark.parametrize("line", [(rule["name"], example) for rule in BOILERPLATE["line"] for example in rule["examples"]],
                         ids=lambda case: case[1])
def test_boilerplate_examples_are_page_furniture(line):
    from timeline.events import boilerplate_spans

    _, example = line
    text = "Italy closed its embassy on Sunday.\n" + example + "\nThe talks resumed on Monday.\n"
    start = text.index(example)
    assert boilerplate_spans(text) == [(start, start + len(example))]


@pytest.mark.parametrize("sentence", BOILERPLATE["negatives"]["sentences"])
def test_article_sentences_are_not_boilerplate(sentence):
    from timeline.events import boilerplate_spans

    assert boilerplate_spans(sentence + "\n" + sentence) == []


def test_no_event_comes_from_page_furniture():
    text = ("By Thomas D. Williams\nItaly closed its embassy in Tripoli on Sunday.\n"
            "Follow Thomas D. Williams on Twitter @tdwilliamsrome.\nClick to follow\n")
    result = build_from_items([CorpusItem("x", Document("x", text, DCT, "manifest"))])
    triggers = {m.trigger for e in result.events for m in e.mentions}
    assert "closed" in triggers and not triggers & {"Follow", "follow", "Click"}


TRIGGER_CASES = [
    # (sentence, word, is an event trigger)
    ("The company made an offer for the airline on Monday.", "made", True),
    ("Troops took control of the airport on Friday.", "took", True),
    ("Profit rose 5%, compared with a year earlier.", "compared", False),
    ("The firm, based in Ohio, cut 200 jobs on Monday.", "based", False),
    ("Following the vote, the minister resigned on Tuesday.", "Following", False),
    ("The group owns a stake in the bank.", "owns", False),
    ("Analysts believe the deal will close.", "believe", False),
    ("Sales rose 10% in the quarter.", "Sales", False),
    ("The death toll rose to 40 on Sunday.", "death", False),
    ("The airline announced a bid for its rival on Monday.", "bid", True),
    ("Shares fell after the plunge of the currency on Monday.", "plunge", True),
]


@pytest.mark.parametrize("sentence, word, is_event", TRIGGER_CASES, ids=[c[0] for c in TRIGGER_CASES])
def test_which_words_are_event_triggers(sentence, word, is_event):
    doc = load_nlp()(sentence)
    token = next(t for t in doc if t.text == word)
    assert (trigger_kind(token, load_lexicon()) is not None) == is_event


def test_a_definite_mention_joins_the_articles_earlier_report_of_the_event():
    text = "Rebels bombed the embassy in Kabul on Monday. Officials condemned the bombing."
    document = Document("example", text, DCT, "manifest")
    result = build_from_items([CorpusItem("example", document)])
    by_trigger = {m.trigger: (e, m) for e in result.events for m in e.mentions}
    bombed_event, _ = by_trigger["bombed"]
    bombing_event, bombing = by_trigger["bombing"]
    assert bombing.actors == ["Rebels"] and bombing.basis == "context"
    assert bombing_event is bombed_event


def test_an_indefinite_noun_does_not_borrow_an_earlier_events_participants():
    text = "The mayor called for more police on Monday. Investigators traced intercepted phone calls."
    document = Document("example", text, DCT, "manifest")
    result = build_from_items([CorpusItem("example", document)])
    calls = [m for e in result.events for m in e.mentions if m.trigger == "calls"]
    assert all(m.basis != "context" and "mayor" not in m.actors for m in calls)
