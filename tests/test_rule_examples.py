"""Every rule's own examples, and the negative corpus, run through the whole tagger."""

import pytest

from timeline.resources import load_ruleset
from timeline.tagger import tag

RULESET = load_ruleset("en")
EXAMPLES = [
    pytest.param(rule.name, example, id=f"{rule.name}-{n}")
    for rule in RULESET.rules
    for n, example in enumerate(rule.examples)
]


@pytest.mark.parametrize("rule_name, example", EXAMPLES)
def test_rule_example(rule_name, example):
    expressions = tag(example["text"], dct=example["dct"], mode=example.get("mode", "news"))
    if example["value"] == "none":
        assert expressions == [], f"{rule_name}: expected nothing in {example['text']!r}"
        return
    extent = example.get("match", example["text"])
    found = {e.text: e.value for e in expressions}
    assert extent in found, f"{rule_name}: {extent!r} not tagged in {example['text']!r}; got {found}"
    assert found[extent] == example["value"]


@pytest.mark.parametrize("sentence", RULESET.negative_corpus)
def test_negative_corpus_stays_untagged(sentence):
    assert [(e.text, e.value) for e in tag(sentence, dct="2015-02-17")] == []


def test_every_rule_has_examples():
    assert [rule.name for rule in RULESET.rules if not rule.examples] == []
